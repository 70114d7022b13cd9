//! The managed resource trait and its plain-Rust requests and responses.

use super::diagnostics::Diagnostics;
use super::json::value_from_json;
use super::model::FromValue;
use super::provider::ClientCapabilities;
use super::schema::{IdentitySchema, Schema};
use super::value::Value;

/// The configuration of one resource block to check (ValidateResourceConfig).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidateResourceRequest {
    /// The resource block's configuration; values from variables and references may be unknown.
    pub config: Value,
    /// What the calling Terraform supports.
    pub capabilities: ClientCapabilities,
}

/// A stored state (or identity) to bring up to the current schema version.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpgradeStateRequest {
    /// Schema version that wrote `raw_json`.
    pub version: i64,
    /// The stored attributes as JSON, in the shape of that version (null if nothing is stored).
    /// When the version is current, attributes added since are missing: read them as null.
    pub raw_json: serde_json::Value,
}

/// A refresh of one object (ReadResource).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadRequest {
    /// The state Terraform has recorded (after [`Resource::upgrade_state`]).
    pub current_state: Value,
    /// The private data stored with the object by the last plan, apply, read or import.
    pub private: Vec<u8>,
    /// The stored identity; `None` when the type has no identity schema or none is stored.
    pub identity: Option<Value>,
    /// What the calling Terraform supports.
    pub capabilities: ClientCapabilities,
}

/// The refreshed object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadResponse {
    /// Null when the remote object is gone (Terraform then drops it from state).
    pub new_state: Value,
    /// Replaces the stored private data; echo the request's when unchanged.
    pub private: Vec<u8>,
    /// `None` keeps the current identity.
    pub identity: Option<Value>,
    /// Problems found; errors fail the refresh (and the plan or apply around it).
    pub diagnostics: Diagnostics,
}

/// A plan of an object that is to exist: a create or an update (PlanResourceChange).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanRequest {
    /// The state Terraform has recorded (refreshed); null on create.
    pub prior_state: Value,
    /// Terraform's proposal: the configuration merged with the prior state (computed attributes
    /// the configuration leaves null keep their prior value).
    pub proposed_new_state: Value,
    /// The resource block's configuration; may hold unknowns until upstream values are known.
    pub config: Value,
    /// Prefilled by the SDK with the framework recipe (write-only nulled, computed unknown…).
    pub planned_state: Value,
    /// The private data stored with the object; empty on create.
    pub prior_private: Vec<u8>,
    /// The stored identity; `None` on create or without an identity schema.
    pub prior_identity: Option<Value>,
    /// What the calling Terraform supports.
    pub capabilities: ClientCapabilities,
}

impl PlanRequest {
    /// Whether the object does not exist yet (the prior state is null).
    pub fn is_create(&self) -> bool {
        self.prior_state.is_null()
    }

    /// The configuration, the prior state (`None` on create) and the prefilled plan, read as
    /// models of one type.
    pub fn into_models<M: FromValue>(self) -> Result<(M, Option<M>, M), Diagnostics> {
        Ok((
            M::from_value(self.config)?,
            Option::<M>::from_value(self.prior_state)?,
            M::from_value(self.planned_state)?,
        ))
    }

    /// [`PlanRequest::into_models`], then `check` on the configuration: its diagnostics come
    /// back with the models (warnings to carry on), or alone when they hold errors.
    #[allow(clippy::type_complexity)] // the three models and the check's diagnostics
    pub fn into_checked_models<M: FromValue>(
        self,
        check: impl FnOnce(&M, &mut Diagnostics),
    ) -> Result<(M, Option<M>, M, Diagnostics), Diagnostics> {
        let (config, prior, planned) = self.into_models::<M>()?;
        let mut diagnostics = Diagnostics::default();
        check(&config, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok((config, prior, planned, diagnostics))
    }
}

/// The planned object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanResponse {
    /// What the object will look like after apply: every known configured value kept, unknown
    /// where the provider learns the value only on apply.
    pub planned_state: Value,
    /// Private data handed to create or update on apply; echo `prior_private` to keep it.
    pub planned_private: Vec<u8>,
    /// `None` keeps the prior identity.
    pub planned_identity: Option<Value>,
    /// Problems found; errors stop the plan.
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

/// A create: the object does not exist yet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateRequest {
    /// The plan to carry out; its unknowns are the values the remote system assigns.
    pub planned_state: Value,
    /// The resource block's configuration, wholly known (write-only values are only here).
    pub config: Value,
    /// The private data the plan returned.
    pub planned_private: Vec<u8>,
    /// The identity the plan returned, if any.
    pub planned_identity: Option<Value>,
}

