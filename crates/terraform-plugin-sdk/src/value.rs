//! Terraform values (cty values without marks) and the helpers provider code uses.

use std::collections::BTreeMap;

pub use super::types::{Number, Type};

/// A cty value. Null and unknown are typeless here: the [`Type`] travels separately (schemas),
/// and a value of dynamic type is held as its concrete value (its type is inferred on encoding).
#[derive(Debug, Clone, Default)]
pub enum Value {
    /// No value: an unset optional attribute, the prior state of a create, a deleted object.
    #[default]
    Null,
    /// Not known yet (validate and plan): from an unknown variable or reference, or computed on
    /// apply.
    Unknown,
    /// A known string.
    String(String),
    /// A known number.
    Number(Number),
    /// A known bool.
    Bool(bool),
    /// List elements, in order.
    List(Vec<Value>),
    /// Set elements; order is meaningless (equality ignores it).
    Set(Vec<Value>),
    /// Map entries by key.
    Map(BTreeMap<String, Value>),
    /// Object (or block) attributes by name; a value conforming to a schema has all of them.
    Object(BTreeMap<String, Value>),
    /// Tuple elements, in order.
    Tuple(Vec<Value>),
}

/// Shared null returned by [`Value::get`] for absent attributes.
static NULL: Value = Value::Null;

impl Value {
    /// A known string value.
    pub fn string(text: impl Into<String>) -> Value {
        Value::String(text.into())
    }

    /// A known number value, from an integer, a [`Number`] or a `BigDecimal`.
    pub fn number(number: impl Into<Number>) -> Value {
        Value::Number(number.into())
    }

    /// Object from `(attribute, value)` pairs.
    pub fn object<K: Into<String>>(attributes: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Object(
            attributes
                .into_iter()
                .map(|(name, value)| (name.into(), value))
                .collect(),
        )
    }

    /// Map from `(key, value)` pairs.
    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| (key.into(), value))
                .collect(),
        )
    }

    /// Whether the value is null (unset).
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether the value itself is unknown (an unknown inside a known collection is not; see
    /// [`Value::is_wholly_known`]).
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// Known and not null: what "the user set it" means for checks that must not fire while a
    /// value is still unknown (Terraform validates with variables unknown).
    pub fn is_set(&self) -> bool {
        !matches!(self, Value::Null | Value::Unknown)
    }

    /// True when no unknown appears anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                items.iter().all(Value::is_wholly_known)
            }
            Value::Map(entries) | Value::Object(entries) => {
                entries.values().all(Value::is_wholly_known)
            }
            Value::Null | Value::String(_) | Value::Number(_) | Value::Bool(_) => true,
        }
    }

    /// The text of a known string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// The flag of a known bool.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// The number of a known number.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(number) => Some(number),
            _ => None,
        }
    }

    /// Elements of a list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => Some(items),
            _ => None,
        }
    }

    /// Entries of a map or object.
    pub fn as_entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(entries) | Value::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// Attribute of an object; Null when absent or when `self` is not an object.
    pub fn get(&self, attribute: &str) -> &Value {
        match self {
            Value::Object(attributes) => attributes.get(attribute).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// Mutable attribute of an object, if present.
    pub fn get_mut(&mut self, attribute: &str) -> Option<&mut Value> {
        match self {
            Value::Object(attributes) => attributes.get_mut(attribute),
            _ => None,
        }
    }

    /// Sets an attribute on an object; returns false (and changes nothing) on a non-object.
    pub fn set(&mut self, attribute: impl Into<String>, value: Value) -> bool {
        match self {
            Value::Object(attributes) => {
                attributes.insert(attribute.into(), value);
                true
            }
            _ => false,
        }
    }
}

impl PartialEq for Value {
    /// Structural equality; sets compare as unordered collections.
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) | (Value::Unknown, Value::Unknown) => true,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => a == b,
            (Value::Set(a), Value::Set(b)) => {
                a.len() == b.len()
                    && a.iter().all(|item| b.contains(item))
                    && b.iter().all(|item| a.contains(item))
            }
            (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b)) => a == b,
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::String(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::String(text)
    }
}

impl From<bool> for Value {
    fn from(flag: bool) -> Value {
        Value::Bool(flag)
    }
}

impl From<i64> for Value {
    fn from(number: i64) -> Value {
        Value::Number(Number::from(number))
    }
}

impl From<Number> for Value {
    fn from(number: Number) -> Value {
        Value::Number(number)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    /// `None` becomes Null.
    fn from(option: Option<T>) -> Value {
        option.map_or(Value::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_read_objects() {
        let mut object = Value::object([
            ("name", Value::string("x")),
            ("flag", Value::Bool(true)),
            ("count", Value::from(3)),
            ("missing", Value::from(None::<String>)),
        ]);
        assert_eq!(object.get("name").as_str(), Some("x"));
        assert_eq!(object.get("flag").as_bool(), Some(true));
        assert_eq!(
            object.get("count").as_number().and_then(Number::to_i64),
            Some(3)
        );
        assert!(object.get("missing").is_null());
        assert!(object.get("absent").is_null());
        assert!(Value::string("s").get("anything").is_null());
        assert!(object.set("name", Value::Unknown));
        assert!(!object.is_wholly_known());
        assert!(!Value::Null.clone().set("a", Value::Null));
        if let Some(slot) = object.get_mut("name") {
            *slot = Value::from("y");
        }
        assert_eq!(object.get("name").as_str(), Some("y"));
        assert!(object.is_wholly_known());
    }

    #[test]
    fn sets_compare_unordered() {
        let a = Value::Set(vec![Value::from("a"), Value::from("b")]);
        let b = Value::Set(vec![Value::from("b"), Value::from("a")]);
        assert_eq!(a, b);
        assert_ne!(
            Value::List(vec![Value::from("a"), Value::from("b")]),
            Value::List(vec![Value::from("b"), Value::from("a")])
        );
        assert_eq!(
            Value::from(Number::from(1)),
            Value::Number("1.0".parse().unwrap())
        );
    }
}
