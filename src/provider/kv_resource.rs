//! Resource `kestra_kv` (contract §3): one typed key of Kestra's KV store.

use std::sync::Arc;

use crate::kestra::{Client, KvDuration, KvType, KvValue, PutOptions, StoredValue};
use crate::tfplugin::{
    ApplyRequest, ApplyResponse, Attribute, AttributePath, Block, Diagnostics, IdentityAttribute,
    IdentitySchema, ImportRequest, ImportResponse, PlanRequest, PlanResponse, ReadRequest,
    ReadResponse, Resource, Schema, Type, UpgradeStateRequest, ValidateResourceRequest, Value,
    async_trait, decode_json,
};

use super::errors::attribute_error;
use super::validation::{
    check_description, check_location, check_ttl, check_type, check_value, key_problem,
    namespace_problem,
};
use super::value_semantics::{description_as_kept, keeps_prior_spelling, matches_state};
use super::version_stamp::{listed_stamp, rewritten_since, version_stamp};
use super::{RequestContext, Shared};

/// Version 1 of the state schema; version 0 is the official Go provider's.
const SCHEMA_VERSION: i64 = 1;

pub(crate) struct KvResource {
    shared: Arc<Shared>,
}

impl KvResource {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        KvResource { shared }
    }
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        SCHEMA_VERSION,
        Block::new(vec![
            Attribute::computed("id", Type::String)
                .description("`<namespace>/<key>`, as in the official provider.")
                .markdown()
                .use_state_for_unknown(),
            Attribute::optional_computed("tenant_id", Type::String)
                .description("Tenant holding the key; defaults to the provider's tenant. Changing it replaces the key.")
                .markdown()
                .requires_replace(),
            Attribute::required("namespace", Type::String)
                .description("Namespace of the key, e.g. `company.team`. Changing it replaces the key.")
                .markdown()
                .requires_replace(),
            Attribute::required("key", Type::String)
                .description("Name of the key (letters, digits, `.`, `_`, `-`; starting with a letter or digit). Changing it replaces the key.")
                .markdown()
                .requires_replace(),
            Attribute::optional("value", Type::String)
                .description("The value, as text in the syntax of its `type` (e.g. `jsonencode(...)` for JSON). Exactly one of `value` and `value_wo`.")
                .markdown(),
            Attribute::optional_computed("type", Type::String)
                .description("One of `STRING`, `NUMBER`, `BOOLEAN`, `DATETIME`, `DATE`, `DURATION`, `JSON`. Inferred from `value` at plan time when omitted.")
                .markdown(),
            Attribute::optional("description", Type::String)
                .description("Description stored with the key.")
                .markdown(),
            Attribute::optional("ttl", Type::String)
                .description("Time to live, an ISO-8601 duration such as `PT1H` or `P1DT12H`, sent on every write. Kestra keeps only the expiry instant, so `ttl` is not read back; an expired key is written again on the next apply.")
                .markdown(),
            Attribute::optional("value_wo", Type::String)
                .sensitive()
                .write_only()
                .description("Write-only value (Terraform 1.11 or later): sent to Kestra, never stored in plan or state. Written on create and whenever `value_wo_version` changes.")
                .markdown(),
            Attribute::optional("value_wo_version", Type::Number)
                .description("Change it to write `value_wo` again.")
                .markdown(),
        ])
        .description("A typed key of Kestra's Key-Value store.")
        .markdown(),
    )
}

/// Resource identity (Terraform >= 1.12): enough to find the key, for `import { identity = ... }`
/// and `terraform query`.
pub(crate) fn identity_schema() -> IdentitySchema {
    IdentitySchema::new(
        0,
        [
            IdentityAttribute::required_for_import("namespace", Type::String)
                .description("Namespace of the key."),
            IdentityAttribute::required_for_import("key", Type::String)
                .description("Name of the key."),
            IdentityAttribute::optional_for_import("tenant_id", Type::String)
                .description("Tenant holding the key; defaults to the provider's tenant."),
        ],
    )
}

