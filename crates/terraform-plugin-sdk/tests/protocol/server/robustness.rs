//! Bad input and bad providers: malformed msgpack, unknown types, unimplemented features
//! and provider panics become diagnostics, and the server keeps serving.

use futures::StreamExt;
use terraform_plugin_sdk::Value;
use terraform_plugin_sdk::testing::tfplugin6 as pb;
use test_support::grpc::*;

#[tokio::test]
async fn malformed_msgpack_and_unknown_types_are_diagnostics() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let garbage = Some(pb::DynamicValue {
        msgpack: vec![0x85, 0xa1],
        json: Vec::new(),
    });
    let response = client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: RESOURCE.into(),
            prior_state: garbage.clone(),
            proposed_new_state: garbage.clone(),
            config: garbage.clone(),
            ..Default::default()
        })
        .await
        .expect("a malformed value must not be a gRPC error")
        .into_inner();
    let plan_errors = errors(&response.diagnostics);
    assert!(
        plan_errors[0].starts_with("Invalid prior state received from Terraform"),
        "{plan_errors:?}"
    );

    let response = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "test_nope".into(),
            config: garbage.clone(),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(errors(&response.diagnostics)[0].contains("\"test_nope\""));

    let response = client
        .read_data_source(pb::read_data_source::Request {
            type_name: "test_nope".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(errors(&response.diagnostics)[0].starts_with("Unknown data source type"));

    let response = client
        .configure_provider(pb::configure_provider::Request {
            config: garbage,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(errors(&response.diagnostics)[0].starts_with("Invalid provider configuration"));
}

#[tokio::test]
async fn unimplemented_features_answer_diagnostics() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let moved = client
        .move_resource_state(pb::move_resource_state::Request::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&moved.diagnostics).len(), 1);
    let function = client
        .call_function(pb::call_function::Request {
            name: "f".into(),
            arguments: vec![],
        })
        .await
        .unwrap()
        .into_inner();
    assert!(function.error.is_some());
    let store = client
        .validate_state_store_config(pb::validate_state_store::Request::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&store.diagnostics).len(), 1);
    let mut bytes = client
        .read_state_bytes(pb::read_state_bytes::Request::default())
        .await
        .unwrap()
        .into_inner();
    let chunk = bytes.next().await.unwrap().unwrap();
    assert_eq!(errors(&chunk.diagnostics).len(), 1);
    let action = client
        .plan_action(pb::plan_action::Request::default())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&action.diagnostics).len(), 1);
    let mut events = client
        .invoke_action(pb::invoke_action::Request::default())
        .await
        .unwrap()
        .into_inner();
    let event = events.next().await.unwrap().unwrap();
    assert!(
        matches!(event.r#type, Some(pb::invoke_action::event::Type::Completed(ref c)) if !c.diagnostics.is_empty())
    );
    let ephemeral = client
        .open_ephemeral_resource(pb::open_ephemeral_resource::Request {
            type_name: "test_thing".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(errors(&ephemeral.diagnostics)[0].starts_with("Unknown ephemeral resource type"));
}

#[tokio::test]
async fn provider_panics_become_diagnostics_and_the_server_keeps_serving() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let state = thing(&[("name", Value::from("a")), ("value", Value::from("panic"))]);
    let response = client
        .read_resource(pb::read_resource::Request {
            type_name: RESOURCE.into(),
            current_state: dynamic(&state, &thing_type()),
            private: b"keep".to_vec(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let errors = errors(&response.diagnostics);
    assert!(errors[0].contains("read exploded"), "{errors:?}");
    assert_eq!(
        undynamic(response.new_state.as_ref(), &thing_type()),
        state,
        "prior state kept"
    );
    assert_eq!(response.private, b"keep");
    client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap();
}
