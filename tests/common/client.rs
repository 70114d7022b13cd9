//! Helpers shared by the `client_*` integration tests (each test binary uses a subset).

use std::time::Duration;

use terraform_provider_kestra::devserver::{DevServer, DevServerConfig};
use terraform_provider_kestra::kestra::{Client, ClientConfig, KvType, KvValue, RetryPolicy};

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

pub fn client(config: ClientConfig) -> Client {
    match Client::new(config) {
        Ok(client) => client,
        Err(error) => panic!("client: {error}"),
    }
}

pub fn value(kind: KvType, text: &str) -> KvValue {
    match KvValue::parse(kind, text) {
        Ok(value) => value,
        Err(error) => panic!("{kind} {text:?}: {error}"),
    }
}

/// Unwraps a result, printing the client error on failure.
pub fn ok<T>(result: Result<T, terraform_provider_kestra::kestra::Error>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("unexpected error: {error}"),
    }
}
