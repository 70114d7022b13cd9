//! Apply: create and update write the key (one PUT), delete removes it unless it was written
//! again since this object last saw it.

use crate::errors::attribute_error;
use crate::validation::check_value;
use crate::{RequestContext, Shared};
use kestra_kv_client::readback::{Reported, Written, reads_back_as, written_form};
use kestra_kv_client::{KvDuration, KvValue, PutOptions, StoredValue};
use terraform_plugin_sdk::{
    ApplyResponse, Attr, AttributePath, DeleteRequest, DeleteResponse, Diagnostics, FromValue,
    IntoValue, Value,
};

use super::location::Location;
use super::private::{private_stamp, private_with_stamp};
use super::schema::KvModel;
use crate::version_stamp::{listed_stamp, rewritten_since, version_stamp};

/// What a create or an update is asked to write.
pub(super) struct Write {
    /// The state before an update; `None` for a create.
    pub(super) prior: Option<KvModel>,
    pub(super) planned: KvModel,
    pub(super) config: KvModel,
}

impl Write {
    /// Reads the models of a create or update request.
    pub(super) fn read(prior: Value, planned: Value, config: Value) -> Result<Write, Diagnostics> {
        Ok(Write {
            prior: Option::<KvModel>::from_value(prior)?,
            planned: KvModel::from_value(planned)?,
            config: KvModel::from_value(config)?,
        })
    }

    /// A write-only value is rewritten only when its version changes; other updates keep the
    /// value the server holds (unless it is gone or no longer of the planned type: the state must
    /// end up as planned).
    fn keeps_server_value(&self) -> bool {
        self.prior.as_ref().is_some_and(|prior| {
            self.planned.value.is_null()
                && prior.value.is_null()
                && prior.value_wo_version == self.planned.value_wo_version
        })
    }

    /// The value to write: `value` with the planned type, or the write-only value.
    fn value(&self) -> Result<KvValue, Diagnostics> {
        let (text, attribute) = match (self.planned.value.as_str(), self.config.value_wo.as_str()) {
            (Some(text), _) => (text, "value"),
            (None, Some(text)) => (text, "value_wo"),
            (None, None) => {
                let mut diagnostics = Diagnostics::default();
                attribute_error(
                    &mut diagnostics,
                    "value",
                    "Missing value",
                    "Neither `value` nor `value_wo` is set, so there is nothing to write.",
                );
                return Err(diagnostics);
            }
        };
        let mut diagnostics = Diagnostics::default();
        let kind = self.planned.kind.as_str().and_then(|t| t.parse().ok());
        check_value(
            text,
            kind,
            &AttributePath::attribute(attribute),
            &mut diagnostics,
        )
        .ok_or(diagnostics)
    }
}

/// Writes the key of a create or update; `response` holds what to keep on failure.
pub(super) async fn write(shared: &Shared, write: Write, response: ApplyResponse) -> ApplyResponse {
    let context = match shared.request_context(write.planned.address()) {
        Ok(context) => context,
        Err(d) => return response.with_diagnostics(d),
    };
    let client = &context.client;
    let Some(location) = Location::of(&write.planned, client.tenant()) else {
        return response.with_error(
            "Incomplete kestra_kv object",
            "No namespace or key to write.",
        );
    };
    let mut value = match write.value() {
        Ok(v) => v,
        Err(d) => return response.with_diagnostics(d),
    };
    let action = format!("writing {}", location.describe());
    if write.keeps_server_value() {
        match client.get_opt(&location.namespace, &location.key).await {
            Ok(Some(stored))
                if reads_back_as(
                    Written::Value(&value),
                    Reported::Kind(written_form(&stored.value).kind()),
                ) =>
            {
                value = stored.value;
            }
            Ok(_) => {}
            Err(error) => {
                return response.with_diagnostics(context.failed(&error, &action));
            }
        }
    }
    let planned = write.planned;
    let ttl = match planned.ttl.as_str().map(KvDuration::parse).transpose() {
        Ok(ttl) => ttl,
        Err(error) => return response.with_error("Invalid ttl", error.to_string()),
    };
    let options = PutOptions {
        ttl,
        description: planned.description.as_known().cloned(),
    };
    let result = client
        .put(&location.namespace, &location.key, &value, &options)
        .await;
    shared
        .metadata()
        .invalidate(&location.tenant, &location.namespace);
    if let Err(error) = result {
        return response.with_diagnostics(context.failed(&error, &action));
    }

    // The version just written: the next refresh need not read the value again, and a
    // later delete can tell whether the key was rewritten since.
    let written = match written_stamp(shared, &context, &location).await {
        Ok(stamp) => stamp,
        Err(error) => {
            let action = format!("reading back {}", location.describe());
            return response.with_diagnostics(context.failed(&error, &action));
        }
    };

    let mut state = planned;
    state.id = Attr::Known(location.id());
    state.tenant_id = Attr::Known(location.tenant.clone());
    if state.kind.is_unknown() {
        state.kind = Attr::Known(value.kind().to_string());
    }
    ApplyResponse {
        new_identity: state.identity().map(IntoValue::into_value),
        new_state: state.into_value(),
        private: private_with_stamp(written),
        diagnostics: response.diagnostics,
    }
}

