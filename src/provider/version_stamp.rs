//! The version of a key as Kestra reports it (revision and last update), recorded by resources
//! in their private state: a refresh skips reading a value that has not moved since, and a
//! delete leaves alone a key written again since (by a `create_before_destroy` replacement or
//! another writer). Shared by `kestra_kv` and `kestra_kvs`.

use time::OffsetDateTime;

use crate::kestra::KvEntry;

/// `<revision>@<update time in Unix nanoseconds>`, or `None` when the server reports either
/// part not at all (older Kestra).
pub(crate) fn version_stamp(
    revision: Option<i64>,
    updated: Option<OffsetDateTime>,
) -> Option<String> {
    let revision = revision?;
    let updated = updated?.unix_timestamp_nanos();
    Some(format!("{revision}@{updated}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_carry_revision_and_update_time() {
        let updated = time::macros::datetime!(2026-01-02 03:04:05.123456789 UTC);
        let stamp = version_stamp(Some(7), Some(updated));
        assert_eq!(stamp.as_deref().and_then(stamp_revision), Some(7));
        assert_eq!(stamp.as_deref().and_then(stamp_updated), Some(updated));
        assert_eq!(version_stamp(None, Some(updated)), None);
        assert_eq!(version_stamp(Some(1), None), None);
        assert_eq!(stamp_revision("garbage"), None);
        assert_eq!(stamp_updated("1@x"), None);
    }
}
