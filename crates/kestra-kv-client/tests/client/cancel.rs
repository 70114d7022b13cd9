//! The client's cancellation hook (`Client::cancelled_by`): once the token is cancelled no
//! request and no retry starts, and a wait for a retry ends at once.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

use kestra_kv_client::{Client, Clock, Error, KvType, KvValue, PutOptions};
use kestra_kv_devserver::{DevServerConfig, Faults};
use test_support::client::{NS, config_for, fast_retry, injecting, start};

/// A clock whose waits never end: only cancellation ends a wait for a retry.
struct NeverWakes;

impl Clock for NeverWakes {
    fn now_utc(&self) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH
    }

    fn sleep(&self, _delay: Duration) -> BoxFuture<'static, ()> {
        Box::pin(std::future::pending())
    }

    fn rng(&self) -> StdRng {
        StdRng::seed_from_u64(0)
    }
}

fn value() -> KvValue {
    KvValue::parse(KvType::String, "v").unwrap()
}

#[tokio::test]
async fn a_cancelled_client_sends_nothing_and_says_so() {
    let server = start(DevServerConfig::default()).await;
    let cancel = CancellationToken::new();
    let client = Client::new(config_for(&server))
        .unwrap()
        .cancelled_by(cancel.clone());
    client
        .put(NS, "before", &value(), &PutOptions::default())
        .await
        .unwrap();
    cancel.cancel();
    let other_tenant = client.with_tenant("acme");
    for result in [
        client
            .put(NS, "after", &value(), &PutOptions::default())
            .await,
        other_tenant
            .put(NS, "after", &value(), &PutOptions::default())
            .await,
    ] {
        let error = result.unwrap_err();
        assert!(error.is_cancelled(), "{error}");
        assert_eq!(error.attempts(), 0);
        assert!(error.to_string().contains("not sent"), "{error}");
    }
    assert_eq!(
        server.stats().requests,
        1,
        "only the request before cancelling"
    );
}

#[tokio::test]
async fn cancelling_ends_a_wait_for_a_retry_and_no_retry_starts() {
    let server = start(injecting(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    }))
    .await;
    let cancel = CancellationToken::new();
    let client = Client::with_clock(
        config_for(&server).with_retry(fast_retry(10)),
        Arc::new(NeverWakes),
    )
    .unwrap()
    .cancelled_by(cancel.clone());
    let put =
        tokio::spawn(async move { client.put(NS, "k", &value(), &PutOptions::default()).await });
    server.wait_for(|stats| stats.requests >= 1).await;
    cancel.cancel();
    let error: Error = put.await.unwrap().unwrap_err();
    assert!(error.is_cancelled(), "{error}");
    assert_eq!(error.attempts(), 1, "{error}");
    assert_eq!(server.stats().requests, 1);
}
