//! cty's msgpack encoding of values against a type — the wire format of `DynamicValue.msgpack`.

use std::collections::BTreeMap;

use rmp::Marker;

use super::types::{Number, Type};
use super::value::Value;

/// Malformed or non-conforming msgpack from Terraform.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("msgpack decode error{}: {message}", if path.is_empty() { String::new() } else { format!(" at {path}") })]
pub struct DecodeError {
    path: String,
    message: String,
}

impl DecodeError {
    pub(crate) fn new(message: impl Into<String>) -> DecodeError {
        DecodeError {
            path: String::new(),
            message: message.into(),
        }
    }

    /// Prefixes the location of the failure, innermost step first.
    pub(crate) fn at(mut self, step: impl std::fmt::Display) -> DecodeError {
        self.path = format!("{step}{}", self.path);
        self
    }
}

/// A value that does not conform to the type it is encoded against.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot encode value{}: {message}", if path.is_empty() { String::new() } else { format!(" at {path}") })]
pub struct EncodeError {
    path: String,
    message: String,
}

impl EncodeError {
    pub(crate) fn new(message: impl Into<String>) -> EncodeError {
        EncodeError {
            path: String::new(),
            message: message.into(),
        }
    }

    pub(crate) fn at(mut self, step: impl std::fmt::Display) -> EncodeError {
        self.path = format!("{step}{}", self.path);
        self
    }
}

/// Decodes msgpack bytes against `ty`. Empty input is Null (an absent DynamicValue).
pub fn decode_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    let mut reader = Reader {
        bytes,
        position: 0,
        depth: 0,
    };
    let value = reader.value(ty)?;
    if reader.position != bytes.len() {
        return Err(DecodeError::new(format!(
            "{} trailing bytes",
            bytes.len() - reader.position
        )));
    }
    Ok(value)
}

/// Encodes `value` against `ty`; every object attribute is written (absent ones as nil).
pub fn encode_msgpack(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(64);
    write_value(&mut out, value, ty)?;
    Ok(out)
}

/// Deepest nesting accepted; dynamic values can nest without bound in hostile input, and
/// recursion must not overflow the stack.
const MAX_DEPTH: usize = 256;

struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .position
            .checked_add(count)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| DecodeError::new("unexpected end of input"))?;
        let slice = &self.bytes[self.position..end];
        self.position = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        self.take(1).map(|bytes| bytes[0])
    }

    fn be<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut buffer = [0u8; N];
        buffer.copy_from_slice(self.take(N)?);
        Ok(buffer)
    }

    fn u16(&mut self) -> Result<usize, DecodeError> {
        Ok(u16::from_be_bytes(self.be()?).into())
    }

    fn u32(&mut self) -> Result<usize, DecodeError> {
        usize::try_from(u32::from_be_bytes(self.be()?))
            .map_err(|_| DecodeError::new("length too large"))
    }

    fn peek_marker(&self) -> Result<Marker, DecodeError> {
        self.bytes
            .get(self.position)
            .map(|byte| Marker::from_u8(*byte))
            .ok_or_else(|| DecodeError::new("unexpected end of input"))
    }

    /// Consumes an extension (any type: plain or refined unknown) if one is next.
    fn skip_extension(&mut self) -> Result<bool, DecodeError> {
        let payload_length = match self.peek_marker()? {
            Marker::FixExt1 => 1,
            Marker::FixExt2 => 2,
            Marker::FixExt4 => 4,
            Marker::FixExt8 => 8,
            Marker::FixExt16 => 16,
            Marker::Ext8 => {
                self.byte()?;
                let length = self.byte()?.into();
                self.byte()?; // extension type
                self.take(length)?;
                return Ok(true);
            }
            Marker::Ext16 => {
                self.byte()?;
                let length = self.u16()?;
                self.byte()?;
                self.take(length)?;
                return Ok(true);
            }
            Marker::Ext32 => {
                self.byte()?;
                let length = self.u32()?;
                self.byte()?;
                self.take(length)?;
                return Ok(true);
            }
            _ => return Ok(false),
        };
        self.take(2 + payload_length)?;
        Ok(true)
    }

    fn value(&mut self, ty: &Type) -> Result<Value, DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(DecodeError::new("value nested too deeply"));
        }
        self.depth += 1;
        let value = self.value_at_depth(ty);
        self.depth -= 1;
        value
    }

    fn value_at_depth(&mut self, ty: &Type) -> Result<Value, DecodeError> {
        if self.peek_marker()? == Marker::Null {
            self.position += 1;
            return Ok(Value::Null);
        }
        if self.skip_extension()? {
            return Ok(Value::Unknown);
        }
        match ty {
            Type::String => self.string().map(Value::String),
            Type::Number => self.number().map(Value::Number),
            Type::Bool => match Marker::from_u8(self.byte()?) {
                Marker::True => Ok(Value::Bool(true)),
                Marker::False => Ok(Value::Bool(false)),
                other => Err(unexpected("bool", other)),
            },
            Type::List(element) => self.elements(element).map(Value::List),
            Type::Set(element) => self.elements(element).map(Value::Set),
            Type::Tuple(elements) => {
                let length = self.array_length()?;
                if length != elements.len() {
                    return Err(DecodeError::new(format!(
                        "a tuple of {} elements is required ({length} given)",
                        elements.len()
                    )));
                }
                elements
                    .iter()
                    .enumerate()
                    .map(|(index, ty)| self.value(ty).map_err(|e| e.at(format!("[{index}]"))))
                    .collect::<Result<_, _>>()
                    .map(Value::Tuple)
            }
            Type::Map(element) => {
                let length = self.map_length()?;
                let mut entries = BTreeMap::new();
                for _ in 0..length {
                    let key = self.string()?;
                    let value = self
                        .value(element)
                        .map_err(|e| e.at(format!("[{key:?}]")))?;
                    entries.insert(key, value);
                }
                Ok(Value::Map(entries))
            }
            Type::Object(attributes) => {
                let length = self.map_length()?;
                if length != attributes.len() {
                    return Err(DecodeError::new(format!(
                        "an object with {} attributes is required ({length} given)",
                        attributes.len()
                    )));
                }
                let mut entries = BTreeMap::new();
                for _ in 0..length {
                    let name = self.string()?;
                    let Some(attribute_type) = attributes.get(&name) else {
                        return Err(DecodeError::new(format!("unsupported attribute {name:?}")));
                    };
                    let value = self
                        .value(attribute_type)
                        .map_err(|e| e.at(format!(".{name}")))?;
                    if entries.insert(name.clone(), value).is_some() {
                        return Err(DecodeError::new(format!("duplicate attribute {name:?}")));
                    }
                }
                Ok(Value::Object(entries))
            }
            Type::Dynamic => {
                if self.array_length()? != 2 {
                    return Err(DecodeError::new(
                        "a dynamic value must be a [type, value] pair",
                    ));
                }
                let type_json = self.bytes_or_string()?;
                let concrete = Type::from_json(type_json)
                    .map_err(|e| DecodeError::new(format!("dynamic value type: {e}")))?;
                self.value(&concrete)
            }
        }
    }

    fn elements(&mut self, element: &Type) -> Result<Vec<Value>, DecodeError> {
        let length = self.array_length()?;
        // Never trust the declared length for allocation: each element takes at least a byte.
        let mut items = Vec::with_capacity(length.min(self.bytes.len() - self.position));
        for index in 0..length {
            items.push(
                self.value(element)
                    .map_err(|e| e.at(format!("[{index}]")))?,
            );
        }
        Ok(items)
    }

    fn array_length(&mut self) -> Result<usize, DecodeError> {
        match Marker::from_u8(self.byte()?) {
            Marker::FixArray(length) => Ok(length.into()),
            Marker::Array16 => self.u16(),
            Marker::Array32 => self.u32(),
            other => Err(unexpected("array", other)),
        }
    }

    fn map_length(&mut self) -> Result<usize, DecodeError> {
        match Marker::from_u8(self.byte()?) {
            Marker::FixMap(length) => Ok(length.into()),
            Marker::Map16 => self.u16(),
            Marker::Map32 => self.u32(),
            other => Err(unexpected("map", other)),
        }
    }

    fn bytes_or_string(&mut self) -> Result<&'a [u8], DecodeError> {
        let length = match Marker::from_u8(self.byte()?) {
            Marker::FixStr(length) => length.into(),
            Marker::Str8 | Marker::Bin8 => self.byte()?.into(),
            Marker::Str16 | Marker::Bin16 => self.u16()?,
            Marker::Str32 | Marker::Bin32 => self.u32()?,
            other => return Err(unexpected("string", other)),
        };
        self.take(length)
    }

    fn string(&mut self) -> Result<String, DecodeError> {
        let bytes = self.bytes_or_string()?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| DecodeError::new("string is not valid UTF-8"))
    }

    fn number(&mut self) -> Result<Number, DecodeError> {
        let marker = Marker::from_u8(self.byte()?);
        let number = match marker {
            Marker::FixPos(n) => Number::from(i64::from(n)),
            Marker::FixNeg(n) => Number::from(i64::from(n)),
            Marker::U8 => Number::from(i64::from(self.byte()?)),
            Marker::U16 => Number::from(i64::from(u16::from_be_bytes(self.be()?))),
            Marker::U32 => Number::from(i64::from(u32::from_be_bytes(self.be()?))),
            Marker::U64 => Number::from(u64::from_be_bytes(self.be()?)),
            Marker::I8 => Number::from(i64::from(i8::from_be_bytes(self.be()?))),
            Marker::I16 => Number::from(i64::from(i16::from_be_bytes(self.be()?))),
            Marker::I32 => Number::from(i64::from(i32::from_be_bytes(self.be()?))),
            Marker::I64 => Number::from(i64::from_be_bytes(self.be()?)),
            Marker::F32 => float(f64::from(f32::from_be_bytes(self.be()?)))?,
            Marker::F64 => float(f64::from_be_bytes(self.be()?))?,
            Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => {
                self.position -= 1;
                let text = self.string()?;
                text.parse()
                    .map_err(|e| DecodeError::new(format!("number string: {e}")))?
            }
            other => return Err(unexpected("number", other)),
        };
        Ok(number)
    }
}

