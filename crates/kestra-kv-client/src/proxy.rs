//! Which proxy a request goes through, by the rules of Go's `httpproxy.FromEnvironment`, which
//! Terraform itself and the other providers follow, so one environment means the same everywhere:
//!
//! - `HTTPS_PROXY` for https URLs, `HTTP_PROXY` for http URLs (the upper-case name wins over the
//!   lower-case one; an empty value counts as unset); a value without a scheme is `http://`;
//! - `localhost` and loopback addresses are never proxied;
//! - `NO_PROXY` (or `no_proxy`) is a comma-separated list of `*` (nothing is proxied), IP
//!   addresses, CIDR ranges, and host names that also match their subdomains (`example.com`,
//!   `.example.com` and `*.example.com` alike), each optionally with a `:port`.
//!
//! Pure: the environment comes in as a lookup function, so every rule is tested without
//! touching the process environment.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use ipnet::IpNet;
use url::{Host, Url};

/// A proxy and the environment variable that named it (shared: errors carry it cheaply).
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUse(Arc<NamedProxy>);

#[derive(PartialEq, Eq)]
struct NamedProxy {
    /// Credentials included: they are sent to the proxy, never shown.
    url: Url,
    variable: &'static str,
}

impl ProxyUse {
    /// The proxy's URL, credentials included.
    pub fn url(&self) -> &Url {
        &self.0.url
    }

    /// The variable it came from, as spelled in the environment (e.g. `https_proxy`).
    pub fn variable(&self) -> &'static str {
        self.0.variable
    }

    /// `scheme://host:port` of the proxy, without credentials.
    pub fn address(&self) -> String {
        let url = self.url();
        let host = url.host_str().unwrap_or_default();
        match url.port_or_known_default() {
            Some(port) => format!("{}://{host}:{port}", url.scheme()),
            None => format!("{}://{host}", url.scheme()),
        }
    }
}

impl fmt::Display for ProxyUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (from {})", self.address(), self.variable())
    }
}

impl fmt::Debug for ProxyUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProxyUse({self})")
    }
}

/// The proxies of an environment and the hosts that bypass them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyRules {
    http: Option<ProxyUse>,
    https: Option<ProxyUse>,
    no_proxy: NoProxy,
}

impl ProxyRules {
    /// The rules of this process' environment; `Err` names the variable whose value is no proxy
    /// URL the client can use.
    pub fn from_env() -> Result<ProxyRules, String> {
        ProxyRules::from_lookup(|name| std::env::var(name).ok())
    }

    /// The rules of the environment that `lookup` reads.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<ProxyRules, String> {
        let first_set = |names: [&'static str; 2]| {
            names.into_iter().find_map(|name| {
                lookup(name)
                    .filter(|value| !value.is_empty())
                    .map(|value| (name, value))
            })
        };
        let proxy = |names| first_set(names).map(|(name, value)| parse_proxy(name, &value));
        Ok(ProxyRules {
            http: proxy(["HTTP_PROXY", "http_proxy"]).transpose()?,
            https: proxy(["HTTPS_PROXY", "https_proxy"]).transpose()?,
            no_proxy: first_set(["NO_PROXY", "no_proxy"])
                .map(|(_, value)| NoProxy::parse(&value))
                .unwrap_or_default(),
        })
    }

    /// Whether no request is ever proxied.
    pub fn is_empty(&self) -> bool {
        self.http.is_none() && self.https.is_none()
    }

    /// The proxy a request to `url` goes through, if any.
    pub fn proxy_for(&self, url: &Url) -> Option<&ProxyUse> {
        let proxy = match url.scheme() {
            "https" => self.https.as_ref(),
            "http" => self.http.as_ref(),
            _ => None,
        }?;
        (!self.no_proxy.bypasses(url)).then_some(proxy)
    }
}

/// A proxy URL as Go reads one: a value without a scheme (`proxy:3128`) is `http://`.
fn parse_proxy(variable: &'static str, value: &str) -> Result<ProxyUse, String> {
    let url = match Url::parse(value) {
        Ok(url) if url.has_host() => url,
        _ => Url::parse(&format!("http://{value}")).map_err(|error| {
            format!(
                "{variable} is not a proxy URL ({error}); expected e.g. http://proxy.example:3128"
            )
        })?,
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "{variable} names a {} proxy; only http:// and https:// proxies are supported",
            url.scheme()
        ));
    }
    Ok(ProxyUse(Arc::new(NamedProxy { url, variable })))
}

