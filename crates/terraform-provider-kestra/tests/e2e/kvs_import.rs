//! End to end, real Terraform 1.15.5: importing a `kestra_kvs` scope that holds no key warns,
//! and shows the ID with `*` when it reads as `<tenant>/<namespace>` but looks like
//! `<namespace>/<key>` (issue 16, item 12).

use std::collections::BTreeMap;

use super::kvs::NS;
use super::kvs_moves::kvs_hcl;
use kestra_kv_client::{KvType, KvValue, PutOptions};
use test_support::terraform::{TestServer, Workspace, block_on};

/// `terraform import kestra_kvs.imported <id>`, its output with whitespace runs as one space
/// (Terraform wraps diagnostics), then the object is forgotten again.
fn import(ws: &Workspace, id: &str) -> String {
    let run = ws.ok(&["import", "-no-color", "kestra_kvs.imported", id]);
    ws.ok(&["state", "rm", "kestra_kvs.imported"]);
    run.combined()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn importing_an_empty_scope_warns_and_hints_at_the_star() {
    let server = TestServer::start();
    let client = server.client();
    block_on(async {
        let value = KvValue::parse(KvType::String, "v").expect("valid");
        for (namespace, key) in [("imp", "key_0001"), (NS, "app_1")] {
            client
                .put(namespace, key, &value, &PutOptions::default())
                .await
                .expect("seed");
        }
    });
    let ws = Workspace::new(server.url());
    ws.config(&kvs_hcl("imported", None, &BTreeMap::new()));

    let mistyped = import(&ws, "imp/key_0001");
    assert!(
        mistyped.contains("Warning: Imported scope holds no key"),
        "{mistyped}"
    );
    assert!(
        mistyped.contains("namespace \"key_0001\" of tenant \"imp\""),
        "{mistyped}"
    );
    assert!(mistyped.contains("\"imp/key_0001*\""), "{mistyped}");

    let empty_prefix = import(&ws, &format!("{NS}/nothing_*"));
    assert!(
        empty_prefix.contains("Warning: Imported scope holds no key"),
        "{empty_prefix}"
    );
    assert!(!empty_prefix.contains("end the ID with"), "{empty_prefix}");

    for held in ["imp/key_0001*", NS] {
        let imported = import(&ws, held);
        assert!(imported.contains("Import successful!"), "{imported}");
        assert!(!imported.contains("holds no key"), "{held}: {imported}");
    }
}
