//! Data source `kestra_kvs`: the keys of a namespace with their metadata (optionally those
//! inherited from parent namespaces), paged through the server transparently.

use std::collections::HashSet;
use std::sync::Arc;

use futures::TryStreamExt;
use time::OffsetDateTime;

use kestra_kv_client::instant::format_instant;
use kestra_kv_client::{Client, KvEntry, ListOptions};
use terraform_plugin_sdk::{
    Attr, Attribute, Block, DataSource, Diagnostics, FromValue, IntoValue, Number, ReadDataRequest,
    ReadDataResponse, Schema, Type, Value, async_trait,
};

use super::Shared;
use super::validation::{Address, location_diagnostics};

terraform_plugin_sdk::model! {
    /// A `kestra_kvs` configuration and result.
    struct KvsModel {
        id: Attr<String>,
        tenant_id: Attr<String>,
        namespace: Attr<String>,
        prefix: Attr<String>,
        include_inherited: Attr<bool>,
        keys: Attr<Vec<KvsEntry>>,
    }
}

terraform_plugin_sdk::model! {
    /// One listed key.
    struct KvsEntry {
        namespace: String,
        key: String,
        description: Attr<String>,
        revision: Attr<Number>,
        creation_date: Attr<String>,
        update_date: Attr<String>,
        expiration_date: Attr<String>,
        inherited: bool,
    }
}

impl KvsModel {
    fn address(&self) -> Address<'_> {
        Address::namespace(&self.tenant_id, &self.namespace)
    }
}

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

fn timestamp(instant: Option<OffsetDateTime>) -> Attr<String> {
    instant.map(format_instant).into()
}

fn entry_value(entry: KvEntry, namespace: &str, inherited: bool) -> KvsEntry {
    KvsEntry {
        namespace: entry.namespace.unwrap_or_else(|| namespace.to_string()),
        key: entry.key,
        description: entry.description.into(),
        revision: entry.revision.map(Number::from).into(),
        creation_date: timestamp(entry.creation_date),
        update_date: timestamp(entry.update_date),
        expiration_date: timestamp(entry.expiration_date),
        inherited,
    }
}

async fn list_keys(
    client: &Client,
    namespace: &str,
    prefix: Option<&str>,
    include_inherited: bool,
) -> Result<Vec<KvsEntry>, kestra_kv_client::Error> {
    let options = ListOptions {
        prefix: prefix.map(str::to_string),
        ..ListOptions::default()
    };
    let own: Vec<KvEntry> = client.list(namespace, options).try_collect().await?;
    let mut seen: HashSet<String> = own.iter().map(|e| e.key.clone()).collect();
    let mut keys: Vec<KvsEntry> = own
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
        match KvsModel::from_value(config) {
            Ok(config) => location_diagnostics(config.address()),
            Err(error) => error.into(),
        }
    }

    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse {
        let mut state = match KvsModel::from_value(request.config) {
            Ok(config) => config,
            Err(error) => return ReadDataResponse::failed(error.into()),
        };
        let context = match self.shared.request_context(state.address()) {
            Ok(context) => context,
            Err(diagnostics) => return ReadDataResponse::failed(diagnostics),
        };
        let client = &context.client;
        let Some(namespace) = state.namespace.as_str() else {
            return ReadDataResponse::failed(Diagnostics::from_error(
                "Missing namespace",
                "`namespace` is required.",
            ));
        };
        let prefix = state.prefix.as_str();
        let include_inherited = state.include_inherited.as_known().copied().unwrap_or(false);
        match list_keys(client, namespace, prefix, include_inherited).await {
            Ok(keys) => {
                state.id = Attr::Known(format!("{}/{namespace}", client.tenant()));
                state.tenant_id = client.tenant().into();
                state.keys = Attr::Known(keys);
                ReadDataResponse::read(state.into_value())
            }
            Err(error) => ReadDataResponse::failed(
                context.failed(&error, &format!("listing namespace {namespace:?}")),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use terraform_plugin_sdk::check_model;

    #[test]
    fn model_matches_the_schema() {
        assert_eq!(check_model::<KvsModel>(&schema().block), Ok(()));
    }
}
