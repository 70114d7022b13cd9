//! Resource `kestra_kvs`: many keys of one namespace (optionally under one key prefix) as ONE
//! Terraform resource instance. Terraform rewrites its whole state after every instance, so N
//! `kestra_kv` cost O(N²); one `kestra_kvs` of 10,000 keys applies in seconds.
//!
//! Every entry is validated, encoded, type-inferred and compared exactly as a `kestra_kv` (the
//! same functions: [`crate::provider::validation`], [`crate::provider::value_semantics`],
//! [`crate::kestra::KvValue`]). Private state records each key's version stamp
//! ([`private::Stamps`]), so refresh reads only values that moved and destroy leaves keys
//! rewritten since. The files: `schema`, `model` (typed object ⇄ `Value`), `plan` (validation
//! and planning), `diff` (what an apply does), `apply`, `destroy`, `read`, `import`, `report`
//! (per-key failures), `private`, `claims`.

mod apply;
mod claims;
mod destroy;
mod diff;
mod import;
mod model;
mod plan;
mod private;
mod read;
mod report;
pub(crate) mod schema;

use std::sync::Arc;

use crate::tfplugin::{
    ApplyRequest, ApplyResponse, Diagnostics, ImportRequest, ImportResponse, PlanRequest,
    PlanResponse, ReadRequest, ReadResponse, Resource, Schema, ValidateResourceRequest, Value,
    async_trait,
};

use super::{RequestContext, Shared};
use model::KvsModel;

pub(crate) struct KvsResource {
    shared: Arc<Shared>,
    /// Keys written or adopted by applies in this process (see [`claims`]).
    claims: claims::Claims,
}

impl KvsResource {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        KvsResource {
            shared,
            claims: claims::Claims::default(),
        }
    }

    /// A client for the tenant of `object` (`model` is the same object, typed) and its
    /// namespace, or diagnostics saying why no request can be made.
    fn scope_of(
        &self,
        object: &Value,
        model: &KvsModel,
    ) -> Result<(RequestContext, String), Diagnostics> {
        let context = self.shared.request_context(object)?;
        let namespace = model.namespace.as_deref().ok_or_else(|| {
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
        let mut diagnostics = Diagnostics::default();
        plan::check_config(&request.config, &mut diagnostics);
        diagnostics
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        KvsResource::read(self, request).await
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        plan::plan(&self.shared, request).await
    }

    async fn apply(&self, request: ApplyRequest) -> ApplyResponse {
        KvsResource::apply(self, request).await
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        import::import(&request, self.shared.default_tenant())
    }
}
