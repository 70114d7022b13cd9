//! Reading a request: the body (size-capped), the PUT content type, and the `ttl` and
//! `description` headers as Kestra's HTTP stack reads them.

use axum::body::{Body, Bytes};
use http::{HeaderMap, Request, header};
use kestra_kv_client::duration::JavaDuration;

use crate::errors::{ApiError, ErrorKind};

/// Request bodies larger than this are refused (Kestra's limit is far higher; tests never
/// need more).
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

pub(super) async fn read_body(request: Request<Body>) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|error| {
            ApiError::new(
                ErrorKind::BadRequest,
                format!("Cannot read the request body: {error}"),
            )
        })
}

/// PUT consumes `text/plain` only (E3+); a missing content type is accepted.
pub(super) fn check_text_plain(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(content_type) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(content_type.as_bytes());
    let essence = text.split(';').next().unwrap_or_default().trim();
    if essence.eq_ignore_ascii_case("text/plain") {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorKind::UnsupportedMediaType,
            format!("Content Type [{essence}] not allowed. Allowed types: [text/plain]"),
        ))
    }
}

/// A header value as Kestra's HTTP stack (Netty) reads it: every byte is one ISO-8859-1
/// character, so UTF-8 sent by a client arrives garbled (`ï` as `Ã¯`).
pub(super) fn header_text(value: &http::HeaderValue) -> String {
    value
        .as_bytes()
        .iter()
        .map(|&byte| char::from(byte))
        .collect()
}

/// The `ttl` header: unparsable → 422 invalid-format (E4 conversion error), negative → 422.
pub(super) fn parse_ttl(headers: &HeaderMap) -> Result<Option<JavaDuration>, ApiError> {
    let Some(raw) = headers.get("ttl") else {
        return Ok(None);
    };
    let text = header_text(raw);
    JavaDuration::parse(&text).map(Some).ok_or_else(|| {
        ApiError::new(
            ErrorKind::InvalidFormat,
            format!("Cannot convert value '{text}' to Duration"),
        )
    })
}

pub(super) fn time_duration(duration: JavaDuration) -> time::Duration {
    time::Duration::new(
        duration.seconds(),
        i32::try_from(duration.nanos()).unwrap_or(0),
    )
}
