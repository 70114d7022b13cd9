//! The official Kestra provider's acceptance scenarios for `kestra_kv`, ported.

use crate::acceptance::Scenario;
use test_support::terraform::block_on;

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
