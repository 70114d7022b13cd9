//! The one test harness of the workspace, shared by every crate's tests and benches. One module
//! per job; features keep each crate's dev-dependency tree to what its tests need (a module of a
//! feature exists only with it, hence no links below):
//!
//! - always: `pki`, a private CA and the server certificates it signs; `binaries`, where
//!   the workspace's binaries and files are;
//! - feature `grpc` (the SDK's protocol tests): `grpc`, a small provider exercising every SDK
//!   behaviour, served on loopback, and a gRPC client for it; `tls_client`, the client side of
//!   AutoMTLS, as Terraform does it, with Terraform's client certificate;
//! - feature `kestra` (the client's and the devserver's tests): `client`, the Kestra client
//!   against an in-process devserver; `http`, raw HTTP to a devserver, in-process or
//!   `devserver_binary` (the binary run as a child process); `scripted`, a scripted HTTP(S)
//!   server recording what the Kestra client sends;
//! - feature `terraform` (the provider's end-to-end tests and benches): `terraform`, real
//!   Terraform (from `.venv`) driving the built provider binary; `server`, the Kestra a
//!   scenario talks to, a devserver or the one named by `KESTRA_ACCEPTANCE_URL`;
//!   `registry`, a static HTTPS server standing in for a providers.v1 registry or a network
//!   mirror; `gpg`, a throwaway signing key, as `release.sh --sign` uses; `front`, a loopback
//!   HTTP front answering or forwarding what a test needs to see.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test panics

pub mod binaries;
pub mod pki;

#[cfg(feature = "grpc")]
pub mod grpc;
#[cfg(feature = "grpc")]
pub mod tls_client;

#[cfg(feature = "kestra")]
pub mod client;
#[cfg(feature = "kestra")]
pub mod devserver_binary;
#[cfg(feature = "kestra")]
pub mod http;
#[cfg(feature = "kestra")]
pub mod scripted;

#[cfg(feature = "terraform")]
pub mod front;
#[cfg(feature = "terraform")]
pub mod gpg;
#[cfg(feature = "terraform")]
pub mod registry;
#[cfg(feature = "terraform")]
pub mod server;
#[cfg(feature = "terraform")]
pub mod terraform;
