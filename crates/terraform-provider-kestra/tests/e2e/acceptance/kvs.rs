//! Acceptance: the `kestra_kvs` resource (many keys of one namespace as one resource): exclusive
//! scopes, import in every ID form, spelling, replacement, drift, and plan-time validation. What
//! it writes is checked through the HTTP API: values by listing and reading, "nothing written" by
//! unchanged revisions and update times.

use std::collections::BTreeMap;

use super::Scenario;
use crate::kvs::{kvs_resource, numbered, pairs, seed, server_keys, state_entries, write_seed};
use kestra_kv_client::{Client, KvType, ListOptions};
use test_support::terraform::block_on;

/// What tells that a key was written: its revision and update time as listed. A key no one
/// wrote keeps both.
type Stamp = (Option<i64>, Option<time::OffsetDateTime>);

/// The [`Stamp`] of every key of `ns` as listed.
fn stamps(client: &Client, ns: &str) -> BTreeMap<String, Stamp> {
    block_on(client.list_all(ns, ListOptions::default()))
        .expect("list")
        .into_iter()
        .map(|entry| (entry.key, (entry.revision, entry.update_date)))
        .collect()
}

/// `out` with every run of whitespace as one space: Terraform wraps long diagnostic lines.
fn unwrapped(out: &str) -> String {
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn exclusive_refuses_a_scope_with_unlisted_keys_and_deletes_newcomers() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let client = s.client();
    seed(&client, &ns, "app_stray", KvType::String, "stray");
    seed(&client, &ns, "other", KvType::String, "outside the prefix");
    let ws = s.workspace();
    let values = pairs(&[("app_a", "a")]);
    let extra = "  prefix = \"app_\"\n  exclusive = true\n";
    ws.config(&kvs_resource(&ns, "x", extra, &values));
    let out = ws.fails(&["plan", "-no-color"]).combined();
    let refused = unwrapped(&out);
    assert!(
        refused.contains("Exclusive scope holds keys not in values")
            && refused.contains("\"app_stray\"")
            && !refused.contains("\"other\"")
            && refused.contains("terraform import")
            && refused.contains("exclusive = false"),
        "{out}"
    );
    assert!(
        block_on(client.get_opt(&ns, "app_a"))
            .expect("get")
            .is_none(),
        "nothing written"
    );

    // Listing the stray key makes the create possible; the key it already holds is not written.
    let mut values = values;
    values.push(("app_stray".to_string(), "stray".to_string()));
    ws.config(&kvs_resource(&ns, "x", extra, &values));
    let before = stamps(&client, &ns);
    ws.apply();
    let after = stamps(&client, &ns);
    assert_eq!(
        after["app_stray"], before["app_stray"],
        "app_stray already held"
    );
    assert!(after.contains_key("app_a"));
    ws.assert_plan_empty();

    // A key written into the scope by someone else is drift: planned for removal, deleted.
    seed(&client, &ns, "app_intruder", KvType::Number, "7");
    let (changes, plan) = ws.plan_has_changes();
    assert!(changes);
    assert!(plan.stdout.contains("\"app_intruder\""), "{}", plan.stdout);
    ws.apply();
    ws.assert_plan_empty();
    let held = server_keys(&client, &ns);
    assert_eq!(
        held.keys().collect::<Vec<_>>(),
        ["app_a", "app_stray", "other"]
    );
}

