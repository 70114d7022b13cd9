//! Acceptance: the `kestra_kv` resource and data source, on 1.15.5 and, for the basic lifecycle
//! (with `kestra_kvs`), on every tested minor.

use super::Scenario;
use kestra_kv_client::{KvDuration, KvType, KvValue, ListOptions, PutOptions};
use serde_json::Value as Json;
use test_support::server::Server;
use test_support::terraform::block_on;

fn hcl_string(text: &str) -> String {
    // JSON string syntax is valid HCL except for template sequences.
    serde_json::to_string(text)
        .expect("string")
        .replace("${", "$${")
        .replace("%{", "%%{")
}

struct Case {
    name: &'static str,
    kind: &'static str,
    first: &'static str,
    second: &'static str,
}

const TYPES: &[Case] = &[
    Case {
        name: "string",
        kind: "STRING",
        first: "hello world",
        second: "bye \"quoted\" \\ back",
    },
    Case {
        name: "number",
        kind: "NUMBER",
        first: "42",
        second: "3.14",
    },
    Case {
        name: "boolean",
        kind: "BOOLEAN",
        first: "true",
        second: "false",
    },
    Case {
        name: "datetime",
        kind: "DATETIME",
        first: "2024-07-15T06:10:33.422Z",
        second: "2025-01-02T03:04:05Z",
    },
    Case {
        name: "date",
        kind: "DATE",
        first: "2024-07-15",
        second: "2025-12-31",
    },
    Case {
        name: "duration",
        kind: "DURATION",
        first: "PT5M",
        second: "P3DT3H2M1S",
    },
    Case {
        name: "json",
        kind: "JSON",
        first: r#"{"a":1,"b":[true,null]}"#,
        second: r#"[1,"two",{"three":3}]"#,
    },
];

/// One resource per type, with `type` set (`_typed`) and omitted (`_inferred`).
fn matrix_config(ns: &str, second: bool) -> String {
    let mut hcl = String::new();
    for case in TYPES {
        let value = if second { case.second } else { case.first };
        for (suffix, typed) in [("typed", true), ("inferred", false)] {
            let type_line = if typed {
                format!("  type = \"{}\"\n", case.kind)
            } else {
                String::new()
            };
            hcl.push_str(&format!(
                "resource \"kestra_kv\" \"{name}_{suffix}\" {{\n  namespace = \"{ns}\"\n  key = \"{name}_{suffix}\"\n  value = {value}\n{type_line}  description = \"{name} {suffix}\"\n}}\n\n",
                name = case.name,
                value = hcl_string(value),
            ));
        }
    }
    hcl
}

fn assert_server_holds(s: &Scenario, ns: &str, second: bool) {
    let client = s.client();
    block_on(async {
        for case in TYPES {
            let expected = KvValue::parse(
                case.kind.parse().expect("kind"),
                if second { case.second } else { case.first },
            )
            .expect("valid test value");
            for suffix in ["typed", "inferred"] {
                let key = format!("{}_{suffix}", case.name);
                let stored = client.get(ns, &key).await.expect("key exists");
                assert_eq!(stored.value.kind().to_string(), case.kind, "type of {key}");
                assert!(
                    stored.value.semantically_equal(&expected),
                    "{key}: server holds {:?}, expected {:?}",
                    stored.value.to_text(),
                    expected.to_text()
                );
            }
        }
    });
}

