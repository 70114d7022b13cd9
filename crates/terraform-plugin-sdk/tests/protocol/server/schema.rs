//! GetProviderSchema, the identity schemas and metadata, and config validation.

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
