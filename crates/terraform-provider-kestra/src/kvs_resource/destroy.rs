//! Destroy of `kestra_kvs` (also of a tainted or deposed object): bulk-deletes the keys in
//! state, except keys written again since this object last wrote or read them (its
//! `create_before_destroy` replacement or another writer rewrote them) and keys another
//! `kestra_kvs` of this apply wrote or adopted; those are left with one warning naming them
//! (the rule of [`super::guarded_delete`], checked right before each batch).

use std::collections::HashSet;

use terraform_plugin_sdk::{DeleteRequest, DeleteResponse, IntoValue, Remaining, Value};

use super::KvsResource;
use super::guarded_delete::delete_unless_rewritten;
use super::model::KvsModel;
use super::private::Stamps;

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
        let keys: Vec<String> = prior.keys().cloned().collect();
        let outcome = delete_unless_rewritten(&context, &namespace, &keys, &stamps, |key| {
            self.claims.is_claimed(&tenant, &namespace, key)
        })
        .await;
        if !keys.is_empty() {
            self.shared.metadata().invalidate(&tenant, &namespace);
        }
        let deleted = outcome.deleted;
        let left: HashSet<String> = outcome.left.into_iter().collect();
        // What failed to delete stays in state, with its stamps; left keys are no longer ours.
        let state = remaining_state(&prior, |key| !deleted.contains(key) && !left.contains(key));
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
        let prior = KvsModel {
            values: terraform_plugin_sdk::Attr::Known(
                [("k", "1"), ("gone", "2")]
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            terraform_plugin_sdk::Attr::Known(v.to_string()),
                        )
                    })
                    .collect(),
            ),
            ..KvsModel::default()
        };
        assert!(remaining_state(&prior, |_| false).is_null());
        let state = remaining_state(&prior, |key| key == "k");
        assert_eq!(state.get("values").as_entries().map(|e| e.len()), Some(1));
    }
}
