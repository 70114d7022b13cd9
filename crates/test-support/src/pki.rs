//! The certificates the tests make: [`Pki`], a private CA and the `localhost` server certificate it
//! signed (the Kestra client over https, registries and mirrors). Terraform's AutoMTLS client
//! certificate is in `tls_client` (feature `grpc`).

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A private CA and a `localhost` / 127.0.0.1 server certificate it signed.
pub struct Pki {
    /// The CA certificate, as a client is given it to trust.
    pub ca_pem: String,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: Vec<u8>,
}

impl Pki {
    pub fn generate() -> Pki {
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

    /// One self-signed certificate for `names`, marked a CA (as `openssl req -x509` makes it),
    /// that the server presents itself and a client is given to trust.
    pub fn self_signed_ca(names: &[&str]) -> Pki {
        let key = KeyPair::generate().expect("key");
        let mut params = CertificateParams::new(
            names
                .iter()
                .map(|name| name.to_string())
                .collect::<Vec<_>>(),
        )
        .expect("params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let certificate = params.self_signed(&key).expect("self-signed certificate");
        Pki {
            ca_pem: certificate.pem(),
            server_chain: vec![certificate.der().clone()],
            server_key: key.serialize_der(),
        }
    }

    /// A TLS server presenting the server certificate, without client authentication.
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(
                self.server_chain.clone(),
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.server_key.clone())),
            )
            .expect("server config");
        Arc::new(config)
    }
}
