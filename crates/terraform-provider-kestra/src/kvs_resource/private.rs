//! Private state of a `kestra_kvs` object: the version stamp of each key as this object last
//! wrote or read it (see [`crate::version_stamp`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::version_stamp::stamp_updated;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Stamps {
    #[serde(default)]
    stamps: BTreeMap<String, String>,
}

impl Stamps {
    /// Reads private data; anything unreadable (none yet, an older format) is no stamps.
    pub(crate) fn decode(private: &[u8]) -> Stamps {
        serde_json::from_slice(private).unwrap_or_default()
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.stamps.get(key).map(String::as_str)
    }

    pub(crate) fn set(&mut self, key: &str, stamp: Option<String>) {
        match stamp {
            Some(stamp) => self.stamps.insert(key.to_string(), stamp),
            None => self.stamps.remove(key),
        };
    }

    /// Keeps only the stamps of keys `keep` says yes to.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.stamps.retain(|key, _| keep(key));
    }

    /// The latest update time among the stamps: every key written after this object last
    /// looked was updated at or after it, so "what moved since" is one filtered listing.
    pub(crate) fn watermark(&self) -> Option<OffsetDateTime> {
        self.stamps
            .values()
            .filter_map(|stamp| stamp_updated(stamp))
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version_stamp::version_stamp;

    #[test]
    fn stamps_round_trip_and_give_a_watermark() {
        let early = time::macros::datetime!(2026-01-01 00:00:00 UTC);
        let late = time::macros::datetime!(2026-01-02 00:00:00.5 UTC);
        let mut stamps = Stamps::default();
        stamps.set("a", version_stamp(Some(1), Some(early)));
        stamps.set("b", version_stamp(Some(3), Some(late)));
        stamps.set("c", None);
        let decoded = Stamps::decode(&stamps.encode());
        assert_eq!(decoded, stamps);
        assert_eq!(decoded.watermark(), Some(late));
        assert!(decoded.get("a").is_some() && decoded.get("c").is_none());
        let mut kept = decoded.clone();
        kept.retain(|key| key == "a");
        assert_eq!(kept.watermark(), Some(early));
        assert_eq!(Stamps::decode(b"\xff garbage"), Stamps::default());
        assert_eq!(Stamps::default().watermark(), None);
    }
}
