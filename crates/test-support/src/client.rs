//! The Kestra client as the client tests build it (millisecond retries, a [`TestClock`]) and the
//! in-process devserver it is pointed at: [`served`] for async tests, [`Blocking`] for the
//! synchronous property tests.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::OffsetDateTime;

use kestra_kv_client::{Client, ClientConfig, Clock, KvType, KvValue, RetryPolicy};
use kestra_kv_devserver::{DevServer, DevServerConfig, Faults};
use tokio::runtime::Runtime;

pub const NS: &str = "company.team";

/// Millisecond backoffs so retry tests run fast; no jitter so timings are predictable.
pub fn fast_retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        jitter: false,
    }
}

/// The seed of the devserver's fault draws in [`injecting`]: runs repeat.
pub const SEED: u64 = 7;

/// A devserver configuration injecting `faults`, drawn from [`SEED`].
pub fn injecting(faults: Faults) -> DevServerConfig {
    DevServerConfig {
        faults,
        seed: SEED,
        ..DevServerConfig::default()
    }
}

pub async fn start(config: DevServerConfig) -> DevServer {
    match DevServer::start(config).await {
        Ok(server) => server,
        Err(error) => panic!("devserver did not start: {error}"),
    }
}

pub fn config_for(server: &DevServer) -> ClientConfig {
    match ClientConfig::from_url(&server.url()) {
        Ok(config) => config.with_retry(fast_retry(4)),
        Err(error) => panic!("{error}"),
    }
}

/// A client whose retries wait on a [`TestClock`]: no real sleeps.
pub fn client(config: ClientConfig) -> Client {
    client_on(config, Arc::new(TestClock::default()))
}

/// A devserver of `config` and a [`client`] for it with [`config_for`]'s retries.
pub async fn served(config: DevServerConfig) -> (DevServer, Client) {
    let server = start(config).await;
    let client = client(config_for(&server));
    (server, client)
}

/// A devserver of `config` and a [`client`] for it retrying by `retry`.
pub async fn served_retrying(config: DevServerConfig, retry: RetryPolicy) -> (DevServer, Client) {
    let server = start(config).await;
    let client = client(config_for(&server).with_retry(retry));
    (server, client)
}

/// For synchronous tests (property tests): a default devserver and a client for it on a runtime
/// of their own, which [`Blocking::block_on`] runs futures on.
pub struct Blocking {
    runtime: Runtime,
    pub client: Client,
    _server: DevServer,
}

impl Blocking {
    pub fn start() -> Blocking {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|error| panic!("runtime: {error}"));
        let (server, client) = runtime.block_on(served(DevServerConfig::default()));
        Blocking {
            runtime,
            client,
            _server: server,
        }
    }

    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

pub fn client_on(config: ClientConfig, clock: Arc<TestClock>) -> Client {
    match Client::with_clock(config, clock) {
        Ok(client) => client,
        Err(error) => panic!("client: {error}"),
    }
}

/// A clock for retry tests: a wait returns at once and is recorded, "now" is fixed, and the
/// jitter comes from a seeded generator.
#[derive(Debug, Default)]
pub struct TestClock {
    waits: Mutex<Vec<Duration>>,
}

impl TestClock {
    /// The waits asked for so far, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }

    /// Their sum: the time a real clock would have spent waiting.
    pub fn waited(&self) -> Duration {
        self.waits().iter().sum()
    }
}

impl Clock for TestClock {
    fn now_utc(&self) -> OffsetDateTime {
        time::macros::datetime!(2026-01-01 00:00:00 UTC)
    }

    fn sleep(&self, delay: Duration) -> BoxFuture<'static, ()> {
        self.waits.lock().unwrap().push(delay);
        Box::pin(tokio::task::yield_now())
    }

    fn rng(&self) -> StdRng {
        StdRng::seed_from_u64(7)
    }
}

pub fn value(kind: KvType, text: &str) -> KvValue {
    match KvValue::parse(kind, text) {
        Ok(value) => value,
        Err(error) => panic!("{kind} {text:?}: {error}"),
    }
}

/// Unwraps a result, printing the client error on failure.
pub fn ok<T>(result: Result<T, kestra_kv_client::Error>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("unexpected error: {error}"),
    }
}

/// Every key of `namespace` with its value as text, read back through `client`: what the
/// server holds, to compare with a state.
pub async fn values_held(
    client: &Client,
    namespace: &str,
) -> std::collections::BTreeMap<String, String> {
    let mut held = std::collections::BTreeMap::new();
    let listed = client.list_all(namespace, Default::default()).await;
    for entry in listed.unwrap_or_else(|error| panic!("listing {namespace}: {error}")) {
        match client.get(namespace, &entry.key).await {
            Ok(stored) => held.insert(entry.key, stored.value.to_text()),
            Err(error) => panic!("reading {}: {error}", entry.key),
        };
    }
    held
}
