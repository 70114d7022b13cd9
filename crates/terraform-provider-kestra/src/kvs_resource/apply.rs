//! Apply of `kestra_kvs`: writes only the keys that changed, in parallel (at most
//! `max_concurrency` at a time), then deletes removed keys with Kestra's bulk delete (leaving
//! those written again since, see [`super::guarded_delete`]), then
//! records the revisions just written with one listing. The new state holds exactly what was
//! done: a key whose write failed keeps its prior spelling (or is absent on create), a key whose
//! delete failed stays, so the next plan shows only what is still missing.

use std::collections::{BTreeMap, HashSet};

use futures::stream::{self, StreamExt};

use kestra_kv_client::{Client, Error, KvDuration, KvType, KvValue, ListOptions, PutOptions};
use terraform_plugin_sdk::{ApplyResponse, Attr, Diagnostics, IntoValue, Value};

use super::KvsResource;
use super::diff::Changes;
use super::guarded_delete::delete_unless_rewritten;
use super::model::{EntryModel, KvsModel};
use super::plan::{exclusive_refusal, foreign_keys_in_scope, max_concurrency, scope_description};
use super::private::Stamps;
use super::report::{Failures, entry_path, key_path};
use crate::RequestContext;
use crate::validation::check_value;
use crate::value_semantics::{description_as_kept, matches_state};
use crate::version_stamp::listed_stamp;

/// One PUT to make.
struct Write {
    key: String,
    value: KvValue,
    options: PutOptions,
}

/// The typed value and headers of a planned entry; diagnostics on the entry when it cannot be
/// written (checked at plan time already, so only a value unknown then can fail here).
fn write_of(key: &str, entry: &EntryModel) -> Result<Write, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let kind = entry.kind.as_str().and_then(|t| t.parse::<KvType>().ok());
    let text = entry.value.as_str().unwrap_or_default();
    let value = check_value(text, kind, &entry_path(key), &mut diagnostics);
    let ttl = match entry.ttl.as_str().map(KvDuration::parse).transpose() {
        Ok(ttl) => ttl,
        Err(error) => {
            diagnostics.attribute_error(key_path("ttls", key), "Invalid ttl", error.to_string());
            None
        }
    };
    match value {
        Some(value) if !diagnostics.has_errors() => Ok(Write {
            key: key.to_string(),
            value,
            options: PutOptions {
                ttl,
                description: entry.description.as_str().map(str::to_string),
            },
        }),
        _ => Err(diagnostics),
    }
}

