//! `terraform import` of `kestra_kv` with both id formats, and the error for a malformed id.

use crate::acceptance::Scenario;
use kestra_kv_client::{KvType, KvValue, PutOptions};
use test_support::terraform::block_on;

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
