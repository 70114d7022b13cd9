//! Request options, result types, and the tolerant decoding of Kestra's response shapes
//! (all eras: `version` or `revision`, optional fields, flat or grouped inheritance).

use serde::Deserialize;
use serde_json::Value as Json;
use time::OffsetDateTime;
use time::PrimitiveDateTime;
use time::format_description::well_known::Iso8601;

use super::duration::KvDuration;
use super::instant::parse_instant;
use super::value::{KvType, KvValue};

/// A value read with GET, with what E4 servers add (`revision`, `updated`).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredValue {
    /// The value, typed as Kestra reports it (which may differ from what was written: see
    /// [`crate::readback`]).
    pub value: KvValue,
    /// The key's revision: 1 on the first PUT, +1 on each later one (E4 only; `None` before).
    pub revision: Option<i64>,
    /// When the current revision was written (E4 only).
    pub updated: Option<OffsetDateTime>,
}

/// Metadata of one key, as listed (no value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KvEntry {
    /// The entry's namespace (E3+ send it; for older servers the client fills it in where it
    /// knows it).
    pub namespace: Option<String>,
    /// The key, unique within its namespace.
    pub key: String,
    /// The `description` given at the last PUT; `None` when that PUT had none.
    pub description: Option<String>,
    /// The current revision (E4 `revision`, E3 `version`; `None` before E3).
    pub revision: Option<i64>,
    /// When the entry (E3+: its current revision) was created.
    pub creation_date: Option<OffsetDateTime>,
    /// When the last PUT happened.
    pub update_date: Option<OffsetDateTime>,
    /// When the entry expires (last PUT + its `ttl`); `None` when it never does.
    pub expiration_date: Option<OffsetDateTime>,
}

/// Headers of a PUT. Kestra replaces an entry's metadata on every PUT, so a PUT without `ttl`
/// removes an earlier expiry and one without `description` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutOptions {
    /// Time to live from the PUT (the `ttl` header); after it a GET answers 410, then 404.
    pub ttl: Option<KvDuration>,
    /// Free text stored with the entry (the `description` header, E2+) and shown in listings.
    pub description: Option<String>,
}

/// The largest page Kestra serves (E4 answers 422 above it).
pub const MAX_PAGE_SIZE: u32 = 1000;

/// What [`Client::list`](crate::Client::list) returns of a namespace; the default lists every
/// key, 1000 per request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOptions {
    /// Keep only keys starting with this (matched on the client: Kestra's `q` filter is a
    /// full-text match, not a prefix match).
    pub prefix: Option<String>,
    /// Entries per request, clamped to `1..=1000`.
    pub page_size: u32,
    /// Keep only keys last written at or after this instant (Kestra's `updated` filter, also
    /// applied on the client for servers without it). Lets a caller that knows when it last
    /// looked at a namespace list only what moved since, in one request instead of many pages.
    pub updated_since: Option<OffsetDateTime>,
}

impl Default for ListOptions {
    fn default() -> Self {
        ListOptions {
            prefix: None,
            page_size: MAX_PAGE_SIZE,
            updated_since: None,
        }
    }
}

impl ListOptions {
    /// The keys starting with `prefix`, otherwise the defaults.
    pub fn with_prefix(prefix: impl Into<String>) -> ListOptions {
        ListOptions {
            prefix: Some(prefix.into()),
            ..ListOptions::default()
        }
    }
}

/// `KVEntry` on the wire. Numbers stay JSON values: with `arbitrary_precision` that is the
/// robust way to read them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireEntry {
    namespace: Option<String>,
    key: String,
    description: Option<String>,
    revision: Option<Json>,
    version: Option<Json>,
    creation_date: Option<String>,
    update_date: Option<String>,
    expiration_date: Option<String>,
}

impl WireEntry {
    pub(crate) fn into_entry(self) -> Result<KvEntry, String> {
        Ok(KvEntry {
            namespace: self.namespace,
            revision: revision(self.revision.as_ref(), self.version.as_ref())?,
            creation_date: timestamp(self.creation_date.as_deref(), "creationDate")?,
            update_date: timestamp(self.update_date.as_deref(), "updateDate")?,
            expiration_date: timestamp(self.expiration_date.as_deref(), "expirationDate")?,
            key: self.key,
            description: self.description,
        })
    }
}