/// An in-place update of an existing object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdateRequest {
    /// The state Terraform has recorded: the object as it is before the update.
    pub prior_state: Value,
    /// The plan to carry out; its unknowns are the values the remote system assigns.
    pub planned_state: Value,
    /// The resource block's configuration, wholly known (write-only values are only here).
    pub config: Value,
    /// The private data the plan returned.
    pub planned_private: Vec<u8>,
    /// The identity the plan returned, if any.
    pub planned_identity: Option<Value>,
}

/// A delete of an existing object (on destroy, or the old half of a replacement).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeleteRequest {
    /// The state Terraform has recorded for the object to delete.
    pub prior_state: Value,
    /// The private data stored with the object.
    pub private: Vec<u8>,
    /// The stored identity, if any.
    pub identity: Option<Value>,
}

/// The outcome of a create or an update (ApplyResourceChange).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplyResponse {
    /// Wholly known and equal to every known planned value; on failure, what Terraform should
    /// keep (the prior state, null for a create).
    pub new_state: Value,
    /// Private data stored with the object, handed back to later reads, plans and applies.
    pub private: Vec<u8>,
    /// `None` keeps the planned identity.
    pub new_identity: Option<Value>,
    /// Problems found; errors fail the apply (Terraform still records `new_state`).
    pub diagnostics: Diagnostics,
}

/// The outcome of a delete: without errors the object leaves the state; with errors it stays,
/// as `remaining` says (by default unchanged: the prior state, private data and identity).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeleteResponse {
    /// Problems found; errors keep the object in state.
    pub diagnostics: Diagnostics,
    /// What is left of the object after a delete that failed part-way; `None` keeps the prior
    /// state and private data. Ignored without errors.
    pub remaining: Option<Remaining>,
}

/// The part of an object a failed delete left in place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Remaining {
    /// The state to keep recording for what is left.
    pub state: Value,
    /// The private data to keep with it.
    pub private: Vec<u8>,
}

/// An import of an existing remote object (ImportResourceState).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportRequest {
    /// The user's import ID (`terraform import ADDR ID`, `import { id = ... }`); may be empty
    /// when importing by identity.
    pub id: String,
    /// Set for `import { identity = {...} }` (Terraform >= 1.12).
    pub identity: Option<Value>,
    /// What the calling Terraform supports.
    pub capabilities: ClientCapabilities,
}

/// The imported object, which Terraform then refreshes with [`Resource::read`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportResponse {
    /// A state holding at least what `read` needs to find the object; unset attributes null.
    pub state: Value,
    /// Private data stored with the object.
    pub private: Vec<u8>,
    /// The object's identity, when the type has an identity schema.
    pub identity: Option<Value>,
    /// Problems found; errors fail the import.
    pub diagnostics: Diagnostics,
}

/// A managed resource type.
#[tonic::async_trait]
pub trait Resource: Send + Sync {
    /// The resource type name used in configuration (`aws_instance`), prefixed with the
    /// provider's type name.
    fn type_name(&self) -> &'static str;

    /// The schema of the resource block and of its state.
    fn schema(&self) -> Schema;

    /// The identity schema, for import by identity and `terraform query` (Terraform >= 1.12).
    /// Default: none.
    fn identity_schema(&self) -> Option<IdentitySchema> {
        None
    }

    /// Called by `terraform validate` and before every plan and apply, with the configuration
    /// alone: values may be unknown and the provider is not configured. Returns problems in it.
    /// Default: none beyond what the schema already enforces.
    async fn validate(&self, request: ValidateResourceRequest) -> Diagnostics {
        let _ = request;
        Diagnostics::default()
    }

