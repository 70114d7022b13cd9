//! Client configuration. `Debug` never shows credentials or extra header values.

use std::fmt;
use std::time::Duration;

use url::Url;

use super::error::Error;
use super::proxy::ProxyRules;
use super::retry::RetryPolicy;

/// How requests authenticate.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Auth {
    /// No credentials: for a Kestra with basic auth disabled, or a gateway that adds them.
    #[default]
    None,
    /// `Authorization: Basic` (OSS basic auth, or an EE user's email and password).
    Basic {
        /// The user name (an email address on recent Kestra versions).
        username: String,
        /// The password; never shown by `Debug`.
        password: String,
    },
    /// `Authorization: Bearer` with an EE API token.
    Bearer(String),
    /// The EE `JWT` cookie.
    JwtCookie(String),
}

const REDACTED: &str = "<redacted>";

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &REDACTED)
                .finish(),
            Auth::Bearer(_) => f.debug_tuple("Bearer").field(&REDACTED).finish(),
            Auth::JwtCookie(_) => f.debug_tuple("JwtCookie").field(&REDACTED).finish(),
        }
    }
}

/// Everything a [`Client`](crate::Client) needs to reach one Kestra: built with
/// [`ClientConfig::new`] or [`ClientConfig::from_url`] and the `with_*` methods.
#[derive(Clone)]
pub struct ClientConfig {
    /// Server root, e.g. `http://localhost:8080`; a trailing `/` is ignored. Credentials in the
    /// URL are refused: use [`ClientConfig::auth`].
    pub base_url: Url,
    /// The tenant in every path (`/api/v1/{tenant}/…`): [`DEFAULT_TENANT`] (`main`) on OSS,
    /// whose tenant cannot be changed; a real tenant id on EE.
    pub tenant: String,
    /// The credentials sent with every request.
    pub auth: Auth,
    /// Added to every request (e.g. a gateway's API key); values are treated as secrets.
    pub extra_headers: Vec<(String, String)>,
    /// Whole-request timeout, per attempt.
    pub timeout: Duration,
    /// When idempotent requests are retried after a connection error, 429, 502, 503 or 504.
    pub retry: RetryPolicy,
    /// Extra trusted certificates (PEM) for https, on top of the platform's roots: CAs, or a
    /// server's own self-signed certificate (accepted when presented as is, host name checked).
    pub ca_certificate_pem: Option<String>,
    /// Accept any https certificate, unchecked: for a throwaway test server only, since
    /// credentials then go to whoever answers. Wins over `ca_certificate_pem`.
    pub insecure_skip_verify: bool,
    /// The `User-Agent` of every request: the client's name and version by default; an
    /// application embedding the client names itself (and what drives it) here.
    pub user_agent: String,
    /// The proxies to use; `None`: those of the environment (`HTTPS_PROXY`, `HTTP_PROXY`,
    /// `NO_PROXY`), read when the client is built.
    pub proxies: Option<ProxyRules>,
}

