//! ApplyResourceChange: filled unknowns, write-only values, and failed deletes.

use terraform_plugin_sdk::Value;
use terraform_plugin_sdk::testing::tfplugin6 as pb;
use test_support::grpc::*;

async fn apply(
    client: &mut pb::provider_client::ProviderClient<tonic::transport::Channel>,
    prior: &Value,
    planned: &Value,
    config: &Value,
) -> pb::apply_resource_change::Response {
    client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: RESOURCE.into(),
            prior_state: dynamic(prior, &thing_type()),
            planned_state: dynamic(planned, &thing_type()),
            config: dynamic(config, &thing_type()),
            planned_private: b"planned".to_vec(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn apply_fills_unknowns_and_never_stores_write_only() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let config = thing(&[
        ("name", Value::from("a")),
        ("token_wo", Value::from("hunter2")),
    ]);
    let planned = thing(&[
        ("name", Value::from("a")),
        ("id", Value::Unknown),
        ("revision", Value::Unknown),
        ("kind", Value::from("default")),
    ]);
    let response = apply(&mut client, &Value::Null, &planned, &config).await;
    assert_no_errors(&response.diagnostics);
    let state = undynamic(response.new_state.as_ref(), &thing_type());
    assert_eq!(state.get("id").as_str(), Some("id-a"));
    assert_eq!(
        state.get("revision").as_number().and_then(|n| n.to_i64()),
        Some(1)
    );
    assert!(
        state.get("token_wo").is_null(),
        "the SDK nulls write-only attributes in state"
    );
    assert_eq!(response.private, b"planned");

    // Delete: planned null -> new state null.
    let deleted = apply(&mut client, &state, &Value::Null, &Value::Null).await;
    assert!(deleted.diagnostics.is_empty());
    assert!(undynamic(deleted.new_state.as_ref(), &thing_type()).is_null());
    assert!(deleted.new_identity.is_none(), "no identity after delete");
}

/// A failed delete keeps the object: Terraform gets the prior state back with the error, and
/// no second error blaming the provider.
#[tokio::test]
async fn a_failed_delete_keeps_the_prior_state() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let prior = thing(&[
        ("name", Value::from("undeletable")),
        ("id", Value::from("id-undeletable")),
    ]);
    let response = apply(&mut client, &prior, &Value::Null, &Value::Null).await;
    let summaries: Vec<_> = response
        .diagnostics
        .iter()
        .map(|d| d.summary.as_str())
        .collect();
    assert_eq!(summaries, ["Delete refused"]);
    assert_eq!(undynamic(response.new_state.as_ref(), &thing_type()), prior);
    assert_eq!(response.private, b"planned", "the private data stays too");
}

/// A delete that fails part-way keeps what is left of the object, as the resource says.
#[tokio::test]
async fn a_partly_failed_delete_keeps_what_is_left() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let prior = thing(&[
        ("name", Value::from("half-deletable")),
        ("id", Value::from("id-half")),
    ]);
    let response = apply(&mut client, &prior, &Value::Null, &Value::Null).await;
    assert_eq!(errors(&response.diagnostics), ["Delete stopped: half"]);
    let state = undynamic(response.new_state.as_ref(), &thing_type());
    assert_eq!(state.get("value").as_str(), Some("left"));
    assert_eq!(state.get("id").as_str(), Some("id-half"));
    assert_eq!(response.private, b"left");
}

#[tokio::test]
async fn unknowns_left_after_apply_become_an_error_not_invalid_wire_data() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let planned = thing(&[
        ("name", Value::from("a")),
        ("value", Value::from("leave-unknown")),
        ("id", Value::Unknown),
        ("revision", Value::Unknown),
    ]);
    let response = apply(&mut client, &Value::Null, &planned, &planned).await;
    let errors = errors(&response.diagnostics);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("revision"), "{errors:?}");
    let state = undynamic(response.new_state.as_ref(), &thing_type());
    assert!(state.is_wholly_known());
    assert!(state.get("revision").is_null());
}
