//! The version of a key as Kestra reports it (revision and last update), recorded by resources
//! in their private state: a refresh skips reading a value that has not moved since, and a
//! delete leaves alone a key written again since (by a `create_before_destroy` replacement or
//! another writer). Older Kestra reports no revision, only the update time: the stamp is then
//! `@<updated>` and the update time alone tells a rewrite. Shared by `kestra_kv` and `kestra_kvs`.

use time::OffsetDateTime;

use kestra_kv_client::KvEntry;

/// `<revision>@<update time in Unix nanoseconds>` (`@<update time>` without a revision), or
/// `None` when the server reports no update time.
pub(crate) fn version_stamp(
    revision: Option<i64>,
    updated: Option<OffsetDateTime>,
) -> Option<String> {
    let updated = updated?.unix_timestamp_nanos();
    Some(match revision {
        Some(revision) => format!("{revision}@{updated}"),
        None => format!("@{updated}"),
    })
}

/// The stamp of a listed key.
pub(crate) fn listed_stamp(entry: &KvEntry) -> Option<String> {
    version_stamp(entry.revision, entry.update_date)
}

/// The revision part of a stamp.
pub(crate) fn stamp_revision(stamp: &str) -> Option<i64> {
    stamp.split_once('@')?.0.parse().ok()
}

/// The update-time part of a stamp.
pub(crate) fn stamp_updated(stamp: &str) -> Option<OffsetDateTime> {
    let nanos: i128 = stamp.split_once('@')?.1.parse().ok()?;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
}

/// Whether the key was written again between two stamps: by revision where both have one, else
/// by update time.
pub(crate) fn rewritten_since(known: &str, current: &str) -> bool {
    match (stamp_revision(known), stamp_revision(current)) {
        (Some(known), Some(current)) => known != current,
        _ => stamp_updated(known) != stamp_updated(current),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_carry_revision_and_update_time() {
        let updated = time::macros::datetime!(2026-01-02 03:04:05.123456789 UTC);
        let stamp = version_stamp(Some(7), Some(updated));
        assert_eq!(stamp.as_deref().and_then(stamp_revision), Some(7));
        assert_eq!(stamp.as_deref().and_then(stamp_updated), Some(updated));
        assert_eq!(version_stamp(Some(1), None), None);
        assert_eq!(stamp_revision("garbage"), None);
        assert_eq!(stamp_updated("1@x"), None);
    }

    /// Older Kestra reports no revision: the update time alone tells a rewrite.
    #[test]
    fn rewrites_are_told_by_revision_else_by_update_time() {
        let at = |nanos: i128| {
            OffsetDateTime::from_unix_timestamp_nanos(nanos).expect("instant in range")
        };
        let without_revision = version_stamp(None, Some(at(1_000))).expect("update time suffices");
        assert_eq!(stamp_updated(&without_revision), Some(at(1_000)));
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
