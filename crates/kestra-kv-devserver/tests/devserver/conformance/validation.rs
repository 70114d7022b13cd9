//! Missing keys and Kestra's key and namespace rules (vectors 23-25).

use reqwest::{Method, StatusCode};
use test_support::http::{InProcess, KV};

use super::KEY_MESSAGE;

#[tokio::test]
async fn vector_23_missing_key() {
    let h = InProcess::start().await;
    let reply = h.get("missing").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.message(),
        "Not Found: No value found for key 'missing' in namespace 'company.team'"
    );
    assert_eq!(
        reply.json()["_links"]["self"]["href"],
        format!("{KV}/missing")
    );
    // The self link is the request URI, query included.
    let with_query = h.get("missing?detail=1").await;
    assert_eq!(
        with_query.json()["_links"]["self"]["href"],
        format!("{KV}/missing?detail=1")
    );
    // Micronaut's reason text is the HTTP reason phrase.
    assert_eq!(
        h.raw_status_line(&format!("{KV}/missing")).await,
        "HTTP/1.1 404 Not Found"
    );
    assert_eq!(
        h.raw_status_line(&format!("{KV}/bad$key")).await,
        "HTTP/1.1 422 Illegal argument"
    );
}

#[tokio::test]
async fn vectors_24_25_key_validation() {
    let h = InProcess::start().await;
    let expected = format!("Illegal argument: {KEY_MESSAGE}");
    for reply in [
        h.get("bad$key").await,
        h.put("bad$key", "1").await,
        h.delete("bad$key").await,
    ] {
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.message(), expected);
    }
    assert_eq!(
        h.put("_key", "1").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(h.put("My.Key-1", "1").await.status, StatusCode::OK);
    // Percent-encoded segments are decoded before validation.
    assert_eq!(
        h.put("a%20b", "1").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        h.put("a%2Fb", "1").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn namespaces_are_validated() {
    let h = InProcess::start().await;
    for namespace in ["Company", "_x", "a%20b"] {
        let path = format!("/api/v1/main/namespaces/{namespace}/kv/k");
        let reply = h.send(Method::PUT, &path, &[], Some("1")).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{namespace}"
        );
    }
}
