//! The ephemeral resource trait (Terraform >= 1.10): values that are never stored.

use std::time::SystemTime;

use super::diagnostics::Diagnostics;
use super::provider::ClientCapabilities;
use super::schema::Schema;
use super::value::Value;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpenRequest {
    pub config: Value,
    pub capabilities: ClientCapabilities,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpenResponse {
    pub result: Value,
    /// Handed back to `renew` and `close`.
    pub private: Vec<u8>,
    /// When Terraform should call `renew`.
    pub renew_at: Option<SystemTime>,
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenewRequest {
    pub private: Vec<u8>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenewResponse {
    pub private: Vec<u8>,
    pub renew_at: Option<SystemTime>,
    pub diagnostics: Diagnostics,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CloseRequest {
    pub private: Vec<u8>,
}

#[tonic::async_trait]
pub trait EphemeralResource: Send + Sync {
    fn type_name(&self) -> &'static str;

    fn schema(&self) -> Schema;

    async fn validate(&self, config: Value) -> Diagnostics;

    async fn open(&self, request: OpenRequest) -> OpenResponse;

    /// Default: nothing to renew; keeps the private data.
    async fn renew(&self, request: RenewRequest) -> RenewResponse {
        RenewResponse {
            private: request.private,
            ..RenewResponse::default()
        }
    }

    /// Default: nothing to release.
    async fn close(&self, _request: CloseRequest) -> Diagnostics {
        Diagnostics::default()
    }
}
