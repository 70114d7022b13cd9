//! The client against the in-process devserver: Kestra's conformance vectors the client covers.

use std::time::Duration;

use futures::StreamExt;
use kestra_kv_client::{
    Client, Error, KvDuration, KvType, KvValue, ListOptions, PutOptions, readback,
};
use kestra_kv_devserver::DevServerConfig;
use test_support::client::{NS, ok, served, value};
use time::OffsetDateTime;

async fn put(client: &Client, key: &str, value: &KvValue) {
    ok(client.put(NS, key, value, &PutOptions::default()).await);
}

/// Vectors 1–3: PUT then GET a string; overwriting bumps the revision.
#[tokio::test]
async fn strings_round_trip_with_revisions() {
    let (_server, client) = served(DevServerConfig::default()).await;
    put(&client, "greeting", &KvValue::string("hello")).await;
    let stored = ok(client.get(NS, "greeting").await);
    assert_eq!(stored.value, KvValue::string("hello"));
    assert_eq!(stored.revision, Some(1));
    let first_update = stored.updated;
    assert!(first_update.is_some());

    put(&client, "greeting", &KvValue::string("bye")).await;
    let stored = ok(client.get(NS, "greeting").await);
    assert_eq!(stored.value.to_text(), "bye");
    assert_eq!(stored.revision, Some(2));
    assert!(stored.updated >= first_update);
}

/// Vectors 4–13 as the client writes them: each type reads back as itself, with Kestra's
/// spelling where it normalises (durations, sub-millisecond date-times).
#[tokio::test]
async fn every_type_reads_back_as_written() {
    let (_server, client) = served(DevServerConfig::default()).await;
    let cases = [
        ("n", KvType::Number, "42", "42"),
        ("d", KvType::Number, "1.0", "1.0"),
        ("b", KvType::Boolean, "false", "false"),
        (
            "dt",
            KvType::Datetime,
            "2021-09-01T01:02:03Z",
            "2021-09-01T01:02:03Z",
        ),
        (
            "dtms",
            KvType::Datetime,
            "2022-05-01T05:02:01.123456+02:00",
            "2022-05-01T03:02:01.123Z",
        ),
        (
            "midnight",
            KvType::Datetime,
            "2022-05-01T00:00:00Z",
            "2022-05-01T00:00:00Z",
        ),
        ("day", KvType::Date, "2021-09-01", "2021-09-01"),
        ("dur", KvType::Duration, "PT5S", "PT5S"),
        ("dur2", KvType::Duration, "P3DT3H2M1S", "PT75H2M1S"),
        (
            "obj",
            KvType::Json,
            "{\"hello\": \"world\"}",
            "{\"hello\":\"world\"}",
        ),
        (
            "arr",
            KvType::Json,
            "[\"hello\",\"world\"]",
            "[\"hello\",\"world\"]",
        ),
    ];
    for (key, kind, text, read_back) in cases {
        let written = value(kind, text);
        put(&client, key, &written).await;
        let stored = ok(client.get(NS, key).await);
        assert_eq!(stored.value.kind(), kind, "{key}");
        assert_eq!(
            stored.value.kind(),
            readback::reported_kind(&written),
            "{key}"
        );
        assert_eq!(stored.value.to_text(), read_back, "{key}");
        assert!(stored.value.semantically_equal(&written), "{key}");
    }
}

/// Vector 9 and 15: quoted look-alikes stay strings; a string that matches Kestra's duration
/// pattern is read back as DURATION, which `readback::reported_kind` predicts.
#[tokio::test]
async fn strings_that_look_like_other_types() {
    let (_server, client) = served(DevServerConfig::default()).await;
    for (key, text) in [
        ("qd", "2021-09-01"),
        ("num", "42"),
        ("bool", "true"),
        ("sym", "hello"),
        ("ver", "1.2.3"),
        ("sp", "hello world"),
        ("nul", "null"),
        ("obj", "{\"a\":1}"),
        ("quoted", "\"already quoted\""),
    ] {
        let written = KvValue::string(text);
        put(&client, key, &written).await;
        let stored = ok(client.get(NS, key).await);
        assert_eq!(stored.value, written, "{key}");
    }
    let looks_like_duration = KvValue::string("PT5S");
    put(&client, "sdur", &looks_like_duration).await;
    let stored = ok(client.get(NS, "sdur").await);
    assert_eq!(
        readback::reported_kind(&looks_like_duration),
        KvType::Duration
    );
    assert_eq!(stored.value.kind(), KvType::Duration);
}

