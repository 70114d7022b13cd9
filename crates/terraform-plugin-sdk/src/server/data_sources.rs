//! The data source RPC.

use super::*;

use crate::data_source::ReadDataRequest;
use crate::diagnostics::Diagnostics;
use crate::wire::tfplugin6 as pb;

impl ProviderService {
    pub(super) async fn read_data_source(
        &self,
        request: pb::read_data_source::Request,
    ) -> Result<pb::read_data_source::Response, Diagnostics> {
        let entry = self
            .catalog
            .data_sources
            .get(&request.type_name)
            .ok_or_else(|| unknown_type("data source", &request.type_name))?;
        let read = ReadDataRequest {
            config: decode(request.config.as_ref(), &entry.ty, "configuration")?,
            capabilities: capabilities(request.client_capabilities),
        };
        let mut response = guarded(entry.implementation.read(read)).await?;
        if response.state.is_null() && !response.diagnostics.has_errors() {
            response.diagnostics.error(
                "Provider produced a null data source",
                "The data source returned no object. This is a bug in the provider.",
            );
        }
        require_wholly_known(
            &mut response.state,
            "data source result",
            &mut response.diagnostics,
        );
        Ok(pb::read_data_source::Response {
            state: Some(encode(&response.state, &entry.ty, "data source result")?),
            diagnostics: response.diagnostics.to_proto(),
            deferred: None,
        })
    }
}
