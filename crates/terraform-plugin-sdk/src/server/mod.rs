//! The gRPC services: `tfplugin6.Provider` on top of the capability traits, plus go-plugin's
//! controller, stdio and broker services and `grpc.health.v1`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::Stream;
use tonic::{Response, Status};

use crate::diagnostics::Diagnostics;
use crate::provider::Provider;
use crate::stop::StopSignal;

/// 256 MiB, like terraform-plugin-go: tonic's 4 MiB default breaks large configurations.
pub const MAX_MESSAGE_SIZE: usize = 256 * 1024 * 1024;

/// How long `GRPCController.Shutdown` waits for its reply to be written before the server stops.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(100);

type ServiceStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

mod catalog;
mod convert;
mod data_sources;
mod dispatch;
pub mod dynamic;
mod ephemeral;
mod go_plugin_services;
mod guard;
mod list;
mod provider_rpcs;
mod resources;
mod routes;
mod transport;
mod validate;

use catalog::*;
use convert::*;
use go_plugin_services::*;
use guard::*;
pub use transport::{PluginServer, ServeError};

/// Logs each RPC at debug level with its duration.
async fn logged<T>(rpc: &'static str, type_name: &str, future: impl Future<Output = T>) -> T {
    let started = Instant::now();
    let result = future.await;
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::debug!(
        tf_rpc = rpc,
        tf_type_name = type_name,
        duration_ms,
        "served RPC"
    );
    result
}

/// The `tfplugin6.Provider` service.
#[derive(Clone)]
pub struct ProviderService {
    catalog: Arc<Catalog>,
    /// Tripped by StopProvider, handed to the provider by ConfigureProvider.
    stop: StopSignal,
}

impl ProviderService {
    pub fn new(provider: Arc<dyn Provider>) -> ProviderService {
        ProviderService {
            catalog: Arc::new(Catalog::new(provider)),
            stop: StopSignal::default(),
        }
    }
}

/// Runs an RPC body with logging; an early-exit `Err(diagnostics)` becomes a response built by
/// `fallback`, never a gRPC error.
async fn respond<T>(
    rpc: &'static str,
    type_name: String,
    body: impl Future<Output = Result<T, Diagnostics>>,
    fallback: impl FnOnce(Diagnostics) -> T,
) -> Result<Response<T>, Status> {
    let response = logged(rpc, &type_name, body).await;
    Ok(Response::new(response.unwrap_or_else(fallback)))
}
