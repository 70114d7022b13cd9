//! Conformance of the devserver with Kestra's KV API (its conformance vectors and body-to-type table),
//! through raw HTTP.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kestra_kv_devserver::{DevServerConfig, Faults, ManualClock, Stats};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use test_support::client::injecting;
use test_support::http::{Http, InProcess, KV, Reply};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const LEGACY_KV: &str = "/api/v1/namespaces/company.team/kv";
const KEY_MESSAGE: &str = "Key must start with an alphanumeric character (uppercase or lowercase) and can contain alphanumeric characters (uppercase or lowercase), dots (.), underscores (_), and hyphens (-) only.";

fn parse_time(value: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(value.as_str().unwrap_or_default(), &Rfc3339).expect("RFC 3339 date")
}

#[tokio::test]
async fn vectors_01_to_03_put_get_and_revisions() {
    let h = InProcess::start().await;
    let put = h.put("greeting", "\"hello\"").await;
    assert_eq!(put.status, StatusCode::OK);
    assert!(put.text.is_empty());

    let got = h.get("greeting").await;
    assert_eq!(got.status, StatusCode::OK);
    let body = got.json();
    assert_eq!(body["type"], "STRING");
    assert_eq!(body["value"], "hello");
    assert_eq!(body["revision"], 1);
    let first_update = parse_time(&body["updated"]);

    tokio::time::sleep(Duration::from_millis(2)).await;
    assert_eq!(h.put("greeting", "\"bye\"").await.status, StatusCode::OK);
    let body = h.get("greeting").await.json();
    assert_eq!(body["value"], "bye");
    assert_eq!(body["revision"], 2);
    assert!(parse_time(&body["updated"]) > first_update);
}

