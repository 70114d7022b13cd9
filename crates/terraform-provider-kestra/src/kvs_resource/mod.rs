//! Resource `kestra_kvs`: many keys of one namespace (optionally under one key prefix) as ONE
//! Terraform resource instance. Terraform rewrites its whole state after every instance, so N
//! `kestra_kv` cost O(N²); one `kestra_kvs` of 10,000 keys applies in seconds.
//!
//! The keys are maps of strings (`values`, `types`, `descriptions`, `ttls`; schema version 1),
//! which Terraform converts in linear time. Every key is validated, encoded, type-inferred and
//! compared exactly as a `kestra_kv` (the same functions: [`crate::validation`],
//! [`crate::value_semantics`], [`kestra_kv_client::KvValue`]). Private state records
//! each key's version stamp ([`private::Stamps`]), so refresh reads only values that moved and
//! destroy leaves keys rewritten since. The files: `schema`, `model` (the typed object and one
//! key's effective entry), `plan` (validation and planning), `spelling` (which spelling a plan
//! keeps), `scopes` (exclusive scopes of one operation), `diff` (what an apply does), `apply`
//! (create and update), `destroy` (delete), `read`, `import`, `upgrade` (state of version 0),
//! `report` (per-key diagnostics), `private`, `claims`, `guarded_delete` (deletes that leave
//! keys written again since), `empty_import` (the warning on an empty import).

mod apply;
mod claims;
mod destroy;
mod diff;
mod empty_import;
mod guarded_delete;
mod import;
mod model;
mod plan;
mod private;
mod read;
mod report;
pub(crate) mod schema;
mod scopes;
mod spelling;
mod upgrade;

use std::sync::Arc;

use terraform_plugin_sdk::{
    ApplyResponse, CreateRequest, DeleteRequest, DeleteResponse, Diagnostics, ImportRequest,
    ImportResponse, PlanRequest, PlanResponse, ReadRequest, ReadResponse, Resource, Schema,
    UpdateRequest, UpgradeStateRequest, ValidateResourceRequest, Value, async_trait,
};

use super::{RequestContext, Shared};
use model::KvsModel;

pub(crate) struct KvsResource {
    shared: Arc<Shared>,
    /// Keys written or adopted by applies in this process (see [`claims`]).
    claims: claims::Claims,
    /// Exclusive scopes planned in this process (see [`scopes`]).
    scopes: scopes::ExclusiveScopes,
}

impl KvsResource {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        KvsResource {
            shared,
            claims: claims::Claims::default(),
            scopes: scopes::ExclusiveScopes::default(),
        }
    }

    /// A client for the tenant of `model` and its namespace, or diagnostics saying why no
    /// request can be made.
    fn scope_of(&self, model: &KvsModel) -> Result<(RequestContext, String), Diagnostics> {
        let context = self.shared.request_context(model.address())?;
        let namespace = model.namespace.as_str().ok_or_else(|| {
            Diagnostics::from_error("Incomplete kestra_kvs object", "It has no namespace.")
        })?;
        Ok((context, namespace.to_string()))
    }
}

#[async_trait]
impl Resource for KvsResource {
    fn type_name(&self) -> &'static str {
        "kestra_kvs"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    async fn validate(&self, request: ValidateResourceRequest) -> Diagnostics {
        match KvsModel::read(request.config) {
            Ok(config) => {
                let mut diagnostics = Diagnostics::default();
                plan::check_config(&config, &mut diagnostics);
                diagnostics
            }
            Err(diagnostics) => diagnostics,
        }
    }

    async fn upgrade_state(&self, request: UpgradeStateRequest) -> Result<Value, Diagnostics> {
        upgrade::upgrade_state(&request)
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        KvsResource::read(self, request).await
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        plan::plan(&self.shared, &self.scopes, request).await
    }

    async fn create(&self, request: CreateRequest) -> ApplyResponse {
        let response = ApplyResponse::failed_create(&request);
        let write = apply::Planned {
            prior_state: Value::Null,
            planned_state: request.planned_state,
            planned_private: request.planned_private,
        };
        KvsResource::write(self, write, response).await
    }

    async fn update(&self, request: UpdateRequest) -> ApplyResponse {
        let response = ApplyResponse::failed_update(&request);
        let write = apply::Planned {
            prior_state: request.prior_state,
            planned_state: request.planned_state,
            planned_private: request.planned_private,
        };
        KvsResource::write(self, write, response).await
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        KvsResource::destroy(self, request).await
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let response = import::import(&request, self.shared.default_tenant());
        empty_import::warn_if_empty(&self.shared, &request.id, response).await
    }
}