/// Vectors 19–21: ttl and description headers; Kestra's ttl validation.
#[tokio::test]
async fn ttl_and_description() {
    let (_server, client) = served(DevServerConfig::default()).await;
    let opts = PutOptions {
        ttl: KvDuration::parse("PT5M").ok(),
        description: Some("my desc".to_owned()),
    };
    let before = OffsetDateTime::now_utc();
    ok(client.put(NS, "t", &KvValue::string("v"), &opts).await);
    let entries = ok(client.list_all(NS, ListOptions::default()).await);
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry.key, "t");
    assert_eq!(entry.namespace.as_deref(), Some(NS));
    assert_eq!(entry.description.as_deref(), Some("my desc"));
    assert_eq!(entry.revision, Some(1));
    let expires = entry.expiration_date.map(|at| at - before);
    assert!(
        expires.is_some_and(
            |left| left > time::Duration::minutes(4) && left <= time::Duration::minutes(6)
        ),
        "{expires:?}"
    );

    // A later PUT without headers clears both.
    ok(client
        .put(NS, "t", &KvValue::string("v"), &PutOptions::default())
        .await);
    let entries = ok(client.list_all(NS, ListOptions::default()).await);
    assert_eq!(entries[0].description, None);
    assert_eq!(entries[0].expiration_date, None);
}

/// Vectors 20/21: what Kestra refuses (negative, `5m`) the client refuses before sending; what
/// it accepts (Java syntax with fractions) goes through and sets the expiry.
#[tokio::test]
async fn ttl_syntax_follows_kestra() {
    assert!(KvDuration::parse("-PT5M").is_err());
    assert!(KvDuration::parse("5m").is_err());
    let (_server, client) = served(DevServerConfig::default()).await;
    let opts = PutOptions {
        ttl: KvDuration::parse("P1DT0.5S").ok(),
        description: None,
    };
    let before = OffsetDateTime::now_utc();
    ok(client
        .put(NS, "fractional", &KvValue::string("v"), &opts)
        .await);
    let entries = ok(client.list_all(NS, ListOptions::default()).await);
    let left = entries
        .first()
        .and_then(|entry| entry.expiration_date)
        .map(|at| at - before);
    assert!(
        left.is_some_and(
            |left| left > time::Duration::hours(23) && left <= time::Duration::hours(25)
        ),
        "{left:?}"
    );
}

/// Vector 22: an expired key answers 410 once (Expired), then 404 (NotFound).
#[tokio::test]
async fn expiry() {
    let (_server, client) = served(DevServerConfig::default()).await;
    let opts = PutOptions {
        ttl: KvDuration::parse("PT0S").ok(),
        description: None,
    };
    ok(client.put(NS, "exp", &KvValue::string("v"), &opts).await);
    tokio::time::sleep(Duration::from_millis(5)).await;
    match client.get(NS, "exp").await {
        Err(Error::Expired { message, request }) => {
            assert!(message.contains("expired"), "{message}");
            assert_eq!(request.status, Some(410));
        }
        other => panic!("expected Expired, got {other:?}"),
    }
    assert!(matches!(
        client.get(NS, "exp").await,
        Err(Error::NotFound { .. })
    ));

    ok(client.put(NS, "exp2", &KvValue::string("v"), &opts).await);
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(ok(client.get_opt(NS, "exp2").await), None);
    assert_eq!(
        ok(client.list_all(NS, ListOptions::default()).await),
        vec![]
    );
}

