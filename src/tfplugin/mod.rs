//! Terraform plugin protocol 6 SDK: wire types, values, schemas, diagnostics and the server.
//! Knows nothing of Kestra.

pub mod data_source;
pub mod diagnostics;
pub mod dynamic;
pub mod ephemeral;
pub mod handshake;
pub mod json;
pub mod list;
pub mod logging;
pub mod msgpack;
pub mod plan;
pub mod provider;
mod recovery;
pub mod resource;
mod responses;
pub mod schema;
mod serve;
pub mod server;
pub mod tls;
pub mod types;
pub mod value;
pub mod wire;

pub use data_source::{DataSource, ReadDataRequest, ReadDataResponse};
pub use diagnostics::{AttributePath, Diagnostic, Diagnostics, PathStep, Severity};
pub use dynamic::{decode_dynamic, encode_dynamic};
pub use ephemeral::{
    CloseRequest, EphemeralResource, OpenRequest, OpenResponse, RenewRequest, RenewResponse,
};
pub use json::{decode_json, encode_json, value_from_json, value_to_json};
pub use list::{ListEvent, ListRequest, ListResource};
pub use msgpack::{DecodeError, EncodeError, decode_msgpack, encode_msgpack};
pub use provider::{ClientCapabilities, ConfigureRequest, Provider};
pub use resource::{
    ApplyRequest, ApplyResponse, ImportRequest, ImportResponse, PlanRequest, PlanResponse,
    ReadRequest, ReadResponse, Resource, UpgradeStateRequest, ValidateResourceRequest,
};
pub use schema::{
    Attribute, Block, IdentityAttribute, IdentitySchema, NestedBlock, NestedObject, NestingMode,
    Schema, StringKind,
};
pub use serve::{ServeOptions, serve};
pub use server::{PluginServer, ProviderService, ServeError};
/// Re-exported so provider code can write `#[tfplugin::async_trait]` on trait impls.
pub use tonic::async_trait;
pub use types::{Number, Type};
pub use value::Value;
