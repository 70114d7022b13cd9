//! What the client puts on the wire and how it reads shapes the devserver does not produce
//! (older eras, odd bodies), against a scripted loopback HTTP server that records requests.

use std::sync::Arc;
use std::time::Duration;

use kestra_kv_client::{
    Auth, ClientConfig, Error, KvDuration, KvEntry, KvType, KvValue, ListOptions, PutOptions,
    RetryPolicy, StoredValue,
};
use test_support::client::{NS, TestClock, client, client_on, ok};
use test_support::scripted::{Canned, Scripted, empty, json};

#[tokio::test]
async fn put_sends_the_documented_request() {
    let server = Scripted::start(vec![empty(200)]).await;
    let config = server
        .config()
        .with_basic_auth("admin", "pw")
        .with_header("X-Gateway", "gw");
    let opts = PutOptions {
        ttl: KvDuration::parse("PT5M").ok(),
        description: Some("my desc".to_owned()),
    };
    let value = KvValue::string("say \"hi\"\n");
    ok(client(config)
        .put("company.team", "a b/é", &value, &opts)
        .await);

    let request = server.only_request();
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.target,
        "/api/v1/main/namespaces/company.team/kv/a%20b%2F%C3%A9"
    );
    assert_eq!(
        request.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(request.header("ttl"), Some("PT5M"));
    assert_eq!(request.header("description"), Some("my desc"));
    assert_eq!(request.header("authorization"), Some("Basic YWRtaW46cHc="));
    assert_eq!(request.header("x-gateway"), Some("gw"));
    assert_eq!(
        request.header("user-agent"),
        Some(concat!("kestra-kv-client/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(request.body, "\"say \\\"hi\\\"\\n\"");
}

/// An application embedding the client names itself in the User-Agent of every request.
#[tokio::test]
async fn configured_user_agent_is_sent() {
    let server = Scripted::start(vec![json(200, "true")]).await;
    let agent = "terraform-provider-kestra/9.9.9 Terraform/1.6.6";
    ok(client(server.config().with_user_agent(agent))
        .delete("company.team", "k")
        .await);
    assert_eq!(server.only_request().header("user-agent"), Some(agent));
}

/// Kestra served under a path (behind a proxy): every route keeps that prefix, tenant and
/// namespace included, and percent-escapes survive.
#[tokio::test]
async fn server_url_with_a_path_prefixes_every_route() {
    let server = Scripted::start(vec![json(
        200,
        r#"{"type":"STRING","value":"v","revision":1}"#,
    )])
    .await;
    let config = ClientConfig::from_url(&format!("{}/kestra/", server.url))
        .unwrap_or_else(|error| panic!("{error}"))
        .with_tenant("t 1");
    let stored = ok(client(config).get("company.team", "50%").await);
    assert_eq!(stored.value, KvValue::string("v"));
    assert_eq!(
        server.only_request().target,
        "/kestra/api/v1/t%201/namespaces/company.team/kv/50%25"
    );
}

#[tokio::test]
async fn put_without_options_sends_no_ttl_or_description() {
    let server = Scripted::start(vec![empty(200)]).await;
    let config = server
        .config()
        .with_auth(Auth::JwtCookie("jwt-value".to_owned()));
    let value = KvValue::parse(KvType::Datetime, "2022-05-01T05:02:01.123456+02:00");
    let value = value.unwrap_or_else(|error| panic!("{error}"));
    ok(client(config)
        .put(NS, "k", &value, &PutOptions::default())
        .await);
    let request = server.only_request();
    assert_eq!(request.header("ttl"), None);
    assert_eq!(request.header("description"), None);
    assert_eq!(request.header("cookie"), Some("JWT=jwt-value"));
    assert_eq!(request.header("authorization"), None);
    assert_eq!(request.body, "2022-05-01T03:02:01.123Z");
}

#[tokio::test]
async fn descriptions_with_line_breaks_are_refused_before_sending() {
    let server = Scripted::start(vec![empty(200)]).await;
    let opts = PutOptions {
        ttl: None,
        description: Some("two\nlines".to_owned()),
    };
    let result = server
        .client()
        .put(NS, "k", &KvValue::string("v"), &opts)
        .await;
    assert!(matches!(result, Err(Error::InvalidInput(_))), "{result:?}");
    assert!(server.requests().is_empty());
}

/// Lists [`NS`] in pages of `page_size` from a server answering these two search pages.
async fn list_in_pages(page_size: u32, pages: [&'static str; 2]) -> (Vec<KvEntry>, Scripted) {
    let server = Scripted::start(pages.map(|page| json(200, page)).to_vec()).await;
    let options = ListOptions {
        page_size,
        ..ListOptions::default()
    };
    let entries = ok(server.client().list_all(NS, options).await);
    (entries, server)
}

#[tokio::test]
async fn search_query_and_paging() {
    let (entries, server) = list_in_pages(
        2,
        [
            r#"{"results":[{"namespace":"company.team","key":"a","version":3},
                {"namespace":"company.other","key":"stray"}],"total":3}"#,
            r#"{"results":[{"namespace":"company.team","key":"b"}],"total":3}"#,
        ],
    )
    .await;
    let keys: Vec<(&str, Option<i64>)> = entries
        .iter()
        .map(|entry| (entry.key.as_str(), entry.revision))
        .collect();
    assert_eq!(
        keys,
        [("a", Some(3)), ("b", None)],
        "entries of other namespaces are dropped"
    );
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/api/v1/main/kv?filters%5Bnamespace%5D%5BEQUALS%5D=company.team&sort=key%3Aasc&page=1&size=2",
            "/api/v1/main/kv?filters%5Bnamespace%5D%5BEQUALS%5D=company.team&sort=key%3Aasc&page=2&size=2",
        ]
    );
}

