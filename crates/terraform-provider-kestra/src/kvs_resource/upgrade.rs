//! Stored states brought up to schema version 1. Version 0 held the keys as `entries`, a map of
//! objects `{ value, type, description, ttl }`; version 1 spells them as maps of strings. The
//! upgrade keeps every text as it was and writes `types` only for keys whose type differs from
//! what their text infers, so a configuration rewritten with the documented `for` expressions
//! (or leaving `types`, `descriptions` and `ttls` out where it sets none) plans no changes.

use std::collections::BTreeMap;

use kestra_kv_client::KvType;
use terraform_plugin_sdk::{
    Attr, Diagnostics, FromValue, IntoValue, Number, Type, UpgradeStateRequest, Value,
    value_from_json,
};

use super::model::KvsModel;
use super::schema::{SCHEMA_VERSION, schema};

terraform_plugin_sdk::model! {
    /// One key of version 0's `entries`.
    struct EntryV0 {
        value: Attr<String>,
        kind as "type": Attr<String>,
        description: Attr<String>,
        ttl: Attr<String>,
    }
}

terraform_plugin_sdk::model! {
    /// A whole version 0 object.
    struct KvsV0 {
        id: Attr<String>,
        tenant_id: Attr<String>,
        namespace: Attr<String>,
        prefix: Attr<String>,
        exclusive: Attr<bool>,
        entries: Attr<BTreeMap<String, EntryV0>>,
        max_concurrency: Attr<Number>,
    }
}

/// The object type of version 0.
fn v0_type() -> Type {
    let entry = Type::object([
        ("value", Type::String),
        ("type", Type::String),
        ("description", Type::String),
        ("ttl", Type::String),
    ]);
    Type::object([
        ("id", Type::String),
        ("tenant_id", Type::String),
        ("namespace", Type::String),
        ("prefix", Type::String),
        ("exclusive", Type::Bool),
        ("entries", Type::map(entry)),
        ("max_concurrency", Type::Number),
    ])
}

pub(super) fn upgrade_state(request: &UpgradeStateRequest) -> Result<Value, Diagnostics> {
    let unreadable = |error: String| Diagnostics::from_error("Unreadable kestra_kvs state", error);
    match request.version {
        SCHEMA_VERSION => value_from_json(&request.raw_json, &schema().implied_type())
            .map_err(|error| unreadable(error.to_string())),
        0 => {
            let state = value_from_json(&request.raw_json, &v0_type())
                .map_err(|error| unreadable(error.to_string()))?;
            Ok(from_v0(KvsV0::from_value(state)?).into_value())
        }
        other => Err(Diagnostics::from_error(
            "Unsupported kestra_kvs state version",
            format!(
                "The state was written with schema version {other}, which this provider does not know (it knows 0 and {SCHEMA_VERSION}). Use the provider version that wrote it, or a newer one."
            ),
        )),
    }
}

fn from_v0(state: KvsV0) -> KvsModel {
    let entries = state.entries.into_known().unwrap_or_default();
    let mut values = BTreeMap::new();
    let mut types = BTreeMap::new();
    let mut descriptions = BTreeMap::new();
    let mut ttls = BTreeMap::new();
    for (key, entry) in entries {
        let inferred = entry.value.as_str().map(|t| KvType::infer(t).to_string());
        if let Some(kind) = entry.kind.as_str()
            && inferred.as_deref() != Some(kind)
        {
            types.insert(key.clone(), entry.kind.clone());
        }
        if !entry.description.is_null() {
            descriptions.insert(key.clone(), entry.description);
        }
        if !entry.ttl.is_null() {
            ttls.insert(key.clone(), entry.ttl);
        }
        values.insert(key, entry.value);
    }
    KvsModel {
        id: state.id,
        tenant_id: state.tenant_id,
        namespace: state.namespace,
        prefix: state.prefix,
        exclusive: state.exclusive,
        values: Attr::Known(values),
        types: Attr::Known(types),
        descriptions: Attr::Known(descriptions),
        ttls: Attr::Known(ttls),
        max_concurrency: state.max_concurrency,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn known(text: &str) -> Attr<String> {
        Attr::Known(text.to_string())
    }

    #[test]
    fn version_zero_entries_become_maps_of_strings() {
        let raw_json = json!({
            "id": "main/company.team",
            "tenant_id": "main",
            "namespace": "company.team",
            "prefix": null,
            "exclusive": false,
            "max_concurrency": 16,
            "entries": {
                "n": { "value": "1.0", "type": "NUMBER", "description": null, "ttl": null },
                "s": { "value": "1", "type": "STRING", "description": "text", "ttl": "PT1H" },
                "j": { "value": "{\"a\":1}", "type": "JSON", "description": null, "ttl": null }
            }
        });
        let upgraded = upgrade_state(&UpgradeStateRequest {
            version: 0,
            raw_json,
        })
        .unwrap();
        let model = KvsModel::from_value(upgraded).unwrap();
        assert_eq!(model.id, known("main/company.team"));
        assert_eq!(model.keys().collect::<Vec<_>>(), ["j", "n", "s"]);
        assert_eq!(
            model.entry("n").unwrap().value,
            known("1.0"),
            "texts kept as written"
        );
        let types = model.types.as_known().unwrap();
        assert_eq!(
            types.len(),
            1,
            "only types that differ from inference: {types:?}"
        );
        assert_eq!(model.entry("s").unwrap().kind, known("STRING"));
        assert_eq!(model.entry("s").unwrap().description, known("text"));
        assert_eq!(model.entry("s").unwrap().ttl, known("PT1H"));
        assert_eq!(model.descriptions.as_known().map(BTreeMap::len), Some(1));
        assert_eq!(model.max_concurrency, Attr::Known(Number::from(16)));
        for key in ["n", "j"] {
            assert!(model.entry(key).unwrap().kind.is_known(), "{key}");
        }
    }

    #[test]
    fn current_states_pass_and_unknown_versions_are_refused() {
        let raw_json = json!({ "namespace": "a", "values": { "k": "v" } });
        let same = upgrade_state(&UpgradeStateRequest {
            version: 1,
            raw_json,
        })
        .unwrap();
        assert_eq!(KvsModel::from_value(same).unwrap().keys().count(), 1);
        let error = upgrade_state(&UpgradeStateRequest {
            version: 7,
            raw_json: json!({}),
        })
        .unwrap_err();
        assert!(error.iter().any(|d| d.detail.contains("version 7")));
        let error = upgrade_state(&UpgradeStateRequest {
            version: 0,
            raw_json: json!({ "entries": "nope" }),
        })
        .unwrap_err();
        assert!(
            error
                .iter()
                .any(|d| d.summary == "Unreadable kestra_kvs state")
        );
    }
}
