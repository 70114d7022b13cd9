//! Typed models: provider code reads a configuration, plan or state into a plain struct and
//! writes one back, instead of reaching into a [`Value`] by attribute name.
//!
//! [`model!`](macro@crate::model) declares such a struct; each field is named after its attribute, so a
//! misspelled attribute is a compile error (and `check_model` in a unit test catches a model that
//! drifted from its schema). Null and unknown stay explicit: an attribute Terraform may leave
//! null or unknown is an [`Attr<T>`], like terraform-plugin-framework's `types.String`.

use std::collections::BTreeMap;

use super::diagnostics::Diagnostics;
use super::schema::Block;
use super::types::Number;
use super::value::Value;

/// An attribute that may be null or unknown (not yet known at plan time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Attr<T> {
    /// Unset: not configured, or no value (a create's prior state has none).
    #[default]
    Null,
    /// Not known yet (validate and plan); plan it for values the provider computes on apply.
    Unknown,
    /// A known, non-null value.
    Known(T),
}

impl<T> Attr<T> {
    /// Whether the attribute is null (unset).
    pub fn is_null(&self) -> bool {
        matches!(self, Attr::Null)
    }

    /// Whether the attribute is unknown.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown)
    }

    /// Known and not null: what "the user set it" means for checks that must not fire while a
    /// value is still unknown (Terraform validates with variables unknown).
    pub fn is_known(&self) -> bool {
        matches!(self, Attr::Known(_))
    }

    /// The value when known; `None` when null or unknown.
    pub fn as_known(&self) -> Option<&T> {
        match self {
            Attr::Known(value) => Some(value),
            Attr::Null | Attr::Unknown => None,
        }
    }

    /// The value when known, taken out; `None` when null or unknown.
    pub fn into_known(self) -> Option<T> {
        match self {
            Attr::Known(value) => Some(value),
            Attr::Null | Attr::Unknown => None,
        }
    }

    /// Borrows the value, keeping null and unknown as they are.
    pub fn as_ref(&self) -> Attr<&T> {
        match self {
            Attr::Null => Attr::Null,
            Attr::Unknown => Attr::Unknown,
            Attr::Known(value) => Attr::Known(value),
        }
    }

    /// Null becomes unknown: a computed value not known yet.
    pub fn or_unknown(self) -> Attr<T> {
        match self {
            Attr::Null => Attr::Unknown,
            other => other,
        }
    }

    /// Converts a known value with `f`, keeping null and unknown as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Attr<U> {
        match self {
            Attr::Null => Attr::Null,
            Attr::Unknown => Attr::Unknown,
            Attr::Known(value) => Attr::Known(f(value)),
        }
    }
}

impl Attr<String> {
    /// The text when known; `None` when null or unknown.
    pub fn as_str(&self) -> Option<&str> {
        self.as_known().map(String::as_str)
    }
}

impl<T> From<Option<T>> for Attr<T> {
    /// `None` is null.
    fn from(option: Option<T>) -> Attr<T> {
        option.map_or(Attr::Null, Attr::Known)
    }
}

impl From<&str> for Attr<String> {
    fn from(text: &str) -> Attr<String> {
        Attr::Known(text.to_owned())
    }
}

/// A value that does not have the shape its model expects. Values the SDK hands out conform to
/// their schema, so this is a mismatch between a model and its schema: a provider bug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: expected {expected}")]
pub struct ModelError {
    /// Attribute path, outermost first (`a.b`); empty for the value itself.
    pub path: String,
    /// What the model expected there (`a string`, `an object`, ...).
    pub expected: &'static str,
}

impl ModelError {
    fn expected(expected: &'static str) -> ModelError {
        ModelError {
            path: String::new(),
            expected,
        }
    }

    /// The same error, one attribute further out.
    pub fn at(mut self, attribute: &str) -> ModelError {
        self.path = if self.path.is_empty() {
            attribute.to_owned()
        } else {
            format!("{attribute}.{}", self.path)
        };
        self
    }
}

impl From<ModelError> for Diagnostics {
    fn from(error: ModelError) -> Diagnostics {
        Diagnostics::from_error(
            "Provider model does not match its schema",
            format!("{error}. This is a bug in the provider."),
        )
    }
}

/// Reads a model (or one of its attributes) from a value.
pub trait FromValue: Sized {
    /// Reads `value`, failing when it does not have the expected shape.
    fn from_value(value: Value) -> Result<Self, ModelError>;
}

