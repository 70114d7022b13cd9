//! PlanResourceChange: create, update with replacement, and destroy plans.

use terraform_plugin_sdk::Value;
use terraform_plugin_sdk::testing::tfplugin6 as pb;
use test_support::grpc::*;

async fn plan(
    client: &mut pb::provider_client::ProviderClient<tonic::transport::Channel>,
    prior: &Value,
    proposed: &Value,
    config: &Value,
) -> pb::plan_resource_change::Response {
    client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: RESOURCE.into(),
            prior_state: dynamic(prior, &thing_type()),
            proposed_new_state: dynamic(proposed, &thing_type()),
            config: dynamic(config, &thing_type()),
            prior_private: b"prior".to_vec(),
            client_capabilities: capabilities(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn plan_create_marks_computed_unknown_and_nulls_write_only() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let config = thing(&[
        ("name", Value::from("a")),
        ("value", Value::from("v")),
        ("token_wo", Value::from("hunter2")),
    ]);
    let response = plan(&mut client, &Value::Null, &config, &config).await;
    assert_no_errors(&response.diagnostics);
    let planned = undynamic(response.planned_state.as_ref(), &thing_type());
    assert!(planned.get("id").is_unknown());
    assert!(planned.get("revision").is_unknown());
    assert_eq!(planned.get("kind").as_str(), Some("default"));
    assert!(
        planned.get("token_wo").is_null(),
        "write-only must never be planned"
    );
    assert_eq!(planned.get("value").as_str(), Some("v"));
    assert!(
        response.requires_replace.is_empty(),
        "no replacement on create"
    );
    assert_eq!(response.planned_private, b"planned");
    let identity = response.planned_identity.unwrap().identity_data;
    assert_eq!(
        undynamic(identity.as_ref(), &identity_type())
            .get("name")
            .as_str(),
        Some("a")
    );
}

#[tokio::test]
async fn plan_update_requires_replace_and_uses_state_for_unknown() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let prior = thing(&[
        ("name", Value::from("a")),
        ("value", Value::from("v")),
        ("id", Value::from("id-a")),
        ("revision", Value::from(1)),
        ("kind", Value::from("default")),
    ]);
    // Unchanged: planned equals prior, nothing unknown, no replacement.
    let config = thing(&[("name", Value::from("a")), ("value", Value::from("v"))]);
    let unchanged = plan(&mut client, &prior, &prior, &config).await;
    assert_eq!(
        undynamic(unchanged.planned_state.as_ref(), &thing_type()),
        prior
    );
    assert!(unchanged.requires_replace.is_empty());

    // Renamed: replacement on `name`; `id` keeps its prior value, `revision` becomes unknown.
    let mut proposed = prior.clone();
    proposed.set("name", Value::from("b"));
    let mut renamed_config = config.clone();
    renamed_config.set("name", Value::from("b"));
    let renamed = plan(&mut client, &prior, &proposed, &renamed_config).await;
    let planned = undynamic(renamed.planned_state.as_ref(), &thing_type());
    assert_eq!(planned.get("id").as_str(), Some("id-a"));
    assert!(planned.get("revision").is_unknown());
    assert!(
        planned.get("kind").is_unknown(),
        "optional+computed without config goes unknown on change"
    );
    let paths: Vec<_> = renamed
        .requires_replace
        .iter()
        .map(|p| p.steps.clone())
        .collect();
    assert_eq!(
        paths,
        vec![vec![pb::attribute_path::Step {
            selector: Some(pb::attribute_path::step::Selector::AttributeName(
                "name".into()
            ))
        }]]
    );
}

#[tokio::test]
async fn destroy_plan_is_null_and_echoes_private() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let prior = thing(&[("name", Value::from("a")), ("id", Value::from("id-a"))]);
    let response = plan(&mut client, &prior, &Value::Null, &Value::Null).await;
    assert!(response.diagnostics.is_empty());
    assert!(undynamic(response.planned_state.as_ref(), &thing_type()).is_null());
    assert_eq!(response.planned_private, b"prior");
}
