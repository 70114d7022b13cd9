//! The `kestra_kv` data source reading values seeded through the client.

use crate::acceptance::Scenario;
use kestra_kv_client::{KvDuration, KvType, KvValue, PutOptions};
use serde_json::Value as Json;
use test_support::terraform::block_on;

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
