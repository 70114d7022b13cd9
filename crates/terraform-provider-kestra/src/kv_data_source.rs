//! Data source `kestra_kv`: reads one key with its metadata.

use std::sync::Arc;

use kestra_kv_client::instant::format_instant;
use terraform_plugin_sdk::{
    Attr, Attribute, Block, DataSource, Diagnostics, FromValue, IntoValue, Number, ReadDataRequest,
    ReadDataResponse, Schema, Type, Value, async_trait,
};

use super::Shared;
use super::validation::{Address, location_diagnostics};

terraform_plugin_sdk::model! {
    /// A `kestra_kv` data source (or ephemeral resource) configuration and result.
    pub(crate) struct KvDataModel {
        pub(crate) id: Attr<String>,
        pub(crate) tenant_id: Attr<String>,
        pub(crate) namespace: Attr<String>,
        pub(crate) key: Attr<String>,
        pub(crate) error_on_missing: Attr<bool>,
        pub(crate) kind as "type": Attr<String>,
        pub(crate) value: Attr<String>,
        pub(crate) description: Attr<String>,
        pub(crate) expiration_date: Attr<String>,
        pub(crate) revision: Attr<Number>,
    }
}

impl KvDataModel {
    pub(crate) fn address(&self) -> Address<'_> {
        Address {
            tenant_id: &self.tenant_id,
            namespace: &self.namespace,
            key: &self.key,
        }
    }
}

/// Checks the location of a configuration (the validate RPCs of the data source and the
/// ephemeral resource).
pub(crate) fn validate_config(config: Value) -> Diagnostics {
    match KvDataModel::from_value(config) {
        Ok(config) => location_diagnostics(config.address()),
        Err(error) => error.into(),
    }
}

pub(crate) struct KvDataSource {
    shared: Arc<Shared>,
}

impl KvDataSource {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        KvDataSource { shared }
    }
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        Block::new(vec![
            Attribute::computed("id", Type::String).description("`<namespace>/<key>`.").markdown(),
            Attribute::optional_computed("tenant_id", Type::String)
                .description("Tenant holding the key; defaults to the provider's tenant.")
                .markdown(),
            Attribute::required("namespace", Type::String).description("Namespace of the key.").markdown(),
            Attribute::required("key", Type::String).description("Name of the key.").markdown(),
            Attribute::optional("error_on_missing", Type::Bool)
                .description("Fail when the key does not exist (default `true`). With `false`, a missing key reads as null `value` and `type`.")
                .markdown(),
            Attribute::computed("type", Type::String)
                .description("Type Kestra reports: `STRING`, `NUMBER`, `BOOLEAN`, `DATETIME`, `DATE`, `DURATION` or `JSON`.")
                .markdown(),
            Attribute::computed("value", Type::String)
                .description("The value as text (JSON values as compact JSON, durations as Kestra renders them, e.g. `PT75H2M1S`).")
                .markdown(),
            Attribute::computed("description", Type::String).description("Description stored with the key.").markdown(),
            Attribute::computed("expiration_date", Type::String)
                .description("When the key expires (RFC 3339; after year 9999 in Java's form, e.g. `+12020-01-01T00:00:00Z`), or null.")
                .markdown(),
            Attribute::computed("revision", Type::Number)
                .description("Revision of the value, or null where the server does not report one.")
                .markdown(),
        ])
        .description("Reads a key of Kestra's Key-Value store.")
        .markdown(),
    )
}

#[async_trait]
impl DataSource for KvDataSource {
    fn type_name(&self) -> &'static str {
        "kestra_kv"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate(&self, config: Value) -> Diagnostics {
        validate_config(config)
    }

    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse {
        match read_key(&self.shared, request.config).await {
            Ok(state) => ReadDataResponse::read(state),
            Err(diagnostics) => ReadDataResponse::failed(diagnostics),
        }
    }
}

/// Reads one key as the data source and the ephemeral resource present it: the configuration
/// with `id`, `tenant_id`, `type`, `value`, `description`, `expiration_date` and `revision` set.
pub(crate) async fn read_key(shared: &Shared, config: Value) -> Result<Value, Diagnostics> {
    let mut state = KvDataModel::from_value(config)?;
    let context = shared.request_context(state.address())?;
    let client = &context.client;
    let (Some(namespace), Some(key)) = (state.namespace.as_known(), state.key.as_known()) else {
        return Err(Diagnostics::from_error(
            "Missing namespace or key",
            "Both `namespace` and `key` are required.",
        ));
    };
    let (namespace, key) = (namespace.clone(), key.clone());
    let action = format!("reading key {key:?} in namespace {namespace:?}");
    state.tenant_id = client.tenant().into();
    state.id = Attr::Known(format!("{namespace}/{key}"));

    let stored = match client.get(&namespace, &key).await {
        Ok(stored) => stored,
        Err(error) if error.is_not_found() => {
            if state.error_on_missing.as_known().copied().unwrap_or(true) {
                return Err(Diagnostics::from_error(
                    "Key not found",
                    format!(
                        "Kestra has no key {key:?} in namespace {namespace:?} (tenant {:?}), or it has expired ({error}). Set `error_on_missing = false` to read a missing key as null.",
                        client.tenant()
                    ),
                ));
            }
            state.kind = Attr::Null;
            state.value = Attr::Null;
            state.description = Attr::Null;
            state.expiration_date = Attr::Null;
            state.revision = Attr::Null;
            return Ok(state.into_value());
        }
        Err(error) => {
            return Err(context.failed(&error, &action));
        }
    };
    let entry = shared
        .metadata()
        .entry(client, &namespace, &key)
        .await
        .map_err(|error| context.failed(&error, &action))?;
    let expiration = entry
        .as_ref()
        .and_then(|e| e.expiration_date)
        .map(format_instant);
    state.kind = Attr::Known(stored.value.kind().to_string());
    state.value = Attr::Known(stored.value.to_text());
    state.description = entry.as_ref().and_then(|e| e.description.clone()).into();
    state.expiration_date = expiration.into();
    state.revision = stored
        .revision
        .or(entry.and_then(|e| e.revision))
        .map(Number::from)
        .into();
    Ok(state.into_value())
}

#[cfg(test)]
mod tests {
    use super::*;
    use terraform_plugin_sdk::check_model;

    #[test]
    fn model_matches_the_schema() {
        assert_eq!(check_model::<KvDataModel>(&schema().block), Ok(()));
    }
}
