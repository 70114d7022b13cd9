//! Building requests, without sending them: paths (every segment percent-encoded), headers
//! and bodies. Pure functions, so each request is checked without a server.

use http::Method;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::body::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use time::OffsetDateTime;

use crate::config::{Auth, ClientConfig};
use crate::error::Error;
use crate::model::PutOptions;
use crate::value::KvValue;

/// Everything but RFC 3986 unreserved characters is percent-encoded in path segments.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `GET …/kv/inheritance` is a route of its own, shadowing a key of that name (E2+).
pub(super) const INHERITANCE_ROUTE: &str = "inheritance";

/// One request to send (possibly several times), its path from the server root.
#[derive(Debug, Clone)]
pub(super) struct Request {
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) headers: HeaderMap,
    pub(super) body: Option<Bytes>,
}

impl Request {
    fn new(method: Method, path: String) -> Request {
        Request {
            method,
            path,
            headers: HeaderMap::new(),
            body: None,
        }
    }
}

/// `…/namespaces/{namespace}/kv` of a tenant.
pub(super) fn namespace_path(tenant: &str, namespace: &str) -> Result<String, Error> {
    Ok(format!(
        "/api/v1/{}/namespaces/{}/kv",
        segment(tenant, "tenant")?,
        segment(namespace, "namespace")?
    ))
}

/// `…/kv/{key}` of a namespace.
pub(super) fn key_path(tenant: &str, namespace: &str, key: &str) -> Result<String, Error> {
    Ok(format!(
        "{}/{}",
        namespace_path(tenant, namespace)?,
        segment(key, "key")?
    ))
}

/// PUT of a value, with its ttl and description headers.
pub(super) fn put(
    tenant: &str,
    namespace: &str,
    key: &str,
    value: &KvValue,
    opts: &PutOptions,
) -> Result<Request, Error> {
    let mut request = Request::new(Method::PUT, key_path(tenant, namespace, key)?);
    let headers = &mut request.headers;
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    if let Some(ttl) = &opts.ttl {
        let ttl = HeaderValue::from_str(ttl.as_str())
            .map_err(|_| Error::InvalidInput("the ttl is not a valid header value".to_owned()))?;
        headers.insert(HeaderName::from_static("ttl"), ttl);
    }
    if let Some(description) = &opts.description {
        let description = HeaderValue::from_bytes(description.as_bytes()).map_err(|_| {
            Error::InvalidInput(
                "the description cannot contain line breaks or other control characters".to_owned(),
            )
        })?;
        headers.insert(HeaderName::from_static("description"), description);
    }
    request.body = Some(Bytes::from(value.to_body()));
    Ok(request)
}

/// GET of a value.
pub(super) fn get(tenant: &str, namespace: &str, key: &str) -> Result<Request, Error> {
    Ok(Request::new(Method::GET, key_path(tenant, namespace, key)?))
}

/// DELETE of a key.
pub(super) fn delete(tenant: &str, namespace: &str, key: &str) -> Result<Request, Error> {
    Ok(Request::new(
        Method::DELETE,
        key_path(tenant, namespace, key)?,
    ))
}

/// DELETE of several keys of a namespace: a JSON body `{"keys": [...]}`.
pub(super) fn delete_many(tenant: &str, namespace: &str, body: Vec<u8>) -> Result<Request, Error> {
    let mut request = Request::new(Method::DELETE, namespace_path(tenant, namespace)?);
    request.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    request.body = Some(Bytes::from(body));
    Ok(request)
}

/// GET of the keys a namespace inherits.
pub(super) fn inherited(tenant: &str, namespace: &str) -> Result<Request, Error> {
    Ok(Request::new(
        Method::GET,
        format!("{}/{INHERITANCE_ROUTE}", namespace_path(tenant, namespace)?),
    ))
}

/// One page of the global search for the keys of a namespace, sorted by key (only those written
/// at or after `updated_since`, when given).
pub(super) fn search_page(
    tenant: &str,
    namespace: &str,
    updated_since: Option<OffsetDateTime>,
    page: u32,
    size: u32,
) -> Result<Request, Error> {
    let tenant = segment(tenant, "tenant")?;
    let mut path = format!(
        "/api/v1/{tenant}/kv?filters%5Bnamespace%5D%5BEQUALS%5D={}&sort=key%3Aasc&page={page}&size={size}",
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
    Ok(Request::new(Method::GET, path))
}

/// The deprecated unpaged per-namespace list.
pub(super) fn namespace_list(tenant: &str, namespace: &str) -> Result<Request, Error> {
    Ok(Request::new(
        Method::GET,
        namespace_path(tenant, namespace)?,
    ))
}

/// A percent-encoded path segment. Empty and dot-only segments would change the route
/// (`…/kv/` is the list, `..` climbs), so they are refused.
pub(super) fn segment(value: &str, what: &str) -> Result<String, Error> {
    if value.is_empty() || (value.trim_matches('.').is_empty() && value.len() <= 2) {
        return Err(Error::InvalidInput(format!(
            "the {what} cannot be empty, \".\" or \"..\""
        )));
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

/// Authentication and extra headers, all marked sensitive so they never appear in logs.
pub(super) fn default_headers(config: &ClientConfig) -> Result<HeaderMap, Error> {
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
    use crate::KvDuration;

    #[test]
    fn a_put_is_built_without_a_server() {
        let opts = PutOptions {
            ttl: KvDuration::parse("PT5M").ok(),
            description: Some("shared".to_owned()),
        };
        let value = KvValue::string("hello");
        let request = put("main", "company.team", "my key", &value, &opts).unwrap();
        assert_eq!(request.method, Method::PUT);
        assert_eq!(
            request.path,
            "/api/v1/main/namespaces/company.team/kv/my%20key"
        );
        assert_eq!(request.headers["ttl"], "PT5M");
        assert_eq!(request.headers["description"], "shared");
        assert_eq!(
            request.headers[header::CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
        assert_eq!(request.body.as_deref(), Some(&b"\"hello\""[..]));
        assert!(put("main", "..", "k", &value, &opts).is_err());
    }

    #[test]
    fn searches_filter_by_namespace_and_sort_by_key() {
        let request = search_page("main", "a.b", None, 2, 100).unwrap();
        assert_eq!(
            request.path,
            "/api/v1/main/kv?filters%5Bnamespace%5D%5BEQUALS%5D=a.b&sort=key%3Aasc&page=2&size=100"
        );
    }
}