fn float(value: f64) -> Result<Number, DecodeError> {
    Number::from_f64(value).ok_or_else(|| DecodeError::new("NaN is not a valid number"))
}

fn unexpected(expected: &str, found: Marker) -> DecodeError {
    DecodeError::new(format!(
        "expected {expected}, found msgpack marker {found:?}"
    ))
}

fn write_error<E: std::fmt::Debug>(error: E) -> EncodeError {
    EncodeError::new(format!("msgpack write failed: {error:?}"))
}

fn length(items: usize) -> Result<u32, EncodeError> {
    u32::try_from(items).map_err(|_| EncodeError::new("collection too large for msgpack"))
}

fn write_value(out: &mut Vec<u8>, value: &Value, ty: &Type) -> Result<(), EncodeError> {
    match (value, ty) {
        (Value::Null, _) => rmp::encode::write_nil(out).map_err(write_error),
        // Plain (unrefined) unknown: fixext1, type 0, one zero byte.
        (Value::Unknown, _) => {
            out.extend_from_slice(&[0xd4, 0x00, 0x00]);
            Ok(())
        }
        (_, Type::Dynamic) => {
            let concrete = infer_type(value);
            rmp::encode::write_array_len(out, 2).map_err(write_error)?;
            rmp::encode::write_bin(out, &concrete.to_json_bytes()).map_err(write_error)?;
            write_value(out, value, &concrete)
        }
        (Value::String(text), Type::String) => {
            rmp::encode::write_str(out, text).map_err(write_error)
        }
        (Value::Bool(flag), Type::Bool) => rmp::encode::write_bool(out, *flag).map_err(write_error),
        (Value::Number(number), Type::Number) => write_number(out, number),
        (Value::List(items), Type::List(element)) | (Value::Set(items), Type::Set(element)) => {
            rmp::encode::write_array_len(out, length(items.len())?).map_err(write_error)?;
            for (index, item) in items.iter().enumerate() {
                write_value(out, item, element).map_err(|e| e.at(format!("[{index}]")))?;
            }
            Ok(())
        }
        (Value::Tuple(items), Type::Tuple(elements)) => {
            if items.len() != elements.len() {
                return Err(EncodeError::new(format!(
                    "tuple has {} elements, type wants {}",
                    items.len(),
                    elements.len()
                )));
            }
            rmp::encode::write_array_len(out, length(items.len())?).map_err(write_error)?;
            for (index, (item, element)) in items.iter().zip(elements).enumerate() {
                write_value(out, item, element).map_err(|e| e.at(format!("[{index}]")))?;
            }
            Ok(())
        }
        (Value::Map(entries), Type::Map(element)) => {
            rmp::encode::write_map_len(out, length(entries.len())?).map_err(write_error)?;
            for (key, item) in entries {
                rmp::encode::write_str(out, key).map_err(write_error)?;
                write_value(out, item, element).map_err(|e| e.at(format!("[{key:?}]")))?;
            }
            Ok(())
        }
        (Value::Object(entries), Type::Object(attributes)) => {
            if let Some(extra) = entries.keys().find(|name| !attributes.contains_key(*name)) {
                return Err(EncodeError::new(format!("unsupported attribute {extra:?}")));
            }
            rmp::encode::write_map_len(out, length(attributes.len())?).map_err(write_error)?;
            for (name, attribute_type) in attributes {
                rmp::encode::write_str(out, name).map_err(write_error)?;
                let item = entries.get(name).unwrap_or(&Value::Null);
                write_value(out, item, attribute_type).map_err(|e| e.at(format!(".{name}")))?;
            }
            Ok(())
        }
        (value, ty) => Err(EncodeError::new(format!(
            "{} value does not conform to type {ty}",
            kind(value)
        ))),
    }
}

