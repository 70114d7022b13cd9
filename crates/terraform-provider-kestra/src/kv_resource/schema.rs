//! The `kestra_kv` schema, its identity, and the typed models of both.

use std::sync::LazyLock;

use kestra_kv_client::KvValue;
use kestra_kv_client::readback::written_form;
use terraform_plugin_sdk::{
    Attr, Attribute, Block, IdentityAttribute, IdentitySchema, Number, Schema, Type,
};

use crate::validation::Address;

/// Version 1 of the state schema; version 0 is the official Go provider's.
pub(crate) const SCHEMA_VERSION: i64 = 1;

terraform_plugin_sdk::model! {
    /// A `kestra_kv` configuration, plan or state.
    pub(crate) struct KvModel {
        pub(crate) id: Attr<String>,
        pub(crate) tenant_id: Attr<String>,
        pub(crate) namespace: Attr<String>,
        pub(crate) key: Attr<String>,
        pub(crate) value: Attr<String>,
        pub(crate) kind as "type": Attr<String>,
        pub(crate) description: Attr<String>,
        pub(crate) ttl: Attr<String>,
        pub(crate) value_wo: Attr<String>,
        pub(crate) value_wo_version: Attr<Number>,
    }
}

terraform_plugin_sdk::model! {
    /// The resource identity of a key.
    pub(crate) struct KvIdentity {
        pub(crate) namespace: Attr<String>,
        pub(crate) key: Attr<String>,
        pub(crate) tenant_id: Attr<String>,
    }
}

impl KvModel {
    pub(crate) fn address(&self) -> Address<'_> {
        Address {
            tenant_id: &self.tenant_id,
            namespace: &self.namespace,
            key: &self.key,
        }
    }

    /// The identity of a state or plan, when its location is wholly known.
    pub(crate) fn identity(&self) -> Option<KvIdentity> {
        let known = |attribute: &Attr<String>| attribute.as_known().cloned().map(Attr::Known);
        Some(KvIdentity {
            namespace: known(&self.namespace)?,
            key: known(&self.key)?,
            tenant_id: known(&self.tenant_id)?,
        })
    }

    /// The full resource object for a key read from the server (import, `terraform query`).
    pub(crate) fn from_server(
        tenant: &str,
        namespace: &str,
        key: &str,
        value: &KvValue,
        description: Option<String>,
    ) -> KvModel {
        let value = written_form(value);
        KvModel {
            id: Attr::Known(format!("{namespace}/{key}")),
            tenant_id: tenant.into(),
            namespace: namespace.into(),
            key: key.into(),
            value: Attr::Known(value.to_text()),
            kind: Attr::Known(value.kind().to_string()),
            description: description.into(),
            ..KvModel::default()
        }
    }
}

/// The state schema, built once.
pub(crate) static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
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
            // Write-only, deliberately not `sensitive`: Terraform never stores or shows it, while
            // Terraform 1.15 records schema-sensitive paths in `sensitive_attributes`, which
            // Terraform 1.6 then plans as an update with no visible change (issue 16, item 11).
            Attribute::optional("value_wo", Type::String)
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
});

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

#[cfg(test)]
mod tests {
    use super::*;
    use terraform_plugin_sdk::check_model;

    #[test]
    fn models_match_their_schemas() {
        assert_eq!(check_model::<KvModel>(&SCHEMA.block), Ok(()));
        let identity = identity_schema();
        let names: Vec<_> = identity
            .attributes
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(
            names,
            <KvIdentity as terraform_plugin_sdk::Model>::ATTRIBUTES
        );
    }
}