/// Import of a scope in every ID form: the state is in the minimal spelling (`types` only for
/// a key whose text would infer another type, `descriptions` only where set, `ttls` null), a
/// configuration in that spelling plans no changes, and so does the generated one.
#[test]
fn import_of_a_scope_in_every_id_form_and_with_generated_config() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let tenant = s.tenant();
    let client = s.client();
    seed(&client, &ns, "app_n", KvType::Number, "1.0");
    seed(&client, &ns, "app_s", KvType::String, "hello");
    seed(&client, &ns, "zed", KvType::Json, r#"{"x": [1, 2]}"#);
    block_on(write_seed(
        &client,
        &ns,
        "app_v",
        KvType::String,
        "2.0",
        Some("pinned"),
    ));
    let prefixed = pairs(&[("app_n", "1.0"), ("app_s", "hello"), ("app_v", "2.0")]);
    let mut all = prefixed.clone();
    all.push(("zed".into(), r#"{"x":[1,2]}"#.into()));
    let minimal = "  exclusive = true\n  types = { app_v = \"STRING\" }\n  descriptions = { app_v = \"pinned\" }\n";
    let with_prefix = format!("{minimal}  prefix = \"app_\"\n");
    for (id, extra, values) in [
        (ns.clone(), minimal, &all),
        (format!("{tenant}/{ns}"), minimal, &all),
        (format!("{ns}/app_*"), with_prefix.as_str(), &prefixed),
        (
            format!("{tenant}/{ns}/app_*"),
            with_prefix.as_str(),
            &prefixed,
        ),
    ] {
        let ws = s.workspace();
        ws.config(&kvs_resource(&ns, "x", extra, values));
        ws.ok(&["import", "-no-color", "kestra_kvs.x", &id]);
        ws.assert_plan_empty();
        let state = ws.resource_values("kestra_kvs.x");
        assert_eq!(
            state_entries(&ws, "kestra_kvs.x").len(),
            values.len(),
            "{id}"
        );
        assert_eq!(
            state["types"],
            serde_json::json!({ "app_v": "STRING" }),
            "{id}"
        );
        assert_eq!(
            state["descriptions"],
            serde_json::json!({ "app_v": "pinned" })
        );
        assert!(state["ttls"].is_null(), "{id}: {state}");
    }
    let bad = s.workspace();
    bad.config(&kvs_resource(&ns, "x", minimal, &all));
    let error = bad
        .fails(&["import", "-no-color", "kestra_kvs.x", "a/b/c"])
        .combined();
    assert!(error.contains("<namespace>/<prefix>*"), "{error}");

    // `import {}` with -generate-config-out: the generated configuration plans nothing.
    let ws = s.workspace();
    ws.config(&format!(
        "import {{\n  to = kestra_kvs.x\n  id = \"{ns}/app_*\"\n}}\n"
    ));
    ws.ok(&["plan", "-no-color", "-generate-config-out=generated.tf"]);
    let generated = ws.read("generated.tf");
    assert!(
        generated.contains("app_n")
            && !generated.contains("zed")
            && generated.contains("app_v = \"STRING\""),
        "{generated}"
    );
    ws.plan_summarised("1 to import, 0 to add, 0 to change, 0 to destroy");
    let before = stamps(&client, &ns);
    ws.apply();
    assert_eq!(stamps(&client, &ns), before, "nothing written");
    ws.assert_plan_empty();
}

/// A change of spelling alone (`1.0` for `1`, reordered JSON, `types` naming the inferred type)
/// plans no changes and writes nothing.
#[test]
fn a_change_of_spelling_alone_writes_nothing() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let client = s.client();
    let ws = s.workspace();
    let before = pairs(&[
        ("n", "1.0"),
        ("j", r#"{"a":1,"b":[1,2]}"#),
        ("d", "P3DT3H2M1S"),
    ]);
    ws.config(&kvs_resource(&ns, "x", "", &before));
    ws.apply();
    let after = pairs(&[
        ("n", "1"),
        ("j", r#"{ "b": [1, 2.0], "a": 1 }"#),
        ("d", "PT75H2M1S"),
    ]);
    let typed = "  types = { n = \"NUMBER\" }\n";
    ws.config(&kvs_resource(&ns, "x", typed, &after));
    ws.assert_plan_empty();
    // With a real change beside it, the plan shows the new spellings but writes one key.
    let mut changed = after.clone();
    changed.push(("new".into(), "v".into()));
    ws.config(&kvs_resource(&ns, "x", typed, &changed));
    let written = stamps(&client, &ns);
    ws.apply();
    let mut now = stamps(&client, &ns);
    assert!(now.remove("new").is_some(), "the new key is written");
    assert_eq!(now, written, "only the new key is written");
    ws.assert_plan_empty();
    assert_eq!(state_entries(&ws, "kestra_kvs.x")["n"], "1");
}

/// create_before_destroy: the replacement adopts the keys (same values, no write) and the
/// deletion of the old object leaves every one of them.
#[test]
fn create_before_destroy_replacement_keeps_every_key() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let client = s.client();
    let ws = s.workspace();
    let lifecycle = "  lifecycle {\n    create_before_destroy = true\n  }\n";
    ws.config(&kvs_resource(&ns, "x", lifecycle, &numbered(12, "v")));
    ws.apply();
    let run = ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-replace=kestra_kvs.x",
    ]);
    assert!(
        run.stdout.contains("1 added, 0 changed, 1 destroyed"),
        "{}",
        run.stdout
    );
    assert_eq!(server_keys(&client, &ns).len(), 12, "no key lost");
    ws.assert_plan_empty();
}

