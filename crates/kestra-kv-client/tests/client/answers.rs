//! Success statuses whose answers are not Kestra's: an HTML page (a single sign-on front, a
//! proxy, a web UI at the `url`), a body of the wrong shape, a redirect. Each is an error that
//! says what came back, never a success.

use kestra_kv_client::{Error, KvValue, ListOptions, PutOptions};
use test_support::client::NS;
use test_support::scripted::{Canned, Scripted, empty, json};

const LOGIN_PAGE: &str = "<!DOCTYPE html>\n<html>\n  <head><title>Sign in</title></head>\n  <body>Single sign-on</body>\n</html>\n";

fn html(status: u16, headers: Vec<(&'static str, &'static str)>) -> Canned {
    Canned {
        status,
        headers,
        body: LOGIN_PAGE,
    }
}

fn server_of(url: &str) -> String {
    url.trim_start_matches("http://").to_owned()
}

/// A PUT answered `200 text/html` was never received by Kestra: it fails, naming the server.
#[tokio::test]
async fn a_put_answered_with_an_html_page_fails() {
    let server = Scripted::start(vec![html(
        200,
        vec![("content-type", "text/html; charset=utf-8")],
    )])
    .await;
    let expected = server_of(&server.url);
    let result = server
        .client()
        .put(NS, "k", &KvValue::string("v"), &PutOptions::default())
        .await;
    match &result {
        Err(
            error @ Error::NotKestra {
                server: answered_by,
                body,
                ..
            },
        ) => {
            assert_eq!(*answered_by, expected);
            assert!(
                body.starts_with(
                    "content type text/html; charset=utf-8, body starting \"<!DOCTYPE html> <html>"
                ),
                "{body}"
            );
            assert!(error.is_unreadable_answer());
            assert_eq!(error.status(), Some(200));
        }
        other => panic!("expected NotKestra, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "not retried");
}

/// A page is told by its first tag when its content type says nothing, on every kind of read.
#[tokio::test]
async fn html_without_its_content_type_is_recognised_on_reads() {
    let server = Scripted::start(vec![html(200, vec![])]).await;
    let client = server.client();
    let expected = server_of(&server.url);
    for result in [
        client.get(NS, "k").await.map(|_| ()),
        client.delete(NS, "k").await.map(|_| ()),
        client
            .list_all(NS, ListOptions::default())
            .await
            .map(|_| ()),
        client
            .put(NS, "k", &KvValue::string("v"), &PutOptions::default())
            .await,
    ] {
        match result {
            Err(Error::NotKestra { server, body, .. }) => {
                assert_eq!(server, expected);
                assert!(body.starts_with("content type none, "), "{body}");
            }
            other => panic!("expected NotKestra, got {other:?}"),
        }
    }
}

/// A body of the wrong shape is named by its content type and its first characters.
#[tokio::test]
async fn an_unparsable_body_names_its_content_type_and_first_bytes() {
    let server = Scripted::start(vec![Canned {
        status: 200,
        headers: vec![("content-type", "text/plain")],
        body: "OK: request accepted by the gateway, which goes on for a while so that the quote is cut somewhere",
    }])
    .await;
    let error = server
        .client()
        .get(NS, "k")
        .await
        .expect_err("not a KV value");
    match &error {
        Error::Decode { message, .. } => {
            assert!(message.contains("content type text/plain"), "{message}");
            assert!(
                message.contains("body starting \"OK: request accepted by the gateway"),
                "{message}"
            );
            assert!(message.contains("…\""), "cut: {message}");
            assert!(!message.contains("somewhere"), "cut: {message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(error.is_unreadable_answer());
    // A JSON body of the wrong shape, too.
    let server = Scripted::start(vec![json(200, r#"{"unexpected":true}"#)]).await;
    let error = server.client().get(NS, "k").await.expect_err("wrong shape");
    let message = error.to_string();
    assert!(
        message.contains("content type application/json")
            && message.contains(r#"body starting "{\"unexpected\":true}""#),
        "{message}"
    );
}

/// A PUT answered 200 with an empty body (what Kestra sends) or a non-HTML body is a success.
#[tokio::test]
async fn a_put_answered_as_kestra_does_succeeds() {
    let server = Scripted::start(vec![empty(200), json(200, "null")]).await;
    let client = server.client();
    for _ in 0..2 {
        let written = client
            .put(NS, "k", &KvValue::string("v"), &PutOptions::default())
            .await;
        assert!(written.is_ok(), "{written:?}");
    }
}

/// The client follows no redirect; the error names where it pointed.
#[tokio::test]
async fn a_redirect_names_its_location() {
    let server = Scripted::start(vec![
        Canned {
            status: 302,
            headers: vec![("location", "https://sso.example/login?next=%2Fapi")],
            body: "",
        },
        empty(301),
    ])
    .await;
    let client = server.client();
    let error = client
        .put(NS, "k", &KvValue::string("v"), &PutOptions::default())
        .await
        .expect_err("redirected");
    match &error {
        Error::Redirected {
            status: 302,
            location,
            ..
        } => assert_eq!(location, "https://sso.example/login?next=%2Fapi"),
        other => panic!("expected Redirected, got {other:?}"),
    }
    assert!(
        error
            .to_string()
            .ends_with("(HTTP 302): redirected to https://sso.example/login?next=%2Fapi"),
        "{error}"
    );
    let error = client.get(NS, "k").await.expect_err("redirected");
    assert!(
        error
            .to_string()
            .contains("redirected to nowhere (no Location header)"),
        "{error}"
    );
}