/// Writes a model (or one of its attributes) as a value.
pub trait IntoValue {
    /// The value Terraform receives for it.
    fn into_value(self) -> Value;
}

/// A struct declared with [`model!`](macro@crate::model): its attribute names, for `check_model`.
pub trait Model: FromValue + IntoValue {
    /// The attribute (and nested block) names the model reads and writes.
    const ATTRIBUTES: &'static [&'static str];
}

/// Checks that a model has exactly the attributes of a schema block (for a unit test of each
/// model: a field named differently from its attribute would always read null).
pub fn check_model<M: Model>(block: &Block) -> Result<(), String> {
    let mut schema: Vec<&str> = block.attributes.iter().map(|a| a.name.as_str()).collect();
    schema.extend(block.block_types.iter().map(|b| b.type_name.as_str()));
    schema.sort_unstable();
    let mut model = M::ATTRIBUTES.to_vec();
    model.sort_unstable();
    if schema == model {
        Ok(())
    } else {
        Err(format!(
            "model attributes {model:?} differ from schema attributes {schema:?}"
        ))
    }
}

/// Takes an attribute out of an object's attributes (absent reads as null); used by [`model!`].
#[doc(hidden)]
pub fn take_attribute<T: FromValue>(
    attributes: &mut BTreeMap<String, Value>,
    name: &str,
) -> Result<T, ModelError> {
    T::from_value(attributes.remove(name).unwrap_or(Value::Null)).map_err(|e| e.at(name))
}

/// The attributes of an object value; used by [`model!`].
#[doc(hidden)]
pub fn object_attributes(value: Value) -> Result<BTreeMap<String, Value>, ModelError> {
    match value {
        Value::Object(attributes) => Ok(attributes),
        _ => Err(ModelError::expected("an object")),
    }
}

/// The attribute name of a [`model!`](macro@crate::model) field: its own name, or the one after `as`.
#[doc(hidden)]
#[macro_export]
macro_rules! model_attribute_name {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $name:literal) => {
        $name
    };
}

/// Declares a model struct whose fields are the attributes of a schema block (field name =
/// attribute name, or `field as "name"` where the name is a Rust keyword), with [`FromValue`],
/// [`IntoValue`] and [`Model`].
#[macro_export]
macro_rules! model {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field_vis:vis $field:ident $(as $attribute:literal)? : $ty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        $vis struct $name {
            $( $(#[$field_meta])* $field_vis $field: $ty ),*
        }

        impl $crate::FromValue for $name {
            fn from_value(
                value: $crate::Value,
            ) -> ::std::result::Result<Self, $crate::ModelError> {
                let mut attributes = $crate::model::object_attributes(value)?;
                Ok($name {
                    $( $field: $crate::model::take_attribute(
                        &mut attributes,
                        $crate::model_attribute_name!($field $($attribute)?),
                    )? ),*
                })
            }
        }

        impl $crate::IntoValue for $name {
            fn into_value(self) -> $crate::Value {
                $crate::Value::Object(::std::collections::BTreeMap::from([
                    $( (
                        $crate::model_attribute_name!($field $($attribute)?).to_owned(),
                        $crate::IntoValue::into_value(self.$field),
                    ) ),*
                ]))
            }
        }

        impl $crate::Model for $name {
            const ATTRIBUTES: &'static [&'static str] =
                &[$($crate::model_attribute_name!($field $($attribute)?)),*];
        }
    };
}

impl<T: FromValue> FromValue for Attr<T> {
    fn from_value(value: Value) -> Result<Attr<T>, ModelError> {
        match value {
            Value::Null => Ok(Attr::Null),
            Value::Unknown => Ok(Attr::Unknown),
            known => T::from_value(known).map(Attr::Known),
        }
    }
}

impl<T: IntoValue> IntoValue for Attr<T> {
    fn into_value(self) -> Value {
        match self {
            Attr::Null => Value::Null,
            Attr::Unknown => Value::Unknown,
            Attr::Known(value) => value.into_value(),
        }
    }
}

/// A whole object that may be null (the prior state of a create, a state after delete); an
/// unknown object is an error.
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value) -> Result<Option<T>, ModelError> {
        match value {
            Value::Null => Ok(None),
            Value::Unknown => Err(ModelError::expected("a known value")),
            known => T::from_value(known).map(Some),
        }
    }
}

impl<T: IntoValue> IntoValue for Option<T> {
    fn into_value(self) -> Value {
        self.map_or(Value::Null, IntoValue::into_value)
    }
}