/// Turning `exclusive` on in a scope holding keys nobody listed is refused like a create; two
/// exclusive resources with overlapping prefixes are refused, naming both scopes.
#[test]
fn exclusive_turned_on_or_overlapping_is_refused_at_plan_time() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let client = s.client();
    let ws = s.workspace();
    let values = pairs(&[("a_1", "one")]);
    ws.config(&kvs_resource(&ns, "x", "  prefix = \"a_\"\n", &values));
    ws.apply();
    seed(&client, &ns, "a_stray", KvType::String, "someone else's");
    ws.config(&kvs_resource(
        &ns,
        "x",
        "  prefix = \"a_\"\n  exclusive = true\n",
        &values,
    ));
    let out = ws.fails(&["plan", "-no-color"]).combined();
    let refused = unwrapped(&out);
    assert!(
        refused.contains("Exclusive scope holds keys not in values")
            && refused.contains("\"a_stray\""),
        "{out}"
    );
    assert!(server_keys(&client, &ns).contains_key("a_stray"));

    let overlapping = format!(
        "{}{}",
        kvs_resource(
            &ns,
            "a",
            "  prefix = \"a_\"\n  exclusive = true\n",
            &pairs(&[("a_1", "one"), ("a_stray", "someone else's")])
        ),
        kvs_resource(
            &ns,
            "ab",
            "  prefix = \"a_b\"\n  exclusive = true\n",
            &pairs(&[("a_b1", "two")])
        )
    );
    let ws = s.workspace();
    ws.config(&overlapping);
    let out = ws.fails(&["plan", "-no-color"]).combined();
    let refused = unwrapped(&out);
    assert!(
        refused.contains("Overlapping exclusive kestra_kvs")
            && refused.contains("prefix \"a_b\"")
            && refused.contains("prefix \"a_\""),
        "{out}"
    );
}

/// Drift made through the HTTP API: a value changed and a key deleted out of band are planned
/// and written again; a key rewritten with the value it had is no drift.
#[test]
fn drift_made_through_the_api_is_planned_and_repaired() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let client = s.client();
    let ws = s.workspace();
    let values = numbered(6, "value");
    ws.config(&kvs_resource(&ns, "x", "", &values));
    ws.apply();
    ws.assert_plan_empty();

    seed(&client, &ns, "key-001", KvType::String, "tampered");
    seed(&client, &ns, "key-002", KvType::String, "value 2");
    block_on(client.delete(&ns, "key-003")).expect("delete");
    let (changes, plan) = ws.plan_has_changes();
    assert!(changes);
    assert!(plan.stdout.contains("\"tampered\""), "{}", plan.stdout);
    assert!(plan.stdout.contains("\"key-003\""), "{}", plan.stdout);
    assert!(!plan.stdout.contains("\"key-002\""), "{}", plan.stdout);
    ws.apply();
    ws.assert_plan_empty();
    assert_eq!(
        server_keys(&client, &ns),
        values.into_iter().collect::<BTreeMap<_, _>>()
    );

    ws.destroy();
    assert!(
        server_keys(&client, &ns).is_empty(),
        "destroy deletes every key"
    );
}

#[test]
fn validation_points_at_the_map_element_and_names_the_key() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let ws = s.workspace();
    ws.config(&format!(
        "resource \"kestra_kvs\" \"x\" {{\n  namespace = \"{ns}\"\n  prefix = \"app_\"\n  values = {{\n    app_n = \"not a number\"\n    app_t = \"x\"\n    other = \"x\"\n  }}\n  types = {{ app_n = \"NUMBER\" }}\n  ttls = {{\n    app_t = \"5 minutes\"\n    app_gone = \"PT1H\"\n  }}\n}}\n"
    ));
    let run = ws.fails(&["validate", "-no-color"]).combined();
    for expected in [
        "Value does not fit type NUMBER",
        "Key \"app_n\", values element \"not a number\"",
        "Invalid ttl",
        "Key \"app_t\", ttls element \"5 minutes\"",
        "Key outside the prefix",
        "Key \"other\"",
        "Key of ttls not in values",
        "Key \"app_gone\"",
    ] {
        assert!(run.contains(expected), "{expected} in:\n{run}");
    }
}

/// A `for` expression producing 3,000 keys with a bad ttl: the first 20 errors name their key,
/// then one counts the rest (not 3,000 identical blocks).
#[test]
fn repeated_problems_of_generated_keys_are_capped() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let ws = s.workspace();
    ws.config(&format!(
        "locals {{\n  keys = flatten([for a in range(3) : [for b in range(1000) : format(\"key_%d%03d\", a, b)]])\n}}\n\nresource \"kestra_kvs\" \"x\" {{\n  namespace = \"{ns}\"\n  values = {{ for k in local.keys : k => \"v\" }}\n  ttls = {{ for k in local.keys : k => \"5m\" }}\n}}\n"
    ));
    let run = ws.fails(&["validate", "-no-color"]).combined();
    let errors = run
        .lines()
        .filter(|line| line.starts_with("Error: "))
        .count();
    assert_eq!(errors, 21, "{run}");
    assert!(run.contains("Invalid ttl: 2980 more keys"), "{run}");
    assert!(
        run.contains("Key \"key_0000\", ttls element \"5m\""),
        "{run}"
    );
}
