//! PUT and GET of one value (vectors 1-18): revisions, the body-to-type table, content types,
//! header bytes, answers without revisions, and concurrent writes.

use std::sync::Arc;
use std::time::Duration;

use kestra_kv_devserver::DevServerConfig;
use reqwest::{Method, StatusCode};
use serde_json::json;
use test_support::http::{InProcess, KV};

use super::parse_time;

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
