//! Request handling: admin endpoints, faults, auth, routing and the KV handlers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use base64::Engine;
use http::{HeaderMap, Method, Request, Response, StatusCode, header};
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use thiserror::Error;

use super::clock::Clock;
use super::errors::{ApiError, ErrorKind, ErrorStyle, ErrorTarget, json_response};
use super::faults::{FaultDecision, FaultInjector, Faults, Hold};
use super::ion::{IonValue, parse_document};
use super::search::SearchQuery;
use super::server::{DevServerConfig, RouteKind, StatsCounters};
use super::store::{Lookup, Store, Write};
use super::value::{TimestampReading, derive};
use kestra_kv_client::duration::JavaDuration;
use kestra_kv_client::instant::java_instant_string;

/// Request bodies larger than this are refused (Kestra's limit is far higher; tests never
/// need more).
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
const OSS_TENANT: &str = "main";
const ADMIN_PREFIX: &str = "/_devserver/";
const KEY_MESSAGE: &str = "Key must start with an alphanumeric character (uppercase or lowercase) and can contain alphanumeric characters (uppercase or lowercase), dots (.), underscores (_), and hyphens (-) only.";
const MAX_NAMESPACE_LENGTH: usize = 150;

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug, Error)]
#[error("connection dropped by fault injection")]
pub struct DropConnection;

#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub basic: Option<(String, String)>,
    pub bearer: Option<String>,
}

