//! Protocol tests: the SDK over gRPC on loopback, without Terraform.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test panics

mod example_provider;
mod server;
mod tls;
