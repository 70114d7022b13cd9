//! End to end, real Terraform 1.15.5 against kestra-kv-devserver: what of the `kestra_kvs`
//! resource (many keys of one namespace as one resource) needs the devserver itself (its request
//! counters, fault injection), and the HCL helpers of `kestra_kvs` the tests share. The scenarios any Kestra can run are in `acceptance/kvs.rs`.

use std::collections::BTreeMap;

use kestra_kv_client::{Client, KvType, KvValue, ListOptions, PutOptions};
use kestra_kv_devserver::Faults;
use test_support::terraform::{TestServer, Workspace, block_on};

pub(crate) const NS: &str = "company.team";

/// `"key" = "value"` lines of a map of strings for `(key, value)` pairs.
fn map_lines(entries: &[(String, String)]) -> String {
    entries
        .iter()
        .map(|(key, value)| {
            format!(
                "    {key:?} = {}\n",
                serde_json::to_string(value).expect("string")
            )
        })
        .collect()
}

/// A `kestra_kvs` named `name` of namespace `ns`: `extra` holds attribute lines (prefix,
/// exclusive, lifecycle, `types = ...`), `values` the keys and their texts.
pub(crate) fn kvs_resource(
    ns: &str,
    name: &str,
    extra: &str,
    values: &[(String, String)],
) -> String {
    format!(
        "resource \"kestra_kvs\" \"{name}\" {{\n  namespace = \"{ns}\"\n{extra}  values = {{\n{}  }}\n}}\n",
        map_lines(values)
    )
}

/// `(key, value)` pairs as owned strings.
pub(crate) fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub(crate) fn numbered(count: usize, value: &str) -> Vec<(String, String)> {
    (0..count)
        .map(|i| (format!("key-{i:03}"), format!("{value} {i}")))
        .collect()
}

/// Writes `key` of `ns` through the HTTP API.
pub(crate) fn seed(client: &Client, ns: &str, key: &str, kind: KvType, text: &str) {
    block_on(write_seed(client, ns, key, kind, text, None));
}

/// Writes `key` of `ns` with `description` through the HTTP API (async: to seed many keys
/// concurrently).
pub(crate) async fn write_seed(
    client: &Client,
    ns: &str,
    key: &str,
    kind: KvType,
    text: &str,
    description: Option<&str>,
) {
    let options = PutOptions {
        description: description.map(str::to_string),
        ..PutOptions::default()
    };
    let value = KvValue::parse(kind, text).expect("valid seed");
    client
        .put(ns, key, &value, &options)
        .await
        .expect("seed put");
}

/// Every key of namespace `ns` with its value text, as the HTTP API lists and reads them.
pub(crate) fn server_keys(client: &Client, ns: &str) -> BTreeMap<String, String> {
    block_on(async {
        let mut keys = BTreeMap::new();
        for entry in client
            .list_all(ns, ListOptions::default())
            .await
            .expect("list")
        {
            let stored = client.get(ns, &entry.key).await.expect("get");
            keys.insert(entry.key, stored.value.to_text());
        }
        keys
    })
}

/// `values` of a `kestra_kvs` in the state: key -> value.
pub(crate) fn state_entries(ws: &Workspace, address: &str) -> BTreeMap<String, String> {
    serde_json::from_value(ws.resource_values(address)["values"].clone()).unwrap_or_default()
}

/// Plans the workspace's configuration, then applies that plan while half the requests fail
/// with HTTP 500 (the workspace must not retry: `KESTRA_MAX_RETRIES=0`); the failed run.
fn apply_with_half_the_requests_failing(
    ws: &Workspace,
    server: &TestServer,
) -> test_support::terraform::TfRun {
    ws.ok(&["plan", "-no-color", "-out=tfplan"]);
    server.set_faults(Faults {
        fail_rate: 0.5,
        fail_status: 500,
        ..Faults::default()
    });
    let failed = ws.fails(&["apply", "-no-color", "tfplan"]);
    server.set_faults(Faults::default());
    failed
}

