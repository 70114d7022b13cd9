//! The SDK's example provider (`examples/minimal_provider.rs`) over gRPC, as Terraform drives it:
//! schema, plan, create, refresh (drift and a file removed by hand), replacement
//! and destroy of an `example_file`.

#[path = "../../examples/minimal_provider.rs"]
#[allow(dead_code)] // its `main` serves through the go-plugin handshake; here it runs in-process
mod minimal_provider;

use minimal_provider::ExampleProvider;
use terraform_plugin_sdk::testing::tfplugin6 as pb;
use terraform_plugin_sdk::testing::tfplugin6::provider_client::ProviderClient;
use terraform_plugin_sdk::{Type, Value};
use test_support::grpc::{
    assert_no_errors, capabilities, dynamic, errors, provider_client, served_schema,
    start_plaintext, undynamic,
};
use tonic::transport::Channel;

const FILE: &str = "example_file";

fn file_type() -> Type {
    Type::object([
        ("path", Type::String),
        ("content", Type::String),
        ("bytes", Type::Number),
    ])
}

fn file(path: &str, content: &str, bytes: Value) -> Value {
    Value::object([
        ("path", Value::from(path)),
        ("content", Value::from(content)),
        ("bytes", bytes),
    ])
}

async fn plan(
    client: &mut ProviderClient<Channel>,
    prior: &Value,
    config: &Value,
) -> pb::plan_resource_change::Response {
    let request = pb::plan_resource_change::Request {
        type_name: FILE.into(),
        prior_state: dynamic(prior, &file_type()),
        proposed_new_state: dynamic(config, &file_type()),
        config: dynamic(config, &file_type()),
        client_capabilities: capabilities(),
        ..Default::default()
    };
    client
        .plan_resource_change(request)
        .await
        .unwrap()
        .into_inner()
}

async fn apply(
    client: &mut ProviderClient<Channel>,
    prior: &Value,
    planned: &Value,
    config: &Value,
) -> pb::apply_resource_change::Response {
    let request = pb::apply_resource_change::Request {
        type_name: FILE.into(),
        prior_state: dynamic(prior, &file_type()),
        planned_state: dynamic(planned, &file_type()),
        config: dynamic(config, &file_type()),
        ..Default::default()
    };
    client
        .apply_resource_change(request)
        .await
        .unwrap()
        .into_inner()
}

async fn read(client: &mut ProviderClient<Channel>, state: &Value) -> Value {
    let request = pb::read_resource::Request {
        type_name: FILE.into(),
        current_state: dynamic(state, &file_type()),
        client_capabilities: capabilities(),
        ..Default::default()
    };
    let response = client.read_resource(request).await.unwrap().into_inner();
    assert_no_errors(&response.diagnostics);
    undynamic(response.new_state.as_ref(), &file_type())
}

#[tokio::test]
async fn the_example_provider_serves_its_schema() {
    let server = start_plaintext(ExampleProvider).await;
    let mut client = provider_client(server.address).await;
    let schema = served_schema(&mut client).await;
    let block = schema.resource_schemas[FILE].block.as_ref().unwrap();
    let flags: Vec<_> = block
        .attributes
        .iter()
        .map(|a| (a.name.as_str(), a.required, a.computed))
        .collect();
    let expected = [
        ("path", true, false),
        ("content", true, false),
        ("bytes", false, true),
    ];
    assert_eq!(flags, expected);
}

#[tokio::test]
async fn an_example_file_lives_through_create_refresh_replace_and_destroy() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("hello.txt").display().to_string();
    let server = start_plaintext(ExampleProvider).await;
    let mut client = provider_client(server.address).await;

    // Create: the computed size is unknown in the plan, known after apply.
    let config = file(&path, "Hello", Value::Null);
    let planned = plan(&mut client, &Value::Null, &config).await;
    assert_no_errors(&planned.diagnostics);
    let planned = undynamic(planned.planned_state.as_ref(), &file_type());
    assert!(planned.get("bytes").is_unknown());
    let created = apply(&mut client, &Value::Null, &planned, &config).await;
    assert_no_errors(&created.diagnostics);
    let state = undynamic(created.new_state.as_ref(), &file_type());
    assert_eq!(state, file(&path, "Hello", Value::from(5)));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "Hello");

    // Refresh: an edit made outside Terraform shows in the state; a removed file reads as null.
    std::fs::write(&path, "Hello, world").unwrap();
    let drifted = read(&mut client, &state).await;
    assert_eq!(drifted, file(&path, "Hello, world", Value::from(12)));
    std::fs::remove_file(&path).unwrap();
    assert!(read(&mut client, &state).await.is_null());
    std::fs::write(&path, "Hello").unwrap();

    // A new path replaces the file.
    let moved_path = directory.path().join("moved.txt").display().to_string();
    let moved = file(&moved_path, "Hello", Value::Null);
    let replacement = plan(&mut client, &state, &moved).await;
    assert_no_errors(&replacement.diagnostics);
    let replaced: Vec<_> = replacement
        .requires_replace
        .iter()
        .flat_map(|path| &path.steps)
        .filter_map(|step| match &step.selector {
            Some(pb::attribute_path::step::Selector::AttributeName(name)) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(replaced, ["path"]);

    // Destroy removes the file; destroying it again (already gone) is no error.
    let destroyed = apply(&mut client, &state, &Value::Null, &Value::Null).await;
    assert_no_errors(&destroyed.diagnostics);
    assert!(undynamic(destroyed.new_state.as_ref(), &file_type()).is_null());
    assert!(!std::path::Path::new(&path).exists());
    let again = apply(&mut client, &state, &Value::Null, &Value::Null).await;
    assert_no_errors(&again.diagnostics);
}

#[tokio::test]
async fn a_file_that_cannot_be_written_keeps_the_prior_state_and_says_why() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("missing-dir/hello.txt");
    let path = path.display().to_string();
    let server = start_plaintext(ExampleProvider).await;
    let mut client = provider_client(server.address).await;
    let config = file(&path, "Hello", Value::Null);
    let planned = file(&path, "Hello", Value::Unknown);
    let response = apply(&mut client, &Value::Null, &planned, &config).await;
    let problems = errors(&response.diagnostics);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(&format!("Cannot write: {path}: ")),
        "{problems:?}"
    );
    assert!(undynamic(response.new_state.as_ref(), &file_type()).is_null());
}
