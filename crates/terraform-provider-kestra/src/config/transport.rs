//! Settings of the connection itself: extra headers and TLS trust.

use std::collections::BTreeMap;

use terraform_plugin_sdk::{Attr, AttributePath, Diagnostics};

/// The extra headers that are known, reporting names and values HTTP cannot carry; `None` when
/// some of them are still unknown.
pub(super) fn extra_headers(
    headers: &Attr<BTreeMap<String, Attr<String>>>,
    diagnostics: &mut Diagnostics,
) -> Option<Vec<(String, String)>> {
    let mut known = Vec::new();
    let mut any_unknown = false;
    match headers {
        Attr::Unknown => any_unknown = true,
        Attr::Null => {}
        Attr::Known(map) => {
            for (name, value) in map {
                match value {
                    Attr::Known(v) => {
                        if http::HeaderValue::from_str(v).is_err() {
                            // The value is a secret: say what is wrong, never what it is.
                            diagnostics.attribute_error(
                                AttributePath::root().attr("extra_headers").key(name),
                                "Invalid header value",
                                format!("The value of header {name:?} contains line breaks or other characters an HTTP header cannot carry."),
                            );
                        }
                        known.push((name.clone(), v.clone()));
                    }
                    Attr::Unknown => any_unknown = true,
                    Attr::Null => {}
                }
                if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
                    diagnostics.attribute_error(
                        AttributePath::root().attr("extra_headers").key(name),
                        "Invalid header name",
                        format!("{name:?} is not a valid HTTP header name."),
                    );
                }
            }
        }
    }
    (!any_unknown).then_some(known)
}

/// Reports a CA certificate that holds no usable PEM certificate, on the `ca_certificate`
/// attribute or naming KESTRA_CA_CERTIFICATE (`from_env`) when that is where it came from.
pub(super) fn check_ca_certificate(
    pem: Option<&str>,
    from_env: bool,
    diagnostics: &mut Diagnostics,
) {
    let Some(problem) = pem.and_then(ca_certificate_problem) else {
        return;
    };
    if from_env {
        diagnostics.error(
            "Invalid KESTRA_CA_CERTIFICATE",
            format!("The environment variable KESTRA_CA_CERTIFICATE (used because `ca_certificate` is not set) {problem}; e.g. KESTRA_CA_CERTIFICATE=\"$(cat ca.pem)\"."),
        );
    } else {
        diagnostics.attribute_error(
            AttributePath::root().attr("ca_certificate"),
            "Invalid CA certificate",
            format!("`ca_certificate` {problem}."),
        );
    }
}

/// What is wrong with a CA certificate setting, if anything.
fn ca_certificate_problem(pem: &str) -> Option<String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject as _;
    if !pem.contains("-----BEGIN CERTIFICATE-----") {
        let hint = if looks_like_a_path(pem) {
            "; this looks like a path; give the PEM content (`file(...)`)"
        } else {
            ""
        };
        return Some(format!(
            "must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----){hint}"
        ));
    }
    match CertificateDer::pem_slice_iter(pem.as_bytes()).collect::<Result<Vec<_>, _>>() {
        Ok(certificates) if !certificates.is_empty() => None,
        Ok(_) => Some("holds no complete PEM certificate".to_owned()),
        Err(error) => Some(format!("is not valid PEM ({error})")),
    }
}

/// A single line naming a file: absolute, relative, home-based or Windows path, or a file name
/// with a certificate's extension.
fn looks_like_a_path(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() || text.contains('\n') {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    let rooted = ["/", "./", "../", "~/", ".\\", "..\\"]
        .iter()
        .any(|start| text.starts_with(start));
    let drive =
        text.as_bytes().get(1..3) == Some(b":\\") || text.as_bytes().get(1..3) == Some(b":/");
    let extension = [".pem", ".crt", ".cer", ".ca-bundle"]
        .iter()
        .any(|extension| lower.ends_with(extension));
    rooted || drive || extension
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reported(pem: &str, from_env: bool) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        check_ca_certificate(Some(pem), from_env, &mut diagnostics);
        diagnostics
    }

    #[test]
    fn paths_given_for_pem_get_the_hint() {
        for path in [
            "/etc/ssl/kestra-ca.pem",
            "./ca.pem",
            "~/certs/ca",
            "ca.crt",
            "C:\\certs\\ca.cer",
        ] {
            assert!(looks_like_a_path(path), "{path}");
            let text = format!("{:?}", reported(path, false));
            assert!(
                text.contains("this looks like a path; give the PEM content (`file(...)`)"),
                "{text}"
            );
        }
        for not_a_path in ["not a certificate", "MIIB\nabc", ""] {
            assert!(!looks_like_a_path(not_a_path), "{not_a_path:?}");
        }
    }

    #[test]
    fn the_environment_variable_is_named_when_it_is_the_source() {
        let text = format!("{:?}", reported("/tmp/ca.pem", true));
        assert!(
            text.contains("KESTRA_CA_CERTIFICATE")
                && text.contains("this looks like a path")
                && !text.contains("`ca_certificate` must"),
            "{text}"
        );
        let broken = "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n";
        let text = format!("{:?}", reported(broken, true));
        assert!(text.contains("is not valid PEM"), "{text}");
        assert!(reported(broken, false).has_errors());
    }
}
