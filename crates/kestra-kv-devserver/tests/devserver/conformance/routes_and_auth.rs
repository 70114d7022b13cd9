//! Authentication modes (vector 39), legacy paths (vector 40), tenants, and unknown routes
//! and methods.

use kestra_kv_devserver::DevServerConfig;
use reqwest::{Method, StatusCode};
use serde_json::json;
use test_support::http::{InProcess, KV};

const LEGACY_KV: &str = "/api/v1/namespaces/company.team/kv";

#[tokio::test]
async fn vector_39_and_auth_modes() {
    let h = InProcess::with(DevServerConfig {
        basic_auth: Some(("admin@kestra.io".into(), "Admin1234".into())),
        api_token: Some("tok".into()),
        ..DevServerConfig::default()
    })
    .await;
    let anonymous = h.get("x").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.header("www-authenticate"), Some(&b"Basic"[..]));
    assert!(anonymous.text.is_empty());

    for (password, status) in [
        ("Admin1234", StatusCode::NOT_FOUND),
        ("nope", StatusCode::UNAUTHORIZED),
    ] {
        let basic = h
            .request(Method::GET, &format!("{KV}/x"))
            .basic_auth("admin@kestra.io", Some(password))
            .send()
            .await
            .expect("request completes");
        assert_eq!(basic.status(), status, "password {password}");
    }
    let bearer = h.get_with("x", &[("authorization", "Bearer tok")]).await;
    assert_eq!(bearer.status, StatusCode::NOT_FOUND);
    // The UI's BASIC_AUTH cookie, as bare credentials or a whole (percent-encoded) header value.
    for cookie in [
        "theme=dark; BASIC_AUTH=YWRtaW5Aa2VzdHJhLmlvOkFkbWluMTIzNA==",
        "BASIC_AUTH=Basic%20YWRtaW5Aa2VzdHJhLmlvOkFkbWluMTIzNA==",
    ] {
        let reply = h.get_with("x", &[("cookie", cookie)]).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{cookie}");
    }
    let wrong_cookie = h
        .get_with(
            "x",
            &[("cookie", "BASIC_AUTH=YWRtaW5Aa2VzdHJhLmlvOm5vcGU=")],
        )
        .await;
    assert_eq!(wrong_cookie.status, StatusCode::UNAUTHORIZED);
    // No challenge for requests from the login page.
    let from_login = h
        .get_with("x", &[("referer", "http://localhost:8080/ui/login")])
        .await;
    assert_eq!(from_login.status, StatusCode::UNAUTHORIZED);
    assert!(from_login.header("www-authenticate").is_none());
    // Admin endpoints are open.
    assert_eq!(h.get_path("/_devserver/stats").await.status, StatusCode::OK);
}

#[tokio::test]
async fn vector_40_legacy_paths() {
    let h = InProcess::start().await;
    let legacy = |key: &str| format!("{LEGACY_KV}/{key}");
    assert_eq!(
        h.send(Method::PUT, &legacy("greeting"), &[], Some("\"hello\""))
            .await
            .status,
        StatusCode::OK
    );
    // Legacy and tenanted paths address the same `main` store.
    assert_eq!(h.get("greeting").await.json()["value"], "hello");
    let got = h.get_path(&legacy("greeting")).await.json();
    assert_eq!(
        (got["type"].clone(), got["value"].clone()),
        (json!("STRING"), json!("hello"))
    );
    let missing = h.get_path(&legacy("missing")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["_links"]["self"]["href"], legacy("missing"));
    assert_eq!(
        h.get_path(&legacy("bad$key")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(h.get_path(LEGACY_KV).await.json()[0]["key"], "greeting");
    let bulk = h
        .send(
            Method::DELETE,
            LEGACY_KV,
            &[],
            Some(r#"{"keys":["greeting","nope"]}"#),
        )
        .await;
    assert_eq!(bulk.json(), json!({"keys": ["greeting"]}));
    assert_eq!(
        h.send(Method::DELETE, &legacy("greeting"), &[], None)
            .await
            .text,
        "false"
    );

    let strict = InProcess::with(DevServerConfig {
        legacy_paths: false,
        ..DevServerConfig::default()
    })
    .await;
    assert_eq!(
        strict.get_path(&legacy("greeting")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn tenants_are_separate_stores() {
    let h = InProcess::start().await;
    h.put("k", "1").await;
    let other = h
        .get_path("/api/v1/acme/namespaces/company.team/kv/k")
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(h.get_path("/api/v1/acme/kv").await.json()["total"], 0);
}

/// `--tenants`: a fixed list of tenants; any other is answered as a route that does not exist.
#[tokio::test]
async fn only_the_listed_tenants_are_served() {
    let h = InProcess::with(DevServerConfig {
        tenants: Some(vec!["main".into(), "acme".into()]),
        ..DevServerConfig::default()
    })
    .await;
    assert_eq!(h.put("k", "1").await.status, StatusCode::OK);
    let key_of = |tenant: &str| format!("/api/v1/{tenant}/namespaces/company.team/kv/k");
    let text = [("content-type", "text/plain")];
    let acme = h.send(Method::PUT, &key_of("acme"), &text, Some("1")).await;
    assert_eq!(acme.status, StatusCode::OK);
    let unknown = h.send(Method::PUT, &key_of("nope"), &text, Some("1")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.message(), "Not Found");
    assert_eq!(
        h.get_path("/api/v1/nope/kv").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let h = InProcess::start().await;
    let unknown = h.get_path("/api/v1/main/flows").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.message(), "Not Found");
    let method = h
        .send(Method::POST, &format!("{KV}/k"), &[], Some("1"))
        .await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
    // RFC 9110: a 405 names the methods the route serves.
    assert_eq!(method.header("allow"), Some(&b"DELETE, GET, PUT"[..]));
    let listing = h.send(Method::POST, KV, &[], Some("1")).await;
    assert_eq!(listing.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(listing.header("allow"), Some(&b"DELETE, GET"[..]));
}
