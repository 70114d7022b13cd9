//! End-to-end tests: real Terraform (see `scripts/setup.sh`) driving the built provider binary
//! against an in-process devserver on loopback, or, for the scenarios of [`acceptance`], against
//! the Kestra named by `KESTRA_ACCEPTANCE_URL` (`cargo test --test e2e acceptance`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test panics

#[path = "../common/mod.rs"]
mod common;

mod acceptance;
mod compose_and_ci;
mod cross_version;
mod examples;
mod external_server;
mod interrupt;
mod key_length;
mod kv;
mod kv_resilience;
mod kvs;
mod kvs_import;
mod kvs_moves;
mod modern;
mod provider;
mod registry;
mod release;
mod transport;
