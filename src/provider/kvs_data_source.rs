//! Data source `kestra_kvs`: the keys of a namespace with their metadata (optionally those
//! inherited from parent namespaces), paged through the server transparently.

use std::collections::HashSet;
use std::sync::Arc;

use futures::TryStreamExt;
use time::OffsetDateTime;

use crate::kestra::instant::format_instant;
use crate::kestra::{Client, KvEntry, ListOptions};
use crate::tfplugin::{
    Attribute, Block, DataSource, Diagnostics, ReadDataRequest, ReadDataResponse, Schema, Type,
    Value, async_trait,
};

use super::Shared;
use super::validation::location_diagnostics;

pub(crate) struct KvsDataSource {
    shared: Arc<Shared>,
}

impl KvsDataSource {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        KvsDataSource { shared }
    }
}

fn entry_type() -> Type {
    Type::object([
        ("namespace", Type::String),
        ("key", Type::String),
        ("description", Type::String),
        ("revision", Type::Number),
        ("creation_date", Type::String),
        ("update_date", Type::String),
        ("expiration_date", Type::String),
        ("inherited", Type::Bool),
    ])
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        Block::new(vec![
            Attribute::computed("id", Type::String).description("`<tenant>/<namespace>`.").markdown(),
            Attribute::optional_computed("tenant_id", Type::String)
                .description("Tenant to list; defaults to the provider's tenant.")
                .markdown(),
            Attribute::required("namespace", Type::String).description("Namespace to list, e.g. `company.team`.").markdown(),
            Attribute::optional("prefix", Type::String).description("Keep only keys starting with this prefix.").markdown(),
            Attribute::optional("include_inherited", Type::Bool)
                .description("Also list keys inherited from parent namespaces (closest parent first; a key of the namespace itself or of a closer parent hides the same key further up). Default `false`.")
                .markdown(),
            Attribute::computed("keys", Type::list(entry_type()))
                .description("The keys, sorted by key, followed by inherited keys when asked for: `namespace`, `key`, `description`, `revision`, `creation_date`, `update_date`, `expiration_date` (RFC 3339, or Java's form after year 9999, or null) and `inherited`.")
                .markdown(),
        ])
        .description("Lists the keys of a namespace of Kestra's Key-Value store, with their metadata.")
        .markdown(),
    )
}

fn timestamp(instant: Option<OffsetDateTime>) -> Value {
    Value::from(instant.map(format_instant))
}

fn entry_value(entry: KvEntry, namespace: &str, inherited: bool) -> Value {
    Value::object([
        (
            "namespace",
            Value::string(entry.namespace.unwrap_or_else(|| namespace.to_string())),
        ),
        ("key", Value::string(entry.key)),
        ("description", Value::from(entry.description)),
        ("revision", entry.revision.map_or(Value::Null, Value::from)),
        ("creation_date", timestamp(entry.creation_date)),
        ("update_date", timestamp(entry.update_date)),
        ("expiration_date", timestamp(entry.expiration_date)),
        ("inherited", Value::Bool(inherited)),
    ])
}

async fn list_keys(
    client: &Client,
    namespace: &str,
    prefix: Option<&str>,
    include_inherited: bool,
) -> Result<Vec<Value>, crate::kestra::Error> {
    let options = ListOptions {
        prefix: prefix.map(str::to_string),
        ..ListOptions::default()
    };
    let own: Vec<KvEntry> = client.list(namespace, options).try_collect().await?;
    let mut seen: HashSet<String> = own.iter().map(|e| e.key.clone()).collect();
    let mut keys: Vec<Value> = own
        .into_iter()
        .map(|e| entry_value(e, namespace, false))
        .collect();
    if include_inherited {
        for entry in client.inherited(namespace).await? {
            let wanted = prefix.is_none_or(|p| entry.key.starts_with(p));
            if wanted && seen.insert(entry.key.clone()) {
                keys.push(entry_value(entry, namespace, true));
            }
        }
    }
    Ok(keys)
}

#[async_trait]
impl DataSource for KvsDataSource {
    fn type_name(&self) -> &'static str {
        "kestra_kvs"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate(&self, config: Value) -> Diagnostics {
        location_diagnostics(&config)
    }

    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse {
        let config = &request.config;
        let context = match self.shared.request_context(config) {
            Ok(context) => context,
            Err(diagnostics) => return ReadDataResponse::failed(diagnostics),
        };
        let client = &context.client;
        let Some(namespace) = config.get("namespace").as_str() else {
            return ReadDataResponse::failed(Diagnostics::from_error(
                "Missing namespace",
                "`namespace` is required.",
            ));
        };
        let prefix = config.get("prefix").as_str();
        let include_inherited = config.get("include_inherited").as_bool().unwrap_or(false);
        match list_keys(client, namespace, prefix, include_inherited).await {
            Ok(keys) => {
                let mut state = config.clone();
                state.set(
                    "id",
                    Value::string(format!("{}/{namespace}", client.tenant())),
                );
                state.set("tenant_id", Value::string(client.tenant()));
                state.set("keys", Value::List(keys));
                ReadDataResponse::read(state)
            }
            Err(error) => ReadDataResponse::failed(
                context.failed(&error, &format!("listing namespace {namespace:?}")),
            ),
        }
    }
}
