//! The ephemeral resource RPCs.

use super::*;

use crate::diagnostics::Diagnostics;
use crate::ephemeral::{CloseRequest, EphemeralResource, OpenRequest, RenewRequest};
use crate::wire::tfplugin6 as pb;

impl ProviderService {
    pub(super) async fn open_ephemeral_resource(
        &self,
        request: pb::open_ephemeral_resource::Request,
    ) -> Result<pb::open_ephemeral_resource::Response, Diagnostics> {
        let entry = self.ephemeral(&request.type_name)?;
        let open = OpenRequest {
            config: decode(request.config.as_ref(), &entry.ty, "configuration")?,
            capabilities: capabilities(request.client_capabilities),
        };
        let mut response = guarded(entry.implementation.open(open)).await?;
        require_wholly_known(
            &mut response.result,
            "ephemeral result",
            &mut response.diagnostics,
        );
        Ok(pb::open_ephemeral_resource::Response {
            result: Some(encode(&response.result, &entry.ty, "ephemeral result")?),
            renew_at: response.renew_at.map(Into::into),
            private: Some(response.private),
            diagnostics: response.diagnostics.to_proto(),
            deferred: None,
        })
    }

    pub(super) fn ephemeral(
        &self,
        type_name: &str,
    ) -> Result<&TypedEntry<dyn EphemeralResource>, Diagnostics> {
        self.catalog
            .ephemeral_resources
            .get(type_name)
            .ok_or_else(|| unknown_type("ephemeral resource", type_name))
    }

    pub(super) async fn renew_ephemeral_resource(
        &self,
        request: pb::renew_ephemeral_resource::Request,
    ) -> Result<pb::renew_ephemeral_resource::Response, Diagnostics> {
        let entry = self.ephemeral(&request.type_name)?;
        let renew = RenewRequest {
            private: request.private.unwrap_or_default(),
        };
        let response = guarded(entry.implementation.renew(renew)).await?;
        Ok(pb::renew_ephemeral_resource::Response {
            diagnostics: response.diagnostics.to_proto(),
            renew_at: response.renew_at.map(Into::into),
            private: Some(response.private),
        })
    }

    pub(super) async fn close_ephemeral_resource(
        &self,
        request: pb::close_ephemeral_resource::Request,
    ) -> Result<pb::close_ephemeral_resource::Response, Diagnostics> {
        let entry = self.ephemeral(&request.type_name)?;
        let close = CloseRequest {
            private: request.private.unwrap_or_default(),
        };
        let diagnostics = guarded(entry.implementation.close(close)).await?;
        Ok(pb::close_ephemeral_resource::Response {
            diagnostics: diagnostics.to_proto(),
        })
    }
}
