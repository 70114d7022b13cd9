//! The basic lifecycles of `kestra_kv` and `kestra_kvs` on every tested Terraform minor, one
//! test per minor.

use super::type_matrix::{assert_matrix_keys_gone, assert_server_holds, matrix_config};
use crate::acceptance::Scenario;
use kestra_kv_client::{KvType, KvValue, PutOptions};
use test_support::terraform::block_on;

/// The basic lifecycle on one Terraform minor: every type with and without `type`, a data source
/// reading one of them back, `terraform import` of a key written by someone else, an empty plan
/// after apply and import, destroy.
fn basic_lifecycle_on(s: &Scenario, minor: &str) {
    let ns = s.ns("company.team");
    let client = s.client();
    block_on(async {
        client
            .put(
                &ns,
                "adopted",
                &KvValue::parse(KvType::Number, "7").expect("number"),
                &PutOptions::default(),
            )
            .await
            .expect("seed");
    });
    let ws = s.workspace_on(minor);
    let version = ws.ok(&["version"]).stdout;
    assert!(
        version.starts_with(&format!("Terraform v{minor}.")),
        "not Terraform {minor}: {version}"
    );
    let typed_keys_and_data_source = format!(
        "{}data \"kestra_kv\" \"json\" {{\n  namespace = \"{ns}\"\n  key = \"json_typed\"\n  depends_on = [kestra_kv.json_typed]\n}}\n\n\
         output \"json_read_back\" {{\n  value = \"${{data.kestra_kv.json.type}} ${{jsondecode(data.kestra_kv.json.value).a}}\"\n}}\n",
        matrix_config(&ns, false)
    );
    ws.config(&typed_keys_and_data_source);
    let apply = ws.apply();
    assert!(
        apply.stdout.contains("14 added, 0 changed, 0 destroyed"),
        "{}",
        apply.stdout
    );
    assert_eq!(ws.output("json_read_back"), "JSON 1");
    ws.assert_plan_empty();
    assert_server_holds(s, &ns, false);

    ws.config(&format!(
        "{typed_keys_and_data_source}resource \"kestra_kv\" \"adopted\" {{\n  namespace = \"{ns}\"\n  key = \"adopted\"\n  value = \"7\"\n}}\n"
    ));
    ws.ok(&[
        "import",
        "-no-color",
        "kestra_kv.adopted",
        &format!("{ns}/adopted"),
    ]);
    assert_eq!(ws.resource_values("kestra_kv.adopted")["type"], "NUMBER");
    ws.assert_plan_empty();

    ws.destroy();
    assert_matrix_keys_gone(s, &ns);
    assert!(
        block_on(client.get_opt(&ns, "adopted"))
            .expect("get")
            .is_none(),
        "the imported key is destroyed too"
    );
}

/// `kestra_kvs` on one Terraform minor: create with typed, inferred and described keys, an
/// empty plan, an update that changes one key and removes another, import of the scope, an
/// empty plan after it, destroy.
fn kvs_lifecycle_on(s: &Scenario, minor: &str) {
    let ns = s.ns("company.kvs");
    let client = s.client();
    let ws = s.workspace_on(minor);
    let config = |exclusive: bool, maps: &str| {
        format!(
            "resource \"kestra_kvs\" \"set\" {{\n  namespace = \"{ns}\"\n  exclusive = {exclusive}\n{maps}}}\n"
        )
    };
    let created = "  values = {\n    replicas = \"3\"\n    limits = jsonencode({ cpu = 2 })\n    owner = \"team-a\"\n  }\n  types = { replicas = \"NUMBER\" }\n  descriptions = { owner = \"who to ask\" }\n";
    ws.config(&config(false, created));
    ws.apply_summarised("1 added, 0 changed, 0 destroyed");
    ws.assert_plan_empty();
    let held = |key: &str| {
        block_on(client.get_opt(&ns, key))
            .expect("get")
            .map(|stored| (stored.value.kind(), stored.value.to_text()))
    };
    assert_eq!(held("replicas"), Some((KvType::Number, "3".to_string())));
    assert_eq!(held("limits").map(|(kind, _)| kind), Some(KvType::Json));

    let updated = "  values = {\n    replicas = \"5\"\n    limits = jsonencode({ cpu = 2 })\n  }\n  types = { replicas = \"NUMBER\" }\n";
    ws.config(&config(false, updated));
    ws.apply_summarised("0 added, 1 changed, 0 destroyed");
    assert_eq!(held("replicas"), Some((KvType::Number, "5".to_string())));
    assert_eq!(held("owner"), None, "the removed key is deleted");

    ws.ok(&["state", "rm", "kestra_kvs.set"]);
    ws.config(&config(true, updated));
    ws.ok(&["import", "-no-color", "kestra_kvs.set", &ns]);
    ws.assert_plan_empty();

    ws.destroy();
    assert_eq!(held("replicas"), None);
    assert_eq!(held("limits"), None);
}

