//! Deleting keys of a `kestra_kvs` (on update and on destroy) without deleting a key someone
//! else has written since this object last wrote or read it: its `create_before_destroy`
//! replacement, a `kestra_kv` or another `kestra_kvs` it moved to in the same apply, or any
//! other writer. Right before each bulk DELETE, a listing of what changed says which keys were
//! written again; those are left in place, named in one warning, and no longer belong to this
//! object. Keys another `kestra_kvs` of this apply adopted without writing them (see
//! [`super::claims`]) are left too.
//!
//! The first listing starts at the oldest stamp of the keys to delete: every write since this
//! object looked at a key is at or after that key's stamp, even when the stamps were taken at
//! different times (an apply without refresh). Each later one starts at the newest update time
//! the listings have shown, since any write after a listing is later than everything it showed;
//! so a delete of many batches lists the namespace once, then only what changed meanwhile.
//!
//! Kestra has no conditional delete, so a write landing between that listing and the DELETE is
//! still lost; `depends_on` orders a move for certain (docs/resources/kvs.md, Limits).

use std::collections::HashSet;

use time::OffsetDateTime;

use crate::RequestContext;
use crate::version_stamp::{listed_stamp, rewritten_since, stamp_updated};
use kestra_kv_client::{KvEntry, ListOptions};
use terraform_plugin_sdk::{Diagnostic, Diagnostics};

use super::diff::delete_batches;
use super::private::Stamps;
use super::report::SHOWN;

/// What a guarded delete did.
#[derive(Debug, Default)]
pub(crate) struct DeleteOutcome {
    /// Keys Kestra deleted.
    pub(crate) deleted: HashSet<String>,
    /// Keys left in place because someone else wrote (or adopted) them since: no longer this
    /// object's.
    pub(crate) left: Vec<String>,
    /// The warning naming the left keys, and one error per failed request.
    pub(crate) diagnostics: Diagnostics,
}

/// The revision rule: the keys among `keys` whose stamp (as this object last wrote or read them)
/// differs from the one `listed` reports now. A key without a stamp cannot be told, and a key
/// the listing misses was not written again (it is gone or expired): both are deleted.
pub(crate) fn rewritten_keys<'a>(
    stamps: &Stamps,
    listed: impl IntoIterator<Item = &'a KvEntry>,
    keys: &[String],
) -> HashSet<String> {
    let keys: HashSet<&str> = keys.iter().map(String::as_str).collect();
    listed
        .into_iter()
        .filter(|entry| keys.contains(entry.key.as_str()))
        .filter(|entry| {
            match (stamps.get(&entry.key), listed_stamp(entry)) {
                (Some(ours), Some(now)) => rewritten_since(ours, &now),
                // Listed without an update time: nothing to compare, so not proven rewritten.
                (Some(_), None) | (None, _) => false,
            }
        })
        .map(|entry| entry.key.clone())
        .collect()
}

/// Where the first listing before deleting `keys` starts: the oldest update time among their
/// stamps, or `None` when none has a stamp and there is nothing to compare.
pub(crate) fn listing_start(stamps: &Stamps, keys: &[String]) -> Option<OffsetDateTime> {
    keys.iter()
        .filter_map(|key| stamps.get(key).and_then(stamp_updated))
        .min()
}

/// `"a", "b" and 3 more`.
pub(crate) fn key_list(keys: &[String]) -> String {
    let mut names: Vec<String> = keys.iter().take(SHOWN).map(|k| format!("{k:?}")).collect();
    if keys.len() > SHOWN {
        names.push(format!("and {} more", keys.len() - SHOWN));
    }
    names.join(", ")
}

/// The warning naming the keys left in place.
pub(crate) fn left_warning(namespace: &str, left: &[String]) -> Diagnostic {
    Diagnostic::warning(
        "Keys left in place",
        format!(
            "{} key(s) of namespace {namespace:?} were written again after this object last wrote or read them (by a resource they moved to in this apply, a create_before_destroy replacement, or another writer), so they were not deleted and this object no longer manages them: {}.",
            left.len(),
            key_list(left)
        ),
    )
}

