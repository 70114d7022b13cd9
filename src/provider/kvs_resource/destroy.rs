//! Destroy of `kestra_kvs` (also of a tainted or deposed object): bulk-deletes the keys in
//! state, except keys written again since this object last wrote or read them (its
//! `create_before_destroy` replacement or another writer rewrote them) and keys another
//! `kestra_kvs` of this apply wrote or adopted; those are left with one warning naming them
//! (the rule of [`super::guarded_delete`], checked right before each batch).

use std::collections::{BTreeMap, HashSet};

use crate::tfplugin::{DeleteRequest, DeleteResponse, IntoValue, Remaining, Value};

use super::KvsResource;
use super::guarded_delete::delete_unless_rewritten;
use super::model::{EntryModel, KvsModel};
use super::private::Stamps;

/// The state after a delete that left `remaining` keys: null when none are left.
fn remaining_state(prior: &KvsModel, remaining: BTreeMap<String, EntryModel>) -> Value {
    if remaining.is_empty() {
        return Value::Null;
    }
    let mut state = prior.clone();
    state.entries = crate::tfplugin::Attr::Known(remaining);
    state.into_value()
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
        let tenant = context.client.tenant().to_string();
        let stamps = Stamps::decode(&request.private);
        let keys: Vec<String> = prior.known_entries().keys().cloned().collect();
        let outcome = delete_unless_rewritten(&context, &namespace, &keys, &stamps, |key| {
            self.claims.is_claimed(&tenant, &namespace, key)
        })
        .await;
        if !keys.is_empty() {
            self.shared.metadata().invalidate(&tenant, &namespace);
        }
        let deleted = outcome.deleted;
        let left: HashSet<String> = outcome.left.into_iter().collect();
        let remaining: BTreeMap<String, EntryModel> = prior
            .known_entries()
            .iter()
            .filter(|(key, _)| !deleted.contains(*key) && !left.contains(*key))
            .map(|(key, entry)| (key.clone(), entry.clone()))
            .collect();
        // What failed to delete stays in state, with its stamps; left keys are no longer ours.
        let state = remaining_state(&prior, remaining);
        let remaining = (!state.is_null()).then(|| {
            let mut kept = stamps;
            kept.retain(|key| !deleted.contains(key) && !left.contains(key));
            Remaining {
                state,
                private: kept.encode(),
            }
        });
        DeleteResponse {
            diagnostics: outcome.diagnostics,
            remaining,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delete_that_left_nothing_is_null() {
        let prior = KvsModel::default();
        assert!(remaining_state(&prior, BTreeMap::new()).is_null());
        let mut one = BTreeMap::new();
        one.insert("k".to_string(), EntryModel::default());
        let state = remaining_state(&prior, one);
        assert_eq!(state.get("entries").as_entries().map(|e| e.len()), Some(1));
    }
}
