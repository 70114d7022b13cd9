//! Terraform plugin protocol 6 for Rust, on tonic and prost: a provider implements plain Rust
//! traits and the SDK speaks to Terraform. It knows nothing of any particular provider.
//!
//! - **Start-up**: go-plugin's handshake (magic cookie, loopback port, AutoMTLS, the handshake
//!   line), `--debug` reattach mode, hclog JSON logs on stderr, StopProvider and Shutdown.
//! - **Values**: [`Value`] and [`Type`] are cty values and types, unknowns included, carried as
//!   msgpack ([`encode_msgpack`]) or JSON ([`value_to_json`]).
//! - **Schemas**: [`Schema`], [`Block`], [`Attribute`] and [`NestedBlock`] describe each block;
//!   the SDK checks them at start-up and decodes every value against them.
//! - **Typed models**: [`model!`] declares a struct per schema block, read from and written to
//!   [`Value`]s, with [`Attr`] for attributes that may be null or unknown.
//! - **Diagnostics**: [`Diagnostics`] carry errors and warnings to the user, anchored at an
//!   [`AttributePath`] in the configuration.
//! - **Capability traits**: a [`Provider`] lists its [`Resource`]s, [`DataSource`]s,
//!   [`EphemeralResource`]s and [`ListResource`]s. Each method is one lifecycle step with
//!   plain-Rust requests and responses; protobuf types stay inside the SDK, which also prefills
//!   plans as terraform-plugin-framework does and checks results against Terraform's rules.
//!
//! # Getting started
//!
//! Implement [`Provider`], and call [`serve`] from the `main` of a binary named
//! `terraform-provider-<type>`; it returns when Terraform shuts the plugin down:
//!
//! ```
//! use std::process::ExitCode;
//! use std::sync::Arc;
//! use terraform_plugin_sdk::{Provider, ServeOptions, serve};
//!
//! /// The whole of the provider binary's `main`.
//! fn serve_provider(provider: Arc<dyn Provider>) -> ExitCode {
//!     serve(provider, ServeOptions {
//!         registry_address: "registry.terraform.io/example/example",
//!         human_help: "This is a Terraform provider: run `terraform init` and `terraform plan`.",
//!         log_crates: &["terraform_provider_example"],
//!     })
//! }
//! ```
//!
//! `examples/minimal_provider.rs` is a whole provider with one resource, in under 150 lines
//! (`cargo build -p terraform-plugin-sdk --example terraform-provider-example`).

#![deny(missing_docs)]

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
