//! End to end, real Terraform 1.15.5: what stands between the provider and Kestra. A front
//! answering with HTML (a single sign-on login page, a proxy's page, a web UI at the `url`)
//! fails the apply and no state claims a value the server never got; a CA setting given as a
//! path names where it came from; a failing proxy is named with its variable.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};

use test_support::front::Front;
use test_support::terraform::{TestServer, Workspace, block_on};

const NS: &str = "company.team";
const LOGIN_PAGE: &str =
    "<!DOCTYPE html><html><head><title>Sign in</title></head><body>SSO</body></html>";
const ONE_KV: &str = "resource \"kestra_kv\" \"k\" {\n  namespace = \"company.team\"\n  key = \"k\"\n  value = \"v\"\n}\n";
const ONE_KVS: &str = "resource \"kestra_kvs\" \"all\" {\n  namespace = \"company.team\"\n  values = {\n    \"a\" = \"1\"\n    \"b\" = \"2\"\n  }\n}\n";

/// Which requests the front answers with the login page instead of passing them on.
#[derive(Clone, Copy)]
enum Page {
    /// Every PUT: the writes never reach Kestra.
    OnPuts,
    /// Every read once a PUT went through: the writes reach Kestra, the reads after them not.
    OnReadsAfterAPut,
}

/// A front before the devserver answering the requests `page` names with [`LOGIN_PAGE`].
fn html_front(upstream: &str, page: Page) -> Front {
    let put_seen = AtomicBool::new(false);
    Front::start(upstream, move |request, server| {
        let is_put = request.method == "PUT";
        let html = match page {
            Page::OnPuts => is_put,
            Page::OnReadsAfterAPut => !is_put && put_seen.load(Ordering::SeqCst),
        };
        if html {
            return format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{LOGIN_PAGE}",
                LOGIN_PAGE.len()
            )
            .into_bytes();
        }
        let response = server.forward(&request);
        if is_put {
            put_seen.store(true, Ordering::SeqCst);
        }
        response
    })
}

/// The apply fails with the diagnostic naming the HTML and who sent it.
fn assert_html_diagnostic(out: &str, front: &Front) {
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!(
            "The answer was HTML from {}, not Kestra's API",
            front.address
        )),
        "{out}"
    );
    assert!(
        flat.contains("(a proxy, a login page, or the wrong `url`)"),
        "{out}"
    );
}

fn server_keys(server: &TestServer) -> Vec<String> {
    let listed = block_on(
        server
            .client()
            .list_all(NS, kestra_kv_client::ListOptions::default()),
    )
    .expect("list");
    listed.into_iter().map(|entry| entry.key).collect()
}

/// The keys a `kestra_kvs` of the state claims.
fn claimed(ws: &Workspace, address: &str) -> Vec<String> {
    ws.resource_values(address)["values"]
        .as_object()
        .map(|values| values.keys().cloned().collect())
        .unwrap_or_default()
}

/// A PUT answered `200 text/html` is not a write: both resources fail, the state claims
/// nothing, and the server holds nothing.
#[test]
fn writes_answered_with_an_html_page_fail_and_claim_nothing() {
    let server = TestServer::start();
    let front = html_front(server.url(), Page::OnPuts);
    for (config, address) in [(ONE_KV, "kestra_kv.k"), (ONE_KVS, "kestra_kvs.all")] {
        let ws = Workspace::new(&front.url);
        ws.config(config);
        let out = ws.apply_fails();
        assert_html_diagnostic(&out, &front);
        let state = ws.resource_values(address);
        assert!(
            state.is_null() || claimed(&ws, address).is_empty(),
            "{address} claims what the server never got: {state:#}"
        );
        assert!(server_keys(&server).is_empty(), "nothing reached Kestra");
    }
}

/// The read that records the revisions just written, answered with HTML, fails the apply
/// instead of being passed over.
#[test]
fn the_read_after_a_write_answered_with_an_html_page_fails_the_apply() {
    for (config, address) in [(ONE_KV, "kestra_kv.k"), (ONE_KVS, "kestra_kvs.all")] {
        let server = TestServer::start();
        let front = html_front(server.url(), Page::OnReadsAfterAPut);
        let ws = Workspace::new(&front.url);
        ws.config(config);
        let out = ws.apply_fails();
        assert_html_diagnostic(&out, &front);
        assert!(
            out.contains("reading back key") || out.contains("listing the revisions"),
            "{address}: {out}"
        );
    }
}

/// KESTRA_CA_CERTIFICATE holding a path: the diagnostic names the variable (the attribute is
/// not set) and says to give the content.
#[test]
fn a_ca_certificate_path_in_the_environment_is_named_with_its_variable() {
    let server = TestServer::start();
    let mut ws = Workspace::new(server.url());
    ws.set_env("KESTRA_CA_CERTIFICATE", "/etc/ssl/kestra/ca.pem");
    ws.config(ONE_KV);
    let out = ws.fails(&["plan", "-no-color"]).combined();
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Invalid KESTRA_CA_CERTIFICATE"), "{out}");
    assert!(
        flat.contains("this looks like a path; give the PEM content (`file(...)`)"),
        "{out}"
    );
    assert!(!flat.contains("`ca_certificate` must"), "{out}");
}

/// A proxy that refuses connections is named with the variable it came from; loopback URLs
/// never go through it.
#[test]
fn a_refused_proxy_is_named_and_loopback_is_never_proxied() {
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let proxy = closed.local_addr().expect("address").to_string();
    drop(closed);
    let server = TestServer::start();
    let mut ws = Workspace::new(server.url());
    ws.set_env("HTTP_PROXY", &format!("http://{proxy}"));
    ws.config(ONE_KV);
    ws.apply();
    assert_eq!(server_keys(&server), ["k"]);

    ws.set_env("KESTRA_URL", "http://kestra.invalid:8080");
    ws.set_env("KESTRA_MAX_RETRIES", "0");
    ws.config(&ONE_KV.replace("\"k\"", "\"other\""));
    let out = ws.apply_fails();
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!(
            "Cannot reach Kestra at kestra.invalid:8080 through the proxy http://{proxy}"
        )),
        "{out}"
    );
    assert!(flat.contains("environment variable HTTP_PROXY"), "{out}");
}