/// The entries of `NO_PROXY`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct NoProxy {
    /// `*`: no request is proxied.
    all: bool,
    addresses: Vec<(IpAddr, Option<String>)>,
    ranges: Vec<IpNet>,
    domains: Vec<DomainMatch>,
}

/// A host name entry: `suffix` starts with a dot; `exact` also matches the name itself (the
/// entry had no leading dot or `*.`, as Go reads it).
#[derive(Debug, Clone, PartialEq, Eq)]
struct DomainMatch {
    suffix: String,
    exact: bool,
    port: Option<String>,
}

impl NoProxy {
    fn parse(value: &str) -> NoProxy {
        let mut no_proxy = NoProxy::default();
        for entry in value.split(',') {
            let entry = entry.trim().to_ascii_lowercase();
            if entry.is_empty() {
                continue;
            }
            if entry == "*" {
                return NoProxy {
                    all: true,
                    ..NoProxy::default()
                };
            }
            if let Ok(range) = entry.parse::<IpNet>() {
                no_proxy.ranges.push(range);
                continue;
            }
            let (host, port) = split_host_port(&entry);
            if host.is_empty() {
                continue;
            }
            if let Ok(address) = host.parse::<IpAddr>() {
                no_proxy.addresses.push((address, port));
                continue;
            }
            let host = host.strip_prefix('*').unwrap_or(host);
            let (suffix, exact) = match host.strip_prefix('.') {
                Some(_) => (host.to_owned(), false),
                None => (format!(".{host}"), true),
            };
            // International names compare in their ASCII form, as `Url` holds hosts.
            let suffix = match Host::parse(suffix.trim_start_matches('.')) {
                Ok(Host::Domain(ascii)) => format!(".{ascii}"),
                _ => suffix,
            };
            no_proxy.domains.push(DomainMatch {
                suffix,
                exact,
                port,
            });
        }
        no_proxy
    }

    /// Whether a request to `url` goes direct.
    fn bypasses(&self, url: &Url) -> bool {
        let port = url
            .port_or_known_default()
            .map(|port| port.to_string())
            .unwrap_or_default();
        let port_matches = |wanted: &Option<String>| wanted.as_ref().is_none_or(|p| *p == port);
        let (name, address) = match url.host() {
            Some(Host::Domain(name)) => (name.to_owned(), None),
            Some(Host::Ipv4(address)) => (address.to_string(), Some(IpAddr::V4(address))),
            Some(Host::Ipv6(address)) => (address.to_string(), Some(IpAddr::V6(address))),
            None => return false,
        };
        if name == "localhost" || address.is_some_and(|address| address.is_loopback()) {
            return true;
        }
        if self.all {
            return true;
        }
        if let Some(address) = address
            && (self.ranges.iter().any(|range| range.contains(&address))
                || self
                    .addresses
                    .iter()
                    .any(|(entry, wanted)| *entry == address && port_matches(wanted)))
        {
            return true;
        }
        self.domains.iter().any(|domain| {
            (name.ends_with(&domain.suffix) || (domain.exact && name == domain.suffix[1..]))
                && port_matches(&domain.port)
        })
    }
}

