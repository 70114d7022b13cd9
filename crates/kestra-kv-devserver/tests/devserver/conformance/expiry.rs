//! TTLs and expiry (vectors 19-22): the `ttl` and `description` headers, expiry on the injected
//! clock, and how far-future expiries are written.

use std::sync::Arc;
use std::time::Duration;

use kestra_kv_devserver::ManualClock;
use reqwest::StatusCode;
use test_support::http::{InProcess, KV};
use time::OffsetDateTime;

use super::parse_time;

#[tokio::test]
async fn vectors_19_to_21_ttl_and_description() {
    let h = InProcess::start().await;
    let before = OffsetDateTime::now_utc();
    let reply = h
        .put_with("t", "1", &[("ttl", "PT5M"), ("description", "my desc")])
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let list = h.get_path(KV).await.json();
    let entry = &list[0];
    assert_eq!(entry["key"], "t");
    assert_eq!(entry["description"], "my desc");
    let expires = parse_time(&entry["expirationDate"]) - before;
    assert!(
        expires >= time::Duration::minutes(5) && expires < time::Duration::minutes(6),
        "{expires}"
    );

    // A PUT without headers clears description and expiration.
    h.put("t", "2").await;
    let entry = &h.get_path(KV).await.json()[0];
    assert!(
        entry.get("description").is_none() && entry.get("expirationDate").is_none(),
        "{entry}"
    );

    let negative = h.put_with("t", "1", &[("ttl", "-PT5M")]).await;
    assert_eq!(negative.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        negative.message(),
        "Illegal argument: ttl cannot be negative"
    );

    let unparsable = h.put_with("t", "1", &[("ttl", "5m")]).await;
    assert_eq!(unparsable.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unparsable
            .message()
            .ends_with("Cannot convert value '5m' to Duration"),
        "{}",
        unparsable.text
    );
    // Failed PUTs had no effect.
    assert_eq!(h.get("t").await.json()["revision"], 2);
}

/// Java's `Instant.toString()` writes years after 9999 with a sign.
#[tokio::test]
async fn expiries_after_year_9999_are_listed_as_java_writes_them() {
    let h = InProcess::start().await;
    let reply = h.put_with("far", "1", &[("ttl", "P3650000D")]).await;
    assert_eq!(reply.status, StatusCode::OK);
    let entry = &h.get_path(KV).await.json()[0];
    let expiry = entry["expirationDate"].as_str().unwrap_or_default();
    assert!(expiry.starts_with("+120"), "{entry}");
}

#[tokio::test]
async fn vector_22_zero_ttl_expires_immediately_then_is_gone() {
    let h = InProcess::start().await;
    assert_eq!(
        h.put_with("exp", "1", &[("ttl", "PT0S")]).await.status,
        StatusCode::OK
    );
    tokio::time::sleep(Duration::from_millis(2)).await;
    let expired = h.get("exp").await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert_eq!(
        expired.message(),
        "Resource has expired: The requested value has expired"
    );
    assert_eq!(h.get("exp").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn expiry_follows_the_injected_clock() {
    let start = OffsetDateTime::now_utc();
    let clock = Arc::new(ManualClock::new(start));
    let h = InProcess::on_clock(clock.clone()).await;
    h.put_with("short", "1", &[("ttl", "PT5M")]).await;
    h.put("forever", "1").await;
    clock.advance(time::Duration::seconds(299));
    assert_eq!(h.get("short").await.status, StatusCode::OK);
    assert_eq!(h.get_path("/api/v1/main/kv").await.json()["total"], 2);
    clock.advance(time::Duration::seconds(1));
    assert_eq!(h.get_path("/api/v1/main/kv").await.json()["total"], 1);
    assert_eq!(h.get("short").await.status, StatusCode::GONE);
    assert_eq!(h.get("short").await.status, StatusCode::NOT_FOUND);
}
