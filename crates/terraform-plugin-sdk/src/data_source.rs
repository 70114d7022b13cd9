//! The data source trait.

use super::diagnostics::Diagnostics;
use super::provider::ClientCapabilities;
use super::schema::Schema;
use super::value::Value;

/// A read of a data source (ReadDataSource).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadDataRequest {
    /// The data block's configuration, wholly known (Terraform defers the read until it is).
    pub config: Value,
    /// What the calling Terraform supports.
    pub capabilities: ClientCapabilities,
}

/// The data read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadDataResponse {
    /// The full object, wholly known, never null.
    pub state: Value,
    /// Problems found; errors fail the plan or apply.
    pub diagnostics: Diagnostics,
}

/// A data source type (`data "type" "name" { ... }`): reads something that exists outside the
/// configuration; nothing is created, and the result is read again on every run.
#[tonic::async_trait]
pub trait DataSource: Send + Sync {
    /// The data source type name used in configuration, prefixed with the provider's.
    fn type_name(&self) -> &'static str;

    /// The schema of the data block and of its result.
    fn schema(&self) -> Schema;

    /// Validates a configuration; values may be unknown and the provider is not configured.
    async fn validate(&self, config: Value) -> Diagnostics;

    /// Reads the data, on plan when the configuration is known, else on apply; the provider is
    /// configured. Computed attributes are filled in, configured ones kept.
    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse;
}
