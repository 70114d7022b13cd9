//! The list resource trait (Terraform >= 1.14, `terraform query`).

use futures::stream::BoxStream;

use super::diagnostics::Diagnostics;
use super::schema::Schema;
use super::value::Value;

/// A listing of remote objects (ListResource), for a `list` block of `terraform query`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListRequest {
    /// Content of the list block's `config` sub-block.
    pub config: Value,
    /// Whether each event should carry the full resource object.
    pub include_resource_object: bool,
    /// Maximum number of results Terraform wants.
    pub limit: i64,
}

/// One listed remote object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListEvent {
    /// Value of the managed resource's identity schema.
    pub identity: Value,
    /// A human-readable name Terraform shows for the object in query results.
    pub display_name: String,
    /// Full state of the managed resource, when requested.
    pub resource_object: Option<Value>,
    /// Problems met while listing this object, shown by `terraform query`.
    pub diagnostics: Diagnostics,
}

/// A list resource type (Terraform >= 1.14): finds the existing remote objects of a managed
/// resource type, so `terraform query` can show them and generate import blocks.
#[tonic::async_trait]
pub trait ListResource: Send + Sync {
    /// Must equal a managed resource type that has an identity schema.
    fn type_name(&self) -> &'static str;

    /// Schema of the list block's `config`.
    fn schema(&self) -> Schema;

    /// Checks a list block's `config`; values may be unknown and the provider is not configured.
    async fn validate(&self, config: Value) -> Diagnostics;

    /// Streams the matching objects, one event each, up to `request.limit`; the provider is
    /// configured.
    fn list(&self, request: ListRequest) -> BoxStream<'static, ListEvent>;
}
