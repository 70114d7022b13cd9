//! The `kestra_kvs` schema: one namespace (optionally one key prefix) and its keys as a map
//! nested attribute keyed by the full key name.

use crate::tfplugin::{Attribute, Block, NestingMode, Schema, Type};

pub(crate) const SCHEMA_VERSION: i64 = 0;

/// Parallel writes when `max_concurrency` is not set.
pub(crate) const DEFAULT_MAX_CONCURRENCY: i64 = 16;

/// Upper bound of `max_concurrency`: more parallel writes only queue up in the server.
pub(crate) const MAX_CONCURRENCY_LIMIT: i64 = 256;

/// The designed size is 10,000 entries; above this, plan warns and suggests a prefix split.
pub(crate) const ENTRIES_WARNING_THRESHOLD: usize = 20_000;

fn entry_attributes() -> Vec<Attribute> {
    vec![
        Attribute::required("value", Type::String)
            .description("The value, as text in the syntax of its `type` (e.g. `jsonencode(...)` for JSON).")
            .markdown(),
        Attribute::optional_computed("type", Type::String)
            .description("One of `STRING`, `NUMBER`, `BOOLEAN`, `DATETIME`, `DATE`, `DURATION`, `JSON`. Inferred from `value` at plan time when omitted, as for `kestra_kv`.")
            .markdown(),
        Attribute::optional("description", Type::String)
            .description("Description stored with the key.")
            .markdown(),
        Attribute::optional("ttl", Type::String)
            .description("Time to live, an ISO-8601 duration such as `PT1H`, sent on every write of this key. Not read back (Kestra keeps only the expiry instant); an expired key is written again on the next apply.")
            .markdown(),
    ]
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        SCHEMA_VERSION,
        Block::new(vec![
            Attribute::computed("id", Type::String)
                .description("`<tenant>/<namespace>`, or `<tenant>/<namespace>/<prefix>*` with a prefix.")
                .markdown()
                .use_state_for_unknown(),
            Attribute::optional_computed("tenant_id", Type::String)
                .description("Tenant holding the keys; defaults to the provider's tenant. Changing it replaces the resource.")
                .markdown()
                .requires_replace(),
            Attribute::required("namespace", Type::String)
                .description("Namespace of the keys, e.g. `company.team`. Changing it replaces the resource.")
                .markdown()
                .requires_replace(),
            Attribute::optional("prefix", Type::String)
                .description("When set, every key of `entries` must start with it, and `exclusive` owns only the keys under it. Changing it replaces the resource.")
                .markdown()
                .requires_replace(),
            Attribute::optional_computed("exclusive", Type::Bool)
                .description("`false` (default): the resource owns the keys listed in `entries` and never touches others. `true`: it owns every key of the namespace (under `prefix`); keys written there by anyone else show as drift and are deleted by the next apply.")
                .markdown(),
            Attribute::required("entries", Type::String)
                .nested_type(NestingMode::Map, entry_attributes())
                .description("The keys, by full key name (letters, digits, `.`, `_`, `-`; starting with a letter or digit).")
                .markdown(),
            Attribute::optional_computed("max_concurrency", Type::Number)
                .description("Parallel HTTP writes during apply (1 to 256); default 16.")
                .markdown(),
        ])
        .description("Many keys of one namespace of Kestra's Key-Value store as one resource: 10,000 keys apply in seconds.")
        .markdown(),
    )
}
