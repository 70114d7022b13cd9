//! Client and devserver tests: the Kestra client against the in-process devserver and scripted
//! HTTP servers, and the devserver (in-process and as a binary) against Kestra's behaviour.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test panics

#[path = "../common/mod.rs"]
mod common;

mod answers;
mod auth;
mod cancel;
mod conformance;
mod devserver_binary;
mod devserver_conformance;
mod proxy;
mod retries;
mod roundtrip;
mod tls;
mod wire;