#[test]
fn every_type_with_and_without_type_through_the_whole_lifecycle() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let ws = s.workspace();

    ws.config(&matrix_config(&ns, false));
    ws.apply();
    ws.assert_plan_empty();
    assert_server_holds(&s, &ns, false);
    for case in TYPES {
        let values = ws.resource_values(&format!("kestra_kv.{}_inferred", case.name));
        assert_eq!(values["type"], case.kind, "type inferred for {}", case.name);
        assert_eq!(values["id"], format!("{ns}/{}_inferred", case.name));
        assert_eq!(values["tenant_id"], s.tenant());
    }

    // Update in place.
    ws.config(&matrix_config(&ns, true));
    let (changes, plan) = ws.plan_has_changes();
    assert!(changes);
    assert!(plan.stdout.contains("14 to change"), "{}", plan.stdout);
    assert!(!plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    ws.apply();
    ws.assert_plan_empty();
    assert_server_holds(&s, &ns, true);

    // Import into an empty state with import blocks; the plan is empty.
    let fresh = s.workspace();
    let mut imports = String::new();
    for case in TYPES {
        for suffix in ["typed", "inferred"] {
            imports.push_str(&format!(
                "import {{\n  to = kestra_kv.{n}_{suffix}\n  id = \"{ns}/{n}_{suffix}\"\n}}\n",
                n = case.name
            ));
        }
    }
    fresh.config(&format!("{}\n{imports}", matrix_config(&ns, true)));
    fresh.plan_summarised("14 to import, 0 to add, 0 to change, 0 to destroy");
    fresh.apply();
    fresh.assert_plan_empty();

    // Destroy leaves the server without the keys.
    ws.destroy();
    assert_matrix_keys_gone(&s, &ns);
}

fn assert_matrix_keys_gone(s: &Scenario, ns: &str) {
    let client = s.client();
    block_on(async {
        for case in TYPES {
            for suffix in ["typed", "inferred"] {
                let key = format!("{}_{suffix}", case.name);
                assert!(
                    client.get_opt(ns, &key).await.expect("get").is_none(),
                    "{key} deleted"
                );
            }
        }
    });
}

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

#[test]
fn terraform_import_command_with_both_id_formats() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let client = s.client();
    block_on(async {
        let options = PutOptions {
            description: Some("seeded".into()),
            ..PutOptions::default()
        };
        client
            .put(
                &ns,
                "a",
                &KvValue::parse(KvType::Number, "1.0").expect("n"),
                &options,
            )
            .await
            .expect("put");
        client
            .put(
                &ns,
                "b",
                &KvValue::parse(KvType::Json, r#"{"x": [1, 2]}"#).expect("j"),
                &options,
            )
            .await
            .expect("put");
    });
    let ws = s.workspace();
    ws.config(
        &format!("resource \"kestra_kv\" \"a\" {{\n  namespace = \"{ns}\"\n  key = \"a\"\n  value = \"1.0\"\n  description = \"seeded\"\n}}\n\
         resource \"kestra_kv\" \"b\" {{\n  namespace = \"{ns}\"\n  key = \"b\"\n  value = jsonencode({{ x = [1, 2] }})\n  type = \"JSON\"\n  description = \"seeded\"\n}}\n"),
    );
    ws.ok(&["import", "-no-color", "kestra_kv.a", &format!("{ns}/a")]);
    ws.ok(&[
        "import",
        "-no-color",
        "kestra_kv.b",
        &format!("{}/{ns}/b", s.tenant()),
    ]);
    ws.assert_plan_empty();
    let values = ws.resource_values("kestra_kv.a");
    assert_eq!(values["value"], "1.0");
    assert_eq!(values["type"], "NUMBER");

    let bad = ws
        .fails(&["import", "-no-color", "kestra_kv.a", "just-a-key"])
        .combined();
    assert!(
        bad.contains("<namespace>/<key>") && bad.contains("<tenant>/<namespace>/<key>"),
        "{bad}"
    );
}

