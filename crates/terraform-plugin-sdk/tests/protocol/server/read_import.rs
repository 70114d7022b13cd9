//! ReadResource, state and identity upgrades, ImportResourceState and ReadDataSource.

use terraform_plugin_sdk::testing::tfplugin6 as pb;
use terraform_plugin_sdk::{Type, Value};
use test_support::grpc::*;

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
