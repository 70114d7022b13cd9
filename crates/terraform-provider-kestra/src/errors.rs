//! Turning client errors into diagnostics a person understands: what failed, the
//! HTTP method, path and status, Kestra's own message, and what to do about it.

use kestra_kv_client::{Error, TlsFailure};
use terraform_plugin_sdk::{AttributePath, Diagnostic, Diagnostics};

/// A diagnostic for a failed Kestra request made while `action` (e.g. "reading key x"), with
/// `credentials` the summary of those in use (`None`: none configured).
pub fn request_failed(error: &Error, action: &str, credentials: Option<&str>) -> Diagnostic {
    let (summary, hint) = match (error, credentials) {
        (Error::Unauthorized { .. }, None) => (
            "Kestra requires credentials".to_string(),
            "The provider sent none. Set `username` and `password` (basic auth), `api_token` or `jwt` in the provider block, or KESTRA_USERNAME/KESTRA_PASSWORD, KESTRA_API_TOKEN or KESTRA_JWT.".to_string(),
        ),
        (Error::Unauthorized { .. }, Some(credentials)) => (
            "Kestra rejected the credentials".to_string(),
            format!(
                "The provider authenticated with {credentials}. Check the provider's `username`/`password`, `api_token` or `jwt` settings and the matching KESTRA_* environment variables."
            ),
        ),
        // A missing key is handled where it is read; a 404 that reaches here (a write, a
        // listing) means the route itself is missing, most often its tenant.
        (Error::NotFound { .. }, _) => (
            "Kestra found no such tenant or API route".to_string(),
            "Check the tenant (`tenant_id` on the resource or the provider, or KESTRA_TENANT_ID; open-source Kestra has only \"main\") and that `url` is the server root.".to_string(),
        ),
        (Error::Forbidden { .. }, _) => (
            "Kestra denied access to the KV store".to_string(),
            "The credentials are valid but lack the KVSTORE permission (READ, CREATE, UPDATE or DELETE) on this namespace.".to_string(),
        ),
        (Error::Invalid { .. }, _) => (
            "Kestra rejected the request".to_string(),
            String::new(),
        ),
        (Error::Server { attempts, .. }, _) if error.is_retryable() => (
            "Kestra server error".to_string(),
            format!("Gave up after {attempts} attempt(s); raise `max_retries` if the server is only briefly unavailable."),
        ),
        (Error::Server { status, .. }, _) => (
            "Kestra server error".to_string(),
            format!("HTTP {status} is not retried: the server failed on this request itself; its message above says why."),
        ),
        (Error::Transport { server, tls: Some(TlsFailure::NotTls), .. }, _) => (
            format!("Kestra at {server} does not speak TLS"),
            format!("The provider's `url` uses https://, but the server answered in plain HTTP. Use http://{server} (in `url` or KESTRA_URL), or enable TLS on the server."),
        ),
        (Error::Transport { server, tls: Some(TlsFailure::Handshake), .. }, _) => (
            format!("TLS handshake with Kestra at {server} failed"),
            "Check that the server's certificate is valid for this host and trusted: give its CA in `ca_certificate` (or KESTRA_CA_CERTIFICATE); `insecure_skip_verify = true` skips the check, for testing only.".to_string(),
        ),
        (Error::Transport { attempts, server, proxy: Some(proxy), .. }, _) => (
            format!("Cannot reach Kestra at {server} through the proxy {}", proxy.address()),
            format!(
                "Gave up after {attempts} attempt(s). The proxy comes from the environment variable {}: check that it runs and lets this host through, or add the host to NO_PROXY to reach Kestra directly.",
                proxy.variable()
            ),
        ),
        (Error::ProxyAuthentication { proxy, .. }, _) => (
            format!("The proxy {} requires authentication", proxy.address()),
            format!(
                "The proxy comes from the environment variable {}: give its credentials there (http://user:password@host:port), or add Kestra's host to NO_PROXY to reach it directly.",
                proxy.variable()
            ),
        ),
        (Error::NotKestra { server, .. }, _) => (
            format!("The answer was HTML from {server}, not Kestra's API"),
            "Something other than Kestra's API answered (a proxy, a login page, or the wrong `url`), so nothing it acknowledged counts as done. Check that `url` (or KESTRA_URL) is the server root of Kestra's API; behind a single sign-on front, reach the API directly or send what the front needs in `extra_headers`.".to_string(),
        ),
        (Error::Redirected { location, .. }, _) => (
            format!("The server redirected the request to {location}"),
            "The provider follows no redirect (it would carry the credentials elsewhere). If Kestra moved (e.g. to https://), set `url` (or KESTRA_URL) to the new server root; a login page means a single sign-on front is in the way: reach the API directly or send what the front needs in `extra_headers`.".to_string(),
        ),
        (Error::Decode { .. }, _) => (
            "Unexpected answer from Kestra".to_string(),
            "The answer could not be read, so whether the request took effect is unknown. Check that `url` is Kestra's server root and that the server is a Kestra version the provider supports.".to_string(),
        ),
        (Error::Transport { attempts, server, .. }, _) if error.is_timeout() => (
            format!("Kestra at {server} did not answer in time"),
            format!("Gave up after {attempts} attempt(s). Raise the provider's `timeout` (seconds per request) if the server is slow, or `max_retries`."),
        ),
        (Error::Transport { attempts, server, .. }, _) => (
            format!("Cannot reach Kestra at {server}"),
            format!("Gave up after {attempts} attempt(s). Check the provider's `url` and that the server is running."),
        ),
        (Error::Cancelled { .. }, _) => (
            "Apply interrupted".to_string(),
            "Terraform was interrupted (Ctrl-C) and asked the provider to stop, so this request was not sent. Requests already sent were finished, and the state records exactly what was written: run the apply again to finish.".to_string(),
        ),
        _ => ("Kestra request failed".to_string(), String::new()),
    };
    let detail = if hint.is_empty() {
        format!("While {action}: {error}")
    } else {
        format!("While {action}: {error}\n\n{hint}")
    };
    Diagnostic::error(summary, detail)
}

