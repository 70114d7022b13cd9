//! Refresh of `kestra_kvs`: one paged listing of the namespace (shared with every other resource
//! of that namespace refreshed by this provider process) plus a GET only for keys whose revision
//! moved since this object last wrote or read them, keys the listing misses (confirmed gone
//! before they leave the state) and, when exclusive, keys of the scope that are new to it.

use std::collections::BTreeMap;

use futures::stream::{self, StreamExt};

use kestra_kv_client::readback::written_form;
use kestra_kv_client::{Error, KvEntry, StoredValue};
use terraform_plugin_sdk::{Attr, IntoValue, ReadRequest, ReadResponse};

use super::KvsResource;
use super::model::{EntryModel, KvsModel};
use super::plan::max_concurrency;
use super::private::Stamps;
use crate::value_semantics::{description_as_kept, matches_state};
use crate::version_stamp::listed_stamp;

/// The entry for a key read from the server: its value as written, type and description.
pub(crate) fn entry_from_server(stored: &StoredValue, listed: Option<&KvEntry>) -> EntryModel {
    let value = written_form(&stored.value);
    EntryModel {
        value: Attr::Known(value.to_text()),
        kind: Attr::Known(value.kind().to_string()),
        description: Attr::from(
            description_as_kept(listed.and_then(|e| e.description.as_deref())).map(str::to_string),
        ),
        ttl: Attr::Null,
    }
}

/// The state's entry after reading `stored`: kept as it is when the server's value means the
/// same (the state's spelling wins), else the server's value and type (drift).
fn reconcile(entry: &EntryModel, stored: &StoredValue) -> EntryModel {
    let (kind, text) = (entry.kind.as_str(), entry.value.as_str());
    match (kind, text) {
        (Some(kind), Some(text)) if matches_state(kind, text, &stored.value) => entry.clone(),
        _ => {
            let value = written_form(&stored.value);
            EntryModel {
                value: Attr::Known(value.to_text()),
                kind: Attr::Known(value.kind().to_string()),
                ..entry.clone()
            }
        }
    }
}

impl KvsResource {
    pub(crate) async fn read(&self, request: ReadRequest) -> ReadResponse {
        let mut response = ReadResponse::keep(&request);
        let mut state = match KvsModel::read(request.current_state.clone()) {
            Ok(state) => state,
            Err(diagnostics) => return response.with_diagnostics(diagnostics),
        };
        if matches!(state.tenant_id, Attr::Null)
            && let Some(tenant) = self.shared.default_tenant()
        {
            state.tenant_id = Attr::Known(tenant);
        }
        let (context, namespace) = match self.scope_of(&state) {
            Ok(scope) => scope,
            Err(diagnostics) => return response.with_diagnostics(diagnostics),
        };
        let client = &context.client;
        let action = format!("reading namespace {namespace:?}");
        let listed = match self.shared.metadata().listing(client, &namespace).await {
            Ok(listed) => listed,
            Err(error) => return response.with_diagnostics(context.failed(&error, &action)),
        };
        let stamps = Stamps::decode(&request.private);
        let held = state.entries();
        let mut entries: BTreeMap<String, EntryModel> = held.clone();

        // Which keys need their value read.
        let mut to_read: Vec<String> = Vec::new();
        for (key, entry) in &mut entries {
            match listed.get(key) {
                Some(listed_entry) => {
                    let server = description_as_kept(listed_entry.description.as_deref());
                    if server != description_as_kept(entry.description.as_str()) {
                        entry.description = Attr::from(server.map(str::to_string));
                    }
                    let unchanged = entry.kind.as_known().is_some()
                        && stamps.get(key).is_some()
                        && stamps.get(key) == listed_stamp(listed_entry).as_deref();
                    if !unchanged {
                        to_read.push(key.clone());
                    }
                }
                None => to_read.push(key.clone()),
            }
        }
        if state.exclusive == Attr::Known(true) {
            let mut newcomers: Vec<String> = listed
                .keys()
                .filter(|key| state.in_scope(key) && !entries.contains_key(*key))
                .cloned()
                .collect();
            newcomers.sort();
            to_read.extend(newcomers);
        }

        let namespace_ref = namespace.as_str();
        let reads: Vec<(String, Result<Option<StoredValue>, Error>)> = stream::iter(to_read)
            .map(move |key| async move {
                let read = client.get_opt(namespace_ref, &key).await;
                (key, read)
            })
            .buffer_unordered(max_concurrency(&state))
            .collect()
            .await;
        for (key, read) in reads {
            match read {
                Ok(Some(stored)) => {
                    let entry = match entries.get(&key) {
                        Some(entry) => reconcile(entry, &stored),
                        None => entry_from_server(&stored, listed.get(&key)),
                    };
                    entries.insert(key, entry);
                }
                Ok(None) => {
                    tracing::debug!(key, namespace, "key gone; removing it from the state");
                    entries.remove(&key);
                }
                Err(error) => {
                    return response.with_diagnostics(context.failed(
                        &error,
                        &format!("reading key {key:?} in namespace {namespace:?}"),
                    ));
                }
            }
        }

        let mut new_stamps = Stamps::default();
        for key in entries.keys() {
            new_stamps.set(key, listed.get(key).and_then(listed_stamp));
        }
        let tenant = client.tenant().to_string();
        state.id = Attr::Known(KvsModel::scope_id(
            &tenant,
            &namespace,
            state.prefix.as_str(),
        ));
        state.tenant_id = Attr::Known(tenant);
        if matches!(state.exclusive, Attr::Null) {
            state.exclusive = Attr::Known(false);
        }
        // Only keys whose meaning changed are spelled anew; the others keep the state's spelling.
        state.retain_keys(|key| entries.contains_key(key));
        for (key, entry) in &entries {
            if held.get(key) != Some(entry) {
                state.set_entry(key, entry);
            }
        }
        response.new_state = state.into_value();
        response.private = new_stamps.encode();
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kestra_kv_client::{KvType, KvValue};

    fn stored(kind: KvType, text: &str) -> StoredValue {
        StoredValue {
            value: KvValue::parse(kind, text).expect("valid"),
            revision: Some(1),
            updated: None,
        }
    }

    #[test]
    fn equal_server_values_keep_the_state_spelling_and_others_are_drift() {
        let entry = EntryModel {
            value: Attr::Known("P3DT3H2M1S".into()),
            kind: Attr::Known("DURATION".into()),
            description: Attr::Known("d".into()),
            ttl: Attr::Known("PT1H".into()),
        };
        assert_eq!(
            reconcile(&entry, &stored(KvType::Duration, "PT75H2M1S")),
            entry
        );
        let drifted = reconcile(&entry, &stored(KvType::Number, "5"));
        assert_eq!(drifted.value, Attr::Known("5".into()));
        assert_eq!(drifted.kind, Attr::Known("NUMBER".into()));
        assert_eq!(drifted.ttl, entry.ttl, "ttl is not read back");
        let adopted = entry_from_server(&stored(KvType::Boolean, "true"), None);
        assert_eq!(
            (adopted.value, adopted.kind, adopted.ttl),
            (
                Attr::Known("true".into()),
                Attr::Known("BOOLEAN".into()),
                Attr::Null
            )
        );
    }
}
