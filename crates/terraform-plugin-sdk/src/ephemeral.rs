//! The ephemeral resource trait (Terraform >= 1.10): values that are never stored.

use std::time::SystemTime;

use super::diagnostics::Diagnostics;
use super::provider::ClientCapabilities;
use super::schema::Schema;
use super::value::Value;

/// An opening of an ephemeral resource (OpenEphemeralResource), when a run needs its value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpenRequest {
    /// The ephemeral block's configuration.
    pub config: Value,
    /// What the calling Terraform supports.
    pub capabilities: ClientCapabilities,
}

/// The opened value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpenResponse {
    /// The object the configuration can refer to (a token, a secret), wholly known; Terraform
    /// keeps it in memory only, never in plan or state.
    pub result: Value,
    /// Handed back to `renew` and `close`.
    pub private: Vec<u8>,
    /// When Terraform should call `renew`.
    pub renew_at: Option<SystemTime>,
    /// Problems found; errors fail the plan or apply that opened it.
    pub diagnostics: Diagnostics,
}

/// A renewal (RenewEphemeralResource), at the `renew_at` the last open or renew asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenewRequest {
    /// The private data the last open or renew returned (a lease ID, say).
    pub private: Vec<u8>,
}

/// The outcome of a renewal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenewResponse {
    /// Private data for the next renew and for close.
    pub private: Vec<u8>,
    /// When Terraform should call `renew` again; `None` for never.
    pub renew_at: Option<SystemTime>,
    /// Problems found, reported by Terraform.
    pub diagnostics: Diagnostics,
}

/// A close (CloseEphemeralResource), when Terraform no longer needs the value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CloseRequest {
    /// The private data the last open or renew returned.
    pub private: Vec<u8>,
}

/// An ephemeral resource type (`ephemeral "type" "name" { ... }`, Terraform >= 1.10): opened
/// for each run that uses it, renewed while in use and closed after; its values are never stored.
#[tonic::async_trait]
pub trait EphemeralResource: Send + Sync {
    /// The ephemeral resource type name used in configuration, prefixed with the provider's.
    fn type_name(&self) -> &'static str;

    /// The schema of the ephemeral block and of its result.
    fn schema(&self) -> Schema;

    /// Checks a configuration; values may be unknown and the provider is not configured.
    async fn validate(&self, config: Value) -> Diagnostics;

    /// Produces the value (fetches a secret, creates a token); the provider is configured.
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
