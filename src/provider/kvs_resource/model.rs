//! The typed `kestra_kvs` object (configuration, plan or state) and one key of its `entries`.
//! Terraform may leave any configured value unknown until apply, so every attribute is an
//! [`Attr`].

use std::collections::BTreeMap;

use crate::provider::validation::Address;
use crate::tfplugin::{Attr, Diagnostics, FromValue, Number, Value};

crate::model! {
    /// One key of `entries`.
    pub(crate) struct EntryModel {
        pub(crate) value: Attr<String>,
        pub(crate) kind as "type": Attr<String>,
        pub(crate) description: Attr<String>,
        pub(crate) ttl: Attr<String>,
    }
}

crate::model! {
    /// A whole `kestra_kvs` object.
    pub(crate) struct KvsModel {
        pub(crate) id: Attr<String>,
        pub(crate) tenant_id: Attr<String>,
        pub(crate) namespace: Attr<String>,
        pub(crate) prefix: Attr<String>,
        pub(crate) exclusive: Attr<bool>,
        pub(crate) entries: Attr<BTreeMap<String, EntryModel>>,
        pub(crate) max_concurrency: Attr<Number>,
    }
}

impl KvsModel {
    /// Reads an object of the schema's type; a null object (no prior state) gives an all-null
    /// model.
    pub(crate) fn read(value: Value) -> Result<KvsModel, Diagnostics> {
        Ok(Option::<KvsModel>::from_value(value)?.unwrap_or_default())
    }

    /// The namespace (and tenant) this object lives in.
    pub(crate) fn address(&self) -> Address<'_> {
        Address::namespace(&self.tenant_id, &self.namespace)
    }

    /// The known entries; empty when `entries` is null or unknown.
    pub(crate) fn known_entries(&self) -> &BTreeMap<String, EntryModel> {
        static EMPTY: BTreeMap<String, EntryModel> = BTreeMap::new();
        self.entries.as_known().unwrap_or(&EMPTY)
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
            .as_str()
            .is_none_or(|prefix| key.starts_with(prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::kvs_resource::schema::schema;
    use crate::tfplugin::{FromValue, IntoValue, Value, check_model};

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
        let model = KvsModel::from_value(object.clone()).unwrap();
        assert_eq!(model.namespace.as_str(), Some("company.team"));
        assert!(model.exclusive.is_unknown());
        assert_eq!(model.known_entries().len(), 2);
        assert!(model.known_entries()["a"].kind.is_unknown());
        assert_eq!(model.into_value(), object);

        let unknown_map = KvsModel {
            entries: Attr::Unknown,
            ..KvsModel::default()
        };
        assert!(unknown_map.known_entries().is_empty());
        assert!(unknown_map.into_value().get("entries").is_unknown());
    }

    #[test]
    fn models_match_the_schema() {
        let schema = schema();
        assert_eq!(check_model::<KvsModel>(&schema.block), Ok(()));
        let entries = schema
            .block
            .attribute("entries")
            .and_then(|a| a.nested.as_ref());
        let names: Vec<&str> = entries
            .map(|nested| nested.attributes.iter().map(|a| a.name.as_str()).collect())
            .unwrap_or_default();
        let mut expected = <EntryModel as crate::tfplugin::Model>::ATTRIBUTES.to_vec();
        expected.sort_unstable();
        let mut names = names;
        names.sort_unstable();
        assert_eq!(names, expected);
    }
}
