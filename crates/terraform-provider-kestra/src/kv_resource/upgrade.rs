//! Stored states brought up to the current schema: ours (version 1) as they are, and the
//! official Go provider's (version 0) so that an unchanged configuration plans no changes.

use std::sync::LazyLock;

use kestra_kv_client::KvType;
use terraform_plugin_sdk::{
    Attr, Diagnostics, FromValue, IntoValue, Type, UpgradeStateRequest, Value, value_from_json,
};

use super::schema::{KvModel, SCHEMA, SCHEMA_VERSION};

/// The object type of the state, computed once.
static STATE_TYPE: LazyLock<Type> = LazyLock::new(|| SCHEMA.implied_type());

pub(super) fn upgrade_state(request: UpgradeStateRequest) -> Result<Value, Diagnostics> {
    let state = value_from_json(&request.raw_json, &STATE_TYPE).map_err(|error| {
        Diagnostics::from_error("Unreadable kestra_kv state", error.to_string())
    })?;
    match request.version {
        SCHEMA_VERSION => Ok(state),
        0 => Ok(from_official_provider(KvModel::from_value(state)?).into_value()),
        other => Err(Diagnostics::from_error(
            "Unsupported kestra_kv state version",
            format!(
                "The state was written with schema version {other}, which this provider does not know (it knows 0 and {SCHEMA_VERSION})."
            ),
        )),
    }
}

fn from_official_provider(mut state: KvModel) -> KvModel {
    // The official provider stored `type` as "" when it was not configured.
    state.kind = match (state.kind.as_str(), state.value.as_str()) {
        (Some("") | None, Some(text)) => Attr::Known(KvType::infer(text).to_string()),
        (Some(kind), _) if !kind.is_empty() => Attr::Known(kind.to_uppercase()),
        _ => Attr::Null,
    };
    // Its read stored the (absent) description header as "", and an unset computed tenant may
    // be "" too: both mean "none".
    for attribute in [&mut state.description, &mut state.tenant_id] {
        if attribute.as_str() == Some("") {
            *attribute = Attr::Null;
        }
    }
    if state.id.is_null()
        && let (Some(namespace), Some(key)) = (state.namespace.as_str(), state.key.as_str())
    {
        state.id = Attr::Known(format!("{namespace}/{key}"));
    }
    state
}
