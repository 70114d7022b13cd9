//! End to end, real Terraform against kestra-kv-devserver: what of `kestra_kv` needs the
//! devserver itself (its request counters, another configuration). The scenarios any Kestra can
//! run are in `acceptance/kv/`.

use crate::acceptance::replacement_keeps_the_key;
use kestra_kv_devserver::DevServerConfig;
use test_support::server::Server;
use test_support::terraform::{TestServer, Workspace};

/// Older Kestra reports no revision: the update time tells that the replacement wrote the key.
#[test]
fn create_before_destroy_replacement_keeps_the_key_without_revisions() {
    let server = Server::devserver(DevServerConfig {
        revisions: false,
        ..DevServerConfig::default()
    });
    replacement_keeps_the_key(&server, "company.team");
}

#[test]
fn bad_input_is_a_plan_time_diagnostic_on_the_attribute() {
    let server = TestServer::start();
    let cases: &[(&str, &str, &str)] = &[
        (
            "key = \"bad$key\"\n  value = \"x\"",
            "key = \"bad$key\"",
            "Invalid key",
        ),
        (
            "key = \"k\"\n  value = \"abc\"\n  type = \"NUMBER\"",
            "value = \"abc\"",
            "Value does not fit type NUMBER",
        ),
        (
            "key = \"k\"\n  value = \"abc\"\n  type = \"TEXT\"",
            "type = \"TEXT\"",
            "Invalid type",
        ),
        (
            "key = \"k\"\n  value = \"x\"\n  ttl = \"-PT5M\"",
            "ttl = \"-PT5M\"",
            "Invalid ttl",
        ),
        (
            "key = \"k\"\n  value = \"x\"\n  ttl = \"5m\"",
            "ttl = \"5m\"",
            "Invalid ttl",
        ),
        (
            "key = \"k\"\n  value = \"2024-13-45\"\n  type = \"DATE\"",
            "value = \"2024-13-45\"",
            "Value does not fit type DATE",
        ),
        (
            "key = \"k\"\n  value = \"{nope\"\n  type = \"JSON\"",
            "value = \"{nope\"",
            "Value does not fit type JSON",
        ),
        (
            "key = \"k\"\n  value = \"x\"\n  description = \"two\\nlines\"",
            "description = \"two\\nlines\"",
            "Invalid description",
        ),
        (
            "key = \"inheritance\"\n  value = \"x\"",
            "key = \"inheritance\"",
            "Invalid key",
        ),
        // Kestra would read it back as a duration it cannot parse (HTTP 500 on every GET).
        (
            "key = \"k\"\n  value = \"PD\"",
            "value = \"PD\"",
            "Value does not fit type STRING",
        ),
        // Float-spelled, beyond the double range Kestra stores such numbers in.
        (
            "key = \"k\"\n  value = \"1e400\"\n  type = \"NUMBER\"",
            "value = \"1e400\"",
            "Value does not fit type NUMBER",
        ),
        // Kestra decodes header bytes as ISO-8859-1: stored garbled, an update in every plan.
        (
            "key = \"k\"\n  value = \"x\"\n  description = \"naïve\"",
            "description = \"naïve\"",
            "U+00EF",
        ),
        // The expiry would fall after Java's latest Instant (year 1000000000).
        (
            "key = \"k\"\n  value = \"x\"\n  ttl = \"P99999999999999D\"",
            "ttl = \"P99999999999999D\"",
            "Invalid ttl",
        ),
        // Java's Instant has no leap seconds: Kestra would store another instant.
        (
            "key = \"k\"\n  value = \"2016-12-31T23:59:60Z\"",
            "value = \"2016-12-31T23:59:60Z\"",
            "Value does not fit type DATETIME",
        ),
        (
            "key = \"k\"\n  value = \"2016-12-31T23:59:60Z\"\n  type = \"DATETIME\"",
            "value = \"2016-12-31T23:59:60Z\"",
            "Value does not fit type DATETIME",
        ),
    ];
    for (body, anchor, summary) in cases {
        let ws = Workspace::new(server.url());
        ws.config(&format!(
            "resource \"kestra_kv\" \"k\" {{\n  namespace = \"company.team\"\n  {body}\n}}\n"
        ));
        let out = ws.fails(&["plan", "-no-color"]).combined();
        assert!(out.contains(summary), "{body}: {out}");
        assert!(
            out.contains(anchor),
            "{body}: diagnostic not anchored on the attribute:\n{out}"
        );
    }
    let ws = Workspace::new(server.url());
    ws.config("resource \"kestra_kv\" \"k\" {\n  namespace = \"Company Team\"\n  key = \"k\"\n  value = \"x\"\n}\n");
    let out = ws.fails(&["plan", "-no-color"]).combined();
    assert!(
        out.contains("Invalid namespace") && out.contains("namespace = \"Company Team\""),
        "{out}"
    );
    assert_eq!(server.stats().by_route.put, 0, "nothing written");
}