/// The official provider's acceptance scenarios, ported.
#[test]
fn official_provider_acceptance_scenarios() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    for typed in [false, true] {
        let ws = s.workspace();
        let type_line = if typed { "  type = \"STRING\"\n" } else { "" };
        let config = format!(
            "resource \"kestra_kv\" \"string\" {{\n  namespace = \"{ns}\"\n  key = \"string\"\n  value = \"my-value\"\n{type_line}}}\n\
             resource \"kestra_kv\" \"int\" {{\n  namespace = \"{ns}\"\n  key = \"int\"\n  value = \"42\"\n{type_line}}}\n\
             resource \"kestra_kv\" \"json\" {{\n  namespace = \"{ns}\"\n  key = \"json\"\n  value = jsonencode({{ key = \"value\" }})\n{type_line}}}\n"
        );
        ws.config(&config);
        ws.apply();
        ws.assert_plan_empty();
        let expected_types = if typed {
            ["STRING", "STRING", "STRING"]
        } else {
            ["STRING", "NUMBER", "JSON"]
        };
        let client = s.client();
        block_on(async {
            for (key, kind) in ["string", "int", "json"].iter().zip(expected_types) {
                let stored = client.get(&ns, key).await.expect("exists");
                assert_eq!(stored.value.kind().to_string(), kind, "{key} typed={typed}");
            }
            let stored = client.get(&ns, "json").await.expect("exists");
            if typed {
                assert_eq!(
                    stored.value.to_text(),
                    r#"{"key":"value"}"#,
                    "a STRING keeps its exact text"
                );
            }
        });
        // Import verify: a fresh state imports each key and plans nothing.
        let fresh = s.workspace();
        fresh.config(&config);
        for key in ["string", "int", "json"] {
            fresh.ok(&[
                "import",
                "-no-color",
                &format!("kestra_kv.{key}"),
                &format!("{ns}/{key}"),
            ]);
        }
        fresh.assert_plan_empty();
        ws.destroy();
        block_on(async {
            for key in ["string", "int", "json"] {
                assert!(client.get_opt(&ns, key).await.expect("get").is_none());
            }
        });
    }
}

#[test]
fn data_source_reads_values_seeded_through_the_client() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let client = s.client();
    let seeds: &[(&str, KvType, &str, &str, &str)] = &[
        ("string", KvType::String, "hello", "STRING", "hello"),
        ("int", KvType::Number, "42", "NUMBER", "42"),
        ("double", KvType::Number, "1.0", "NUMBER", "1.0"),
        ("bool_true", KvType::Boolean, "true", "BOOLEAN", "true"),
        ("bool_false", KvType::Boolean, "false", "BOOLEAN", "false"),
        (
            "datetime",
            KvType::Datetime,
            "2021-09-01T01:02:03Z",
            "DATETIME",
            "2021-09-01T01:02:03Z",
        ),
        ("date", KvType::Date, "2021-09-01", "DATE", "2021-09-01"),
        (
            "duration",
            KvType::Duration,
            "P3DT3H2M1S",
            "DURATION",
            "PT75H2M1S",
        ),
        (
            "object",
            KvType::Json,
            r#"{"hello": "world"}"#,
            "JSON",
            r#"{"hello":"world"}"#,
        ),
        (
            "array",
            KvType::Json,
            r#"["hello", "world"]"#,
            "JSON",
            r#"["hello","world"]"#,
        ),
    ];
    block_on(async {
        for (key, kind, text, _, _) in seeds {
            let options = PutOptions {
                description: Some(format!("{key} desc")),
                ttl: Some(KvDuration::parse("P1D").expect("ttl")),
            };
            client
                .put(
                    &ns,
                    key,
                    &KvValue::parse(*kind, text).expect("valid"),
                    &options,
                )
                .await
                .expect("seed");
        }
    });
    let ws = s.workspace();
    let mut hcl = String::new();
    for (key, ..) in seeds {
        hcl.push_str(&format!(
            "data \"kestra_kv\" \"{key}\" {{\n  namespace = \"{ns}\"\n  key = \"{key}\"\n}}\n"
        ));
    }
    hcl.push_str(&format!("data \"kestra_kv\" \"missing\" {{\n  namespace = \"{ns}\"\n  key = \"nope\"\n  error_on_missing = false\n}}\n"));
    ws.config(&hcl);
    ws.apply();
    for (key, _, _, kind, text) in seeds {
        let values = ws.resource_values(&format!("data.kestra_kv.{key}"));
        assert_eq!(values["type"], *kind, "{key}");
        assert_eq!(values["value"], *text, "{key}");
        assert_eq!(values["description"], format!("{key} desc"), "{key}");
        assert_eq!(values["revision"], 1, "{key}");
        assert!(
            values["expiration_date"]
                .as_str()
                .is_some_and(|d| d.ends_with('Z')),
            "{key}: {values}"
        );
        assert_eq!(values["id"], format!("{ns}/{key}"));
    }
    let missing = ws.resource_values("data.kestra_kv.missing");
    assert_eq!(missing["value"], Json::Null);
    assert_eq!(missing["type"], Json::Null);

    ws.config(&format!(
        "data \"kestra_kv\" \"missing\" {{\n  namespace = \"{ns}\"\n  key = \"nope\"\n}}\n"
    ));
    let out = ws.fails(&["plan", "-no-color"]).combined();
    // Terraform wraps long lines: compare with the line breaks as spaces.
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("\"nope\"") && words.contains(&format!("\"{ns}\"")),
        "names namespace and key:\n{out}"
    );
    assert!(
        words.contains(&format!(
            "GET /api/v1/{}/namespaces/{ns}/kv/nope (HTTP 404)",
            s.tenant()
        )),
        "names the request and its status:\n{out}"
    );
}

