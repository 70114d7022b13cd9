//! The in-memory KV store: entries per (tenant, namespace, key) with soft deletes so that
//! revisions continue after a delete.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use time::OffsetDateTime;

use super::ion::IonValue;
use kestra_kv_client::instant::java_instant_string;

/// One key's current state. Deleted entries are kept only to continue revision numbering.
#[derive(Debug, Clone)]
pub struct Entry {
    pub value: IonValue,
    pub description: Option<String>,
    pub expiration: Option<OffsetDateTime>,
    pub revision: u64,
    /// Creation of the current revision: Kestra E3+ writes a new row per revision, so this
    /// moves with every PUT (derived from Kestra's code).
    pub created: OffsetDateTime,
    pub updated: OffsetDateTime,
    deleted: bool,
}

impl Entry {
    fn is_live(&self, now: OffsetDateTime) -> bool {
        !self.deleted && !self.is_expired(now)
    }

    /// `ttl: PT0S` expires immediately, so an expiration equal to now counts as expired.
    fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.expiration.is_some_and(|expiration| expiration <= now)
    }
}

/// What a PUT stores besides the value; a PUT replaces all of it.
#[derive(Debug, Clone)]
pub struct Write {
    pub value: IonValue,
    pub description: Option<String>,
    pub expiration: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Missing,
    /// Was expired; it has now been deleted, so the next lookup is `Missing`.
    Expired,
}

/// A live entry with its coordinates, as listed by search/list/inheritance.
#[derive(Debug, Clone, Copy)]
pub struct EntryRef<'a> {
    pub namespace: &'a str,
    pub key: &'a str,
    pub entry: &'a Entry,
}

/// The `KVEntry` JSON model; unset fields are omitted.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KvEntryJson<'a> {
    namespace: &'a str,
    key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    revision: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    creation_date: String,
    update_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_date: Option<String>,
}

impl<'a> EntryRef<'a> {
    /// The listed entry; `revisions` off leaves the revision out, as older Kestra does.
    pub fn to_json(self, revisions: bool) -> KvEntryJson<'a> {
        KvEntryJson {
            namespace: self.namespace,
            key: self.key,
            revision: revisions.then_some(self.entry.revision),
            description: self.entry.description.as_deref(),
            creation_date: java_instant_string(self.entry.created),
            update_date: java_instant_string(self.entry.updated),
            expiration_date: self.entry.expiration.map(java_instant_string),
        }
    }
}

type EntryKey = (String, String, String);

/// All tenants' entries, ordered by (tenant, namespace, key): the default listing order.
#[derive(Debug, Default)]
pub struct Store {
    entries: BTreeMap<EntryKey, Entry>,
}

fn entry_key(tenant: &str, namespace: &str, key: &str) -> EntryKey {
    (tenant.to_owned(), namespace.to_owned(), key.to_owned())
}

impl Store {
    /// Upserts; returns the new revision.
    pub fn put(
        &mut self,
        tenant: &str,
        namespace: &str,
        key: &str,
        write: Write,
        now: OffsetDateTime,
    ) -> u64 {
        let revision = self
            .entries
            .get(&entry_key(tenant, namespace, key))
            .map_or(1, |previous| previous.revision + 1);
        self.entries.insert(
            entry_key(tenant, namespace, key),
            Entry {
                value: write.value,
                description: write.description,
                expiration: write.expiration,
                revision,
                created: now,
                updated: now,
                deleted: false,
            },
        );
        revision
    }

    /// Reads a live entry; reading an expired one deletes it (Kestra's GET does).
    pub fn get(
        &mut self,
        tenant: &str,
        namespace: &str,
        key: &str,
        now: OffsetDateTime,
    ) -> Result<&Entry, Lookup> {
        match self.entries.get_mut(&entry_key(tenant, namespace, key)) {
            None => Err(Lookup::Missing),
            Some(entry) if entry.deleted => Err(Lookup::Missing),
            Some(entry) if entry.is_expired(now) => {
                entry.deleted = true;
                Err(Lookup::Expired)
            }
            Some(entry) => Ok(entry),
        }
    }

