//! Errors in the `application/problem+json` style of newer Kestra.

use std::time::Duration;

use kestra_kv_devserver::DevServerConfig;
use reqwest::StatusCode;
use serde_json::json;
use test_support::http::{InProcess, KV};

use super::KEY_MESSAGE;

#[tokio::test]
async fn problem_json_mode() {
    let h = InProcess::with(DevServerConfig {
        problem_json: true,
        basic_auth: Some(("u".into(), "p".into())),
        ..DevServerConfig::default()
    })
    .await;
    let unauthenticated = h.get("missing").await;
    assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unauthenticated.json()["title"], "Authentication required");

    let auth = [("authorization", "Basic dTpw")];
    let missing = h.get_with("missing", &auth).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.header("content-type"),
        Some(&b"application/problem+json"[..])
    );
    assert_eq!(
        missing.json(),
        json!({
            "type": "https://kestra.io/docs/api-reference/problems/not-found",
            "title": "Resource not found",
            "status": 404,
            "detail": "No value found for key 'missing' in namespace 'company.team'",
            "instance": format!("{KV}/missing"),
        })
    );
    let bad_key = h.get_with("bad$key", &auth).await.json();
    assert_eq!(
        bad_key["type"],
        "https://kestra.io/docs/api-reference/problems/invalid-argument"
    );
    assert_eq!(bad_key["detail"], KEY_MESSAGE);
    let bad_ttl = h.put_raw("t", "1", &[auth[0], ("ttl", "5m")]).await.json();
    assert_eq!(
        bad_ttl["type"],
        "https://kestra.io/docs/api-reference/problems/invalid-format"
    );
    assert_eq!(bad_ttl["detail"], "Cannot convert value '5m' to Duration");
    assert_eq!(bad_ttl["title"], "Invalid value format");

    h.put_raw("e", "1", &[auth[0], ("ttl", "PT0S")]).await;
    tokio::time::sleep(Duration::from_millis(2)).await;
    let expired = h.get_with("e", &auth).await.json();
    assert_eq!(expired["status"], 410);
    assert_eq!(expired["title"], "Resource has expired");
    assert_eq!(expired["detail"], "The requested value has expired");

    h.put_raw("pd", "PD", &auth).await;
    let internal = h.get_with("pd", &auth).await.json();
    assert_eq!(internal["status"], 500);
    assert!(internal["traceId"].is_string());
    assert!(
        !internal["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("Duration")
    );
}
