//! The go-plugin start-up of the real provider binary: cookie, protocol versions, handshake line
//! (plaintext and AutoMTLS), debug mode, and exit after Shutdown.

use std::process::Stdio;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use terraform_plugin_sdk::testing::plugin::{self, grpc_controller_client::GrpcControllerClient};
use terraform_plugin_sdk::testing::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};
use test_support::grpc::{channel, provider_client_on, served_schema};
use test_support::tls_client::terraform_client_certificate;
use test_support::tls_client::{client_config, tls_channel};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use tonic::transport::Channel;

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-kestra");

fn provider_command() -> Command {
    let mut command = Command::new(BINARY);
    for variable in [
        MAGIC_COOKIE_KEY,
        "PLUGIN_PROTOCOL_VERSIONS",
        "PLUGIN_CLIENT_CERT",
        "PLUGIN_MIN_PORT",
        "PLUGIN_MAX_PORT",
        "TF_LOG",
        "TF_LOG_PROVIDER",
    ] {
        command.env_remove(variable);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

fn managed_command(client_cert: Option<&str>) -> Command {
    let mut command = provider_command();
    command
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_MIN_PORT", "30000")
        .env("PLUGIN_MAX_PORT", "30100");
    if let Some(pem) = client_cert {
        command.env("PLUGIN_CLIENT_CERT", pem);
    }
    command
}

async fn first_stdout_line(child: &mut Child) -> String {
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    tokio::time::timeout(
        Duration::from_secs(30),
        BufReader::new(stdout).read_line(&mut line),
    )
    .await
    .expect("handshake within 30 s")
    .unwrap();
    line
}

async fn shutdown_and_wait(channel: Channel, mut child: Child) {
    GrpcControllerClient::new(channel)
        .shutdown(plugin::Empty {})
        .await
        .unwrap();
    let status = tokio::time::timeout(Duration::from_secs(2), child.wait())
        .await
        .expect("provider exits within Terraform's 2 s grace")
        .unwrap();
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn started_by_a_human_it_explains_itself_and_exits_1() {
    let output = provider_command().output().await.unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "nothing on stdout");
    assert!(!output.stderr.is_empty(), "help on stderr");
}

#[tokio::test]
async fn protocol_5_only_clients_are_refused() {
    let output = managed_command(None)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5")
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
}

#[tokio::test]
async fn plaintext_handshake_serves_and_exits_on_shutdown() {
    let mut child = managed_command(None).spawn().unwrap();
    let line = first_stdout_line(&mut child).await;
    assert!(line.ends_with('\n'));
    let fields: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(fields.len(), 6, "{line:?}");
    assert_eq!(&fields[..3], ["1", "6", "tcp"]);
    assert_eq!(fields[4], "grpc");
    assert_eq!(fields[5], "", "no certificate without PLUGIN_CLIENT_CERT");
    let address: std::net::SocketAddr = fields[3].parse().unwrap();
    assert!(address.ip().is_loopback());
    assert!(
        (30000..=30100).contains(&address.port()),
        "port from PLUGIN_MIN/MAX_PORT"
    );

    let channel = channel(address).await;
    served_schema(&mut provider_client_on(channel.clone())).await;
    shutdown_and_wait(channel, child).await;
}

#[tokio::test]
async fn automtls_handshake_carries_the_unpadded_der_certificate() {
    let (client_pem, client_der, client_key) = terraform_client_certificate();
    let mut child = managed_command(Some(&client_pem)).spawn().unwrap();
    let line = first_stdout_line(&mut child).await;
    let fields: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(fields.len(), 6, "{line:?}");
    let certificate = fields[5];
    assert!(
        certificate.len() > 50 && !certificate.contains('='),
        "{certificate}"
    );
    let der = STANDARD_NO_PAD.decode(certificate).unwrap();
    assert_eq!(der.first(), Some(&0x30), "DER SEQUENCE, not PEM");

    let address = fields[3].parse().unwrap();
    let channel = tls_channel(address, client_config(&der, (client_der, client_key)))
        .await
        .unwrap();
    served_schema(&mut provider_client_on(channel.clone())).await;
    shutdown_and_wait(channel, child).await;
}

#[tokio::test]
async fn debug_mode_prints_reattach_instructions() {
    let mut child = provider_command().arg("--debug").spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut reattach = None;
    for _ in 0..10 {
        let mut line = String::new();
        let read = tokio::time::timeout(Duration::from_secs(30), stdout.read_line(&mut line))
            .await
            .unwrap()
            .unwrap();
        if read == 0 {
            break;
        }
        if let Some(json) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
            reattach = Some(json.trim_end_matches('\'').to_owned());
            break;
        }
    }
    let reattach: serde_json::Value =
        serde_json::from_str(&reattach.expect("reattach line")).unwrap();
    let entry = &reattach["registry.terraform.io/kestra-io/kestra"];
    assert_eq!(entry["ProtocolVersion"], 6);
    assert_eq!(entry["Test"], true);
    assert_eq!(entry["Pid"], child.id().unwrap());
    let address = entry["Addr"]["String"].as_str().unwrap().parse().unwrap();
    let channel = channel(address).await;
    served_schema(&mut provider_client_on(channel.clone())).await;
    shutdown_and_wait(channel, child).await;
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).await.unwrap();
    assert!(rest.trim().is_empty(), "nothing else on stdout: {rest:?}");
}
