//! Keeps `docs/` (Terraform Registry layout) in step with the schemas and `examples/`: every
//! attribute is listed under the right heading with its schema description and sensitivity, and
//! every embedded example is the file from `examples/` verbatim.

use std::collections::BTreeMap;
use std::path::Path;

use terraform_plugin_sdk::{Attribute, NestingMode, Schema, Type};

/// `(heading, attribute) -> the rest of the line` from a doc's `## Schema` section.
fn documented_attributes(doc: &str) -> BTreeMap<(String, String), String> {
    let mut heading = String::new();
    let mut found = BTreeMap::new();
    let Some(schema_section) = doc.split("\n## Schema\n").nth(1) else {
        return found;
    };
    for line in schema_section.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            heading = h.trim().to_string();
        } else if let Some(rest) = line.strip_prefix("- `")
            && let Some((name, tail)) = rest.split_once('`')
        {
            found.insert((heading.clone(), name.to_string()), tail.trim().to_string());
        }
    }
    found
}

/// `(heading, attribute) -> the rest of the line` as the Registry layout renders a schema:
/// top-level attributes under Required/Optional/Read-Only, the attributes of a nested
/// attribute `x` under "Nested Schema for `x`".
fn expected_attributes(schema: &Schema) -> BTreeMap<(String, String), String> {
    let mut expected = BTreeMap::new();
    for attribute in &schema.block.attributes {
        let heading = if attribute.required {
            "Required"
        } else if attribute.optional {
            "Optional"
        } else {
            "Read-Only"
        };
        expected.insert(
            (heading.to_string(), attribute.name.clone()),
            attribute_line(attribute),
        );
        if let Some(nested) = &attribute.nested {
            let heading = format!("Nested Schema for `{}`", attribute.name);
            for inner in &nested.attributes {
                expected.insert((heading.clone(), inner.name.clone()), attribute_line(inner));
            }
        }
    }
    expected
}

/// `(<kind and flags>) <description>`, plus the link to the nested schema of a nested attribute.
fn attribute_line(attribute: &Attribute) -> String {
    let kind = match (&attribute.nested, &attribute.ty) {
        (Some(nested), _) => match nested.nesting {
            NestingMode::Map => "Attributes Map",
            NestingMode::List => "Attributes List",
            NestingMode::Set => "Attributes Set",
            NestingMode::Single | NestingMode::Group => "Attributes",
        },
        (None, Type::String) => "String",
        (None, Type::Number) => "Number",
        (None, Type::Bool) => "Boolean",
        (None, Type::Map(inner)) if **inner == Type::String => "Map of String",
        (None, Type::List(inner)) if matches!(**inner, Type::Object(_)) => "List of Object",
        _ => "Dynamic",
    };
    let mut flags = vec![kind.to_string()];
    if attribute.sensitive {
        flags.push("Sensitive".into());
    }
    if attribute.write_only {
        flags.push("[Write-only](https://developer.hashicorp.com/terraform/language/resources/ephemeral#write-only-arguments)".into());
    }
    let link = if attribute.nested.is_some() {
        format!(
            " (see [below for nested schema](#nestedatt--{}))",
            attribute.name
        )
    } else {
        String::new()
    };
    format!("({}) {}{link}", flags.join(", "), attribute.description)
}

fn read(relative: &str) -> String {
    // The provider crate lies in `crates/`, two levels below the repository root and its docs.
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn assert_doc_matches(doc_path: &str, schema: &Schema, examples: &[&str]) {
    let doc = read(doc_path);
    assert_eq!(
        documented_attributes(&doc),
        expected_attributes(schema),
        "{doc_path} is out of step with the schema"
    );
    for example in examples {
        let code = read(example);
        assert!(
            doc.contains(code.trim_end()),
            "{doc_path} does not embed {example} verbatim"
        );
    }
}

#[test]
fn provider_doc_lists_the_provider_schema() {
    assert_doc_matches(
        "docs/index.md",
        &super::config::schema(),
        &["examples/provider/provider.tf"],
    );
}

#[test]
fn resource_doc_lists_the_resource_schema() {
    assert_doc_matches(
        "docs/resources/kv.md",
        &super::kv_resource::SCHEMA,
        &[
            "examples/resources/kestra_kv/resource.tf",
            "examples/resources/kestra_kv/import.sh",
            "examples/resources/kestra_kv/import-by-identity/main.tf",
        ],
    );
}

#[test]
fn kvs_resource_doc_lists_its_schema() {
    assert_doc_matches(
        "docs/resources/kvs.md",
        &super::kvs_resource::schema::schema(),
        &[
            "examples/resources/kestra_kvs/resource.tf",
            "examples/resources/kestra_kvs/import.sh",
            "examples/resources/kestra_kvs/migrate-from-kestra_kv/main.tf",
            "examples/resources/kestra_kvs/upgrade-from-entries/main.tf",
        ],
    );
}

#[test]
fn data_source_doc_lists_the_data_source_schema() {
    assert_doc_matches(
        "docs/data-sources/kv.md",
        &super::kv_data_source::schema(),
        &["examples/data-sources/kestra_kv/data-source.tf"],
    );
}

#[test]
fn ephemeral_resource_doc_lists_its_schema() {
    assert_doc_matches(
        "docs/ephemeral-resources/kv.md",
        &super::kv_ephemeral::schema(),
        &["examples/ephemeral-resources/kestra_kv/ephemeral-resource.tf"],
    );
}

#[test]
fn kvs_data_source_doc_lists_its_schema() {
    assert_doc_matches(
        "docs/data-sources/kvs.md",
        &super::kvs_data_source::schema(),
        &["examples/data-sources/kestra_kvs/data-source.tf"],
    );
}

#[test]
fn list_resource_doc_lists_its_schema() {
    assert_doc_matches(
        "docs/list-resources/kv.md",
        &super::kv_list::schema(),
        &["examples/list-resources/kestra_kv/list.tfquery.hcl"],
    );
}
