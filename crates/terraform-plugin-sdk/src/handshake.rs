//! go-plugin start-up: environment checks, the loopback listener and the lines printed on stdout.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::ops::RangeInclusive;

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;

/// Environment variable and value proving Terraform (not a human) started us.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// The value Terraform sets [`MAGIC_COOKIE_KEY`] to.
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// The plugin protocol major version we speak.
pub const PROTOCOL_VERSION: u32 = 6;

const DEFAULT_MIN_PORT: u16 = 10000;
const DEFAULT_MAX_PORT: u16 = 25000;

/// Whether `PLUGIN_PROTOCOL_VERSIONS` (e.g. `5,6`) includes protocol 6.
pub fn accepts_protocol_6(versions: &str) -> bool {
    versions
        .split(',')
        .any(|version| version.trim().parse::<u32>() == Ok(PROTOCOL_VERSION))
}

/// Port range from `PLUGIN_MIN_PORT` / `PLUGIN_MAX_PORT` (go-plugin defaults 10000-25000).
pub fn port_range(min: Option<&str>, max: Option<&str>) -> RangeInclusive<u16> {
    let parse = |value: Option<&str>, default| {
        value
            .and_then(|text| text.trim().parse::<u16>().ok())
            .unwrap_or(default)
    };
    parse(min, DEFAULT_MIN_PORT)..=parse(max, DEFAULT_MAX_PORT)
}

/// Binds 127.0.0.1 on the first free port of `ports`, else on any free port.
pub fn bind_loopback(ports: RangeInclusive<u16>) -> std::io::Result<TcpListener> {
    for port in ports {
        if let Ok(listener) = TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
            return Ok(listener);
        }
    }
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
}

/// `1|6|tcp|ADDR|grpc|CERT`, CERT being the unpadded standard base64 of the server's DER
/// certificate, or empty without TLS.
pub fn handshake_line(address: SocketAddr, server_certificate_der: Option<&[u8]>) -> String {
    let certificate = server_certificate_der
        .map(|der| STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!("1|{PROTOCOL_VERSION}|tcp|{address}|grpc|{certificate}")
}

/// The `TF_REATTACH_PROVIDERS` JSON for debug mode (`Test: true` so Terraform never kills us).
pub fn reattach_config(registry_address: &str, address: SocketAddr, pid: u32) -> String {
    serde_json::json!({
        registry_address: {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": { "Network": "tcp", "String": address.to_string() },
        }
    })
    .to_string()
}

/// Human instructions printed in debug mode.
pub fn reattach_instructions(registry_address: &str, address: SocketAddr, pid: u32) -> String {
    format!(
        "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment \
         variable with the following:\n\n\tTF_REATTACH_PROVIDERS='{}'\n",
        reattach_config(registry_address, address, pid)
    )
}

/// Writes one line to stdout and flushes; failures are ignored because nobody could read them.
pub fn print_stdout_line(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ignored = writeln!(stdout, "{line}").and_then(|()| stdout.flush());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_versions() {
        assert!(accepts_protocol_6("5,6"));
        assert!(accepts_protocol_6("6, 5"));
        assert!(accepts_protocol_6("6"));
        assert!(!accepts_protocol_6("5"));
        assert!(!accepts_protocol_6(""));
        assert!(!accepts_protocol_6("66"));
    }

    #[test]
    fn ports() {
        assert_eq!(port_range(None, None), 10000..=25000);
        assert_eq!(port_range(Some("20000"), Some("20010")), 20000..=20010);
        assert_eq!(port_range(Some("junk"), None), 10000..=25000);
        let listener = bind_loopback(40000..=40100).unwrap();
        let address = listener.local_addr().unwrap();
        assert!(address.ip().is_loopback());
        // Everything in range taken: fall back to any free port.
        let taken = address.port();
        let second = bind_loopback(taken..=taken).unwrap();
        assert_ne!(second.local_addr().unwrap().port(), taken);
    }

    #[test]
    fn handshake_and_reattach_lines() {
        let address: SocketAddr = "127.0.0.1:12345".parse().unwrap();
        assert_eq!(
            handshake_line(address, None),
            "1|6|tcp|127.0.0.1:12345|grpc|"
        );
        let line = handshake_line(address, Some(&[0xff, 0xfe]));
        assert_eq!(line, "1|6|tcp|127.0.0.1:12345|grpc|//4");
        let reattach: serde_json::Value = serde_json::from_str(&reattach_config(
            "registry.terraform.io/example/example",
            address,
            42,
        ))
        .unwrap();
        let entry = &reattach["registry.terraform.io/example/example"];
        assert_eq!(entry["ProtocolVersion"], 6);
        assert_eq!(entry["Test"], true);
        assert_eq!(entry["Pid"], 42);
        assert_eq!(entry["Addr"]["String"], "127.0.0.1:12345");
        assert!(reattach_instructions("r", address, 1).contains("TF_REATTACH_PROVIDERS='{"));
    }
}
