//! TLS trust for a configured `ca_certificate`: the platform's roots plus the configured
//! certificates, and, as curl and Python do, a server certificate that is exactly one of the
//! configured certificates, with its host name still checked. That is a self-signed
//! certificate made by `openssl req -x509`, which marks itself a CA: WebPKI refuses a CA as a
//! server certificate (`CaUsedAsEndEntity`) even when it is the trusted root itself.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use rustls_platform_verifier::Verifier;

use crate::error::Error;

/// The TLS configuration trusting `certificates` (PEM-decoded) on top of the platform's roots.
pub(super) fn client_config(
    certificates: Vec<CertificateDer<'static>>,
) -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let platform = Verifier::new_with_extra_roots(certificates.clone(), Arc::clone(&provider))
        .map_err(|error| Error::Config(format!("ca_certificate cannot be used: {error}")))?;
    let verifier = ConfiguredCertificates {
        platform,
        certificates,
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| Error::Config(format!("cannot set up TLS: {error}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // What reqwest offers with its own TLS configuration (HTTP/2 and HTTP/1.1).
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The platform's verification, then the configured certificates presented as they are.
#[derive(Debug)]
struct ConfiguredCertificates {
    platform: Verifier,
    certificates: Vec<CertificateDer<'static>>,
}

/// Whether a failed verification may be overruled by an exact match. WebPKI checks the
/// validity period before anything else, so any other failure of a certificate means its
/// dates are fine; the host name is checked again below.
fn overrulable(error: &rustls::Error) -> bool {
    match error {
        rustls::Error::InvalidCertificate(reason) => !matches!(
            reason,
            CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. }
                | CertificateError::Revoked
                | CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. }
        ),
        _ => false,
    }
}

impl ServerCertVerifier for ConfiguredCertificates {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.platform.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(verified) => Ok(verified),
            Err(error)
                if overrulable(&error)
                    && self
                        .certificates
                        .iter()
                        .any(|configured| configured.as_ref() == end_entity.as_ref()) =>
            {
                let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
                rustls::client::verify_server_name(&parsed, server_name)?;
                Ok(ServerCertVerified::assertion())
            }
            Err(error) => Err(error),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.platform.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.platform.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.platform.supported_verify_schemes()
    }
}