/// A STRING Kestra reads back as a DURATION (a documented equivalence), imported with an
/// `import {}` block: the imported state can hold only what the server reports, so one update
/// is planned; it writes the same value once (the revision moves by one), and the plan after
/// it is empty.
fn duration_shaped_string_import_settles_on(s: &Scenario, minor: &str) {
    let ns = s.ns("company.durations");
    let ws = s.workspace_on(minor);
    let resource = format!(
        "resource \"kestra_kv\" \"d\" {{\n  namespace = \"{ns}\"\n  key = \"d\"\n  value = \"P1D\"\n  type = \"STRING\"\n}}\n"
    );
    ws.config(&resource);
    ws.apply();
    ws.ok(&["state", "rm", "kestra_kv.d"]);
    ws.config(&format!(
        "import {{\n  to = kestra_kv.d\n  id = \"{ns}/d\"\n}}\n\n{resource}"
    ));
    let (changes, plan) = ws.plan_has_changes();
    assert!(
        changes,
        "the imported DURATION differs from the configured STRING"
    );
    assert!(
        plan.stdout
            .contains("1 to import, 0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    let before = block_on(s.client().get(&ns, "d")).expect("key").revision;
    ws.apply();
    let stored = block_on(s.client().get(&ns, "d")).expect("key");
    assert_eq!(stored.value.kind(), KvType::Duration);
    assert_eq!(
        stored.value.to_text(),
        "PT24H",
        "the update wrote the same value"
    );
    assert_eq!(
        stored.revision,
        before.map(|revision| revision + 1),
        "one write"
    );
    ws.assert_plan_empty();
    let state = ws.resource_values("kestra_kv.d");
    assert_eq!(
        (state["type"].as_str(), state["value"].as_str()),
        (Some("STRING"), Some("P1D"))
    );
}

/// One test per Terraform minor, so each runs (and is timed) on its own: the basic lifecycle of
/// `kestra_kv`, the import of a documented equivalence settling after one update, and the
/// lifecycle of `kestra_kvs`.
macro_rules! basic_lifecycle_on_every_terraform {
    ($($test:ident => $minor:literal,)*) => {$(
        #[test]
        fn $test() {
            let s = Scenario::start();
            basic_lifecycle_on(&s, $minor);
            duration_shaped_string_import_settles_on(&s, $minor);
            kvs_lifecycle_on(&s, $minor);
        }
    )*};
}

basic_lifecycle_on_every_terraform! {
    basic_lifecycle_on_terraform_1_6 => "1.6",
    basic_lifecycle_on_terraform_1_8 => "1.8",
    basic_lifecycle_on_terraform_1_9 => "1.9",
    basic_lifecycle_on_terraform_1_10 => "1.10",
    basic_lifecycle_on_terraform_1_11 => "1.11",
    basic_lifecycle_on_terraform_1_12 => "1.12",
    basic_lifecycle_on_terraform_1_13 => "1.13",
    basic_lifecycle_on_terraform_1_14 => "1.14",
    basic_lifecycle_on_terraform_1_15 => "1.15",
}
