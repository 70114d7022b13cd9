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

use crate::error::{Error, RequestInfo, tls_failure};
use crate::proxy::{ProxyRules, ProxyUse};
use crate::retry::{RetryPolicy, is_retryable_status, parse_retry_after};

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
    /// The proxies requests go through (also given to `http`), to name them in errors.
    pub(super) proxies: ProxyRules,
}

/// The final response of a request, after retries. Error details are only built on failure.
pub(super) struct Reply {
    status: u16,
    content_type: Option<HeaderValue>,
    /// `Location`, kept for 3xx answers.
    location: Option<HeaderValue>,
    body: Bytes,
    attempts: u32,
    method: Method,
    /// Path from the server root, as reported in errors.
    path: String,
    /// `host:port` the request went to.
    server: String,
    /// Kept for 407 answers, which come from it.
    proxy: Option<ProxyUse>,
}

/// How many characters of an unexpected body errors quote.
const QUOTED_BODY_CHARS: usize = 80;

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

    fn content_type(&self) -> Option<&str> {
        self.content_type
            .as_ref()
            .and_then(|value| value.to_str().ok())
    }

    /// The first characters of the body, whitespace runs shown as one space.
    fn body_start(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let mut start: String = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(QUOTED_BODY_CHARS + 1)
            .collect();
        if start.chars().count() > QUOTED_BODY_CHARS {
            start.pop();
            start.push('…');
        }
        start
    }

    /// The body named by its content type and first characters.
    fn described_body(&self) -> String {
        format!(
            "content type {}, body starting {:?}",
            self.content_type().unwrap_or("none"),
            self.body_start()
        )
    }

    /// A body of the wrong shape.
    pub(super) fn decode_error(&self, message: String) -> Error {
        Error::Decode {
            message: format!("{message} ({})", self.described_body()),
            request: self.request(),
        }
    }

    /// Whether the body is an HTML page (by its content type, or its first tag when the type
    /// says nothing useful).
    fn is_html(&self) -> bool {
        let by_type = self.content_type().is_some_and(|value| {
            let value = value.to_ascii_lowercase();
            value.starts_with("text/html") || value.starts_with("application/xhtml+xml")
        });
        let start = self.body.trim_ascii_start();
        let by_tag = [&b"<!doctype html"[..], b"<html"].iter().any(|tag| {
            start
                .get(..tag.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(tag))
        });
        by_type || by_tag
    }

    /// `Ok` for a success answer that may be Kestra's; `Error::NotKestra` for an HTML page,
    /// which something in front of Kestra (or a web UI) sent.
    pub(super) fn check_from_api(&self) -> Result<(), Error> {
        if !self.is_html() {
            return Ok(());
        }
        Err(Error::NotKestra {
            server: self.server.clone(),
            body: self.described_body(),
            request: self.request(),
        })
    }

    pub(super) fn to_error(&self) -> Error {
        if let (407, Some(proxy)) = (self.status, &self.proxy) {
            return Error::ProxyAuthentication {
                proxy: proxy.clone(),
                message: crate::error::error_message(self.status, self.content_type(), &self.body),
                request: self.request(),
            };
        }
        if (300..400).contains(&self.status) {
            let location = match self.location.as_ref().map(HeaderValue::to_str) {
                Some(Ok(location)) => location.to_owned(),
                Some(Err(_)) => "a Location that is not text".to_owned(),
                None => "nowhere (no Location header)".to_owned(),
            };
            return Error::Redirected {
                status: self.status,
                location,
                request: self.request(),
            };
        }
        Error::from_status(
            self.request(),
            self.status,
            self.content_type(),
            &self.body,
            self.attempts,
        )
    }

    /// The body as `T` on success, else the error for the status.
    pub(super) fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        if !self.is_success() {
            return Err(self.to_error());
        }
        self.check_from_api()?;
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

    /// The proxy a request to `url` went through, named for errors.
    fn proxy_of(&self, url: &Url) -> Option<ProxyUse> {
        self.proxies.proxy_for(url).cloned()
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
                    let headers = response.headers();
                    let content_type = headers.get(header::CONTENT_TYPE).cloned();
                    let retry_after = headers.get(header::RETRY_AFTER).cloned();
                    let location = headers.get(header::LOCATION).cloned();
                    response
                        .bytes()
                        .await
                        .map(|body| (status, content_type, retry_after, location, body))
                }
                Err(error) => Err(error),
            };
            let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let can_retry = attempt <= policy.max_retries;
            match outcome {
                Ok((status, content_type, retry_after, location, body)) => {
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
                        location,
                        body,
                        attempts: attempt,
                        path: self.reported_path(path),
                        method,
                        server: self.server(),
                        proxy: (status == 407).then(|| self.proxy_of(&url)).flatten(),
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
                    let proxy = self.proxy_of(&url);
                    return Err(Error::transport(
                        error,
                        attempt,
                        request,
                        self.server(),
                        proxy,
                    ));
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
