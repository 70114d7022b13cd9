//! `create_before_destroy` replacement of a key: deleting the deposed object keeps the key.

use crate::acceptance::Scenario;
use test_support::server::Server;
use test_support::terraform::block_on;

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
