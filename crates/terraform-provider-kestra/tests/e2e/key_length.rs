//! End to end: a key longer than Kestra's 350-character key column is a plan-time error, for
//! `kestra_kv` and for each key of `kestra_kvs` (Kestra itself would fail the write with a 500).

use test_support::terraform::{TestServer, Workspace};

#[test]
fn keys_longer_than_kestras_key_column_fail_the_plan_and_send_nothing() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    let longest = "k".repeat(350);
    let too_long = format!("{longest}x");
    ws.config(&format!(
        r#"
resource "kestra_kv" "longest" {{
  namespace = "company.keys"
  key       = "{longest}"
  value     = "fits"
}}

resource "kestra_kv" "too_long" {{
  namespace = "company.keys"
  key       = "{too_long}"
  value     = "does not fit"
}}

resource "kestra_kvs" "many" {{
  namespace = "company.keys"
  values = {{
    short        = "fits"
    "{too_long}" = "does not fit"
  }}
}}
"#
    ));
    let run = ws.fails(&["plan", "-no-color"]);
    let output = run.combined();
    assert_eq!(
        output.matches("at most 350 characters").count(),
        2,
        "one error for kestra_kv.too_long, one for the kestra_kvs entry:\n{output}"
    );
    assert!(output.contains("kestra_kv.too_long"), "{output}");
    assert!(output.contains("kestra_kvs.many"), "{output}");
    assert!(!output.contains("kestra_kv.longest"), "{output}");
    assert_eq!(server.stats().by_route.put, 0, "nothing was written");
}
