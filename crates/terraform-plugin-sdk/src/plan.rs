//! The SDK's share of planning and of the invariants Terraform enforces on results (see ARCHITECTURE.md).

use super::diagnostics::{AttributePath, Diagnostics};
use super::provider::ClientCapabilities;
use super::schema::{Block, NestingMode};
use super::value::Value;

/// Nulls every write-only attribute, at any depth, so no state can carry one.
pub fn null_write_only(block: &Block, value: &mut Value) {
    let Value::Object(attributes) = value else {
        return;
    };
    for attribute in block.attributes.iter().filter(|a| a.write_only) {
        if let Some(slot) = attributes.get_mut(&attribute.name) {
            *slot = Value::Null;
        }
    }
    for nested in &block.block_types {
        let Some(nested_value) = attributes.get_mut(&nested.type_name) else {
            continue;
        };
        match nested_value {
            Value::Object(_) => null_write_only(&nested.block, nested_value),
            Value::List(items) | Value::Set(items) => {
                for item in items {
                    null_write_only(&nested.block, item);
                }
            }
            Value::Map(entries) => {
                for item in entries.values_mut() {
                    null_write_only(&nested.block, item);
                }
            }
            _ => {}
        }
    }
}

/// Terraform before 1.11 does not know write-only attributes and would store their values in
/// state (and then reject the SDK's null plan); refuse them up front with a clear message.
pub fn write_only_unsupported(
    block: &Block,
    config: &Value,
    capabilities: ClientCapabilities,
) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    if capabilities.write_only_attributes_allowed {
        return diagnostics;
    }
    for attribute in block.attributes.iter().filter(|a| a.write_only) {
        if !config.get(&attribute.name).is_null() {
            diagnostics.attribute_error(
                AttributePath::attribute(attribute.name.clone()),
                "Write-only attribute not supported",
                format!(
                    "{} is write-only, which needs Terraform 1.11 or later.",
                    attribute.name
                ),
            );
        }
    }
    diagnostics
}

/// The framework's planning recipe: start from `proposed`; null write-only attributes; on
/// create or when anything changed, each computed attribute without a configured value becomes
/// unknown — except `use_state_for_unknown` ones on an existing object, which keep the prior
/// value. Applied to the root object and to single/group nested blocks.
pub fn prefill_planned_state(
    block: &Block,
    prior: &Value,
    proposed: &Value,
    config: &Value,
) -> Value {
    let mut planned = proposed.clone();
    if planned.is_null() {
        return planned;
    }
    null_write_only(block, &mut planned);
    mark_computed_unknown(block, prior, &mut planned, config);
    planned
}

fn mark_computed_unknown(block: &Block, prior: &Value, planned: &mut Value, config: &Value) {
    let changed = prior.is_null() || planned != prior;
    if !changed {
        return;
    }
    for attribute in block.attributes.iter().filter(|a| a.computed) {
        if !config.get(&attribute.name).is_null() {
            continue;
        }
        let prior_value = prior.get(&attribute.name);
        let value = if attribute.use_state_for_unknown && !prior.is_null() {
            prior_value.clone()
        } else {
            Value::Unknown
        };
        planned.set(attribute.name.clone(), value);
    }
    for nested in &block.block_types {
        if matches!(nested.nesting, NestingMode::Single | NestingMode::Group) {
            let name = &nested.type_name;
            let (nested_prior, nested_config) = (prior.get(name).clone(), config.get(name).clone());
            if let Some(nested_planned) = planned.get_mut(name)
                && matches!(nested_planned, Value::Object(_))
            {
                mark_computed_unknown(&nested.block, &nested_prior, nested_planned, &nested_config);
            }
        }
    }
}

/// Paths of `requires_replace` attributes whose planned value differs from the prior one (or is
/// unknown). Empty on create and destroy.
pub fn requires_replace(block: &Block, prior: &Value, planned: &Value) -> Vec<AttributePath> {
    if prior.is_null() || planned.is_null() {
        return Vec::new();
    }
    block
        .attributes
        .iter()
        .filter(|attribute| attribute.requires_replace)
        .filter(|attribute| {
            let planned_value = planned.get(&attribute.name);
            planned_value.is_unknown() || planned_value != prior.get(&attribute.name)
        })
        .map(|attribute| AttributePath::attribute(attribute.name.clone()))
        .collect()
}

/// Replaces unknowns with nulls, returning the paths where there were any.
pub fn strip_unknowns(value: &mut Value) -> Vec<AttributePath> {
    let mut found = Vec::new();
    strip_unknowns_at(value, AttributePath::root(), &mut found);
    found
}

