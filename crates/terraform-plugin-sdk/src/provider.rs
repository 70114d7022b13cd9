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

/// The provider block's configuration, given once per provider process (ConfigureProvider).
#[derive(Debug, Clone, Default)]
pub struct ConfigureRequest {
    /// The calling Terraform's version (`1.15.5`), e.g. for a User-Agent.
    pub terraform_version: String,
    /// The provider block's configuration; may hold unknowns during plan (never for import).
    pub config: Value,
    /// What the calling Terraform supports.
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

    /// The managed resource types (`resource` blocks); asked once at start-up.
    fn resources(&self) -> Vec<Arc<dyn Resource>>;

    /// The data source types (`data` blocks); asked once at start-up. Default: none.
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![]
    }

    /// The ephemeral resource types (`ephemeral` blocks); asked once at start-up. Default: none.
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![]
    }

    /// The list resource types (`list` blocks of `terraform query`); asked once at start-up.
    /// Default: none.
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![]
    }
}
