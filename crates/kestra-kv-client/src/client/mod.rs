//! The Kestra KV HTTP client: typed endpoints ([`Client`]) on a pure request builder
//! ([`request`]) and a transport with retries ([`transport`]) timed by an injectable
//! [`Clock`]; listings page through [`list`].

mod clock;
mod list;
mod request;
mod tls;
mod transport;

use std::collections::HashSet;
use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde_json::Value as Json;
use tokio_util::sync::CancellationToken;

use super::config::ClientConfig;
use super::error::Error;
use super::model::{
    KvEntry, ListOptions, MAX_PAGE_SIZE, PutOptions, StoredValue, WireDetail, inheritance_groups,
};
use super::proxy::ProxyRules;
use super::value::KvValue;
pub use clock::{Clock, SystemClock};
use list::{ListCursor, ListPosition};
use request::{INHERITANCE_ROUTE, default_headers};
use transport::{Reply, Transport};

/// A Kestra KV client. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Transport>,
    tenant: Arc<str>,
    /// Once cancelled, no new request (or retry) starts; see [`Client::cancelled_by`].
    cancel: CancellationToken,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.shared.base)
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the server `config` names. Sends nothing yet: fails only with
    /// [`Error::Config`] (not an http(s) URL, credentials in the URL, a bad header, CA or proxy).
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
        Client::with_clock(config, Arc::new(SystemClock))
    }

    /// A client whose retries wait and draw their jitter through `clock` (tests inject one).
    pub fn with_clock(config: ClientConfig, clock: Arc<dyn Clock>) -> Result<Client, Error> {
        let url = &config.base_url;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "the server URL must start with http:// or https://, not {}://",
                url.scheme()
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Config(
                "the server URL must not contain credentials; configure username/password or a token instead"
                    .to_owned(),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::Config(
                "the server URL must not contain a query or a fragment".to_owned(),
            ));
        }
        let base_path = url.path().trim_end_matches('/').to_owned();
        let origin = url.origin().ascii_serialization();
        let base = format!("{origin}{base_path}");
        let mut origin_url = url.clone();
        origin_url.set_path("/");

        let mut builder = reqwest::Client::builder()
            .user_agent(config.user_agent.as_str())
            .default_headers(default_headers(&config)?)
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .tcp_nodelay(true)
            .redirect(reqwest::redirect::Policy::none());
        if config.insecure_skip_verify {
            builder = builder.tls_danger_accept_invalid_certs(true);
        } else if let Some(pem) = &config.ca_certificate_pem {
            builder =
                builder.tls_backend_preconfigured(tls::client_config(pem_certificates(pem)?)?);
        }
        let proxies = match &config.proxies {
            Some(proxies) => proxies.clone(),
            None => ProxyRules::from_env().map_err(Error::Config)?,
        };
        builder = if proxies.is_empty() {
            builder.no_proxy()
        } else {
            let rules = proxies.clone();
            builder.proxy(reqwest::Proxy::custom(move |url| {
                rules.proxy_for(url).map(|proxy| proxy.url().clone())
            }))
        };
        let http = builder
            .build()
            .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?;
        Ok(Client {
            shared: Arc::new(Transport {
                http,
                base,
                origin: origin_url,
                base_path,
                retry: config.retry,
                clock,
                proxies,
            }),
            tenant: Arc::from(config.tenant.as_str()),
            cancel: CancellationToken::new(),
        })
    }

    /// The same client (same pool and tenant) stopping when `cancel` is cancelled: from then on
    /// every call fails with [`Error::Cancelled`] before sending anything, and retries stop.
    /// Requests already on the wire finish, so their outcome is known.
    pub fn cancelled_by(&self, cancel: CancellationToken) -> Client {
        Client {
            cancel,
            ..self.clone()
        }
    }

    /// The same client (same pool) addressing another tenant.
    pub fn with_tenant(&self, tenant: &str) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            tenant: Arc::from(tenant),
            cancel: self.cancel.clone(),
        }
    }

    /// The tenant in every path this client builds.
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// `host:port` of the server, for diagnostics.
    pub fn server(&self) -> String {
        self.shared.server()
    }

    /// Writes (creates or replaces) a value. Idempotent, so retried like a read.
    pub async fn put(
        &self,
        namespace: &str,
        key: &str,
        value: &KvValue,
        opts: &PutOptions,
    ) -> Result<(), Error> {
        let reply = self
            .send(request::put(&self.tenant, namespace, key, value, opts)?)
            .await?;
        if reply.is_success() {
            // Kestra answers a PUT with an empty body; a page means someone else answered.
            reply.check_from_api()
        } else {
            Err(reply.to_error())
        }
    }

    /// Reads a value: `Error::NotFound` (404) or `Error::Expired` (410) when absent.
    pub async fn get(&self, namespace: &str, key: &str) -> Result<StoredValue, Error> {
        let reply = self
            .send(request::get(&self.tenant, namespace, key)?)
            .await?;
        let detail: WireDetail = reply.decode().map_err(|error| match error {
            Error::Decode { message, request } if key == INHERITANCE_ROUTE => Error::Decode {
                message: format!(
                    "{message}; Kestra serves its inheritance listing at this path, so a key \
                     named \"{INHERITANCE_ROUTE}\" cannot be read back"
                ),
                request,
            },
            other => other,
        })?;
        detail
            .into_stored()
            .map_err(|message| reply.decode_error(message))
    }

    /// Reads a value; `Ok(None)` when it never existed, was deleted or has expired.
    pub async fn get_opt(&self, namespace: &str, key: &str) -> Result<Option<StoredValue>, Error> {
        match self.get(namespace, key).await {
            Ok(stored) => Ok(Some(stored)),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Deletes a key; whether it existed. After a retried attempt whose response was lost,
    /// a key deleted by that attempt reports `false`.
    pub async fn delete(&self, namespace: &str, key: &str) -> Result<bool, Error> {
        let reply = self
            .send(request::delete(&self.tenant, namespace, key)?)
            .await?;
        reply.decode()
    }

    /// Deletes several keys of a namespace in one request; the keys that existed.
    pub async fn delete_many(
        &self,
        namespace: &str,
        keys: &[String],
    ) -> Result<Vec<String>, Error> {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct Keys {
            #[serde(default)]
            keys: Vec<String>,
        }
        let body = serde_json::to_vec(&Keys {
            keys: keys.to_vec(),
        })
        .map_err(|error| Error::InvalidInput(error.to_string()))?;
        let reply = self
            .send(request::delete_many(&self.tenant, namespace, body)?)
            .await?;
        let deleted: Keys = reply.decode()?;
        Ok(deleted.keys)
    }

    /// Every live key of a namespace, sorted by key, fetched page by page as the stream is
    /// polled. Uses the global search (E3+) and falls back to the per-namespace list when the
    /// server does not know it (404/405).
    pub fn list(
        &self,
        namespace: &str,
        opts: ListOptions,
    ) -> BoxStream<'static, Result<KvEntry, Error>> {
        let cursor = ListCursor {
            client: self.clone(),
            namespace: namespace.to_owned(),
            page_size: opts.page_size.clamp(1, MAX_PAGE_SIZE),
            updated_since: opts.updated_since,
            position: ListPosition::Search { page: 1, seen: 0 },
        };
        let prefix = opts.prefix.unwrap_or_default();
        let updated_since = opts.updated_since;
        stream::unfold(cursor, ListCursor::next_page)
            .map(|page| {
                let items: Vec<Result<KvEntry, Error>> = match page {
                    Ok(entries) => entries.into_iter().map(Ok).collect(),
                    Err(error) => vec![Err(error)],
                };
                stream::iter(items)
            })
            .flatten()
            .try_filter(move |entry| {
                let recent = match (updated_since, entry.update_date) {
                    (Some(since), Some(updated)) => updated >= since,
                    _ => true,
                };
                std::future::ready(recent && entry.key.starts_with(&prefix))
            })
            .boxed()
    }

    /// [`Client::list`], collected.
    pub async fn list_all(
        &self,
        namespace: &str,
        opts: ListOptions,
    ) -> Result<Vec<KvEntry>, Error> {
        self.list(namespace, opts).try_collect().await
    }

    /// Keys visible from `namespace` through its ancestors, closest ancestor first; a key
    /// shadowed by a closer ancestor is left out. Each entry names its namespace when known.
    pub async fn inherited(&self, namespace: &str) -> Result<Vec<KvEntry>, Error> {
        let reply = self
            .send(request::inherited(&self.tenant, namespace)?)
            .await?;
        let items: Vec<Json> = reply.decode()?;
        let decode_error = |message: String| reply.decode_error(message);
        let mut entries = Vec::new();
        for (group_namespace, wire) in inheritance_groups(items).map_err(decode_error)? {
            let mut entry = wire.into_entry().map_err(decode_error)?;
            if entry.namespace.is_none() {
                entry.namespace = group_namespace;
            }
            entries.push(entry);
        }
        // Grouped (E2) answers run from the namespace itself to the root: keep ancestors only,
        // deepest first (stable, so server order within a namespace is kept).
        entries.retain(|entry| entry.namespace.as_deref() != Some(namespace));
        entries.sort_by_key(|entry| {
            std::cmp::Reverse(
                entry
                    .namespace
                    .as_deref()
                    .map_or(0, |ns| ns.split('.').count()),
            )
        });
        let mut seen = HashSet::new();
        entries.retain(|entry| seen.insert(entry.key.clone()));
        Ok(entries)
    }

    async fn send(&self, request: request::Request) -> Result<Reply, Error> {
        self.shared.send(request, &self.cancel).await
    }
}

