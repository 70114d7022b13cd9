//! Drift: values changed or deleted outside Terraform are detected and repaired.

use crate::acceptance::Scenario;
use kestra_kv_client::{KvType, KvValue, ListOptions, PutOptions};
use test_support::terraform::block_on;

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