#[test]
fn strings_that_broke_the_official_provider() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let strings: &[(&str, &str)] = &[
        ("spaces", "hello world  with   spaces"),
        ("quotes", "say \"hi\" and 'bye'"),
        ("backslashes", r"C:\path\to\file \n not a newline"),
        ("newlines", "line one\nline two\r\n\ttabbed"),
        ("unicode", "héllo wörld — 日本語 🎉"),
        ("empty", ""),
        ("number_like", "42"),
        ("float_like", "1.50"),
        ("date_like", "2024-01-01"),
        ("datetime_like", "2024-01-01T00:00:00Z"),
        ("duration_like", "PT5M"),
        ("json_like", r#"{"a": 1}"#),
        ("bool_like", "true"),
        ("null_like", "null"),
        ("ion_like", "{{aGk=}}"),
        ("symbol_like", "hello"),
        ("template_like", "${not.interpolated}"),
    ];
    let mut hcl = String::new();
    for (key, text) in strings {
        hcl.push_str(&format!(
            "resource \"kestra_kv\" \"{key}\" {{\n  namespace = \"{ns}\"\n  key = \"{key}\"\n  value = {}\n  type = \"STRING\"\n}}\n",
            hcl_string(text)
        ));
    }
    let ws = s.workspace();
    ws.config(&hcl);
    ws.apply();
    ws.assert_plan_empty();
    let client = s.client();
    block_on(async {
        for (key, text) in strings {
            let stored = client.get(&ns, key).await.expect("exists");
            if *key == "duration_like" {
                // Kestra reads duration-looking strings back as DURATION (documented equivalence).
                assert_eq!(stored.value.kind(), KvType::Duration);
            } else {
                assert_eq!(stored.value.kind(), KvType::String, "{key}");
                assert_eq!(stored.value.to_text(), *text, "{key} stored exactly");
            }
        }
    });
    for (key, text) in strings {
        assert_eq!(
            ws.resource_values(&format!("kestra_kv.{key}"))["value"],
            *text,
            "{key} state"
        );
    }
}

/// Numbers written with an exponent are stored by Kestra as doubles; they read back rounded
/// (or renormalised), which is no drift.
#[test]
fn float_spelled_numbers_plan_nothing_after_apply() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let values = [
        ("tiny", "-1e-400"),
        ("rounded", "1.00000000000000001e0"),
        ("big", "9007199254740993e0"),
        ("huge", "123456789012345678901e0"),
    ];
    let mut hcl = String::new();
    for (key, text) in values {
        hcl.push_str(&format!(
            "resource \"kestra_kv\" \"{key}\" {{\n  namespace = \"{ns}\"\n  key = \"{key}\"\n  value = \"{text}\"\n}}\n"
        ));
    }
    hcl.push_str(&format!("resource \"kestra_kv\" \"json\" {{\n  namespace = \"{ns}\"\n  key = \"json\"\n  value = jsonencode({{ a = [1.5, 2] }})\n  type = \"JSON\"\n}}\n"));
    hcl.push_str(&format!("resource \"kestra_kv\" \"json_float\" {{\n  namespace = \"{ns}\"\n  key = \"json_float\"\n  value = \"{{\\\"a\\\": 1.00000000000000001e0}}\"\n}}\n"));
    let ws = s.workspace();
    ws.config(&hcl);
    ws.apply();
    ws.assert_plan_empty();
    let stored = block_on(s.client().get(&ns, "rounded")).expect("exists");
    assert_eq!(stored.value.kind(), KvType::Number);
}