impl FromValue for String {
    fn from_value(value: Value) -> Result<String, ModelError> {
        match value {
            Value::String(text) => Ok(text),
            _ => Err(ModelError::expected("a string")),
        }
    }
}

impl IntoValue for String {
    fn into_value(self) -> Value {
        Value::String(self)
    }
}

impl FromValue for bool {
    fn from_value(value: Value) -> Result<bool, ModelError> {
        match value {
            Value::Bool(flag) => Ok(flag),
            _ => Err(ModelError::expected("a bool")),
        }
    }
}

impl IntoValue for bool {
    fn into_value(self) -> Value {
        Value::Bool(self)
    }
}

impl FromValue for Number {
    fn from_value(value: Value) -> Result<Number, ModelError> {
        match value {
            Value::Number(number) => Ok(number),
            _ => Err(ModelError::expected("a number")),
        }
    }
}

impl IntoValue for Number {
    fn into_value(self) -> Value {
        Value::Number(self)
    }
}

impl IntoValue for i64 {
    fn into_value(self) -> Value {
        Value::Number(Number::from(self))
    }
}

/// A list (or set) attribute; written back as a list.
impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(value: Value) -> Result<Vec<T>, ModelError> {
        match value {
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => items
                .into_iter()
                .enumerate()
                .map(|(index, item)| T::from_value(item).map_err(|e| e.at(&index.to_string())))
                .collect(),
            _ => Err(ModelError::expected("a list")),
        }
    }
}

impl<T: IntoValue> IntoValue for Vec<T> {
    fn into_value(self) -> Value {
        Value::List(self.into_iter().map(IntoValue::into_value).collect())
    }
}

/// A map attribute.
impl<T: FromValue> FromValue for BTreeMap<String, T> {
    fn from_value(value: Value) -> Result<BTreeMap<String, T>, ModelError> {
        match value {
            Value::Map(entries) => entries
                .into_iter()
                .map(|(key, item)| {
                    let item = T::from_value(item).map_err(|e| e.at(&key))?;
                    Ok((key, item))
                })
                .collect(),
            _ => Err(ModelError::expected("a map")),
        }
    }
}

impl<T: IntoValue> IntoValue for BTreeMap<String, T> {
    fn into_value(self) -> Value {
        Value::Map(
            self.into_iter()
                .map(|(key, item)| (key, item.into_value()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Attribute, Type};

    crate::model! {
        struct Example {
            label as "name": Attr<String>,
            count: Attr<Number>,
            tags: Attr<Vec<String>>,
            flag: bool,
        }
    }

    #[test]
    fn models_round_trip_with_null_and_unknown_explicit() {
        let value = Value::object([
            ("name", Value::from("x")),
            ("count", Value::Unknown),
            (
                "tags",
                Value::List(vec![Value::from("a"), Value::from("b")]),
            ),
            ("flag", Value::Bool(true)),
        ]);
        let model = Example::from_value(value.clone()).unwrap();
        assert_eq!(model.label.as_str(), Some("x"), "`as` names the attribute");
        assert!(model.count.is_unknown());
        assert_eq!(
            model.tags.as_known().map(Vec::len),
            Some(2),
            "lists read element by element"
        );
        assert_eq!(model.into_value(), value);
        let absent = Example::from_value(Value::object([("flag", Value::Bool(false))])).unwrap();
        assert!(absent.label.is_null(), "an absent attribute reads as null");
    }

    #[test]
    fn mismatches_name_the_attribute() {
        let error = Example::from_value(Value::object([("name", Value::Bool(true))])).unwrap_err();
        assert_eq!(error.to_string(), "name: expected a string");
        let error = Example::from_value(Value::object([(
            "tags",
            Value::List(vec![Value::Bool(true)]),
        )]))
        .unwrap_err();
        assert_eq!(error.path, "tags.0");
        assert!(Example::from_value(Value::from("x")).is_err());
        assert_eq!(Option::<Example>::from_value(Value::Null), Ok(None));
    }

    #[test]
    fn check_model_compares_attribute_names() {
        let block = crate::Block::new([
            Attribute::optional("name", Type::String),
            Attribute::optional("count", Type::Number),
            Attribute::optional("tags", Type::list(Type::String)),
            Attribute::required("flag", Type::Bool),
        ]);
        assert_eq!(check_model::<Example>(&block), Ok(()));
        let short = crate::Block::new([Attribute::optional("name", Type::String)]);
        assert!(check_model::<Example>(&short).is_err());
    }
}