/// Vector 23: a missing key is NotFound with Kestra's message, and `get_opt` gives None.
#[tokio::test]
async fn missing_keys() {
    let (_server, client) = served(DevServerConfig::default()).await;
    match client.get(NS, "missing").await {
        Err(error @ Error::NotFound { .. }) => {
            let text = error.to_string();
            assert!(
                text.contains("No value found for key 'missing' in namespace 'company.team'"),
                "{text}"
            );
            assert!(
                text.contains("GET /api/v1/main/namespaces/company.team/kv/missing"),
                "{text}"
            );
            assert!(error.is_not_found());
            assert_eq!(error.attempts(), 1);
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert_eq!(ok(client.get_opt(NS, "missing").await), None);
}

/// Vectors 24–25: invalid keys are Kestra's 422 with its exact sentence; the client sends them
/// percent-encoded and does not pre-judge them.
#[tokio::test]
async fn invalid_keys() {
    let (_server, client) = served(DevServerConfig::default()).await;
    let sentence = "Key must start with an alphanumeric character (uppercase or lowercase) and can \
                    contain alphanumeric characters (uppercase or lowercase), dots (.), underscores (_), \
                    and hyphens (-) only.";
    let results = [
        client.get(NS, "bad$key").await.map(|_| ()),
        client
            .put(NS, "bad$key", &KvValue::string("v"), &PutOptions::default())
            .await,
        client.delete(NS, "bad$key").await.map(|_| ()),
        client
            .put(NS, "_key", &KvValue::string("v"), &PutOptions::default())
            .await,
        client
            .put(NS, "a/b", &KvValue::string("v"), &PutOptions::default())
            .await,
    ];
    for result in results {
        match result {
            Err(Error::Invalid {
                status: 422,
                message,
                request,
            }) => {
                assert!(message.contains(sentence), "{message}");
                assert_eq!(request.status, Some(422));
            }
            other => panic!("expected 422, got {other:?}"),
        }
    }
    put(&client, "My.Key-1", &value(KvType::Number, "1")).await;
    assert!(matches!(
        client.get(NS, "..").await,
        Err(Error::InvalidInput(_))
    ));
}

/// Vectors 26–28: single and bulk deletes report what existed.
#[tokio::test]
async fn deletes() {
    let (_server, client) = served(DevServerConfig::default()).await;
    put(&client, "greeting", &KvValue::string("hello")).await;
    assert!(ok(client.delete(NS, "greeting").await));
    assert!(!ok(client.delete(NS, "greeting").await));
    assert!(matches!(
        client.get(NS, "greeting").await,
        Err(Error::NotFound { .. })
    ));

    put(&client, "n", &value(KvType::Number, "42")).await;
    let deleted = ok(client
        .delete_many(NS, &["n".to_owned(), "nope".to_owned()])
        .await);
    assert_eq!(deleted, vec!["n".to_owned()]);
    assert_eq!(
        ok(client.delete_many(NS, &["nope".to_owned()]).await),
        Vec::<String>::new()
    );
    assert_eq!(ok(client.delete_many(NS, &[]).await), Vec::<String>::new());
}

/// Vectors 29–31: listing pages transparently, sorted by key, only the namespace asked for,
/// with a client-side prefix filter.
#[tokio::test]
async fn listing_pages_and_filters() {
    let (server, client) = served(DevServerConfig::default()).await;
    let keys = ["zzz_key", "aaa_key", "app_1", "app_2", "other"];
    for key in keys {
        put(&client, key, &KvValue::string(key)).await;
    }
    ok(client
        .put(
            "company.other",
            "elsewhere",
            &KvValue::string("x"),
            &PutOptions::default(),
        )
        .await);
    ok(client
        .put(
            "company.team.child",
            "nested",
            &KvValue::string("x"),
            &PutOptions::default(),
        )
        .await);

    server.reset_stats();
    let paged = ListOptions {
        prefix: None,
        page_size: 2,
        ..ListOptions::default()
    };
    let listed: Vec<String> = ok(client.list_all(NS, paged).await)
        .into_iter()
        .map(|e| e.key)
        .collect();
    assert_eq!(listed, ["aaa_key", "app_1", "app_2", "other", "zzz_key"]);
    // 5 entries by 2: pages of 2, 2, 1; the short page ends the listing.
    assert_eq!(server.stats().by_route.search, 3);

    server.reset_stats();
    let exact_pages = ListOptions {
        prefix: None,
        page_size: 5,
        ..ListOptions::default()
    };
    assert_eq!(ok(client.list_all(NS, exact_pages).await).len(), 5);
    // `total` says everything was seen: no empty extra page.
    assert_eq!(server.stats().by_route.search, 1);

    let prefixed: Vec<String> = ok(client.list_all(NS, ListOptions::with_prefix("app_")).await)
        .into_iter()
        .map(|e| e.key)
        .collect();
    assert_eq!(prefixed, ["app_1", "app_2"]);

    // Only what moved since an instant: the server filters on `updated`, in one request.
    let all = ok(client.list_all(NS, ListOptions::default()).await);
    let newest = all.iter().filter_map(|e| e.update_date).max();
    server.reset_stats();
    let recent = ok(client
        .list_all(
            NS,
            ListOptions {
                updated_since: newest,
                ..ListOptions::default()
            },
        )
        .await);
    assert!(!recent.is_empty() && recent.len() < all.len(), "{recent:?}");
    assert!(recent.iter().all(|e| e.update_date >= newest));
    assert_eq!(server.stats().by_route.search, 1);

    assert_eq!(
        ok(client
            .list_all("does.not.exist", ListOptions::default())
            .await),
        vec![]
    );

    // The stream yields entries lazily; taking two fetches only the first page.
    server.reset_stats();
    let first_two: Vec<_> = client
        .list(
            NS,
            ListOptions {
                prefix: None,
                page_size: 2,
                ..ListOptions::default()
            },
        )
        .take(2)
        .collect()
        .await;
    assert_eq!(first_two.len(), 2);
    assert_eq!(server.stats().by_route.search, 1);
}

/// Vectors 35–36: inheritance lists ancestors' keys, closest first, shadowed keys once.
#[tokio::test]
async fn inheritance() {
    let (_server, client) = served(DevServerConfig::default()).await;
    let with_description = |description: &str| PutOptions {
        ttl: None,
        description: Some(description.to_owned()),
    };
    for (namespace, key, description) in [
        ("io.namespace", "shared-key", "child"),
        ("io.namespace", "child-key", "child"),
        ("io", "shared-key", "parent"),
        ("io", "parent-key", "parent"),
    ] {
        ok(client
            .put(
                namespace,
                key,
                &KvValue::string("v"),
                &with_description(description),
            )
            .await);
    }
    let mut inherited = ok(client.inherited("io.namespace").await);
    inherited.sort_by(|left, right| left.key.cmp(&right.key));
    let seen: Vec<(String, Option<String>, Option<String>)> = inherited
        .into_iter()
        .map(|entry| (entry.key, entry.namespace, entry.description))
        .collect();
    let io = Some("io".to_owned());
    let parent = Some("parent".to_owned());
    assert_eq!(
        seen,
        vec![
            ("parent-key".to_owned(), io.clone(), parent.clone()),
            ("shared-key".to_owned(), io, parent),
        ]
    );
    assert_eq!(ok(client.inherited("io").await), vec![]);

    // Three levels: the closest ancestor shadows the farther one.
    ok(client
        .put(
            "io.namespace.deep",
            "own",
            &KvValue::string("v"),
            &PutOptions::default(),
        )
        .await);
    let deep = ok(client.inherited("io.namespace.deep").await);
    let shared: Vec<_> = deep
        .iter()
        .filter(|entry| entry.key == "shared-key")
        .collect();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].namespace.as_deref(), Some("io.namespace"));
    assert_eq!(
        deep.first().and_then(|entry| entry.namespace.as_deref()),
        Some("io.namespace")
    );
}