#[test]
fn create_update_drift_and_destroy_touch_only_what_changed() {
    let server = TestServer::start();
    let client = server.client();
    seed(&client, NS, "not-mine", KvType::String, "someone else's");
    let ws = Workspace::new(server.url());
    let typed =
        "    typed = \"1.0\"\n    json = jsonencode({ a = [1, 2] })\n    when = \"P3DT3H2M1S\"\n";
    let siblings = "  types = { typed = \"NUMBER\" }\n  descriptions = { typed = \"a number\" }\n  ttls = { when = \"PT1H\" }\n";
    let config = |entries: &[(String, String)]| {
        format!(
            "resource \"kestra_kvs\" \"x\" {{\n  namespace = \"{NS}\"\n{siblings}  values = {{\n{typed}{}  }}\n}}\n",
            map_lines(entries)
        )
    };
    let mut entries = numbered(30, "value");
    ws.config(&config(&entries));
    server.reset_stats();
    ws.apply();
    let created = server.stats();
    assert_eq!(created.by_route.put, 33, "one PUT per key: {created:?}");
    ws.assert_plan_empty();
    let values = ws.resource_values("kestra_kvs.x");
    assert_eq!(values["id"], "main/company.team");
    assert_eq!(values["exclusive"], false);
    assert_eq!(values["max_concurrency"], 16);
    assert_eq!(values["types"], serde_json::json!({ "typed": "NUMBER" }));
    assert_eq!(values["ttls"]["when"], "PT1H");
    assert_eq!(values["values"]["key-007"], "value 7");
    let held = server_keys(&client, NS);
    assert_eq!(held["typed"], "1.0");
    assert_eq!(held["when"], "PT75H2M1S");
    assert_eq!(held["key-029"], "value 29");

    // Refresh: one listing, no value read (nothing moved).
    server.reset_stats();
    ws.assert_plan_empty();
    let refreshed = server.stats();
    assert_eq!(
        (refreshed.by_route.search, refreshed.by_route.get),
        (1, 0),
        "{refreshed:?}"
    );

    // Update: one changed, one added, one removed: two PUTs, one bulk delete.
    entries[3].1 = "changed".into();
    entries.push(("key-new".into(), "new".into()));
    entries.remove(0);
    ws.config(&config(&entries));
    let (changes, plan) = ws.plan_has_changes();
    assert!(changes);
    for shown in ["\"key-000\"", "\"key-003\"", "\"key-new\""] {
        assert!(plan.stdout.contains(shown), "{shown} in:\n{}", plan.stdout);
    }
    assert!(!plan.stdout.contains("\"key-005\""), "{}", plan.stdout);
    server.reset_stats();
    ws.apply();
    let updated = server.stats();
    assert_eq!(
        (updated.by_route.put, updated.by_route.delete),
        (2, 1),
        "{updated:?}"
    );
    ws.assert_plan_empty();
    let held = server_keys(&client, NS);
    assert!(!held.contains_key("key-000"));
    assert_eq!(held["key-003"], "changed");

    // Drift: a value changed and a key deleted out of band are written again; an equal
    // spelling of a number is not drift.
    seed(&client, NS, "key-010", KvType::String, "tampered");
    block_on(write_seed(
        &client,
        NS,
        "typed",
        KvType::Number,
        "1",
        Some("a number"),
    ));
    block_on(async { client.delete(NS, "key-011").await.expect("delete") });
    let (changes, plan) = ws.plan_has_changes();
    assert!(changes);
    assert!(plan.stdout.contains("\"tampered\""), "{}", plan.stdout);
    assert!(plan.stdout.contains("\"key-011\""), "{}", plan.stdout);
    assert!(!plan.stdout.contains("\"typed\""), "{}", plan.stdout);
    ws.apply();
    ws.assert_plan_empty();
    let held = server_keys(&client, NS);
    assert_eq!(held["key-010"], "value 10");
    assert_eq!(held["key-011"], "value 11");

    // Destroy: every key of the resource in bulk, the key it does not own stays.
    server.reset_stats();
    ws.destroy();
    let destroyed = server.stats();
    assert!(destroyed.by_route.delete <= 1, "{destroyed:?}");
    assert!(destroyed.requests <= 3, "{destroyed:?}");
    let held = server_keys(&client, NS);
    assert_eq!(held.keys().collect::<Vec<_>>(), ["not-mine"]);
}

