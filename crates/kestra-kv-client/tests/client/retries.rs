//! Retries against the devserver's fault injection: recovery without loss or duplicate side
//! effects, attempt counting, and no retry where retrying is wrong.

use std::fmt::Debug;
use std::time::Duration;

use kestra_kv_client::{Error, KvValue, ListOptions, PutOptions, RetryPolicy};
use kestra_kv_devserver::{DevServerConfig, Faults};
use test_support::client::{
    NS, client, config_for, fast_retry, injecting, ok, served_retrying, start,
};

const KEYS: usize = 40;

fn failing(rate: f64, status: u16) -> Faults {
    Faults {
        fail_rate: rate,
        fail_status: status,
        ..Faults::default()
    }
}

/// The transport error `result` ended in, after `attempts` attempts; fails the test otherwise.
fn transport_error<T: Debug>(result: Result<T, Error>, attempts: u32) -> Error {
    match result {
        Err(error @ Error::Transport { .. }) if error.attempts() == attempts => error,
        other => panic!("expected a transport error after {attempts} attempts, got {other:?}"),
    }
}

/// Writes KEYS values under faults, then checks without faults that each landed exactly once
/// (revision 1) with the right value, and that reads and lists also recovered.
async fn survives(faults: Faults) {
    let (server, client) = served_retrying(injecting(faults.clone()), fast_retry(12)).await;
    for index in 0..KEYS {
        let key = format!("key-{index:02}");
        let written = KvValue::string(format!("value {index}"));
        ok(client.put(NS, &key, &written, &PutOptions::default()).await);
    }
    let read_under_faults = ok(client.get(NS, "key-07").await);
    assert_eq!(read_under_faults.value.to_text(), "value 7");
    let listed = ok(client
        .list_all(
            NS,
            ListOptions {
                prefix: None,
                page_size: 7,
                ..ListOptions::default()
            },
        )
        .await);
    assert_eq!(listed.len(), KEYS);
    let stats = server.stats();
    assert!(stats.faults_injected > 0, "{stats:?}");

    server.set_faults(Faults::default());
    for index in 0..KEYS {
        let stored = ok(client.get(NS, &format!("key-{index:02}")).await);
        assert_eq!(stored.value.to_text(), format!("value {index}"));
        assert_eq!(
            stored.revision,
            Some(1),
            "a retried PUT must not write twice"
        );
    }
}

#[tokio::test]
async fn recovers_from_injected_503s() {
    survives(failing(0.4, 503)).await;
}

#[tokio::test]
async fn recovers_from_dropped_connections() {
    survives(Faults {
        drop_rate: 0.3,
        ..Faults::default()
    })
    .await;
}

#[tokio::test]
async fn recovers_from_429_502_504() {
    for status in [429, 502, 504] {
        survives(failing(0.3, status)).await;
    }
}

/// Every PUT's attempts are counted by the server exactly: successes plus injected failures.
#[tokio::test]
async fn attempts_match_server_requests() {
    let (server, client) = served_retrying(injecting(failing(0.5, 503)), fast_retry(12)).await;
    for index in 0..KEYS {
        ok(client
            .put(
                NS,
                &format!("k{index}"),
                &KvValue::string("v"),
                &PutOptions::default(),
            )
            .await);
    }
    let stats = server.stats();
    assert_eq!(stats.by_route.put, KEYS as u64);
    assert_eq!(stats.requests, KEYS as u64 + stats.faults_injected);
}

#[tokio::test]
async fn gives_up_after_max_retries_and_says_how_often_it_tried() {
    let (server, client) = served_retrying(injecting(failing(1.0, 503)), fast_retry(3)).await;
    match client.get(NS, "k").await {
        Err(
            error @ Error::Server {
                status: 503,
                attempts: 4,
                ..
            },
        ) => {
            assert_eq!(error.attempts(), 4);
            assert!(error.to_string().contains("after 4 attempt(s)"), "{error}");
        }
        other => panic!("expected a 503 after 4 attempts, got {other:?}"),
    }
    assert_eq!(server.stats().requests, 4);

    server.set_faults(failing(1.0, 429));
    server.reset_stats();
    let error = client
        .put(NS, "k", &KvValue::string("v"), &PutOptions::default())
        .await;
    assert!(
        matches!(
            error,
            Err(Error::UnexpectedStatus {
                status: 429,
                attempts: 4,
                ..
            })
        ),
        "{error:?}"
    );
    assert_eq!(server.stats().requests, 4);
}

#[tokio::test]
async fn dropped_connections_exhaust_into_a_transport_error() {
    let (server, client) = served_retrying(
        injecting(Faults {
            drop_rate: 1.0,
            ..Faults::default()
        }),
        fast_retry(2),
    )
    .await;
    let error = transport_error(client.delete(NS, "k").await, 3);
    assert!(error.to_string().contains("after 3 attempt(s)"), "{error}");
    assert_eq!(error.request().map(|r| r.status), Some(None));
    assert_eq!(server.stats().by_route.delete, 0);
}

/// 4xx and plain 500 are answers, not accidents: exactly one request.
#[tokio::test]
async fn no_retry_on_client_errors_or_500() {
    let (server, client) = served_retrying(injecting(Faults::default()), fast_retry(5)).await;
    for (status, key) in [(400, "k"), (404, "k"), (409, "k"), (422, "k"), (500, "k")] {
        server.set_faults(failing(1.0, status));
        server.reset_stats();
        let result = client.get(NS, key).await;
        let error = match result {
            Err(error) => error,
            Ok(stored) => panic!("{status}: unexpected success {stored:?}"),
        };
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.attempts(), 1);
        assert_eq!(
            server.stats().requests,
            1,
            "status {status} must not be retried"
        );
    }
    // A real 422 from the store is not retried either.
    server.set_faults(Faults::default());
    server.reset_stats();
    let bad = client
        .put(NS, "bad$key", &KvValue::string("v"), &PutOptions::default())
        .await;
    assert!(matches!(bad, Err(Error::Invalid { status: 422, .. })));
    assert_eq!(server.stats().requests, 1);
}

#[tokio::test]
async fn disabled_retries_send_once() {
    let (server, client) =
        served_retrying(injecting(failing(1.0, 503)), RetryPolicy::disabled()).await;
    let result = client.get(NS, "k").await;
    assert!(
        matches!(result, Err(Error::Server { attempts: 1, .. })),
        "{result:?}"
    );
    assert_eq!(server.stats().requests, 1);
}

/// The per-request timeout turns a slow server into a (retried) transport error.
#[tokio::test]
async fn timeouts_are_transport_errors() {
    let server = start(injecting(Faults {
        latency_ms: 300,
        ..Faults::default()
    }))
    .await;
    let config = config_for(&server)
        .with_retry(fast_retry(1))
        .with_timeout(Duration::from_millis(50));
    let client = client(config);
    let error = transport_error(client.get(NS, "k").await, 2);
    assert!(error.is_timeout(), "{error}");
}

/// Nothing listens: connection refused, retried, then reported with the path.
#[tokio::test]
async fn connection_refused() {
    let server = start(DevServerConfig::default()).await;
    let config = config_for(&server).with_retry(fast_retry(1));
    server.shutdown().await;
    let client = client(config);
    let text = transport_error(client.get(NS, "k").await, 2).to_string();
    assert!(
        text.starts_with("GET /api/v1/main/namespaces/company.team/kv/k: "),
        "{text}"
    );
    assert!(!text.contains("127.0.0.1"), "no URL in messages: {text}");
}