    /// Soft-deletes; `true` when an entry existed (an expired, unread one still counts).
    pub fn delete(&mut self, tenant: &str, namespace: &str, key: &str) -> bool {
        match self.entries.get_mut(&entry_key(tenant, namespace, key)) {
            Some(entry) if !entry.deleted => {
                entry.deleted = true;
                true
            }
            _ => false,
        }
    }

    /// Live entries of one tenant in (namespace, key) order.
    pub fn live(&self, tenant: &str, now: OffsetDateTime) -> Vec<EntryRef<'_>> {
        self.entries
            .iter()
            .filter(|((entry_tenant, _, _), entry)| entry_tenant == tenant && entry.is_live(now))
            .map(|((_, namespace, key), entry)| EntryRef {
                namespace,
                key,
                entry,
            })
            .collect()
    }

    /// Live entries of one namespace in key order.
    pub fn live_in_namespace(
        &self,
        tenant: &str,
        namespace: &str,
        now: OffsetDateTime,
    ) -> Vec<EntryRef<'_>> {
        let mut entries = self.live(tenant, now);
        entries.retain(|entry| entry.namespace == namespace);
        entries
    }

    /// Entries visible from `namespace` through its strict ancestors, closest ancestor first;
    /// a key already seen in a closer ancestor is skipped.
    pub fn inherited(
        &self,
        tenant: &str,
        namespace: &str,
        now: OffsetDateTime,
    ) -> Vec<EntryRef<'_>> {
        let mut seen = HashSet::new();
        let mut inherited = Vec::new();
        let mut ancestor = namespace;
        while let Some((parent, _)) = ancestor.rsplit_once('.') {
            for entry in self.live_in_namespace(tenant, parent, now) {
                if seen.insert(entry.key) {
                    inherited.push(entry);
                }
            }
            ancestor = parent;
        }
        inherited
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2024-01-01 00:00:00 UTC);

    fn write(text: &str) -> Write {
        Write {
            value: IonValue::Text(text.into()),
            description: None,
            expiration: None,
        }
    }

    #[test]
    fn revisions_continue_after_delete() {
        let mut store = Store::default();
        assert_eq!(store.put("main", "a", "k", write("1"), NOW), 1);
        assert_eq!(store.put("main", "a", "k", write("2"), NOW), 2);
        assert!(store.delete("main", "a", "k"));
        assert!(!store.delete("main", "a", "k"));
        assert_eq!(
            store.get("main", "a", "k", NOW).map(|e| e.revision),
            Err(Lookup::Missing)
        );
        assert_eq!(store.put("main", "a", "k", write("3"), NOW), 3);
    }

    #[test]
    fn expired_entry_is_gone_after_first_read() {
        let mut store = Store::default();
        let expiring = Write {
            expiration: Some(NOW),
            ..write("x")
        };
        store.put("main", "a", "k", expiring, NOW);
        assert!(store.live("main", NOW).is_empty());
        assert_eq!(
            store.get("main", "a", "k", NOW).map(|e| e.revision),
            Err(Lookup::Expired)
        );
        assert_eq!(
            store.get("main", "a", "k", NOW).map(|e| e.revision),
            Err(Lookup::Missing)
        );
    }

    #[test]
    fn tenants_are_isolated() {
        let mut store = Store::default();
        store.put("main", "a", "k", write("x"), NOW);
        assert!(store.get("other", "a", "k", NOW).is_err());
        assert_eq!(store.live("other", NOW).len(), 0);
    }

    #[test]
    fn inheritance_walks_strict_ancestors_closest_first() {
        let mut store = Store::default();
        for (namespace, key) in [
            ("a.b.c", "own"),
            ("a.b", "shared"),
            ("a.b", "mid"),
            ("a", "shared"),
            ("a", "top"),
            ("ab", "other"),
        ] {
            store.put("main", namespace, key, write(namespace), NOW);
        }
        let inherited: Vec<(&str, &str)> = store
            .inherited("main", "a.b.c", NOW)
            .iter()
            .map(|entry| (entry.namespace, entry.key))
            .collect();
        assert_eq!(inherited, [("a.b", "mid"), ("a.b", "shared"), ("a", "top")]);
        assert!(store.inherited("main", "a", NOW).is_empty());
    }
}
