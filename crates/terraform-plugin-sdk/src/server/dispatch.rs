//! The `tfplugin6.Provider` service: each RPC decoded, handed to its family's handler, and
//! answered; features this SDK does not offer answer with a diagnostic.

use super::*;

use tonic::{Request, Response, Status};

use crate::diagnostics::Diagnostics;
use crate::provider::ClientCapabilities;
use crate::wire::tfplugin6 as pb;

pub(super) fn unsupported(feature: &str) -> Diagnostics {
    Diagnostics::from_error(
        format!("{feature} are not supported"),
        format!("This provider does not implement {feature}."),
    )
}

#[tonic::async_trait]
impl pb::provider_server::Provider for ProviderService {
    async fn get_metadata(
        &self,
        _request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        Ok(Response::new(self.catalog.metadata()))
    }

    async fn get_provider_schema(
        &self,
        _request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        let response = logged("GetProviderSchema", "", async {
            self.catalog.schema_response.clone()
        });
        Ok(Response::new(response.await))
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let request = request.into_inner();
        let diagnostics = logged(
            "ValidateProviderConfig",
            "",
            self.validate_provider_config(request),
        )
        .await;
        Ok(Response::new(pb::validate_provider_config::Response {
            diagnostics: diagnostics.to_proto(),
        }))
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let request = request.into_inner();
        let caps = capabilities(request.client_capabilities);
        let diagnostics = logged(
            "ValidateResourceConfig",
            &request.type_name,
            self.validate_config(
                "resource",
                &request.type_name,
                request.config.as_ref(),
                caps,
            ),
        )
        .await;
        Ok(Response::new(pb::validate_resource_config::Response {
            diagnostics: diagnostics.to_proto(),
        }))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let request = request.into_inner();
        let diagnostics = logged(
            "ValidateDataResourceConfig",
            &request.type_name,
            self.validate_config(
                "data source",
                &request.type_name,
                request.config.as_ref(),
                ClientCapabilities::default(),
            ),
        )
        .await;
        Ok(Response::new(pb::validate_data_resource_config::Response {
            diagnostics: diagnostics.to_proto(),
        }))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let request = request.into_inner();
        respond(
            "UpgradeResourceState",
            request.type_name.clone(),
            self.upgrade_resource_state(request),
            |d| pb::upgrade_resource_state::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        let identity_schemas = self
            .catalog
            .resources
            .iter()
            .filter_map(|(name, entry)| {
                entry
                    .identity
                    .as_ref()
                    .map(|(identity, _)| (name.clone(), identity.to_proto()))
            })
            .collect();
        Ok(Response::new(pb::get_resource_identity_schemas::Response {
            identity_schemas,
            diagnostics: Vec::new(),
        }))
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let request = request.into_inner();
        respond(
            "UpgradeResourceIdentity",
            request.type_name.clone(),
            self.upgrade_resource_identity(request),
            |d| pb::upgrade_resource_identity::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let request = request.into_inner();
        let diagnostics = logged("ConfigureProvider", "", self.configure_provider(request)).await;
        Ok(Response::new(pb::configure_provider::Response {
            diagnostics: diagnostics.to_proto(),
        }))
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let request = request.into_inner();
        // On failure keep the stored state and private data rather than erasing them.
        let fallback_state = request.current_state.clone();
        let fallback_private = request.private.clone();
        let fallback_identity = request.current_identity.clone();
        respond(
            "ReadResource",
            request.type_name.clone(),
            self.read_resource(request),
            |d| pb::read_resource::Response {
                new_state: fallback_state,
                private: fallback_private,
                new_identity: fallback_identity,
                diagnostics: d.to_proto(),
                deferred: None,
            },
        )
        .await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let request = request.into_inner();
        respond(
            "PlanResourceChange",
            request.type_name.clone(),
            self.plan_resource_change(request),
            |d| pb::plan_resource_change::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let request = request.into_inner();
        // On failure Terraform falls back to the prior state, which is what we know.
        let fallback_state = request.prior_state.clone();
        let fallback_private = request.planned_private.clone();
        respond(
            "ApplyResourceChange",
            request.type_name.clone(),
            self.apply_resource_change(request),
            |d| pb::apply_resource_change::Response {
                new_state: fallback_state,
                private: fallback_private,
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let request = request.into_inner();
        respond(
            "ImportResourceState",
            request.type_name.clone(),
            self.import_resource_state(request),
            |d| pb::import_resource_state::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn move_resource_state(
        &self,
        _request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        Ok(Response::new(pb::move_resource_state::Response {
            diagnostics: unsupported("Cross-type resource moves").to_proto(),
            ..Default::default()
        }))
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let request = request.into_inner();
        respond(
            "ReadDataSource",
            request.type_name.clone(),
            self.read_data_source(request),
            |d| pb::read_data_source::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn generate_resource_config(
        &self,
        request: Request<pb::generate_resource_config::Request>,
    ) -> Result<Response<pb::generate_resource_config::Response>, Status> {
        let request = request.into_inner();
        respond(
            "GenerateResourceConfig",
            request.type_name.clone(),
            self.generate_resource_config(request),
            |d| pb::generate_resource_config::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let request = request.into_inner();
        let diagnostics = logged(
            "ValidateEphemeralResourceConfig",
            &request.type_name,
            self.validate_config(
                "ephemeral resource",
                &request.type_name,
                request.config.as_ref(),
                ClientCapabilities::default(),
            ),
        )
        .await;
        Ok(Response::new(
            pb::validate_ephemeral_resource_config::Response {
                diagnostics: diagnostics.to_proto(),
            },
        ))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        respond(
            "OpenEphemeralResource",
            request.type_name.clone(),
            self.open_ephemeral_resource(request),
            |d| pb::open_ephemeral_resource::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        respond(
            "RenewEphemeralResource",
            request.type_name.clone(),
            self.renew_ephemeral_resource(request),
            |d: Diagnostics| pb::renew_ephemeral_resource::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        respond(
            "CloseEphemeralResource",
            request.type_name.clone(),
            self.close_ephemeral_resource(request),
            |d: Diagnostics| pb::close_ephemeral_resource::Response {
                diagnostics: d.to_proto(),
            },
        )
        .await
    }

    type ListResourceStream = ServiceStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> Result<Response<Self::ListResourceStream>, Status> {
        Ok(Response::new(self.list_events(request.into_inner())))
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        let request = request.into_inner();
        let diagnostics = logged(
            "ValidateListResourceConfig",
            &request.type_name,
            self.validate_config(
                "list resource",
                &request.type_name,
                request.config.as_ref(),
                ClientCapabilities::default(),
            ),
        )
        .await;
        // The provider sees the content of the list block's `config` block; Terraform anchors
        // diagnostics on the list block, so paths are given from there.
        let diagnostics: Vec<pb::Diagnostic> = diagnostics
            .iter()
            .map(|diagnostic| {
                let mut diagnostic = diagnostic.clone();
                diagnostic.attribute = diagnostic.attribute.map(|path| path.under("config"));
                diagnostic.to_proto()
            })
            .collect();
        Ok(Response::new(pb::validate_list_resource_config::Response {
            diagnostics,
        }))
    }

    async fn get_functions(
        &self,
        _request: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Ok(Response::new(pb::get_functions::Response::default()))
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!("This provider defines no functions (called {name:?})."),
                function_argument: None,
            }),
        }))
    }

    async fn validate_state_store_config(
        &self,
        _request: Request<pb::validate_state_store::Request>,
    ) -> Result<Response<pb::validate_state_store::Response>, Status> {
        Ok(Response::new(pb::validate_state_store::Response {
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn configure_state_store(
        &self,
        _request: Request<pb::configure_state_store::Request>,
    ) -> Result<Response<pb::configure_state_store::Response>, Status> {
        Ok(Response::new(pb::configure_state_store::Response {
            diagnostics: unsupported("State stores").to_proto(),
            capabilities: None,
        }))
    }

    type ReadStateBytesStream = ServiceStream<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        _request: Request<pb::read_state_bytes::Request>,
    ) -> Result<Response<Self::ReadStateBytesStream>, Status> {
        let response = pb::read_state_bytes::Response {
            diagnostics: unsupported("State stores").to_proto(),
            ..Default::default()
        };
        Ok(Response::new(Box::pin(futures::stream::once(async {
            Ok(response)
        }))))
    }

    async fn write_state_bytes(
        &self,
        _request: Request<tonic::Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> Result<Response<pb::write_state_bytes::Response>, Status> {
        Ok(Response::new(pb::write_state_bytes::Response {
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn lock_state(
        &self,
        _request: Request<pb::lock_state::Request>,
    ) -> Result<Response<pb::lock_state::Response>, Status> {
        Ok(Response::new(pb::lock_state::Response {
            lock_id: String::new(),
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn unlock_state(
        &self,
        _request: Request<pb::unlock_state::Request>,
    ) -> Result<Response<pb::unlock_state::Response>, Status> {
        Ok(Response::new(pb::unlock_state::Response {
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn get_states(
        &self,
        _request: Request<pb::get_states::Request>,
    ) -> Result<Response<pb::get_states::Response>, Status> {
        Ok(Response::new(pb::get_states::Response {
            state_id: Vec::new(),
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn delete_state(
        &self,
        _request: Request<pb::delete_state::Request>,
    ) -> Result<Response<pb::delete_state::Response>, Status> {
        Ok(Response::new(pb::delete_state::Response {
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn plan_action(
        &self,
        _request: Request<pb::plan_action::Request>,
    ) -> Result<Response<pb::plan_action::Response>, Status> {
        Ok(Response::new(pb::plan_action::Response {
            diagnostics: unsupported("Actions").to_proto(),
            deferred: None,
        }))
    }

    type InvokeActionStream = ServiceStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        _request: Request<pb::invoke_action::Request>,
    ) -> Result<Response<Self::InvokeActionStream>, Status> {
        use pb::invoke_action::event::{Completed, Type as EventType};
        let event = pb::invoke_action::Event {
            r#type: Some(EventType::Completed(Completed {
                diagnostics: unsupported("Actions").to_proto(),
            })),
        };
        Ok(Response::new(Box::pin(futures::stream::once(async {
            Ok(event)
        }))))
    }

    async fn validate_action_config(
        &self,
        _request: Request<pb::validate_action_config::Request>,
    ) -> Result<Response<pb::validate_action_config::Response>, Status> {
        Ok(Response::new(pb::validate_action_config::Response {
            diagnostics: unsupported("Actions").to_proto(),
        }))
    }

    async fn stop_provider(
        &self,
        _request: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        // Tripped first, so that nothing new starts while the provider winds down.
        self.stop.trip();
        let outcome = logged("StopProvider", "", guarded(self.catalog.provider.stop())).await;
        let error = outcome
            .err()
            .map(|d| {
                d.iter()
                    .map(|d| d.detail.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        Ok(Response::new(pb::stop_provider::Response { error }))
    }
}
