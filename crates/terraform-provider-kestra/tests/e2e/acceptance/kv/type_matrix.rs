//! Every KV type, with `type` set and inferred, through create, update, import and destroy;
//! the type matrix the per-minor lifecycles reuse.

use super::hcl_string;
use crate::acceptance::Scenario;
use kestra_kv_client::KvValue;
use test_support::terraform::block_on;

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
pub(super) fn matrix_config(ns: &str, second: bool) -> String {
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

pub(super) fn assert_server_holds(s: &Scenario, ns: &str, second: bool) {
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

pub(super) fn assert_matrix_keys_gone(s: &Scenario, ns: &str) {
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
