//! The one test harness, shared by the three test binaries (`protocol`, `client`, `e2e`) and the
//! benches: each binary uses the parts it needs, hence `dead_code` is allowed here. One module per
//! job:
//!
//! - [`grpc`]: a small provider exercising every SDK behaviour, served on loopback, and a gRPC
//!   client for it; [`tls_client`]: the client side of AutoMTLS, as Terraform does it;
//! - [`client`]: the Kestra client against an in-process devserver;
//! - [`http`]: raw HTTP to a devserver, in-process or [`devserver_binary`] (the binary run as a
//!   child process);
//! - [`scripted`]: a scripted HTTP(S) server recording what the Kestra client sends;
//! - [`registry`]: a static HTTPS server standing in for a providers.v1 registry or a provider
//!   network mirror; [`gpg`]: a throwaway signing key, as `release.sh --sign` uses;
//! - [`pki`]: the certificates the tests make (a private CA for https, Terraform's client
//!   certificate for AutoMTLS);
//! - [`terraform`]: real Terraform (from `.venv`) driving the built provider binary;
//! - [`server`]: the Kestra a scenario talks to, a devserver or the one named by
//!   `KESTRA_ACCEPTANCE_URL`, reached only through the HTTP API.
#![allow(dead_code)]

pub mod client;
pub mod devserver_binary;
pub mod front;
pub mod gpg;
pub mod grpc;
pub mod http;
pub mod pki;
pub mod registry;
pub mod scripted;
pub mod server;
pub mod terraform;
pub mod tls_client;
