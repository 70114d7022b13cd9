//! The Kestra KV HTTP client: one connection pool, typed results, retries of idempotent calls.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use http::Method;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::body::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use time::OffsetDateTime;
use url::Url;

use super::config::{Auth, ClientConfig};
use super::error::{Error, RequestInfo, tls_failure};
use super::model::{
    KvEntry, ListOptions, MAX_PAGE_SIZE, PutOptions, StoredValue, WireDetail, WireEntry,
    WireSearchPage, inheritance_groups, json_to_u64,
};
use super::retry::{RetryPolicy, is_retryable_status, parse_retry_after};
use super::value::KvValue;

/// Everything but RFC 3986 unreserved characters is percent-encoded in path segments.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `GET …/kv/inheritance` is a route of its own, shadowing a key of that name (E2+).
const INHERITANCE_ROUTE: &str = "inheritance";

/// A Kestra KV client. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    tenant: Arc<str>,
}

struct Shared {
    http: reqwest::Client,
    /// Server root without a trailing `/`, e.g. `http://host:8080/kestra`.
    base: String,
    /// `base`'s origin, parsed once: request URLs are joined onto it, so the host is not
    /// parsed (and IDNA-mapped) again for every request.
    origin: Url,
    /// Path part of `base` (e.g. `/kestra`), prefixed to paths reported in errors.
    base_path: String,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.shared.base)
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

/// One request to send (possibly several times).
struct Outgoing {
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Option<Bytes>,
}

/// The final response of a request, after retries. Error details are only built on failure.
struct Reply {
    status: u16,
    content_type: Option<HeaderValue>,
    body: Bytes,
    attempts: u32,
    method: Method,
    /// Path from the server root, as reported in errors.
    path: String,
}

impl Reply {
    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn request(&self) -> RequestInfo {
        RequestInfo {
            method: self.method.clone(),
            path: self.path.clone(),
            status: Some(self.status),
        }
    }

    fn decode_error(&self, message: String) -> Error {
        Error::Decode {
            message,
            request: self.request(),
        }
    }

    fn to_error(&self) -> Error {
        Error::from_status(
            self.request(),
            self.status,
            self.content_type
                .as_ref()
                .and_then(|value| value.to_str().ok()),
            &self.body,
            self.attempts,
        )
    }

