//! The typed `kestra_kvs` object (configuration, plan or state) and the effective entry of one
//! key. Terraform may leave any configured value unknown until apply, so every attribute (and
//! every map element) is an [`Attr`].
//!
//! The schema spells a key across four maps of strings (`values`, `types`, `descriptions`,
//! `ttls`); everything that decides what to write or compare works on [`EntryModel`], the key as
//! one record with its type resolved (named in `types`, else inferred from the text as for
//! `kestra_kv`). The helpers here move keys between the two without touching the spelling of
//! other keys, so a state holds exactly what was planned.

use std::collections::BTreeMap;

use crate::validation::Address;
use kestra_kv_client::KvType;
use terraform_plugin_sdk::{Attr, Diagnostics, FromValue, Number, Value};

/// A map of strings whose elements may be unknown.
pub(crate) type StringMap = Attr<BTreeMap<String, Attr<String>>>;

/// One key as it is written: its text, its type (resolved), description and ttl.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct EntryModel {
    pub(crate) value: Attr<String>,
    pub(crate) kind: Attr<String>,
    pub(crate) description: Attr<String>,
    pub(crate) ttl: Attr<String>,
}

terraform_plugin_sdk::model! {
    /// A whole `kestra_kvs` object.
    pub(crate) struct KvsModel {
        pub(crate) id: Attr<String>,
        pub(crate) tenant_id: Attr<String>,
        pub(crate) namespace: Attr<String>,
        pub(crate) prefix: Attr<String>,
        pub(crate) exclusive: Attr<bool>,
        pub(crate) values: StringMap,
        pub(crate) types: StringMap,
        pub(crate) descriptions: StringMap,
        pub(crate) ttls: StringMap,
        pub(crate) max_concurrency: Attr<Number>,
    }
}

/// The element `key` of `map`: null when the map is null or lacks it, unknown when the map is.
pub(crate) fn element(map: &StringMap, key: &str) -> Attr<String> {
    match map {
        Attr::Known(elements) => elements.get(key).cloned().unwrap_or(Attr::Null),
        Attr::Unknown => Attr::Unknown,
        Attr::Null => Attr::Null,
    }
}

/// Sets (or, for null, removes) the element `key` of `map`; a null map becomes a map.
fn put(map: &mut StringMap, key: &str, item: Attr<String>) {
    match (map.as_known().is_some(), item) {
        (true, Attr::Null) => {
            if let Attr::Known(elements) = map {
                elements.remove(key);
            }
        }
        (false, Attr::Null) => {}
        (true, item) => {
            if let Attr::Known(elements) = map {
                elements.insert(key.to_string(), item);
            }
        }
        (false, item) => *map = Attr::Known(BTreeMap::from([(key.to_string(), item)])),
    }
}

