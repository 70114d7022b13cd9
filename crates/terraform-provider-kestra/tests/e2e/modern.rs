//! End to end, real Terraform against kestra-kv-devserver: write-only values refused before any
//! request (the devserver's counters prove it). The scenarios of the newer Terraform features
//! any Kestra can run are in `acceptance/modern.rs`.

use test_support::terraform::{TestServer, Workspace};

#[test]
fn value_and_value_wo_are_exclusive() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.config("resource \"kestra_kv\" \"k\" {\n  namespace = \"company.team\"\n  key = \"k\"\n  value = \"a\"\n  value_wo = \"b\"\n}\n");
    let out = ws.fails(&["validate", "-no-color"]).combined();
    assert!(
        out.contains("Set exactly one of `value` and `value_wo`"),
        "{out}"
    );
    ws.config("resource \"kestra_kv\" \"k\" {\n  namespace = \"company.team\"\n  key = \"k\"\n}\n");
    let out = ws.fails(&["validate", "-no-color"]).combined();
    assert!(out.contains("Missing value"), "{out}");
}

/// A write-only value Kestra cannot hold (duration-shaped, rejected by its parser) is refused at
/// validate and plan time, as `value` is, whether or not `type` is set.
#[test]
fn write_only_values_kestra_cannot_hold_are_refused_before_apply() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    for type_line in ["", "  type = \"STRING\"\n"] {
        ws.config(&format!("resource \"kestra_kv\" \"k\" {{\n  namespace = \"company.team\"\n  key = \"k\"\n  value_wo = \"PD\"\n  value_wo_version = 1\n{type_line}}}\n"));
        for command in ["validate", "plan"] {
            let out = ws.fails(&[command, "-no-color"]).combined();
            assert!(
                out.contains("Value does not fit type STRING"),
                "{command}:\n{out}"
            );
            assert!(out.contains("value_wo"), "on the attribute:\n{out}");
            // Terraform quotes the configuration line; the provider's detail never repeats it.
            assert!(
                out.contains("this text is not one it can parse") && !out.contains("\"PD\" is"),
                "the detail never echoes the write-only value:\n{out}"
            );
        }
    }
    assert_eq!(server.stats().requests, 0, "nothing reached the server");
}
