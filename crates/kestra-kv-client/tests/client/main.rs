//! Client tests: the Kestra client against the in-process devserver and scripted HTTP servers
//! (shared helpers in the `test-support` crate).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test panics

mod answers;
mod auth;
mod cancel;
mod conformance;
mod example;
mod proxy;
mod retries;
mod roundtrip;
mod tls;
mod wire;
