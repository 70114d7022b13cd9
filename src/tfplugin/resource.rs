//! The managed resource trait and its plain-Rust requests and responses.

use super::diagnostics::Diagnostics;
use super::json::value_from_json;
use super::provider::ClientCapabilities;
use super::schema::{IdentitySchema, Schema};
use super::value::Value;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidateResourceRequest {
    pub config: Value,
    pub capabilities: ClientCapabilities,
}

/// A stored state (or identity) to bring up to the current schema version.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpgradeStateRequest {
    /// Schema version that wrote `raw_json`.
    pub version: i64,
    pub raw_json: serde_json::Value,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadRequest {
    pub current_state: Value,
    pub private: Vec<u8>,
    pub identity: Option<Value>,
    pub capabilities: ClientCapabilities,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadResponse {
    /// Null when the remote object is gone (Terraform then drops it from state).
    pub new_state: Value,
    /// Replaces the stored private data; echo the request's when unchanged.
    pub private: Vec<u8>,
    /// `None` keeps the current identity.
    pub identity: Option<Value>,
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanRequest {
    /// Null on create.
    pub prior_state: Value,
    pub proposed_new_state: Value,
    pub config: Value,
    /// Prefilled by the SDK with the framework recipe (write-only nulled, computed unknown…).
    pub planned_state: Value,
    pub prior_private: Vec<u8>,
    pub prior_identity: Option<Value>,
    pub capabilities: ClientCapabilities,
}

impl PlanRequest {
    pub fn is_create(&self) -> bool {
        self.prior_state.is_null()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanResponse {
    pub planned_state: Value,
    pub planned_private: Vec<u8>,
    /// `None` keeps the prior identity.
    pub planned_identity: Option<Value>,
    pub diagnostics: Diagnostics,
}

impl PlanResponse {
    /// Accepts the SDK's prefilled plan unchanged, echoing private data and identity.
    pub fn from_request(request: &PlanRequest) -> PlanResponse {
        PlanResponse {
            planned_state: request.planned_state.clone(),
            planned_private: request.prior_private.clone(),
            planned_identity: request.prior_identity.clone(),
            diagnostics: Diagnostics::default(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplyRequest {
    pub prior_state: Value,
    /// Null for a delete.
    pub planned_state: Value,
    pub config: Value,
    pub planned_private: Vec<u8>,
    pub planned_identity: Option<Value>,
}

impl ApplyRequest {
    pub fn is_delete(&self) -> bool {
        self.planned_state.is_null()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplyResponse {
    /// Null after a delete; otherwise wholly known and equal to every known planned value.
    pub new_state: Value,
    pub private: Vec<u8>,
    /// `None` keeps the planned identity (always none after a delete).
    pub new_identity: Option<Value>,
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportRequest {
    pub id: String,
    /// Set for `import { identity = {...} }` (Terraform >= 1.12).
    pub identity: Option<Value>,
    pub capabilities: ClientCapabilities,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportResponse {
    pub state: Value,
    pub private: Vec<u8>,
    pub identity: Option<Value>,
    pub diagnostics: Diagnostics,
}

/// A managed resource type.
#[tonic::async_trait]
pub trait Resource: Send + Sync {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    fn identity_schema(&self) -> Option<IdentitySchema> {
        None
    }

    /// Validates a configuration; values may be unknown and the provider is not configured.
    async fn validate(&self, request: ValidateResourceRequest) -> Diagnostics;

    /// Called for every instance read from state. Default: same version -> decode the JSON
    /// against the current implied type (missing attributes null); otherwise an error.
    async fn upgrade_state(&self, request: UpgradeStateRequest) -> Result<Value, Diagnostics> {
        let schema = self.schema();
        decode_same_version(request, schema.version, &schema.implied_type(), "state")
    }

    /// Called when a stored identity has another version than the identity schema.
    async fn upgrade_identity(&self, request: UpgradeStateRequest) -> Result<Value, Diagnostics> {
        let Some(identity) = self.identity_schema() else {
            return Err(Diagnostics::from_error(
                "Resource has no identity",
                format!("{} does not support resource identity.", self.type_name()),
            ));
        };
        decode_same_version(
            request,
            identity.version,
            &identity.implied_type(),
            "identity",
        )
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse;

    async fn plan(&self, request: PlanRequest) -> PlanResponse;

    async fn apply(&self, request: ApplyRequest) -> ApplyResponse;

    async fn import(&self, request: ImportRequest) -> ImportResponse;

    /// Configuration for `terraform plan -generate-config-out`. Default: the state with
    /// computed-only attributes nulled (they cannot be written in configuration).
    async fn generate_config(&self, state: Value) -> Result<Value, Diagnostics> {
        let mut config = state;
        for attribute in self.schema().block.attributes {
            if attribute.computed && !attribute.optional {
                config.set(attribute.name, Value::Null);
            }
        }
        Ok(config)
    }
}

fn decode_same_version(
    request: UpgradeStateRequest,
    current_version: i64,
    ty: &super::types::Type,
    what: &str,
) -> Result<Value, Diagnostics> {
    if request.version != current_version {
        return Err(Diagnostics::from_error(
            format!("Unsupported {what} version"),
            format!(
                "The stored {what} has schema version {} but this provider only understands \
                 version {current_version}.",
                request.version
            ),
        ));
    }
    value_from_json(&request.raw_json, ty).map_err(|e| {
        Diagnostics::from_error(
            format!("Stored {what} does not match the schema"),
            e.to_string(),
        )
    })
}
