//! SDK round-trip cost: gRPC loopback calls/s for GetProviderSchema and PlanResourceChange
//! (sequential and 10-way concurrent, like Terraform's default parallelism), and msgpack
//! encode/decode throughput. Run with `cargo bench --bench protocol`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test or bench run panics

use std::hint::black_box;
use std::time::{Duration, Instant};

use terraform_plugin_sdk::testing::tfplugin6 as pb;
use terraform_plugin_sdk::{Value, decode_msgpack, encode_msgpack};
use test_support::grpc::{
    RESOURCE, TestProvider, capabilities, dynamic, provider_client, start_plaintext, thing,
    thing_type,
};

const CALLS: u32 = 2_000;
const CONCURRENCY: u32 = 10;
const CODEC_ROUNDS: u32 = 200_000;

fn report(what: &str, count: u32, elapsed: Duration) {
    let per_second = f64::from(count) / elapsed.as_secs_f64();
    let mean_us = elapsed.as_secs_f64() * 1e6 / f64::from(count);
    println!(
        "{what:<48} {count:>7} in {:>8.1} ms  {per_second:>10.0}/s  {mean_us:>8.1} µs each",
        elapsed.as_secs_f64() * 1e3
    );
}

fn plan_request() -> pb::plan_resource_change::Request {
    let config = thing(&[
        ("name", Value::from("company.team.key")),
        (
            "value",
            Value::from("a reasonably sized value for a key-value entry"),
        ),
        ("token_wo", Value::from("secret")),
        (
            "tags",
            Value::map([("env", Value::from("prod")), ("team", Value::from("data"))]),
        ),
    ]);
    pb::plan_resource_change::Request {
        type_name: RESOURCE.into(),
        prior_state: None,
        proposed_new_state: dynamic(&config, &thing_type()),
        config: dynamic(&config, &thing_type()),
        client_capabilities: capabilities(),
        ..Default::default()
    }
}

async fn grpc_benchmarks() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    // Warm up the connection and code paths.
    for _ in 0..50 {
        client
            .get_provider_schema(pb::get_provider_schema::Request {})
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }

    let started = Instant::now();
    for _ in 0..CALLS {
        black_box(
            client
                .get_provider_schema(pb::get_provider_schema::Request {})
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        );
    }
    report("GetProviderSchema, sequential", CALLS, started.elapsed());

    let request = plan_request();
    let started = Instant::now();
    for _ in 0..CALLS {
        black_box(
            client
                .plan_resource_change(request.clone())
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        );
    }
    report(
        "PlanResourceChange (create), sequential",
        CALLS,
        started.elapsed(),
    );

    let started = Instant::now();
    let workers = (0..CONCURRENCY).map(|_| {
        let mut client = client.clone();
        let request = request.clone();
        tokio::spawn(async move {
            for _ in 0..CALLS / CONCURRENCY {
                black_box(
                    client
                        .plan_resource_change(request.clone())
                        .await
                        .unwrap_or_else(|e| panic!("{e}")),
                );
            }
        })
    });
    for worker in futures::future::join_all(workers).await {
        worker.unwrap_or_else(|e| panic!("{e}"));
    }
    report(
        "PlanResourceChange (create), 10 concurrent",
        CALLS,
        started.elapsed(),
    );
}

fn codec_benchmarks() {
    let ty = thing_type();
    let value = thing(&[
        ("name", Value::from("company.team.key")),
        (
            "value",
            Value::from("a reasonably sized value for a key-value entry"),
        ),
        ("id", Value::from("company.team/company.team.key")),
        (
            "revision",
            Value::Number(
                "123456789012345678901234567890.5"
                    .parse()
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
        ),
        ("kind", Value::Unknown),
        (
            "tags",
            Value::map([("env", Value::from("prod")), ("team", Value::from("data"))]),
        ),
    ]);
    let bytes = encode_msgpack(&value, &ty).unwrap_or_else(|e| panic!("{e}"));

    let started = Instant::now();
    for _ in 0..CODEC_ROUNDS {
        black_box(encode_msgpack(black_box(&value), &ty).unwrap_or_else(|e| panic!("{e}")));
    }
    let elapsed = started.elapsed();
    report("msgpack encode (8-attribute object)", CODEC_ROUNDS, elapsed);
    println!(
        "{:<48} {:.1} MB/s ({} bytes per object)",
        "",
        mb_per_second(bytes.len(), elapsed),
        bytes.len()
    );

    let started = Instant::now();
    for _ in 0..CODEC_ROUNDS {
        black_box(decode_msgpack(black_box(&bytes), &ty).unwrap_or_else(|e| panic!("{e}")));
    }
    let elapsed = started.elapsed();
    report("msgpack decode (8-attribute object)", CODEC_ROUNDS, elapsed);
    println!("{:<48} {:.1} MB/s", "", mb_per_second(bytes.len(), elapsed));
}

fn mb_per_second(object_bytes: usize, elapsed: Duration) -> f64 {
    let total = object_bytes as f64 * f64::from(CODEC_ROUNDS);
    total / elapsed.as_secs_f64() / 1e6
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    println!("terraform-plugin-sdk benchmark (gRPC over loopback, plaintext)");
    runtime.block_on(grpc_benchmarks());
    codec_benchmarks();
}
