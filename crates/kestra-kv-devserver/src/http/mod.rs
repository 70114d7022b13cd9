//! The hyper service of the stand-in: admin endpoints first, then injected faults,
//! authentication, routing to the KV handlers, and errors turned into Kestra-shaped answers.
//!
//! `routing` maps a path to a route and a route to its handler; `handlers` holds the KV
//! handlers; `request` reads bodies and headers; `validation` holds Kestra's key and namespace
//! rules; `auth` checks credentials; `admin` serves `/_devserver/…`.

mod admin;
mod auth;
mod handlers;
mod request;
mod routing;
mod validation;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use http::{Request, Response, StatusCode, header};
use serde_json::Value;
use thiserror::Error;

use super::clock::Clock;
use super::errors::{ApiError, ErrorKind, ErrorStyle, ErrorTarget, json_response};
use super::faults::{FaultDecision, FaultInjector};
use super::server::{DevServerConfig, StatsCounters};
use super::store::Store;
use super::value::TimestampReading;
use admin::{ADMIN_PREFIX, admin};
use auth::{AuthConfig, authenticate};
use routing::api;

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug, Error)]
#[error("connection dropped by fault injection")]
pub struct DropConnection;

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

/// A 200 answer with a JSON body.
fn ok_json(body: &Value) -> Response<Body> {
    json_response(body, "application/json")
}
