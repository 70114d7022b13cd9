//! Errors of the Kestra client: one variant per way a caller reacts, each naming the request
//! (method, path without secrets, status) and Kestra's own message.

use std::fmt;

use serde_json::Value as Json;

use super::proxy::ProxyUse;

/// The request an error is about. `path` is relative to the server root, never carries
/// credentials (those live in headers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestInfo {
    /// The HTTP method (`PUT`, `GET`, `DELETE`).
    pub method: http::Method,
    /// From the server root (base path included) with any query, e.g.
    /// `/api/v1/main/namespaces/company.team/kv/my_key`.
    pub path: String,
    /// The status of the failed response; `None` when none came back.
    pub status: Option<u16>,
}

impl fmt::Display for RequestInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        Ok(())
    }
}

/// Why a call failed, one variant per way a caller reacts: match on it, or ask
/// [`Error::is_not_found`], [`Error::is_retryable`] and the like. `message` fields hold Kestra's
/// own text (problem `detail`, legacy `message`, else the start of the body).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 404: the key was never set, was deleted, or has expired and been removed (or the route
    /// does not exist: check `base_url`). Not retried; [`Client::get_opt`](crate::Client::get_opt)
    /// reads it as `None`.
    #[error("{request}: not found: {message}")]
    NotFound {
        /// Kestra's message.
        message: String,
        /// The request that failed.
        request: RequestInfo,
    },
    /// 410: the key's ttl has passed; Kestra deletes it, so the next read is a 404. Treat it as
    /// absent ([`Error::is_not_found`] does).
    #[error("{request}: the value has expired: {message}")]
    Expired {
        /// Kestra's message.
        message: String,
        /// The request that failed.
        request: RequestInfo,
    },
    /// 400, 409, 413, 415, 422: Kestra refused the request as written (most often 422: a key
    /// outside `[a-zA-Z0-9][a-zA-Z0-9._-]*`, or a ttl it cannot read). Not retried: fix the input.
    #[error("{request}: Kestra rejected the request: {message}")]
    Invalid {
        /// The HTTP status.
        status: u16,
        /// Kestra's message, naming what is wrong.
        message: String,
        /// The request that failed.
        request: RequestInfo,
    },
    /// 401: missing or wrong credentials. Fix [`ClientConfig::auth`](crate::ClientConfig::auth);
    /// recent OSS versions require basic auth.
    #[error("{request}: Kestra rejected the credentials: {message}")]
    Unauthorized {
        /// Kestra's message.
        message: String,
        /// The request that failed.
        request: RequestInfo,
    },
    /// 403 (EE): authenticated but lacking the KVSTORE permission on the namespace; an
    /// administrator must grant it.
    #[error("{request}: access denied (the KVSTORE permission is required): {message}")]
    Forbidden {
        /// Kestra's message.
        message: String,
        /// The request that failed.
        request: RequestInfo,
    },
    /// 5xx, after retries where the status is retryable (502, 503, 504). A 500 is Kestra
    /// failing on this request (e.g. reading a stored `"PD"`) and is not retried.
    #[error("{request}: Kestra server error after {attempts} attempt(s): {message}")]
    Server {
        /// The HTTP status of the last attempt.
        status: u16,
        /// Kestra's message (E4 adds a `traceId` to quote to support).
        message: String,
        /// HTTP attempts made, retries included.
        attempts: u32,
        /// The request that failed.
        request: RequestInfo,
    },
    /// No HTTP response: connection refused or dropped, timeout, TLS failure. Retried except
    /// TLS failures; when it still fails, check that the server runs at `base_url`.
    #[error("{request}: {detail} (after {attempts} attempt(s))")]
    Transport {
        /// reqwest's error, without the URL.
        #[source]
        source: reqwest::Error,
        /// The error and its causes (boxed: it keeps `Error` small).
        detail: Box<str>,
        /// HTTP attempts made, retries included.
        attempts: u32,
        /// The request that failed.
        request: RequestInfo,
        /// `host:port` of the server the request went to (for diagnostics; the message leaves
        /// it out, as it leaves out the URL).
        server: String,
        /// Set when the TLS handshake failed (never retried: it fails the same way again).
        tls: Option<TlsFailure>,
        /// The proxy the request went through, when one did (then the failure may be the
        /// proxy's).
        proxy: Option<ProxyUse>,
    },
    /// A success status with a body that does not have the documented shape; the message names
    /// the content type and the first bytes of the body.
    /// Whether a PUT or DELETE took effect is unknown: read the key again.
    #[error("{request}: unexpected response body: {message}")]
    Decode {
        /// What was expected, then the content type and start of the body.
        message: String,
        /// The request whose answer could not be read.
        request: RequestInfo,
    },
    /// A success status with an HTML page: the answer of something in front of Kestra (a single
    /// sign-on login page, a proxy) or of a web UI the `url` points at, never of Kestra's API.
    /// Point `base_url` at Kestra's API, or let the request past what stands in front.
    #[error("{request}: the answer is an HTML page from {server}, not Kestra's API ({body})")]
    NotKestra {
        /// `host:port` the request went to.
        server: String,
        /// Its content type and first characters.
        body: String,
        /// The request that was answered with HTML.
        request: RequestInfo,
    },
    /// A 3xx: the client follows no redirect (it would carry credentials elsewhere, or end on a
    /// login page). Often `http://` answered by a redirect to `https://`: use the final URL.
    #[error("{request}: redirected to {location}")]
    Redirected {
        /// The 3xx status.
        status: u16,
        /// The `Location` header, or a note that there was none.
        location: String,
        /// The request that was redirected.
        request: RequestInfo,
    },
    /// 407 from the proxy the request went through: put credentials in the proxy URL, or
    /// exempt the server from the proxy (`NO_PROXY`).
    #[error("{request}: the proxy {proxy} requires authentication: {message}")]
    ProxyAuthentication {
        /// The proxy that refused, and why it was used.
        proxy: ProxyUse,
        /// The proxy's message.
        message: String,
        /// The request that was refused.
        request: RequestInfo,
    },
    /// Any other status (429 after retries, 405, ...): often not Kestra answering, or a
    /// Kestra version without this endpoint.
    #[error("{request}: unexpected HTTP status {status} after {attempts} attempt(s): {message}")]
    UnexpectedStatus {
        /// The HTTP status of the last attempt.
        status: u16,
        /// The body's message, or the status' reason phrase.
        message: String,
        /// HTTP attempts made, retries included.
        attempts: u32,
        /// The request that failed.
        request: RequestInfo,
    },
    /// Not sent, or not retried: the client's cancellation token was cancelled first (see
    /// [`crate::Client::cancelled_by`]). A request already on the wire when that
    /// happens is not cut off; this is about those that had not started.
    #[error("{request}: not sent: the operation was cancelled (after {attempts} attempt(s))")]
    Cancelled {
        /// Attempts made before the cancellation (0: nothing was sent).
        attempts: u32,
        /// The request that was not sent.
        request: RequestInfo,
    },
    /// The client configuration cannot be used (bad URL, CA certificate, header, ...).
    #[error("invalid Kestra client configuration: {0}")]
    Config(String),
    /// An argument that cannot form a request (empty or dot-only path segment, control
    /// characters in a header value), refused before anything is sent.
    #[error("invalid argument: {0}")]
    InvalidInput(String),
}

