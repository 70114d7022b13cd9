//! The validate RPCs of every resource, data source, ephemeral and list type.

use super::*;

use crate::diagnostics::Diagnostics;
use crate::plan::write_only_unsupported;
use crate::provider::ClientCapabilities;
use crate::resource::ValidateResourceRequest;
use crate::wire::tfplugin6 as pb;

impl ProviderService {
    pub(super) async fn validate_config(
        &self,
        kind: &str,
        type_name: &str,
        config: Option<&pb::DynamicValue>,
        caps: ClientCapabilities,
    ) -> Diagnostics {
        let catalog = &self.catalog;
        let result: Result<Diagnostics, Diagnostics> = async {
            match kind {
                "resource" => {
                    let entry = catalog.resource(type_name)?;
                    let config = decode(config, &entry.ty, "configuration")?;
                    let mut diagnostics =
                        write_only_unsupported(&entry.schema.block, &config, caps);
                    let request = ValidateResourceRequest {
                        config,
                        capabilities: caps,
                    };
                    diagnostics.extend(guarded(entry.resource.validate(request)).await?);
                    Ok(diagnostics)
                }
                "data source" => {
                    let entry = catalog
                        .data_sources
                        .get(type_name)
                        .ok_or_else(|| unknown_type(kind, type_name))?;
                    let config = decode(config, &entry.ty, "configuration")?;
                    guarded(entry.implementation.validate(config)).await
                }
                "ephemeral resource" => {
                    let entry = self.ephemeral(type_name)?;
                    let config = decode(config, &entry.ty, "configuration")?;
                    guarded(entry.implementation.validate(config)).await
                }
                _ => {
                    let entry = catalog
                        .list_resources
                        .get(type_name)
                        .ok_or_else(|| unknown_type(kind, type_name))?;
                    let config = decode(config, &entry.ty, "configuration")?;
                    guarded(entry.implementation.validate(config)).await
                }
            }
        }
        .await;
        result.unwrap_or_else(|diagnostics| diagnostics)
    }
}
