//! Routing: a path to a [`Route`] (tenanted and legacy paths), and a route plus method to its
//! handler, counted in the stats.

use axum::body::Body;
use http::{Method, Request, Response};
use percent_encoding::percent_decode_str;
use serde_json::json;

use super::handlers::{delete_many, delete_value, get_value, list_namespace, put_value};
use super::validation::validate_namespace;
use super::{AppState, ok_json};
use crate::errors::{ApiError, ErrorKind};
use crate::faults::Hold;
use crate::search::SearchQuery;
use crate::server::RouteKind;

const OSS_TENANT: &str = "main";

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

/// Holds a listing or bulk delete until the PUTs [`crate::faults::Faults::hold_until_put`]
/// names were served.
async fn hold(state: &AppState) {
    match state.faults.hold().await {
        Hold::NotHeld => {}
        Hold::Released => state.stats.count_hold(false),
        Hold::TimedOut => state.stats.count_hold(true),
    }
}

pub(super) async fn api(
    state: &AppState,
    request: Request<Body>,
) -> Result<Response<Body>, ApiError> {
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
}