#[tokio::test]
async fn paging_follows_total_when_the_server_serves_smaller_pages() {
    let (entries, server) = list_in_pages(
        1000,
        [
            r#"{"results":[{"namespace":"company.team","key":"a"}],"total":2}"#,
            r#"{"results":[{"namespace":"company.team","key":"b"}],"total":2}"#,
        ],
    )
    .await;
    let keys: Vec<&str> = entries.iter().map(|entry| entry.key.as_str()).collect();
    assert_eq!(
        keys,
        ["a", "b"],
        "a page shorter than asked for is not the end while total says more"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn listing_falls_back_to_the_per_namespace_list() {
    for status in [404, 405] {
        let server = Scripted::start(vec![
            json(status, r#"{"message":"Not Found"}"#),
            json(
                200,
                r#"[{"key":"zeta","creationDate":"2024-07-27T06:10:33.422Z"},{"key":"alpha"}]"#,
            ),
        ])
        .await;
        let entries = ok(server.client().list_all(NS, ListOptions::default()).await);
        let keys: Vec<(&str, Option<&str>)> = entries
            .iter()
            .map(|entry| (entry.key.as_str(), entry.namespace.as_deref()))
            .collect();
        assert_eq!(keys, [("alpha", Some(NS)), ("zeta", Some(NS))]);
        let requests = server.requests();
        assert_eq!(
            requests.get(1).map(|r| r.target.as_str()),
            Some("/api/v1/main/namespaces/company.team/kv")
        );
    }
}

#[tokio::test]
async fn grouped_inheritance_of_older_servers() {
    let server = Scripted::start(vec![json(
        200,
        r#"[{"namespace":"a.b.c","kvEntries":[{"key":"own"}]},
            {"namespace":"a.b","kvEntries":[{"key":"shared"},{"key":"mid"}]},
            {"namespace":"a","kvEntries":[{"key":"shared"},{"key":"top"}]}]"#,
    )])
    .await;
    let entries = ok(server.client().inherited("a.b.c").await);
    let seen: Vec<(&str, Option<&str>)> = entries
        .iter()
        .map(|entry| (entry.key.as_str(), entry.namespace.as_deref()))
        .collect();
    assert_eq!(
        seen,
        [
            ("shared", Some("a.b")),
            ("mid", Some("a.b")),
            ("top", Some("a"))
        ]
    );
    assert_eq!(
        server.only_request().target,
        "/api/v1/main/namespaces/a.b.c/kv/inheritance"
    );
}

/// Answers 503 (with these headers) `failures` times, then a BOOLEAN; the client retries
/// without jitter on a [`TestClock`], which is returned with the value read and the server.
async fn read_through_failures(
    failures: usize,
    headers: Vec<(&'static str, &'static str)>,
    initial_backoff: Duration,
    max_backoff: Duration,
) -> (StoredValue, Arc<TestClock>, Scripted) {
    let unavailable = Canned {
        status: 503,
        headers,
        body: "",
    };
    let mut script = vec![unavailable; failures];
    script.push(json(200, r#"{"type":"BOOLEAN","value":true}"#));
    let server = Scripted::start(script).await;
    let retry = RetryPolicy {
        max_retries: u32::try_from(failures).unwrap() + 1,
        initial_backoff,
        max_backoff,
        jitter: false,
    };
    let clock = Arc::new(TestClock::default());
    let stored = ok(client_on(server.config().with_retry(retry), clock.clone())
        .get(NS, "k")
        .await);
    (stored, clock, server)
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let (stored, clock, server) = read_through_failures(
        1,
        vec![("retry-after", "1")],
        Duration::from_millis(1),
        Duration::from_secs(3),
    )
    .await;
    let waited = clock.waited();
    assert_eq!(stored.value.to_text(), "true");
    assert!(waited >= Duration::from_millis(990), "{waited:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    assert_eq!(server.requests().len(), 2);
}

/// Retries wait through the client's clock: exponential backoff from the policy, nothing slept
/// for real.
#[tokio::test]
async fn backoff_waits_go_through_the_injected_clock() {
    let seconds = Duration::from_secs;
    let (stored, clock, server) = read_through_failures(3, vec![], seconds(10), seconds(25)).await;
    assert_eq!(stored.value.to_text(), "true");
    assert_eq!(clock.waits(), [seconds(10), seconds(20), seconds(25)]);
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn error_bodies_of_every_kind() {
    let server = Scripted::start(vec![
        Canned {
            status: 403,
            headers: vec![("content-type", "application/problem+json")],
            body: r#"{"type":"https://kestra.io/docs/api-reference/problems/forbidden","title":"Access denied","status":403}"#,
        },
        Canned {
            status: 500,
            headers: vec![("content-type", "text/html")],
            body: "<h1>boom</h1>",
        },
        json(
            422,
            r#"{"message":"Invalid entity: bad","_embedded":{"errors":[{"message":"keys: must be a list"}]}}"#,
        ),
    ])
    .await;
    let client = server.client();
    match client.get(NS, "k").await {
        Err(error @ Error::Forbidden { .. }) => {
            assert!(error.to_string().contains("KVSTORE"), "{error}");
            assert!(error.to_string().contains("Access denied"), "{error}");
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
    match client.get(NS, "k").await {
        Err(Error::Server {
            status: 500,
            message,
            attempts: 1,
            ..
        }) => assert_eq!(message, "<h1>boom</h1>"),
        other => panic!("expected a 500, got {other:?}"),
    }
    match client.delete_many(NS, &["k".to_owned()]).await {
        Err(Error::Invalid {
            status: 422,
            message,
            ..
        }) => {
            assert_eq!(message, "Invalid entity: bad (keys: must be a list)");
        }
        other => panic!("expected a 422, got {other:?}"),
    }
}

#[tokio::test]
async fn bulk_delete_request_and_malformed_success_bodies() {
    let server = Scripted::start(vec![
        json(200, r#"{"keys":["a"]}"#),
        json(200, r#"{"type":"NUMBER","value":"not a number"}"#),
        json(200, "maybe"),
        json(200, r#"{"results":"nope"}"#),
    ])
    .await;
    let client = server.client();
    let deleted = ok(client
        .delete_many(NS, &["a".to_owned(), "b".to_owned()])
        .await);
    assert_eq!(deleted, ["a"]);
    let request = server.requests().into_iter().next();
    let request = request.unwrap_or_else(|| panic!("no request"));
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.target, "/api/v1/main/namespaces/company.team/kv");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.body, r#"{"keys":["a","b"]}"#);

    for result in [
        client.get(NS, "k").await.map(|_| ()),
        client.delete(NS, "k").await.map(|_| ()),
        client
            .list_all(NS, ListOptions::default())
            .await
            .map(|_| ()),
    ] {
        assert!(matches!(result, Err(Error::Decode { .. })), "{result:?}");
    }
}
