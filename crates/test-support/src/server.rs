//! The Kestra an end-to-end scenario talks to: a devserver the test starts, or, in acceptance
//! mode, a server it did not start, named by `KESTRA_ACCEPTANCE_URL` (with
//! `KESTRA_ACCEPTANCE_USERNAME` / `KESTRA_ACCEPTANCE_PASSWORD` or `KESTRA_ACCEPTANCE_API_TOKEN`,
//! and `KESTRA_ACCEPTANCE_TENANT`, default `main`). Either way the test reaches it only through
//! Kestra's public HTTP API: Terraform, the typed client and raw requests all carry the same
//! credentials and tenant.

use kestra_kv_client::{Auth, Client, ClientConfig};
use kestra_kv_devserver::DevServerConfig;

use crate::terraform::{TestServer, Workspace};

/// The variable that switches the acceptance scenarios to an external server.
pub const URL_VAR: &str = "KESTRA_ACCEPTANCE_URL";
pub const USERNAME_VAR: &str = "KESTRA_ACCEPTANCE_USERNAME";
pub const PASSWORD_VAR: &str = "KESTRA_ACCEPTANCE_PASSWORD";
pub const API_TOKEN_VAR: &str = "KESTRA_ACCEPTANCE_API_TOKEN";
pub const TENANT_VAR: &str = "KESTRA_ACCEPTANCE_TENANT";

/// How requests to the server authenticate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    None,
    Basic { username: String, password: String },
    Token(String),
}

impl Credentials {
    /// From the acceptance variables; a password without a username, or both kinds at once, is
    /// a mistake in the environment and fails the test saying so.
    fn from_env() -> Credentials {
        let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        match (var(USERNAME_VAR), var(PASSWORD_VAR), var(API_TOKEN_VAR)) {
            (None, None, None) => Credentials::None,
            (Some(username), password, None) => Credentials::Basic {
                username,
                password: password.unwrap_or_default(),
            },
            (None, None, Some(token)) => Credentials::Token(token),
            (None, Some(_), None) => {
                panic!("{PASSWORD_VAR} is set without {USERNAME_VAR}: set both for basic auth")
            }
            _ => panic!(
                "both basic-auth ({USERNAME_VAR}/{PASSWORD_VAR}) and {API_TOKEN_VAR} are set: \
                 set one of them"
            ),
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            Credentials::None => "no credentials",
            Credentials::Basic { .. } => "basic auth",
            Credentials::Token(_) => "an API token",
        }
    }
}

/// A Kestra-compatible server and how to reach it.
pub struct Server {
    url: String,
    credentials: Credentials,
    tenant: String,
    /// The devserver this test started, stopped when the `Server` is dropped; `None` for a
    /// server named by the environment.
    devserver: Option<TestServer>,
}

impl Server {
    /// The server of `KESTRA_ACCEPTANCE_URL` when it is set, else a devserver started for this
    /// test (tenant `main`, no credentials).
    pub fn from_env() -> Server {
        match std::env::var(URL_VAR).ok().filter(|url| !url.is_empty()) {
            Some(url) => Server::external(
                url.trim_end_matches('/'),
                Credentials::from_env(),
                &std::env::var(TENANT_VAR)
                    .ok()
                    .filter(|tenant| !tenant.is_empty())
                    .unwrap_or_else(|| "main".to_string()),
            ),
            None => Server::devserver(DevServerConfig::default()),
        }
    }

    /// A devserver of `config` started for this test, reached without credentials in `main`.
    pub fn devserver(config: DevServerConfig) -> Server {
        let devserver = TestServer::start_with(config);
        Server {
            url: devserver.url().to_string(),
            credentials: Credentials::None,
            tenant: "main".to_string(),
            devserver: Some(devserver),
        }
    }

    /// A server this test did not start.
    pub fn external(url: &str, credentials: Credentials, tenant: &str) -> Server {
        Server {
            url: url.to_string(),
            credentials,
            tenant: tenant.to_string(),
            devserver: None,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// Whether the server is one this test did not start.
    pub fn is_external(&self) -> bool {
        self.devserver.is_none()
    }

    /// What the scenarios run against, for the run's report.
    pub fn describe(&self) -> String {
        let kind = if self.is_external() {
            "the server at"
        } else {
            "a devserver started by the test at"
        };
        format!(
            "{kind} {} (tenant {}, {})",
            self.url,
            self.tenant,
            self.credentials.describe()
        )
    }

    /// A typed Kestra client with the server's credentials and tenant: how tests seed keys,
    /// make drift and check what the server holds.
    pub fn client(&self) -> Client {
        let auth = match &self.credentials {
            Credentials::None => Auth::None,
            Credentials::Basic { username, password } => Auth::Basic {
                username: username.clone(),
                password: password.clone(),
            },
            Credentials::Token(token) => Auth::Bearer(token.clone()),
        };
        let config = ClientConfig::from_url(&self.url)
            .expect("server URL")
            .with_tenant(self.tenant.clone())
            .with_auth(auth);
        Client::new(config).expect("client")
    }

    /// A raw request to `path` (below `/api/v1/<tenant>`) with the server's credentials, for
    /// bodies the typed client never sends.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let request = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("HTTP client")
            .request(method, format!("{}/api/v1/{}{path}", self.url, self.tenant));
        match &self.credentials {
            Credentials::None => request,
            Credentials::Basic { username, password } => {
                request.basic_auth(username, Some(password))
            }
            Credentials::Token(token) => request.bearer_auth(token),
        }
    }

    /// A Terraform workspace whose provider reaches this server through its environment
    /// fallbacks (`KESTRA_URL`, credentials, `KESTRA_TENANT_ID`).
    pub fn workspace(&self) -> Workspace {
        let mut ws = Workspace::new(&self.url);
        match &self.credentials {
            Credentials::None => {}
            Credentials::Basic { username, password } => {
                ws.set_env("KESTRA_USERNAME", username);
                ws.set_env("KESTRA_PASSWORD", password);
            }
            Credentials::Token(token) => ws.set_env("KESTRA_API_TOKEN", token),
        }
        ws.set_env("KESTRA_TENANT_ID", &self.tenant);
        ws
    }

    /// [`Server::workspace`] on another Terraform minor.
    pub fn workspace_on(&self, minor: &str) -> Workspace {
        self.workspace().on_terraform(minor)
    }
}