/// Everything a request handler needs, shared by all connections.
pub struct AppState {
    store: Mutex<Store>,
    clock: Arc<dyn Clock>,
    auth: AuthConfig,
    style: ErrorStyle,
    legacy_paths: bool,
    timestamps: TimestampReading,
    /// Report revisions (current Kestra); off, GET answers only type and value and listings
    /// carry no revision, as older Kestra does.
    revisions: bool,
    /// The tenants served; `None` serves any.
    tenants: Option<Vec<String>>,
    pub faults: FaultInjector,
    pub stats: StatsCounters,
    trace_ids: AtomicU64,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("problem_json", &self.style.problem_json)
            .field("legacy_paths", &self.legacy_paths)
            .field("timestamps", &self.timestamps)
            .field("revisions", &self.revisions)
            .field("faults", &self.faults)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// The state of a server answering as `config` says, on `clock`.
    pub fn new(config: DevServerConfig, clock: Arc<dyn Clock>) -> AppState {
        AppState {
            store: Mutex::new(Store::default()),
            clock,
            auth: AuthConfig {
                basic: config.basic_auth,
                bearer: config.api_token,
            },
            style: ErrorStyle {
                problem_json: config.problem_json,
            },
            legacy_paths: config.legacy_paths,
            timestamps: config.timestamps,
            revisions: config.revisions,
            tenants: config.tenants,
            faults: FaultInjector::new(config.faults, config.seed),
            stats: StatsCounters::default(),
            trace_ids: AtomicU64::new(1),
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The hyper service: one request in, one response out (or a dropped connection).
pub async fn handle<B>(
    state: Arc<AppState>,
    request: Request<B>,
) -> Result<Response<Body>, DropConnection>
where
    B: hyper::body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let request = request.map(Body::new);
    let path = request.uri().path().to_owned();
    let uri = request
        .uri()
        .path_and_query()
        .map_or_else(|| path.clone(), |target| target.as_str().to_owned());
    let from_login_page = request
        .headers()
        .get(header::REFERER)
        .and_then(|referer| referer.to_str().ok())
        .is_some_and(|referer| referer.ends_with("/login"));
    if path.starts_with(ADMIN_PREFIX) {
        return Ok(admin(&state, request, &path).await);
    }
    state.stats.count_request();
    let faults = state.faults.current();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    let result = match state.faults.decide() {
        FaultDecision::Drop => {
            state.stats.count_fault();
            return Err(DropConnection);
        }
        FaultDecision::Fail(status) => {
            state.stats.count_fault();
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            Err(ApiError::new(
                ErrorKind::InjectedFault(status),
                "Injected fault",
            ))
        }
        FaultDecision::Proceed => match authenticate(&state.auth, request.headers()) {
            Ok(()) => api(&state, request).await,
            Err(error) => Err(error),
        },
    };
    Ok(result.unwrap_or_else(|error| {
        let trace_id = state.trace_ids.fetch_add(1, Ordering::Relaxed);
        let target = ErrorTarget {
            path: &path,
            uri: &uri,
            from_login_page,
        };
        error.into_response(state.style, target, trace_id)
    }))
}

fn authenticate(auth: &AuthConfig, headers: &HeaderMap) -> Result<(), ApiError> {
    if auth.basic.is_none() && auth.bearer.is_none() {
        return Ok(());
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '));
    let accepted = match authorization {
        Some((scheme, encoded)) if scheme.eq_ignore_ascii_case("basic") => {
            basic_credentials_match(encoded, auth)
        }
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            auth.bearer.as_deref() == Some(token.trim())
        }
        _ => basic_auth_cookie(headers)
            .is_some_and(|encoded| basic_credentials_match(&encoded, auth)),
    };
    if accepted {
        Ok(())
    } else {
        Err(ApiError::new(ErrorKind::Unauthenticated, ""))
    }
}

/// Whether base64 `user:password` are the configured basic-auth credentials.
fn basic_credentials_match(encoded: &str, auth: &AuthConfig) -> bool {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match (
        decoded.as_deref().and_then(|text| text.split_once(':')),
        &auth.basic,
    ) {
        (Some((user, password)), Some((expected_user, expected_password))) => {
            user == expected_user && password == expected_password
        }
        _ => false,
    }
}

/// The base64 credentials of the UI's `BASIC_AUTH` cookie, which may carry the whole
/// (percent-encoded) `Basic …` header value or just its credentials.
fn basic_auth_cookie(headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|cookies| cookies.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .find_map(|cookie| cookie.trim().strip_prefix("BASIC_AUTH="))?;
    let value = percent_decode_str(value.trim_matches('"'))
        .decode_utf8()
        .ok()?;
    let credentials = match value.split_once(' ') {
        Some((scheme, credentials)) if scheme.eq_ignore_ascii_case("basic") => credentials,
        _ => &value,
    };
    Some(credentials.to_owned())
}

/// A KV route with percent-decoded segments.
#[derive(Debug, PartialEq, Eq)]
enum Route {
    Value {
        tenant: String,
        namespace: String,
        key: String,
    },
    Namespace {
        tenant: String,
        namespace: String,
    },
    Inheritance {
        tenant: String,
        namespace: String,
    },
    Search {
        tenant: String,
    },
}

impl Route {
    fn tenant(&self) -> &str {
        match self {
            Route::Value { tenant, .. }
            | Route::Namespace { tenant, .. }
            | Route::Inheritance { tenant, .. }
            | Route::Search { tenant } => tenant,
        }
    }
}

fn decode_segment(raw: &str) -> Result<String, ApiError> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| ApiError::new(ErrorKind::BadRequest, "Path segment is not valid UTF-8"))
}

