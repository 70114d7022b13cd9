//! One gRPC service for go-plugin's five: requests go to the service their path names
//! (`/<package.Service>/<Method>`). tonic's own router lives behind its `router` feature, which
//! brings axum into the tree; this match is all the SDK needs of it.

use std::convert::Infallible;
use std::task::{Context, Poll};

use tonic::Status;
use tonic::body::Body;
use tonic::codegen::http::{Request, Response};
use tonic::codegen::{BoxFuture, Service};
use tonic::server::NamedService;

use super::ProviderService;
use super::go_plugin_services::{Broker, Controller, Stdio};
use crate::wire::plugin::grpc_broker_server::GrpcBrokerServer;
use crate::wire::plugin::grpc_controller_server::GrpcControllerServer;
use crate::wire::plugin::grpc_stdio_server::GrpcStdioServer;
use crate::wire::tfplugin6::provider_server::ProviderServer;

/// The provider, go-plugin's controller, stdio and broker, and the health service `H` (whose
/// type tonic-health does not name).
#[derive(Clone)]
pub(super) struct PluginRoutes<H> {
    pub(super) provider: ProviderServer<ProviderService>,
    pub(super) controller: GrpcControllerServer<Controller>,
    pub(super) stdio: GrpcStdioServer<Stdio>,
    pub(super) broker: GrpcBrokerServer<Broker>,
    pub(super) health: H,
}

/// The service part of a request path, `tfplugin6.Provider` in `/tfplugin6.Provider/ReadResource`.
fn service_name(path: &str) -> &str {
    path.trim_start_matches('/').split('/').next().unwrap_or("")
}

impl<H> Service<Request<Body>> for PluginRoutes<H>
where
    H: Service<Request<Body>, Response = Response<Body>, Error = Infallible> + NamedService,
    H::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<Response<Body>, Infallible>;

    /// Every generated tonic server is always ready, so the routes are too.
    fn poll_ready(&mut self, _context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let service = service_name(request.uri().path());
        if service == ProviderServer::<ProviderService>::NAME {
            self.provider.call(request)
        } else if service == GrpcControllerServer::<Controller>::NAME {
            self.controller.call(request)
        } else if service == GrpcStdioServer::<Stdio>::NAME {
            self.stdio.call(request)
        } else if service == GrpcBrokerServer::<Broker>::NAME {
            self.broker.call(request)
        } else if service == H::NAME {
            Box::pin(self.health.call(request))
        } else {
            let unknown = Status::unimplemented(format!("this plugin serves no {service:?}"));
            Box::pin(std::future::ready(Ok(unknown.into_http())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::service_name;

    #[test]
    fn the_service_is_the_first_path_segment() {
        assert_eq!(
            service_name("/tfplugin6.Provider/ReadResource"),
            "tfplugin6.Provider"
        );
        assert_eq!(
            service_name("/grpc.health.v1.Health/Check"),
            "grpc.health.v1.Health"
        );
        assert_eq!(service_name("/"), "");
        assert_eq!(service_name(""), "");
    }
}