/// The type of a key: named in `types`, else inferred from its text (unknown while either is).
pub(crate) fn resolved_kind(named: Attr<String>, value: &Attr<String>) -> Attr<String> {
    match (named, value) {
        (Attr::Null, Attr::Known(text)) => Attr::Known(KvType::infer(text).to_string()),
        (Attr::Null, _) => Attr::Unknown,
        (named, _) => named,
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

    /// The keys of `values`; none when it is null or unknown.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &String> {
        self.values.as_known().into_iter().flat_map(BTreeMap::keys)
    }

    /// Whether `values` holds `key`.
    pub(crate) fn has_key(&self, key: &str) -> bool {
        self.values.as_known().is_some_and(|v| v.contains_key(key))
    }

    /// The effective entry of `key`, if `values` holds it.
    pub(crate) fn entry(&self, key: &str) -> Option<EntryModel> {
        let value = self.values.as_known()?.get(key)?.clone();
        Some(EntryModel {
            kind: resolved_kind(element(&self.types, key), &value),
            value,
            description: element(&self.descriptions, key),
            ttl: element(&self.ttls, key),
        })
    }

    /// Every key of `values` with its effective entry.
    pub(crate) fn entries(&self) -> BTreeMap<String, EntryModel> {
        self.keys()
            .filter_map(|key| Some((key.clone(), self.entry(key)?)))
            .collect()
    }

    /// Records `entry` for `key` (read from the server): its text and description; its type in
    /// `types` only when `types` already names the key or the text would infer another one;
    /// its ttl as given.
    pub(crate) fn set_entry(&mut self, key: &str, entry: &EntryModel) {
        put(&mut self.values, key, entry.value.clone());
        let infers_kind = entry
            .value
            .as_str()
            .map(|text| KvType::infer(text).to_string())
            == entry.kind.as_str().map(str::to_string);
        if !infers_kind || !element(&self.types, key).is_null() {
            put(&mut self.types, key, entry.kind.clone());
        }
        put(&mut self.descriptions, key, entry.description.clone());
        put(&mut self.ttls, key, entry.ttl.clone());
    }

    /// Spells `key` exactly as `source` does (absent from every map when `source` lacks it).
    pub(crate) fn copy_key_from(&mut self, key: &str, source: &KvsModel) {
        put(&mut self.values, key, element(&source.values, key));
        put(&mut self.types, key, element(&source.types, key));
        put(
            &mut self.descriptions,
            key,
            element(&source.descriptions, key),
        );
        put(&mut self.ttls, key, element(&source.ttls, key));
    }

    /// Keeps only the keys `keep` says yes to, in every map.
    pub(crate) fn retain_keys(&mut self, keep: impl Fn(&str) -> bool) {
        for map in [
            &mut self.values,
            &mut self.types,
            &mut self.descriptions,
            &mut self.ttls,
        ] {
            if let Attr::Known(elements) = map {
                elements.retain(|key, _| keep(key));
            }
        }
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
    use crate::kvs_resource::schema::schema;
    use terraform_plugin_sdk::{IntoValue, check_model};

    fn known(text: &str) -> Attr<String> {
        Attr::Known(text.to_string())
    }

    fn map(pairs: &[(&str, &str)]) -> StringMap {
        Attr::Known(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), known(v)))
                .collect(),
        )
    }

    #[test]
    fn values_round_trip_through_the_model_with_unknowns_kept() {
        let mut object = schema().null_object();
        object.set("namespace", Value::string("company.team"));
        object.set("exclusive", Value::Unknown);
        object.set("max_concurrency", Value::from(4));
        object.set(
            "values",
            Value::map([("a", Value::string("1")), ("b", Value::Unknown)]),
        );
        object.set("types", Value::Unknown);
        object.set("ttls", Value::map([("a", Value::string("PT1H"))]));
        let model = KvsModel::from_value(object.clone()).unwrap();
        assert_eq!(model.namespace.as_str(), Some("company.team"));
        assert!(model.exclusive.is_unknown());
        let entries = model.entries();
        assert_eq!(entries.len(), 2);
        assert!(entries["a"].kind.is_unknown(), "types is unknown");
        assert_eq!(entries["a"].ttl, known("PT1H"));
        assert!(entries["b"].value.is_unknown());
        assert_eq!(model.into_value(), object);
    }

    #[test]
    fn entries_resolve_types_from_types_or_the_text() {
        let model = KvsModel {
            values: map(&[("n", "1"), ("s", "1"), ("d", "P1D")]),
            types: map(&[("s", "STRING")]),
            descriptions: map(&[("d", "a day")]),
            ..KvsModel::default()
        };
        let entries = model.entries();
        assert_eq!(entries["n"].kind, known("NUMBER"));
        assert_eq!(entries["s"].kind, known("STRING"));
        assert_eq!(entries["d"].kind, known("DURATION"));
        assert_eq!(entries["d"].description, known("a day"));
        assert!(entries["n"].description.is_null() && entries["n"].ttl.is_null());
        assert!(model.entry("absent").is_none());
    }

    #[test]
    fn keys_are_set_copied_and_dropped_in_every_map() {
        let mut state = KvsModel {
            values: map(&[("a", "1")]),
            ..KvsModel::default()
        };
        // A text whose type is inferred needs no `types` element; another one does.
        state.set_entry(
            "n",
            &EntryModel {
                value: known("2"),
                kind: known("NUMBER"),
                ..EntryModel::default()
            },
        );
        assert!(state.types.is_null());
        state.set_entry(
            "s",
            &EntryModel {
                value: known("3"),
                kind: known("STRING"),
                description: known("d"),
                ttl: Attr::Null,
            },
        );
        assert_eq!(state.types, map(&[("s", "STRING")]));
        assert_eq!(state.descriptions, map(&[("s", "d")]));

        let mut copy = KvsModel {
            values: map(&[("s", "old")]),
            types: Attr::Known(BTreeMap::new()),
            ..KvsModel::default()
        };
        copy.copy_key_from("s", &state);
        assert_eq!(copy.entry("s"), state.entry("s"));
        copy.copy_key_from("s", &KvsModel::default());
        assert!(copy.entry("s").is_none());
        assert_eq!(copy.types, Attr::Known(BTreeMap::new()), "maps stay maps");

        state.retain_keys(|key| key != "s");
        assert_eq!(state.keys().collect::<Vec<_>>(), ["a", "n"]);
        assert_eq!(state.types, Attr::Known(BTreeMap::new()));
    }

    #[test]
    fn models_match_the_schema() {
        assert_eq!(check_model::<KvsModel>(&schema().block), Ok(()));
    }
}
