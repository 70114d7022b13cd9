//! Acceptance: what no other Kestra provider has —
//! write-only values, the ephemeral `kestra_kv`, resource identity, `terraform query` with config
//! generation, and the `kestra_kvs` data source. On 1.15.5, and each feature on the first
//! Terraform minor that has it and refused by the minor before.

use super::Scenario;
use crate::kvs::write_seed;
use kestra_kv_client::{KvType, KvValue};
use test_support::server::Server;
use test_support::terraform::block_on;

const SECRET: &str = "Sup3r-S3cret-Value-9f1c";
const SECOND_SECRET: &str = "An0ther-S3cret-Value-77aa";

#[test]
fn write_only_values_from_an_ephemeral_read_never_reach_plan_state_or_logs() {
    let s = Scenario::start();
    let secrets = s.ns("company.secrets");
    let client = s.client();
    block_on(write_seed(
        &client,
        &secrets,
        "source",
        KvType::String,
        SECRET,
        None,
    ));

    let mut ws = s.workspace();
    let log = ws.path().join("provider.log");
    ws.set_env("TF_LOG_PROVIDER", "trace");
    ws.set_env("TF_LOG_PATH", &log.display().to_string());
    let config = |version: u32, description: &str| {
        format!(
            "ephemeral \"kestra_kv\" \"source\" {{\n  namespace = \"{secrets}\"\n  key = \"source\"\n}}\n\
             resource \"kestra_kv\" \"copy\" {{\n  namespace = \"{secrets}\"\n  key = \"copy\"\n  value_wo = ephemeral.kestra_kv.source.value\n  value_wo_version = {version}\n  description = \"{description}\"\n}}\n"
        )
    };
    ws.config(&config(1, "first"));
    let plan = ws.ok(&["plan", "-no-color"]);
    let apply = ws.apply();
    let stored = block_on(client.get(&secrets, "copy")).expect("written");
    assert_eq!(stored.value.to_text(), SECRET, "the secret was written");
    assert_eq!(stored.value.kind(), KvType::String);
    ws.assert_plan_empty();

    let values = ws.resource_values("kestra_kv.copy");
    assert_eq!(
        values["value"],
        serde_json::Value::Null,
        "no value in state"
    );
    assert_eq!(
        values["value_wo"],
        serde_json::Value::Null,
        "no write-only value in state"
    );
    assert_eq!(values["type"], "STRING");
    let show = ws.ok(&["show", "-json"]).stdout;
    let state_file = ws.read("terraform.tfstate");
    let provider_log = std::fs::read_to_string(&log).expect("provider log written");
    assert!(
        provider_log.contains("Kestra request"),
        "the log holds the provider's requests"
    );
    for (what, text) in [
        ("plan output", plan.combined()),
        ("apply output", apply.combined()),
        ("state file", state_file),
        ("show -json", show),
        ("provider log", provider_log),
    ] {
        assert!(!text.contains(SECRET), "the secret leaked into the {what}");
    }

    // Another update without a version change keeps the server's value.
    block_on(write_seed(
        &client,
        &secrets,
        "source",
        KvType::String,
        SECOND_SECRET,
        None,
    ));
    ws.config(&config(1, "second"));
    ws.apply();
    let stored = block_on(client.get(&secrets, "copy")).expect("exists");
    assert_eq!(
        stored.value.to_text(),
        SECRET,
        "not rewritten without a version change"
    );
    // A version change writes the new secret.
    ws.config(&config(2, "second"));
    ws.apply();
    let stored = block_on(client.get(&secrets, "copy")).expect("exists");
    assert_eq!(
        stored.value.to_text(),
        SECOND_SECRET,
        "rewritten when value_wo_version changes"
    );
    ws.assert_plan_empty();
    let everything = format!(
        "{}{}{}",
        ws.read("terraform.tfstate"),
        ws.ok(&["show", "-json"]).stdout,
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    assert!(
        !everything.contains(SECOND_SECRET),
        "the second secret leaked"
    );
}

/// Out-of-band type drift of a write-only key is planned as an update; the apply must write the
/// write-only value again (keeping the server's value would leave the drift in place forever).
#[test]
fn write_only_type_drift_is_repaired_by_the_planned_update() {
    let s = Scenario::start();
    let team = s.ns("company.team");
    let client = s.client();
    let ws = s.workspace();
    ws.config(&format!("resource \"kestra_kv\" \"n\" {{\n  namespace = \"{team}\"\n  key = \"n\"\n  value_wo = \"42\"\n  value_wo_version = 1\n}}\n"));
    ws.apply();
    assert_eq!(ws.resource_values("kestra_kv.n")["type"], "NUMBER");
    block_on(write_seed(&client, &team, "n", KvType::String, "abc", None));
    let (changes, plan) = ws.plan_has_changes();
    assert!(changes, "type drift is planned:\n{}", plan.stdout);
    ws.apply();
    let stored = block_on(client.get(&team, "n")).expect("exists");
    assert_eq!(
        stored.value,
        KvValue::parse(KvType::Number, "42").expect("number")
    );
    ws.assert_plan_empty();
}

#[test]
fn import_by_identity_and_identity_in_state() {
    let s = Scenario::start();
    let team = s.ns("company.team");
    let client = s.client();
    block_on(write_seed(
        &client,
        &team,
        "by_identity",
        KvType::Json,
        r#"{"a": [1, 2]}"#,
        Some("seeded"),
    ));
    let ws = s.workspace();
    ws.config(&format!(
        "import {{\n  to = kestra_kv.x\n  identity = {{\n    namespace = \"{team}\"\n    key = \"by_identity\"\n  }}\n}}\n\
         resource \"kestra_kv\" \"x\" {{\n  namespace = \"{team}\"\n  key = \"by_identity\"\n  value = jsonencode({{ a = [1, 2] }})\n  description = \"seeded\"\n}}\n"
    ));
    ws.plan_summarised("1 to import, 0 to add, 0 to change, 0 to destroy");
    ws.apply();
    ws.assert_plan_empty();
    let state: serde_json::Value =
        serde_json::from_str(&ws.read("terraform.tfstate")).expect("state");
    let identity = &state["resources"][0]["instances"][0]["identity"];
    assert_eq!(identity["namespace"], team.as_str(), "{state:#}");
    assert_eq!(identity["key"], "by_identity");
    assert_eq!(identity["tenant_id"], s.tenant());
}

/// Keys written by other clients in shapes our writes never produce: a date-time with a zoned
/// offset (Kestra reports it as JSON holding the text) and a key named like the inheritance
/// route (it cannot be read back). The first is adopted as the DATETIME it is, with no changes
/// after; the second is left out of listings with objects, with a warning naming it.
#[test]
fn query_adopts_keys_written_in_other_shapes() {
    let s = Scenario::start();
    let shapes = s.ns("company.shapes");
    let put_raw = |key: &str, body: &str| {
        let request = s.request(
            reqwest::Method::PUT,
            &format!("/namespaces/{shapes}/kv/{key}"),
        );
        let body = body.to_string();
        block_on(async move {
            let response = request
                .header("content-type", "text/plain")
                .body(body)
                .send()
                .await
                .expect("raw put");
            assert!(response.status().is_success(), "{}", response.status());
        });
    };
    put_raw("zoned", "2026-05-01T10:00:00+02:00");
    put_raw("inheritance", "\"shadowed\"");
    put_raw("plain", "\"text\"");
    let stored = block_on(s.client().get(&shapes, "zoned")).expect("zoned");
    assert_eq!(
        stored.value.kind(),
        KvType::Json,
        "the quirk this test is about"
    );

    let ws = s.workspace();
    ws.config("");
    ws.write(
        "shapes.tfquery.hcl",
        &format!(
            "list \"kestra_kv\" \"shapes\" {{\n  provider = kestra\n  include_resource = true\n  config {{\n    namespace = \"{shapes}\"\n  }}\n}}\n"
        ),
    );
    let out = ws.ok(&["query", "-no-color"]).combined();
    for key in ["zoned", "plain"] {
        assert!(out.contains(&format!("{shapes}/{key}")), "{out}");
    }
    assert!(
        !out.contains(&format!("{shapes}/inheritance")),
        "an unreadable key is no resource to adopt:\n{out}"
    );
    assert!(
        out.contains("key left out of the listing") && out.contains("\"inheritance\""),
        "{out}"
    );
    // Without objects, every key is listed by identity.
    ws.write(
        "shapes.tfquery.hcl",
        &format!(
            "list \"kestra_kv\" \"shapes\" {{\n  provider = kestra\n  config {{\n    namespace = \"{shapes}\"\n  }}\n}}\n"
        ),
    );
    let out = ws.ok(&["query", "-no-color"]).combined();
    assert!(out.contains(&format!("{shapes}/inheritance")), "{out}");

    ws.write(
        "shapes.tfquery.hcl",
        &format!(
            "list \"kestra_kv\" \"shapes\" {{\n  provider = kestra\n  include_resource = true\n  config {{\n    namespace = \"{shapes}\"\n    prefix = \"zoned\"\n  }}\n}}\n"
        ),
    );
    ws.ok(&["query", "-no-color", "-generate-config-out=generated.tf"]);
    let generated = ws.read("generated.tf");
    assert!(generated.contains("\"DATETIME\""), "{generated}");
    std::fs::remove_file(ws.path().join("shapes.tfquery.hcl")).expect("remove query file");
    let apply = ws.apply();
    assert!(
        apply
            .stdout
            .contains("Resources: 1 imported, 0 added, 0 changed, 0 destroyed"),
        "{}",
        apply.stdout
    );
    ws.assert_plan_empty();
}

/// `terraform query` -> `-generate-config-out` -> apply adopts 2,500 keys across two namespaces;
/// the next plan is empty. `kestra_kvs` pages through the same namespaces.
#[test]
fn query_generate_apply_adopts_2500_keys_with_no_changes_after() {
    let s = Scenario::start();
    let alpha = s.ns("company.alpha");
    let beta = s.ns("company.beta");
    let client = s.client();
    block_on(async {
        let mut writes = Vec::new();
        for i in 0..1500 {
            writes.push((&alpha, format!("app-{i:04}"), KvType::Number, i.to_string()));
        }
        for i in 0..1000 {
            writes.push((
                &beta,
                format!("svc-{i:04}"),
                KvType::String,
                format!("service {i}"),
            ));
        }
        for i in 0..40 {
            writes.push((
                &alpha,
                format!("zz-other-{i}"),
                KvType::Boolean,
                "true".to_string(),
            ));
        }
        futures::future::join_all(writes.chunks(100).map(|chunk| {
            let client = client.clone();
            async move {
                for (namespace, key, kind, text) in chunk {
                    write_seed(&client, namespace, key, *kind, text, Some("seeded")).await;
                }
            }
        }))
        .await;
    });

    let ws = s.workspace();
    ws.config("");
    ws.write(
        "adopt.tfquery.hcl",
        &format!(
            "list \"kestra_kv\" \"alpha\" {{\n  provider = kestra\n  include_resource = true\n  limit = 5000\n  config {{\n    namespace = \"{alpha}\"\n    prefix = \"app-\"\n  }}\n}}\n\
         list \"kestra_kv\" \"beta\" {{\n  provider = kestra\n  include_resource = true\n  limit = 5000\n  config {{\n    namespace = \"{beta}\"\n    prefix = \"svc-\"\n  }}\n}}\n"
        ),
    );
    let query = ws.ok(&["query", "-no-color"]);
    let listed = query
        .stdout
        .lines()
        .filter(|l| l.starts_with("list.kestra_kv."))
        .count();
    assert_eq!(listed, 2500, "query lists exactly the prefixed keys");
    assert!(query.stdout.contains(&format!("{alpha}/app-1499")));
    assert!(!query.stdout.contains("zz-other"), "the prefix filters");

    ws.ok(&["query", "-no-color", "-generate-config-out=generated.tf"]);
    let generated = ws.read("generated.tf");
    assert_eq!(generated.matches("import {").count(), 2500);
    std::fs::remove_file(ws.path().join("adopt.tfquery.hcl")).expect("remove query file");
    let apply = ws.apply();
    assert!(
        apply
            .stdout
            .contains("Resources: 2500 imported, 0 added, 0 changed, 0 destroyed"),
        "{}",
        apply.stdout
    );
    ws.assert_plan_empty();

    // kestra_kvs pages through more than one page of the server's search (1,000 per page).
    let kvs = s.workspace();
    kvs.config(&format!(
        "data \"kestra_kvs\" \"alpha\" {{\n  namespace = \"{alpha}\"\n}}\n\
         data \"kestra_kvs\" \"alpha_apps\" {{\n  namespace = \"{alpha}\"\n  prefix = \"app-1\"\n}}\n\
         output \"alpha_count\" {{ value = length(data.kestra_kvs.alpha.keys) }}\n\
         output \"apps_count\" {{ value = length(data.kestra_kvs.alpha_apps.keys) }}\n\
         output \"first\" {{ value = data.kestra_kvs.alpha.keys[0] }}\n"
    ));
    kvs.apply();
    assert_eq!(kvs.output("alpha_count"), 1540);
    assert_eq!(kvs.output("apps_count"), 500);
    let first = kvs.output("first");
    assert_eq!(first["key"], "app-0000");
    assert_eq!(first["namespace"], alpha.as_str());
    assert_eq!(first["description"], "seeded");
    assert_eq!(first["revision"], 1);
    assert_eq!(first["inherited"], false);
}

#[test]
fn kestra_kvs_lists_inherited_keys_closest_parent_first() {
    let s = Scenario::start();
    let io = s.ns("io");
    let parent = s.ns("io.namespace");
    let child = s.ns("io.namespace.child");
    let client = s.client();
    block_on(async {
        write_seed(
            &client,
            &io,
            "shared-key",
            KvType::String,
            "root",
            Some("io desc"),
        )
        .await;
        write_seed(
            &client,
            &io,
            "root-only",
            KvType::String,
            "r",
            Some("io desc"),
        )
        .await;
        write_seed(
            &client,
            &parent,
            "shared-key",
            KvType::String,
            "parent",
            Some("parent desc"),
        )
        .await;
        write_seed(
            &client,
            &parent,
            "parent-key",
            KvType::String,
            "p",
            Some("parent desc"),
        )
        .await;
        write_seed(&client, &child, "child-key", KvType::String, "c", None).await;
        write_seed(&client, &child, "shared-key", KvType::String, "own", None).await;
    });
    let ws = s.workspace();
    ws.config(&format!(
        "data \"kestra_kvs\" \"child\" {{\n  namespace = \"{child}\"\n  include_inherited = true\n}}\n\
         data \"kestra_kvs\" \"own\" {{\n  namespace = \"{child}\"\n}}\n\
         output \"all\" {{ value = [for k in data.kestra_kvs.child.keys : \"${{k.namespace}}/${{k.key}}/${{k.inherited}}\"] }}\n\
         output \"own\" {{ value = [for k in data.kestra_kvs.own.keys : k.key] }}\n"
    ));
    ws.apply();
    assert_eq!(
        ws.output("all"),
        serde_json::json!([
            format!("{child}/child-key/false"),
            format!("{child}/shared-key/false"),
            format!("{parent}/parent-key/true"),
            format!("{io}/root-only/true")
        ])
    );
    assert_eq!(
        ws.output("own"),
        serde_json::json!(["child-key", "shared-key"])
    );
}

/// Terraform `minor` refuses `config` on `command`, saying each of `expected` (line breaks in
/// Terraform's wrapped output do not matter).
fn refused_by(server: &Server, minor: &str, config: &str, command: &str, expected: &[&str]) {
    let ws = server.workspace_on(minor);
    ws.config(config);
    let out = ws.fails(&[command, "-no-color"]).combined();
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for fragment in expected {
        assert!(
            words.contains(fragment),
            "Terraform {minor} does not say {fragment:?}:\n{out}"
        );
    }
}

/// The ephemeral `kestra_kv` on Terraform 1.10 (the first with ephemeral resources): its value
/// configures a provider (extra header) and appears in neither plan nor state. Terraform 1.9
/// rejects the block itself.
#[test]
fn ephemeral_resource_from_terraform_1_10_refused_by_1_9() {
    let s = Scenario::start();
    let secrets = s.ns("company.secrets");
    let team = s.ns("company.team");
    let client = s.client();
    block_on(write_seed(
        &client,
        &secrets,
        "gateway_token",
        KvType::String,
        SECRET,
        None,
    ));
    let config = &format!(
        "ephemeral \"kestra_kv\" \"token\" {{\n  namespace = \"{secrets}\"\n  key = \"gateway_token\"\n}}\n\
        provider \"kestra\" {{\n  alias = \"gateway\"\n  extra_headers = {{ \"X-Gateway-Token\" = ephemeral.kestra_kv.token.value }}\n}}\n\
        resource \"kestra_kv\" \"through_gateway\" {{\n  provider = kestra.gateway\n  namespace = \"{team}\"\n  key = \"k\"\n  value = \"v\"\n}}\n"
    );

    let ws = s.workspace_on("1.10");
    ws.config(config);
    let plan = ws.ok(&["plan", "-no-color"]);
    let apply = ws.apply();
    assert!(block_on(client.get_opt(&team, "k")).expect("get").is_some());
    ws.assert_plan_empty();
    for (what, text) in [
        ("plan", plan.combined()),
        ("apply", apply.combined()),
        ("state", ws.read("terraform.tfstate")),
    ] {
        assert!(
            !text.contains(SECRET),
            "the ephemeral value leaked into the {what}"
        );
    }
    // The ephemeral read really happens: without the key, planning fails naming it.
    block_on(client.delete(&secrets, "gateway_token")).expect("delete");
    let out = ws.fails(&["plan", "-no-color"]).combined();
    assert!(out.contains("gateway_token"), "{out}");

    refused_by(
        &s,
        "1.9",
        config,
        "validate",
        &[
            "Unsupported block type",
            "Blocks of type \"ephemeral\" are not expected here",
        ],
    );
}

/// `value_wo` on Terraform 1.11 (the first with write-only attributes): written, never stored.
/// Terraform 1.10 would store it like any attribute, so the provider refuses it, naming 1.11.
#[test]
fn write_only_value_from_terraform_1_11_refused_on_1_10() {
    let s = Scenario::start();
    let team = s.ns("company.team");
    let client = s.client();
    let config = format!(
        "resource \"kestra_kv\" \"secret\" {{\n  namespace = \"{team}\"\n  key = \"secret\"\n  value_wo = \"{SECRET}\"\n  value_wo_version = 1\n}}\n"
    );
    let ws = s.workspace_on("1.11");
    ws.config(&config);
    ws.apply();
    let stored = block_on(client.get(&team, "secret")).expect("written");
    assert_eq!(stored.value.to_text(), SECRET);
    assert!(
        !ws.read("terraform.tfstate").contains(SECRET),
        "stored in state"
    );
    ws.assert_plan_empty();

    refused_by(
        &s,
        "1.10",
        &config.replace("\"secret\"", "\"other\""),
        "plan",
        &[
            "Write-only attribute not supported",
            "value_wo is write-only, which needs Terraform 1.11 or later",
        ],
    );
    assert!(
        block_on(client.get_opt(&team, "other"))
            .expect("get")
            .is_none(),
        "nothing written by the refused configuration"
    );
}

/// `import { identity = ... }` on Terraform 1.12 (the first with resource identity); Terraform
/// 1.11 does not know the argument.
#[test]
fn identity_import_from_terraform_1_12_refused_by_1_11() {
    let s = Scenario::start();
    let team = s.ns("company.team");
    block_on(write_seed(
        &s.client(),
        &team,
        "by_identity",
        KvType::Boolean,
        "true",
        None,
    ));
    let config = &format!(
        "import {{\n  to = kestra_kv.x\n  identity = {{\n    namespace = \"{team}\"\n    key = \"by_identity\"\n  }}\n}}\n\
        resource \"kestra_kv\" \"x\" {{\n  namespace = \"{team}\"\n  key = \"by_identity\"\n  value = \"true\"\n}}\n"
    );
    let ws = s.workspace_on("1.12");
    ws.config(config);
    ws.apply_summarised("1 imported, 0 added, 0 changed, 0 destroyed");
    ws.assert_plan_empty();

    refused_by(
        &s,
        "1.11",
        config,
        "validate",
        &[
            "Unsupported argument",
            "An argument named \"identity\" is not expected here",
        ],
    );
}

/// `terraform query` with the list resource on Terraform 1.14 (the first with it); Terraform
/// 1.13 has no such command.
#[test]
fn list_resource_query_from_terraform_1_14_refused_by_1_13() {
    let s = Scenario::start();
    let team = s.ns("company.team");
    let client = s.client();
    for key in ["app_one", "app_two"] {
        block_on(write_seed(&client, &team, key, KvType::String, "x", None));
    }
    let query = &format!(
        "list \"kestra_kv\" \"team\" {{\n  provider = kestra\n  config {{\n    namespace = \"{team}\"\n  }}\n}}\n"
    );
    let ws = s.workspace_on("1.14");
    ws.config("");
    ws.write("team.tfquery.hcl", query);
    let out = ws.ok(&["query", "-no-color"]).combined();
    for key in ["app_one", "app_two"] {
        assert!(out.contains(&format!("{team}/{key}")), "{out}");
    }

    let old = s.workspace_on("1.13");
    old.config("");
    old.write("team.tfquery.hcl", query);
    let out = old.fails(&["query", "-no-color"]).combined();
    assert!(
        out.contains("Terraform has no command named \"query\""),
        "{out}"
    );
}