pub(super) async fn delete(shared: &Shared, request: DeleteRequest) -> DeleteResponse {
    let prior = match KvModel::from_value(request.prior_state) {
        Ok(prior) => prior,
        Err(error) => return DeleteResponse::failed(error.into()),
    };
    let context = match shared.request_context(prior.address()) {
        Ok(context) => context,
        Err(d) => return DeleteResponse::failed(d),
    };
    let Some(location) = Location::of(&prior, context.client.tenant()) else {
        return DeleteResponse::failed(Diagnostics::from_error(
            "Incomplete kestra_kv object",
            "No namespace or key to write.",
        ));
    };
    let action = format!("deleting {}", location.describe());
    let mut diagnostics = Diagnostics::default();
    match written_again(shared, &context, &location, &request.private, &action).await {
        Ok(Rewritten::No) => {}
        Ok(Rewritten::Unknown) => diagnostics.warning(
            "Key deleted without a version check",
            format!(
                "Kestra reported neither a revision nor an update time for {}, so the provider could not tell whether it was written again since this object last read it (e.g. by a create_before_destroy replacement).",
                location.describe()
            ),
        ),
        Ok(Rewritten::Gone) => return DeleteResponse::default(),
        Ok(Rewritten::Yes) => {
            diagnostics.warning(
                "Key left in place",
                format!(
                    "{} was written again after this object last read it, by its replacement (create_before_destroy) or another writer; it is removed from the state but not deleted.",
                    location.describe()
                ),
            );
            return DeleteResponse {
                diagnostics,
                ..DeleteResponse::default()
            };
        }
        Err(diagnostics) => return DeleteResponse::failed(diagnostics),
    }
    match context
        .client
        .delete(&location.namespace, &location.key)
        .await
    {
        Ok(existed) => {
            tracing::debug!(existed, key = %location.key, "deleted");
            shared
                .metadata()
                .invalidate(&location.tenant, &location.namespace);
            DeleteResponse {
                diagnostics,
                ..DeleteResponse::default()
            }
        }
        Err(error) => {
            diagnostics.extend(context.failed(&error, &action));
            DeleteResponse::failed(diagnostics)
        }
    }
}

/// Whether the key was written since this object last saw it.
enum Rewritten {
    No,
    /// The object holds no version of the key: nothing can be told.
    Unknown,
    Gone,
    Yes,
}

/// With create_before_destroy, the replacement of a key at the same address is written before
/// the deposed object is deleted: a key written again since this object last saw it belongs to
/// someone else now.
async fn written_again(
    shared: &Shared,
    context: &RequestContext,
    location: &Location,
    private: &[u8],
    action: &str,
) -> Result<Rewritten, Diagnostics> {
    let Some(known) = private_stamp(private) else {
        return Ok(Rewritten::Unknown);
    };
    let client = &context.client;
    match client.get_opt(&location.namespace, &location.key).await {
        Ok(None) => Ok(Rewritten::Gone),
        Ok(Some(stored)) => match current_stamp(shared, context, location, &stored).await {
            Ok(Some(current)) if rewritten_since(&known, &current) => Ok(Rewritten::Yes),
            Ok(_) => Ok(Rewritten::No),
            Err(error) => Err(context.failed(&error, action)),
        },
        Err(error) => Err(context.failed(&error, action)),
    }
}

/// The version stamp of the key just written. Only an answer that cannot be read is an error:
/// whatever sent it (a login page, a proxy) may have answered the write too. Other failures
/// leave no stamp, and the next refresh reads the value again.
async fn written_stamp(
    shared: &Shared,
    context: &RequestContext,
    location: &Location,
) -> Result<Option<String>, kestra_kv_client::Error> {
    let stamp = match context
        .client
        .get_opt(&location.namespace, &location.key)
        .await
    {
        Ok(Some(stored)) => current_stamp(shared, context, location, &stored).await,
        Ok(None) => Ok(None),
        Err(error) => Err(error),
    };
    match stamp {
        Err(error) if !error.is_unreadable_answer() => Ok(None),
        other => other,
    }
}

/// The version stamp of a key just read: from the read itself, else (older Kestra reports
/// neither revision nor update time on GET) from the namespace listing.
async fn current_stamp(
    shared: &Shared,
    context: &RequestContext,
    location: &Location,
    stored: &StoredValue,
) -> Result<Option<String>, kestra_kv_client::Error> {
    if let Some(stamp) = version_stamp(stored.revision, stored.updated) {
        return Ok(Some(stamp));
    }
    let entry = shared
        .metadata()
        .entry(&context.client, &location.namespace, &location.key)
        .await?;
    Ok(entry.as_ref().and_then(listed_stamp))
}
