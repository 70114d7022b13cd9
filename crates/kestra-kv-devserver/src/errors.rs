//! API errors and their two wire renderings: the legacy Micronaut `JsonError` body and the
//! E4 RFC 9457 `application/problem+json` body.

use axum::body::Body;
use http::{HeaderValue, Response, StatusCode, header};
use hyper::ext::ReasonPhrase;
use serde_json::{Map, Value, json};

/// Problem kinds the stand-in produces; each maps to a status, a legacy message prefix and
/// a problem `type` slug/title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    ResourceExpired,
    InvalidArgument,
    InvalidFormat,
    InvalidJson,
    InvalidRequestBody,
    /// An `HttpStatusException` thrown by the controller (page size, sort).
    InvalidEntity,
    InvalidQueryFilters,
    UnsupportedMediaType,
    MethodNotAllowed,
    BadRequest,
    Unauthenticated,
    Internal,
    /// A failure injected by the fault settings, with the configured status.
    InjectedFault(StatusCode),
}

impl ErrorKind {
    fn status(self) -> StatusCode {
        match self {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::ResourceExpired => StatusCode::GONE,
            ErrorKind::InvalidArgument
            | ErrorKind::InvalidFormat
            | ErrorKind::InvalidJson
            | ErrorKind::InvalidRequestBody
            | ErrorKind::InvalidEntity => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::InvalidQueryFilters | ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::InjectedFault(status) => status,
        }
    }

    /// Micronaut's reason text that prefixes the legacy `message`.
    fn legacy_reason(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "Not Found",
            ErrorKind::ResourceExpired => "Resource has expired",
            ErrorKind::InvalidArgument => "Illegal argument",
            // E4-only exception; the stand-in reuses Micronaut's conversion-error reason.
            ErrorKind::InvalidFormat => "Invalid format",
            ErrorKind::InvalidJson => "Invalid json",
            ErrorKind::InvalidRequestBody => "Invalid route params",
            ErrorKind::InvalidEntity => "Unprocessable Entity",
            ErrorKind::InvalidQueryFilters | ErrorKind::BadRequest => "Bad Request",
            ErrorKind::UnsupportedMediaType => "Unsupported Media Type",
            ErrorKind::MethodNotAllowed => "Method Not Allowed",
            ErrorKind::Unauthenticated => "Unauthorized",
            ErrorKind::Internal => "Internal server error",
            ErrorKind::InjectedFault(status) => {
                status.canonical_reason().unwrap_or("Injected fault")
            }
        }
    }

    fn problem_slug_and_title(self) -> (&'static str, &'static str) {
        match self {
            ErrorKind::NotFound => ("not-found", "Resource not found"),
            ErrorKind::ResourceExpired => ("resource-expired", "Resource has expired"),
            ErrorKind::InvalidArgument => ("invalid-argument", "Invalid argument"),
            ErrorKind::InvalidFormat => ("invalid-format", "Invalid value format"),
            ErrorKind::InvalidJson => ("invalid-json", "Invalid JSON"),
            ErrorKind::InvalidRequestBody => ("invalid-request-body", "Invalid request body"),
            ErrorKind::InvalidEntity => ("invalid-entity", "Invalid entity"),
            ErrorKind::InvalidQueryFilters => ("invalid-query-filters", "Invalid query filters"),
            ErrorKind::UnsupportedMediaType => ("unsupported-media-type", "Unsupported media type"),
            ErrorKind::MethodNotAllowed => ("method-not-allowed", "Method not allowed"),
            ErrorKind::BadRequest => ("bad-request", "Bad request"),
            ErrorKind::Unauthenticated => ("unauthenticated", "Authentication required"),
            ErrorKind::Internal | ErrorKind::InjectedFault(_) => {
                ("internal-error", "Internal server error")
            }
        }
    }
}

/// An error answer: what went wrong and the human detail (exception message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub detail: String,
    /// The methods a 405 names in its `Allow` header (RFC 9110 requires one).
    pub allow: Option<&'static str>,
}

/// What an error answer echoes of its request.
#[derive(Debug, Clone, Copy)]
pub struct ErrorTarget<'a> {
    /// The URI path as the client sent it (problem `instance`).
    pub path: &'a str,
    /// Path and query as sent (legacy `_links.self.href`).
    pub uri: &'a str,
    /// Micronaut leaves out the `WWW-Authenticate` challenge for requests from its login page
    /// (a `Referer` ending in `/login`), so browsers show no credentials dialog there.
    pub from_login_page: bool,
}

/// How error bodies are rendered for one request.
#[derive(Debug, Clone, Copy)]
pub struct ErrorStyle {
    pub problem_json: bool,
}

const PROBLEM_TYPE_BASE: &str = "https://kestra.io/docs/api-reference/problems/";
const INTERNAL_ERROR_DETAIL: &str =
    "An unexpected error occurred. Quote the traceId when contacting support.";

impl ApiError {
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> ApiError {
        ApiError {
            kind,
            detail: detail.into(),
            allow: None,
        }
    }

    /// A 405 for `method` on a route that serves only `allow` (e.g. `"DELETE, GET, PUT"`).
    pub fn method_not_allowed(method: &http::Method, allow: &'static str) -> ApiError {
        ApiError {
            allow: Some(allow),
            ..ApiError::new(
                ErrorKind::MethodNotAllowed,
                format!("Method [{method}] not allowed"),
            )
        }
    }