/// Maps a path to a route. `/kv/inheritance` is the inheritance route for GET only; other
/// methods treat `inheritance` as a key. Un-tenanted legacy paths map to tenant `main`.
fn route(path: &str, method: &Method, legacy_paths: bool) -> Result<Option<Route>, ApiError> {
    let Some(rest) = path.strip_prefix("/api/v1/") else {
        return Ok(None);
    };
    let raw: Vec<&str> = rest.split('/').collect();
    let tenanted = match raw.as_slice() {
        ["namespaces", _, "kv", ..] | ["kv"] if legacy_paths => {
            let mut with_tenant = vec![OSS_TENANT];
            with_tenant.extend(raw.iter().copied());
            with_tenant
        }
        _ => raw.clone(),
    };
    let segments = tenanted
        .iter()
        .map(|segment| decode_segment(segment))
        .collect::<Result<Vec<String>, ApiError>>()?;
    let route = match segments.as_slice() {
        [tenant, kv] if kv == "kv" => Some(Route::Search {
            tenant: tenant.clone(),
        }),
        [tenant, namespaces, namespace, kv] if namespaces == "namespaces" && kv == "kv" => {
            Some(Route::Namespace {
                tenant: tenant.clone(),
                namespace: namespace.clone(),
            })
        }
        [tenant, namespaces, namespace, kv, key] if namespaces == "namespaces" && kv == "kv" => {
            // The literal segment, not a decoded `%69nheritance`, selects the route.
            if method == Method::GET && tenanted.last() == Some(&"inheritance") {
                Some(Route::Inheritance {
                    tenant: tenant.clone(),
                    namespace: namespace.clone(),
                })
            } else {
                Some(Route::Value {
                    tenant: tenant.clone(),
                    namespace: namespace.clone(),
                    key: key.clone(),
                })
            }
        }
        _ => None,
    };
    Ok(route)
}

fn validate_key(key: &str) -> Result<(), ApiError> {
    let mut bytes = key.bytes();
    let Some(first) = bytes.next() else {
        return Err(ApiError::new(
            ErrorKind::InvalidArgument,
            "Key cannot be null or empty",
        ));
    };
    let valid = first.is_ascii_alphanumeric()
        && bytes.all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'));
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(ErrorKind::InvalidArgument, KEY_MESSAGE))
    }
}

/// Kestra's namespace id rule (`^[a-z0-9][a-z0-9._-]*$`, at most 150 characters). Kestra's KV
/// controller itself does not check it; the stand-in does, so clients cannot rely on
/// namespaces a real instance could never hold.
fn validate_namespace(namespace: &str) -> Result<(), ApiError> {
    let mut bytes = namespace.bytes();
    let valid = namespace.len() <= MAX_NAMESPACE_LENGTH
        && bytes
            .next()
            .is_some_and(|first| first.is_ascii_lowercase() || first.is_ascii_digit())
        && bytes.all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'.' | b'_' | b'-')
        });
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorKind::InvalidArgument,
            format!(
                "Invalid namespace '{namespace}': it must match ^[a-z0-9][a-z0-9._-]*$ and be at most 150 characters"
            ),
        ))
    }
}

/// Holds a listing or bulk delete until the PUTs [`Faults::hold_until_put`] names were served.
async fn hold(state: &AppState) {
    match state.faults.hold().await {
        Hold::NotHeld => {}
        Hold::Released => state.stats.count_hold(false),
        Hold::TimedOut => state.stats.count_hold(true),
    }
}

