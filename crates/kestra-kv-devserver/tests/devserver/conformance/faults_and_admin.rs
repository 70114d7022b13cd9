//! The controls tests use: injected failures, drops and latency, the admin endpoints, and
//! shutdown.

use std::time::{Duration, Instant};

use kestra_kv_devserver::{Faults, Stats};
use reqwest::{Method, StatusCode};
use test_support::client::injecting;
use test_support::http::{Http, InProcess, KV};

async fn statuses(h: &InProcess, count: usize) -> Vec<StatusCode> {
    let mut statuses = Vec::with_capacity(count);
    for _ in 0..count {
        statuses.push(h.get("missing").await.status);
    }
    statuses
}

#[tokio::test]
async fn injected_failures_follow_rate_and_seed() {
    let config = injecting(Faults {
        fail_rate: 0.3,
        ..Faults::default()
    });
    let first = InProcess::with(config.clone()).await;
    let second = InProcess::with(config).await;
    let observed = statuses(&first, 300).await;
    assert_eq!(
        observed,
        statuses(&second, 300).await,
        "same seed, same sequence"
    );
    let failures = observed
        .iter()
        .filter(|status| **status == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert!(
        (60..=120).contains(&failures),
        "{failures} failures of 300 at rate 0.3"
    );
    assert!(
        observed
            .iter()
            .all(|s| *s == StatusCode::SERVICE_UNAVAILABLE || *s == StatusCode::NOT_FOUND)
    );
    let stats = first.server.stats();
    assert_eq!(stats.requests, 300);
    assert_eq!(
        stats.faults_injected,
        u64::try_from(failures).unwrap_or_default()
    );
    assert_eq!(stats.by_route.get, 300 - stats.faults_injected);
}

#[tokio::test]
async fn injected_failures_and_drops_have_no_side_effects() {
    let h = InProcess::start().await;
    h.server.set_faults(Faults {
        fail_rate: 1.0,
        fail_status: 500,
        ..Faults::default()
    });
    assert_eq!(
        h.put("k", "1").await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    h.server.set_faults(Faults {
        drop_rate: 1.0,
        ..Faults::default()
    });
    let dropped = Http::read(h.request(Method::PUT, &format!("{KV}/k")).body("1")).await;
    assert!(dropped.is_err(), "connection should be dropped");
    h.server.set_faults(Faults::default());
    assert_eq!(h.get("k").await.status, StatusCode::NOT_FOUND);
    let stats = h.server.stats();
    assert_eq!(stats.faults_injected, 2);
    assert_eq!(stats.requests, 3);
    assert_eq!(stats.by_route.put, 0);
    h.server.reset_stats();
    assert_eq!(h.server.stats(), Stats::default());
}

#[tokio::test]
async fn latency_is_added() {
    let h = InProcess::with(injecting(Faults {
        latency_ms: 150,
        ..Faults::default()
    }))
    .await;
    let started = Instant::now();
    h.get("k").await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    let started = Instant::now();
    h.get_path("/_devserver/stats").await;
    assert!(
        started.elapsed() < Duration::from_millis(150),
        "admin endpoints skip latency"
    );
}

#[tokio::test]
async fn admin_endpoints_control_faults_and_stats() {
    let h = InProcess::start().await;
    h.put("k", "1").await;
    let stats: Stats =
        serde_json::from_str(&h.get_path("/_devserver/stats").await.text).expect("stats JSON");
    assert_eq!((stats.requests, stats.by_route.put), (1, 1));
    let set = h.put_faults(r#"{"fail_rate":1.0,"fail_status":502}"#).await;
    assert_eq!(set.status, StatusCode::OK);
    assert_eq!(h.get("k").await.status, StatusCode::BAD_GATEWAY);
    let invalid = h.put_faults("{\"fail_rate\":\"x\"}").await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    h.put_faults("{}").await;
    assert_eq!(h.get("k").await.status, StatusCode::OK);
    let reset = h
        .send(Method::POST, "/_devserver/stats/reset", &[], None)
        .await;
    assert_eq!(reset.status, StatusCode::OK);
    assert_eq!(h.server.stats(), Stats::default());
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let h = InProcess::start().await;
    let url = h.server.url();
    h.server.shutdown().await;
    let after = Http::to(&url)
        .request(Method::GET, &format!("{KV}/k"))
        .send()
        .await;
    assert!(after.is_err());
}