/// Vectors 4-15 plus every row of the body-to-type table: body → (type, value JSON text or absent).
#[tokio::test]
async fn vectors_04_to_17_and_table_4_5_type_derivation() {
    let rows: &[(&str, &str, Option<&str>)] = &[
        ("\"hello\"", "STRING", Some(r#""hello""#)),
        ("hello", "STRING", Some(r#""hello""#)),
        ("hello world", "STRING", Some(r#""hello world""#)),
        ("'quoted symbol'", "STRING", Some(r#""quoted symbol""#)),
        ("42", "NUMBER", Some("42")),
        ("0x10", "NUMBER", Some("16")),
        ("1_000", "NUMBER", Some("1000")),
        ("007", "STRING", Some(r#""007""#)),
        ("1.5", "NUMBER", Some("1.5")),
        ("1.0", "NUMBER", Some("1.0")),
        ("1e3", "NUMBER", Some("1000.0")),
        ("true", "BOOLEAN", Some("true")),
        ("false", "BOOLEAN", Some("false")),
        (
            "2021-09-01T01:02:03Z",
            "DATETIME",
            Some(r#""2021-09-01T01:02:03Z""#),
        ),
        (
            "2022-05-01T03:02:01.123456Z",
            "DATETIME",
            Some(r#""2022-05-01T03:02:01.123Z""#),
        ),
        (
            "2022-05-01T00:00:00Z",
            "DATETIME",
            Some(r#""2022-05-01T00:00:00Z""#),
        ),
        (
            "2022-05-01T03:02:01+02:00",
            "JSON",
            Some(r#""2022-05-01T03:02:01+02:00""#),
        ),
        (
            "2022-05-01T03:02:01",
            "STRING",
            Some(r#""2022-05-01T03:02:01""#),
        ),
        ("2021-09-01", "DATE", Some(r#""2021-09-01""#)),
        ("2022T", "DATE", Some(r#""2022-01-01""#)),
        ("2022-05T", "DATE", Some(r#""2022-05-01""#)),
        ("\"2021-09-01\"", "STRING", Some(r#""2021-09-01""#)),
        ("P3DT3H2M1S", "DURATION", Some(r#""PT75H2M1S""#)),
        ("\"PT5S\"", "DURATION", Some(r#""PT5S""#)),
        ("\"P1D\"", "DURATION", Some(r#""PT24H""#)),
        ("\"PT90M\"", "DURATION", Some(r#""PT1H30M""#)),
        ("\"PT1.5S\"", "STRING", Some(r#""PT1.5S""#)),
        ("\"P1W\"", "STRING", Some(r#""P1W""#)),
        (r#"{"hello":"world"}"#, "JSON", Some(r#"{"hello":"world"}"#)),
        (r#"{hello:"world"}"#, "JSON", Some(r#"{"hello":"world"}"#)),
        (r#"["hello","world"]"#, "JSON", Some(r#"["hello","world"]"#)),
        ("[1,2]", "JSON", Some("[1,2]")),
        ("(a b)", "JSON", Some(r#"["a","b"]"#)),
        ("null", "STRING", None),
        ("{{aGk=}}", "STRING", Some(r#""hi""#)),
        ("{", "STRING", Some(r#""{""#)),
        ("1.2.3", "STRING", Some(r#""1.2.3""#)),
    ];
    let h = InProcess::start().await;
    for (index, (body, kind, value)) in rows.iter().enumerate() {
        let key = format!("row{index}");
        assert_eq!(h.put(&key, body).await.status, StatusCode::OK, "PUT {body}");
        let got = h.get(&key).await;
        assert_eq!(got.status, StatusCode::OK, "GET after {body}");
        let json = got.json();
        assert_eq!(json["type"], *kind, "type of {body}");
        match value {
            Some(expected) => assert_eq!(json["value"].to_string(), *expected, "value of {body}"),
            None => assert!(
                json.get("value").is_none(),
                "null value omitted: {}",
                got.text
            ),
        }
        assert_eq!(json["revision"], 1);
    }
}

#[tokio::test]
async fn table_4_5_unparsable_durations_fail_on_read() {
    let h = InProcess::start().await;
    for body in ["\"PD\"", "\"PTS\""] {
        assert_eq!(h.put("bad-duration", body).await.status, StatusCode::OK);
        let got = h.get("bad-duration").await;
        assert_eq!(got.status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
        assert!(
            got.message().starts_with("Internal server error: "),
            "{}",
            got.text
        );
    }
}

#[tokio::test]
async fn vector_18_json_content_type_is_unsupported() {
    let h = InProcess::start().await;
    let reply = h
        .put_raw("x", "1", &[("content-type", "application/json")])
        .await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(h.get("x").await.status, StatusCode::NOT_FOUND);
    // No content type at all is accepted (the Go provider sends none).
    let reply = h.put_raw("x", "1", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    let charset = h
        .put_raw("x", "2", &[("content-type", "text/plain; charset=utf-8")])
        .await;
    assert_eq!(charset.status, StatusCode::OK);
}

#[tokio::test]
async fn vectors_19_to_21_ttl_and_description() {
    let h = InProcess::start().await;
    let before = OffsetDateTime::now_utc();
    let reply = h
        .put_with("t", "1", &[("ttl", "PT5M"), ("description", "my desc")])
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let list = h.get_path(KV).await.json();
    let entry = &list[0];
    assert_eq!(entry["key"], "t");
    assert_eq!(entry["description"], "my desc");
    let expires = parse_time(&entry["expirationDate"]) - before;
    assert!(
        expires >= time::Duration::minutes(5) && expires < time::Duration::minutes(6),
        "{expires}"
    );

    // A PUT without headers clears description and expiration.
    h.put("t", "2").await;
    let entry = &h.get_path(KV).await.json()[0];
    assert!(
        entry.get("description").is_none() && entry.get("expirationDate").is_none(),
        "{entry}"
    );

    let negative = h.put_with("t", "1", &[("ttl", "-PT5M")]).await;
    assert_eq!(negative.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        negative.message(),
        "Illegal argument: ttl cannot be negative"
    );

    let unparsable = h.put_with("t", "1", &[("ttl", "5m")]).await;
    assert_eq!(unparsable.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unparsable
            .message()
            .ends_with("Cannot convert value '5m' to Duration"),
        "{}",
        unparsable.text
    );
    // Failed PUTs had no effect.
    assert_eq!(h.get("t").await.json()["revision"], 2);
}

/// Netty decodes header bytes as ISO-8859-1: a UTF-8 description is stored garbled.
#[tokio::test]
async fn header_bytes_are_read_as_iso_8859_1() {
    let h = InProcess::start().await;
    let description = reqwest::header::HeaderValue::from_bytes("naïve".as_bytes())
        .expect("obs-text is a valid header value");
    let reply = h
        .request(Method::PUT, &format!("{KV}/d"))
        .header("content-type", "text/plain")
        .header("description", description)
        .body("1")
        .send()
        .await
        .expect("request completes");
    assert_eq!(reply.status(), StatusCode::OK);
    let entry = &h.get_path(KV).await.json()[0];
    assert_eq!(entry["description"], "naÃ¯ve");
}

/// Older Kestra: GET answers only type and value; listings carry the update time, no revision.
#[tokio::test]
async fn without_revisions_only_listings_carry_an_update_time() {
    let h = InProcess::with(DevServerConfig {
        revisions: false,
        ..DevServerConfig::default()
    })
    .await;
    h.put("k", "1").await;
    assert_eq!(
        h.get("k").await.json(),
        json!({"type": "NUMBER", "value": 1})
    );
    let entry = &h.get_path(KV).await.json()[0];
    assert!(entry.get("revision").is_none(), "{entry}");
    assert!(entry["updateDate"].is_string(), "{entry}");
}

/// Java's `Instant.toString()` writes years after 9999 with a sign.
#[tokio::test]
async fn expiries_after_year_9999_are_listed_as_java_writes_them() {
    let h = InProcess::start().await;
    let reply = h.put_with("far", "1", &[("ttl", "P3650000D")]).await;
    assert_eq!(reply.status, StatusCode::OK);
    let entry = &h.get_path(KV).await.json()[0];
    let expiry = entry["expirationDate"].as_str().unwrap_or_default();
    assert!(expiry.starts_with("+120"), "{entry}");
}

#[tokio::test]
async fn vector_22_zero_ttl_expires_immediately_then_is_gone() {
    let h = InProcess::start().await;
    assert_eq!(
        h.put_with("exp", "1", &[("ttl", "PT0S")]).await.status,
        StatusCode::OK
    );
    tokio::time::sleep(Duration::from_millis(2)).await;
    let expired = h.get("exp").await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert_eq!(
        expired.message(),
        "Resource has expired: The requested value has expired"
    );
    assert_eq!(h.get("exp").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn expiry_follows_the_injected_clock() {
    let start = OffsetDateTime::now_utc();
    let clock = Arc::new(ManualClock::new(start));
    let h = InProcess::on_clock(clock.clone()).await;
    h.put_with("short", "1", &[("ttl", "PT5M")]).await;
    h.put("forever", "1").await;
    clock.advance(time::Duration::seconds(299));
    assert_eq!(h.get("short").await.status, StatusCode::OK);
    assert_eq!(h.get_path("/api/v1/main/kv").await.json()["total"], 2);
    clock.advance(time::Duration::seconds(1));
    assert_eq!(h.get_path("/api/v1/main/kv").await.json()["total"], 1);
    assert_eq!(h.get("short").await.status, StatusCode::GONE);
    assert_eq!(h.get("short").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn vector_23_missing_key() {
    let h = InProcess::start().await;
    let reply = h.get("missing").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.message(),
        "Not Found: No value found for key 'missing' in namespace 'company.team'"
    );
    assert_eq!(
        reply.json()["_links"]["self"]["href"],
        format!("{KV}/missing")
    );
    // The self link is the request URI, query included.
    let with_query = h.get("missing?detail=1").await;
    assert_eq!(
        with_query.json()["_links"]["self"]["href"],
        format!("{KV}/missing?detail=1")
    );
    // Micronaut's reason text is the HTTP reason phrase.
    assert_eq!(
        h.raw_status_line(&format!("{KV}/missing")).await,
        "HTTP/1.1 404 Not Found"
    );
    assert_eq!(
        h.raw_status_line(&format!("{KV}/bad$key")).await,
        "HTTP/1.1 422 Illegal argument"
    );
}

#[tokio::test]
async fn vectors_24_25_key_validation() {
    let h = InProcess::start().await;
    let expected = format!("Illegal argument: {KEY_MESSAGE}");
    for reply in [
        h.get("bad$key").await,
        h.put("bad$key", "1").await,
        h.delete("bad$key").await,
    ] {
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.message(), expected);
    }
    assert_eq!(
        h.put("_key", "1").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(h.put("My.Key-1", "1").await.status, StatusCode::OK);
    // Percent-encoded segments are decoded before validation.
    assert_eq!(
        h.put("a%20b", "1").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        h.put("a%2Fb", "1").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn namespaces_are_validated() {
    let h = InProcess::start().await;
    for namespace in ["Company", "_x", "a%20b"] {
        let path = format!("/api/v1/main/namespaces/{namespace}/kv/k");
        let reply = h.send(Method::PUT, &path, &[], Some("1")).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{namespace}"
        );
    }
}

#[tokio::test]
async fn vector_26_delete_and_revision_continuation() {
    let h = InProcess::start().await;
    h.put("greeting", "\"hello\"").await;
    let first = h.delete("greeting").await;
    assert_eq!(
        (first.status, first.text.as_str()),
        (StatusCode::OK, "true")
    );
    let second = h.delete("greeting").await;
    assert_eq!(
        (second.status, second.text.as_str()),
        (StatusCode::OK, "false")
    );
    assert_eq!(h.get("greeting").await.status, StatusCode::NOT_FOUND);
    h.put("greeting", "\"again\"").await;
    assert_eq!(h.get("greeting").await.json()["revision"], 2);
}

#[tokio::test]
async fn vectors_27_28_bulk_delete() {
    let h = InProcess::start().await;
    h.put("n", "42").await;
    h.put("m", "1").await;
    let reply = h.bulk_delete(r#"{"keys":["n","nope"]}"#).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!({"keys": ["n"]}));
    assert_eq!(
        h.bulk_delete(r#"{"keys":["nope"]}"#).await.json(),
        json!({"keys": []})
    );
    assert_eq!(h.bulk_delete("{}").await.json(), json!({"keys": []}));
    assert_eq!(
        h.bulk_delete(r#"{"keys":null}"#).await.json(),
        json!({"keys": []})
    );

    let malformed = h.bulk_delete("{").await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        malformed.message().starts_with("Invalid json: "),
        "{}",
        malformed.text
    );
    // An invalid key fails the request after earlier keys were deleted.
    let invalid = h.bulk_delete(r#"{"keys":["m","bad$key"]}"#).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(h.get("m").await.status, StatusCode::NOT_FOUND);
}

async fn two_live_one_expired(h: &InProcess) {
    for (namespace, key, headers) in [
        ("company.team", "namespace-key", &[][..]),
        ("other.team", "another-namespace-key", &[][..]),
        ("company.team", "expired-key", &[("ttl", "PT0S")][..]),
    ] {
        assert_eq!(
            h.put_in(namespace, key, headers).await.status,
            StatusCode::OK
        );
    }
    tokio::time::sleep(Duration::from_millis(2)).await;
}

fn result_keys(reply: &Reply) -> Vec<String> {
    reply.json()["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .map(|entry| entry["key"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn vectors_29_to_32_search_paging_and_filters() {
    let h = InProcess::start().await;
    two_live_one_expired(&h).await;
    let page1 = h
        .get_path("/api/v1/main/kv?page=1&size=1&sort=key:desc")
        .await;
    assert_eq!(page1.status, StatusCode::OK);
    assert_eq!(result_keys(&page1), ["namespace-key"]);
    assert_eq!(page1.json()["total"], 2);
    let page2 = h
        .get_path("/api/v1/main/kv?page=2&size=1&sort=key:desc")
        .await;
    assert_eq!(result_keys(&page2), ["another-namespace-key"]);
    assert_eq!(page2.json()["total"], 2);

    h.put("aaa_key", "1").await;
    h.put("zzz_key", "1").await;
    let filtered = h
        .get_path("/api/v1/main/kv?filters[namespace][EQUALS]=company.team&sort=key:asc")
        .await;
    assert_eq!(
        result_keys(&filtered),
        ["aaa_key", "namespace-key", "zzz_key"]
    );
    let encoded = h
        .get_path("/api/v1/main/kv?filters%5Bnamespace%5D%5BEQUALS%5D=company.team&sort=key%3Aasc")
        .await;
    assert_eq!(result_keys(&encoded), result_keys(&filtered));

    let none = h
        .get_path("/api/v1/main/kv?filters[namespace][EQUALS]=does.not.exist")
        .await;
    assert_eq!(none.json(), json!({"results": [], "total": 0}));
    let far = h.get_path("/api/v1/main/kv?page=10000&size=10").await;
    assert_eq!(far.status, StatusCode::OK);
    assert_eq!(far.json()["results"], json!([]));
    assert_eq!(far.json()["total"], 4);

    for (filters, keys) in [
        (
            "filters[namespace][PREFIX]=other",
            &["another-namespace-key"][..],
        ),
        (
            "filters[q][EQUALS]=NAMESPACE",
            &["namespace-key", "another-namespace-key"],
        ),
        (
            "filters[namespace][IN]=[other.team,nope]&filters[namespace][NOT_EQUALS]=x",
            &["another-namespace-key"],
        ),
    ] {
        let reply = h.get_path(&format!("/api/v1/main/kv?{filters}")).await;
        assert_eq!(result_keys(&reply), keys, "{filters}");
    }
    let later = h
        .get_path("/api/v1/main/kv?filters[updated][GREATER_THAN]=2000-01-01T00:00:00Z")
        .await;
    assert_eq!(later.json()["total"], 4);
    let unknown = h.get_path("/api/v1/main/kv?filters[bogus][EQUALS]=x").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn vectors_33_34_page_size_and_sort_validation() {
    let h = InProcess::start().await;
    let too_big = h.get_path("/api/v1/main/kv?size=1001").await;
    assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_big
            .message()
            .ends_with("The page size must be less than or equal to 1000.")
    );
    assert_eq!(
        h.get_path("/api/v1/main/kv?size=1000").await.status,
        StatusCode::OK
    );
    let bad_field = h.get_path("/api/v1/main/kv?sort=last:asc").await;
    assert_eq!(bad_field.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_field.message().ends_with("Invalid sort field: last"));
    let no_colon = h.get_path("/api/v1/main/kv?sort=key").await;
    assert_eq!(no_colon.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_colon.message().ends_with("Invalid sort parameter"));
}

#[tokio::test]
async fn vectors_35_36_inheritance() {
    let h = InProcess::start().await;
    for (namespace, key) in [
        ("io.namespace", "shared-key"),
        ("io.namespace", "child-key"),
        ("io", "shared-key"),
        ("io", "parent-key"),
    ] {
        let description = format!("{namespace} desc");
        let reply = h
            .put_in(namespace, key, &[("description", &description)])
            .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let reply = h
        .get_path("/api/v1/main/namespaces/io.namespace/kv/inheritance")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let entries = reply.json();
    let mut seen: Vec<(String, String, String)> = entries
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .map(|entry| {
                    let field = |name: &str| entry[name].as_str().unwrap_or_default().to_owned();
                    (field("key"), field("namespace"), field("description"))
                })
                .collect()
        })
        .unwrap_or_default();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "parent-key".to_owned(),
                "io".to_owned(),
                "io desc".to_owned()
            ),
            (
                "shared-key".to_owned(),
                "io".to_owned(),
                "io desc".to_owned()
            ),
        ]
    );
    let top = h
        .get_path("/api/v1/main/namespaces/io/kv/inheritance")
        .await;
    assert_eq!((top.status, top.json()), (StatusCode::OK, json!([])));
    // The literal route wins for GET only: a key named `inheritance` can be written and deleted.
    assert_eq!(h.put("inheritance", "1").await.status, StatusCode::OK);
    assert_eq!(h.delete("inheritance").await.text, "true");
}

#[tokio::test]
async fn vectors_37_38_namespace_list_and_entry_shape() {
    let h = InProcess::start().await;
    h.put("b", "1").await;
    h.put_with("a", "1", &[("ttl", "PT1H"), ("description", "d")])
        .await;
    h.put_with("gone", "1", &[("ttl", "PT0S")]).await;
    tokio::time::sleep(Duration::from_millis(2)).await;
    let list = h.get_path(KV).await;
    assert_eq!(list.status, StatusCode::OK);
    let entries = list.json();
    let plain = &entries[1];
    assert_eq!(entries.as_array().map(Vec::len), Some(2));
    assert_eq!(entries[0]["key"], "a");
    assert_eq!(entries[0]["description"], "d");
    assert!(entries[0]["expirationDate"].is_string());
    assert_eq!(plain["key"], "b");
    assert_eq!(plain["namespace"], "company.team");
    assert_eq!(plain["revision"], 1);
    parse_time(&plain["creationDate"]);
    parse_time(&plain["updateDate"]);
    assert!(plain.get("description").is_none() && plain.get("expirationDate").is_none());
}

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
async fn problem_json_mode() {
    let h = InProcess::with(DevServerConfig {
        problem_json: true,
        basic_auth: Some(("u".into(), "p".into())),
        ..DevServerConfig::default()
    })
    .await;
    let unauthenticated = h.get("missing").await;
    assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unauthenticated.json()["title"], "Authentication required");

    let auth = [("authorization", "Basic dTpw")];
    let missing = h.get_with("missing", &auth).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.header("content-type"),
        Some(&b"application/problem+json"[..])
    );
    assert_eq!(
        missing.json(),
        json!({
            "type": "https://kestra.io/docs/api-reference/problems/not-found",
            "title": "Resource not found",
            "status": 404,
            "detail": "No value found for key 'missing' in namespace 'company.team'",
            "instance": format!("{KV}/missing"),
        })
    );
    let bad_key = h.get_with("bad$key", &auth).await.json();
    assert_eq!(
        bad_key["type"],
        "https://kestra.io/docs/api-reference/problems/invalid-argument"
    );
    assert_eq!(bad_key["detail"], KEY_MESSAGE);
    let bad_ttl = h.put_raw("t", "1", &[auth[0], ("ttl", "5m")]).await.json();
    assert_eq!(
        bad_ttl["type"],
        "https://kestra.io/docs/api-reference/problems/invalid-format"
    );
    assert_eq!(bad_ttl["detail"], "Cannot convert value '5m' to Duration");
    assert_eq!(bad_ttl["title"], "Invalid value format");

    h.put_raw("e", "1", &[auth[0], ("ttl", "PT0S")]).await;
    tokio::time::sleep(Duration::from_millis(2)).await;
    let expired = h.get_with("e", &auth).await.json();
    assert_eq!(expired["status"], 410);
    assert_eq!(expired["title"], "Resource has expired");
    assert_eq!(expired["detail"], "The requested value has expired");

    h.put_raw("pd", "PD", &auth).await;
    let internal = h.get_with("pd", &auth).await.json();
    assert_eq!(internal["status"], 500);
    assert!(internal["traceId"].is_string());
    assert!(
        !internal["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("Duration")
    );
}

async fn statuses(h: &InProcess, count: usize) -> Vec<StatusCode> {
    let mut statuses = Vec::with_capacity(count);
    for _ in 0..count {
        statuses.push(h.get("missing").await.status);
    }
    statuses
}

#[tokio::test]
async fn injected_failures_follow_rate_and_seed() {
    let config = injecting(Faults {
        fail_rate: 0.3,
        ..Faults::default()
    });
    let first = InProcess::with(config.clone()).await;
    let second = InProcess::with(config).await;
    let observed = statuses(&first, 300).await;
    assert_eq!(
        observed,
        statuses(&second, 300).await,
        "same seed, same sequence"
    );
    let failures = observed
        .iter()
        .filter(|status| **status == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert!(
        (60..=120).contains(&failures),
        "{failures} failures of 300 at rate 0.3"
    );
    assert!(
        observed
            .iter()
            .all(|s| *s == StatusCode::SERVICE_UNAVAILABLE || *s == StatusCode::NOT_FOUND)
    );
    let stats = first.server.stats();
    assert_eq!(stats.requests, 300);
    assert_eq!(
        stats.faults_injected,
        u64::try_from(failures).unwrap_or_default()
    );
    assert_eq!(stats.by_route.get, 300 - stats.faults_injected);
}

#[tokio::test]
async fn injected_failures_and_drops_have_no_side_effects() {
    let h = InProcess::start().await;
    h.server.set_faults(Faults {
        fail_rate: 1.0,
        fail_status: 500,
        ..Faults::default()
    });
    assert_eq!(
        h.put("k", "1").await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    h.server.set_faults(Faults {
        drop_rate: 1.0,
        ..Faults::default()
    });
    let dropped = Http::read(h.request(Method::PUT, &format!("{KV}/k")).body("1")).await;
    assert!(dropped.is_err(), "connection should be dropped");
    h.server.set_faults(Faults::default());
    assert_eq!(h.get("k").await.status, StatusCode::NOT_FOUND);
    let stats = h.server.stats();
    assert_eq!(stats.faults_injected, 2);
    assert_eq!(stats.requests, 3);
    assert_eq!(stats.by_route.put, 0);
    h.server.reset_stats();
    assert_eq!(h.server.stats(), Stats::default());
}

#[tokio::test]
async fn latency_is_added() {
    let h = InProcess::with(injecting(Faults {
        latency_ms: 150,
        ..Faults::default()
    }))
    .await;
    let started = Instant::now();
    h.get("k").await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    let started = Instant::now();
    h.get_path("/_devserver/stats").await;
    assert!(
        started.elapsed() < Duration::from_millis(150),
        "admin endpoints skip latency"
    );
}

#[tokio::test]
async fn admin_endpoints_control_faults_and_stats() {
    let h = InProcess::start().await;
    h.put("k", "1").await;
    let stats: Stats =
        serde_json::from_str(&h.get_path("/_devserver/stats").await.text).expect("stats JSON");
    assert_eq!((stats.requests, stats.by_route.put), (1, 1));
    let set = h.put_faults(r#"{"fail_rate":1.0,"fail_status":502}"#).await;
    assert_eq!(set.status, StatusCode::OK);
    assert_eq!(h.get("k").await.status, StatusCode::BAD_GATEWAY);
    let invalid = h.put_faults("{\"fail_rate\":\"x\"}").await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    h.put_faults("{}").await;
    assert_eq!(h.get("k").await.status, StatusCode::OK);
    let reset = h
        .send(Method::POST, "/_devserver/stats/reset", &[], None)
        .await;
    assert_eq!(reset.status, StatusCode::OK);
    assert_eq!(h.server.stats(), Stats::default());
}

#[tokio::test]
async fn concurrent_puts_to_one_key_count_every_revision() {
    let h = Arc::new(InProcess::start().await);
    let writers: Vec<_> = (0..64)
        .map(|index| {
            let h = Arc::clone(&h);
            tokio::spawn(async move { h.put("hot", &index.to_string()).await.status })
        })
        .collect();
    for writer in writers {
        assert_eq!(writer.await.expect("writer task"), StatusCode::OK);
    }
    assert_eq!(h.get("hot").await.json()["revision"], 64);
    assert_eq!(h.server.stats().by_route.put, 64);
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

#[tokio::test]
async fn shutdown_stops_serving() {
    let h = InProcess::start().await;
    let url = h.server.url();
    h.server.shutdown().await;
    let after = Http::to(&url)
        .request(Method::GET, &format!("{KV}/k"))
        .send()
        .await;
    assert!(after.is_err());
}
