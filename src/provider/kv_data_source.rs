//! Data source `kestra_kv` (contract §4): reads one key with its metadata.

use std::sync::Arc;

use crate::kestra::instant::format_instant;
use crate::tfplugin::{
    Attribute, Block, DataSource, Diagnostics, ReadDataRequest, ReadDataResponse, Schema, Type,
    Value, async_trait,
};

use super::Shared;
use super::validation::location_diagnostics;

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
        location_diagnostics(&config)
    }

    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse {
        match read_key(&self.shared, &request.config).await {
            Ok(state) => ReadDataResponse::read(state),
            Err(diagnostics) => ReadDataResponse::failed(diagnostics),
        }
    }
}

/// Reads one key as the data source and the ephemeral resource present it: the config object
/// with `id`, `tenant_id`, `type`, `value`, `description`, `expiration_date` and `revision` set.
pub(crate) async fn read_key(shared: &Shared, config: &Value) -> Result<Value, Diagnostics> {
    let context = shared.request_context(config)?;
    let client = &context.client;
    let mut diagnostics = Diagnostics::default();
    let (Some(namespace), Some(key)) =
        (config.get("namespace").as_str(), config.get("key").as_str())
    else {
        diagnostics.error(
            "Missing namespace or key",
            "Both `namespace` and `key` are required.",
        );
        return Err(diagnostics);
    };
    let action = format!("reading key {key:?} in namespace {namespace:?}");
    let mut state = config.clone();
    state.set("tenant_id", Value::string(client.tenant().to_string()));
    state.set("id", Value::string(format!("{namespace}/{key}")));

    let stored = match client.get(namespace, key).await {
        Ok(stored) => Some(stored),
        Err(error) if error.is_not_found() => {
            if config.get("error_on_missing").as_bool().unwrap_or(true) {
                diagnostics.error(
                    "Key not found",
                    format!("Kestra has no key {key:?} in namespace {namespace:?} (tenant {:?}), or it has expired ({error}). Set `error_on_missing = false` to read a missing key as null.", client.tenant()),
                );
                return Err(diagnostics);
            }
            None
        }
        Err(error) => {
            return Err(context.failed(&error, &action));
        }
    };
    let Some(stored) = stored else {
        for attribute in [
            "type",
            "value",
            "description",
            "expiration_date",
            "revision",
        ] {
            state.set(attribute, Value::Null);
        }
        return Ok(state);
    };
    let entry = match shared.metadata().entry(client, namespace, key).await {
        Ok(entry) => entry,
        Err(error) => {
            return Err(context.failed(&error, &action));
        }
    };
    let expiration = entry
        .as_ref()
        .and_then(|e| e.expiration_date)
        .map(format_instant);
    state.set("type", Value::string(stored.value.kind().to_string()));
    state.set("value", Value::string(stored.value.to_text()));
    state.set(
        "description",
        Value::from(entry.as_ref().and_then(|e| e.description.clone())),
    );
    state.set("expiration_date", Value::from(expiration));
    state.set(
        "revision",
        stored
            .revision
            .or(entry.and_then(|e| e.revision))
            .map_or(Value::Null, |r| Value::Number(r.into())),
    );
    Ok(state)
}
