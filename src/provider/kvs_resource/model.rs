//! The typed `kestra_kvs` object, converted to and from the SDK's [`Value`] here and nowhere
//! else. Terraform may leave any configured value unknown until apply, so every attribute is a
//! [`Field`].

use std::collections::BTreeMap;

use crate::tfplugin::{Number, Value};

/// A value as Terraform holds it: null, not known yet, or known.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Field<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Field<T> {
    pub(crate) fn known(&self) -> Option<&T> {
        match self {
            Field::Known(value) => Some(value),
            _ => None,
        }
    }

    pub(crate) fn is_unknown(&self) -> bool {
        matches!(self, Field::Unknown)
    }

    /// Null becomes unknown: a computed value not known yet.
    pub(crate) fn or_unknown(self) -> Field<T> {
        match self {
            Field::Null => Field::Unknown,
            other => other,
        }
    }

    /// `Known(value)` for `Some`, else null.
    pub(crate) fn from_option(value: Option<T>) -> Field<T> {
        value.map_or(Field::Null, Field::Known)
    }

    fn read(value: &Value, known: impl FnOnce(&Value) -> Option<T>) -> Field<T> {
        match value {
            Value::Null => Field::Null,
            Value::Unknown => Field::Unknown,
            other => known(other).map_or(Field::Null, Field::Known),
        }
    }

    fn write(&self, known: impl FnOnce(&T) -> Value) -> Value {
        match self {
            Field::Null => Value::Null,
            Field::Unknown => Value::Unknown,
            Field::Known(value) => known(value),
        }
    }
}

impl Field<String> {
    pub(crate) fn as_deref(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }

    fn read_string(value: &Value) -> Field<String> {
        Field::read(value, |v| v.as_str().map(str::to_string))
    }

    fn write_string(&self) -> Value {
        self.write(|text| Value::string(text.clone()))
    }
}

/// One key of `entries`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct EntryModel {
    pub(crate) value: Field<String>,
    /// The `type` attribute.
    pub(crate) kind: Field<String>,
    pub(crate) description: Field<String>,
    pub(crate) ttl: Field<String>,
}

/// A whole `kestra_kvs` object (configuration, plan or state).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct KvsModel {
    pub(crate) id: Field<String>,
    pub(crate) tenant_id: Field<String>,
    pub(crate) namespace: Field<String>,
    pub(crate) prefix: Field<String>,
    pub(crate) exclusive: Field<bool>,
    pub(crate) entries: Field<BTreeMap<String, EntryModel>>,
    pub(crate) max_concurrency: Field<Number>,
}

impl EntryModel {
    fn from_value(value: &Value) -> EntryModel {
        EntryModel {
            value: Field::read_string(value.get("value")),
            kind: Field::read_string(value.get("type")),
            description: Field::read_string(value.get("description")),
            ttl: Field::read_string(value.get("ttl")),
        }
    }

    fn to_value(&self) -> Value {
        Value::object([
            ("value", self.value.write_string()),
            ("type", self.kind.write_string()),
            ("description", self.description.write_string()),
            ("ttl", self.ttl.write_string()),
        ])
    }
}

impl KvsModel {
    /// Reads an object of the schema's type; a null object gives an all-null model.
    pub(crate) fn from_value(value: &Value) -> KvsModel {
        let entries = Field::read(value.get("entries"), |entries| {
            entries.as_entries().map(|entries| {
                entries
                    .iter()
                    .map(|(key, entry)| (key.clone(), EntryModel::from_value(entry)))
                    .collect()
            })
        });
        KvsModel {
            id: Field::read_string(value.get("id")),
            tenant_id: Field::read_string(value.get("tenant_id")),
            namespace: Field::read_string(value.get("namespace")),
            prefix: Field::read_string(value.get("prefix")),
            exclusive: Field::read(value.get("exclusive"), Value::as_bool),
            entries,
            max_concurrency: Field::read(value.get("max_concurrency"), |v| v.as_number().cloned()),
        }
    }

    pub(crate) fn to_value(&self) -> Value {
        Value::object([
            ("id", self.id.write_string()),
            ("tenant_id", self.tenant_id.write_string()),
            ("namespace", self.namespace.write_string()),
            ("prefix", self.prefix.write_string()),
            ("exclusive", self.exclusive.write(|flag| Value::Bool(*flag))),
            (
                "entries",
                self.entries.write(|entries| {
                    Value::Map(
                        entries
                            .iter()
                            .map(|(key, entry)| (key.clone(), entry.to_value()))
                            .collect(),
                    )
                }),
            ),
            (
                "max_concurrency",
                self.max_concurrency.write(|n| Value::Number(n.clone())),
            ),
        ])
    }

    /// The known entries; empty when `entries` is null or unknown.
    pub(crate) fn known_entries(&self) -> &BTreeMap<String, EntryModel> {
        static EMPTY: BTreeMap<String, EntryModel> = BTreeMap::new();
        self.entries.known().unwrap_or(&EMPTY)
    }

    /// `<tenant>/<namespace>` or `<tenant>/<namespace>/<prefix>*`.
    pub(crate) fn scope_id(tenant: &str, namespace: &str, prefix: Option<&str>) -> String {
        match prefix {
            Some(prefix) => format!("{tenant}/{namespace}/{prefix}*"),
            None => format!("{tenant}/{namespace}"),
        }
    }

    /// Whether `key` lies in this object's scope (its prefix, when set).
    pub(crate) fn in_scope(&self, key: &str) -> bool {
        self.prefix
            .as_deref()
            .is_none_or(|prefix| key.starts_with(prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::kvs_resource::schema::schema;

    #[test]
    fn values_round_trip_through_the_model_with_unknowns_kept() {
        let mut object = schema().null_object();
        object.set("namespace", Value::string("company.team"));
        object.set("exclusive", Value::Unknown);
        object.set("max_concurrency", Value::from(4));
        object.set(
            "entries",
            Value::map([
                (
                    "a",
                    Value::object([
                        ("value", Value::string("1")),
                        ("type", Value::Unknown),
                        ("description", Value::Null),
                        ("ttl", Value::string("PT1H")),
                    ]),
                ),
                (
                    "b",
                    Value::object([
                        ("value", Value::Unknown),
                        ("type", Value::string("STRING")),
                        ("description", Value::string("d")),
                        ("ttl", Value::Null),
                    ]),
                ),
            ]),
        );
        let model = KvsModel::from_value(&object);
        assert_eq!(model.namespace.as_deref(), Some("company.team"));
        assert!(model.exclusive.is_unknown());
        assert_eq!(model.known_entries().len(), 2);
        assert!(model.known_entries()["a"].kind.is_unknown());
        assert_eq!(model.to_value(), object);

        let unknown_map = KvsModel {
            entries: Field::Unknown,
            ..KvsModel::default()
        };
        assert!(unknown_map.known_entries().is_empty());
        assert!(unknown_map.to_value().get("entries").is_unknown());
    }
}
