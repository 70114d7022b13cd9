//! AutoMTLS as Terraform does it: a P-521/SHA-512 self-signed client certificate (CA:TRUE, like
//! go-plugin's), the server's certificate pinned as the only trusted one, ALPN h2.

use std::net::SocketAddr;
use std::sync::Arc;

use rustls::pki_types::ServerName;
use terraform_plugin_sdk::testing::PluginServer;
use terraform_plugin_sdk::testing::tfplugin6 as pb;
use terraform_plugin_sdk::testing::tfplugin6::provider_client::ProviderClient;
use terraform_plugin_sdk::testing::{ServerCertificate, server_config};
use test_support::grpc::{RESOURCE, TestProvider, provider_client_on, served_schema};
use test_support::tls_client::terraform_client_certificate;
use test_support::tls_client::{client_config, tls_channel};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

async fn start_tls(client_pem: &str) -> (SocketAddr, Vec<u8>) {
    let certificate = ServerCertificate::generate().unwrap();
    let config = server_config(&certificate, client_pem).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = PluginServer::new(Arc::new(TestProvider::default()));
    tokio::spawn(server.run(listener, Some(config)));
    (address, certificate.certificate_der)
}

#[tokio::test]
async fn terraform_style_mtls_serves_grpc_over_h2() {
    let (client_pem, client_der, client_key) = terraform_client_certificate();
    let (address, server_der) = start_tls(&client_pem).await;
    let config = client_config(&server_der, (client_der, client_key));

    // Raw handshake: ALPN must select h2 (grpc-go refuses peers without it).
    let tcp = TcpStream::connect(address).await.unwrap();
    let tls = TlsConnector::from(Arc::clone(&config))
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap();
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    drop(tls);

    let channel = tls_channel(address, config).await.unwrap();
    let response = served_schema(&mut provider_client_on(channel)).await;
    assert!(response.resource_schemas.contains_key(RESOURCE));
}

#[tokio::test]
async fn a_client_without_the_pinned_certificate_is_refused() {
    let (client_pem, _, _) = terraform_client_certificate();
    let (address, server_der) = start_tls(&client_pem).await;
    let (_, other_der, other_key) = terraform_client_certificate();
    let config = client_config(&server_der, (other_der, other_key));
    let channel = tls_channel(address, config).await;
    let refused = match channel {
        Err(_) => true,
        Ok(channel) => ProviderClient::new(channel)
            .get_provider_schema(pb::get_provider_schema::Request {})
            .await
            .is_err(),
    };
    assert!(refused, "a foreign client certificate must not get through");
}
