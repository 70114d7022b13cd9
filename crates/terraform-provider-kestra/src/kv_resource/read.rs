//! Refresh: the state as Kestra now holds the key, keeping the state's spelling of values that
//! mean the same.

use crate::Shared;
use crate::value_semantics::{description_as_kept, matches_state};
use kestra_kv_client::readback::{Reported, Written, reads_back_as, written_form};
use kestra_kv_client::{KvType, StoredValue};
use terraform_plugin_sdk::{Attr, FromValue, IntoValue, ReadRequest, ReadResponse, Value};

use super::location::Location;
use super::private::{private_stamp, private_with_stamp};
use super::schema::KvModel;
use crate::version_stamp::listed_stamp;

pub(super) async fn read(shared: &Shared, request: ReadRequest) -> ReadResponse {
    let response = ReadResponse::keep(&request);
    let mut state = match KvModel::from_value(request.current_state.clone()) {
        Ok(state) => state,
        Err(error) => return response.with_diagnostics(error.into()),
    };
    if state.tenant_id.is_null()
        && let Some(tenant) = shared.default_tenant()
    {
        state.tenant_id = Attr::Known(tenant);
    }
    let context = match shared.request_context(state.address()) {
        Ok(context) => context,
        Err(d) => return response.with_diagnostics(d),
    };
    let client = &context.client;
    let Some(location) = Location::of(&state, client.tenant()) else {
        return response.with_error(
            "Incomplete kestra_kv state",
            "The state has no namespace or key.",
        );
    };
    let mut response = response;
    let action = format!("reading {}", location.describe());

    let entry = match shared
        .metadata()
        .entry(client, &location.namespace, &location.key)
        .await
    {
        Ok(entry) => entry,
        Err(error) => {
            return response.with_diagnostics(context.failed(&error, &action));
        }
    };
    // A key missing from the listing is confirmed with a read below before it leaves the
    // state (a listing may be filtered, e.g. by permissions); its description is then kept.
    if let Some(entry) = &entry {
        let server_description = description_as_kept(entry.description.as_deref());
        if server_description != description_as_kept(state.description.as_str()) {
            state.description = server_description.map(str::to_string).into();
        }
    }
    state.id = Attr::Known(location.id());

    let stamp = entry.as_ref().and_then(listed_stamp);
    let unchanged_revision =
        stamp.is_some() && stamp == private_stamp(&request.private) && state.kind.is_known();
    if unchanged_revision {
        return finish(response, state, None);
    }

    let stored: StoredValue = match client.get_opt(&location.namespace, &location.key).await {
        Ok(Some(stored)) => stored,
        Ok(None) => {
            tracing::debug!(key = %location.key, namespace = %location.namespace, "key gone; removing from state");
            response.new_state = Value::Null;
            return response;
        }
        Err(error) => {
            return response.with_diagnostics(context.failed(&error, &action));
        }
    };
    let stored_value = written_form(&stored.value);
    let stored_kind = stored_value.kind().to_string();
    match (state.kind.as_known(), state.value.as_known()) {
        // Import, or a state without a value yet: take the server's.
        (None, None) => {
            state.value = Attr::Known(stored_value.to_text());
            state.kind = Attr::Known(stored_kind);
        }
        // Write-only value: never drag it into state; a changed type is drift.
        (Some(kind), None) => {
            // The written value is not known here, only its type.
            let compatible = kind.parse::<KvType>().is_ok_and(|written| {
                reads_back_as(Written::Kind(written), Reported::Kind(stored_value.kind()))
            });
            if !compatible {
                state.kind = Attr::Known(stored_kind);
            }
        }
        (kind, Some(text)) => {
            let kind = kind
                .cloned()
                .unwrap_or_else(|| KvType::infer(text).to_string());
            if matches_state(&kind, text, &stored.value) {
                state.kind = Attr::Known(kind);
            } else {
                tracing::debug!(key = %location.key, "value drifted on the server");
                state.value = Attr::Known(stored_value.to_text());
                state.kind = Attr::Known(stored_kind);
            }
        }
    }
    finish(response, state, Some(private_with_stamp(stamp)))
}

/// The response with `state` and its identity (and new private data, when given).
fn finish(mut response: ReadResponse, state: KvModel, private: Option<Vec<u8>>) -> ReadResponse {
    response.identity = state.identity().map(IntoValue::into_value);
    response.new_state = state.into_value();
    if let Some(private) = private {
        response.private = private;
    }
    response
}