impl Error {
    /// The key is absent: never set, deleted, or expired (a 410 means "gone" to callers that
    /// only care whether a value exists).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. } | Error::Expired { .. })
    }

    /// The request was not sent because the operation was cancelled.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Error::Cancelled { .. })
    }

    /// The last attempt ran out of the per-request timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { source, .. } if source.is_timeout())
    }

    /// Whether the client retries this kind of failure (on idempotent requests): connection
    /// errors and the statuses 429, 502, 503 and 504. Other failures end at the first attempt,
    /// whatever `max_retries` says.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { tls, .. } => tls.is_none(),
            _ => self.status().is_some_and(super::retry::is_retryable_status),
        }
    }

    /// A success answer that could not be read: not Kestra's (HTML) or not of the documented
    /// shape. Whatever the request did is unknown.
    pub fn is_unreadable_answer(&self) -> bool {
        matches!(self, Error::Decode { .. } | Error::NotKestra { .. })
    }

    /// HTTP attempts made (retries included); 0 when nothing was sent.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Server { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::UnexpectedStatus { attempts, .. }
            | Error::Cancelled { attempts, .. } => *attempts,
            Error::Config(_) | Error::InvalidInput(_) => 0,
            _ => 1,
        }
    }

    /// The HTTP status of the failed response, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.request().and_then(|request| request.status)
    }

    /// The request the error is about; `None` for [`Error::Config`] and [`Error::InvalidInput`],
    /// which fail before any request exists.
    pub fn request(&self) -> Option<&RequestInfo> {
        match self {
            Error::NotFound { request, .. }
            | Error::Expired { request, .. }
            | Error::Invalid { request, .. }
            | Error::Unauthorized { request, .. }
            | Error::Forbidden { request, .. }
            | Error::Server { request, .. }
            | Error::Transport { request, .. }
            | Error::Decode { request, .. }
            | Error::NotKestra { request, .. }
            | Error::Redirected { request, .. }
            | Error::ProxyAuthentication { request, .. }
            | Error::UnexpectedStatus { request, .. }
            | Error::Cancelled { request, .. } => Some(request),
            Error::Config(_) | Error::InvalidInput(_) => None,
        }
    }

    /// Maps an unsuccessful response to its variant.
    pub(crate) fn from_status(
        request: RequestInfo,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
        attempts: u32,
    ) -> Error {
        let message = error_message(status, content_type, body);
        match status {
            404 => Error::NotFound { message, request },
            410 => Error::Expired { message, request },
            400 | 409 | 413 | 415 | 422 => Error::Invalid {
                status,
                message,
                request,
            },
            401 => Error::Unauthorized { message, request },
            403 => Error::Forbidden { message, request },
            500..=599 => Error::Server {
                status,
                message,
                attempts,
                request,
            },
            _ => Error::UnexpectedStatus {
                status,
                message,
                attempts,
                request,
            },
        }
    }

    pub(crate) fn transport(
        source: reqwest::Error,
        attempts: u32,
        request: RequestInfo,
        server: String,
        proxy: Option<ProxyUse>,
    ) -> Error {
        let source = source.without_url();
        let detail = error_chain(&source).into_boxed_str();
        let tls = tls_failure(&source);
        Error::Transport {
            source,
            detail,
            attempts,
            request,
            server,
            tls,
            proxy,
        }
    }
}