/// Runs `writes` with at most `concurrency` in flight; the keys written, and the failures.
async fn put_all(
    context: &RequestContext,
    namespace: &str,
    writes: Vec<Write>,
    concurrency: usize,
    failures: &mut Failures,
) -> HashSet<String> {
    let client = &context.client;
    let results: Vec<(String, Result<(), Error>)> = stream::iter(writes)
        .map(|write| async move {
            let result = client
                .put(namespace, &write.key, &write.value, &write.options)
                .await;
            (write.key, result)
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let mut written = HashSet::new();
    for (key, result) in results {
        match result {
            Ok(()) => {
                written.insert(key);
            }
            Err(error) if error.is_cancelled() => failures.interrupted(1),
            Err(error) => failures.push(&key, || {
                context.failed(
                    &error,
                    &format!("writing key {key:?} in namespace {namespace:?}"),
                )
            }),
        }
    }
    written
}

/// Keys of a create that already hold the planned value, type and description (and have no
/// ttl to renew): adopted without a write. Read with GETs, only for keys the listing holds.
async fn already_held(
    client: &Client,
    namespace: &str,
    listed: &crate::metadata::Listing,
    planned: &BTreeMap<String, EntryModel>,
    keys: &[String],
    concurrency: usize,
) -> Result<HashSet<String>, (String, Error)> {
    let candidates: Vec<String> = keys
        .iter()
        .filter(|key| {
            let (Some(entry), Some(listed)) = (planned.get(*key), listed.get(*key)) else {
                return false;
            };
            matches!(entry.ttl, Attr::Null)
                && description_as_kept(listed.description.as_deref())
                    == description_as_kept(entry.description.as_str())
        })
        .cloned()
        .collect();
    let reads: Vec<(String, Result<Option<kestra_kv_client::StoredValue>, Error>)> =
        stream::iter(candidates)
            .map(move |key| async move {
                let read = client.get_opt(namespace, &key).await;
                (key, read)
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
    let mut held = HashSet::new();
    for (key, read) in reads {
        let stored = read.map_err(|error| (key.clone(), error))?;
        let entry = planned.get(&key);
        let matches = match (stored, entry) {
            (Some(stored), Some(entry)) => matches_state(
                entry.kind.as_str().unwrap_or_default(),
                entry.value.as_str().unwrap_or_default(),
                &stored.value,
            ),
            _ => false,
        };
        if matches {
            held.insert(key);
        }
    }
    Ok(held)
}

/// What a create (prior state null) or an update is asked to write.
pub(crate) struct Planned {
    pub(super) prior_state: Value,
    pub(super) planned_state: Value,
    pub(super) planned_private: Vec<u8>,
}

impl KvsResource {
    /// Creates or updates the keys; `response` holds what to keep on failure.
    pub(crate) async fn write(
        &self,
        request: Planned,
        mut response: ApplyResponse,
    ) -> ApplyResponse {
        let is_create = request.prior_state.is_null();
        let models = (
            KvsModel::read(request.planned_state),
            KvsModel::read(request.prior_state),
        );
        let (planned, prior) = match models {
            (Ok(planned), Ok(prior)) => (planned, prior),
            (Err(diagnostics), _) | (_, Err(diagnostics)) => {
                return response.with_diagnostics(diagnostics);
            }
        };
        let (context, namespace) = match self.scope_of(&planned) {
            Ok(scope) => scope,
            Err(diagnostics) => return response.with_diagnostics(diagnostics),
        };
        let client = &context.client;
        let tenant = client.tenant().to_string();
        let concurrency = max_concurrency(&planned);
        let planned_entries = planned.entries();
        let changes = Changes::between(&prior.entries(), &planned_entries);
        let mut stamps = Stamps::decode(&request.planned_private);
        let metadata = self.shared.metadata();
        let listing_action = format!("listing namespace {namespace:?}");

        // A create adopts keys that already hold their planned values, and an exclusive one
        // must not start in a scope holding keys nobody listed (checked at plan time too; so
        // is an update that turns `exclusive` on).
        let mut adopted = HashSet::new();
        let mut watermark = stamps.watermark();
        let turns_exclusive =
            planned.exclusive == Attr::Known(true) && prior.exclusive != Attr::Known(true);
        if turns_exclusive {
            match foreign_keys_in_scope(&self.shared, client, &planned, &namespace).await {
                Ok(foreign) if foreign.is_empty() => {}
                Ok(foreign) => {
                    let scope = scope_description(&planned, &namespace);
                    return response.with_diagnostics(exclusive_refusal(&scope, &foreign).into());
                }
                Err(error) => {
                    return response.with_diagnostics(context.failed(&error, &listing_action));
                }
            }
        }
        if is_create {
            let listed = match metadata.listing(client, &namespace).await {
                Ok(listed) => listed,
                Err(error) => {
                    return response.with_diagnostics(context.failed(&error, &listing_action));
                }
            };
            watermark = listed.values().filter_map(|e| e.update_date).max();
            match already_held(
                client,
                &namespace,
                &listed,
                &planned_entries,
                &changes.writes,
                concurrency,
            )
            .await
            {
                Ok(held) => adopted = held,
                Err((key, error)) => {
                    return response.with_diagnostics(context.failed(
                        &error,
                        &format!("reading key {key:?} in namespace {namespace:?}"),
                    ));
                }
            }
            for key in &adopted {
                stamps.set(key, listed.get(key).and_then(listed_stamp));
            }
            // Claimed now, not after the writes: an object these keys move away from in this
            // apply may be deleting them meanwhile, and their revisions will not move.
            self.claims.claim(&tenant, &namespace, &adopted);
        }

        let mut failures = Failures::default();
        let mut writes = Vec::new();
        for key in changes.writes.iter().filter(|key| !adopted.contains(*key)) {
            let Some(entry) = planned_entries.get(key) else {
                continue;
            };
            match write_of(key, entry) {
                Ok(write) => writes.push(write),
                Err(diagnostics) => failures.push(key, || diagnostics),
            }
        }
        let attempted = !writes.is_empty();
        let written = put_all(&context, &namespace, writes, concurrency, &mut failures).await;
        if attempted {
            metadata.invalidate(&tenant, &namespace);
        }

        // Writes before deletes; a key someone else wrote since (another resource it moved to
        // in this apply) or another kestra_kvs of this apply adopted stays, and leaves the state.
        let removed =
            delete_unless_rewritten(&context, &namespace, &changes.deletes, &stamps, |key| {
                self.claims.is_claimed(&tenant, &namespace, key)
            })
            .await;
        if !changes.deletes.is_empty() {
            metadata.invalidate(&tenant, &namespace);
        }
        let deleted = removed.deleted;
        let left: HashSet<String> = removed.left.into_iter().collect();

        // The new state: what was planned, except what failed (spelled as before).
        let mut state = planned;
        for key in &changes.writes {
            if !written.contains(key) && !adopted.contains(key) {
                state.copy_key_from(key, &prior);
            }
        }
        for key in &changes.deletes {
            if !deleted.contains(key) && !left.contains(key) {
                state.copy_key_from(key, &prior);
            }
        }

        // The revisions just written, from one listing of what moved since this object last
        // looked (all of the namespace when it never did).
        let mut diagnostics = removed.diagnostics;
        for key in &written {
            stamps.set(key, None);
        }
        if !written.is_empty() {
            let options = ListOptions {
                updated_since: watermark,
                ..ListOptions::default()
            };
            match client.list_all(&namespace, options).await {
                Ok(listed) => {
                    for entry in listed.iter().filter(|e| written.contains(&e.key)) {
                        stamps.set(&entry.key, listed_stamp(entry));
                    }
                }
                // An answer that cannot be read may have come from whatever answered the writes.
                Err(error) if error.is_unreadable_answer() => diagnostics.extend(
                    context.failed(&error, "listing the revisions of the keys just written"),
                ),
                // Without stamps the next refresh reads these keys again: slower, still right.
                Err(error) => {
                    tracing::warn!(%error, namespace, "listing revisions after writes failed")
                }
            }
        }
        stamps.retain(|key| state.has_key(key));
        self.claims.claim(&tenant, &namespace, state.keys());

        state.tenant_id = Attr::Known(tenant.clone());
        state.id = Attr::Known(KvsModel::scope_id(
            &tenant,
            &namespace,
            state.prefix.as_str(),
        ));
        diagnostics.extend(failures.into_diagnostics("written"));
        tracing::debug!(
            namespace,
            written = written.len(),
            adopted = adopted.len(),
            deleted = deleted.len(),
            "applied kestra_kvs"
        );
        response.new_state = state.into_value();
        response.private = stamps.encode();
        response.diagnostics = diagnostics;
        response
    }
}