async fn api(state: &AppState, request: Request<Body>) -> Result<Response<Body>, ApiError> {
    let method = request.method().clone();
    let Some(route) = route(request.uri().path(), &method, state.legacy_paths)? else {
        return Err(ApiError::new(ErrorKind::NotFound, ""));
    };
    // Kestra's answer to a tenant that does not exist is not documented (clients have seen 400
    // to 422 across versions); the stand-in answers as for a route that does not exist.
    if let Some(tenants) = &state.tenants
        && !tenants.iter().any(|tenant| tenant == route.tenant())
    {
        return Err(ApiError::new(ErrorKind::NotFound, ""));
    }
    match route {
        Route::Value {
            tenant,
            namespace,
            key,
        } => match method {
            Method::GET => {
                state.stats.count_route(RouteKind::Get);
                get_value(state, &tenant, &namespace, &key)
            }
            Method::PUT => {
                state.stats.count_route(RouteKind::Put);
                let written = put_value(state, request, &tenant, &namespace, &key).await;
                if written.is_ok() {
                    state.faults.written(&key);
                }
                written
            }
            Method::DELETE => {
                state.stats.count_route(RouteKind::Delete);
                delete_value(state, &tenant, &namespace, &key)
            }
            _ => Err(ApiError::method_not_allowed(&method, "DELETE, GET, PUT")),
        },
        Route::Namespace { tenant, namespace } => match method {
            Method::GET => {
                state.stats.count_route(RouteKind::List);
                hold(state).await;
                list_namespace(state, &tenant, &namespace)
            }
            Method::DELETE => {
                state.stats.count_route(RouteKind::Delete);
                hold(state).await;
                delete_many(state, request, &tenant, &namespace).await
            }
            _ => Err(ApiError::method_not_allowed(&method, "DELETE, GET")),
        },
        Route::Inheritance { tenant, namespace } => {
            state.stats.count_route(RouteKind::Inheritance);
            validate_namespace(&namespace)?;
            let now = state.clock.now();
            let store = state.store();
            let entries: Vec<_> = store
                .inherited(&tenant, &namespace, now)
                .into_iter()
                .map(|entry| entry.to_json(state.revisions))
                .collect();
            Ok(ok_json(&json!(entries)))
        }
        Route::Search { tenant } => match method {
            Method::GET => {
                state.stats.count_route(RouteKind::Search);
                hold(state).await;
                let query = SearchQuery::parse(request.uri().query())?;
                let now = state.clock.now();
                let store = state.store();
                let (page, total) = query.run(store.live(&tenant, now));
                let results: Vec<_> = page
                    .into_iter()
                    .map(|entry| entry.to_json(state.revisions))
                    .collect();
                Ok(ok_json(&json!({"results": results, "total": total})))
            }
            _ => Err(ApiError::method_not_allowed(&method, "GET")),
        },
    }
}

fn ok_json(body: &Value) -> Response<Body> {
    json_response(body, "application/json")
}

