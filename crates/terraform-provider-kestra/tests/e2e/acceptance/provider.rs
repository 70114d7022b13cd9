//! Acceptance: the provider block itself, against the server: a configuration known only at
//! apply time.

use super::Scenario;
use test_support::terraform::block_on;

#[test]
fn unknown_provider_configuration_plans_and_then_applies() {
    let s = Scenario::start();
    let ns = s.ns("company.team");
    let mut ws = s.workspace();
    ws.remove_env("KESTRA_URL");
    ws.config(&format!(
        "resource \"terraform_data\" \"endpoint\" {{\n  input = \"{}\"\n}}\n\
         provider \"kestra\" {{\n  url = terraform_data.endpoint.output\n}}\n\
         resource \"kestra_kv\" \"k\" {{\n  namespace = \"{ns}\"\n  key = \"k\"\n  value = \"v\"\n}}\n",
        s.url()
    ));
    let (changes, plan) = ws.plan_has_changes();
    assert!(changes);
    assert!(plan.stdout.contains("2 to add"), "{}", plan.stdout);
    ws.apply();
    ws.assert_plan_empty();
    let stored = block_on(s.client().get(&ns, "k")).expect("written");
    assert_eq!(stored.value.to_text(), "v");
}
