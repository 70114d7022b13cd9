//! What an apply has to do, decided from the prior and planned entries alone: which keys to
//! write (a new value, type, description or ttl; a new spelling of the same value is not one),
//! which to delete, in which batches; and which keys of an exclusive scope nobody listed.

use std::collections::BTreeMap;

use super::model::EntryModel;
use crate::value_semantics::same_value;

/// Whether `planned` needs a write where the server holds `prior`: anything but a change of
/// spelling of the same value.
fn needs_write(prior: &EntryModel, planned: &EntryModel) -> bool {
    let same_text = match (
        prior.value.as_str(),
        planned.value.as_str(),
        planned.kind.as_str(),
    ) {
        (Some(old), Some(new), Some(kind)) => old == new || same_value(kind, old, new),
        _ => prior.value == planned.value,
    };
    !(same_text
        && prior.kind == planned.kind
        && prior.description == planned.description
        && prior.ttl == planned.ttl)
}

/// Kestra's bulk delete takes any number of keys, but one request per 1,000 keeps each request
/// (and the damage of one failing) bounded.
pub(crate) const DELETE_BATCH: usize = 1_000;

/// The work of one create or update.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Changes {
    /// Keys whose planned entry differs from the prior one (or is new), sorted.
    pub(crate) writes: Vec<String>,
    /// Keys of the prior object the plan no longer has, sorted.
    pub(crate) deletes: Vec<String>,
}

impl Changes {
    pub(crate) fn between(
        prior: &BTreeMap<String, EntryModel>,
        planned: &BTreeMap<String, EntryModel>,
    ) -> Changes {
        Changes {
            writes: planned
                .iter()
                .filter(|(key, entry)| prior.get(*key).is_none_or(|old| needs_write(old, entry)))
                .map(|(key, _)| key.clone())
                .collect(),
            deletes: prior
                .keys()
                .filter(|key| !planned.contains_key(*key))
                .cloned()
                .collect(),
        }
    }
}

/// Keys in batches for the bulk delete.
pub(crate) fn delete_batches(keys: &[String]) -> std::slice::Chunks<'_, String> {
    keys.chunks(DELETE_BATCH)
}

/// Keys of an exclusive scope that `listed` says are not in `values`, sorted.
pub(crate) fn foreign_keys<'a>(
    scope: impl IntoIterator<Item = &'a String>,
    listed: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut foreign: Vec<String> = scope
        .into_iter()
        .filter(|key| !listed(key))
        .cloned()
        .collect();
    foreign.sort();
    foreign
}

#[cfg(test)]
mod tests {
    use super::*;
    use terraform_plugin_sdk::Attr;

    fn entry(value: &str) -> EntryModel {
        EntryModel {
            value: Attr::Known(value.to_string()),
            kind: Attr::Known("STRING".to_string()),
            ..EntryModel::default()
        }
    }

    fn entries(pairs: &[(&str, &str)]) -> BTreeMap<String, EntryModel> {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), entry(value)))
            .collect()
    }

    #[test]
    fn only_changed_and_new_entries_are_written_and_removed_ones_deleted() {
        let prior = entries(&[("a", "1"), ("b", "2"), ("c", "3")]);
        let mut planned = entries(&[("a", "1"), ("b", "20"), ("d", "4")]);
        let changes = Changes::between(&prior, &planned);
        assert_eq!(changes.writes, ["b", "d"]);
        assert_eq!(changes.deletes, ["c"]);

        // A description or ttl change is a write too; nothing changed is no work.
        if let Some(a) = planned.get_mut("a") {
            a.ttl = Attr::Known("PT1H".into());
        }
        assert_eq!(Changes::between(&prior, &planned).writes, ["a", "b", "d"]);

        // A new spelling of the same value is no write; the same text of another type is.
        let numbers = |text: &str| {
            BTreeMap::from([(
                "n".to_string(),
                EntryModel {
                    value: Attr::Known(text.to_string()),
                    kind: Attr::Known("NUMBER".to_string()),
                    ..EntryModel::default()
                },
            )])
        };
        assert!(
            Changes::between(&numbers("1.0"), &numbers("1"))
                .writes
                .is_empty()
        );
        assert_eq!(
            Changes::between(&numbers("1.0"), &numbers("2")).writes,
            ["n"]
        );
        let mut retyped = numbers("1");
        if let Some(n) = retyped.get_mut("n") {
            n.kind = Attr::Known("STRING".into());
        }
        assert_eq!(Changes::between(&numbers("1"), &retyped).writes, ["n"]);
        assert_eq!(Changes::between(&prior, &prior), Changes::default());
        let created = Changes::between(&BTreeMap::new(), &prior);
        assert_eq!(created.writes, ["a", "b", "c"]);
        assert!(created.deletes.is_empty());
    }

    #[test]
    fn deletes_go_in_batches_of_at_most_a_thousand() {
        let keys: Vec<String> = (0..2_500).map(|i| format!("k{i}")).collect();
        let sizes: Vec<usize> = delete_batches(&keys).map(<[String]>::len).collect();
        assert_eq!(sizes, [1_000, 1_000, 500]);
        assert_eq!(delete_batches(&keys[..1_000]).count(), 1);
        assert_eq!(delete_batches(&[]).count(), 0);
    }

    #[test]
    fn foreign_keys_are_those_nobody_listed() {
        let listed = entries(&[("a", "1"), ("b", "2")]);
        let scope = ["c".to_string(), "a".to_string(), "z".to_string()];
        let listed = |key: &str| listed.contains_key(key);
        assert_eq!(foreign_keys(&scope, listed), ["c", "z"]);
        assert!(foreign_keys(&scope[1..2], listed).is_empty());
    }
}
