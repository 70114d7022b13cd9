//! go-plugin's own services: the controller (shutdown), stdio and broker.

use super::*;
use std::sync::Arc;

use tokio::sync::Notify;
use tonic::{Request, Response, Status};

use crate::wire::plugin as go_plugin;

/// `plugin.GRPCController`: Shutdown replies, then the server stops.
pub(super) struct Controller {
    pub(super) shutdown: Arc<Notify>,
}

#[tonic::async_trait]
impl go_plugin::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(
        &self,
        _request: Request<go_plugin::Empty>,
    ) -> Result<Response<go_plugin::Empty>, Status> {
        tracing::debug!(tf_rpc = "Shutdown", "shutdown requested");
        self.shutdown.notify_one();
        Ok(Response::new(go_plugin::Empty {}))
    }
}

/// `plugin.GRPCStdio`: we never write stray output, so the stream stays open and empty.
pub(super) struct Stdio;

#[tonic::async_trait]
impl go_plugin::grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream = ServiceStream<go_plugin::StdioData>;

    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(Box::pin(futures::stream::pending())))
    }
}

/// `plugin.GRPCBroker`: Terraform never brokers connections; accept the stream and idle.
pub(super) struct Broker;

#[tonic::async_trait]
impl go_plugin::grpc_broker_server::GrpcBroker for Broker {
    type StartStreamStream = ServiceStream<go_plugin::ConnInfo>;

    async fn start_stream(
        &self,
        _request: Request<tonic::Streaming<go_plugin::ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        Ok(Response::new(Box::pin(futures::stream::pending())))
    }
}