    pub fn status(&self) -> StatusCode {
        self.kind.status()
    }

    /// Renders the error for one request.
    pub fn into_response(
        self,
        style: ErrorStyle,
        target: ErrorTarget<'_>,
        trace_id: u64,
    ) -> Response<Body> {
        let status = self.status();
        let mut response = if style.problem_json {
            problem_response(&self, target.path, trace_id)
        } else {
            let mut response = if self.kind == ErrorKind::Unauthenticated {
                // Micronaut's auth filter answers 401 without a body.
                Response::new(Body::empty())
            } else {
                legacy_response(&self, target.uri)
            };
            // Micronaut sends its reason text as the HTTP reason phrase (`422 Illegal argument`).
            response.extensions_mut().insert(ReasonPhrase::from_static(
                self.kind.legacy_reason().as_bytes(),
            ));
            response
        };
        *response.status_mut() = status;
        if let Some(allow) = self.allow {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        if self.kind == ErrorKind::Unauthenticated && !target.from_login_page {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic"));
        }
        response
    }
}

fn legacy_response(error: &ApiError, uri: &str) -> Response<Body> {
    let reason = error.kind.legacy_reason();
    let message = if error.detail.is_empty() {
        reason.to_owned()
    } else {
        format!("{reason}: {}", error.detail)
    };
    let body = json!({
        "message": message,
        "_links": {"self": {"href": uri, "templated": false}},
    });
    json_response(&body, "application/json")
}

fn problem_response(error: &ApiError, path: &str, trace_id: u64) -> Response<Body> {
    let (slug, title) = error.kind.problem_slug_and_title();
    let mut body = Map::new();
    body.insert(
        "type".into(),
        Value::String(format!("{PROBLEM_TYPE_BASE}{slug}")),
    );
    body.insert("title".into(), Value::String(title.into()));
    body.insert("status".into(), Value::from(error.status().as_u16()));
    if error.status().is_server_error() {
        body.insert("detail".into(), Value::String(INTERNAL_ERROR_DETAIL.into()));
        body.insert("instance".into(), Value::String(path.into()));
        body.insert("traceId".into(), Value::String(format!("{trace_id:032x}")));
    } else {
        let detail = if error.detail.is_empty() {
            title
        } else {
            &error.detail
        };
        body.insert("detail".into(), Value::String(detail.into()));
        body.insert("instance".into(), Value::String(path.into()));
    }
    json_response(&Value::Object(body), "application/problem+json")
}

/// A 200 JSON response, or any JSON body with the given content type.
pub fn json_response(body: &Value, content_type: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(body.to_string()));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEGACY: ErrorStyle = ErrorStyle {
        problem_json: false,
    };
    const TARGET: ErrorTarget<'static> = ErrorTarget {
        path: "/p",
        uri: "/p?page=2",
        from_login_page: false,
    };

    async fn body_json(response: Response<Body>) -> Value {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }

    fn reason_phrase(response: &Response<Body>) -> Option<&[u8]> {
        response
            .extensions()
            .get::<ReasonPhrase>()
            .map(ReasonPhrase::as_bytes)
    }

    #[tokio::test]
    async fn legacy_body_prefixes_reason_and_links_self() {
        let error = ApiError::new(ErrorKind::NotFound, "No value found");
        let response = error.into_response(LEGACY, TARGET, 1);
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(reason_phrase(&response), Some(&b"Not Found"[..]));
        let body = body_json(response).await;
        assert_eq!(body["message"], "Not Found: No value found");
        assert_eq!(body["_links"]["self"]["href"], "/p?page=2");
    }

    #[tokio::test]
    async fn reason_phrase_is_micronauts_reason_text() {
        let error = ApiError::new(
            ErrorKind::ResourceExpired,
            "The requested value has expired",
        );
        let response = error.into_response(LEGACY, TARGET, 1);
        assert_eq!(response.status(), StatusCode::GONE);
        assert_eq!(reason_phrase(&response), Some(&b"Resource has expired"[..]));
    }

    #[tokio::test]
    async fn problem_body_hides_internal_details() {
        let error = ApiError::new(ErrorKind::Internal, "secret stack");
        let response = error.into_response(ErrorStyle { problem_json: true }, TARGET, 7);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(reason_phrase(&response), None);
        let body = body_json(response).await;
        assert_eq!(
            body["type"],
            "https://kestra.io/docs/api-reference/problems/internal-error"
        );
        assert_eq!(body["detail"], INTERNAL_ERROR_DETAIL);
        assert_eq!(body["traceId"], format!("{:032x}", 7));
        assert_eq!(body["instance"], "/p");
    }

    #[tokio::test]
    async fn unauthenticated_legacy_is_bodiless_with_challenge() {
        let error = ApiError::new(ErrorKind::Unauthenticated, "");
        let response = error.clone().into_response(LEGACY, TARGET, 1);
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.headers().get(header::WWW_AUTHENTICATE),
            Some(&HeaderValue::from_static("Basic"))
        );
        let bytes = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap_or_default();
        assert!(bytes.is_empty());

        let from_login = ErrorTarget {
            from_login_page: true,
            ..TARGET
        };
        let response = error.into_response(LEGACY, from_login, 1);
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().get(header::WWW_AUTHENTICATE).is_none());
    }
}