/// The `User-Agent` unless [`ClientConfig::with_user_agent`] says otherwise.
pub const DEFAULT_USER_AGENT: &str =
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The default server root of a local Kestra.
const DEFAULT_BASE_URL: &str = "http://localhost:8080";
/// The tenant of every OSS Kestra (and the one OSS maps un-tenanted paths to).
pub const DEFAULT_TENANT: &str = "main";
/// The per-attempt timeout unless [`ClientConfig::with_timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl ClientConfig {
    /// Defaults for everything but the server root.
    pub fn new(base_url: Url) -> ClientConfig {
        ClientConfig {
            base_url,
            tenant: DEFAULT_TENANT.to_owned(),
            auth: Auth::None,
            extra_headers: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            ca_certificate_pem: None,
            insecure_skip_verify: false,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            proxies: None,
        }
    }

    /// [`ClientConfig::new`] from text; `Error::Config` when it is not a URL.
    pub fn from_url(base_url: &str) -> Result<ClientConfig, Error> {
        let url = Url::parse(base_url)
            .map_err(|error| Error::Config(format!("the server URL is not valid: {error}")))?;
        Ok(ClientConfig::new(url))
    }

    /// Sets [`ClientConfig::tenant`] (EE tenants; OSS only knows `main`).
    pub fn with_tenant(mut self, tenant: impl Into<String>) -> ClientConfig {
        self.tenant = tenant.into();
        self
    }

    /// Sets [`ClientConfig::auth`].
    pub fn with_auth(mut self, auth: Auth) -> ClientConfig {
        self.auth = auth;
        self
    }

    /// [`Auth::Basic`]: OSS basic auth (`kestra.server.basic-auth`) or an EE user's login.
    pub fn with_basic_auth(
        self,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> ClientConfig {
        self.with_auth(Auth::Basic {
            username: username.into(),
            password: password.into(),
        })
    }

    /// [`Auth::Bearer`] with an EE API token (of a user or a service account).
    pub fn with_bearer_token(self, token: impl Into<String>) -> ClientConfig {
        self.with_auth(Auth::Bearer(token.into()))
    }

    /// Adds a header to every request (see [`ClientConfig::extra_headers`]); an invalid name or
    /// value makes [`Client::new`](crate::Client::new) fail with [`Error::Config`].
    pub fn with_header(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> ClientConfig {
        self.extra_headers.push((name.into(), value.into()));
        self
    }

    /// Sets [`ClientConfig::timeout`], the limit of each attempt (retries get their own).
    pub fn with_timeout(mut self, timeout: Duration) -> ClientConfig {
        self.timeout = timeout;
        self
    }

    /// Sets [`ClientConfig::retry`]; [`RetryPolicy::disabled`] turns retries off.
    pub fn with_retry(mut self, retry: RetryPolicy) -> ClientConfig {
        self.retry = retry;
        self
    }

    /// Trusts the certificates of `pem` too (see [`ClientConfig::ca_certificate_pem`]); a PEM
    /// without a readable certificate makes [`Client::new`](crate::Client::new) fail.
    pub fn with_ca_certificate_pem(mut self, pem: impl Into<String>) -> ClientConfig {
        self.ca_certificate_pem = Some(pem.into());
        self
    }

    /// Sets [`ClientConfig::insecure_skip_verify`]: test servers only.
    pub fn with_insecure_skip_verify(mut self, skip: bool) -> ClientConfig {
        self.insecure_skip_verify = skip;
        self
    }

    /// Sets [`ClientConfig::user_agent`], e.g. `my-tool/1.2`.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> ClientConfig {
        self.user_agent = user_agent.into();
        self
    }

    /// Proxies given rather than read from the environment.
    pub fn with_proxies(mut self, proxies: ProxyRules) -> ClientConfig {
        self.proxies = Some(proxies);
        self
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        #[allow(clippy::expect_used)]
        let url = Url::parse(DEFAULT_BASE_URL).expect("the default URL constant parses");
        ClientConfig::new(url)
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown_url = self.base_url.clone();
        if shown_url.password().is_some() {
            // Url::set_password only fails for URLs that cannot carry credentials.
            let _ = shown_url.set_password(Some(REDACTED));
        }
        let header_names: Vec<(&str, &str)> = self
            .extra_headers
            .iter()
            .map(|(name, _)| (name.as_str(), REDACTED))
            .collect();
        f.debug_struct("ClientConfig")
            .field("base_url", &shown_url.as_str())
            .field("tenant", &self.tenant)
            .field("auth", &self.auth)
            .field("extra_headers", &header_names)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field(
                "ca_certificate_pem",
                &self.ca_certificate_pem.as_ref().map(|_| "<PEM>"),
            )
            .field("insecure_skip_verify", &self.insecure_skip_verify)
            .field("user_agent", &self.user_agent)
            .field("proxies", &self.proxies)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_every_secret() {
        let config =
            ClientConfig::from_url("http://admin:hunter2-url@localhost:8080/").map(|config| {
                config
                    .with_basic_auth("admin@kestra.io", "hunter2-password")
                    .with_header("X-Api-Key", "hunter2-header")
            });
        let config = match config {
            Ok(config) => config,
            Err(error) => panic!("{error}"),
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("admin@kestra.io") && shown.contains("X-Api-Key"),
            "{shown}"
        );
        for auth in [
            Auth::Bearer("hunter2-token".to_owned()),
            Auth::JwtCookie("hunter2-jwt".to_owned()),
        ] {
            let shown = format!("{:?}", ClientConfig::default().with_auth(auth));
            assert!(
                !shown.contains("hunter2") && shown.contains(REDACTED),
                "{shown}"
            );
        }
    }

    #[test]
    fn defaults() {
        let config = ClientConfig::default();
        assert_eq!(config.base_url.as_str(), "http://localhost:8080/");
        assert_eq!(config.tenant, "main");
        assert_eq!(config.timeout, Duration::from_secs(30));
        assert_eq!(config.retry.max_retries, 4);
        assert_eq!(config.auth, Auth::None);
        assert!(matches!(
            ClientConfig::from_url("not a url"),
            Err(Error::Config(_))
        ));
    }
}
