//! Ephemeral resources: open, renew and close.

use terraform_plugin_sdk::Value;
use terraform_plugin_sdk::testing::tfplugin6 as pb;
use test_support::grpc::*;

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
