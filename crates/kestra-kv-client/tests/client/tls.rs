//! The client over https: a private CA given as `ca_certificate_pem` is trusted, an unknown one is
//! refused (no retry can fix it), and `insecure_skip_verify` skips verification.

use kestra_kv_client::{Client, ClientConfig, Error, RetryPolicy, TlsFailure};
use kestra_kv_devserver::DevServerConfig;
use test_support::client::{client, start};
use test_support::pki::Pki;
use test_support::scripted::{Scripted, json};

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

/// A self-signed certificate that marks itself a CA (`openssl req -x509`), given as
/// `ca_certificate_pem`, is trusted when the server presents exactly it, as curl and Python do;
/// its host name is still checked, and any other certificate is still refused.
#[tokio::test]
async fn a_configured_self_signed_ca_is_accepted_as_the_server_certificate() {
    let own = Pki::self_signed_ca(&["localhost"]);
    let url = serve(&own).await;
    let trusting = |pem: &str| {
        without_retries(
            ClientConfig::from_url(&url)
                .expect("url")
                .with_ca_certificate_pem(pem.to_owned()),
        )
    };
    let stored = trusting(&own.ca_pem)
        .get("company.team", "k")
        .await
        .expect("the configured certificate itself");
    assert_eq!(stored.value.to_text(), "over tls");
    // In a bundle with another CA, too.
    let bundle = format!("{}{}", Pki::generate().ca_pem, own.ca_pem);
    assert!(trusting(&bundle).get("company.team", "k").await.is_ok());

    let handshake_refused = |result: Result<_, Error>| {
        matches!(
            result,
            Err(Error::Transport {
                tls: Some(TlsFailure::Handshake),
                ..
            })
        )
    };
    let other = Pki::self_signed_ca(&["localhost"]);
    assert!(handshake_refused(
        trusting(&other.ca_pem).get("company.team", "k").await
    ));
    let elsewhere = Pki::self_signed_ca(&["kestra.example"]);
    let url = serve(&elsewhere).await;
    let wrong_name = without_retries(
        ClientConfig::from_url(&url)
            .expect("url")
            .with_ca_certificate_pem(elsewhere.ca_pem.clone()),
    )
    .get("company.team", "k")
    .await;
    let message = wrong_name
        .as_ref()
        .map_err(ToString::to_string)
        .err()
        .unwrap_or_default();
    assert!(handshake_refused(wrong_name), "host name not checked");
    assert!(message.contains("not valid for name"), "{message}");
}
