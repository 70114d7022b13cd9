//! The SDK server driven over gRPC loopback (plaintext) with the generated tonic client.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures::StreamExt;
use terraform_plugin_sdk::testing::plugin;
use terraform_plugin_sdk::testing::tfplugin6 as pb;
use terraform_plugin_sdk::{Type, Value};
use test_support::grpc::*;

fn attribute<'a>(schema: &'a pb::Schema, name: &str) -> &'a pb::schema::Attribute {
    schema
        .block
        .as_ref()
        .and_then(|b| b.attributes.iter().find(|a| a.name == name))
        .unwrap_or_else(|| panic!("attribute {name} missing"))
}

#[tokio::test]
async fn schema_response_carries_types_flags_and_capabilities() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let response = served_schema(&mut client).await;
    let capabilities = response.server_capabilities.unwrap();
    assert!(capabilities.get_provider_schema_optional);
    assert!(capabilities.generate_resource_config);
    assert!(!capabilities.plan_destroy && !capabilities.move_resource_state);

    let thing = &response.resource_schemas[RESOURCE];
    assert_eq!(thing.version, 1);
    let name = attribute(thing, "name");
    assert!(name.required && !name.optional && !name.computed);
    assert_eq!(name.r#type, br#""string""#);
    let token = attribute(thing, "token_wo");
    assert!(token.write_only && token.optional);
    assert!(attribute(thing, "secret").sensitive);
    let kind = attribute(thing, "kind");
    assert!(kind.optional && kind.computed);
    assert_eq!(attribute(thing, "tags").r#type, br#"["map","string"]"#);
    for attribute in &thing.block.as_ref().unwrap().attributes {
        Type::from_json(&attribute.r#type).unwrap();
    }
    assert!(response.data_source_schemas.contains_key(DATA_SOURCE));
    assert!(response.list_resource_schemas.contains_key(RESOURCE));

    let identities = client
        .get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {})
        .await
        .unwrap()
        .into_inner();
    let identity = &identities.identity_schemas[RESOURCE];
    assert!(identity.identity_attributes[0].required_for_import);

    let metadata = client
        .get_metadata(pb::get_metadata::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(metadata.resources[0].type_name, RESOURCE);
    assert_eq!(metadata.data_sources[0].type_name, DATA_SOURCE);
}

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

#[tokio::test]
async fn read_upgrade_import_and_data_source() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;

    // Same version: missing attributes decode as null, numbers stay exact.
    let upgraded = client
        .upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: RESOURCE.into(),
            version: 1,
            raw_state: Some(pb::RawState {
                json: br#"{"name":"a","revision":123456789012345678901234567890.5,"token_wo":"x"}"#
                    .to_vec(),
                flatmap: Default::default(),
            }),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        upgraded.diagnostics.is_empty(),
        "{:?}",
        upgraded.diagnostics
    );
    let state = undynamic(upgraded.upgraded_state.as_ref(), &thing_type());
    assert_eq!(
        state
            .get("revision")
            .as_number()
            .map(ToString::to_string)
            .as_deref(),
        Some("123456789012345678901234567890.5")
    );
    assert!(state.get("token_wo").is_null());
    assert!(state.get("tags").is_null());

    // Other version: the default upgrade refuses with a diagnostic.
    let refused = client
        .upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: RESOURCE.into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: b"{}".to_vec(),
                flatmap: Default::default(),
            }),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(errors(&refused.diagnostics).len(), 1);

    // Read: gone -> null state.
    let gone = thing(&[("name", Value::from("a")), ("value", Value::from("gone"))]);
    let read = client
        .read_resource(pb::read_resource::Request {
            type_name: RESOURCE.into(),
            current_state: dynamic(&gone, &thing_type()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(undynamic(read.new_state.as_ref(), &thing_type()).is_null());

    // Import by identity.
    let imported = client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: RESOURCE.into(),
            id: String::new(),
            client_capabilities: capabilities(),
            identity: Some(pb::ResourceIdentityData {
                identity_data: dynamic(
                    &Value::object([("name", Value::from("z"))]),
                    &identity_type(),
                ),
            }),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(imported.imported_resources.len(), 1);
    let resource = &imported.imported_resources[0];
    assert_eq!(resource.type_name, RESOURCE);
    assert_eq!(
        undynamic(resource.state.as_ref(), &thing_type())
            .get("id")
            .as_str(),
        Some("id-z")
    );

    // Data source.
    let data = client
        .read_data_source(pb::read_data_source::Request {
            type_name: DATA_SOURCE.into(),
            config: dynamic(
                &Value::object([("name", Value::from("hello")), ("length", Value::Null)]),
                &Type::object([("name", Type::String), ("length", Type::Number)]),
            ),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let state = undynamic(
        data.state.as_ref(),
        &Type::object([("name", Type::String), ("length", Type::Number)]),
    );
    assert_eq!(
        state.get("length").as_number().and_then(|n| n.to_i64()),
        Some(5)
    );

    // Generated config drops computed-only attributes.
    let generated = client
        .generate_resource_config(pb::generate_resource_config::Request {
            type_name: RESOURCE.into(),
            state: dynamic(
                &thing(&[("name", Value::from("a")), ("id", Value::from("id-a"))]),
                &thing_type(),
            ),
        })
        .await
        .unwrap()
        .into_inner();
    let config = undynamic(generated.config.as_ref(), &thing_type());
    assert_eq!(config.get("name").as_str(), Some("a"));
    assert!(config.get("id").is_null());
}

#[tokio::test]
async fn list_resource_streams_identities() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let config_type = Type::object([("prefix", Type::String)]);
    let events: Vec<_> = client
        .list_resource(pb::list_resource::Request {
            type_name: RESOURCE.into(),
            config: dynamic(&Value::object([("prefix", Value::from("k"))]), &config_type),
            include_resource_object: true,
            limit: 2,
        })
        .await
        .unwrap()
        .into_inner()
        .map(|event| event.unwrap())
        .collect()
        .await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].display_name, "k-1");
    let identity = events[0]
        .identity
        .as_ref()
        .and_then(|i| i.identity_data.as_ref());
    assert_eq!(
        undynamic(identity, &identity_type()).get("name").as_str(),
        Some("k-0")
    );
    let object = undynamic(events[0].resource_object.as_ref(), &thing_type());
    assert_eq!(object.get("name").as_str(), Some("k-0"));
}

#[tokio::test]
async fn configure_stop_and_concurrent_calls() {
    let provider = TestProvider::default();
    let configured = Arc::clone(&provider.configured);
    let stopped = Arc::clone(&provider.stopped);
    let server = start_plaintext(provider).await;
    let client = provider_client(server.address).await;
    let provider_type = Type::object([("endpoint", Type::String)]);
    let calls = (0..20).map(|index| {
        let mut client = client.clone();
        let endpoint = if index == 0 { "bad" } else { "ok" };
        let config = dynamic(
            &Value::object([("endpoint", Value::from(endpoint))]),
            &provider_type,
        );
        async move {
            client
                .configure_provider(pb::configure_provider::Request {
                    terraform_version: "1.15.5".into(),
                    config,
                    client_capabilities: capabilities(),
                })
                .await
                .unwrap()
                .into_inner()
        }
    });
    let responses = futures::future::join_all(calls).await;
    assert_eq!(
        errors(&responses[0].diagnostics),
        vec!["Bad endpoint: endpoint must not be \"bad\""]
    );
    assert!(responses[1..].iter().all(|r| r.diagnostics.is_empty()));
    assert_eq!(configured.load(Ordering::SeqCst), 20);

    let stop = client
        .clone()
        .stop_provider(pb::stop_provider::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stop.error, "");
    assert_eq!(stopped.load(Ordering::SeqCst), 1);
    // StopProvider is advisory: the server keeps serving.
    client
        .clone()
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap();
}

#[tokio::test]
async fn go_plugin_services_and_shutdown_stop_the_server() {
    let server = start_plaintext(TestProvider::default()).await;
    let channel = channel(server.address).await;

    let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: "plugin".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        status.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );

    let mut stdio = plugin::grpc_stdio_client::GrpcStdioClient::new(channel.clone());
    let mut stream = stdio.stream_stdio(()).await.unwrap().into_inner();
    assert!(
        tokio::time::timeout(Duration::from_millis(100), stream.next())
            .await
            .is_err(),
        "stdio stream stays open and empty"
    );

    let mut controller = controller_client(server.address).await;
    controller.shutdown(plugin::Empty {}).await.unwrap();
    let finished = tokio::time::timeout(Duration::from_secs(2), server.task).await;
    assert!(
        matches!(finished, Ok(Ok(Ok(())))),
        "server must stop promptly after Shutdown"
    );
}

