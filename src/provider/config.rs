//! Provider configuration (contract §2): schema, environment fallbacks, validation, and the
//! translation into a [`ClientConfig`].

use std::time::Duration;

use crate::kestra::{Auth, ClientConfig, RetryPolicy};
use crate::tfplugin::{Attribute, AttributePath, Block, Diagnostics, Schema, Type, Value};

/// Tenant used when neither the configuration nor `KESTRA_TENANT_ID` names one (Kestra OSS).
pub const DEFAULT_TENANT: &str = "main";
const DEFAULT_TIMEOUT_SECONDS: u64 = 30;
const DEFAULT_MAX_RETRIES: u32 = 4;

pub fn schema() -> Schema {
    Schema::new(
        0,
        Block::new(vec![
            Attribute::optional("url", Type::String)
                .description("Kestra server root, `http(s)://host:port`. Falls back to `KESTRA_URL`. Required (here or in the environment).")
                .markdown(),
            Attribute::optional("username", Type::String)
                .description("User for HTTP basic auth. Falls back to `KESTRA_USERNAME`.")
                .markdown(),
            Attribute::optional("password", Type::String)
                .sensitive()
                .description("Password for HTTP basic auth. Falls back to `KESTRA_PASSWORD`.")
                .markdown(),
            Attribute::optional("api_token", Type::String)
                .sensitive()
                .description("API token sent as `Authorization: Bearer` (Enterprise Edition). Falls back to `KESTRA_API_TOKEN`.")
                .markdown(),
            Attribute::optional("jwt", Type::String)
                .sensitive()
                .description("JWT sent as the `JWT` cookie (Enterprise Edition). Falls back to `KESTRA_JWT`.")
                .markdown(),
            Attribute::optional("tenant_id", Type::String)
                .description("Default tenant of every request. Falls back to `KESTRA_TENANT_ID`, then `main`.")
                .markdown(),
            Attribute::optional("extra_headers", Type::Map(Box::new(Type::String)))
                .sensitive()
                .description("Headers added to every request.")
                .markdown(),
            Attribute::optional("timeout", Type::Number)
                .description("Timeout of one HTTP request, in seconds. Falls back to `KESTRA_TIMEOUT`, then 30.")
                .markdown(),
            Attribute::optional("max_retries", Type::Number)
                .description("Retries of idempotent requests on connection errors, 429, 502, 503 and 504, with exponential backoff and jitter, honouring `Retry-After`. Falls back to `KESTRA_MAX_RETRIES`, then 4.")
                .markdown(),
            Attribute::optional("ca_certificate", Type::String)
                .description("PEM of an extra CA trusted for https. Falls back to `KESTRA_CA_CERTIFICATE`.")
                .markdown(),
            Attribute::optional("insecure_skip_verify", Type::Bool)
                .description("Skip TLS certificate verification (testing only). Default false.")
                .markdown(),
            Attribute::optional("keep_original_source", Type::Bool)
                .description("Accepted for compatibility with configurations of the official provider; has no effect here.")
                .markdown(),
        ])
        .description("Manages Kestra's Key-Value store.")
        .markdown(),
    )
}

/// Where a setting's value came from; unknown values (plan time) are kept apart so validation can
/// skip them and configuration can report precisely what was missing.
enum Setting<T> {
    Unset,
    Unknown,
    Set(T),
}

impl<T> Setting<T> {
    fn into_option(self) -> Option<T> {
        match self {
            Setting::Set(v) => Some(v),
            _ => None,
        }
    }
}

/// Reads a string attribute, falling back to an environment variable when the config is null.
fn string_setting(config: &Value, name: &str, env: Option<&str>) -> Setting<String> {
    match config.get(name) {
        Value::Unknown => Setting::Unknown,
        Value::String(s) => Setting::Set(s.clone()),
        _ => match env.and_then(|var| std::env::var(var).ok()) {
            Some(v) if !v.is_empty() => Setting::Set(v),
            _ => Setting::Unset,
        },
    }
}

/// Reads a whole number of at least `minimum`, from the config or an environment variable.
fn count_setting(
    config: &Value,
    name: &str,
    env: &str,
    minimum: u64,
    diagnostics: &mut Diagnostics,
) -> Setting<u64> {
    let path = AttributePath::root().attr(name);
    let (source, text) = match config.get(name) {
        Value::Unknown => return Setting::Unknown,
        Value::Number(n) => (format!("`{name}`"), n.to_string()),
        _ => match std::env::var(env) {
            Ok(text) if !text.trim().is_empty() => (
                format!("The environment variable {env}"),
                text.trim().to_owned(),
            ),
            _ => return Setting::Unset,
        },
    };
    match text.parse::<u64>() {
        Ok(value) if value >= minimum => Setting::Set(value),
        _ => {
            diagnostics.attribute_error(
                path,
                format!("Invalid {name}"),
                format!("{source} must be a whole number of {minimum} or more, got {text}."),
            );
            Setting::Unset
        }
    }
}

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

/// The provider settings after validation, as far as they are known.
pub struct ProviderSettings {
    /// `None` when some setting the client needs is unknown (plan time with computed config).
    pub client: Option<ClientConfig>,
    /// The provider's default tenant, when known.
    pub tenant: Option<String>,
    /// A human summary of the credentials in use, for 401 diagnostics (never the secrets);
    /// `None` when none are configured.
    pub credentials: Option<String>,
}

