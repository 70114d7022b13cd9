//! Deleting one key and bulk deletes (vectors 26-28).

use reqwest::StatusCode;
use serde_json::json;
use test_support::http::InProcess;

#[tokio::test]
async fn vector_26_delete_and_revision_continuation() {
    let h = InProcess::start().await;
    h.put("greeting", "\"hello\"").await;
    let first = h.delete("greeting").await;
    assert_eq!(
        (first.status, first.text.as_str()),
        (StatusCode::OK, "true")
    );
    let second = h.delete("greeting").await;
    assert_eq!(
        (second.status, second.text.as_str()),
        (StatusCode::OK, "false")
    );
    assert_eq!(h.get("greeting").await.status, StatusCode::NOT_FOUND);
    h.put("greeting", "\"again\"").await;
    assert_eq!(h.get("greeting").await.json()["revision"], 2);
}

#[tokio::test]
async fn vectors_27_28_bulk_delete() {
    let h = InProcess::start().await;
    h.put("n", "42").await;
    h.put("m", "1").await;
    let reply = h.bulk_delete(r#"{"keys":["n","nope"]}"#).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!({"keys": ["n"]}));
    assert_eq!(
        h.bulk_delete(r#"{"keys":["nope"]}"#).await.json(),
        json!({"keys": []})
    );
    assert_eq!(h.bulk_delete("{}").await.json(), json!({"keys": []}));
    assert_eq!(
        h.bulk_delete(r#"{"keys":null}"#).await.json(),
        json!({"keys": []})
    );

    let malformed = h.bulk_delete("{").await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        malformed.message().starts_with("Invalid json: "),
        "{}",
        malformed.text
    );
    // An invalid key fails the request after earlier keys were deleted.
    let invalid = h.bulk_delete(r#"{"keys":["m","bad$key"]}"#).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(h.get("m").await.status, StatusCode::NOT_FOUND);
}
