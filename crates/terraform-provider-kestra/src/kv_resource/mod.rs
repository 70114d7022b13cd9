//! Resource `kestra_kv`: one typed key of Kestra's KV store.
//!
//! One file per step of its lifecycle: [`schema`] (and the typed models), [`location`] (import
//! IDs and identities), [`private`] (the version stamp kept in private state), [`upgrade`]
//! (stored states), [`read`] (refresh), [`plan`] (checks and planning), [`apply`] (create,
//! update, delete).

mod apply;
mod location;
mod plan;
mod private;
mod read;
mod schema;
mod upgrade;

use std::sync::Arc;

use terraform_plugin_sdk::{
    ApplyResponse, CreateRequest, DeleteRequest, DeleteResponse, Diagnostics, FromValue,
    IdentitySchema, ImportRequest, ImportResponse, IntoValue, PlanRequest, PlanResponse,
    ReadRequest, ReadResponse, Resource, Schema, UpdateRequest, UpgradeStateRequest,
    ValidateResourceRequest, Value, async_trait,
};

use super::Shared;
use apply::Write;
use location::Location;
pub(crate) use schema::{KvIdentity, KvModel, SCHEMA, identity_schema};

pub(crate) struct KvResource {
    shared: Arc<Shared>,
}

impl KvResource {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        KvResource { shared }
    }
}

#[async_trait]
impl Resource for KvResource {
    fn type_name(&self) -> &'static str {
        "kestra_kv"
    }

    fn schema(&self) -> Schema {
        SCHEMA.clone()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(identity_schema())
    }

    async fn validate(&self, request: ValidateResourceRequest) -> Diagnostics {
        match KvModel::from_value(request.config) {
            Ok(config) => {
                let mut diagnostics = Diagnostics::default();
                plan::check_config(&config, &mut diagnostics);
                diagnostics
            }
            Err(error) => error.into(),
        }
    }

    async fn upgrade_state(&self, request: UpgradeStateRequest) -> Result<Value, Diagnostics> {
        upgrade::upgrade_state(request)
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        read::read(&self.shared, request).await
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        plan::plan(&self.shared, request)
    }

    async fn create(&self, request: CreateRequest) -> ApplyResponse {
        let response = ApplyResponse::failed_create(&request);
        match Write::read(Value::Null, request.planned_state, request.config) {
            Ok(write) => apply::write(&self.shared, write, response).await,
            Err(diagnostics) => response.with_diagnostics(diagnostics),
        }
    }

    async fn update(&self, request: UpdateRequest) -> ApplyResponse {
        let response = ApplyResponse::failed_update(&request);
        match Write::read(request.prior_state, request.planned_state, request.config) {
            Ok(write) => apply::write(&self.shared, write, response).await,
            Err(diagnostics) => response.with_diagnostics(diagnostics),
        }
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        apply::delete(&self.shared, request).await
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let default_tenant = self.shared.default_tenant();
        let location = match request.identity.map(KvIdentity::from_value) {
            Some(Ok(identity)) => Location::from_identity(&identity, default_tenant),
            Some(Err(error)) => return ImportResponse::failed(error.into()),
            None => Location::from_import_id(&request.id, default_tenant),
        };
        let location = match location {
            Ok(location) => location,
            Err(message) => {
                return ImportResponse::failed(Diagnostics::from_error(
                    "Invalid import ID",
                    message,
                ));
            }
        };
        let state = KvModel {
            id: location.id().as_str().into(),
            tenant_id: location.tenant.as_str().into(),
            namespace: location.namespace.as_str().into(),
            key: location.key.as_str().into(),
            ..KvModel::default()
        };
        let identity = state.identity().map(IntoValue::into_value);
        ImportResponse::imported(state.into_value(), identity)
    }
}