    /// The body as `T` on success, else the error for the status.
    fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        if !self.is_success() {
            return Err(self.to_error());
        }
        serde_json::from_slice(&self.body).map_err(|error| self.decode_error(error.to_string()))
    }
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, Error> {
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
        if let Some(pem) = &config.ca_certificate_pem {
            let certificates =
                reqwest::Certificate::from_pem_bundle(pem.as_bytes()).map_err(|error| {
                    Error::Config(format!("ca_certificate is not valid PEM: {error}"))
                })?;
            if certificates.is_empty() {
                return Err(Error::Config(
                    "ca_certificate contains no PEM certificate".to_owned(),
                ));
            }
            builder = builder.tls_certs_merge(certificates);
        }
        if config.insecure_skip_verify {
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        let http = builder
            .build()
            .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?;
        Ok(Client {
            shared: Arc::new(Shared {
                http,
                base,
                origin: origin_url,
                base_path,
                retry: config.retry,
            }),
            tenant: Arc::from(config.tenant.as_str()),
        })
    }

    /// The same client (same pool) addressing another tenant.
    pub fn with_tenant(&self, tenant: &str) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            tenant: Arc::from(tenant),
        }
    }

    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// `host:port` of the server, for diagnostics.
    pub fn server(&self) -> String {
        let origin = &self.shared.origin;
        let host = origin.host_str().unwrap_or_default();
        match origin.port_or_known_default() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }

    /// Writes (creates or replaces) a value. Idempotent, so retried like a read.
    pub async fn put(
        &self,
        namespace: &str,
        key: &str,
        value: &KvValue,
        opts: &PutOptions,
    ) -> Result<(), Error> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        if let Some(ttl) = &opts.ttl {
            let ttl = HeaderValue::from_str(ttl.as_str()).map_err(|_| {
                Error::InvalidInput("the ttl is not a valid header value".to_owned())
            })?;
            headers.insert(HeaderName::from_static("ttl"), ttl);
        }
        if let Some(description) = &opts.description {
            let description = HeaderValue::from_bytes(description.as_bytes()).map_err(|_| {
                Error::InvalidInput(
                    "the description cannot contain line breaks or other control characters"
                        .to_owned(),
                )
            })?;
            headers.insert(HeaderName::from_static("description"), description);
        }
        let reply = self
            .execute(Outgoing {
                method: Method::PUT,
                path: self.key_path(namespace, key)?,
                headers,
                body: Some(Bytes::from(value.to_body())),
            })
            .await?;
        if reply.is_success() {
            Ok(())
        } else {
            Err(reply.to_error())
        }
    }

    /// Reads a value: `Error::NotFound` (404) or `Error::Expired` (410) when absent.
    pub async fn get(&self, namespace: &str, key: &str) -> Result<StoredValue, Error> {
        let reply = self
            .execute(Outgoing {
                method: Method::GET,
                path: self.key_path(namespace, key)?,
                headers: HeaderMap::new(),
                body: None,
            })
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
            .execute(Outgoing {
                method: Method::DELETE,
                path: self.key_path(namespace, key)?,
                headers: HeaderMap::new(),
                body: None,
            })
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
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let reply = self
            .execute(Outgoing {
                method: Method::DELETE,
                path: self.namespace_path(namespace)?,
                headers,
                body: Some(Bytes::from(body)),
            })
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
            .execute(Outgoing {
                method: Method::GET,
                path: format!("{}/{INHERITANCE_ROUTE}", self.namespace_path(namespace)?),
                headers: HeaderMap::new(),
                body: None,
            })
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

    fn namespace_path(&self, namespace: &str) -> Result<String, Error> {
        Ok(format!(
            "/api/v1/{}/namespaces/{}/kv",
            segment(&self.tenant, "tenant")?,
            segment(namespace, "namespace")?
        ))
    }

    fn key_path(&self, namespace: &str, key: &str) -> Result<String, Error> {
        Ok(format!(
            "{}/{}",
            self.namespace_path(namespace)?,
            segment(key, "key")?
        ))
    }

    /// A path as reported in errors: from the server root, including any base path.
    fn reported_path(&self, path: String) -> String {
        if self.shared.base_path.is_empty() {
            path
        } else {
            format!("{}{path}", self.shared.base_path)
        }
    }

    /// Sends a request, retrying on connection errors and 429/502/503/504 as the policy allows.
    /// Every call here is idempotent (GET, PUT upsert, DELETE).
    async fn execute(&self, outgoing: Outgoing) -> Result<Reply, Error> {
        let Outgoing {
            method,
            path,
            headers,
            body,
        } = outgoing;
        let url = self
            .shared
            .origin
            .join(&format!("{}{path}", self.shared.base_path))
            .map_err(|error| {
                Error::InvalidInput(format!("cannot build the request URL: {error}"))
            })?;
        let policy = &self.shared.retry;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let started = Instant::now();
            let mut request = self
                .shared
                .http
                .request(method.clone(), url.clone())
                .headers(headers.clone());
            if let Some(body) = &body {
                request = request.body(body.clone());
            }
            let outcome = match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
                    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
                    response
                        .bytes()
                        .await
                        .map(|body| (status, content_type, retry_after, body))
                }
                Err(error) => Err(error),
            };
            let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let can_retry = attempt <= policy.max_retries;
            match outcome {
                Ok((status, content_type, retry_after, body)) => {
                    tracing::debug!(%method, %path, status, duration_ms, attempt, "Kestra request");
                    if can_retry && is_retryable_status(status) {
                        let requested = retry_after
                            .as_ref()
                            .and_then(|value| value.to_str().ok())
                            .and_then(|value| parse_retry_after(value, OffsetDateTime::now_utc()));
                        let delay = policy.delay(attempt - 1, requested, &mut rand::rng());
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    return Ok(Reply {
                        status,
                        content_type,
                        body,
                        attempts: attempt,
                        path: self.reported_path(path),
                        method,
                    });
                }
                Err(error) => {
                    tracing::debug!(%method, %path, duration_ms, attempt, "Kestra request failed without a response");
                    if can_retry && !error.is_builder() && tls_failure(&error).is_none() {
                        let delay = policy.delay(attempt - 1, None, &mut rand::rng());
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    let request = RequestInfo {
                        path: self.reported_path(path),
                        method,
                        status: None,
                    };
                    return Err(Error::transport(error, attempt, request, self.server()));
                }
            }
        }
    }
}

/// Where a listing is.
enum ListPosition {
    Search { page: u32, seen: u64 },
    Done,
}

struct ListCursor {
    client: Client,
    namespace: String,
    page_size: u32,
    updated_since: Option<OffsetDateTime>,
    position: ListPosition,
}

impl ListCursor {
    /// The next page of entries and the cursor after it; `None` once the listing is over.
    async fn next_page(mut self) -> Option<(Result<Vec<KvEntry>, Error>, ListCursor)> {
        let ListPosition::Search { page, seen } = self.position else {
            return None;
        };
        self.position = ListPosition::Done;
        let result = match self
            .client
            .search_page(&self.namespace, self.updated_since, page, self.page_size)
            .await
        {
            Ok(found) => {
                let seen = seen.saturating_add(found.count);
                // `total` decides when the server reports it, so a server that serves smaller
                // pages than asked for is still read to the end.
                let more = found.count > 0
                    && match found.total {
                        Some(total) => seen < total,
                        None => found.count >= u64::from(self.page_size),
                    };
                if let (true, Some(next)) = (more, page.checked_add(1)) {
                    self.position = ListPosition::Search { page: next, seen };
                }
                // A server that ignores the namespace filter must not leak other namespaces.
                let mut entries = found.entries;
                entries.retain(|entry| {
                    entry
                        .namespace
                        .as_deref()
                        .is_none_or(|ns| ns == self.namespace)
                });
                Ok(entries)
            }
            Err(error) if page == 1 && matches!(error.status(), Some(404 | 405)) => {
                self.client.legacy_namespace_list(&self.namespace).await
            }
            Err(error) => Err(error),
        };
        Some((result, self))
    }
}

