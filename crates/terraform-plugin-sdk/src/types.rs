//! cty types (the `type` bytes of schema attributes) and exact cty numbers.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use bigdecimal::{BigDecimal, ToPrimitive};

/// A cty type. Serialised as cty's type JSON (`"string"`, `["list","number"]`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// Unicode text (`"string"`).
    String,
    /// An arbitrary-precision number, integer or not (`"number"`); see [`Number`].
    Number,
    /// `true` or `false` (`"bool"`).
    Bool,
    /// cty's `DynamicPseudoType`: the concrete type travels with the value.
    Dynamic,
    /// An ordered sequence of elements of one type (`["list", T]`).
    List(Box<Type>),
    /// An unordered collection of distinct elements of one type (`["set", T]`).
    Set(Box<Type>),
    /// String keys to elements of one type (`["map", T]`).
    Map(Box<Type>),
    /// Fixed attribute names, each with its own type (`["object", {...}]`).
    Object(BTreeMap<String, Type>),
    /// A fixed-length sequence, each position with its own type (`["tuple", [...]]`).
    Tuple(Vec<Type>),
}

/// Malformed cty type JSON.
#[derive(Debug, thiserror::Error)]
pub enum TypeJsonError {
    /// The bytes are not JSON at all.
    #[error("type JSON is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// JSON, but not a cty type; the text says what and where.
    #[error("invalid cty type JSON: {0}")]
    Invalid(String),
}

impl Type {
    /// Shorthand for `Type::List(Box::new(element))`.
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    /// Shorthand for `Type::Set(Box::new(element))`.
    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    /// Shorthand for `Type::Map(Box::new(element))`.
    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    /// Object type from `(name, type)` pairs.
    pub fn object<K: Into<String>>(attributes: impl IntoIterator<Item = (K, Type)>) -> Type {
        Type::Object(
            attributes
                .into_iter()
                .map(|(name, ty)| (name.into(), ty))
                .collect(),
        )
    }

    /// cty type JSON as a `serde_json::Value`.
    pub fn to_json_value(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Type::String => J::from("string"),
            Type::Number => J::from("number"),
            Type::Bool => J::from("bool"),
            Type::Dynamic => J::from("dynamic"),
            Type::List(element) => J::Array(vec![J::from("list"), element.to_json_value()]),
            Type::Set(element) => J::Array(vec![J::from("set"), element.to_json_value()]),
            Type::Map(element) => J::Array(vec![J::from("map"), element.to_json_value()]),
            Type::Object(attributes) => J::Array(vec![
                J::from("object"),
                J::Object(
                    attributes
                        .iter()
                        .map(|(name, ty)| (name.clone(), ty.to_json_value()))
                        .collect(),
                ),
            ]),
            Type::Tuple(elements) => J::Array(vec![
                J::from("tuple"),
                J::Array(elements.iter().map(Type::to_json_value).collect()),
            ]),
        }
    }

    /// cty type JSON bytes, as sent in `Schema.Attribute.type`.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        self.to_json_value().to_string().into_bytes()
    }

    /// Parses cty type JSON bytes.
    pub fn from_json(bytes: &[u8]) -> Result<Type, TypeJsonError> {
        let json: serde_json::Value = serde_json::from_slice(bytes)?;
        Type::from_json_value(&json)
    }

    /// Parses an already decoded cty type JSON value.
    pub fn from_json_value(json: &serde_json::Value) -> Result<Type, TypeJsonError> {
        use serde_json::Value as J;
        let invalid = |what: &str| TypeJsonError::Invalid(format!("{what}: {json}"));
        match json {
            J::String(name) => match name.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                _ => Err(invalid("unknown primitive type")),
            },
            J::Array(parts) => {
                let (Some(J::String(kind)), Some(argument)) = (parts.first(), parts.get(1)) else {
                    return Err(invalid("expected [kind, argument]"));
                };
                // A third element (optional object attributes) is only legal for objects.
                if parts.len() > 3 || (parts.len() == 3 && kind != "object") {
                    return Err(invalid("too many elements"));
                }
                match (kind.as_str(), argument) {
                    ("list", element) => Ok(Type::list(Type::from_json_value(element)?)),
                    ("set", element) => Ok(Type::set(Type::from_json_value(element)?)),
                    ("map", element) => Ok(Type::map(Type::from_json_value(element)?)),
                    ("object", J::Object(attributes)) => attributes
                        .iter()
                        .map(|(name, ty)| Ok((name.clone(), Type::from_json_value(ty)?)))
                        .collect::<Result<BTreeMap<_, _>, _>>()
                        .map(Type::Object),
                    ("tuple", J::Array(elements)) => elements
                        .iter()
                        .map(Type::from_json_value)
                        .collect::<Result<Vec<_>, _>>()
                        .map(Type::Tuple),
                    _ => Err(invalid("unknown type kind")),
                }
            }
            _ => Err(invalid("expected a string or an array")),
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json_value())
    }
}

