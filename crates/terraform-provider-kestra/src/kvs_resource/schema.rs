//! The `kestra_kvs` schema (version 1): one namespace (optionally one key prefix) and its keys
//! as maps of strings keyed by the full key name. No map of objects: Terraform unifies the
//! element types of a configured map of objects pairwise, O(N²) in validate, plan and apply;
//! maps of strings convert element by element (contract §9).

use terraform_plugin_sdk::{Attribute, Block, Schema, Type};

pub(crate) const SCHEMA_VERSION: i64 = 1;

/// Parallel writes when `max_concurrency` is not set.
pub(crate) const DEFAULT_MAX_CONCURRENCY: i64 = 16;

/// Upper bound of `max_concurrency`: more parallel writes only queue up in the server.
pub(crate) const MAX_CONCURRENCY_LIMIT: i64 = 256;

/// The designed size is 10,000 keys and 50,000 stay within 1.5x of Terraform's own floor
/// (benchmark `KESTRA_BENCH=kvs`); above this, plan warns and suggests a prefix split.
pub(crate) const KEYS_WARNING_THRESHOLD: usize = 50_000;

fn string_map() -> Type {
    Type::map(Type::String)
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
                .description("When set, every key of `values` must start with it, and `exclusive` owns only the keys under it. Changing it replaces the resource.")
                .markdown()
                .requires_replace(),
            Attribute::optional_computed("exclusive", Type::Bool)
                .description("`false` (default): the resource owns the keys of `values` and never touches others. `true`: it owns every key of the namespace (under `prefix`); keys written there by anyone else show as drift and are deleted by the next apply.")
                .markdown(),
            Attribute::required("values", string_map())
                .description("The value of each key, by full key name (letters, digits, `.`, `_`, `-`; starting with a letter or digit), as text in the syntax of its type (e.g. `jsonencode(...)` for JSON). The type is inferred from the text as for `kestra_kv` unless `types` names it.")
                .markdown(),
            Attribute::optional_computed("types", string_map())
                .description("Type of the keys whose type should not be inferred from their text: `STRING`, `NUMBER`, `BOOLEAN`, `DATETIME`, `DATE`, `DURATION` or `JSON`. Every key must be a key of `values`.")
                .markdown(),
            Attribute::optional_computed("descriptions", string_map())
                .description("Description stored with each key (printable ASCII). Every key must be a key of `values`.")
                .markdown(),
            Attribute::optional_computed("ttls", string_map())
                .description("Time to live per key, an ISO-8601 duration such as `PT1H`, sent on every write of that key. Not read back (Kestra keeps only the expiry instant); an expired key is written again on the next apply. Every key must be a key of `values`.")
                .markdown(),
            Attribute::optional_computed("max_concurrency", Type::Number)
                .description("Parallel HTTP writes during apply (1 to 256); default 16.")
                .markdown(),
        ])
        .description("Many keys of one namespace of Kestra's Key-Value store as one resource: 10,000 keys apply in seconds.")
        .markdown(),
    )
}
