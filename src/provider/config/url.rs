//! The Kestra server URL: checked to be a server root, and required when configuring.

use crate::tfplugin::{Attr, AttributePath, Diagnostics};

/// Checks a Kestra server URL: absolute http(s), a host, no query or fragment.
pub fn parse_server_url(text: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(text.trim())
        .map_err(|e| format!("{text:?} is not a valid URL ({e}); expected http(s)://host:port"))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!(
            "{text:?} uses the scheme {:?}; Kestra is reached over http or https",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "{text:?} has no host; expected http(s)://host:port"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "{text:?} has a query or fragment; give the server root only"
        ));
    }
    Ok(url)
}

/// The URL to use (from `url` or KESTRA_URL, as `text`), reporting what is wrong with it. With
/// `required` (ConfigureProvider), a missing URL is an error unless `url` is still unknown.
pub(super) fn server_url(
    text: Option<String>,
    attribute: &Attr<String>,
    required: bool,
    diagnostics: &mut Diagnostics,
) -> Option<url::Url> {
    match text {
        Some(text) => match parse_server_url(&text) {
            Ok(url) => Some(url),
            Err(message) => {
                diagnostics.attribute_error(
                    AttributePath::root().attr("url"),
                    "Invalid Kestra URL",
                    message,
                );
                None
            }
        },
        None => {
            if required && !attribute.is_unknown() {
                diagnostics.attribute_error(
                    AttributePath::root().attr("url"),
                    "Missing Kestra URL",
                    "Set `url` in the provider block or the KESTRA_URL environment variable, e.g. http://localhost:8080.",
                );
            }
            None
        }
    }
}
