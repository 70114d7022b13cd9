//! Values that must survive the round trip: strings that broke the official provider and
//! numbers spelled as floats.

use super::hcl_string;
use crate::acceptance::Scenario;
use kestra_kv_client::KvType;
use test_support::terraform::block_on;

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