#[tokio::test]
async fn validation_reports_provider_errors_and_write_only_on_old_clients() {
    let server = start_plaintext(TestProvider::default()).await;
    let client = provider_client(server.address).await;
    let config = thing(&[("name", Value::from("")), ("token_wo", Value::from("s"))]);
    let validate = |capabilities| {
        let request = pb::validate_resource_config::Request {
            type_name: RESOURCE.into(),
            config: dynamic(&config, &thing_type()),
            client_capabilities: capabilities,
        };
        let mut client = client.clone();
        async move {
            client
                .validate_resource_config(request)
                .await
                .unwrap()
                .into_inner()
        }
    };
    let attribute_names = |response: &pb::validate_resource_config::Response| -> Vec<String> {
        response
            .diagnostics
            .iter()
            .filter_map(|d| d.attribute.as_ref()?.steps.first()?.selector.clone())
            .map(|selector| match selector {
                pb::attribute_path::step::Selector::AttributeName(name) => name,
                other => format!("{other:?}"),
            })
            .collect()
    };
    // Terraform < 1.11 (no capability): the write-only attribute is refused, anchored on it.
    let old_client = validate(None).await;
    assert_eq!(attribute_names(&old_client), ["token_wo", "name"]);
    // A client that supports write-only attributes only sees the provider's own error.
    let new_client = validate(capabilities()).await;
    assert_eq!(attribute_names(&new_client), ["name"]);
}

