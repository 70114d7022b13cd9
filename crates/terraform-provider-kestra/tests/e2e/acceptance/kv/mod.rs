//! Acceptance: the `kestra_kv` resource and data source, on 1.15.5 and, for the basic lifecycle
//! (with `kestra_kvs`), on every tested minor; one file per scenario theme.

mod data_source;
mod description_and_ttl;
mod drift;
mod import;
mod official_provider;
mod replacement;
mod terraform_minors;
mod type_matrix;
mod value_fidelity;

pub(crate) use replacement::replacement_keeps_the_key;

fn hcl_string(text: &str) -> String {
    // JSON string syntax is valid HCL except for template sequences.
    serde_json::to_string(text)
        .expect("string")
        .replace("${", "$${")
        .replace("%{", "%%{")
}
