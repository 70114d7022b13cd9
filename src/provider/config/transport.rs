//! Settings of the connection itself: extra headers and TLS trust.

use std::collections::BTreeMap;

use crate::tfplugin::{Attr, AttributePath, Diagnostics};

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

/// Reports a CA certificate that holds no PEM certificate.
pub(super) fn check_ca_certificate(pem: Option<&str>, diagnostics: &mut Diagnostics) {
    if let Some(pem) = pem
        && !pem.contains("-----BEGIN CERTIFICATE-----")
    {
        diagnostics.attribute_error(
            AttributePath::root().attr("ca_certificate"),
            "Invalid CA certificate",
            "`ca_certificate` must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----).",
        );
    }
}
