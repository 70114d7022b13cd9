//! Typed client for Kestra's Key-Value HTTP API. Knows nothing of Terraform.
//!
//! - [`Client`]: PUT/GET/DELETE of values, listing (paged transparently), inheritance, with
//!   retries of idempotent calls and errors one can match on ([`Error`]).
//! - [`KvValue`]/[`KvType`]: validated typed values, their PUT encoding (Kestra parses bodies as
//!   ION), decoding of GET answers and semantic equality.
//! - [`duration`]: Java/Kestra duration helpers shared with the devserver.

mod client;
mod config;
pub mod duration;
mod error;
pub mod instant;
mod model;
mod proxy;
mod retry;
mod value;

pub use client::{Client, Clock, SystemClock};
pub use config::{Auth, ClientConfig, DEFAULT_TENANT, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
pub use duration::{DurationError, JavaDuration, KvDuration, kestra_duration_length};
pub use error::{Error, RequestInfo, TlsFailure};
pub use model::{KvEntry, ListOptions, MAX_PAGE_SIZE, PutOptions, StoredValue};
pub use proxy::{ProxyRules, ProxyUse};
pub use retry::RetryPolicy;
pub use value::{KvType, KvValue, ValueError, format_date, json_string_literal, readback};
