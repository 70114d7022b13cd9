//! End to end: a state written by one Terraform minor plans no changes on another (issue 16,
//! item 11). Terraform 1.15 records schema-sensitive paths in `sensitive_attributes` and 1.6
//! plans an update whenever those marks differ from its own, so no managed attribute may be
//! schema-sensitive; the pairs below cover every managed resource type and the data sources.

use test_support::terraform::{TestServer, Workspace};

/// One of each managed type and data source, all written with plain values (1.6 has no
/// write-only attributes).
const CONFIG: &str = r#"
resource "kestra_kv" "one" {
  namespace   = "company.cross"
  key         = "one"
  value       = "hello"
  description = "plain"
}

resource "kestra_kv" "typed" {
  namespace = "company.cross"
  key       = "typed"
  value     = jsonencode({ a = 1 })
  type      = "JSON"
}

resource "kestra_kvs" "many" {
  namespace = "company.cross"
  prefix    = "many_"
  values = {
    many_a = "1"
    many_b = "text"
  }
  types = { many_a = "NUMBER" }
  ttls  = { many_b = "PT1H" }
}

data "kestra_kv" "one" {
  namespace  = "company.cross"
  key        = "one"
  depends_on = [kestra_kv.one]
}

data "kestra_kvs" "many" {
  namespace  = "company.cross"
  prefix     = "many_"
  depends_on = [kestra_kvs.many]
}

output "read_back" {
  value = [data.kestra_kv.one.value, length(data.kestra_kvs.many.keys)]
}
"#;

/// Applies with `writer`, then plans with `planner` (`-detailed-exitcode`: 0 means no changes).
fn applied_then_planned(writer: &str, planner: &str) {
    let server = TestServer::start();
    let ws = Workspace::new(server.url()).on_terraform(writer);
    ws.config(CONFIG);
    ws.apply();
    ws.assert_plan_empty();

    let other = ws.on_terraform(planner);
    let (changes, run) = other.plan_has_changes();
    assert!(
        !changes,
        "a state written by Terraform {writer} plans changes on {planner}:\n{}",
        run.stdout
    );
    assert_eq!(
        other.output("read_back"),
        serde_json::json!(["hello", 2]),
        "the data sources read the same on {planner}"
    );
}

#[test]
fn a_state_applied_by_terraform_1_15_plans_no_changes_on_1_6() {
    applied_then_planned("1.15", "1.6");
}

#[test]
fn a_state_applied_by_terraform_1_6_plans_no_changes_on_1_15() {
    applied_then_planned("1.6", "1.15");
}