/// cty's rule: int when exact in i64, float64 when exact, otherwise decimal text.
fn write_number(out: &mut Vec<u8>, number: &Number) -> Result<(), EncodeError> {
    if let Some(integer) = number.to_i64() {
        rmp::encode::write_sint(out, integer).map_err(write_error)?;
    } else if let Some(float) = number.to_exact_f64() {
        rmp::encode::write_f64(out, float).map_err(write_error)?;
    } else {
        rmp::encode::write_str(out, &number.to_string()).map_err(write_error)?;
    }
    Ok(())
}

pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Unknown => "unknown",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::List(_) => "list",
        Value::Set(_) => "set",
        Value::Map(_) => "map",
        Value::Object(_) => "object",
        Value::Tuple(_) => "tuple",
    }
}

/// The concrete type of a value held by a dynamic attribute. Collections take the type of their
/// first element that has one (an empty or all-null collection is of dynamic elements).
pub(crate) fn infer_type(value: &Value) -> Type {
    let element_type = |items: &mut dyn Iterator<Item = &Value>| {
        items
            .filter(|item| !item.is_null() && !item.is_unknown())
            .map(infer_type)
            .next()
            .unwrap_or(Type::Dynamic)
    };
    match value {
        Value::Null | Value::Unknown => Type::Dynamic,
        Value::String(_) => Type::String,
        Value::Number(_) => Type::Number,
        Value::Bool(_) => Type::Bool,
        Value::List(items) => Type::list(element_type(&mut items.iter())),
        Value::Set(items) => Type::set(element_type(&mut items.iter())),
        Value::Map(entries) => Type::map(element_type(&mut entries.values())),
        Value::Object(entries) => Type::Object(
            entries
                .iter()
                .map(|(name, item)| (name.clone(), infer_type(item)))
                .collect(),
        ),
        Value::Tuple(items) => Type::Tuple(items.iter().map(infer_type).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_trip(value: &Value, ty: &Type) -> Value {
        let bytes = encode_msgpack(value, ty).unwrap();
        decode_msgpack(&bytes, ty).unwrap()
    }

    fn every_type() -> Vec<(Type, Value)> {
        let object_type = Type::object([
            ("s", Type::String),
            ("n", Type::Number),
            ("b", Type::Bool),
            ("l", Type::list(Type::String)),
        ]);
        let object_value = Value::object([
            ("s", Value::from("x")),
            ("n", Value::from(5)),
            ("b", Value::Bool(false)),
            (
                "l",
                Value::List(vec![Value::from("a"), Value::Null, Value::Unknown]),
            ),
        ]);
        vec![
            (Type::String, Value::from("héllo")),
            (Type::Number, Value::from(-12)),
            (Type::Bool, Value::Bool(true)),
            (
                Type::list(Type::Number),
                Value::List(vec![Value::from(1), Value::Null, Value::Unknown]),
            ),
            (
                Type::set(Type::String),
                Value::Set(vec![Value::from("a"), Value::Unknown]),
            ),
            (
                Type::map(Type::Bool),
                Value::map([
                    ("k", Value::Bool(true)),
                    ("u", Value::Unknown),
                    ("n", Value::Null),
                ]),
            ),
            (
                Type::Tuple(vec![Type::String, Type::Number]),
                Value::Tuple(vec![Value::Unknown, Value::Null]),
            ),
            (object_type.clone(), object_value.clone()),
            (
                Type::list(object_type.clone()),
                Value::List(vec![object_value.clone(), Value::Null, Value::Unknown]),
            ),
            (
                Type::map(Type::list(object_type)),
                Value::map([("x", Value::List(vec![object_value]))]),
            ),
            (
                Type::Dynamic,
                Value::object([
                    ("a", Value::from("x")),
                    ("b", Value::List(vec![Value::from(1)])),
                ]),
            ),
            (
                Type::object([("d", Type::Dynamic)]),
                Value::object([("d", Value::from(true))]),
            ),
            (
                Type::object([("d", Type::Dynamic)]),
                Value::object([("d", Value::Unknown)]),
            ),
        ]
    }

    #[test]
    fn every_type_round_trips_with_null_and_unknown_everywhere() {
        for (ty, value) in every_type() {
            assert_eq!(round_trip(&value, &ty), value, "type {ty}");
            assert_eq!(round_trip(&Value::Null, &ty), Value::Null, "null {ty}");
            assert_eq!(
                round_trip(&Value::Unknown, &ty),
                Value::Unknown,
                "unknown {ty}"
            );
        }
    }

    #[test]
    fn unknown_is_fixext1_type_zero_and_null_is_nil() {
        assert_eq!(
            encode_msgpack(&Value::Unknown, &Type::String).unwrap(),
            [0xd4, 0, 0]
        );
        assert_eq!(
            encode_msgpack(&Value::Null, &Type::Dynamic).unwrap(),
            [0xc0]
        );
        assert_eq!(decode_msgpack(&[], &Type::String).unwrap(), Value::Null);
    }

    #[test]
    fn refined_unknowns_are_tolerated() {
        // ext8, 7 bytes, type 12: {1: false, 2: "ab"} (not null, prefix "ab").
        let refined = [0xc7, 0x07, 0x0c, 0x82, 0x01, 0xc2, 0x02, 0xa2, b'a', b'b'];
        assert_eq!(
            decode_msgpack(&refined, &Type::String).unwrap(),
            Value::Unknown
        );
        let mut in_list = vec![0x92, 0xa1, b'x'];
        in_list.extend_from_slice(&refined);
        assert_eq!(
            decode_msgpack(&in_list, &Type::list(Type::String)).unwrap(),
            Value::List(vec![Value::from("x"), Value::Unknown])
        );
        // fixext4 refined unknown as a whole object.
        let whole = [0xd6, 0x0c, 0x81, 0x01, 0xc2, 0x00];
        assert_eq!(
            decode_msgpack(&whole, &Type::object([("a", Type::String)])).unwrap(),
            Value::Unknown
        );
    }

    #[test]
    fn numbers_round_trip_exactly_with_cty_encodings() {
        for text in [
            "0.1",
            "1e400",
            "123456789012345678901234567890.5",
            "0.5",
            "-3",
            "9223372036854775807",
            "18446744073709551615",
        ] {
            let number: Number = text.parse().unwrap();
            let value = Value::Number(number);
            assert_eq!(round_trip(&value, &Type::Number), value, "{text}");
        }
        assert_eq!(
            encode_msgpack(&Value::from(1), &Type::Number).unwrap(),
            [0x01]
        );
        assert_eq!(
            encode_msgpack(&Value::Number("0.5".parse().unwrap()), &Type::Number).unwrap()[0],
            0xcb
        );
        assert_eq!(
            encode_msgpack(&Value::Number("0.1".parse().unwrap()), &Type::Number).unwrap(),
            b"\xa30.1"
        );
        // Terraform's other spellings: uint64, float32, infinity.
        assert_eq!(
            decode_msgpack(&[0xcf, 0, 0, 0, 0, 0, 0, 0, 7], &Type::Number).unwrap(),
            Value::from(7)
        );
        assert_eq!(
            decode_msgpack(&[0xca, 0x3f, 0xc0, 0, 0], &Type::Number).unwrap(),
            Value::Number("1.5".parse().unwrap())
        );
        let infinity =
            encode_msgpack(&Value::Number(Number::positive_infinity()), &Type::Number).unwrap();
        assert_eq!(
            decode_msgpack(&infinity, &Type::Number).unwrap(),
            Value::Number(Number::positive_infinity())
        );
    }

    #[test]
    fn malformed_input_is_an_error() {
        let object = Type::object([("a", Type::String), ("b", Type::String)]);
        let cases: Vec<(Vec<u8>, Type)> = vec![
            (vec![0x81, 0xa1, b'a', 0xa1, b'x'], object.clone()), // missing attribute
            (
                vec![0x82, 0xa1, b'a', 0xc0, 0xa1, b'z', 0xc0],
                object.clone(),
            ), // unknown attribute
            (vec![0x82, 0xa1, b'a', 0xc0, 0xa1, b'a', 0xc0], object), // duplicate
            (vec![0xa5, b'a'], Type::String),                     // truncated
            (vec![0xc3], Type::String),                           // wrong kind
            (vec![0xa2, 0xff, 0xfe], Type::String),               // invalid UTF-8
            (vec![0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0], Type::Number), // NaN
            (vec![0xa3, b'a', b'b', b'c'], Type::Number),         // non-numeric text
            (vec![0xdd, 0xff, 0xff, 0xff, 0xff], Type::list(Type::Bool)), // huge length
            (vec![0xc0, 0xc0], Type::String),                     // trailing bytes
            (
                vec![0x92, 0xa4, b'b', b'o', b'o', b'm', 0xc0],
                Type::Dynamic,
            ), // bad type JSON
        ];
        for (bytes, ty) in cases {
            assert!(decode_msgpack(&bytes, &ty).is_err(), "{bytes:x?} as {ty}");
        }
    }

    #[test]
    fn encoding_fills_missing_attributes_and_rejects_mismatches() {
        let ty = Type::object([("a", Type::String), ("b", Type::Number)]);
        let bytes = encode_msgpack(&Value::object([("a", Value::from("x"))]), &ty).unwrap();
        assert_eq!(
            decode_msgpack(&bytes, &ty).unwrap(),
            Value::object([("a", Value::from("x")), ("b", Value::Null)])
        );
        assert!(encode_msgpack(&Value::object([("zzz", Value::Null)]), &ty).is_err());
        assert!(encode_msgpack(&Value::from(1), &Type::String).is_err());
        assert!(encode_msgpack(&Value::Tuple(vec![]), &Type::Tuple(vec![Type::String])).is_err());
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            for ty in every_type().into_iter().map(|(ty, _)| ty) {
                let _ = decode_msgpack(&bytes, &ty);
            }
        }

        #[test]
        fn valid_prefix_with_random_tail_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..32)) {
            let ty = Type::object([("a", Type::list(Type::Dynamic))]);
            let mut bytes = vec![0x81, 0xa1, b'a', 0x91];
            bytes.extend(tail);
            let _ = decode_msgpack(&bytes, &ty);
        }
    }
}