    /// Called for every instance read from state, before anything else is done with it. Returns
    /// the state in the current schema version. Default: same version -> decode the JSON
    /// against the current implied type (missing attributes null); otherwise an error.
    async fn upgrade_state(&self, request: UpgradeStateRequest) -> Result<Value, Diagnostics> {
        let schema = self.schema();
        decode_same_version(request, schema.version, &schema.implied_type(), "state")
    }

    /// Called when a stored identity has another version than the identity schema; returns it in
    /// the current version. Default: an error.
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

    /// Called on refresh (before every plan unless `-refresh=false`, and after import) with the
    /// stored state. Returns the state as the remote object is now; a null `new_state` means it
    /// is gone and Terraform drops it from state. Unknown values are not allowed.
    async fn read(&self, request: ReadRequest) -> ReadResponse;

    /// Called on every plan of an object that is to exist (create or update; destroys never
    /// reach it). `planned_state` arrives prefilled with the SDK's recipe; the resource may fill
    /// computed values it can predict and must keep every known configured value. Diagnostics
    /// with errors stop the plan. Default: the prefilled plan as it is.
    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        PlanResponse::from_request(&request)
    }

    /// Called on apply when the plan creates the object. Returns the new state, wholly known and
    /// equal to every known planned value; on failure, a null state with error diagnostics.
    async fn create(&self, request: CreateRequest) -> ApplyResponse;

    /// Called on apply when the plan changes the object in place. Returns the new state as for
    /// `create`; on failure, the prior state with error diagnostics.
    async fn update(&self, request: UpdateRequest) -> ApplyResponse;

    /// Called on apply when the plan destroys the object (`terraform destroy`, a removed
    /// resource, or the old half of a replacement). Returns error diagnostics when the object
    /// could not be deleted (it then stays in state). Default: nothing to delete remotely, so
    /// the object simply leaves the state.
    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        let _ = request;
        DeleteResponse::default()
    }

    /// Called by `terraform import` and `import` blocks with the user's ID (or identity, with
    /// Terraform >= 1.12). Returns a state holding enough to `read` the object (Terraform reads
    /// it next). Default: an error saying the type cannot be imported.
    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let _ = request;
        ImportResponse::failed(Diagnostics::from_error(
            "Resource cannot be imported",
            format!(
                "{} does not support import; declare it in the configuration and apply instead.",
                self.type_name()
            ),
        ))
    }

    /// Called by `terraform plan -generate-config-out` for an imported object: returns the
    /// configuration to write for its state. Default: the state with
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Attribute, Block, Type};

    /// A resource implementing only what is required.
    struct Minimal;

    #[tonic::async_trait]
    impl Resource for Minimal {
        fn type_name(&self) -> &'static str {
            "minimal"
        }
        fn schema(&self) -> Schema {
            Schema::new(0, Block::new([Attribute::required("name", Type::String)]))
        }
        async fn validate(&self, _request: ValidateResourceRequest) -> Diagnostics {
            Diagnostics::default()
        }
        async fn read(&self, request: ReadRequest) -> ReadResponse {
            ReadResponse::keep(&request)
        }
        async fn plan(&self, request: PlanRequest) -> PlanResponse {
            PlanResponse::from_request(&request)
        }
        async fn create(&self, request: CreateRequest) -> ApplyResponse {
            ApplyResponse::failed_create(&request)
        }
        async fn update(&self, request: UpdateRequest) -> ApplyResponse {
            ApplyResponse::failed_update(&request)
        }
    }

    #[tokio::test]
    async fn delete_by_default_just_forgets_the_object() {
        let response = Minimal.delete(DeleteRequest::default()).await;
        assert!(response.diagnostics.is_empty());
    }

    #[tokio::test]
    async fn import_by_default_says_the_type_is_not_importable() {
        let response = Minimal.import(ImportRequest::default()).await;
        let summaries: Vec<_> = response
            .diagnostics
            .iter()
            .map(|d| d.summary.clone())
            .collect();
        assert_eq!(summaries, ["Resource cannot be imported"]);
        assert!(response.state.is_null());
    }
}