/// create_before_destroy replaces a key at the same address by writing the new object first;
/// deleting the deposed one afterwards must not delete what the new one just wrote.
#[test]
fn create_before_destroy_replacement_keeps_the_key() {
    let s = Scenario::start();
    replacement_keeps_the_key(&s, &s.ns("company.team"));
}

/// The scenario of [`create_before_destroy_replacement_keeps_the_key`] in namespace `ns` of
/// `server`; also run against a devserver answering as Kestra before revisions (`kv.rs`).
pub(crate) fn replacement_keeps_the_key(server: &Server, ns: &str) {
    let s = server;
    let ws = s.workspace();
    ws.config(&format!("resource \"kestra_kv\" \"x\" {{\n  namespace = \"{ns}\"\n  key = \"x\"\n  value = \"hello\"\n  lifecycle {{\n    create_before_destroy = true\n  }}\n}}\n"));
    ws.apply();
    let replaced = ws.ok(&[
        "apply",
        "-auto-approve",
        "-no-color",
        "-replace=kestra_kv.x",
    ]);
    assert!(
        replaced.stdout.contains("1 added, 0 changed, 1 destroyed"),
        "{}",
        replaced.stdout
    );
    assert!(
        replaced.combined().contains("Key left in place"),
        "the deposed object's delete says why it kept the key:\n{}",
        replaced.combined()
    );
    let stored = block_on(s.client().get_opt(ns, "x")).expect("read");
    assert_eq!(
        stored.map(|stored| stored.value.to_text()),
        Some("hello".to_string()),
        "the replacement's key survives the deposed object's delete"
    );
    ws.assert_plan_empty();
    // A plain destroy still deletes it.
    ws.destroy();
    let gone = block_on(s.client().get_opt(ns, "x")).expect("read");
    assert!(gone.is_none());
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

#[test]
fn drift_is_detected() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let ws = s.workspace();
    ws.config(&format!(
        "resource \"kestra_kv\" \"v\" {{\n  namespace = \"{ns}\"\n  key = \"v\"\n  value = \"1\"\n  description = \"d\"\n}}\n\
         resource \"kestra_kv\" \"gone\" {{\n  namespace = \"{ns}\"\n  key = \"gone\"\n  value = \"x\"\n}}\n\
         resource \"kestra_kv\" \"desc\" {{\n  namespace = \"{ns}\"\n  key = \"desc\"\n  value = \"y\"\n  description = \"original\"\n}}\n\
         resource \"kestra_kv\" \"empty_description\" {{\n  namespace = \"{ns}\"\n  key = \"empty_description\"\n  value = \"z\"\n  description = \"\"\n}}\n\
         resource \"kestra_kv\" \"padded_description\" {{\n  namespace = \"{ns}\"\n  key = \"padded_description\"\n  value = \"p\"\n  description = \"  padded  \"\n}}\n"
    ));
    ws.apply();
    // HTTP headers lose surrounding whitespace: that is no drift.
    ws.assert_plan_empty();
    let client = s.client();
    block_on(async {
        let keep = PutOptions {
            description: Some("d".into()),
            ..PutOptions::default()
        };
        client
            .put(
                &ns,
                "v",
                &KvValue::parse(KvType::Number, "2").expect("n"),
                &keep,
            )
            .await
            .expect("put");
        client.delete(&ns, "gone").await.expect("delete");
        let changed = PutOptions {
            description: Some("changed".into()),
            ..PutOptions::default()
        };
        client
            .put(
                &ns,
                "desc",
                &KvValue::parse(KvType::String, "y").expect("s"),
                &changed,
            )
            .await
            .expect("put");
    });
    let (changes, plan) = ws.plan_has_changes();
    assert!(changes);
    let out = plan.stdout;
    assert!(
        out.contains("kestra_kv.v will be updated in-place"),
        "{out}"
    );
    assert!(out.contains("kestra_kv.gone will be created"), "{out}");
    assert!(
        out.contains("kestra_kv.desc will be updated in-place"),
        "{out}"
    );
    assert!(out.contains("1 to add, 2 to change, 0 to destroy"), "{out}");
    ws.apply();
    ws.assert_plan_empty();
    // Repaired: the server holds the configuration again.
    block_on(async {
        let v = client.get(&ns, "v").await.expect("v");
        assert_eq!(
            (v.value.kind(), v.value.to_text()),
            (KvType::Number, "1".into())
        );
        let gone = client.get(&ns, "gone").await.expect("written again");
        assert_eq!(gone.value.to_text(), "x");
        let entries = client
            .list_all(&ns, ListOptions::default())
            .await
            .expect("list");
        let desc = entries.iter().find(|entry| entry.key == "desc");
        assert_eq!(
            desc.and_then(|entry| entry.description.as_deref()),
            Some("original")
        );
    });
}