/// How a TLS handshake failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsFailure {
    /// The server answered the TLS greeting with something else: it speaks plain HTTP there.
    NotTls,
    /// Any other handshake failure (an untrusted or mismatched certificate, no common cipher).
    Handshake,
}

/// The TLS failure behind a request error, if one is. rustls' error sits inside an
/// `io::Error`, whose `source()` skips it, so each `io::Error` is opened by hand.
pub(crate) fn tls_failure(error: &(dyn std::error::Error + 'static)) -> Option<TlsFailure> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return Some(match tls {
                rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType) => {
                    TlsFailure::NotTls
                }
                _ => TlsFailure::Handshake,
            });
        }
        current = match error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => error.source(),
        };
    }
    None
}

/// The error and its causes, joined, since reqwest's own message alone ("error sending
/// request") hides the reason.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        let line = current.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        cause = current.source();
    }
    text
}

const MAX_RAW_BODY_CHARS: usize = 500;

/// Kestra's message from an error body: RFC 9457 problem details (`detail`, else `title`,
/// plus `errors[]`), the legacy `{message, _embedded.errors}` body, else the raw text
/// (shortened), else the status' reason phrase.
pub(crate) fn error_message(status: u16, content_type: Option<&str>, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    let parsed = serde_json::from_str::<Json>(trimmed).ok();
    let is_problem = content_type.is_some_and(|value| value.contains("problem+json"));
    let from_json = parsed.as_ref().and_then(|json| {
        if is_problem || json.get("detail").is_some() || json.get("title").is_some() {
            problem_message(json).or_else(|| legacy_message(json))
        } else {
            legacy_message(json).or_else(|| problem_message(json))
        }
    });
    if let Some(message) = from_json {
        return message;
    }
    if !trimmed.is_empty() {
        return shorten(trimmed);
    }
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .unwrap_or("no message")
        .to_owned()
}