/// The identity of a state or plan object, when its location is wholly known.
pub(crate) fn identity_of(object: &Value) -> Option<Value> {
    let attribute = |name: &str| object.get(name).as_str().map(Value::string);
    Some(Value::object([
        ("namespace", attribute("namespace")?),
        ("key", attribute("key")?),
        ("tenant_id", attribute("tenant_id")?),
    ]))
}

/// The full resource object for a key read from the server (import, `terraform query`).
pub(crate) fn resource_object(
    tenant: &str,
    namespace: &str,
    key: &str,
    value: &KvValue,
    description: Option<String>,
) -> Value {
    let mut object = schema().null_object();
    object.set("id", Value::string(format!("{namespace}/{key}")));
    object.set("tenant_id", Value::string(tenant));
    object.set("namespace", Value::string(namespace));
    object.set("key", Value::string(key));
    let value = value.as_written();
    object.set("value", Value::string(value.to_text()));
    object.set("type", Value::string(value.kind().to_string()));
    object.set("description", Value::from(description));
    object
}

/// Where a key lives.
#[derive(Debug)]
struct Location {
    tenant: String,
    namespace: String,
    key: String,
}

impl Location {
    fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.key)
    }

    fn describe(&self) -> String {
        format!(
            "key {:?} in namespace {:?} (tenant {:?})",
            self.key, self.namespace, self.tenant
        )
    }

    /// Reads an identity given to `import { identity = { ... } }`.
    fn from_identity(identity: &Value, default_tenant: Option<String>) -> Result<Location, String> {
        let (Some(namespace), Some(key)) = (
            identity.get("namespace").as_str(),
            identity.get("key").as_str(),
        ) else {
            return Err(
                "The identity needs `namespace` and `key` (and optionally `tenant_id`)."
                    .to_string(),
            );
        };
        let tenant = identity
            .get("tenant_id")
            .as_str()
            .map(str::to_string)
            .or(default_tenant);
        Location::checked(tenant, namespace, key, "Identity")
    }

    /// Validates the parts of a location given by the user.
    fn checked(
        tenant: Option<String>,
        namespace: &str,
        key: &str,
        what: &str,
    ) -> Result<Location, String> {
        if let Some(problem) = namespace_problem(namespace).or_else(|| key_problem(key)) {
            return Err(format!("{what}: {problem}"));
        }
        let tenant = tenant
            .filter(|t| !t.is_empty())
            .ok_or_else(|| format!("{what}: the tenant is empty."))?;
        Ok(Location {
            tenant,
            namespace: namespace.to_string(),
            key: key.to_string(),
        })
    }

    /// Parses an import ID: `<namespace>/<key>` or `<tenant>/<namespace>/<key>`.
    fn from_import_id(id: &str, default_tenant: Option<String>) -> Result<Location, String> {
        let parts: Vec<&str> = id.split('/').collect();
        let (tenant, namespace, key) = match parts.as_slice() {
            [namespace, key] => (default_tenant, *namespace, *key),
            [tenant, namespace, key] => (Some(tenant.to_string()), *namespace, *key),
            _ => {
                return Err(format!(
                    "{id:?} is not a kestra_kv import ID. Expected \"<namespace>/<key>\" (e.g. \"company.team/my_key\") or \"<tenant>/<namespace>/<key>\" (e.g. \"main/company.team/my_key\")."
                ));
            }
        };
        Location::checked(tenant, namespace, key, &format!("Import ID {id:?}"))
    }
}

fn private_stamp(private: &[u8]) -> Option<String> {
    let private: serde_json::Value = serde_json::from_slice(private).ok()?;
    Some(private.get("version")?.as_str()?.to_string())
}

