//! ListResource: identities streamed back.

use futures::StreamExt;
use terraform_plugin_sdk::testing::tfplugin6 as pb;
use terraform_plugin_sdk::{Type, Value};
use test_support::grpc::*;

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