fn problem_message(json: &Json) -> Option<String> {
    let main = string_field(json, "detail").or_else(|| string_field(json, "title"))?;
    let details = json
        .get("errors")
        .and_then(Json::as_array)
        .map(|errors| {
            errors
                .iter()
                .filter_map(|item| {
                    let detail = string_field(item, "detail")?;
                    Some(
                        match string_field(item, "pointer").or_else(|| string_field(item, "path")) {
                            Some(location) => format!("{location}: {detail}"),
                            None => detail,
                        },
                    )
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    Some(with_details(main, details))
}

fn legacy_message(json: &Json) -> Option<String> {
    let main = string_field(json, "message")?;
    let details = json
        .pointer("/_embedded/errors")
        .and_then(Json::as_array)
        .map(|errors| {
            errors
                .iter()
                .filter_map(|item| string_field(item, "message"))
                .filter(|detail| detail != &main)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    Some(with_details(main, details))
}

fn string_field(json: &Json, name: &str) -> Option<String> {
    json.get(name)
        .and_then(Json::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

fn with_details(main: String, details: Vec<String>) -> String {
    if details.is_empty() {
        main
    } else {
        format!("{main} ({})", details.join("; "))
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_RAW_BODY_CHARS) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(status: u16) -> RequestInfo {
        RequestInfo {
            method: http::Method::GET,
            path: "/api/v1/main/namespaces/company.team/kv/k".to_owned(),
            status: Some(status),
        }
    }

    #[test]
    fn legacy_body() {
        let body = br#"{"message":"Not Found: No value found for key 'k' in namespace 'company.team'",
            "_links":{"self":{"href":"/api/v1/main/namespaces/company.team/kv/k","templated":false}}}"#;
        assert_eq!(
            error_message(404, Some("application/json"), body),
            "Not Found: No value found for key 'k' in namespace 'company.team'"
        );
        let body = br#"{"message":"Invalid entity: bad","_embedded":{"errors":[{"message":"key: must not be blank","path":"key"},{"message":"Invalid entity: bad"}]}}"#;
        assert_eq!(
            error_message(422, Some("application/json"), body),
            "Invalid entity: bad (key: must not be blank)"
        );
    }

    #[test]
    fn problem_json_body() {
        let body = br#"{"type":"https://kestra.io/docs/api-reference/problems/not-found","title":"Resource not found",
            "status":404,"detail":"No value found for key 'k' in namespace 'company.team'","instance":"/x"}"#;
        assert_eq!(
            error_message(404, Some("application/problem+json"), body),
            "No value found for key 'k' in namespace 'company.team'"
        );
        let body = br#"{"type":"t","title":"Validation failed","status":422,"errors":[{"detail":"must not be blank","pointer":"/key"},{"detail":"too long"}]}"#;
        assert_eq!(
            error_message(422, Some("application/problem+json"), body),
            "Validation failed (/key: must not be blank; too long)"
        );
        // Problem bodies are recognised by their members even under a plain JSON type.
        let body = br#"{"title":"Authentication required","status":401}"#;
        assert_eq!(
            error_message(401, Some("application/json"), body),
            "Authentication required"
        );
    }

    #[test]
    fn raw_and_empty_bodies() {
        assert_eq!(
            error_message(502, Some("text/html"), b"  <h1>Bad gateway</h1> "),
            "<h1>Bad gateway</h1>"
        );
        assert_eq!(error_message(401, None, b""), "Unauthorized");
        assert_eq!(error_message(599, None, b""), "no message");
        let long = "x".repeat(2000);
        let message = error_message(500, None, long.as_bytes());
        assert_eq!(message.chars().count(), MAX_RAW_BODY_CHARS + 1);
        assert_eq!(error_message(500, None, &[0xff, 0xfe]), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn statuses_map_to_variants() {
        let variant = |status: u16| Error::from_status(request(status), status, None, b"", 3);
        assert!(matches!(variant(404), Error::NotFound { .. }));
        assert!(variant(404).is_not_found());
        assert!(matches!(variant(410), Error::Expired { .. }));
        assert!(variant(410).is_not_found());
        assert!(matches!(variant(422), Error::Invalid { status: 422, .. }));
        assert!(matches!(variant(415), Error::Invalid { status: 415, .. }));
        assert!(matches!(variant(401), Error::Unauthorized { .. }));
        assert!(matches!(variant(403), Error::Forbidden { .. }));
        assert!(matches!(
            variant(503),
            Error::Server {
                status: 503,
                attempts: 3,
                ..
            }
        ));
        assert!(matches!(
            variant(429),
            Error::UnexpectedStatus {
                status: 429,
                attempts: 3,
                ..
            }
        ));
        assert_eq!(variant(503).attempts(), 3);
        assert_eq!(variant(404).attempts(), 1);
        assert_eq!(variant(422).status(), Some(422));
        assert!(!variant(500).is_not_found());
    }

    #[test]
    fn display_names_method_path_status_and_message() {
        let body = br#"{"message":"Illegal argument: ttl cannot be negative"}"#;
        let error = Error::from_status(request(422), 422, None, body, 1);
        assert_eq!(
            error.to_string(),
            "GET /api/v1/main/namespaces/company.team/kv/k (HTTP 422): Kestra rejected the request: \
             Illegal argument: ttl cannot be negative"
        );
        let error = Error::from_status(request(503), 503, None, b"", 5);
        assert_eq!(
            error.to_string(),
            "GET /api/v1/main/namespaces/company.team/kv/k (HTTP 503): Kestra server error after 5 attempt(s): Service Unavailable"
        );
    }
}
