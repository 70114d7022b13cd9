//! The KV handlers: put, get and delete one value, bulk delete, and list a namespace.

use axum::body::Body;
use http::{Request, Response};
use kestra_kv_client::instant::java_instant_string;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::request::{check_text_plain, header_text, parse_ttl, read_body, time_duration};
use super::validation::{validate_key, validate_namespace};
use super::{AppState, ok_json};
use crate::errors::{ApiError, ErrorKind};
use crate::ion::{IonValue, parse_document};
use crate::store::{Lookup, Write};
use crate::value::derive;

pub(super) async fn put_value(
    state: &AppState,
    request: Request<Body>,
    tenant: &str,
    namespace: &str,
    key: &str,
) -> Result<Response<Body>, ApiError> {
    check_text_plain(request.headers())?;
    let ttl = parse_ttl(request.headers())?;
    validate_key(key)?;
    validate_namespace(namespace)?;
    if ttl.is_some_and(|ttl| ttl.is_negative()) {
        return Err(ApiError::new(
            ErrorKind::InvalidArgument,
            "ttl cannot be negative",
        ));
    }
    let description = request.headers().get("description").map(header_text);
    let body = read_body(request).await?;
    if body.is_empty() {
        return Err(ApiError::new(
            ErrorKind::InvalidRequestBody,
            "Required Body [value] not specified",
        ));
    }
    let text = String::from_utf8_lossy(&body);
    // E4 (with PR #18751): anything unreadable or with trailing content is kept verbatim.
    let value = parse_document(&text).unwrap_or_else(|_| IonValue::Text(text.to_string()));
    let now = state.clock.now();
    let expiration = match ttl {
        Some(ttl) => Some(
            now.checked_add(time_duration(ttl))
                .ok_or_else(|| ApiError::new(ErrorKind::InvalidArgument, "ttl is too large"))?,
        ),
        None => None,
    };
    state.store().put(
        tenant,
        namespace,
        key,
        Write {
            value,
            description,
            expiration,
        },
        now,
    );
    Ok(Response::new(Body::empty()))
}

pub(super) fn get_value(
    state: &AppState,
    tenant: &str,
    namespace: &str,
    key: &str,
) -> Result<Response<Body>, ApiError> {
    validate_key(key)?;
    validate_namespace(namespace)?;
    let now = state.clock.now();
    let mut store = state.store();
    let entry = store
        .get(tenant, namespace, key, now)
        .map_err(|lookup| match lookup {
            Lookup::Missing => ApiError::new(
                ErrorKind::NotFound,
                format!("No value found for key '{key}' in namespace '{namespace}'"),
            ),
            Lookup::Expired => ApiError::new(
                ErrorKind::ResourceExpired,
                "The requested value has expired",
            ),
        })?;
    let typed = derive(&entry.value, state.timestamps)
        .map_err(|error| ApiError::new(ErrorKind::Internal, error.to_string()))?;
    let mut body = Map::new();
    body.insert("type".into(), Value::String(typed.kind.into()));
    if let Some(value) = typed.value {
        body.insert("value".into(), value);
    }
    if state.revisions {
        body.insert("revision".into(), Value::from(entry.revision));
        body.insert(
            "updated".into(),
            Value::String(java_instant_string(entry.updated)),
        );
    }
    Ok(ok_json(&Value::Object(body)))
}

pub(super) fn delete_value(
    state: &AppState,
    tenant: &str,
    namespace: &str,
    key: &str,
) -> Result<Response<Body>, ApiError> {
    validate_key(key)?;
    validate_namespace(namespace)?;
    let deleted = state.store().delete(tenant, namespace, key);
    Ok(ok_json(&Value::Bool(deleted)))
}

#[derive(Debug, Deserialize)]
struct BulkDeleteRequest {
    #[serde(default)]
    keys: Option<Vec<String>>,
}

/// Deletes keys in request order; an invalid key fails the request after the earlier keys
/// were already deleted (as Kestra does).
pub(super) async fn delete_many(
    state: &AppState,
    request: Request<Body>,
    tenant: &str,
    namespace: &str,
) -> Result<Response<Body>, ApiError> {
    validate_namespace(namespace)?;
    let body = read_body(request).await?;
    if body.is_empty() {
        return Err(ApiError::new(
            ErrorKind::InvalidRequestBody,
            "Required Body [request] not specified",
        ));
    }
    let parsed: BulkDeleteRequest = serde_json::from_slice(&body)
        .map_err(|error| ApiError::new(ErrorKind::InvalidJson, error.to_string()))?;
    let mut deleted = Vec::new();
    for key in parsed.keys.unwrap_or_default() {
        validate_key(&key)?;
        if state.store().delete(tenant, namespace, &key) {
            deleted.push(key);
        }
    }
    Ok(ok_json(&json!({ "keys": deleted })))
}

pub(super) fn list_namespace(
    state: &AppState,
    tenant: &str,
    namespace: &str,
) -> Result<Response<Body>, ApiError> {
    validate_namespace(namespace)?;
    let now = state.clock.now();
    let store = state.store();
    let entries: Vec<_> = store
        .live_in_namespace(tenant, namespace, now)
        .into_iter()
        .map(|entry| entry.to_json(state.revisions))
        .collect();
    Ok(ok_json(&json!(entries)))
}
