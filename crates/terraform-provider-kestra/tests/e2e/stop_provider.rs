//! StopProvider over gRPC, without Terraform (issue 16, item 3): the `kestra` provider applies a
//! `kestra_kvs` against a devserver with latency, Terraform's Ctrl-C is played by calling
//! StopProvider once the server has seen a known number of PUTs, and the apply must then start
//! no new request and answer with a state holding exactly what the server holds.

use std::collections::BTreeMap;

use kestra_kv_devserver::{DevServer, DevServerConfig, Faults};
use terraform_plugin_sdk::testing::{PluginServer, tfplugin6 as pb};
use terraform_plugin_sdk::{Provider, Schema, Value};
use terraform_provider_kestra::KestraProvider;
use test_support::client::values_held;
use test_support::grpc::{capabilities, dynamic, errors, provider_client, undynamic};

const NAMESPACE: &str = "company.stop";
const KEYS: usize = 600;
const CONCURRENCY: u64 = 4;
/// PUTs seen before StopProvider.
const STOP_AFTER: u64 = 40;

/// An object of `schema` with every attribute null but `set`.
fn object_of(schema: &Schema, set: Vec<(&str, Value)>) -> Value {
    let mut object = Value::object(
        schema
            .block
            .attributes
            .iter()
            .map(|a| (a.name.clone(), Value::Null)),
    );
    for (name, value) in set {
        object.set(name, value);
    }
    object
}

#[tokio::test]
async fn after_stop_provider_a_kvs_apply_starts_no_request_and_keeps_exactly_what_was_written() {
    let devserver = DevServer::start(DevServerConfig {
        faults: Faults {
            latency_ms: 20,
            ..Faults::default()
        },
        ..DevServerConfig::default()
    })
    .await
    .unwrap();
    let provider = KestraProvider::new();
    let provider_schema = provider.schema();
    let kvs_schema = provider
        .resources()
        .into_iter()
        .find(|r| r.type_name() == "kestra_kvs")
        .unwrap()
        .schema();
    let kvs_type = kvs_schema.implied_type();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(PluginServer::new(provider).run(listener, None));
    let mut client = provider_client(address).await;

    let provider_config = object_of(
        &provider_schema,
        vec![
            ("url", Value::string(devserver.url())),
            ("max_retries", Value::number(0)),
        ],
    );
    let configured = client
        .configure_provider(pb::configure_provider::Request {
            terraform_version: "1.15.5".into(),
            config: dynamic(&provider_config, &provider_schema.implied_type()),
            client_capabilities: capabilities(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(errors(&configured.diagnostics).is_empty());

    let values =
        Value::map((0..KEYS).map(|i| (format!("k{i:04}"), Value::string(format!("v{i}")))));
    let config = object_of(
        &kvs_schema,
        vec![
            ("namespace", Value::string(NAMESPACE)),
            ("values", values),
            ("max_concurrency", Value::number(CONCURRENCY as i64)),
        ],
    );
    let planned = client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "kestra_kvs".into(),
            prior_state: dynamic(&Value::Null, &kvs_type),
            proposed_new_state: dynamic(&config, &kvs_type),
            config: dynamic(&config, &kvs_type),
            client_capabilities: capabilities(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        errors(&planned.diagnostics).is_empty(),
        "{:?}",
        planned.diagnostics
    );

    let mut applier = client.clone();
    let apply = tokio::spawn(async move {
        applier
            .apply_resource_change(pb::apply_resource_change::Request {
                type_name: "kestra_kvs".into(),
                prior_state: dynamic(&Value::Null, &kvs_type),
                planned_state: planned.planned_state,
                config: dynamic(&config, &kvs_type),
                planned_private: planned.planned_private,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
    });

    devserver.wait_for(|s| s.by_route.put >= STOP_AFTER).await;
    let stopped = client
        .stop_provider(pb::stop_provider::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stopped.error, "");
    let at_stop = devserver.stats();
    let applied = apply.await.unwrap();
    let after = devserver.stats();

    // Requests already on their way when StopProvider came (at most one per parallel write)
    // finish; nothing else starts: no further PUT, and not the listing that follows writes.
    assert!(
        after.requests <= at_stop.requests + CONCURRENCY,
        "requests at stop {}, after the apply {}",
        at_stop.requests,
        after.requests
    );
    assert_eq!(
        after.by_route.search + after.by_route.list,
        at_stop.by_route.search + at_stop.by_route.list
    );
    assert!(after.by_route.put < KEYS as u64 / 2, "{after:?}");

    // The state holds exactly what the server holds, value for value.
    let state = undynamic(applied.new_state.as_ref(), &kvs_schema.implied_type());
    let in_state: BTreeMap<String, String> = state
        .get("values")
        .as_entries()
        .unwrap()
        .iter()
        .map(|(key, value)| (key.clone(), value.as_str().unwrap().to_string()))
        .collect();
    let kestra = kestra_kv_client::Client::new(
        kestra_kv_client::ClientConfig::from_url(&devserver.url()).unwrap(),
    )
    .unwrap();
    assert_eq!(in_state, values_held(&kestra, NAMESPACE).await);
    assert_eq!(in_state.len() as u64, after.by_route.put);

    // One diagnostic says the apply was interrupted and how many keys were left.
    let errors = errors(&applied.diagnostics);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("Apply interrupted: ")
            && errors[0].contains(&format!("{} keys were not written", KEYS - in_state.len())),
        "{errors:?}"
    );
    server.abort();
}