#[tokio::test]
async fn ephemeral_resources_open_renew_and_close() {
    let server = start_plaintext(TestProvider::default()).await;
    let mut client = provider_client(server.address).await;
    let opened = client
        .open_ephemeral_resource(pb::open_ephemeral_resource::Request {
            type_name: EPHEMERAL.into(),
            config: dynamic(
                &Value::object([("name", Value::from("ci")), ("token", Value::Null)]),
                &token_type(),
            ),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(opened.diagnostics.is_empty(), "{:?}", opened.diagnostics);
    let result = undynamic(opened.result.as_ref(), &token_type());
    assert_eq!(result.get("token").as_str(), Some("token-for-ci"));
    assert_eq!(opened.renew_at.map(|t| t.seconds), Some(2_000_000_000));

    let renewed = client
        .renew_ephemeral_resource(pb::renew_ephemeral_resource::Request {
            type_name: EPHEMERAL.into(),
            private: opened.private,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(renewed.private.as_deref(), Some(&b"11"[..]));
    assert!(renewed.renew_at.is_none());

    let closed = client
        .close_ephemeral_resource(pb::close_ephemeral_resource::Request {
            type_name: EPHEMERAL.into(),
            private: renewed.private,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(closed.diagnostics.is_empty());
    let refused = client
        .close_ephemeral_resource(pb::close_ephemeral_resource::Request {
            type_name: EPHEMERAL.into(),
            private: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        errors(&refused.diagnostics),
        ["Nothing to close: close called without private data"]
    );
}

#[tokio::test]
async fn identity_upgrade_decodes_same_version_and_refuses_others() {
    let server = start_plaintext(TestProvider::default()).await;
    let client = provider_client(server.address).await;
    let upgrade = |version| {
        let mut client = client.clone();
        async move {
            client
                .upgrade_resource_identity(pb::upgrade_resource_identity::Request {
                    type_name: RESOURCE.into(),
                    version,
                    raw_identity: Some(pb::RawState {
                        json: br#"{"name":"a"}"#.to_vec(),
                        flatmap: Default::default(),
                    }),
                })
                .await
                .unwrap()
                .into_inner()
        }
    };
    let same = upgrade(0).await;
    assert!(same.diagnostics.is_empty());
    let identity = same.upgraded_identity.and_then(|i| i.identity_data);
    assert_eq!(
        undynamic(identity.as_ref(), &identity_type())
            .get("name")
            .as_str(),
        Some("a")
    );
    let other = upgrade(3).await;
    assert_eq!(errors(&other.diagnostics).len(), 1);
}
