//! Acceptance: the `kestra_kvs` resource (many keys of one namespace as one resource): exclusive
//! scopes, import in every ID form, replacement. What it writes is checked through the HTTP
//! API: values by listing and reading, "nothing written" by unchanged revisions.

use std::collections::BTreeMap;

use super::Scenario;
use crate::common::terraform::block_on;
use crate::kvs::{kvs_config, numbered, seed, server_keys, state_entries};
use terraform_provider_kestra::kestra::{Client, KvType, ListOptions};

/// The revision of every key of `ns` as listed: a key no one wrote keeps its revision.
fn revisions(client: &Client, ns: &str) -> BTreeMap<String, Option<i64>> {
    block_on(client.list_all(ns, ListOptions::default()))
        .expect("list")
        .into_iter()
        .map(|entry| (entry.key, entry.revision))
        .collect()
}

#[test]
fn exclusive_refuses_a_scope_with_unlisted_keys_and_deletes_newcomers() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let client = s.client();
    seed(&client, &ns, "app_stray", KvType::String, "stray");
    seed(&client, &ns, "other", KvType::String, "outside the prefix");
    let ws = s.workspace();
    let entries = vec![("app_a".to_string(), "a".to_string())];
    let extra = "  prefix = \"app_\"\n  exclusive = true\n";
    ws.config(&kvs_config(&ns, "x", extra, &entries));
    let out = ws.fails(&["plan", "-no-color"]).combined();
    // Terraform wraps long lines: compare with the line breaks as spaces.
    let refused = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        refused.contains("Exclusive scope holds keys not in entries")
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
    let mut entries = entries;
    entries.push(("app_stray".to_string(), "stray".to_string()));
    ws.config(&kvs_config(&ns, "x", extra, &entries));
    let before = revisions(&client, &ns);
    ws.apply();
    let after = revisions(&client, &ns);
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

#[test]
fn import_of_a_scope_in_every_id_form_and_with_generated_config() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let tenant = s.tenant();
    let client = s.client();
    seed(&client, &ns, "app_n", KvType::Number, "1.0");
    seed(&client, &ns, "app_s", KvType::String, "hello");
    seed(&client, &ns, "zed", KvType::Json, r#"{"x": [1, 2]}"#);
    let all = "    app_n = { value = \"1.0\", type = \"NUMBER\" }\n    app_s = { value = \"hello\" }\n    zed = { value = jsonencode({ x = [1, 2] }) }\n";
    let prefixed =
        "    app_n = { value = \"1.0\", type = \"NUMBER\" }\n    app_s = { value = \"hello\" }\n";
    let config = |extra: &str, entries: &str| {
        format!(
            "resource \"kestra_kvs\" \"x\" {{\n  namespace = \"{ns}\"\n  exclusive = true\n{extra}  entries = {{\n{entries}  }}\n}}\n"
        )
    };
    for (id, extra, entries) in [
        (ns.clone(), "", all),
        (format!("{tenant}/{ns}"), "", all),
        (format!("{ns}/app_*"), "  prefix = \"app_\"\n", prefixed),
        (
            format!("{tenant}/{ns}/app_*"),
            "  prefix = \"app_\"\n",
            prefixed,
        ),
    ] {
        let ws = s.workspace();
        ws.config(&config(extra, entries));
        ws.ok(&["import", "-no-color", "kestra_kvs.x", &id]);
        ws.assert_plan_empty();
        assert_eq!(
            state_entries(&ws, "kestra_kvs.x").len(),
            if extra.is_empty() { 3 } else { 2 },
            "{id}"
        );
    }
    let bad = s.workspace();
    bad.config(&config("", all));
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
        generated.contains("app_n") && !generated.contains("zed"),
        "{generated}"
    );
    ws.plan_summarised("1 to import, 0 to add, 0 to change, 0 to destroy");
    let before = revisions(&client, &ns);
    ws.apply();
    assert_eq!(revisions(&client, &ns), before, "nothing written");
    ws.assert_plan_empty();
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
    ws.config(&kvs_config(&ns, "x", lifecycle, &numbered(12, "v")));
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

/// Drift made through the HTTP API: a value changed and a key deleted out of band are planned
/// and written again; a key rewritten with the value it had is no drift.
#[test]
fn drift_made_through_the_api_is_planned_and_repaired() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let client = s.client();
    let ws = s.workspace();
    let entries = numbered(6, "value");
    ws.config(&kvs_config(&ns, "x", "", &entries));
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
        entries.into_iter().collect::<BTreeMap<_, _>>()
    );

    ws.destroy();
    assert!(
        server_keys(&client, &ns).is_empty(),
        "destroy deletes every key"
    );
}