/// The same as [`request_failed`], collected into a fresh [`Diagnostics`].
pub fn request_failed_diagnostics(
    error: &Error,
    action: &str,
    credentials: Option<&str>,
) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.push(request_failed(error, action, credentials));
    diagnostics
}

/// Shorthand for an error on one top-level attribute.
pub fn attribute_error(
    diagnostics: &mut Diagnostics,
    attribute: &str,
    summary: impl Into<String>,
    detail: impl Into<String>,
) {
    diagnostics.attribute_error(AttributePath::root().attr(attribute), summary, detail);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(status: u16) -> kestra_kv_client::RequestInfo {
        kestra_kv_client::RequestInfo {
            method: http::Method::PUT,
            path: "/api/v1/main/namespaces/company.team/kv/k".into(),
            status: Some(status),
        }
    }

    fn rendered(error: &Error) -> (String, String) {
        let diagnostic = request_failed(
            error,
            "writing key \"k\"",
            Some("HTTP basic auth as \"admin\""),
        );
        (diagnostic.summary, diagnostic.detail)
    }

    #[test]
    fn each_failure_reads_as_documented() {
        let (summary, detail) = rendered(&Error::Unauthorized {
            message: "Unauthorized".into(),
            request: request(401),
        });
        assert_eq!(summary, "Kestra rejected the credentials");
        assert!(
            detail.contains("HTTP basic auth as \"admin\"")
                && detail.contains("401")
                && detail.contains("PUT"),
            "{detail}"
        );

        let (summary, detail) = rendered(&Error::Forbidden {
            message: "Access denied".into(),
            request: request(403),
        });
        assert_eq!(summary, "Kestra denied access to the KV store");
        assert!(detail.contains("KVSTORE"), "{detail}");

        let (summary, detail) = rendered(&Error::Invalid {
            status: 422,
            message: "ttl cannot be negative".into(),
            request: request(422),
        });
        assert_eq!(summary, "Kestra rejected the request");
        assert!(
            detail.contains("ttl cannot be negative") && detail.contains("422"),
            "{detail}"
        );

        let (summary, detail) = rendered(&Error::Server {
            status: 503,
            message: "Service Unavailable".into(),
            attempts: 5,
            request: request(503),
        });
        assert_eq!(summary, "Kestra server error");
        assert!(
            detail.contains("5 attempt(s)") && detail.contains("503"),
            "{detail}"
        );
        assert!(detail.starts_with("While writing key \"k\""), "{detail}");
        assert!(detail.contains("max_retries"), "{detail}");
    }

    /// A 401 with no credentials configured asks for them; nothing was rejected.
    #[test]
    fn a_401_without_credentials_asks_for_them() {
        let diagnostic = request_failed(
            &Error::Unauthorized {
                message: "Unauthorized".into(),
                request: request(401),
            },
            "reading key \"k\"",
            None,
        );
        assert_eq!(diagnostic.summary, "Kestra requires credentials");
        assert!(
            diagnostic.detail.contains("api_token"),
            "{}",
            diagnostic.detail
        );
    }

    /// Answers that are not Kestra's say who answered and what to check.
    #[test]
    fn html_pages_redirects_and_proxies_are_named() {
        let (summary, detail) = rendered(&Error::NotKestra {
            server: "sso.example:443".into(),
            body: "content type text/html, body starting \"<html>\"".into(),
            request: request(200),
        });
        assert_eq!(
            summary,
            "The answer was HTML from sso.example:443, not Kestra's API"
        );
        assert!(
            detail.contains("(a proxy, a login page, or the wrong `url`)")
                && detail.contains("text/html"),
            "{detail}"
        );

        let (summary, _) = rendered(&Error::Redirected {
            status: 302,
            location: "https://sso.example/login".into(),
            request: request(302),
        });
        assert_eq!(
            summary,
            "The server redirected the request to https://sso.example/login"
        );

        let proxies = kestra_kv_client::ProxyRules::from_lookup(|name| {
            (name == "https_proxy").then(|| "http://user:pw@proxy.corp:3128".to_owned())
        })
        .unwrap_or_default();
        let url = url::Url::parse("https://kestra.example").ok();
        let proxy = url.as_ref().and_then(|url| proxies.proxy_for(url)).cloned();
        let Some(proxy) = proxy else {
            panic!("proxied");
        };
        let (summary, detail) = rendered(&Error::ProxyAuthentication {
            proxy,
            message: "Proxy Authentication Required".into(),
            request: request(407),
        });
        assert_eq!(
            summary,
            "The proxy http://proxy.corp:3128 requires authentication"
        );
        assert!(
            detail.contains("https_proxy") && !detail.contains("pw@"),
            "{detail}"
        );
    }

    /// Raising `max_retries` helps only where the client retries.
    #[test]
    fn statuses_never_retried_do_not_suggest_max_retries() {
        let (summary, detail) = rendered(&Error::Server {
            status: 500,
            message: "Internal Server Error".into(),
            attempts: 1,
            request: request(500),
        });
        assert_eq!(summary, "Kestra server error");
        assert!(!detail.contains("max_retries"), "{detail}");
        assert!(detail.contains("not retried"), "{detail}");
    }

    /// A request the client did not send because Terraform stopped the provider (Ctrl-C).
    #[test]
    fn a_cancelled_request_says_the_apply_was_interrupted() {
        let (summary, detail) = rendered(&Error::Cancelled {
            attempts: 0,
            request: kestra_kv_client::RequestInfo {
                status: None,
                ..request(0)
            },
        });
        assert_eq!(summary, "Apply interrupted");
        assert!(
            detail.contains("not sent") && detail.contains("apply again"),
            "{detail}"
        );
    }
}