/// Largest decimal exponent accepted when parsing a number; cty numbers are 512-bit floats, so
/// this is generous, and it keeps hostile input like `1e999999999` from exhausting memory.
const MAX_DECIMAL_EXPONENT: i64 = 100_000;

/// An exact cty number: an arbitrary-precision decimal, or ±infinity.
#[derive(Debug, Clone)]
pub struct Number(NumberRepr);

#[derive(Debug, Clone)]
enum NumberRepr {
    Finite(BigDecimal),
    PositiveInfinity,
    NegativeInfinity,
}

/// Text that is not a decimal number (or an absurdly large exponent).
#[derive(Debug, thiserror::Error)]
#[error("invalid number {0:?}")]
pub struct ParseNumberError(String);

impl Number {
    /// +∞, which cty allows (Terraform sends it as a float).
    pub fn positive_infinity() -> Number {
        Number(NumberRepr::PositiveInfinity)
    }

    /// −∞, which cty allows (Terraform sends it as a float).
    pub fn negative_infinity() -> Number {
        Number(NumberRepr::NegativeInfinity)
    }

    /// Exact conversion of a float (every finite f64 is a finite decimal); NaN is rejected.
    pub fn from_f64(value: f64) -> Option<Number> {
        if value.is_nan() {
            None
        } else if value == f64::INFINITY {
            Some(Number::positive_infinity())
        } else if value == f64::NEG_INFINITY {
            Some(Number::negative_infinity())
        } else {
            BigDecimal::try_from(value)
                .ok()
                .map(|decimal| Number(NumberRepr::Finite(decimal)))
        }
    }

    /// The decimal, unless infinite.
    pub fn as_decimal(&self) -> Option<&BigDecimal> {
        match &self.0 {
            NumberRepr::Finite(decimal) => Some(decimal),
            _ => None,
        }
    }

    /// Whether the number is finite and has no fractional part.
    pub fn is_integer(&self) -> bool {
        self.as_decimal().is_some_and(BigDecimal::is_integer)
    }

    /// The value as i64 when it is an integer in range.
    pub fn to_i64(&self) -> Option<i64> {
        let decimal = self.as_decimal()?;
        if decimal.is_integer() {
            decimal.to_i64()
        } else {
            None
        }
    }

    /// Nearest f64 (infinities map to infinities).
    pub fn to_f64(&self) -> f64 {
        match &self.0 {
            NumberRepr::Finite(decimal) => decimal.to_f64().unwrap_or(f64::NAN),
            NumberRepr::PositiveInfinity => f64::INFINITY,
            NumberRepr::NegativeInfinity => f64::NEG_INFINITY,
        }
    }

    /// The f64 equal to this number, when one exists.
    pub fn to_exact_f64(&self) -> Option<f64> {
        let float = self.to_f64();
        if float.is_nan() {
            return None;
        }
        Number::from_f64(float)
            .filter(|round_trip| round_trip == self)
            .map(|_| float)
    }
}

impl FromStr for Number {
    type Err = ParseNumberError;

