//! `description` and `ttl`: written with the value, description drift repaired, and expiries
//! after year 9999.

use crate::acceptance::Scenario;
use kestra_kv_client::{KvType, KvValue, ListOptions, PutOptions};
use test_support::terraform::block_on;

/// An expiry after year 9999 (which Java's Instant holds) is listed in Java's extended-year form
/// (`+12020-...`): refresh reads it, and the data source reports it in that form.
#[test]
fn a_far_expiry_in_java_extended_years_refreshes() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let ws = s.workspace();
    ws.config(&format!(
        "resource \"kestra_kv\" \"far\" {{\n  namespace = \"{ns}\"\n  key = \"far\"\n  value = \"x\"\n  ttl = \"P3650000D\"\n}}\n\ndata \"kestra_kv\" \"far\" {{\n  namespace = kestra_kv.far.namespace\n  key = kestra_kv.far.key\n}}\n\noutput \"expiry\" {{\n  value = data.kestra_kv.far.expiration_date\n}}\n"
    ));
    ws.apply();
    ws.assert_plan_empty();
    let expiry = ws.output("expiry");
    let expiry = expiry.as_str().unwrap_or_default();
    assert!(
        expiry.starts_with("+120") && expiry.ends_with('Z'),
        "expiry in Java's extended-year form: {expiry:?}"
    );
    ws.destroy();
}

/// `description` and `ttl` are written with the value: the server lists the description and an
/// expiry about `ttl` from now; a description changed out of band is drift, repaired by the
/// next apply; changing `ttl` alone rewrites the key with the new expiry.
#[test]
fn description_and_ttl_are_written_and_description_drift_is_repaired() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let client = s.client();
    let ws = s.workspace();
    let config = |ttl: &str| {
        format!(
            "resource \"kestra_kv\" \"k\" {{\n  namespace = \"{ns}\"\n  key = \"k\"\n  value = \"v\"\n  description = \"who to ask: team-a\"\n  ttl = \"{ttl}\"\n}}\n"
        )
    };
    let entry = || {
        block_on(client.list_all(&ns, ListOptions::default()))
            .expect("list")
            .into_iter()
            .find(|entry| entry.key == "k")
            .expect("k is listed")
    };
    let expires_in = |entry: &kestra_kv_client::KvEntry| {
        entry
            .expiration_date
            .map(|expiry| expiry - time::OffsetDateTime::now_utc())
            .expect("an expiry")
    };
    ws.config(&config("P1D"));
    ws.apply();
    ws.assert_plan_empty();
    let written = entry();
    assert_eq!(written.description.as_deref(), Some("who to ask: team-a"));
    let left = expires_in(&written);
    assert!(
        left > time::Duration::hours(23) && left <= time::Duration::days(1),
        "expires in about a day: {left}"
    );

    block_on(async {
        let options = PutOptions {
            description: Some("changed".into()),
            ..PutOptions::default()
        };
        let value = KvValue::parse(KvType::String, "v").expect("string");
        client.put(&ns, "k", &value, &options).await.expect("put");
    });
    let (changes, plan) = ws.plan_has_changes();
    assert!(changes, "description drift is planned");
    assert!(plan.stdout.contains("\"changed\""), "{}", plan.stdout);
    ws.apply();
    ws.assert_plan_empty();
    assert_eq!(entry().description.as_deref(), Some("who to ask: team-a"));

    ws.config(&config("P30D"));
    ws.apply_summarised("0 added, 1 changed, 0 destroyed");
    ws.assert_plan_empty();
    let left = expires_in(&entry());
    assert!(
        left > time::Duration::days(29) && left <= time::Duration::days(30),
        "expires in about 30 days: {left}"
    );
}
