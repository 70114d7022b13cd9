//! The provider-level RPCs: validating and configuring the provider itself.

use super::*;

use crate::diagnostics::Diagnostics;
use crate::provider::ConfigureRequest;
use crate::wire::tfplugin6 as pb;

impl ProviderService {
    pub(super) async fn validate_provider_config(
        &self,
        request: pb::validate_provider_config::Request,
    ) -> Diagnostics {
        let catalog = &self.catalog;
        match decode(
            request.config.as_ref(),
            &catalog.provider_type,
            "provider configuration",
        ) {
            Ok(config) => guarded(catalog.provider.validate_config(&config))
                .await
                .unwrap_or_else(|d| d),
            Err(diagnostics) => diagnostics,
        }
    }

    pub(super) async fn configure_provider(
        &self,
        request: pb::configure_provider::Request,
    ) -> Diagnostics {
        let catalog = &self.catalog;
        let config = match decode(
            request.config.as_ref(),
            &catalog.provider_type,
            "provider configuration",
        ) {
            Ok(config) => config,
            Err(diagnostics) => return diagnostics,
        };
        let configure = ConfigureRequest {
            terraform_version: request.terraform_version,
            config,
            capabilities: capabilities(request.client_capabilities),
            stop: self.stop.clone(),
        };
        guarded(catalog.provider.configure(configure))
            .await
            .unwrap_or_else(|d| d)
    }
}
