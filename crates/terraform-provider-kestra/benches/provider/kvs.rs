//! `KESTRA_BENCH=kvs`: one `kestra_kvs` of N keys (default 10,000; `KESTRA_BENCH_KEYS`) on
//! loopback, each figure with the Terraform floor measured in the same run (one
//! `terraform_data` whose `input` holds the same `values` map):
//! - create over the floor's apply, the provider's peak RSS (and per key) and CPU, and the
//!   speed-up per key over 2,000 `kestra_kv` (`KESTRA_BENCH_KV_KEYS`);
//! - plan with refresh, nothing changed, over the floor's plan, and its HTTP requests;
//! - update of 10 keys over the floor's update of the same 10: PUTs made and keys the plan lists;
//! - destroy: HTTP requests;
//! - create against a devserver adding 20 ms to every request, over the floor's apply plus
//!   N x 20 ms / max_concurrency.

use std::time::Duration;

use kestra_kv_devserver::{DevServerConfig, Faults};

use super::{MeteredWorkspace, kv_config, timed};
use test_support::terraform::{TestServer, Workspace};

const MAX_CONCURRENCY: usize = 16;

/// The same N-element map of strings for both configurations (Terraform's `range` stops at
/// 1,024 elements); the first `changed` keys get another value.
fn values_expression(count: usize, changed: usize) -> String {
    let mut map = String::from("{\n");
    for i in 0..count {
        let value = if i < changed { "changed" } else { "value" };
        map.push_str(&format!("    \"key-{i:05}\" = \"{value} {i}\"\n"));
    }
    map.push_str("  }");
    map
}

fn kvs_config(count: usize, changed: usize) -> String {
    format!(
        "resource \"kestra_kvs\" \"bench\" {{\n  namespace = \"company.bench\"\n  max_concurrency = {MAX_CONCURRENCY}\n  values = {}\n}}\n",
        values_expression(count, changed)
    )
}

fn floor_config(count: usize, changed: usize) -> String {
    format!(
        "resource \"terraform_data\" \"bench\" {{\n  input = {{\n  values = {}\n  }}\n}}\n",
        values_expression(count, changed)
    )
}

/// Milliseconds the provider spent serving each RPC of a run logged with
/// `TF_LOG_PROVIDER=debug`, summed by RPC name.
fn rpc_milliseconds(stderr: &str) -> std::collections::BTreeMap<String, u64> {
    let mut spent = std::collections::BTreeMap::new();
    for line in stderr.lines().filter(|line| line.contains("served RPC")) {
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|word| word.strip_prefix(name))
                .map(str::to_string)
        };
        if let (Some(rpc), Some(ms)) = (field("tf_rpc="), field("duration_ms=")) {
            *spent.entry(rpc).or_insert(0) += ms.parse::<u64>().unwrap_or(0);
        }
    }
    spent
}