/// One page of the global search.
struct SearchPage {
    entries: Vec<KvEntry>,
    /// Entries the server returned, before any filtering.
    count: u64,
    total: Option<u64>,
}

impl Client {
    fn search_path(&self) -> String {
        format!(
            "/api/v1/{}/kv",
            utf8_percent_encode(&self.tenant, PATH_SEGMENT)
        )
    }

    async fn search_page(
        &self,
        namespace: &str,
        updated_since: Option<OffsetDateTime>,
        page: u32,
        size: u32,
    ) -> Result<SearchPage, Error> {
        segment(&self.tenant, "tenant")?;
        let mut path = format!(
            "{}?filters%5Bnamespace%5D%5BEQUALS%5D={}&sort=key%3Aasc&page={page}&size={size}",
            self.search_path(),
            utf8_percent_encode(namespace, PATH_SEGMENT)
        );
        if let Some(since) = updated_since {
            let since = since
                .to_offset(time::UtcOffset::UTC)
                .format(&time::format_description::well_known::Rfc3339)
                .map_err(|error| Error::InvalidInput(format!("cannot format a date: {error}")))?;
            path.push_str(&format!(
                "&filters%5Bupdated%5D%5BGREATER_THAN_OR_EQUAL_TO%5D={}",
                utf8_percent_encode(&since, PATH_SEGMENT)
            ));
        }
        let reply = self
            .execute(Outgoing {
                method: Method::GET,
                path,
                headers: HeaderMap::new(),
                body: None,
            })
            .await?;
        let found: WireSearchPage = reply.decode()?;
        let count = u64::try_from(found.results.len()).unwrap_or(u64::MAX);
        let entries = found
            .results
            .into_iter()
            .map(WireEntry::into_entry)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|message| reply.decode_error(message))?;
        Ok(SearchPage {
            entries,
            count,
            total: json_to_u64(found.total.as_ref()),
        })
    }

    /// The deprecated unpaged per-namespace list (E1–E3), sorted like the search.
    async fn legacy_namespace_list(&self, namespace: &str) -> Result<Vec<KvEntry>, Error> {
        let reply = self
            .execute(Outgoing {
                method: Method::GET,
                path: self.namespace_path(namespace)?,
                headers: HeaderMap::new(),
                body: None,
            })
            .await?;
        let wires: Vec<WireEntry> = reply.decode()?;
        let mut entries = wires
            .into_iter()
            .map(|wire| {
                wire.into_entry().map(|mut entry| {
                    entry.namespace.get_or_insert_with(|| namespace.to_owned());
                    entry
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|message| reply.decode_error(message))?;
        entries.sort_by(|left, right| left.key.cmp(&right.key));
        Ok(entries)
    }
}

/// A percent-encoded path segment. Empty and dot-only segments would change the route
/// (`…/kv/` is the list, `..` climbs), so they are refused.
fn segment(value: &str, what: &str) -> Result<String, Error> {
    if value.is_empty() || (value.trim_matches('.').is_empty() && value.len() <= 2) {
        return Err(Error::InvalidInput(format!(
            "the {what} cannot be empty, \".\" or \"..\""
        )));
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

/// Authentication and extra headers, all marked sensitive so they never appear in logs.
fn default_headers(config: &ClientConfig) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    let secret = |text: String, what: &str| {
        HeaderValue::from_str(&text)
            .map(|mut value| {
                value.set_sensitive(true);
                value
            })
            .map_err(|_| {
                Error::Config(format!(
                    "the {what} contains characters not allowed in an HTTP header"
                ))
            })
    };
    match &config.auth {
        Auth::None => {}
        Auth::Basic { username, password } => {
            use base64::Engine as _;
            let encoded =
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
            headers.insert(
                header::AUTHORIZATION,
                secret(format!("Basic {encoded}"), "username/password")?,
            );
        }
        Auth::Bearer(token) => {
            headers.insert(
                header::AUTHORIZATION,
                secret(format!("Bearer {token}"), "API token")?,
            );
        }
        Auth::JwtCookie(jwt) => {
            headers.insert(header::COOKIE, secret(format!("JWT={jwt}"), "JWT")?);
        }
    }
    for (name, value) in &config.extra_headers {
        let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            Error::Config(format!(
                "extra header name {name:?} is not a valid HTTP header name"
            ))
        })?;
        headers.append(
            header_name,
            secret(value.clone(), &format!("value of extra header {name:?}"))?,
        );
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
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
            other.key_path("company.team", "k").ok().as_deref(),
            Some("/api/v1/acme/namespaces/company.team/kv/k")
        );
    }
}
