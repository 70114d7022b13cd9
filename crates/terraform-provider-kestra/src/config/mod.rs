//! Provider configuration: the schema ([`schema`]), each setting with its environment fallback
//! ([`setting`]), the server URL ([`url`]), credentials ([`credentials`]), headers and TLS
//! ([`transport`]), and their translation into a [`ClientConfig`].

mod credentials;
mod schema;
mod setting;
mod transport;
mod url;

use std::time::Duration;

use kestra_kv_client::{ClientConfig, RetryPolicy};
use terraform_plugin_sdk::{Attr, AttributePath, Diagnostics, FromValue, Value};

use credentials::Credentials;
use schema::ProviderConfigModel;
pub use schema::schema;
use setting::{Setting, count_setting, string_setting};
pub use url::parse_server_url;

/// Tenant used when neither the configuration nor `KESTRA_TENANT_ID` names one (Kestra OSS).
pub const DEFAULT_TENANT: &str = "main";
const DEFAULT_TIMEOUT_SECONDS: u64 = 30;
const DEFAULT_MAX_RETRIES: u32 = 4;

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
    let config = match ProviderConfigModel::from_value(config.clone()) {
        Ok(config) => config,
        Err(error) => {
            let settings = ProviderSettings {
                client: None,
                tenant: None,
                credentials: None,
            };
            return (settings, error.into());
        }
    };
    let mut any_unknown = false;
    let mut known = |s: Setting<String>| -> Option<String> {
        any_unknown |= s.is_unknown();
        s.into_option()
    };
    let url_text = known(string_setting(&config.url, "KESTRA_URL"));
    let credentials = Credentials {
        username: known(string_setting(&config.username, "KESTRA_USERNAME")),
        password: known(string_setting(&config.password, "KESTRA_PASSWORD")),
        api_token: known(string_setting(&config.api_token, "KESTRA_API_TOKEN")),
        jwt: known(string_setting(&config.jwt, "KESTRA_JWT")),
    };
    let tenant_setting = string_setting(&config.tenant_id, "KESTRA_TENANT_ID");
    let tenant_unknown = tenant_setting.is_unknown();
    let tenant = known(tenant_setting);
    let ca_certificate = known(string_setting(
        &config.ca_certificate,
        "KESTRA_CA_CERTIFICATE",
    ));

    let url = url::server_url(url_text, &config.url, require_url, &mut diagnostics);
    credentials.check(&config, &mut diagnostics);
    if let Some(tenant) = &tenant
        && tenant.trim().is_empty()
    {
        diagnostics.attribute_error(
            AttributePath::root().attr("tenant_id"),
            "Invalid tenant",
            "`tenant_id` must not be empty.",
        );
    }
    let timeout = count_setting(
        &config.timeout,
        "timeout",
        "KESTRA_TIMEOUT",
        1,
        &mut diagnostics,
    );
    let max_retries = count_setting(
        &config.max_retries,
        "max_retries",
        "KESTRA_MAX_RETRIES",
        0,
        &mut diagnostics,
    );
    any_unknown |= timeout.is_unknown() || max_retries.is_unknown();
    transport::check_ca_certificate(
        ca_certificate.as_deref(),
        config.ca_certificate.is_null(),
        &mut diagnostics,
    );
    let extra_headers = transport::extra_headers(&config.extra_headers, &mut diagnostics);
    any_unknown |= extra_headers.is_none();
    let insecure_skip_verify = match config.insecure_skip_verify {
        Attr::Known(skip) => skip,
        Attr::Unknown => {
            any_unknown = true;
            false
        }
        Attr::Null => false,
    };

    let (auth, credentials) = credentials.into_auth();
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
            extra_headers: extra_headers.unwrap_or_default(),
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
            user_agent: crate::version::user_agent(""),
            proxies: None,
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
