//! Terraform plugin protocol 6 SDK: wire types, values, schemas, diagnostics and the server.
//! Knows nothing of Kestra.

pub mod data_source;
pub mod diagnostics;
pub mod ephemeral;
mod handshake;
pub mod json;
pub mod list;
pub mod logging;
pub mod model;
pub mod msgpack;
pub mod plan;
pub mod provider;
mod recovery;
pub mod resource;
mod responses;
pub mod schema;
mod serve;
mod server;
pub mod stop;
mod tls;
pub mod types;
pub mod value;
mod wire;

pub use data_source::{DataSource, ReadDataRequest, ReadDataResponse};
pub use diagnostics::{AttributePath, Diagnostic, Diagnostics, PathStep, Severity};
pub use ephemeral::{
    CloseRequest, EphemeralResource, OpenRequest, OpenResponse, RenewRequest, RenewResponse,
};
pub use json::{decode_json, encode_json, value_from_json, value_to_json};
pub use list::{ListEvent, ListRequest, ListResource};
pub use model::{Attr, FromValue, IntoValue, Model, ModelError, check_model};
pub use msgpack::{DecodeError, EncodeError, decode_msgpack, encode_msgpack};
pub use provider::{ClientCapabilities, ConfigureRequest, Provider};
pub use resource::{
    ApplyResponse, CreateRequest, DeleteRequest, DeleteResponse, ImportRequest, ImportResponse,
    PlanRequest, PlanResponse, ReadRequest, ReadResponse, Remaining, Resource, UpdateRequest,
    UpgradeStateRequest, ValidateResourceRequest,
};
pub use schema::{
    Attribute, Block, IdentityAttribute, IdentitySchema, NestedBlock, NestedObject, NestingMode,
    Schema, StringKind,
};
pub use serve::{ServeOptions, serve};
pub use stop::StopSignal;

/// What the project's own tests and benches drive the SDK with, without Terraform: the wire
/// types (to act as Terraform's gRPC client), the plugin server, the go-plugin handshake
/// constants, the TLS server configuration and go-plugin's certificate shape (from which the
/// tests make Terraform's client certificate), and the DynamicValue codec. Provider code never
/// needs it: protocol types stay inside the SDK.
#[doc(hidden)]
pub mod testing {
    pub use super::handshake::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};
    pub use super::server::dynamic::{decode_dynamic, encode_dynamic};
    pub use super::server::{PluginServer, ServeError};
    pub use super::tls::{ServerCertificate, go_plugin_certificate_params, server_config};
    pub use super::wire::{plugin, tfplugin6};
}
/// Re-exported so provider code can write `#[terraform_plugin_sdk::async_trait]` on trait impls.
pub use tonic::async_trait;
pub use types::{Number, Type};
pub use value::Value;
