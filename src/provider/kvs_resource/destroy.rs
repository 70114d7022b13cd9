//! Destroy of `kestra_kvs` (also of a tainted or deposed object): bulk-deletes the keys in
//! state, except keys whose revision moved since this object last wrote or read them (its
//! `create_before_destroy` replacement or another writer rewrote them) and keys another
//! `kestra_kvs` of this apply wrote or adopted; those are left with one warning naming them.
//! Finding the moved keys costs one listing of what changed since, not a listing of everything.

use std::collections::HashSet;

use crate::kestra::ListOptions;
use crate::tfplugin::{DeleteRequest, DeleteResponse, Diagnostics, IntoValue, Remaining, Value};

use super::KvsResource;
use super::model::KvsModel;
use super::private::Stamps;
use super::report::{Failures, SHOWN};
use crate::provider::version_stamp::listed_stamp;

/// The state after a delete that left the keys `remaining` says yes to: null when none are
/// left.
fn remaining_state(prior: &KvsModel, remaining: impl Fn(&str) -> bool) -> Value {
    let mut state = prior.clone();
    state.retain_keys(remaining);
    if state.keys().next().is_none() {
        return Value::Null;
    }
    state.into_value()
}

/// `"a", "b" and 3 more`.
fn key_list(keys: &[String]) -> String {
    let mut names: Vec<String> = keys.iter().take(SHOWN).map(|k| format!("{k:?}")).collect();
    if keys.len() > SHOWN {
        names.push(format!("and {} more", keys.len() - SHOWN));
    }
    names.join(", ")
}

impl KvsResource {
    pub(crate) async fn destroy(&self, request: DeleteRequest) -> DeleteResponse {
        let prior = match KvsModel::read(request.prior_state) {
            Ok(prior) => prior,
            Err(diagnostics) => return DeleteResponse::failed(diagnostics),
        };
        let (context, namespace) = match self.scope_of(&prior) {
            Ok(scope) => scope,
            Err(diagnostics) => return DeleteResponse::failed(diagnostics),
        };
        let mut diagnostics = Diagnostics::default();
        let client = &context.client;
        let tenant = client.tenant().to_string();
        let stamps = Stamps::decode(&request.private);

        let mut left: Vec<String> = Vec::new();
        let mut moved = HashSet::new();
        if let Some(watermark) = stamps.watermark() {
            let options = ListOptions {
                updated_since: Some(watermark),
                ..ListOptions::default()
            };
            match client.list_all(&namespace, options).await {
                Ok(recent) => {
                    for entry in recent {
                        let ours = stamps.get(&entry.key);
                        if ours.is_some() && ours != listed_stamp(&entry).as_deref() {
                            moved.insert(entry.key);
                        }
                    }
                }
                Err(error) => {
                    return DeleteResponse::failed(context.failed(
                        &error,
                        &format!("listing namespace {namespace:?} before deleting"),
                    ));
                }
            }
        }
        let mut to_delete = Vec::new();
        for key in prior.keys() {
            if moved.contains(key) || self.claims.is_claimed(&tenant, &namespace, key) {
                left.push(key.clone());
            } else {
                to_delete.push(key.clone());
            }
        }

        let mut failures = Failures::default();
        let deleted =
            super::apply::delete_all(&context, &namespace, &to_delete, &mut failures).await;
        if !to_delete.is_empty() {
            self.shared.metadata().invalidate(&tenant, &namespace);
        }
        if !left.is_empty() {
            diagnostics.warning(
                "Keys left in place",
                format!(
                    "{} key(s) of namespace {namespace:?} were written again after this object last wrote or read them (by its create_before_destroy replacement, another kestra_kvs, or another writer), so they were not deleted: {}.",
                    left.len(),
                    key_list(&left)
                ),
            );
        }
        let failed: HashSet<&str> = to_delete
            .iter()
            .filter(|k| !deleted.contains(*k))
            .map(String::as_str)
            .collect();
        diagnostics.extend(failures.into_diagnostics("deleted"));
        // What failed to delete stays in state, with its stamps.
        let state = remaining_state(&prior, |key| failed.contains(key));
        let remaining = (!state.is_null()).then(|| {
            let mut kept = stamps;
            kept.retain(|key| !deleted.contains(key));
            Remaining {
                state,
                private: kept.encode(),
            }
        });
        DeleteResponse {
            diagnostics,
            remaining,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_keys_are_named_up_to_the_cap() {
        let keys: Vec<String> = (0..22).map(|i| format!("k{i}")).collect();
        let listed = key_list(&keys);
        assert!(listed.starts_with("\"k0\", \"k1\""));
        assert!(listed.ends_with("\"k19\", and 2 more"), "{listed}");
        assert_eq!(key_list(&keys[..1]), "\"k0\"");
    }

    #[test]
    fn a_delete_that_left_nothing_is_null() {
        let prior = KvsModel {
            values: crate::tfplugin::Attr::Known(
                [("k", "1"), ("gone", "2")]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), crate::tfplugin::Attr::Known(v.to_string())))
                    .collect(),
            ),
            ..KvsModel::default()
        };
        assert!(remaining_state(&prior, |_| false).is_null());
        let state = remaining_state(&prior, |key| key == "k");
        assert_eq!(state.get("values").as_entries().map(|e| e.len()), Some(1));
    }
}