/// Partial failure: with injected faults, the state holds exactly what the server holds, each
/// failed key gets one error (at most 20, then a count), and the next plan shows only the rest.
#[test]
fn partial_failure_records_exactly_what_was_written() {
    let server = TestServer::start();
    let client = server.client();
    let mut ws = Workspace::new(server.url());
    ws.set_env("KESTRA_MAX_RETRIES", "0");
    let base = numbered(5, "base");
    ws.config(&kvs_resource(NS, "x", "", &base));
    ws.apply();

    // Update adding 60 keys and changing one, half the writes failing (HTTP 500, not retried).
    let mut wanted = base.clone();
    wanted[2].1 = "changed 2".into();
    wanted.extend((0..60).map(|i| (format!("new-{i:03}"), format!("new {i}"))));
    ws.config(&kvs_resource(NS, "x", "", &wanted));
    let output = apply_with_half_the_requests_failing(&ws, &server).combined();

    let held = server_keys(&client, NS);
    let in_state = state_entries(&ws, "kestra_kvs.x");
    assert_eq!(
        in_state, held,
        "the state claims exactly what the server holds"
    );
    let missing: Vec<&(String, String)> = wanted
        .iter()
        .filter(|(key, value)| held.get(key) != Some(value))
        .collect();
    assert!(
        missing.len() > 20,
        "the seed fails many writes: {}",
        missing.len()
    );
    let errors = output
        .lines()
        .filter(|line| line.starts_with("Error: "))
        .count();
    assert_eq!(errors, 21, "20 per-key errors and a count:\n{output}");
    assert!(
        output.contains(&format!("{} more keys could not be", missing.len() - 20)),
        "{output}"
    );

    // The next plan shows only what is missing; applying it converges.
    let (changes, plan) = ws.plan_has_changes();
    assert!(changes);
    for (key, _) in &wanted {
        let shown = plan.stdout.contains(&format!("\"{key}\""));
        let is_missing = missing.iter().any(|(k, _)| k == key);
        assert_eq!(shown, is_missing, "{key} in plan:\n{}", plan.stdout);
    }
    ws.apply();
    ws.assert_plan_empty();
    assert_eq!(server_keys(&client, NS).len(), 65);
}

/// A create that fails part-way leaves a tainted object: `terraform untaint` keeps what was
/// written and the next apply writes only the rest.
#[test]
fn a_partly_failed_create_is_tainted_and_untaint_keeps_the_written_keys() {
    let server = TestServer::start();
    let client = server.client();
    let mut ws = Workspace::new(server.url());
    ws.set_env("KESTRA_MAX_RETRIES", "0");
    let wanted = numbered(20, "v");
    ws.config(&kvs_resource(NS, "x", "", &wanted));
    apply_with_half_the_requests_failing(&ws, &server);
    let held = server_keys(&client, NS);
    assert_eq!(state_entries(&ws, "kestra_kvs.x"), held);
    assert!(!held.is_empty() && held.len() < 20, "{held:?}");
    let plan = ws.ok(&["plan", "-no-color"]);
    assert!(plan.stdout.contains("is tainted"), "{}", plan.stdout);
    ws.ok(&["untaint", "-no-color", "kestra_kvs.x"]);
    server.reset_stats();
    ws.apply();
    assert_eq!(server.stats().by_route.put as usize, 20 - held.len());
    ws.assert_plan_empty();
}

/// The documented migration: `removed { lifecycle { destroy = false } }` for the kestra_kv
/// resources plus a kestra_kvs listing the same keys: 1 to add, 0 to destroy, nothing written.
#[test]
fn migration_from_kestra_kv_writes_nothing_when_values_match() {
    let server = TestServer::start();
    let client = server.client();
    let ws = Workspace::new(server.url());
    ws.config(&format!(
        "resource \"kestra_kv\" \"x\" {{\n  count = 5\n  namespace = \"{NS}\"\n  key = \"key-${{count.index}}\"\n  value = \"value ${{count.index}}\"\n  description = \"migrated\"\n}}\n"
    ));
    ws.apply();
    let values: Vec<(String, String)> = (0..5)
        .map(|i| (format!("key-{i}"), format!("value {i}")))
        .collect();
    let descriptions = "  descriptions = { for i in range(5) : \"key-${i}\" => \"migrated\" }\n";
    ws.config(&format!(
        "removed {{\n  from = kestra_kv.x\n  lifecycle {{\n    destroy = false\n  }}\n}}\n\n{}",
        kvs_resource(NS, "all", descriptions, &values)
    ));
    adopts_the_keys_without_writing(&ws, &server);
    assert_eq!(server_keys(&client, NS).len(), 5);
}