/// The certificates of a PEM bundle, at least one.
fn pem_certificates(pem: &str) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, Error> {
    use rustls::pki_types::pem::PemObject as _;
    let certificates = rustls::pki_types::CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| Error::Config(format!("ca_certificate is not valid PEM: {error}")))?;
    if certificates.is_empty() {
        return Err(Error::Config(
            "ca_certificate contains no PEM certificate".to_owned(),
        ));
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::request::{key_path, segment};
    use super::*;

    #[test]
    fn segments_are_fully_percent_encoded() {
        assert_eq!(
            segment("company.team", "namespace").ok().as_deref(),
            Some("company.team")
        );
        assert_eq!(
            segment("My.Key-1_~", "key").ok().as_deref(),
            Some("My.Key-1_~")
        );
        assert_eq!(
            segment("bad$key/x y?é", "key").ok().as_deref(),
            Some("bad%24key%2Fx%20y%3F%C3%A9")
        );
        for refused in ["", ".", ".."] {
            assert!(
                matches!(segment(refused, "key"), Err(Error::InvalidInput(_))),
                "{refused:?}"
            );
        }
        assert!(segment("...", "key").is_ok());
    }

    #[test]
    fn config_is_validated() {
        let build = |url: &str| ClientConfig::from_url(url).and_then(Client::new);
        assert!(matches!(build("ftp://host"), Err(Error::Config(_))));
        assert!(matches!(
            build("http://user:secret@host"),
            Err(Error::Config(_))
        ));
        assert!(matches!(build("http://host/?q=1"), Err(Error::Config(_))));
        let client = build("http://host:8080/kestra/");
        assert_eq!(
            client.as_ref().map(|c| c.shared.base.as_str()).ok(),
            Some("http://host:8080/kestra")
        );
        assert_eq!(client.as_ref().map(|c| c.tenant()).ok(), Some("main"));
        let bad_header = ClientConfig::default().with_header("X-Token", "line\nbreak");
        match Client::new(bad_header) {
            Err(Error::Config(message)) => assert!(!message.contains("line")),
            other => panic!("{other:?}"),
        }
        let bad_pem = ClientConfig::default().with_ca_certificate_pem("not a pem");
        assert!(matches!(Client::new(bad_pem), Err(Error::Config(_))));
    }

    #[test]
    fn tenant_override_shares_the_pool() {
        let client = ClientConfig::from_url("http://host").and_then(Client::new);
        let Ok(client) = client else {
            panic!("client");
        };
        let other = client.with_tenant("acme");
        assert_eq!(other.tenant(), "acme");
        assert_eq!(client.tenant(), "main");
        assert!(Arc::ptr_eq(&client.shared, &other.shared));
        assert_eq!(
            key_path(other.tenant(), "company.team", "k")
                .ok()
                .as_deref(),
            Some("/api/v1/acme/namespaces/company.team/kv/k")
        );
    }
}