/// What a failed request is called in its diagnostic: `deleting 3 keys of namespace "x" ("a",
/// "b", "c")`.
fn batch_action(namespace: &str, batch: &[String]) -> String {
    format!(
        "deleting {} key(s) of namespace {namespace:?} ({})",
        batch.len(),
        key_list(batch)
    )
}

/// Bulk-deletes `keys` in batches, each right after a fresh check of which keys were written
/// again since `stamps` (left in place) or are `taken` by another resource of this apply. A
/// failed request is one error naming how many keys it held; its keys stay (Kestra may have
/// deleted some: the next refresh sees). A failed check stops before any further
/// delete, since deleting unchecked keys is what the check exists to prevent.
pub(crate) async fn delete_unless_rewritten(
    context: &RequestContext,
    namespace: &str,
    keys: &[String],
    stamps: &Stamps,
    taken: impl Fn(&str) -> bool,
) -> DeleteOutcome {
    let mut outcome = DeleteOutcome::default();
    let mut handled = 0;
    let mut since = listing_start(stamps, keys);
    let mut rewritten = HashSet::new();
    for batch in delete_batches(keys) {
        if let Some(start) = since {
            let options = ListOptions {
                updated_since: Some(start),
                ..ListOptions::default()
            };
            match context.client.list_all(namespace, options).await {
                Ok(recent) => {
                    rewritten.extend(rewritten_keys(stamps, &recent, keys));
                    let newest = recent.iter().filter_map(|entry| entry.update_date).max();
                    since = Some(newest.map_or(start, |newest| newest.max(start)));
                }
                Err(error) => {
                    let unchecked = keys.len() - handled;
                    outcome.diagnostics.extend(context.failed(
                        &error,
                        &format!(
                            "listing namespace {namespace:?} before deleting {unchecked} key(s)"
                        ),
                    ));
                    break;
                }
            }
        }
        let (left, to_delete): (Vec<String>, Vec<String>) = batch
            .iter()
            .cloned()
            .partition(|key| rewritten.contains(key) || taken(key));
        handled += batch.len();
        outcome.left.extend(left);
        if to_delete.is_empty() {
            continue;
        }
        match context.client.delete_many(namespace, &to_delete).await {
            Ok(_) => outcome.deleted.extend(to_delete),
            Err(error) => outcome
                .diagnostics
                .extend(context.failed(&error, &batch_action(namespace, &to_delete))),
        }
    }
    if !outcome.left.is_empty() {
        outcome
            .diagnostics
            .push(left_warning(namespace, &outcome.left));
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version_stamp::version_stamp;

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(seconds).expect("instant")
    }

    fn listed(key: &str, revision: Option<i64>, updated: Option<i64>) -> KvEntry {
        KvEntry {
            namespace: Some("ns".into()),
            key: key.into(),
            description: None,
            revision,
            creation_date: None,
            update_date: updated.map(at),
            expiration_date: None,
        }
    }

    fn keys(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    /// Stamps of `(key, revision, update time in seconds)`.
    fn stamped(versions: &[(&str, Option<i64>, i64)]) -> Stamps {
        let mut stamps = Stamps::default();
        for (key, revision, updated) in versions {
            stamps.set(key, version_stamp(*revision, Some(at(*updated))));
        }
        stamps
    }

    #[test]
    fn only_keys_written_again_since_their_stamp_are_rewritten() {
        let stamps = stamped(&[
            ("same", Some(1), 10),
            ("moved", Some(1), 10),
            ("gone", Some(3), 20),
            ("old.kestra", None, 10),
            ("outside", Some(1), 10),
        ]);
        let now = [
            listed("same", Some(1), Some(10)),
            listed("moved", Some(2), Some(30)),
            listed("unstamped", Some(9), Some(30)),
            listed("old.kestra", None, Some(31)),
            listed("no.date", Some(5), None),
            listed("outside", Some(2), Some(30)),
        ];
        let batch = keys(&[
            "same",
            "moved",
            "gone",
            "unstamped",
            "old.kestra",
            "no.date",
        ]);
        let mut rewritten: Vec<String> =
            rewritten_keys(&stamps, &now, &batch).into_iter().collect();
        rewritten.sort();
        assert_eq!(rewritten, ["moved", "old.kestra"]);
    }

    #[test]
    fn the_first_listing_starts_at_the_oldest_stamp_of_the_keys() {
        let stamps = stamped(&[("a", Some(1), 50), ("b", Some(1), 20), ("c", Some(1), 5)]);
        assert_eq!(
            listing_start(&stamps, &keys(&["a", "b", "x"])),
            Some(at(20))
        );
        assert_eq!(listing_start(&stamps, &keys(&["x", "y"])), None);
    }

    #[test]
    fn left_keys_are_named_up_to_the_cap() {
        let names: Vec<String> = (0..22).map(|i| format!("k{i}")).collect();
        let listed = key_list(&names);
        assert!(listed.starts_with("\"k0\", \"k1\""));
        assert!(listed.ends_with("\"k19\", and 2 more"), "{listed}");
        assert_eq!(key_list(&names[..1]), "\"k0\"");
        let warning = left_warning("ns", &names[..2]);
        assert!(
            warning.detail.contains("\"k0\", \"k1\""),
            "{}",
            warning.detail
        );
        assert!(
            warning.detail.contains("no longer manages"),
            "{}",
            warning.detail
        );
    }

    mod against_a_devserver {
        use super::*;
        use kestra_kv_client::{Client, ClientConfig, KvType, KvValue, PutOptions};
        use kestra_kv_devserver::{DevServer, DevServerConfig, Faults};

        async fn context_for(server: &DevServer) -> RequestContext {
            let config = ClientConfig::from_url(&server.url()).expect("url");
            RequestContext {
                client: Client::new(config).expect("client"),
                credentials: None,
            }
        }

        async fn put(client: &Client, key: &str, text: &str) {
            let value = KvValue::parse(KvType::String, text).expect("valid");
            client
                .put("ns", key, &value, &PutOptions::default())
                .await
                .expect("put");
        }

        async fn live_keys(client: &Client) -> Vec<String> {
            let listed = client
                .list_all("ns", ListOptions::default())
                .await
                .expect("list");
            listed.into_iter().map(|entry| entry.key).collect()
        }

        /// The stamps a `kestra_kvs` records after writing `names`.
        async fn stamps_of(client: &Client, names: &[String]) -> Stamps {
            let mut stamps = Stamps::default();
            for entry in client
                .list_all("ns", ListOptions::default())
                .await
                .expect("list")
            {
                if names.contains(&entry.key) {
                    stamps.set(&entry.key, listed_stamp(&entry));
                }
            }
            stamps
        }

        /// A devserver holding `names` as a `kestra_kvs` wrote them, and that object's stamps.
        async fn written(names: &[&str]) -> (DevServer, RequestContext, Vec<String>, Stamps) {
            let server = DevServer::start(DevServerConfig::default())
                .await
                .expect("devserver");
            let context = context_for(&server).await;
            let names = keys(names);
            for name in &names {
                put(&context.client, name, "ours").await;
            }
            let stamps = stamps_of(&context.client, &names).await;
            (server, context, names, stamps)
        }

        #[tokio::test]
        async fn keys_written_again_or_taken_are_left_and_named_the_rest_deleted() {
            let (_server, context, names, stamps) = written(&["k0", "k1", "k2", "k3", "k4"]).await;
            // The new owner of k2 wrote it after this object last looked.
            put(&context.client, "k2", "theirs").await;

            let outcome =
                delete_unless_rewritten(&context, "ns", &names, &stamps, |key| key == "k4").await;
            let mut deleted: Vec<String> = outcome.deleted.into_iter().collect();
            deleted.sort();
            assert_eq!(deleted, ["k0", "k1", "k3"]);
            assert_eq!(outcome.left, ["k2", "k4"]);
            assert_eq!(live_keys(&context.client).await, ["k2", "k4"]);
            assert_eq!(outcome.diagnostics.len(), 1);
            let warning = &outcome.diagnostics.0[0];
            assert_eq!(warning.summary, "Keys left in place");
            assert!(
                warning.detail.contains("\"k2\", \"k4\""),
                "{}",
                warning.detail
            );
            let theirs = context.client.get("ns", "k2").await.expect("get");
            assert_eq!(theirs.value.to_text(), "theirs");
        }

        /// Over several batches: the first listing covers every key to delete, the next ones
        /// only what changed since; a key of the second batch written again is still left.
        #[tokio::test]
        async fn every_batch_is_checked_and_later_listings_start_where_the_last_ended() {
            let names: Vec<String> = (0..1_500).map(|i| format!("k{i:04}")).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let (server, context, names, stamps) = written(&refs).await;
            put(&context.client, "k1200", "theirs").await;
            server.reset_stats();

            let outcome = delete_unless_rewritten(&context, "ns", &names, &stamps, |_| false).await;
            assert_eq!(outcome.left, ["k1200"]);
            assert_eq!(outcome.deleted.len(), 1_499);
            let routes = server.stats().by_route;
            assert_eq!((routes.delete, routes.search), (2, 3), "{routes:?}");
            assert_eq!(live_keys(&context.client).await, ["k1200"]);
        }

        /// Item 10 of issue 16: one error per failed request, naming how many keys it held,
        /// not one per key.
        #[tokio::test]
        async fn a_failed_bulk_delete_is_one_error_naming_its_key_count() {
            let server = DevServer::start(DevServerConfig {
                faults: Faults {
                    fail_rate: 1.0,
                    fail_status: 403,
                    ..Faults::default()
                },
                ..DevServerConfig::default()
            })
            .await
            .expect("devserver");
            let context = context_for(&server).await;
            let names: Vec<String> = (0..1_500).map(|i| format!("k{i:04}")).collect();
            let outcome =
                delete_unless_rewritten(&context, "ns", &names, &Stamps::default(), |_| false)
                    .await;
            assert!(outcome.deleted.is_empty() && outcome.left.is_empty());
            let details: Vec<&str> = outcome
                .diagnostics
                .iter()
                .map(|d| d.detail.as_str())
                .collect();
            assert_eq!(details.len(), 2, "{details:#?}");
            assert!(
                details[0].contains("deleting 1000 key(s)"),
                "{}",
                details[0]
            );
            assert!(details[0].contains("\"k0000\""), "{}", details[0]);
            assert!(details[1].contains("deleting 500 key(s)"), "{}", details[1]);
        }

        /// A failed check deletes nothing further: unchecked keys are never deleted.
        #[tokio::test]
        async fn a_failed_check_stops_before_deleting() {
            let (server, context, names, stamps) = written(&["a", "b"]).await;
            server.set_faults(Faults {
                fail_rate: 1.0,
                fail_status: 403,
                ..Faults::default()
            });
            let outcome = delete_unless_rewritten(&context, "ns", &names, &stamps, |_| false).await;
            assert!(outcome.deleted.is_empty() && outcome.left.is_empty());
            assert_eq!(outcome.diagnostics.len(), 1);
            let error = &outcome.diagnostics.0[0];
            assert!(
                error.detail.contains("before deleting 2 key(s)"),
                "{}",
                error.detail
            );
            server.set_faults(Faults::default());
            assert_eq!(live_keys(&context.client).await, ["a", "b"]);
        }
    }
}
