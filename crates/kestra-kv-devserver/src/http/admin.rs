//! The admin endpoints under `/_devserver/`: stats and fault control.

use axum::body::Body;
use http::{Method, Request, Response, StatusCode};
use serde_json::json;

use super::request::read_body;
use super::{AppState, ok_json};
use crate::faults::Faults;

pub(super) const ADMIN_PREFIX: &str = "/_devserver/";

/// `/_devserver/…`: stats and fault control for out-of-process tests; never faulted,
/// authenticated or counted.
pub(super) async fn admin(state: &AppState, request: Request<Body>, path: &str) -> Response<Body> {
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