    fn from_str(text: &str) -> Result<Number, ParseNumberError> {
        let trimmed = text.trim();
        match trimmed {
            "+Inf" | "Inf" | "inf" | "+inf" | "Infinity" => return Ok(Number::positive_infinity()),
            "-Inf" | "-inf" | "-Infinity" => return Ok(Number::negative_infinity()),
            _ => {}
        }
        // BigDecimal accepts some spellings cty does not (e.g. "1_000"); refuse those.
        if trimmed.is_empty()
            || !trimmed
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            return Err(ParseNumberError(text.to_owned()));
        }
        let decimal =
            BigDecimal::from_str(trimmed).map_err(|_| ParseNumberError(text.to_owned()))?;
        let (digits, scale) = decimal.as_bigint_and_exponent();
        if scale.unsigned_abs() > MAX_DECIMAL_EXPONENT.unsigned_abs() + digits.bits() {
            return Err(ParseNumberError(text.to_owned()));
        }
        Ok(Number(NumberRepr::Finite(decimal)))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            NumberRepr::Finite(decimal) => f.write_str(&decimal.normalized().to_plain_string()),
            NumberRepr::PositiveInfinity => f.write_str("+Inf"),
            NumberRepr::NegativeInfinity => f.write_str("-Inf"),
        }
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (&self.0, &other.0) {
            (NumberRepr::Finite(a), NumberRepr::Finite(b)) => a == b,
            (NumberRepr::PositiveInfinity, NumberRepr::PositiveInfinity)
            | (NumberRepr::NegativeInfinity, NumberRepr::NegativeInfinity) => true,
            _ => false,
        }
    }
}

impl Eq for Number {}

impl From<i64> for Number {
    fn from(value: i64) -> Number {
        Number(NumberRepr::Finite(BigDecimal::from(value)))
    }
}

impl From<i32> for Number {
    fn from(value: i32) -> Number {
        Number::from(i64::from(value))
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Number {
        Number(NumberRepr::Finite(BigDecimal::from(value)))
    }
}

impl From<BigDecimal> for Number {
    fn from(value: BigDecimal) -> Number {
        Number(NumberRepr::Finite(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_json_round_trips() {
        let types = [
            Type::String,
            Type::Number,
            Type::Bool,
            Type::Dynamic,
            Type::list(Type::String),
            Type::set(Type::Number),
            Type::map(Type::Bool),
            Type::object([("a", Type::String), ("b", Type::list(Type::Dynamic))]),
            Type::Tuple(vec![Type::String, Type::map(Type::Number)]),
            Type::Object(BTreeMap::new()),
            Type::Tuple(vec![]),
        ];
        for ty in types {
            let bytes = ty.to_json_bytes();
            let parsed = Type::from_json(&bytes).map_err(|e| e.to_string());
            assert_eq!(
                parsed.as_ref(),
                Ok(&ty),
                "{}",
                String::from_utf8_lossy(&bytes)
            );
        }
        assert_eq!(
            Type::list(Type::object([("k", Type::String)])).to_json_bytes(),
            br#"["list",["object",{"k":"string"}]]"#
        );
    }

    #[test]
    fn type_json_accepts_optional_object_attributes_and_rejects_garbage() {
        assert!(Type::from_json(br#"["object",{"a":"string"},["a"]]"#).is_ok());
        for bad in [
            &b"\"str\""[..],
            b"[\"list\"]",
            b"[\"tuple\",\"string\"]",
            b"[\"list\",\"string\",1]",
            b"42",
            b"not json",
        ] {
            assert!(
                Type::from_json(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn numbers_are_exact_and_print_plainly() {
        for text in ["0.1", "123456789012345678901234567890.5", "-42", "0", "1.5"] {
            let number: Number = text.parse().unwrap();
            assert_eq!(number.to_string(), text);
        }
        let big: Number = "1e400".parse().unwrap();
        assert_eq!(big.to_string(), format!("1{}", "0".repeat(400)));
        assert_eq!("1.50".parse::<Number>().ok(), "1.5".parse::<Number>().ok());
        assert_eq!(Number::from(7).to_i64(), Some(7));
        assert_eq!("7.5".parse::<Number>().ok().and_then(|n| n.to_i64()), None);
        assert_eq!(Number::from(3).to_f64(), 3.0);
        assert!("1e999999999".parse::<Number>().is_err());
        assert!("1_000".parse::<Number>().is_err());
        assert!("".parse::<Number>().is_err());
    }

    #[test]
    fn exact_f64_only_when_the_float_is_the_number() {
        assert_eq!(
            "0.5".parse::<Number>().ok().and_then(|n| n.to_exact_f64()),
            Some(0.5)
        );
        assert_eq!(
            "0.1".parse::<Number>().ok().and_then(|n| n.to_exact_f64()),
            None
        );
        assert_eq!(
            Number::from_f64(0.1).and_then(|n| n.to_exact_f64()),
            Some(0.1)
        );
        assert!(Number::from_f64(f64::NAN).is_none());
        assert_eq!(Number::positive_infinity().to_f64(), f64::INFINITY);
    }
}
