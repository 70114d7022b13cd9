//! The data source trait.

use super::diagnostics::Diagnostics;
use super::provider::ClientCapabilities;
use super::schema::Schema;
use super::value::Value;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadDataRequest {
    pub config: Value,
    pub capabilities: ClientCapabilities,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadDataResponse {
    /// The full object, wholly known, never null.
    pub state: Value,
    pub diagnostics: Diagnostics,
}

#[tonic::async_trait]
pub trait DataSource: Send + Sync {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    /// Validates a configuration; values may be unknown and the provider is not configured.
    async fn validate(&self, config: Value) -> Diagnostics;

    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse;
}
