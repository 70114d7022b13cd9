//! The Kestra server URL: checked to be a server root, and required when configuring.

use terraform_plugin_sdk::{Attr, AttributePath, Diagnostics};

/// Checks a Kestra server URL: absolute http(s), a host, no query or fragment.
pub fn parse_server_url(text: &str) -> Result<url::Url, String> {
    let trimmed = text.trim();
    // `localhost:8080` parses as the scheme "localhost"; `kestra.example.com` not at all.
    if !trimmed.contains("://") {
        return Err(format!(
            "{text:?} has no scheme; write the server root with http:// or https://, e.g. \"http://{trimmed}\""
        ));
    }
    let url = url::Url::parse(trimmed)
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
    // The provider adds `/api/v1/<tenant>/...` itself; a base path is kept (a reverse proxy).
    let path = url.path();
    let api_path = path.match_indices("/api/v1").map(|(at, _)| at).find(|&at| {
        path[at + "/api/v1".len()..].is_empty() || path[at + "/api/v1".len()..].starts_with('/')
    });
    if let Some(at) = api_path {
        let mut suggested = url.clone();
        suggested.set_path(&path[..at]);
        return Err(format!(
            "{text:?} ends in the API path; `url` is the server root (the provider adds /api/v1/... itself), e.g. \"{}\"",
            suggested.as_str().trim_end_matches('/')
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_a_newcomer_writes_get_the_fix() {
        let problem = parse_server_url("localhost:8080").expect_err("no scheme");
        assert!(problem.contains("\"http://localhost:8080\""), "{problem}");
        let problem = parse_server_url("kestra.example.com").expect_err("no scheme");
        assert!(
            problem.contains("\"http://kestra.example.com\""),
            "{problem}"
        );
        for (text, root) in [
            ("http://localhost:8080/api/v1", "http://localhost:8080"),
            ("http://localhost:8080/api/v1/", "http://localhost:8080"),
            (
                "https://h.example/kestra/api/v1/main",
                "https://h.example/kestra",
            ),
        ] {
            let problem = parse_server_url(text).expect_err(text);
            assert!(
                problem.contains("server root") && problem.contains(&format!("\"{root}\"")),
                "{problem}"
            );
        }
        for good in [
            "http://localhost:8080",
            "http://localhost:8080/",
            "https://h.example/kestra",
            "http://h/api/v10",
        ] {
            assert!(parse_server_url(good).is_ok(), "{good}");
        }
    }
}
