//! The managed resource RPCs: upgrade, read, plan, apply, import and config generation.

use super::*;

use crate::diagnostics::{AttributePath, Diagnostics};
use crate::plan::{null_write_only, prefill_planned_state, requires_replace};
use crate::resource::{
    ApplyResponse, CreateRequest, DeleteRequest, ImportRequest, PlanRequest, ReadRequest,
    UpdateRequest, UpgradeStateRequest,
};
use crate::value::Value;
use crate::wire::tfplugin6 as pb;

impl ProviderService {
    pub(super) async fn upgrade_resource_state(
        &self,
        request: pb::upgrade_resource_state::Request,
    ) -> Result<pb::upgrade_resource_state::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let raw_state = request.raw_state.unwrap_or_default();
        if raw_state.json.is_empty() && !raw_state.flatmap.is_empty() {
            return Err(Diagnostics::from_error(
                "Unsupported state format",
                "This state was written by Terraform 0.11 or earlier (flatmap); upgrade it with an older provider first.",
            ));
        }
        let raw_json = if raw_state.json.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&raw_state.json).map_err(|e| {
                Diagnostics::from_error(
                    "Invalid stored state",
                    format!("The state is not valid JSON: {e}"),
                )
            })?
        };
        let upgrade = UpgradeStateRequest {
            version: request.version,
            raw_json,
        };
        let mut upgraded = guarded(entry.resource.upgrade_state(upgrade)).await??;
        let mut diagnostics = Diagnostics::default();
        null_write_only(&entry.schema.block, &mut upgraded);
        require_wholly_known(&mut upgraded, "upgraded state", &mut diagnostics);
        Ok(pb::upgrade_resource_state::Response {
            upgraded_state: Some(encode(&upgraded, &entry.ty, "upgraded state")?),
            diagnostics: diagnostics.to_proto(),
        })
    }

    pub(super) async fn upgrade_resource_identity(
        &self,
        request: pb::upgrade_resource_identity::Request,
    ) -> Result<pb::upgrade_resource_identity::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let raw = request.raw_identity.unwrap_or_default();
        let raw_json = serde_json::from_slice(&raw.json).map_err(|e| {
            Diagnostics::from_error(
                "Invalid stored identity",
                format!("The identity is not valid JSON: {e}"),
            )
        })?;
        let upgrade = UpgradeStateRequest {
            version: request.version,
            raw_json,
        };
        let identity = guarded(entry.resource.upgrade_identity(upgrade)).await??;
        Ok(pb::upgrade_resource_identity::Response {
            upgraded_identity: encode_identity(entry, Some(&identity))?,
            diagnostics: Vec::new(),
        })
    }

    pub(super) async fn read_resource(
        &self,
        request: pb::read_resource::Request,
    ) -> Result<pb::read_resource::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let current_state = decode(request.current_state.as_ref(), &entry.ty, "current state")?;
        let identity = decode_identity(entry, request.current_identity.as_ref())?;
        let read = ReadRequest {
            current_state,
            private: request.private,
            identity: identity.clone(),
            capabilities: capabilities(request.client_capabilities),
        };
        let mut response = guarded(entry.resource.read(read)).await?;
        null_write_only(&entry.schema.block, &mut response.new_state);
        require_wholly_known(
            &mut response.new_state,
            "refreshed state",
            &mut response.diagnostics,
        );
        Ok(pb::read_resource::Response {
            new_state: Some(encode(&response.new_state, &entry.ty, "refreshed state")?),
            // No identity from the provider means "unchanged" (an empty one would erase it).
            new_identity: encode_identity(entry, response.identity.or(identity).as_ref())?,
            private: response.private,
            diagnostics: response.diagnostics.to_proto(),
            deferred: None,
        })
    }

    pub(super) async fn plan_resource_change(
        &self,
        request: pb::plan_resource_change::Request,
    ) -> Result<pb::plan_resource_change::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let prior_state = decode(request.prior_state.as_ref(), &entry.ty, "prior state")?;
        let proposed = decode(
            request.proposed_new_state.as_ref(),
            &entry.ty,
            "proposed state",
        )?;
        let prior_identity = decode_identity(entry, request.prior_identity.as_ref())?;
        if proposed.is_null() {
            // Destroy: Terraform wants a null plan and the private data echoed.
            return Ok(pb::plan_resource_change::Response {
                planned_state: Some(encode(&Value::Null, &entry.ty, "planned state")?),
                planned_private: request.prior_private,
                planned_identity: encode_identity(entry, prior_identity.as_ref())?,
                ..Default::default()
            });
        }
        let config = decode(request.config.as_ref(), &entry.ty, "configuration")?;
        let planned_state =
            prefill_planned_state(&entry.schema.block, &prior_state, &proposed, &config);
        let plan = PlanRequest {
            prior_state,
            proposed_new_state: proposed,
            config,
            planned_state,
            prior_private: request.prior_private,
            prior_identity,
            capabilities: capabilities(request.client_capabilities),
        };
        let (prior_state, prior_identity) = (plan.prior_state.clone(), plan.prior_identity.clone());
        let mut response = guarded(entry.resource.plan(plan)).await?;
        if response.planned_state.is_null() && !response.diagnostics.has_errors() {
            response.diagnostics.error(
                "Provider planned a null object",
                "The provider returned no planned state for an object that should exist. This is a bug in the provider.",
            );
        }
        null_write_only(&entry.schema.block, &mut response.planned_state);
        let replace = requires_replace(&entry.schema.block, &prior_state, &response.planned_state);
        Ok(pb::plan_resource_change::Response {
            planned_state: Some(encode(&response.planned_state, &entry.ty, "planned state")?),
            requires_replace: replace.iter().map(AttributePath::to_proto).collect(),
            planned_private: response.planned_private,
            planned_identity: encode_identity(
                entry,
                response.planned_identity.or(prior_identity).as_ref(),
            )?,
            diagnostics: response.diagnostics.to_proto(),
            legacy_type_system: false,
            deferred: None,
        })
    }

    pub(super) async fn apply_resource_change(
        &self,
        request: pb::apply_resource_change::Request,
    ) -> Result<pb::apply_resource_change::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let prior_state = decode(request.prior_state.as_ref(), &entry.ty, "prior state")?;
        let planned_state = decode(request.planned_state.as_ref(), &entry.ty, "planned state")?;
        let planned_identity = decode_identity(entry, request.planned_identity.as_ref())?;
        let resource = &entry.resource;
        let mut response = if planned_state.is_null() {
            let delete = DeleteRequest {
                prior_state: prior_state.clone(),
                private: request.planned_private.clone(),
                identity: planned_identity.clone(),
            };
            let deleted = guarded(resource.delete(delete)).await?;
            // A failed delete keeps the object (what is left of it); a done one leaves no state.
            let (new_state, private) = if deleted.diagnostics.has_errors() {
                match deleted.remaining {
                    Some(remaining) => (remaining.state, remaining.private),
                    None => (prior_state, request.planned_private),
                }
            } else {
                (Value::Null, Vec::new())
            };
            ApplyResponse {
                new_state,
                private,
                new_identity: None,
                diagnostics: deleted.diagnostics,
            }
        } else {
            let config = decode(request.config.as_ref(), &entry.ty, "configuration")?;
            let planned_private = request.planned_private;
            let planned_identity = planned_identity.clone();
            if prior_state.is_null() {
                let create = CreateRequest {
                    planned_state,
                    config,
                    planned_private,
                    planned_identity,
                };
                guarded(resource.create(create)).await?
            } else {
                let update = UpdateRequest {
                    prior_state,
                    planned_state,
                    config,
                    planned_private,
                    planned_identity,
                };
                guarded(resource.update(update)).await?
            }
        };
        null_write_only(&entry.schema.block, &mut response.new_state);
        require_wholly_known(
            &mut response.new_state,
            "applied state",
            &mut response.diagnostics,
        );
        // The identity follows the state: none once the object is gone.
        let new_identity = response
            .new_identity
            .or(planned_identity)
            .filter(|_| !response.new_state.is_null());
        Ok(pb::apply_resource_change::Response {
            new_state: Some(encode(&response.new_state, &entry.ty, "applied state")?),
            private: response.private,
            new_identity: encode_identity(entry, new_identity.as_ref())?,
            diagnostics: response.diagnostics.to_proto(),
            legacy_type_system: false,
        })
    }

    pub(super) async fn import_resource_state(
        &self,
        request: pb::import_resource_state::Request,
    ) -> Result<pb::import_resource_state::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let import = ImportRequest {
            id: request.id,
            identity: decode_identity(entry, request.identity.as_ref())?,
            capabilities: capabilities(request.client_capabilities),
        };
        let mut response = guarded(entry.resource.import(import)).await?;
        if response.diagnostics.has_errors() {
            return Err(response.diagnostics);
        }
        null_write_only(&entry.schema.block, &mut response.state);
        require_wholly_known(
            &mut response.state,
            "imported state",
            &mut response.diagnostics,
        );
        Ok(pb::import_resource_state::Response {
            imported_resources: vec![pb::import_resource_state::ImportedResource {
                type_name: request.type_name.clone(),
                state: Some(encode(&response.state, &entry.ty, "imported state")?),
                private: response.private,
                identity: encode_identity(entry, response.identity.as_ref())?,
            }],
            diagnostics: response.diagnostics.to_proto(),
            deferred: None,
        })
    }

    pub(super) async fn generate_resource_config(
        &self,
        request: pb::generate_resource_config::Request,
    ) -> Result<pb::generate_resource_config::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let state = decode(request.state.as_ref(), &entry.ty, "state")?;
        let mut config = guarded(entry.resource.generate_config(state)).await??;
        let mut diagnostics = Diagnostics::default();
        require_wholly_known(&mut config, "generated configuration", &mut diagnostics);
        Ok(pb::generate_resource_config::Response {
            config: Some(encode(&config, &entry.ty, "generated configuration")?),
            diagnostics: diagnostics.to_proto(),
        })
    }
}