/// Tenants are path segments; `with_tenant` addresses another one over the same pool.
#[tokio::test]
async fn tenants_are_separate() {
    let (_server, client) = served(DevServerConfig::default()).await;
    put(&client, "k", &KvValue::string("main's")).await;
    let other = client.with_tenant("acme");
    assert_eq!(ok(other.get_opt(NS, "k").await), None);
    ok(other
        .put(NS, "k", &KvValue::string("acme's"), &PutOptions::default())
        .await);
    assert_eq!(ok(client.get(NS, "k").await).value.to_text(), "main's");
    assert_eq!(ok(other.get(NS, "k").await).value.to_text(), "acme's");
}

/// Problem-details servers (E4) produce the same typed errors and messages.
#[tokio::test]
async fn problem_json_errors() {
    let (_server, client) = served(DevServerConfig {
        problem_json: true,
        ..DevServerConfig::default()
    })
    .await;
    match client.get(NS, "missing").await {
        Err(Error::NotFound { message, .. }) => {
            assert_eq!(
                message,
                "No value found for key 'missing' in namespace 'company.team'"
            );
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    match client.get(NS, "bad$key").await {
        Err(Error::Invalid {
            status: 422,
            message,
            ..
        }) => {
            assert!(
                message.starts_with("Key must start with an alphanumeric character"),
                "{message}"
            );
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// A key named `inheritance` can be written and deleted but its GET is the inheritance route;
/// the client says so instead of a bare decoding error.
#[tokio::test]
async fn key_named_inheritance() {
    let (_server, client) = served(DevServerConfig::default()).await;
    put(&client, "inheritance", &KvValue::string("v")).await;
    match client.get(NS, "inheritance").await {
        Err(Error::Decode { message, .. }) => {
            assert!(message.contains("cannot be read back"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(ok(client.delete(NS, "inheritance").await));
}