/// `{"results":[…],"total":N}` of the global search.
#[derive(Debug, Deserialize)]
pub(crate) struct WireSearchPage {
    #[serde(default)]
    pub(crate) results: Vec<WireEntry>,
    pub(crate) total: Option<Json>,
}

/// GET `{type, value, revision, updated}` (E1–E3 send only `type` and `value`).
#[derive(Debug, Deserialize)]
pub(crate) struct WireDetail {
    #[serde(rename = "type")]
    kind: String,
    value: Option<Json>,
    revision: Option<Json>,
    version: Option<Json>,
    updated: Option<String>,
}

impl WireDetail {
    pub(crate) fn into_stored(self) -> Result<StoredValue, String> {
        let kind: KvType = self
            .kind
            .parse()
            .map_err(|_| format!("unknown value type {:?}", self.kind))?;
        let value =
            KvValue::from_response(kind, self.value.as_ref()).map_err(|error| error.to_string())?;
        Ok(StoredValue {
            value,
            revision: revision(self.revision.as_ref(), self.version.as_ref())?,
            updated: timestamp(self.updated.as_deref(), "updated")?,
        })
    }
}

/// Entries of `/kv/inheritance`: E3/E4 send a flat `KVEntry[]`, E2 sends
/// `[{"namespace":…,"kvEntries":[…]}]` groups from the namespace itself up to the root.
pub(crate) fn inheritance_groups(
    items: Vec<Json>,
) -> Result<Vec<(Option<String>, WireEntry)>, String> {
    let mut entries = Vec::new();
    for item in items {
        match item.get("kvEntries") {
            Some(group_entries) => {
                let namespace = item
                    .get("namespace")
                    .and_then(Json::as_str)
                    .map(str::to_owned);
                let group: Vec<WireEntry> = serde_json::from_value(group_entries.clone())
                    .map_err(|error| format!("inheritance group: {error}"))?;
                entries.extend(group.into_iter().map(|entry| (namespace.clone(), entry)));
            }
            None => {
                let entry: WireEntry = serde_json::from_value(item)
                    .map_err(|error| format!("inheritance entry: {error}"))?;
                entries.push((None, entry));
            }
        }
    }
    Ok(entries)
}

pub(crate) fn json_to_u64(value: Option<&Json>) -> Option<u64> {
    value.and_then(Json::as_u64)
}

fn revision(revision: Option<&Json>, version: Option<&Json>) -> Result<Option<i64>, String> {
    match revision.or(version) {
        None | Some(Json::Null) => Ok(None),
        Some(number) => number
            .as_i64()
            .map(Some)
            .ok_or_else(|| "revision is not an integer".to_owned()),
    }
}

/// RFC 3339 with any number of fraction digits; a timestamp without an offset is UTC.
pub(crate) fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    parse_instant(text)
        .ok_or(())
        .or_else(|_| OffsetDateTime::parse(text, &Iso8601::DEFAULT))
        .or_else(|_| {
            PrimitiveDateTime::parse(text, &Iso8601::DEFAULT).map(|local| local.assume_utc())
        })
        .ok()
}

