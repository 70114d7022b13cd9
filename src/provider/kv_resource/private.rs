//! The private state of a `kestra_kv`: the version of the key last written or read.

use time::OffsetDateTime;

use crate::kestra::KvEntry;

/// The version of a key (revision and last update, as the listing or a read reports them), kept
/// in private state: a refresh skips reading a value that has not moved since, and a delete
/// leaves alone a key written again since (by a `create_before_destroy` replacement).
pub(super) fn version_stamp(
    revision: Option<i64>,
    updated: Option<OffsetDateTime>,
) -> Option<String> {
    let revision = revision?;
    let updated = updated?.unix_timestamp_nanos();
    Some(format!("{revision}@{updated}"))
}

pub(super) fn listed_stamp(entry: &KvEntry) -> Option<String> {
    version_stamp(entry.revision, entry.update_date)
}

/// The revision part of a stamp.
pub(super) fn stamp_revision(stamp: &str) -> Option<i64> {
    stamp.split_once('@')?.0.parse().ok()
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
}
