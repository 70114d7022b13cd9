//! End-to-end tests: real Terraform (see `scripts/setup.sh`) driving the built provider binary
//! against an in-process devserver on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test panics

#[path = "../common/mod.rs"]
mod common;

mod cross_version;
mod examples;
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
