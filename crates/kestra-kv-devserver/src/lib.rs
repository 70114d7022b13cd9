//! A faithful in-memory stand-in for Kestra's current (E4) KV HTTP API.
//!
//! Used by the client and provider tests (in-process through [`DevServer`]) and by the
//! `kestra-kv-devserver` binary (out-of-process, with admin endpoints under `/_devserver/`).
//! Behaviour follows Kestra's (summarised in ARCHITECTURE.md); choices where Kestra's behaviour
//! is not confirmed are documented next to the code that makes them.
//!
//! The server runs on hyper directly (bodies are axum's) rather than on an axum `Router`:
//! fault injection must be able to drop a connection without answering, which only a
//! service-level error can do, and the routing rules (literal `inheritance` beating `{key}`
//! for GET only, legacy path rewriting) are simpler as one explicit match.
//!
//! Java `Duration` parsing/normalisation comes from [`kestra_kv_client::duration`], shared with
//! the client.

mod clock;
mod errors;
mod faults;
mod http;
mod ion;
mod search;
mod server;
mod store;
mod value;

pub use clock::{Clock, ManualClock, SystemClock};
pub use faults::Faults;
pub use server::{DevServer, DevServerConfig, RouteCounts, Stats};
pub use value::TimestampReading;
