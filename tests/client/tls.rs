//! The client over https: a private CA given as `ca_certificate_pem` is trusted, an unknown one is
//! refused (no retry can fix it), and `insecure_skip_verify` skips verification.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use terraform_provider_kestra::devserver::{DevServer, DevServerConfig};
use terraform_provider_kestra::kestra::{Client, ClientConfig, Error, RetryPolicy, TlsFailure};

/// A private CA and a `localhost` / 127.0.0.1 server certificate it signed.
struct Pki {
    ca_pem: String,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: Vec<u8>,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().expect("ca key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).expect("ca");
    let server_key = KeyPair::generate().expect("server key");
    let server_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .expect("server params");
    let server = server_params
        .signed_by(&server_key, &ca)
        .expect("server cert");
    Pki {
        ca_pem: ca.pem(),
        server_chain: vec![server.der().clone()],
        server_key: server_key.serialize_der(),
    }
}

/// An https server answering every request with one KV value; returns its base URL.
async fn serve(pki: &Pki) -> String {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(
            pki.server_chain.clone(),
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server_key.clone())),
        )
        .expect("server config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let body = r#"{"type":"STRING","value":"over tls","revision":1}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://localhost:{}", address.port())
}

fn client(config: ClientConfig) -> Client {
    Client::new(config.with_retry(RetryPolicy::disabled())).expect("client")
}

#[tokio::test]
async fn a_private_ca_is_trusted_only_when_configured() {
    let pki = pki();
    let url = serve(&pki).await;

    let trusted = client(
        ClientConfig::from_url(&url)
            .expect("url")
            .with_ca_certificate_pem(pki.ca_pem.clone()),
    );
    let stored = trusted.get("company.team", "k").await.expect("trusted CA");
    assert_eq!(stored.value.to_text(), "over tls");

    let untrusted = client(ClientConfig::from_url(&url).expect("url"));
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

    let skipping = client(
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
    let server = DevServer::start(DevServerConfig::default())
        .await
        .expect("devserver starts");
    let url = server.url().replace("http://", "https://");
    let client = Client::new(
        ClientConfig::from_url(&url)
            .expect("url")
            .with_retry(RetryPolicy::default()),
    )
    .expect("client");
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
