//! The client over https: a private CA given as `ca_certificate_pem` is trusted, an unknown one is
//! refused (no retry can fix it), and `insecure_skip_verify` skips verification.

use crate::common::client::{client, start};
use crate::common::pki::Pki;
use crate::common::scripted::{Scripted, json};
use terraform_provider_kestra::devserver::DevServerConfig;
use terraform_provider_kestra::kestra::{Client, ClientConfig, Error, RetryPolicy, TlsFailure};

/// An https server answering every request with one KV value; returns its base URL.
async fn serve(pki: &Pki) -> String {
    let value = json(200, r#"{"type":"STRING","value":"over tls","revision":1}"#);
    Scripted::start_tls(vec![value], pki).await.url
}

fn without_retries(config: ClientConfig) -> Client {
    client(config.with_retry(RetryPolicy::disabled()))
}

#[tokio::test]
async fn a_private_ca_is_trusted_only_when_configured() {
    let pki = Pki::generate();
    let url = serve(&pki).await;

    let trusted = without_retries(
        ClientConfig::from_url(&url)
            .expect("url")
            .with_ca_certificate_pem(pki.ca_pem.clone()),
    );
    let stored = trusted.get("company.team", "k").await.expect("trusted CA");
    assert_eq!(stored.value.to_text(), "over tls");

    let untrusted = without_retries(ClientConfig::from_url(&url).expect("url"));
    let error = untrusted
        .get("company.team", "k")
        .await
        .expect_err("unknown CA refused");
    assert!(
        matches!(
            error,
            Error::Transport {
                tls: Some(TlsFailure::Handshake),
                ..
            }
        ),
        "{error}"
    );

    let skipping = without_retries(
        ClientConfig::from_url(&url)
            .expect("url")
            .with_insecure_skip_verify(true),
    );
    let stored = skipping
        .get("company.team", "k")
        .await
        .expect("verification skipped");
    assert_eq!(stored.value.to_text(), "over tls");
}

#[test]
fn a_ca_certificate_that_is_not_pem_is_a_configuration_error() {
    let config = ClientConfig::from_url("https://localhost:8443")
        .expect("url")
        .with_ca_certificate_pem("not a certificate");
    assert!(matches!(Client::new(config), Err(Error::Config(_))));
}

/// https against a plain-http server is a TLS failure, told apart and never retried.
#[tokio::test]
async fn https_against_plain_http_is_told_and_not_retried() {
    let server = start(DevServerConfig::default()).await;
    let url = server.url().replace("http://", "https://");
    let client = client(
        ClientConfig::from_url(&url)
            .expect("url")
            .with_retry(RetryPolicy::default()),
    );
    let error = client
        .get("company.team", "k")
        .await
        .expect_err("no TLS there");
    assert!(
        matches!(
            error,
            Error::Transport {
                tls: Some(TlsFailure::NotTls),
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.is_retryable());
    assert_eq!(server.stats().requests, 0, "nothing understood as HTTP");
}
