//! Server lifecycle: ConfigureProvider, StopProvider, concurrent calls, the go-plugin
//! services and shutdown.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures::StreamExt;
use terraform_plugin_sdk::testing::plugin;
use terraform_plugin_sdk::testing::tfplugin6 as pb;
use terraform_plugin_sdk::{Type, Value};
use test_support::grpc::*;

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
