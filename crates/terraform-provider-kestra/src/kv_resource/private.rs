//! The private state of a `kestra_kv`: the version of the key last written or read (see
//! [`crate::version_stamp`]), as `{"version": "<stamp>"}`.

/// The stamp in private state, if any (unreadable private data counts as none).
pub(super) fn private_stamp(private: &[u8]) -> Option<String> {
    let private: serde_json::Value = serde_json::from_slice(private).ok()?;
    Some(private.get("version")?.as_str()?.to_string())
}

/// Private state holding `stamp` (empty without one).
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
    use crate::version_stamp::{listed_stamp, stamp_revision};
    use kestra_kv_client::KvEntry;

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