/// `host:port`, `[v6]:port` or a bare host (an IPv6 address has several colons and no port).
fn split_host_port(entry: &str) -> (&str, Option<String>) {
    if let Some(rest) = entry.strip_prefix('[')
        && let Some((host, after)) = rest.split_once(']')
    {
        return (host, after.strip_prefix(':').map(str::to_owned));
    }
    match entry.split_once(':') {
        Some((host, port)) if !port.contains(':') => (host, Some(port.to_owned())),
        _ => (entry, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(variables: &[(&str, &str)]) -> ProxyRules {
        let owned: Vec<(String, String)> = variables
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        ProxyRules::from_lookup(|name| {
            owned
                .iter()
                .find(|(variable, _)| variable == name)
                .map(|(_, value)| value.clone())
        })
        .unwrap_or_else(|error| panic!("{error}"))
    }

    /// The proxy's address and variable for `url`, or `None` when it goes direct.
    fn route(rules: &ProxyRules, url: &str) -> Option<String> {
        let url = Url::parse(url).unwrap_or_else(|error| panic!("{url}: {error}"));
        rules.proxy_for(&url).map(ToString::to_string)
    }

    #[test]
    fn each_scheme_has_its_variable_and_upper_case_wins() {
        let both = rules(&[
            ("HTTP_PROXY", "http://plain:3128"),
            ("https_proxy", "http://lower:3128"),
            ("HTTPS_PROXY", "secure:8443"),
        ]);
        assert_eq!(
            route(&both, "http://kestra.example:8080").as_deref(),
            Some("http://plain:3128 (from HTTP_PROXY)")
        );
        assert_eq!(
            route(&both, "https://kestra.example").as_deref(),
            Some("http://secure:8443 (from HTTPS_PROXY)")
        );
        let lower = rules(&[("HTTPS_PROXY", ""), ("https_proxy", "http://lower:3128")]);
        assert_eq!(
            route(&lower, "https://kestra.example").as_deref(),
            Some("http://lower:3128 (from https_proxy)")
        );
        assert_eq!(route(&lower, "http://kestra.example"), None);
        assert!(rules(&[]).is_empty());
    }

    #[test]
    fn loopback_is_never_proxied() {
        let all = rules(&[("HTTP_PROXY", "http://proxy:3128")]);
        for url in [
            "http://localhost:8080",
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:8080",
        ] {
            assert_eq!(route(&all, url), None, "{url}");
        }
        assert!(route(&all, "http://localhost.example").is_some());
        assert!(route(&all, "http://10.0.0.1").is_some());
    }

    #[test]
    fn no_proxy_entries_match_as_go_reads_them() {
        let rules = rules(&[
            ("HTTP_PROXY", "http://proxy:3128"),
            (
                "no_proxy",
                " example.com, .dot.test,*.star.test , 10.0.0.0/8,192.168.1.1, kestra.internal:8080, [2001:db8::1]:80,fd00::/8, bücher.test",
            ),
        ]);
        let direct = [
            "http://example.com",
            "http://api.example.com",
            "http://a.dot.test",
            "http://a.star.test",
            "http://10.20.30.40",
            "http://192.168.1.1:9000",
            "http://kestra.internal:8080",
            "http://[2001:db8::1]",
            "http://[fd00::5]",
            "http://xn--bcher-kva.test",
        ];
        for url in direct {
            assert_eq!(route(&rules, url), None, "{url}");
        }
        let proxied = [
            "http://notexample.com",
            "http://dot.test",
            "http://star.test",
            "http://11.0.0.1",
            "http://192.168.1.2",
            "http://kestra.internal:8081",
            "http://kestra.internal",
            "http://[2001:db8::1]:8080",
        ];
        for url in proxied {
            assert!(route(&rules, url).is_some(), "{url}");
        }
    }

    #[test]
    fn a_star_disables_every_proxy() {
        let rules = rules(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("NO_PROXY", "example.com,*"),
        ]);
        assert_eq!(route(&rules, "https://anything.test"), None);
    }

    #[test]
    fn proxy_values_are_checked_and_shown_without_credentials() {
        let with_credentials = rules(&[("HTTPS_PROXY", "http://user:secret@proxy:3128")]);
        let shown = route(&with_credentials, "https://kestra.example").unwrap_or_default();
        assert_eq!(shown, "http://proxy:3128 (from HTTPS_PROXY)");
        let proxy = with_credentials
            .proxy_for(&Url::parse("https://kestra.example").unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(proxy.map(|p| p.url().password()), Some(Some("secret")));
        assert!(!format!("{with_credentials:?}").contains("secret"));
        let socks = ProxyRules::from_lookup(|name| {
            (name == "HTTPS_PROXY").then(|| "socks5://proxy:1080".to_owned())
        });
        assert!(
            socks
                .as_ref()
                .is_err_and(|error| error.contains("HTTPS_PROXY") && error.contains("socks5")),
            "{socks:?}"
        );
    }
}
