//! Proxies chosen by Go's rules (see `kestra_kv_client::ProxyRules`): requests go through the proxy the
//! environment names, and a failing proxy is named with its variable, not blamed on Kestra.

use kestra_kv_client::{ClientConfig, Error, ProxyRules, RetryPolicy};
use test_support::client::{NS, client};
use test_support::scripted::{Canned, Scripted, json};

/// Rules read from the given variables only.
fn environment(variables: &[(&'static str, String)]) -> ProxyRules {
    let variables = variables.to_vec();
    ProxyRules::from_lookup(|name| {
        variables
            .iter()
            .find(|(variable, _)| *variable == name)
            .map(|(_, value)| value.clone())
    })
    .expect("proxy variables")
}

/// A client of a Kestra that only the proxy reaches (the name resolves nowhere).
fn behind(proxies: ProxyRules) -> kestra_kv_client::Client {
    client(
        ClientConfig::from_url("http://kestra.invalid:8080")
            .expect("url")
            .with_retry(RetryPolicy::disabled())
            .with_proxies(proxies),
    )
}

#[tokio::test]
async fn requests_go_through_the_proxy_of_the_environment() {
    let proxy = Scripted::start(vec![json(200, r#"{"type":"STRING","value":"via proxy"}"#)]).await;
    let kestra = behind(environment(&[("http_proxy", proxy.url.clone())]));
    let stored = kestra.get(NS, "k").await.expect("through the proxy");
    assert_eq!(stored.value.to_text(), "via proxy");
    let request = proxy.only_request();
    assert_eq!(
        request.target,
        "http://kestra.invalid:8080/api/v1/main/namespaces/company.team/kv/k"
    );
}

/// Loopback is never proxied, and NO_PROXY `host:port` entries are honoured.
#[tokio::test]
async fn loopback_and_no_proxy_entries_go_direct() {
    let proxy = Scripted::start(vec![json(200, "{}")]).await;
    let kestra = Scripted::start(vec![json(200, r#"{"type":"STRING","value":"direct"}"#)]).await;
    let direct = client(
        kestra
            .config()
            .with_proxies(environment(&[("HTTP_PROXY", proxy.url.clone())])),
    );
    assert_eq!(
        direct.get(NS, "k").await.expect("direct").value.to_text(),
        "direct"
    );
    let excluded = behind(environment(&[
        ("HTTP_PROXY", proxy.url.clone()),
        ("NO_PROXY", "kestra.invalid:8080".to_owned()),
    ]));
    let error = excluded.get(NS, "k").await.expect_err("no such host");
    assert!(
        matches!(&error, Error::Transport { proxy: None, .. }),
        "{error:?}"
    );
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
}

#[tokio::test]
async fn a_proxy_asking_for_credentials_is_named_with_its_variable() {
    let proxy = Scripted::start(vec![Canned {
        status: 407,
        headers: vec![("proxy-authenticate", "Basic realm=\"corp\"")],
        body: "",
    }])
    .await;
    let kestra = behind(environment(&[("HTTP_PROXY", proxy.url.clone())]));
    let error = kestra.get(NS, "k").await.expect_err("407");
    match &error {
        Error::ProxyAuthentication { proxy: used, .. } => {
            assert_eq!(used.variable(), "HTTP_PROXY");
            assert_eq!(used.address(), proxy.url);
        }
        other => panic!("expected ProxyAuthentication, got {other:?}"),
    }
    assert!(
        error.to_string().contains(&format!(
            "the proxy {} (from HTTP_PROXY) requires authentication",
            proxy.url
        )),
        "{error}"
    );
}

#[tokio::test]
async fn a_refused_proxy_is_named_with_its_variable() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = closed.local_addr().expect("address");
    drop(closed);
    let kestra = behind(environment(&[("http_proxy", format!("{address}"))]));
    let error = kestra.get(NS, "k").await.expect_err("refused");
    match &error {
        Error::Transport {
            proxy: Some(used), ..
        } => {
            assert_eq!(
                used.to_string(),
                format!("http://{address} (from http_proxy)")
            );
        }
        other => panic!("expected a transport error through the proxy, got {other:?}"),
    }
}

/// A proxy variable that names no usable proxy is a configuration error naming it.
#[test]
fn an_unusable_proxy_variable_is_named() {
    let rules = ProxyRules::from_lookup(|name| {
        (name == "HTTPS_PROXY").then(|| "socks5://p:1080".to_owned())
    });
    assert!(rules.is_err_and(|message| message.contains("HTTPS_PROXY")));
}

/// https goes through the proxy's CONNECT tunnel; a 407 there is a failure through the proxy,
/// named with its variable.
#[tokio::test]
async fn a_tunnel_refused_for_credentials_is_named_with_its_variable() {
    let proxy = Scripted::start(vec![Canned {
        status: 407,
        headers: vec![("proxy-authenticate", "Basic realm=\"corp\"")],
        body: "",
    }])
    .await;
    let kestra = client(
        ClientConfig::from_url("https://kestra.invalid")
            .expect("url")
            .with_retry(RetryPolicy::disabled())
            .with_proxies(environment(&[("HTTPS_PROXY", proxy.url.clone())])),
    );
    let error = kestra.get(NS, "k").await.expect_err("407");
    let request = proxy.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("CONNECT", "kestra.invalid:443")
    );
    match &error {
        Error::Transport {
            proxy: Some(used), ..
        } => assert_eq!(used.variable(), "HTTPS_PROXY"),
        other => panic!("expected a transport error through the proxy, got {other:?}"),
    }
    assert!(error.to_string().contains("auth"), "{error}");
}
