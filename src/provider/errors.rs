//! Turning client errors into diagnostics a person understands (contract §6): what failed, the
//! HTTP method, path and status, Kestra's own message, and what to do about it.

use crate::kestra::Error;
use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics};

/// A diagnostic for a failed Kestra request made while `action` (e.g. "reading key x").
pub fn request_failed(error: &Error, action: &str, credentials: &str) -> Diagnostic {
    let (summary, hint) = match error {
        Error::Unauthorized { .. } => (
            "Kestra rejected the credentials".to_string(),
            format!(
                "The provider authenticated with {credentials}. Check the provider's `username`/`password`, `api_token` or `jwt` settings and the matching KESTRA_* environment variables."
            ),
        ),
        Error::Forbidden { .. } => (
            "Kestra denied access to the KV store".to_string(),
            "The credentials are valid but lack the KVSTORE permission (READ, CREATE, UPDATE or DELETE) on this namespace.".to_string(),
        ),
        Error::Invalid { .. } => (
            "Kestra rejected the request".to_string(),
            String::new(),
        ),
        Error::Server { attempts, .. } if error.is_retryable() => (
            "Kestra server error".to_string(),
            format!("Gave up after {attempts} attempt(s); raise `max_retries` if the server is only briefly unavailable."),
        ),
        Error::Server { status, .. } => (
            "Kestra server error".to_string(),
            format!("HTTP {status} is not retried: the server failed on this request itself; its message above says why."),
        ),
        Error::Transport { attempts, .. } if error.is_timeout() => (
            "Kestra did not answer in time".to_string(),
            format!("Gave up after {attempts} attempt(s). Raise the provider's `timeout` (seconds per request) if the server is slow, or `max_retries`."),
        ),
        Error::Transport { attempts, .. } => (
            "Cannot reach Kestra".to_string(),
            format!("Gave up after {attempts} attempt(s). Check the provider's `url` and that the server is running."),
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
pub fn request_failed_diagnostics(error: &Error, action: &str, credentials: &str) -> Diagnostics {
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

    fn request(status: u16) -> crate::kestra::RequestInfo {
        crate::kestra::RequestInfo {
            method: http::Method::PUT,
            path: "/api/v1/main/namespaces/company.team/kv/k".into(),
            status: Some(status),
        }
    }

    fn rendered(error: &Error) -> (String, String) {
        let diagnostic = request_failed(error, "writing key \"k\"", "HTTP basic auth as \"admin\"");
        (diagnostic.summary, diagnostic.detail)
    }

    #[test]
    fn each_failure_reads_as_the_contract_says() {
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
}