async fn read_body(request: Request<Body>) -> Result<Bytes, ApiError> {
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
fn check_text_plain(headers: &HeaderMap) -> Result<(), ApiError> {
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
fn header_text(value: &http::HeaderValue) -> String {
    value
        .as_bytes()
        .iter()
        .map(|&byte| char::from(byte))
        .collect()
}

/// The `ttl` header: unparsable → 422 invalid-format (E4 conversion error), negative → 422.
fn parse_ttl(headers: &HeaderMap) -> Result<Option<JavaDuration>, ApiError> {
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

fn time_duration(duration: JavaDuration) -> time::Duration {
    time::Duration::new(
        duration.seconds(),
        i32::try_from(duration.nanos()).unwrap_or(0),
    )
}

async fn put_value(
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

fn get_value(
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

fn delete_value(
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
async fn delete_many(
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

fn list_namespace(
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

/// `/_devserver/…`: stats and fault control for out-of-process tests; never faulted,
/// authenticated or counted.
async fn admin(state: &AppState, request: Request<Body>, path: &str) -> Response<Body> {
    let admin_error = |status: StatusCode, message: String| {
        let mut response = ok_json(&json!({ "message": message }));
        *response.status_mut() = status;
        response
    };
    match (request.method().clone(), path) {
        (Method::GET, "/_devserver/stats") => ok_json(&json!(state.stats.snapshot())),
        (Method::POST, "/_devserver/stats/reset") => {
            state.stats.reset();
            ok_json(&json!(state.stats.snapshot()))
        }
        (Method::GET, "/_devserver/faults") => ok_json(&json!(state.faults.current())),
        (Method::PUT, "/_devserver/faults") => {
            let body = match read_body(request).await {
                Ok(body) => body,
                Err(error) => return admin_error(StatusCode::BAD_REQUEST, error.detail),
            };
            match serde_json::from_slice::<Faults>(&body) {
                Ok(faults) if StatusCode::from_u16(faults.fail_status).is_ok() => {
                    state.faults.set(faults.clone());
                    ok_json(&json!(faults))
                }
                Ok(faults) => admin_error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("invalid fail_status {}", faults.fail_status),
                ),
                Err(error) => admin_error(StatusCode::UNPROCESSABLE_ENTITY, error.to_string()),
            }
        }
        _ => admin_error(StatusCode::NOT_FOUND, format!("no admin endpoint {path}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routed(path: &str, method: Method, legacy: bool) -> Option<Route> {
        route(path, &method, legacy).ok().flatten()
    }

    #[test]
    fn routes_tenanted_and_legacy_paths() {
        let value = |tenant: &str, key: &str| Route::Value {
            tenant: tenant.into(),
            namespace: "a.b".into(),
            key: key.into(),
        };
        assert_eq!(
            routed("/api/v1/main/namespaces/a.b/kv/k", Method::GET, false),
            Some(value("main", "k"))
        );
        assert_eq!(
            routed("/api/v1/t1/namespaces/a.b/kv/k%20x", Method::GET, false),
            Some(value("t1", "k x"))
        );
        assert_eq!(
            routed("/api/v1/namespaces/a.b/kv/k", Method::PUT, true),
            Some(value("main", "k"))
        );
        assert_eq!(
            routed("/api/v1/namespaces/a.b/kv/k", Method::PUT, false),
            None
        );
        assert_eq!(
            routed("/api/v1/kv", Method::GET, true),
            Some(Route::Search {
                tenant: "main".into()
            })
        );
        assert_eq!(
            routed(
                "/api/v1/main/namespaces/a.b/kv/inheritance",
                Method::GET,
                false
            ),
            Some(Route::Inheritance {
                tenant: "main".into(),
                namespace: "a.b".into()
            })
        );
        assert_eq!(
            routed(
                "/api/v1/main/namespaces/a.b/kv/inheritance",
                Method::PUT,
                false
            ),
            Some(value("main", "inheritance"))
        );
        assert_eq!(
            routed("/api/v1/main/namespaces/a.b/kv", Method::DELETE, false),
            Some(Route::Namespace {
                tenant: "main".into(),
                namespace: "a.b".into()
            })
        );
        assert_eq!(routed("/api/v2/main/kv", Method::GET, true), None);
        assert!(route("/api/v1/main/namespaces/a/kv/%FF", &Method::GET, false).is_err());
    }

    #[test]
    fn key_and_namespace_rules() {
        for key in ["my_key", "My.Key-1", "1"] {
            assert!(validate_key(key).is_ok(), "{key}");
        }
        for key in ["", "_key", "-key", ".key", "a b", "é", "a/b", "bad$key"] {
            assert!(validate_key(key).is_err(), "{key}");
        }
        for namespace in ["company.team", "io", "0a-b_c"] {
            assert!(validate_namespace(namespace).is_ok(), "{namespace}");
        }
        let too_long = "a".repeat(151);
        for namespace in ["", "Company", ".a", "a b", too_long.as_str()] {
            assert!(validate_namespace(namespace).is_err(), "{namespace}");
        }
    }

    #[test]
    fn authentication_accepts_either_configured_credential() {
        let auth = AuthConfig {
            basic: Some(("user".into(), "pa:ss".into())),
            bearer: Some("token".into()),
        };
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            if let Ok(value) = value.parse() {
                headers.insert(header::AUTHORIZATION, value);
            }
            authenticate(&auth, &headers).is_ok()
        };
        let basic = base64::engine::general_purpose::STANDARD.encode("user:pa:ss");
        assert!(with(&format!("Basic {basic}")));
        assert!(with("Bearer token"));
        assert!(!with("Bearer nope"));
        assert!(!with("Basic !!!"));
        assert!(!with(""));
        let open = AuthConfig {
            basic: None,
            bearer: None,
        };
        assert!(authenticate(&open, &HeaderMap::new()).is_ok());
    }
}