fn timestamp(text: Option<&str>, field: &str) -> Result<Option<OffsetDateTime>, String> {
    text.map(|text| parse_timestamp(text).ok_or_else(|| format!("{field} is not a date-time")))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn entries_of_every_era_decode() {
        let e1 = r#"{"key":"my_key","creationDate":"2024-07-27T06:10:33.422Z","updateDate":"2024-07-27T06:11:08.911Z"}"#;
        let e3 = r#"{"namespace":"company.team","key":"k","version":3,"description":"d",
            "creationDate":"2024-07-27T06:10:33.422123Z","updateDate":"2024-07-27T06:10:33.422123456Z",
            "expirationDate":"2024-07-28T06:10:33Z"}"#;
        let e4 = r#"{"namespace":"company.team","key":"k","revision":4,"creationDate":"2024-07-27T06:10:33Z",
            "updateDate":"2024-07-27T06:10:33Z","unknownField":true}"#;
        let decode = |text: &str| {
            serde_json::from_str::<WireEntry>(text)
                .map_err(|error| error.to_string())
                .and_then(WireEntry::into_entry)
        };
        let e1 = decode(e1);
        assert_eq!(
            e1.as_ref().map(|e| e.creation_date),
            Ok(Some(datetime!(2024-07-27 06:10:33.422 UTC)))
        );
        assert_eq!(e1.map(|e| (e.namespace, e.revision)), Ok((None, None)));
        let e3 = decode(e3);
        assert_eq!(e3.as_ref().map(|e| e.revision), Ok(Some(3)));
        assert_eq!(
            e3.as_ref().map(|e| e.update_date),
            Ok(Some(datetime!(2024-07-27 06:10:33.422123456 UTC)))
        );
        assert_eq!(e3.map(|e| e.description), Ok(Some("d".to_owned())));
        assert_eq!(
            decode(e4).map(|e| (e.revision, e.expiration_date)),
            Ok((Some(4), None))
        );
        assert!(decode(r#"{"key":"k","updateDate":"yesterday"}"#).is_err());
        assert!(decode(r#"{"key":"k","revision":"x"}"#).is_err());
    }

    #[test]
    fn details_of_every_era_decode() {
        let decode = |text: &str| {
            serde_json::from_str::<WireDetail>(text)
                .map_err(|error| error.to_string())
                .and_then(WireDetail::into_stored)
        };
        let e4 = decode(
            r#"{"type":"NUMBER","value":1.0,"revision":2,"updated":"2026-03-01T10:00:00.123456Z"}"#,
        );
        assert_eq!(e4.as_ref().map(|s| s.value.to_text()), Ok("1.0".to_owned()));
        assert_eq!(e4.as_ref().map(|s| s.revision), Ok(Some(2)));
        assert_eq!(
            e4.map(|s| s.updated),
            Ok(Some(datetime!(2026-03-01 10:00:00.123456 UTC)))
        );
        let e1 = decode(r#"{"type":"DURATION","value":"PT75H2M1S"}"#);
        assert_eq!(
            e1.map(|s| (s.value.kind(), s.revision, s.updated)),
            Ok((KvType::Duration, None, None))
        );
        let null = decode(r#"{"type":"STRING","revision":1}"#);
        assert_eq!(null.map(|s| s.value), Ok(KvValue::string("")));
        assert!(decode(r#"{"type":"BLOB","value":"x"}"#).is_err());
        assert!(decode(r#"{"type":"NUMBER"}"#).is_err());
    }

    #[test]
    fn inheritance_shapes() {
        let flat: Vec<Json> =
            serde_json::from_str(r#"[{"namespace":"io","key":"a"}]"#).unwrap_or_default();
        let flat = inheritance_groups(flat);
        assert_eq!(flat.map(|entries| entries.len()), Ok(1));
        let grouped: Vec<Json> = serde_json::from_str(
            r#"[{"namespace":"io.x","kvEntries":[{"key":"a"}]},{"namespace":"io","kvEntries":[{"key":"a"},{"key":"b"}]}]"#,
        )
        .unwrap_or_default();
        let grouped = inheritance_groups(grouped);
        let namespaces: Result<Vec<Option<String>>, String> = grouped.map(|entries| {
            entries
                .into_iter()
                .map(|(namespace, _)| namespace)
                .collect()
        });
        assert_eq!(
            namespaces,
            Ok(vec![
                Some("io.x".to_owned()),
                Some("io".to_owned()),
                Some("io".to_owned())
            ])
        );
    }

    #[test]
    fn timestamps_are_read_leniently() {
        assert_eq!(
            parse_timestamp("2024-07-27T06:10:33Z"),
            Some(datetime!(2024-07-27 06:10:33 UTC))
        );
        assert_eq!(
            parse_timestamp("2024-07-27T06:10:33.5"),
            Some(datetime!(2024-07-27 06:10:33.5 UTC))
        );
        assert_eq!(
            parse_timestamp("2024-07-27T08:10:33+02:00"),
            Some(datetime!(2024-07-27 06:10:33 UTC))
        );
        assert_eq!(parse_timestamp("27/07/2024"), None);
    }
}