/// Validates the configuration. With `require_url` (ConfigureProvider) a missing URL is an error;
/// `terraform validate` leaves it to the environment at run time.
pub fn read_settings(config: &Value, require_url: bool) -> (ProviderSettings, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut any_unknown = false;
    let mut known = |s: Setting<String>| -> Option<String> {
        if matches!(s, Setting::Unknown) {
            any_unknown = true;
        }
        s.into_option()
    };

    let url_text = known(string_setting(config, "url", Some("KESTRA_URL")));
    let username = known(string_setting(config, "username", Some("KESTRA_USERNAME")));
    let password = known(string_setting(config, "password", Some("KESTRA_PASSWORD")));
    let api_token = known(string_setting(
        config,
        "api_token",
        Some("KESTRA_API_TOKEN"),
    ));
    let jwt = known(string_setting(config, "jwt", Some("KESTRA_JWT")));
    let tenant_setting = string_setting(config, "tenant_id", Some("KESTRA_TENANT_ID"));
    let tenant_unknown = matches!(tenant_setting, Setting::Unknown);
    let tenant = known(tenant_setting);
    let ca_certificate = known(string_setting(
        config,
        "ca_certificate",
        Some("KESTRA_CA_CERTIFICATE"),
    ));

    let url = match url_text {
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
            if require_url && !config.get("url").is_unknown() {
                diagnostics.attribute_error(
                    AttributePath::root().attr("url"),
                    "Missing Kestra URL",
                    "Set `url` in the provider block or the KESTRA_URL environment variable, e.g. http://localhost:8080.",
                );
            }
            None
        }
    };

    let config_has = |name: &str| config.get(name).is_set();
    if api_token.is_some() && jwt.is_some() || (config_has("api_token") && config_has("jwt")) {
        diagnostics.attribute_error(
            AttributePath::root().attr("jwt"),
            "Conflicting credentials",
            "Set either `api_token` (Bearer token) or `jwt` (JWT cookie), not both.",
        );
    }
    if password.is_some() && username.is_none() && !config.get("username").is_unknown() {
        diagnostics.attribute_error(
            AttributePath::root().attr("password"),
            "Password without username",
            "`password` is used for HTTP basic auth together with `username` (or KESTRA_USERNAME); set both.",
        );
    }
    if let Some(tenant) = &tenant
        && tenant.trim().is_empty()
    {
        diagnostics.attribute_error(
            AttributePath::root().attr("tenant_id"),
            "Invalid tenant",
            "`tenant_id` must not be empty.",
        );
    }

    let timeout = count_setting(config, "timeout", "KESTRA_TIMEOUT", 1, &mut diagnostics);
    let max_retries = count_setting(
        config,
        "max_retries",
        "KESTRA_MAX_RETRIES",
        0,
        &mut diagnostics,
    );
    any_unknown |= matches!(timeout, Setting::Unknown) || matches!(max_retries, Setting::Unknown);

    if let Some(pem) = &ca_certificate
        && !pem.contains("-----BEGIN CERTIFICATE-----")
    {
        diagnostics.attribute_error(
            AttributePath::root().attr("ca_certificate"),
            "Invalid CA certificate",
            "`ca_certificate` must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----).",
        );
    }

    let mut extra_headers = Vec::new();
    match config.get("extra_headers") {
        Value::Unknown => any_unknown = true,
        Value::Map(map) => {
            for (name, value) in map {
                match value {
                    Value::String(v) => {
                        if http::HeaderValue::from_str(v).is_err() {
                            // The value is a secret: say what is wrong, never what it is.
                            diagnostics.attribute_error(
                                AttributePath::root().attr("extra_headers").key(name),
                                "Invalid header value",
                                format!("The value of header {name:?} contains line breaks or other characters an HTTP header cannot carry."),
                            );
                        }
                        extra_headers.push((name.clone(), v.clone()));
                    }
                    Value::Unknown => any_unknown = true,
                    _ => {}
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
        _ => {}
    }
    let insecure_skip_verify = match config.get("insecure_skip_verify") {
        Value::Bool(b) => *b,
        Value::Unknown => {
            any_unknown = true;
            false
        }
        _ => false,
    };

    let auth = if let Some(token) = api_token {
        Auth::Bearer(token)
    } else if let Some(jwt) = jwt {
        Auth::JwtCookie(jwt)
    } else if let Some(username) = username.clone() {
        Auth::Basic {
            username,
            password: password.unwrap_or_default(),
        }
    } else {
        Auth::None
    };
    let credentials = match &auth {
        Auth::Bearer(_) => Some("the API token (`api_token` / KESTRA_API_TOKEN)".to_string()),
        Auth::JwtCookie(_) => Some("the JWT cookie (`jwt` / KESTRA_JWT)".to_string()),
        Auth::Basic { username, .. } => Some(format!(
            "HTTP basic auth as {username:?} (`username`/`password` or KESTRA_USERNAME/KESTRA_PASSWORD)"
        )),
        _ => None,
    };

    let tenant = if tenant_unknown {
        None
    } else {
        Some(
            tenant
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_TENANT.to_string()),
        )
    };

    let client = match (&url, &tenant, any_unknown || diagnostics.has_errors()) {
        (Some(url), Some(tenant), false) => Some(ClientConfig {
            base_url: url.clone(),
            tenant: tenant.clone(),
            auth,
            extra_headers,
            timeout: Duration::from_secs(timeout.into_option().unwrap_or(DEFAULT_TIMEOUT_SECONDS)),
            retry: RetryPolicy {
                max_retries: max_retries.into_option().map_or(DEFAULT_MAX_RETRIES, |n| {
                    u32::try_from(n).unwrap_or(u32::MAX)
                }),
                ..RetryPolicy::default()
            },
            ca_certificate_pem: ca_certificate,
            insecure_skip_verify,
            // Completed with the Terraform version once ConfigureProvider names it.
            user_agent: super::version::user_agent(""),
        }),
        _ => None,
    };

    (
        ProviderSettings {
            client,
            tenant,
            credentials,
        },
        diagnostics,
    )
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