/// After the `kestra_kv` resources are forgotten (`removed`, destroy = false) and a `kestra_kvs`
/// lists the same keys with the same values: the plan adds one resource and destroys nothing,
/// the apply writes and deletes nothing, and the plan after it is empty.
pub(crate) fn adopts_the_keys_without_writing(ws: &Workspace, server: &TestServer) {
    ws.plan_summarised("1 to add, 0 to change, 0 to destroy");
    server.reset_stats();
    ws.apply();
    let stats = server.stats();
    assert_eq!(
        (stats.by_route.put, stats.by_route.delete),
        (0, 0),
        "the values already match: nothing is written or deleted ({stats:?})"
    );
    ws.assert_plan_empty();
}

/// Rewrites the state of the one `kestra_kvs` in `ws` as schema version 0 wrote it: `entries`,
/// a map of objects holding every key's value and type, null description and ttl where unset.
fn rewrite_as_version_zero(ws: &Workspace) {
    let mut state: serde_json::Value =
        serde_json::from_str(&ws.read("terraform.tfstate")).expect("state");
    let instance = &mut state["resources"][0]["instances"][0];
    let v1 = instance["attributes"].clone();
    let entries: serde_json::Map<String, serde_json::Value> = v1["values"]
        .as_object()
        .expect("values")
        .iter()
        .map(|(key, value)| {
            let inferred = KvType::infer(value.as_str().unwrap_or_default()).to_string();
            let entry = serde_json::json!({
                "value": value,
                "type": v1["types"].get(key).cloned().unwrap_or(inferred.into()),
                "description": v1["descriptions"].get(key),
                "ttl": v1["ttls"].get(key),
            });
            (key.clone(), entry)
        })
        .collect();
    instance["schema_version"] = 0.into();
    instance["attributes"] = serde_json::json!({
        "id": v1["id"],
        "tenant_id": v1["tenant_id"],
        "namespace": v1["namespace"],
        "prefix": v1["prefix"],
        "exclusive": v1["exclusive"],
        "entries": entries,
        "max_concurrency": v1["max_concurrency"],
    });
    state["serial"] = (state["serial"].as_i64().unwrap_or(0) + 1).into();
    ws.write("terraform.tfstate", &state.to_string());
}

/// State written by schema version 0 upgrades in place: with the configuration rewritten by
/// the documented `for` expressions (the example `upgrade-from-entries`, as copied), the plan
/// shows no changes and the apply writes nothing; so does a configuration naming only the types
/// inference would not pick.
pub(crate) fn version_zero_state_upgrades_on(minor: &str) {
    let server = TestServer::start();
    let ws = Workspace::new(server.url()).on_terraform(minor);
    let example = test_support::binaries::repo_root()
        .join("examples/resources/kestra_kvs/upgrade-from-entries/main.tf");
    let recipe = std::fs::read_to_string(example).expect("upgrade example");
    ws.config(&recipe);
    ws.apply();
    rewrite_as_version_zero(&ws);
    let entries = ws.read("terraform.tfstate");
    assert!(entries.contains("\"entries\"") && entries.contains("\"schema_version\":0"));

    server.reset_stats();
    ws.assert_plan_empty();
    ws.apply();
    let stats = server.stats();
    assert_eq!(
        (stats.by_route.put, stats.by_route.delete),
        (0, 0),
        "{minor}: {stats:?}"
    );
    let upgraded = ws.resource_values("kestra_kvs.settings");
    assert_eq!(upgraded["values"]["max_retries"], "3");
    assert_eq!(upgraded["descriptions"]["version"], "Pinned release");
    let minimal = recipe.replace(
        "types        = { for k, e in local.entries : k => e.type if try(e.type, null) != null }",
        "types        = { version = \"STRING\" }",
    );
    assert_ne!(minimal, recipe);
    ws.config(&minimal);
    ws.assert_plan_empty();
}

#[test]
fn version_zero_state_upgrades_without_changes_on_terraform_1_6() {
    version_zero_state_upgrades_on("1.6");
}
