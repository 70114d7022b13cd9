//! The provider trait: what a provider implements to be served by [`super::serve`].

use std::sync::Arc;

use super::data_source::DataSource;
use super::diagnostics::Diagnostics;
use super::ephemeral::EphemeralResource;
use super::list::ListResource;
use super::resource::Resource;
use super::schema::Schema;
use super::stop::StopSignal;
use super::value::Value;

/// What the Terraform client told us it supports (sent with most requests).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientCapabilities {
    /// Deferred responses are allowed (only experimental Terraform builds and Stacks).
    pub deferral_allowed: bool,
    /// The client understands write-only attributes (Terraform >= 1.11).
    pub write_only_attributes_allowed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ConfigureRequest {
    pub terraform_version: String,
    pub config: Value,
    pub capabilities: ClientCapabilities,
    /// Tripped when Terraform calls StopProvider (Ctrl-C): keep it and start no new remote
    /// request once it is (requests in flight may finish), so that the state records exactly
    /// what was done.
    pub stop: StopSignal,
}

/// A Terraform provider. One instance serves one provider process; RPCs arrive concurrently.
#[tonic::async_trait]
pub trait Provider: Send + Sync + 'static {
    /// Provider type name, the prefix of every resource type (`aws` in `aws_instance`).
    fn type_name(&self) -> &'static str;

    /// Schema of the `provider` block.
    fn schema(&self) -> Schema;

    /// Validates the provider block; values may be unknown and the provider is not configured.
    async fn validate_config(&self, _config: &Value) -> Diagnostics {
        Diagnostics::default()
    }

    /// Called once per process before any resource operation that needs the remote system.
    async fn configure(&self, request: ConfigureRequest) -> Diagnostics;

    /// StopProvider, called after [`ConfigureRequest::stop`] is tripped: cancel in-flight work
    /// but keep serving.
    async fn stop(&self) {}

    fn resources(&self) -> Vec<Arc<dyn Resource>>;

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![]
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![]
    }
}
