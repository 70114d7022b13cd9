//! End-to-end tests: real Terraform (see `scripts/setup.sh`) driving the built provider binary
//! against an in-process devserver on loopback, or, for the scenarios of [`acceptance`], against
//! the Kestra named by `KESTRA_ACCEPTANCE_URL` (`cargo test --test e2e acceptance`). Also the
//! provider binary's go-plugin start-up ([`handshake`]) and, over gRPC without Terraform, what
//! StopProvider does to a running apply ([`stop_provider`]).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test panics

mod acceptance;
mod compose_and_ci;
mod cross_version;
mod examples;
mod external_server;
mod handshake;
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
mod stop_provider;
mod transport;