fn private_with_stamp(stamp: Option<String>) -> Vec<u8> {
    stamp.map_or_else(Vec::new, |stamp| {
        serde_json::json!({ "version": stamp })
            .to_string()
            .into_bytes()
    })
}

impl KvResource {
    fn location(client: &Client, object: &Value) -> Option<Location> {
        Some(Location {
            tenant: client.tenant().to_string(),
            namespace: object.get("namespace").as_str()?.to_string(),
            key: object.get("key").as_str()?.to_string(),
        })
    }

    /// All configuration checks; also run at plan time when more values are known.
    fn check_config(config: &Value, diagnostics: &mut Diagnostics) {
        let root = AttributePath::root();
        check_location(config, diagnostics);
        let kind = check_type(config, &root, diagnostics);
        check_ttl(config, &root, diagnostics);
        check_description(config, &root, diagnostics);
        let value = config.get("value");
        let value_wo = config.get("value_wo");
        // Write-only values are in the configuration at validate and plan time too: a value
        // Kestra cannot hold is refused there, whichever attribute carries it.
        if config.get("type").is_wholly_known() {
            for (attribute, text) in [("value", value), ("value_wo", value_wo)] {
                if let Some(text) = text.as_str() {
                    check_value(text, kind, &root, attribute, diagnostics);
                }
            }
        }
        // Checked only on what is known: with `value = var.a` and `value_wo = var.b` one of
        // them may turn out null once the variables are known.
        if value.is_set() && value_wo.is_set() {
            attribute_error(
                diagnostics,
                "value_wo",
                "Conflicting values",
                "Set exactly one of `value` and `value_wo`, not both.",
            );
        }
        if value.is_null() && value_wo.is_null() {
            attribute_error(
                diagnostics,
                "value",
                "Missing value",
                "Set exactly one of `value` (stored in state) and `value_wo` (write-only, Terraform 1.11 or later).",
            );
        }
        if config.get("value_wo_version").is_set() && value_wo.is_null() && value.is_set() {
            attribute_error(
                diagnostics,
                "value_wo_version",
                "value_wo_version without value_wo",
                "`value_wo_version` triggers writes of `value_wo`; it has no effect with `value`.",
            );
        }
    }

    /// Deletes the key and finishes the delete's response.
    async fn delete_key(
        &self,
        mut response: ApplyResponse,
        context: &RequestContext,
        location: &Location,
        action: &str,
    ) -> ApplyResponse {
        match context
            .client
            .delete(&location.namespace, &location.key)
            .await
        {
            Ok(existed) => {
                tracing::debug!(existed, key = %location.key, "deleted");
                self.shared
                    .metadata()
                    .invalidate(&location.tenant, &location.namespace);
                response.new_state = Value::Null;
                response
            }
            Err(error) => response.with_diagnostics(context.failed(&error, action)),
        }
    }

    /// The version stamp of a key just read: from the read itself, else (older Kestra reports
    /// neither revision nor update time on GET) from the namespace listing.
    async fn current_stamp(
        &self,
        client: &Client,
        location: &Location,
        stored: &StoredValue,
    ) -> Result<Option<String>, crate::kestra::Error> {
        if let Some(stamp) = version_stamp(stored.revision, stored.updated) {
            return Ok(Some(stamp));
        }
        let entry = self
            .shared
            .metadata()
            .entry(client, &location.namespace, &location.key)
            .await?;
        Ok(entry.as_ref().and_then(listed_stamp))
    }

