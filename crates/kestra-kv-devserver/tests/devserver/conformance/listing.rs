//! Search with paging, filters and sorting, inheritance, and namespace listings (vectors 29-38).

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use test_support::http::{InProcess, KV, Reply};

use super::parse_time;

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
