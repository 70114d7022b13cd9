//! Devserver tests: the stand-in against Kestra's behaviour (the conformance vectors of
//! ARCHITECTURE.md), in-process and as the `kestra-kv-devserver` binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test panics

mod binary;
mod conformance;
