//! Typed client for [Kestra](https://kestra.io)'s Key-Value HTTP API, on reqwest (rustls) and
//! tokio. It knows nothing of Terraform: the Terraform provider is one of its users.
//!
//! ```no_run
//! use kestra_kv_client::{Client, ClientConfig, KvType, KvValue, ListOptions, PutOptions};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let config = ClientConfig::from_url("http://localhost:8080")?
//!         .with_basic_auth("admin@kestra.io", "Admin1234");
//!     let client = Client::new(config)?;
//!
//!     let value = KvValue::parse(KvType::Number, "42")?;
//!     let opts = PutOptions { ttl: Some("PT1H".parse()?), ..PutOptions::default() };
//!     client.put("company.team", "answer", &value, &opts).await?;
//!
//!     let stored = client.get("company.team", "answer").await?;
//!     println!("{} = {}", stored.value.kind(), stored.value.to_text());
//!
//!     for entry in client.list_all("company.team", ListOptions::default()).await? {
//!         println!("{} expires {:?}", entry.key, entry.expiration_date);
//!     }
//!     Ok(())
//! }
//! ```
//!
//! - [`Client`]: [`put`](Client::put), [`get`](Client::get), [`delete`](Client::delete) and
//!   [`delete_many`](Client::delete_many), [`list`](Client::list) (a stream that pages
//!   transparently), [`inherited`](Client::inherited). Cheap to clone (one connection pool).
//! - [`ClientConfig`]: server root, tenant (`main` on OSS), [`Auth`] (basic, EE token or `JWT`
//!   cookie), extra headers, timeout, trusted certificates, proxies, `User-Agent`.
//! - [`KvValue`]/[`KvType`]: validated typed values and their PUT encoding (Kestra parses bodies
//!   as ION text); [`readback`] says what Kestra may report after a write.
//! - [`Error`]: one variant per way a caller reacts (`NotFound`, `Invalid`, `Unauthorized`,
//!   `Transport`, ...), carrying Kestra's message and the request, never credentials;
//!   [`Error::is_not_found`] and [`Error::is_retryable`] answer the usual questions.
//! - [`RetryPolicy`]: idempotent calls are retried after connection errors, 429, 502, 503 and 504,
//!   with jittered exponential backoff and `Retry-After`, timed by a [`Clock`] tests can replace.
//! - Cancellation: [`Client::cancelled_by`] takes a tokio-util `CancellationToken`; once it is
//!   cancelled no request or retry starts, and calls fail with [`Error::Cancelled`].
//! - [`duration`] and [`instant`]: Java's duration and instant rules, shared with the devserver.
//!
//! `examples/put_list_delete.rs` is a whole run (put, get, list, delete) against a devserver or
//! a real Kestra:
//!
//! ```sh
//! cargo run -p kestra-kv-devserver -- --listen 127.0.0.1:8080 &
//! cargo run -p kestra-kv-client --example put_list_delete -- http://127.0.0.1:8080 company.team
//! ```

#![deny(missing_docs)]

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
