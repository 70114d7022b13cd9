//! Basic and bearer authentication against the devserver; secrets never show in `Debug` or
//! error output.

use kestra_kv_client::{Auth, Error, KvValue, PutOptions};
use kestra_kv_devserver::DevServerConfig;
use test_support::client::{NS, client, config_for, ok, start};

const PASSWORD: &str = "s3cret-Pa:ss";
const TOKEN: &str = "tok-3f9a7c";

fn assert_no_secrets(text: &str) {
    for secret in [PASSWORD, TOKEN, "wrong-secret", "header-secret"] {
        assert!(!text.contains(secret), "secret leaked: {text}");
    }
}

#[tokio::test]
async fn basic_auth() {
    let server = start(DevServerConfig {
        basic_auth: Some(("admin@kestra.io".to_owned(), PASSWORD.to_owned())),
        ..DevServerConfig::default()
    })
    .await;

    let anonymous = client(config_for(&server));
    match anonymous.get(NS, "x").await {
        Err(error @ Error::Unauthorized { .. }) => {
            assert_eq!(error.status(), Some(401));
            assert_eq!(error.attempts(), 1);
        }
        other => panic!("expected 401, got {other:?}"),
    }

    let wrong = config_for(&server).with_basic_auth("admin@kestra.io", "wrong-secret");
    assert_no_secrets(&format!("{wrong:?}"));
    let error = client(wrong).get(NS, "x").await;
    assert!(
        matches!(error, Err(Error::Unauthorized { .. })),
        "{error:?}"
    );
    if let Err(error) = error {
        assert_no_secrets(&format!("{error} {error:?}"));
    }

    let config = config_for(&server)
        .with_basic_auth("admin@kestra.io", PASSWORD)
        .with_header("X-Gateway-Key", "header-secret");
    assert_no_secrets(&format!("{config:?}"));
    let authorised = client(config);
    assert_no_secrets(&format!("{authorised:?}"));
    ok(authorised
        .put(NS, "x", &KvValue::string("v"), &PutOptions::default())
        .await);
    assert_eq!(ok(authorised.get(NS, "x").await).value.to_text(), "v");
    let missing = authorised.get(NS, "missing").await;
    if let Err(error) = missing {
        assert!(error.is_not_found());
        assert_no_secrets(&format!("{error} {error:?}"));
    }
}

#[tokio::test]
async fn bearer_token() {
    let server = start(DevServerConfig {
        api_token: Some(TOKEN.to_owned()),
        ..DevServerConfig::default()
    })
    .await;
    let config = config_for(&server).with_bearer_token(TOKEN);
    assert_no_secrets(&format!("{config:?}"));
    let authorised = client(config);
    ok(authorised
        .put(NS, "x", &KvValue::string("v"), &PutOptions::default())
        .await);
    assert!(ok(authorised.delete(NS, "x").await));

    let wrong = client(config_for(&server).with_auth(Auth::Bearer("wrong-secret".to_owned())));
    match wrong.delete(NS, "x").await {
        Err(error @ Error::Unauthorized { .. }) => assert_no_secrets(&format!("{error} {error:?}")),
        other => panic!("expected 401, got {other:?}"),
    }
}

/// A transport failure's message and debug output carry no credentials either.
#[tokio::test]
async fn transport_errors_carry_no_secrets() {
    let server = start(DevServerConfig::default()).await;
    let config = config_for(&server)
        .with_basic_auth("admin", PASSWORD)
        .with_header("X-Gateway-Key", "header-secret")
        .with_retry(test_support::client::fast_retry(0));
    server.shutdown().await;
    match client(config).get(NS, "x").await {
        Err(error @ Error::Transport { .. }) => assert_no_secrets(&format!("{error} {error:?}")),
        other => panic!("expected a transport error, got {other:?}"),
    }
}
