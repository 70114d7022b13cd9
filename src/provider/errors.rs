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
        Error::Server { attempts, .. } => (
            "Kestra server error".to_string(),
            format!("Gave up after {attempts} attempt(s); raise `max_retries` if the server is only briefly unavailable."),
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
