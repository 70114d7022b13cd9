//! The list resource trait (Terraform >= 1.14, `terraform query`).

use futures::stream::BoxStream;

use super::diagnostics::Diagnostics;
use super::schema::Schema;
use super::value::Value;

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
    pub display_name: String,
    /// Full state of the managed resource, when requested.
    pub resource_object: Option<Value>,
    pub diagnostics: Diagnostics,
}

#[tonic::async_trait]
pub trait ListResource: Send + Sync {
    /// Must equal a managed resource type that has an identity schema.
    fn type_name(&self) -> &'static str;

    /// Schema of the list block's `config`.
    fn schema(&self) -> Schema;

    async fn validate(&self, config: Value) -> Diagnostics;

    fn list(&self, request: ListRequest) -> BoxStream<'static, ListEvent>;
}