fn strip_unknowns_at(value: &mut Value, path: AttributePath, found: &mut Vec<AttributePath>) {
    match value {
        Value::Unknown => {
            *value = Value::Null;
            found.push(path);
        }
        Value::List(items) | Value::Tuple(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                let index = i64::try_from(index).unwrap_or(i64::MAX);
                strip_unknowns_at(item, path.clone().index(index), found);
            }
        }
        // No path step exists for set elements: report the set itself.
        Value::Set(items) => {
            let mut inner = Vec::new();
            for item in items.iter_mut() {
                strip_unknowns_at(item, AttributePath::root(), &mut inner);
            }
            if !inner.is_empty() {
                found.push(path);
            }
        }
        Value::Map(entries) => {
            for (key, item) in entries.iter_mut() {
                strip_unknowns_at(item, path.clone().key(key.clone()), found);
            }
        }
        Value::Object(entries) => {
            for (name, item) in entries.iter_mut() {
                strip_unknowns_at(item, path.clone().attr(name.clone()), found);
            }
        }
        Value::Null | Value::String(_) | Value::Number(_) | Value::Bool(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Attribute, NestedBlock};
    use crate::types::Type;

    fn block() -> Block {
        Block::new([
            Attribute::required("name", Type::String).requires_replace(),
            Attribute::optional("value", Type::String),
            Attribute::computed("id", Type::String).use_state_for_unknown(),
            Attribute::computed("revision", Type::Number),
            Attribute::optional_computed("kind", Type::String),
            Attribute::optional("secret_wo", Type::String).write_only(),
        ])
        .block(NestedBlock::new(
            "opts",
            NestingMode::Single,
            Block::new([
                Attribute::computed("etag", Type::String),
                Attribute::optional("token_wo", Type::String).write_only(),
            ]),
        ))
    }

    fn object(name: &str, value: Value, id: Value, revision: Value, kind: Value) -> Value {
        Value::object([
            ("name", Value::from(name)),
            ("value", value),
            ("id", id),
            ("revision", revision),
            ("kind", kind),
            ("secret_wo", Value::Null),
            ("opts", Value::Null),
        ])
    }

    #[test]
    fn create_marks_computed_unknown_and_nulls_write_only() {
        let mut config = object("a", Value::from("v"), Value::Null, Value::Null, Value::Null);
        config.set("secret_wo", Value::from("s"));
        config.set(
            "opts",
            Value::object([("etag", Value::Null), ("token_wo", Value::from("t"))]),
        );
        let planned = prefill_planned_state(&block(), &Value::Null, &config, &config);
        assert!(planned.get("id").is_unknown());
        assert!(planned.get("revision").is_unknown());
        assert!(planned.get("kind").is_unknown());
        assert!(planned.get("secret_wo").is_null());
        assert!(planned.get("opts").get("etag").is_unknown());
        assert!(planned.get("opts").get("token_wo").is_null());
        assert_eq!(planned.get("value").as_str(), Some("v"));
        assert!(requires_replace(&block(), &Value::Null, &planned).is_empty());
    }

    #[test]
    fn unchanged_update_keeps_prior_and_change_uses_state_for_unknown() {
        let prior = object(
            "a",
            Value::from("v"),
            Value::from("id-1"),
            Value::from(1),
            Value::from("K"),
        );
        let config = object("a", Value::from("v"), Value::Null, Value::Null, Value::Null);
        let planned = prefill_planned_state(&block(), &prior, &prior, &config);
        assert_eq!(planned, prior);

        let mut proposed = prior.clone();
        proposed.set("value", Value::from("w"));
        let mut changed_config = config.clone();
        changed_config.set("value", Value::from("w"));
        let planned = prefill_planned_state(&block(), &prior, &proposed, &changed_config);
        assert_eq!(planned.get("id").as_str(), Some("id-1"));
        assert!(planned.get("revision").is_unknown());
        assert!(planned.get("kind").is_unknown());
        assert!(requires_replace(&block(), &prior, &planned).is_empty());

        let mut renamed = planned.clone();
        renamed.set("name", Value::from("b"));
        assert_eq!(
            requires_replace(&block(), &prior, &renamed),
            vec![AttributePath::attribute("name")]
        );
        assert!(requires_replace(&block(), &prior, &Value::Null).is_empty());
    }

    #[test]
    fn write_only_needs_client_support() {
        let config = object("a", Value::Null, Value::Null, Value::Null, Value::Null);
        let mut with_secret = config.clone();
        with_secret.set("secret_wo", Value::from("s"));
        let old_client = ClientCapabilities::default();
        let new_client = ClientCapabilities {
            write_only_attributes_allowed: true,
            ..ClientCapabilities::default()
        };
        assert!(write_only_unsupported(&block(), &with_secret, old_client).has_errors());
        assert!(write_only_unsupported(&block(), &with_secret, new_client).is_empty());
        assert!(write_only_unsupported(&block(), &config, old_client).is_empty());
    }

    #[test]
    fn unknowns_are_stripped_with_paths() {
        let mut value = Value::object([
            ("a", Value::Unknown),
            ("l", Value::List(vec![Value::from(1), Value::Unknown])),
            ("s", Value::Set(vec![Value::Unknown])),
            ("ok", Value::from("x")),
        ]);
        let paths: Vec<String> = strip_unknowns(&mut value)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(paths, ["a", "l[1]", "s"]);
        assert!(value.is_wholly_known());
        assert!(value.get("a").is_null());
    }
}
