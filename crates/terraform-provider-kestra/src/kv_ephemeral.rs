//! Ephemeral resource `kestra_kv` (Terraform >= 1.10): reads a key like the data source, but the
//! value is never stored in plan or state — for feeding write-only arguments and provider
//! configuration.

use std::sync::Arc;

use terraform_plugin_sdk::{
    Diagnostics, EphemeralResource, OpenRequest, OpenResponse, Schema, Value, async_trait,
};

use super::Shared;
use super::kv_data_source::{read_key, schema as data_source_schema, validate_config};

pub(crate) struct KvEphemeral {
    shared: Arc<Shared>,
}

impl KvEphemeral {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        KvEphemeral { shared }
    }
}

/// The data source's schema: same inputs, same results, only never persisted.
pub(crate) fn schema() -> Schema {
    let mut schema = data_source_schema();
    schema.block.description =
        "Reads a key of Kestra's Key-Value store without storing it in plan or state (Terraform 1.10 or later)."
            .to_string();
    schema
}

#[async_trait]
impl EphemeralResource for KvEphemeral {
    fn type_name(&self) -> &'static str {
        "kestra_kv"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate(&self, config: Value) -> Diagnostics {
        validate_config(config)
    }

    async fn open(&self, request: OpenRequest) -> OpenResponse {
        match read_key(&self.shared, request.config).await {
            Ok(result) => OpenResponse {
                result,
                ..OpenResponse::default()
            },
            Err(diagnostics) => OpenResponse {
                result: Value::Null,
                diagnostics,
                ..OpenResponse::default()
            },
        }
    }
}