    /// The value to write at apply time: `value` with the planned type, or the write-only value.
    fn value_to_write(planned: &Value, config: &Value) -> Result<KvValue, Diagnostics> {
        let (text, attribute) = match planned.get("value").as_str() {
            Some(text) => (text.to_string(), "value"),
            None => match config.get("value_wo").as_str() {
                Some(text) => (text.to_string(), "value_wo"),
                None => {
                    let mut diagnostics = Diagnostics::default();
                    attribute_error(
                        &mut diagnostics,
                        "value",
                        "Missing value",
                        "Neither `value` nor `value_wo` is set, so there is nothing to write.",
                    );
                    return Err(diagnostics);
                }
            },
        };
        let mut diagnostics = Diagnostics::default();
        let kind = planned
            .get("type")
            .as_str()
            .and_then(|t| t.parse::<KvType>().ok());
        match check_value(
            &text,
            kind,
            &AttributePath::root(),
            attribute,
            &mut diagnostics,
        ) {
            Some(value) => Ok(value),
            None => Err(diagnostics),
        }
    }
}

#[async_trait]
impl Resource for KvResource {
    fn type_name(&self) -> &'static str {
        "kestra_kv"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(identity_schema())
    }

    async fn validate(&self, request: ValidateResourceRequest) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        Self::check_config(&request.config, &mut diagnostics);
        diagnostics
    }

    async fn upgrade_state(&self, request: UpgradeStateRequest) -> Result<Value, Diagnostics> {
        let implied = schema().implied_type();
        let bytes = request.raw_json.to_string().into_bytes();
        let mut state = decode_json(&bytes, &implied).map_err(|error| {
            let mut diagnostics = Diagnostics::default();
            diagnostics.error("Unreadable kestra_kv state", error.to_string());
            diagnostics
        })?;
        match request.version {
            SCHEMA_VERSION => Ok(state),
            0 => {
                // The official provider stored `type` as "" when it was not configured.
                let inferred = match (state.get("type").as_str(), state.get("value").as_str()) {
                    (Some(""), Some(text)) | (None, Some(text)) => {
                        Some(KvType::infer(text).to_string())
                    }
                    (Some(""), None) => None,
                    (Some(kind), _) => Some(kind.to_uppercase()),
                    (None, None) => None,
                };
                state.set("type", Value::from(inferred));
                // Its read stored the (absent) description header as "", and an unset computed
                // tenant may be "" too: both mean "none".
                for attribute in ["description", "tenant_id"] {
                    if state.get(attribute).as_str() == Some("") {
                        state.set(attribute, Value::Null);
                    }
                }
                if state.get("id").is_null()
                    && let (Some(namespace), Some(key)) =
                        (state.get("namespace").as_str(), state.get("key").as_str())
                {
                    let id = format!("{namespace}/{key}");
                    state.set("id", Value::string(id));
                }
                Ok(state)
            }
            other => {
                let mut diagnostics = Diagnostics::default();
                diagnostics.error(
                    "Unsupported kestra_kv state version",
                    format!("The state was written with schema version {other}, which this provider does not know (it knows 0 and {SCHEMA_VERSION})."),
                );
                Err(diagnostics)
            }
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let mut response = ReadResponse::keep(&request);
        let mut state = request.current_state.clone();
        if state.get("tenant_id").is_null()
            && let Some(tenant) = self.shared.default_tenant()
        {
            state.set("tenant_id", Value::string(tenant));
        }
        let context = match self.shared.request_context(&state) {
            Ok(context) => context,
            Err(d) => return response.with_diagnostics(d),
        };
        let client = &context.client;
        let Some(location) = Self::location(client, &state) else {
            return response.with_error(
                "Incomplete kestra_kv state",
                "The state has no namespace or key.",
            );
        };
        let action = format!("reading {}", location.describe());

        let entry = match self
            .shared
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
            let server_description = entry.description.as_deref();
            if description_as_kept(server_description)
                != description_as_kept(state.get("description").as_str())
            {
                let server_description = description_as_kept(server_description);
                state.set(
                    "description",
                    Value::from(server_description.map(str::to_string)),
                );
            }
        }
        state.set("id", Value::string(location.id()));

        let state_type = state.get("type").as_str().map(str::to_string);
        let state_value = state.get("value").as_str().map(str::to_string);
        let stamp = entry.as_ref().and_then(listed_stamp);
        let unchanged_revision =
            stamp.is_some() && stamp == private_stamp(&request.private) && state_type.is_some();
        if unchanged_revision {
            response.identity = identity_of(&state);
            response.new_state = state;
            return response;
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
        let stored_value = stored.value.as_written();
        let stored_kind = stored_value.kind().to_string();
        match (&state_type, &state_value) {
            // Import, or a state without a value yet: take the server's.
            (None, None) => {
                state.set("value", Value::string(stored_value.to_text()));
                state.set("type", Value::string(stored_kind));
            }
            // Write-only value: never drag it into state; a changed type is drift.
            (Some(kind), None) => {
                // The written value is not known here, only its type.
                let compatible = kind
                    .parse::<KvType>()
                    .is_ok_and(|written| written.may_be_reported_as(stored_value.kind()));
                if !compatible {
                    state.set("type", Value::string(stored_kind));
                }
            }
            (kind, Some(text)) => {
                let kind = kind
                    .clone()
                    .unwrap_or_else(|| KvType::infer(text).to_string());
                if matches_state(&kind, text, &stored.value) {
                    state.set("type", Value::string(kind));
                } else {
                    tracing::debug!(key = %location.key, "value drifted on the server");
                    state.set("value", Value::string(stored_value.to_text()));
                    state.set("type", Value::string(stored_kind));
                }
            }
        }
        response.identity = identity_of(&state);
        response.new_state = state;
        response.private = private_with_stamp(stamp);
        response
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let mut response = PlanResponse::from_request(&request);
        let config = &request.config;
        let mut diagnostics = Diagnostics::default();
        Self::check_config(config, &mut diagnostics);
        if diagnostics.has_errors() {
            response.diagnostics = diagnostics;
            return response;
        }
        let planned = &mut response.planned_state;
        let prior = &request.prior_state;

        // tenant: configured, else the provider's (unknown if the provider config is unknown).
        let tenant = match config.get("tenant_id") {
            Value::Null => self
                .shared
                .default_tenant()
                .map(Value::string)
                .unwrap_or(Value::Unknown),
            other => other.clone(),
        };
        planned.set("tenant_id", tenant);

        let id = match (config.get("namespace").as_str(), config.get("key").as_str()) {
            (Some(namespace), Some(key)) => Value::string(format!("{namespace}/{key}")),
            _ => Value::Unknown,
        };
        planned.set("id", id);

        // type: configured, else inferred from whichever value is known.
        let planned_type = match config.get("type") {
            Value::Null => {
                let source = if config.get("value").is_null() {
                    config.get("value_wo")
                } else {
                    config.get("value")
                };
                match source.as_str() {
                    Some(text) => Value::string(KvType::infer(text).to_string()),
                    None => Value::Unknown,
                }
            }
            other => other.clone(),
        };
        planned.set("type", planned_type.clone());

        // value: keep the prior spelling when the configured value means the same.
        if let (Some(prior_text), Some(config_text), Some(kind)) = (
            prior.get("value").as_str(),
            config.get("value").as_str(),
            planned_type.as_str(),
        ) && keeps_prior_spelling(prior.get("type").as_str(), prior_text, config_text, kind)
        {
            planned.set("value", Value::string(prior_text.to_string()));
        }
        response.planned_identity = identity_of(planned).or(response.planned_identity);
        response.diagnostics = diagnostics;
        response
    }

    async fn apply(&self, request: ApplyRequest) -> ApplyResponse {
        let mut response = ApplyResponse::failed(&request);
        let object = if request.planned_state.is_null() {
            &request.prior_state
        } else {
            &request.planned_state
        };
        let context = match self.shared.request_context(object) {
            Ok(context) => context,
            Err(d) => return response.with_diagnostics(d),
        };
        let client = &context.client;
        let Some(location) = Self::location(client, object) else {
            return response.with_error(
                "Incomplete kestra_kv object",
                "No namespace or key to write.",
            );
        };

        if request.planned_state.is_null() {
            let action = format!("deleting {}", location.describe());
            // With create_before_destroy, the replacement of a key at the same address is
            // written before this (deposed) object is deleted: a key written again since this
            // object last saw it belongs to someone else now.
            let Some(known) = private_stamp(&request.planned_private) else {
                response.diagnostics.warning(
                    "Key deleted without a version check",
                    format!(
                        "Kestra reported neither a revision nor an update time for {}, so the provider could not tell whether it was written again since this object last read it (e.g. by a create_before_destroy replacement).",
                        location.describe()
                    ),
                );
                return self
                    .delete_key(response, &context, &location, &action)
                    .await;
            };
            match client.get_opt(&location.namespace, &location.key).await {
                Ok(None) => {
                    response.new_state = Value::Null;
                    return response;
                }
                Ok(Some(stored)) => match self.current_stamp(client, &location, &stored).await {
                    Ok(Some(current)) if rewritten_since(&known, &current) => {
                        response.new_state = Value::Null;
                        response.diagnostics.warning(
                            "Key left in place",
                            format!(
                                "{} was written again after this object last read it, by its replacement (create_before_destroy) or another writer; it is removed from the state but not deleted.",
                                location.describe()
                            ),
                        );
                        return response;
                    }
                    Ok(_) => {}
                    Err(error) => {
                        return response.with_diagnostics(context.failed(&error, &action));
                    }
                },
                Err(error) => {
                    return response.with_diagnostics(context.failed(&error, &action));
                }
            }
            return self
                .delete_key(response, &context, &location, &action)
                .await;
        }

        let planned = &request.planned_state;
        let mut value = match Self::value_to_write(planned, &request.config) {
            Ok(v) => v,
            Err(d) => return response.with_diagnostics(d),
        };
        let action = format!("writing {}", location.describe());
        // A write-only value is rewritten only when its version changes; other updates keep the
        // value the server holds, unless it is gone or no longer of the planned type (the
        // state must end up as planned).
        let prior = &request.prior_state;
        let keep_server_value = planned.get("value").is_null()
            && !prior.is_null()
            && prior.get("value").is_null()
            && prior.get("value_wo_version") == planned.get("value_wo_version");
        if keep_server_value {
            match client.get_opt(&location.namespace, &location.key).await {
                Ok(Some(stored)) if value.may_read_back_as(stored.value.as_written().kind()) => {
                    value = stored.value;
                }
                Ok(_) => {}
                Err(error) => {
                    return response.with_diagnostics(context.failed(&error, &action));
                }
            }
        }
        let ttl = match planned
            .get("ttl")
            .as_str()
            .map(KvDuration::parse)
            .transpose()
        {
            Ok(ttl) => ttl,
            Err(error) => return response.with_error("Invalid ttl", error.to_string()),
        };
        let options = PutOptions {
            ttl,
            description: planned.get("description").as_str().map(str::to_string),
        };
        let result = client
            .put(&location.namespace, &location.key, &value, &options)
            .await;
        self.shared
            .metadata()
            .invalidate(&location.tenant, &location.namespace);
        if let Err(error) = result {
            return response.with_diagnostics(context.failed(&error, &action));
        }

        // The version just written: the next refresh need not read the value again, and a
        // later delete can tell whether the key was rewritten since.
        let written = match client.get_opt(&location.namespace, &location.key).await {
            Ok(Some(stored)) => self
                .current_stamp(client, &location, &stored)
                .await
                .ok()
                .flatten(),
            Ok(None) | Err(_) => None,
        };

        let mut state = planned.clone();
        state.set("id", Value::string(location.id()));
        state.set("tenant_id", Value::string(location.tenant.clone()));
        if !state.get("type").is_wholly_known() {
            state.set("type", Value::string(value.kind().to_string()));
        }
        response.new_identity = identity_of(&state);
        response.new_state = state;
        response.private = private_with_stamp(written);
        response
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let default_tenant = self.shared.default_tenant();
        let location = match &request.identity {
            Some(identity) => Location::from_identity(identity, default_tenant),
            None => Location::from_import_id(&request.id, default_tenant),
        };
        let location = match location {
            Ok(location) => location,
            Err(message) => {
                let mut diagnostics = Diagnostics::default();
                diagnostics.error("Invalid import ID", message);
                return ImportResponse::failed(diagnostics);
            }
        };
        let mut state = schema().null_object();
        state.set("id", Value::string(location.id()));
        state.set("tenant_id", Value::string(location.tenant));
        state.set("namespace", Value::string(location.namespace));
        state.set("key", Value::string(location.key));
        let identity = identity_of(&state);
        ImportResponse::imported(state, identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids_name_the_expected_formats() {
        let loc =
            Location::from_import_id("company.team/my_key", Some("main".into())).expect("valid");
        assert_eq!(
            (
                loc.tenant.as_str(),
                loc.namespace.as_str(),
                loc.key.as_str()
            ),
            ("main", "company.team", "my_key")
        );
        let loc =
            Location::from_import_id("acme/company.team/k1", Some("main".into())).expect("valid");
        assert_eq!(loc.tenant, "acme");
        for bad in ["nokey", "a/b/c/d", "company.team/bad$key", "Bad/key", ""] {
            let error = Location::from_import_id(bad, Some("main".into())).expect_err(bad);
            assert!(
                error.contains("<namespace>/<key>") || error.contains("not a valid"),
                "{error}"
            );
        }
    }

    /// The `value`/`value_wo` pair is judged on known values only: Terraform validates with
    /// variables unknown, and either side may turn out null.
    #[test]
    fn value_pair_checks_wait_for_known_values() {
        let errors = |value: Value, value_wo: Value| {
            let mut config = schema().null_object();
            for (name, set_to) in [
                ("namespace", Value::string("company.team")),
                ("key", Value::string("k")),
                ("value", value),
                ("value_wo", value_wo),
            ] {
                if let Some(slot) = config.get_mut(name) {
                    *slot = set_to;
                }
            }
            let mut diagnostics = Diagnostics::new();
            KvResource::check_config(&config, &mut diagnostics);
            diagnostics
                .iter()
                .map(|d| d.summary.clone())
                .collect::<Vec<_>>()
        };
        let text = || Value::string("x");
        assert!(errors(Value::Unknown, Value::Unknown).is_empty());
        assert!(errors(text(), Value::Unknown).is_empty());
        assert!(errors(Value::Unknown, Value::Null).is_empty());
        assert!(errors(Value::Null, text()).is_empty());
        assert_eq!(errors(text(), text()), ["Conflicting values"]);
        assert_eq!(errors(Value::Null, Value::Null), ["Missing value"]);
    }

    #[test]
    fn private_stamp_round_trips_and_tolerates_garbage() {
        use crate::kestra::KvEntry;
        use crate::provider::version_stamp::stamp_revision;
        let entry = KvEntry {
            namespace: None,
            key: "k".into(),
            description: None,
            revision: Some(7),
            creation_date: None,
            update_date: Some(time::macros::datetime!(2026-01-02 03:04:05.123456 UTC)),
            expiration_date: None,
        };
        let stamp = listed_stamp(&entry);
        assert!(stamp.is_some());
        assert_eq!(stamp.as_deref().and_then(stamp_revision), Some(7));
        assert_eq!(private_stamp(&private_with_stamp(stamp.clone())), stamp);
        assert_eq!(
            listed_stamp(&KvEntry {
                update_date: None,
                ..entry
            }),
            None,
            "no stamp without an update time"
        );
        assert_eq!(private_stamp(&private_with_stamp(None)), None);
        assert_eq!(private_stamp(b"\xff not json"), None);
    }
}