/// An expiry after year 9999 (which Java's Instant holds) is listed in Java's extended-year form
/// (`+12020-...`): refresh reads it, and the data source reports it in that form.
#[test]
fn a_far_expiry_in_java_extended_years_refreshes() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let ws = s.workspace();
    ws.config(&format!(
        "resource \"kestra_kv\" \"far\" {{\n  namespace = \"{ns}\"\n  key = \"far\"\n  value = \"x\"\n  ttl = \"P3650000D\"\n}}\n\ndata \"kestra_kv\" \"far\" {{\n  namespace = kestra_kv.far.namespace\n  key = kestra_kv.far.key\n}}\n\noutput \"expiry\" {{\n  value = data.kestra_kv.far.expiration_date\n}}\n"
    ));
    ws.apply();
    ws.assert_plan_empty();
    let expiry = ws.output("expiry");
    let expiry = expiry.as_str().unwrap_or_default();
    assert!(
        expiry.starts_with("+120") && expiry.ends_with('Z'),
        "expiry in Java's extended-year form: {expiry:?}"
    );
    ws.destroy();
}

/// `description` and `ttl` are written with the value: the server lists the description and an
/// expiry about `ttl` from now; a description changed out of band is drift, repaired by the
/// next apply; changing `ttl` alone rewrites the key with the new expiry.
#[test]
fn description_and_ttl_are_written_and_description_drift_is_repaired() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let client = s.client();
    let ws = s.workspace();
    let config = |ttl: &str| {
        format!(
            "resource \"kestra_kv\" \"k\" {{\n  namespace = \"{ns}\"\n  key = \"k\"\n  value = \"v\"\n  description = \"who to ask: team-a\"\n  ttl = \"{ttl}\"\n}}\n"
        )
    };
    let entry = || {
        block_on(client.list_all(&ns, ListOptions::default()))
            .expect("list")
            .into_iter()
            .find(|entry| entry.key == "k")
            .expect("k is listed")
    };
    let expires_in = |entry: &kestra_kv_client::KvEntry| {
        entry
            .expiration_date
            .map(|expiry| expiry - time::OffsetDateTime::now_utc())
            .expect("an expiry")
    };
    ws.config(&config("P1D"));
    ws.apply();
    ws.assert_plan_empty();
    let written = entry();
    assert_eq!(written.description.as_deref(), Some("who to ask: team-a"));
    let left = expires_in(&written);
    assert!(
        left > time::Duration::hours(23) && left <= time::Duration::days(1),
        "expires in about a day: {left}"
    );

    block_on(async {
        let options = PutOptions {
            description: Some("changed".into()),
            ..PutOptions::default()
        };
        let value = KvValue::parse(KvType::String, "v").expect("string");
        client.put(&ns, "k", &value, &options).await.expect("put");
    });
    let (changes, plan) = ws.plan_has_changes();
    assert!(changes, "description drift is planned");
    assert!(plan.stdout.contains("\"changed\""), "{}", plan.stdout);
    ws.apply();
    ws.assert_plan_empty();
    assert_eq!(entry().description.as_deref(), Some("who to ask: team-a"));

    ws.config(&config("P30D"));
    ws.apply_summarised("0 added, 1 changed, 0 destroyed");
    ws.assert_plan_empty();
    let left = expires_in(&entry());
    assert!(
        left > time::Duration::days(29) && left <= time::Duration::days(30),
        "expires in about 30 days: {left}"
    );
}
