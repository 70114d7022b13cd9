//! Kestra client throughput against the devserver on loopback, compared with a plain hyper
//! client sending the same requests (no retries, no decoding beyond reading the body), and with
//! bare reqwest (to tell reqwest's own per-request cost from ours).
//!
//! `cargo bench --bench client` (set `CLIENT_BENCH_OPS` to change the operations per run).
//! Prints ops/s for GET and PUT with 1 and 16 concurrent callers and the ratios to the hyper
//! baseline (goal for the client: >= 0.8).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test or bench run panics

use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use kestra_kv_client::{Client, ClientConfig, KvValue, PutOptions};
use kestra_kv_devserver::{DevServer, DevServerConfig};

const NAMESPACE: &str = "bench.ns";
const KEY: &str = "bench-key";
const ROUNDS: usize = 5;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Operation {
    Get,
    Put,
}

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Operation::Get => "GET",
            Operation::Put => "PUT",
        }
    }
}

/// The same requests, made either through our client or through bare hyper.
#[derive(Clone)]
enum Caller {
    Kestra(Client),
    BareReqwest {
        client: reqwest::Client,
        url: Arc<str>,
    },
    Hyper {
        client: Box<HyperClient<HttpConnector, Full<Bytes>>>,
        url: Arc<str>,
    },
}

type BenchError = Box<dyn std::error::Error + Send + Sync>;

impl Caller {
    async fn call(&self, operation: Operation, value: &KvValue) -> Result<(), BenchError> {
        match (self, operation) {
            (Caller::Kestra(client), Operation::Get) => {
                client.get(NAMESPACE, KEY).await?;
            }
            (Caller::Kestra(client), Operation::Put) => {
                client
                    .put(NAMESPACE, KEY, value, &PutOptions::default())
                    .await?;
            }
            (Caller::BareReqwest { client, url }, operation) => {
                let request = match operation {
                    Operation::Get => client.get(url.as_ref()),
                    Operation::Put => client
                        .put(url.as_ref())
                        .header("content-type", "text/plain; charset=utf-8")
                        .body(value.to_body()),
                };
                let response = request.send().await?.error_for_status()?;
                response.bytes().await?;
            }
            (Caller::Hyper { client, url }, operation) => {
                let builder = hyper::Request::builder().uri(url.as_ref());
                let request = match operation {
                    Operation::Get => builder.method("GET").body(Full::new(Bytes::new()))?,
                    Operation::Put => builder
                        .method("PUT")
                        .header("content-type", "text/plain; charset=utf-8")
                        .body(Full::new(Bytes::from(value.to_body())))?,
                };
                let response = client.request(request).await?;
                let status = response.status();
                response.into_body().collect().await?;
                if !status.is_success() {
                    return Err(format!("baseline got HTTP {status}").into());
                }
            }
        }
        Ok(())
    }
}

/// Ops/s of `total` operations spread over `concurrency` callers.
async fn measure(
    caller: &Caller,
    operation: Operation,
    concurrency: usize,
    total: usize,
) -> Result<f64, BenchError> {
    let per_caller = total / concurrency;
    let value = KvValue::string("a benchmark value");
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let caller = caller.clone();
        let value = value.clone();
        tasks.spawn(async move {
            for _ in 0..per_caller {
                caller.call(operation, &value).await?;
            }
            Ok::<(), BenchError>(())
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined??;
    }
    let elapsed = started.elapsed().max(Duration::from_micros(1));
    Ok((per_caller * concurrency) as f64 / elapsed.as_secs_f64())
}

async fn run() -> Result<(), BenchError> {
    let total: usize = std::env::var("CLIENT_BENCH_OPS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(8000);
    let server = DevServer::start(DevServerConfig::default()).await?;
    let ours = Caller::Kestra(Client::new(ClientConfig::from_url(&server.url())?)?);
    let url: Arc<str> = Arc::from(format!(
        "{}/api/v1/main/namespaces/{NAMESPACE}/kv/{KEY}",
        server.url()
    ));
    let baseline = Caller::Hyper {
        client: Box::new(HyperClient::builder(TokioExecutor::new()).build_http()),
        url: Arc::clone(&url),
    };
    let bare_reqwest = Caller::BareReqwest {
        client: reqwest::Client::new(),
        url,
    };
    let value = KvValue::string("a benchmark value");
    ours.call(Operation::Put, &value).await?;
    // Warm both connection pools and the server.
    for caller in [&ours, &bare_reqwest, &baseline] {
        measure(caller, Operation::Get, 16, total / 4).await?;
    }

    println!(
        "client and bare reqwest vs plain hyper, devserver on loopback \
         ({total} ops per run, best of {ROUNDS} interleaved runs)"
    );
    println!(
        "{:<4} {:>5} {:>13} {:>13} {:>13} {:>13} {:>14}",
        "op",
        "conc.",
        "client ops/s",
        "reqwest ops/s",
        "hyper ops/s",
        "client/hyper",
        "reqwest/hyper"
    );
    for operation in [Operation::Get, Operation::Put] {
        for concurrency in [1, 16] {
            let mut best = [0.0_f64; 3];
            // Interleaved rounds so that drift (other load on the machine) hits all alike.
            for _ in 0..ROUNDS {
                for (slot, caller) in best.iter_mut().zip([&ours, &bare_reqwest, &baseline]) {
                    *slot = slot.max(measure(caller, operation, concurrency, total).await?);
                }
            }
            let [client, reqwest, hyper] = best;
            println!(
                "{:<4} {:>5} {:>13.0} {:>13.0} {:>13.0} {:>13.2} {:>14.2}",
                operation.name(),
                concurrency,
                client,
                reqwest,
                hyper,
                client / hyper,
                reqwest / hyper
            );
        }
    }
    server.shutdown().await;
    Ok(())
}

fn main() {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the runtime: {error}");
            std::process::exit(1);
        }
    };
    if let Err(error) = runtime.block_on(run()) {
        eprintln!("benchmark failed: {error}");
        std::process::exit(1);
    }
}
