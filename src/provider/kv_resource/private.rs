//! The private state of a `kestra_kv`: the version of the key last written or read.

use time::OffsetDateTime;

use crate::kestra::KvEntry;

/// The version of a key (revision and last update, as the listing or a read reports them), kept
/// in private state: a refresh skips reading a value that has not moved since, and a delete
/// leaves alone a key written again since (by a `create_before_destroy` replacement). Older
/// Kestra reports no revision, only the update time: `@<updated>`.
pub(super) fn version_stamp(
    revision: Option<i64>,
    updated: Option<OffsetDateTime>,
) -> Option<String> {
    let updated = updated?.unix_timestamp_nanos();
    Some(match revision {
        Some(revision) => format!("{revision}@{updated}"),
        None => format!("@{updated}"),
    })
}

pub(super) fn listed_stamp(entry: &KvEntry) -> Option<String> {
    version_stamp(entry.revision, entry.update_date)
}

/// The revision part of a stamp.
fn stamp_revision(stamp: &str) -> Option<i64> {
    stamp.split_once('@')?.0.parse().ok()
}

/// The update-time part of a stamp.
fn stamp_updated(stamp: &str) -> Option<i128> {
    stamp.split_once('@')?.1.parse().ok()
}

/// Whether the key was written again between two stamps: by revision where both have one, else
/// by update time.
pub(super) fn rewritten_since(known: &str, current: &str) -> bool {
    match (stamp_revision(known), stamp_revision(current)) {
        (Some(known), Some(current)) => known != current,
        _ => stamp_updated(known) != stamp_updated(current),
    }
}

pub(super) fn private_stamp(private: &[u8]) -> Option<String> {
    let private: serde_json::Value = serde_json::from_slice(private).ok()?;
    Some(private.get("version")?.as_str()?.to_string())
}

pub(super) fn private_with_stamp(stamp: Option<String>) -> Vec<u8> {
    stamp.map_or_else(Vec::new, |stamp| {
        serde_json::json!({ "version": stamp })
            .to_string()
            .into_bytes()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_stamp_round_trips_and_tolerates_garbage() {
        let entry = KvEntry {
            namespace: None,
            key: "k".into(),
            description: None,
            revision: Some(7),
            creation_date: None,
            update_date: Some(time::macros::datetime!(2026-01-02 03:04:05.123456 UTC)),
            expiration_date: None,
        };
        let stamp = listed_stamp(&entry);
        assert!(stamp.is_some());
        assert_eq!(stamp.as_deref().and_then(stamp_revision), Some(7));
        assert_eq!(private_stamp(&private_with_stamp(stamp.clone())), stamp);
        assert_eq!(
            listed_stamp(&KvEntry {
                update_date: None,
                ..entry
            }),
            None,
            "no stamp without an update time"
        );
        assert_eq!(private_stamp(&private_with_stamp(None)), None);
        assert_eq!(private_stamp(b"\xff not json"), None);
    }

    /// Older Kestra reports no revision: the update time alone tells a rewrite.
    #[test]
    fn rewrites_are_told_by_revision_else_by_update_time() {
        let at = |nanos: i128| {
            OffsetDateTime::from_unix_timestamp_nanos(nanos).expect("instant in range")
        };
        let without_revision = version_stamp(None, Some(at(1_000))).expect("update time suffices");
        assert_eq!(stamp_updated(&without_revision), Some(1_000));
        assert_eq!(stamp_revision(&without_revision), None);
        let later = version_stamp(None, Some(at(2_000))).expect("stamp");
        assert!(rewritten_since(&without_revision, &later));
        assert!(!rewritten_since(&without_revision, &without_revision));
        // With revisions on both sides, they decide.
        let first = version_stamp(Some(1), Some(at(1_000))).expect("stamp");
        assert!(!rewritten_since(
            &first,
            &version_stamp(Some(1), Some(at(5_000))).expect("stamp")
        ));
        assert!(rewritten_since(
            &first,
            &version_stamp(Some(2), Some(at(1_000))).expect("stamp")
        ));
        assert!(
            rewritten_since(&first, &later),
            "revision on one side only: update time"
        );
    }
}
