//! Sending requests: one connection pool, retries of idempotent calls with backoff, timing
//! through an injectable [`Clock`].

use std::sync::Arc;
use std::time::Instant;

use http::Method;
use http::header::{self, HeaderValue};
use hyper::body::Bytes;
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::kestra::error::{Error, RequestInfo, tls_failure};
use crate::kestra::retry::{RetryPolicy, is_retryable_status, parse_retry_after};

use super::clock::Clock;
use super::request::Request;

/// The HTTP side of a client, shared by its clones and tenants.
pub(super) struct Transport {
    pub(super) http: reqwest::Client,
    /// Server root without a trailing `/`, e.g. `http://host:8080/kestra`.
    pub(super) base: String,
    /// `base`'s origin, parsed once: request URLs are joined onto it, so the host is not
    /// parsed (and IDNA-mapped) again for every request.
    pub(super) origin: Url,
    /// Path part of `base` (e.g. `/kestra`), prefixed to paths reported in errors.
    pub(super) base_path: String,
    pub(super) retry: RetryPolicy,
    pub(super) clock: Arc<dyn Clock>,
}

/// The final response of a request, after retries. Error details are only built on failure.
pub(super) struct Reply {
    status: u16,
    content_type: Option<HeaderValue>,
    body: Bytes,
    attempts: u32,
    method: Method,
    /// Path from the server root, as reported in errors.
    path: String,
}

impl Reply {
    pub(super) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn request(&self) -> RequestInfo {
        RequestInfo {
            method: self.method.clone(),
            path: self.path.clone(),
            status: Some(self.status),
        }
    }

    pub(super) fn decode_error(&self, message: String) -> Error {
        Error::Decode {
            message,
            request: self.request(),
        }
    }

    pub(super) fn to_error(&self) -> Error {
        Error::from_status(
            self.request(),
            self.status,
            self.content_type
                .as_ref()
                .and_then(|value| value.to_str().ok()),
            &self.body,
            self.attempts,
        )
    }

    /// The body as `T` on success, else the error for the status.
    pub(super) fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        if !self.is_success() {
            return Err(self.to_error());
        }
        serde_json::from_slice(&self.body).map_err(|error| self.decode_error(error.to_string()))
    }
}

impl Transport {
    /// `host:port` of the server, for diagnostics.
    pub(super) fn server(&self) -> String {
        let host = self.origin.host_str().unwrap_or_default();
        match self.origin.port_or_known_default() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }

    /// A path as reported in errors: from the server root, including any base path.
    fn reported_path(&self, path: String) -> String {
        if self.base_path.is_empty() {
            path
        } else {
            format!("{}{path}", self.base_path)
        }
    }

    /// The URL of a path (with its query, percent-encoded by the request builder): the parsed
    /// origin with path and query set, so the host is not parsed and IDNA-mapped per request.
    fn url_of(&self, path: &str) -> Url {
        let (path, query) = match path.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path, None),
        };
        let mut url = self.origin.clone();
        url.set_path(&format!("{}{path}", self.base_path));
        url.set_query(query);
        url
    }

    /// Sends a request, retrying on connection errors and 429/502/503/504 as the policy allows.
    /// Every call here is idempotent (GET, PUT upsert, DELETE). No attempt starts once `cancel`
    /// is cancelled (a wait for a retry ends early); one on the wire finishes.
    pub(super) async fn send(
        &self,
        request: Request,
        cancel: &CancellationToken,
    ) -> Result<Reply, Error> {
        let Request {
            method,
            path,
            headers,
            body,
        } = request;
        let url = self.url_of(&path);
        let policy = &self.retry;
        let mut attempt: u32 = 0;
        loop {
            if cancel.is_cancelled() {
                let request = RequestInfo {
                    path: self.reported_path(path),
                    method,
                    status: None,
                };
                return Err(Error::Cancelled {
                    attempts: attempt,
                    request,
                });
            }
            attempt += 1;
            let started = Instant::now();
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .headers(headers.clone());
            if let Some(body) = &body {
                request = request.body(body.clone());
            }
            let outcome = match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
                    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
                    response
                        .bytes()
                        .await
                        .map(|body| (status, content_type, retry_after, body))
                }
                Err(error) => Err(error),
            };
            let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let can_retry = attempt <= policy.max_retries;
            match outcome {
                Ok((status, content_type, retry_after, body)) => {
                    tracing::debug!(%method, %path, status, duration_ms, attempt, "Kestra request");
                    if can_retry && is_retryable_status(status) {
                        let requested = retry_after
                            .as_ref()
                            .and_then(|value| value.to_str().ok())
                            .and_then(|value| parse_retry_after(value, self.clock.now_utc()));
                        self.pause(attempt, requested, cancel).await;
                        continue;
                    }
                    return Ok(Reply {
                        status,
                        content_type,
                        body,
                        attempts: attempt,
                        path: self.reported_path(path),
                        method,
                    });
                }
                Err(error) => {
                    tracing::debug!(%method, %path, duration_ms, attempt, "Kestra request failed without a response");
                    if can_retry && !error.is_builder() && tls_failure(&error).is_none() {
                        self.pause(attempt, None, cancel).await;
                        continue;
                    }
                    let request = RequestInfo {
                        path: self.reported_path(path),
                        method,
                        status: None,
                    };
                    return Err(Error::transport(error, attempt, request, self.server()));
                }
            }
        }
    }

    /// Waits before the retry that follows attempt number `attempt`, or until `cancel`.
    async fn pause(
        &self,
        attempt: u32,
        requested: Option<std::time::Duration>,
        cancel: &CancellationToken,
    ) {
        let delay = self
            .retry
            .delay(attempt - 1, requested, &mut self.clock.rng());
        tokio::select! {
            () = self.clock.sleep(delay) => {}
            () = cancel.cancelled() => {}
        }
    }
}
