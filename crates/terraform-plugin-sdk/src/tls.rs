//! go-plugin AutoMTLS: a fresh self-signed server certificate per launch, and a rustls server
//! config that requires exactly the client certificate Terraform passed in `PLUGIN_CLIENT_CERT`.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
};
use rustls::DistinguishedName as SubjectName;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, ServerConfig, SignatureScheme};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("generating the server certificate failed: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("PLUGIN_CLIENT_CERT holds no usable PEM certificate: {0}")]
    ClientCertificate(String),
    #[error("building the TLS configuration failed: {0}")]
    Config(#[from] rustls::Error),
}

/// The per-launch server certificate; its DER goes into the handshake line.
pub struct ServerCertificate {
    /// The certificate in DER, as printed (base64, unpadded) in the handshake line.
    pub certificate_der: Vec<u8>,
    private_key_pkcs8: Vec<u8>,
}

impl ServerCertificate {
    /// ECDSA P-256, self-signed, of [`go_plugin_certificate_params`].
    pub fn generate() -> Result<ServerCertificate, TlsError> {
        let key_pair = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let certificate = go_plugin_certificate_params()?.self_signed(&key_pair)?;
        Ok(ServerCertificate {
            certificate_der: certificate.der().to_vec(),
            private_key_pkcs8: key_pair.serialize_der(),
        })
    }
}

/// The certificate shape of go-plugin's AutoMTLS, the same at both ends: SAN and CN localhost,
/// organisation HashiCorp, CA, server and client EKU, valid from 30 s ago (clock skew) for 30
/// years.
pub fn go_plugin_certificate_params() -> Result<CertificateParams, TlsError> {
    let mut params = CertificateParams::new(vec!["localhost".to_owned()])?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, "localhost");
    name.push(DnType::OrganizationName, "HashiCorp");
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::days(365 * 30);
    Ok(params)
}

/// The aws-lc-rs provider, chosen explicitly: it verifies Terraform's P-521/SHA-512 client
/// certificate (ring cannot), and naming it avoids rustls' process-default ambiguity.
fn crypto_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// TLS server config requiring the client certificate from `client_cert_pem`; ALPN `h2`.
pub fn server_config(
    server: &ServerCertificate,
    client_cert_pem: &str,
) -> Result<Arc<ServerConfig>, TlsError> {
    let provider = crypto_provider();
    let verifier = PinnedClientCertVerifier::from_pem(client_cert_pem, &provider)?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(
            vec![CertificateDer::from(server.certificate_der.clone())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server.private_key_pkcs8.clone())),
        )?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(config))
}

/// Accepts exactly one client certificate, byte for byte, and checks the handshake signature
/// with it. webpki's verifier cannot be used: go-plugin's client certificate is self-signed with
/// `CA:TRUE`, which webpki rejects as an end-entity certificate (`CaUsedAsEndEntity`).
#[derive(Debug)]
struct PinnedClientCertVerifier {
    pinned: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedClientCertVerifier {
    fn from_pem(
        pem: &str,
        provider: &CryptoProvider,
    ) -> Result<PinnedClientCertVerifier, TlsError> {
        let pinned = CertificateDer::from_pem_slice(pem.as_bytes())
            .map_err(|e| TlsError::ClientCertificate(e.to_string()))?;
        Ok(PinnedClientCertVerifier {
            pinned: pinned.into_owned(),
            algorithms: provider.signature_verification_algorithms,
        })
    }
}

impl ClientCertVerifier for PinnedClientCertVerifier {
    fn root_hint_subjects(&self) -> &[SubjectName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.pinned.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_certificate_pem() -> String {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
        let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn server_certificate_and_config_build() {
        let server = ServerCertificate::generate().unwrap();
        assert!(server.certificate_der.len() > 100);
        let config = server_config(&server, &client_certificate_pem()).unwrap();
        assert_eq!(config.alpn_protocols, vec![b"h2".to_vec()]);
        assert!(server_config(&server, "not a pem").is_err());
    }

    #[test]
    fn only_the_pinned_certificate_is_accepted() {
        let pem = client_certificate_pem();
        let verifier = PinnedClientCertVerifier::from_pem(&pem, &crypto_provider()).unwrap();
        assert!(verifier.client_auth_mandatory());
        assert!(
            verifier
                .supported_verify_schemes()
                .contains(&SignatureScheme::ECDSA_NISTP521_SHA512)
        );
        let pinned = CertificateDer::from_pem_slice(pem.as_bytes()).unwrap();
        let other = CertificateDer::from(ServerCertificate::generate().unwrap().certificate_der);
        let now = UnixTime::now();
        assert!(verifier.verify_client_cert(&pinned, &[], now).is_ok());
        assert!(verifier.verify_client_cert(&other, &[], now).is_err());
    }
}