fn seconds(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

pub(crate) fn run() {
    let count: usize = std::env::var("KESTRA_BENCH_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let kv_count: usize = std::env::var("KESTRA_BENCH_KV_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let server = TestServer::start();
    println!("== one kestra_kvs of {count} keys (max_concurrency {MAX_CONCURRENCY})");

    let floor = Workspace::new(server.url());
    floor.config(&floor_config(count, 0));
    let (floor_apply, _) = timed(|| floor.apply());
    let mut kvs = MeteredWorkspace::new(&server);
    kvs.ws.set_env("TF_LOG_PROVIDER", "debug");
    kvs.ws.config(&kvs_config(count, 0));
    server.reset_stats();
    let (kvs_apply, usage) = timed(|| kvs.usage_of(&["apply", "-auto-approve", "-no-color"]));
    let create_stats = server.stats();
    kvs.ws.remove_env("TF_LOG_PROVIDER");
    println!(
        "create: kestra_kvs {:.2} s, terraform_data floor {:.2} s, ratio {:.2} (goal <= 1.5); {} requests ({} PUTs)",
        seconds(kvs_apply),
        seconds(floor_apply),
        seconds(kvs_apply) / seconds(floor_apply),
        create_stats.requests,
        create_stats.by_route.put
    );
    println!(
        "  provider peak RSS during the create: {:.1} MB, {:.2} KB per key (goal <= 4); provider CPU {:.2} s; time the provider spent serving RPCs (ms): {:?}",
        usage.peak_rss_kib as f64 / 1024.0,
        usage.peak_rss_kib as f64 / count as f64,
        seconds(usage.cpu),
        rpc_milliseconds(&usage.stderr)
    );

    let (floor_plan, _) = timed(|| floor.ok(&["plan", "-no-color"]));
    server.reset_stats();
    let (kvs_plan, plan_usage) =
        timed(|| kvs.usage_of(&["plan", "-detailed-exitcode", "-no-color"]));
    let plan_stats = server.stats();
    println!(
        "plan with refresh, nothing changed: kestra_kvs {:.2} s, floor {:.2} s, ratio {:.2} (goal <= 1.2 at 10,000, 1.3 at 50,000); {} HTTP requests (goal <= 12); provider peak RSS {:.1} MB",
        seconds(kvs_plan),
        seconds(floor_plan),
        seconds(kvs_plan) / seconds(floor_plan),
        plan_stats.requests,
        plan_usage.peak_rss_kib as f64 / 1024.0
    );

    floor.config(&floor_config(count, 10));
    let (floor_update, _) = timed(|| floor.apply());
    kvs.ws.config(&kvs_config(count, 10));
    let plan = kvs.ws.ok(&["plan", "-no-color"]);
    let listed = plan
        .stdout
        .lines()
        .filter(|line| line.trim_start().starts_with("~ \"key-"))
        .count();
    server.reset_stats();
    let (update, _) = timed(|| kvs.ws.apply());
    let update_stats = server.stats();
    println!(
        "update of 10 keys: {} PUTs (goal exactly 10), plan lists {listed} keys (goal 10); kestra_kvs {:.2} s, floor {:.2} s, ratio {:.2} (goal <= 1.2); {} requests",
        update_stats.by_route.put,
        seconds(update),
        seconds(floor_update),
        seconds(update) / seconds(floor_update),
        update_stats.requests
    );

    // The destroy's own requests (its apply), apart from the refresh its plan makes.
    server.reset_stats();
    kvs.ws
        .ok(&["plan", "-destroy", "-no-color", "-out=destroy.tfplan"]);
    let destroy_refresh = server.stats().requests;
    server.reset_stats();
    let (destroy, _) = timed(|| kvs.ws.ok(&["apply", "-no-color", "destroy.tfplan"]));
    let destroy_stats = server.stats();
    println!(
        "destroy: {:.2} s, {} HTTP requests (goal <= 12; {} bulk deletes), after the {destroy_refresh} requests of its plan's refresh",
        seconds(destroy),
        destroy_stats.requests,
        destroy_stats.by_route.delete
    );

    println!("== {kv_count} kestra_kv in the same run");
    let kv = Workspace::new(server.url());
    kv.config(&kv_config(kv_count));
    let (kv_apply, _) = timed(|| kv.apply());
    let per_key_kv = seconds(kv_apply) / kv_count as f64;
    let per_key_kvs = seconds(kvs_apply) / count as f64;
    println!(
        "create: {kv_count} kestra_kv {:.2} s ({:.2} ms per key); kestra_kvs {:.3} ms per key: {:.0}x faster per key",
        seconds(kv_apply),
        per_key_kv * 1e3,
        per_key_kvs * 1e3,
        per_key_kv / per_key_kvs
    );
    kv.destroy();

    println!("== devserver adding 20 ms to every request");
    let slow = TestServer::start_with(DevServerConfig {
        faults: Faults {
            latency_ms: 20,
            ..Faults::default()
        },
        ..DevServerConfig::default()
    });
    let slow_floor = Workspace::new(slow.url());
    slow_floor.config(&floor_config(count, 0));
    let (slow_floor_apply, _) = timed(|| slow_floor.apply());
    let mut slow_kvs = Workspace::new(slow.url());
    slow_kvs.set_env("TF_LOG_PROVIDER", "debug");
    slow_kvs.config(&kvs_config(count, 0));
    slow.reset_stats();
    let (slow_apply, slow_run) = timed(|| slow_kvs.apply());
    let slow_rpcs = rpc_milliseconds(&slow_run.stderr);
    let apply_rpc = slow_rpcs.get("ApplyResourceChange").copied().unwrap_or(0) as f64 / 1e3;
    let ideal = count as f64 * 0.020 / MAX_CONCURRENCY as f64;
    let bound = seconds(slow_floor_apply) + ideal;
    println!(
        "create: {:.2} s; the floor's {:.2} s + {count} x 20 ms / {MAX_CONCURRENCY} = {bound:.2} s; ratio {:.2} (goal <= 1.3); {} requests",
        seconds(slow_apply),
        seconds(slow_floor_apply),
        seconds(slow_apply) / bound,
        slow.stats().requests
    );
    println!(
        "  the provider's ApplyResourceChange (the writes themselves): {apply_rpc:.2} s, ratio {:.2} (goal <= 1.3); all provider RPCs of the apply: {slow_rpcs:?} ms",
        apply_rpc / ideal
    );
}
