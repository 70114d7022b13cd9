//! Conversions between the SDK's plain-Rust types and the wire (`pb`) types.

use super::*;

use super::dynamic::{decode_dynamic, encode_dynamic};
use crate::diagnostics::{AttributePath, Diagnostic, Diagnostics, PathStep, Severity};
use crate::provider::ClientCapabilities;
use crate::schema::{
    Attribute, Block, IdentitySchema, NestedBlock, NestedObject, NestingMode, Schema, StringKind,
};
use crate::types::Type;
use crate::value::Value;
use crate::wire::tfplugin6 as pb;

pub(super) fn capabilities(wire: Option<pb::ClientCapabilities>) -> ClientCapabilities {
    let wire = wire.unwrap_or_default();
    ClientCapabilities {
        deferral_allowed: wire.deferral_allowed,
        write_only_attributes_allowed: wire.write_only_attributes_allowed,
    }
}

pub(super) fn decode(
    value: Option<&pb::DynamicValue>,
    ty: &Type,
    what: &str,
) -> Result<Value, Diagnostics> {
    decode_dynamic(value, ty).map_err(|e| {
        Diagnostics::from_error(
            format!("Invalid {what} received from Terraform"),
            e.to_string(),
        )
    })
}

pub(super) fn encode(
    value: &Value,
    ty: &Type,
    what: &str,
) -> Result<pb::DynamicValue, Diagnostics> {
    encode_dynamic(value, ty).map_err(|e| {
        Diagnostics::from_error(
            format!("Provider produced an invalid {what}"),
            format!("{e}. This is a bug in the provider."),
        )
    })
}

pub(super) fn decode_identity(
    entry: &ResourceEntry,
    identity: Option<&pb::ResourceIdentityData>,
) -> Result<Option<Value>, Diagnostics> {
    let (Some((_, ty)), Some(data)) = (&entry.identity, identity) else {
        return Ok(None);
    };
    let value = decode(data.identity_data.as_ref(), ty, "resource identity")?;
    Ok((!value.is_null()).then_some(value))
}

pub(super) fn encode_identity(
    entry: &ResourceEntry,
    identity: Option<&Value>,
) -> Result<Option<pb::ResourceIdentityData>, Diagnostics> {
    match (&entry.identity, identity) {
        (Some((_, ty)), Some(value)) if !value.is_null() => {
            if !value.is_wholly_known() {
                return Err(Diagnostics::from_error(
                    "Provider produced an invalid identity",
                    "The resource identity contains unknown values. This is a bug in the provider.",
                ));
            }
            Ok(Some(pb::ResourceIdentityData {
                identity_data: Some(encode(value, ty, "resource identity")?),
            }))
        }
        _ => Ok(None),
    }
}

pub(super) fn diagnostics_event(diagnostics: Diagnostics) -> pb::list_resource::Event {
    pb::list_resource::Event {
        diagnostic: diagnostics.to_proto(),
        ..Default::default()
    }
}

// Schemas and diagnostics on the wire.

impl StringKind {
    pub(crate) fn to_proto(self) -> i32 {
        match self {
            StringKind::Plain => pb::StringKind::Plain,
            StringKind::Markdown => pb::StringKind::Markdown,
        }
        .into()
    }
}

impl Schema {
    pub(crate) fn to_proto(&self) -> pb::Schema {
        pb::Schema {
            version: self.version,
            block: Some(self.block.to_proto()),
        }
    }
}

impl Block {
    pub(crate) fn to_proto(&self) -> pb::schema::Block {
        pb::schema::Block {
            version: 0,
            attributes: self.attributes.iter().map(Attribute::to_proto).collect(),
            block_types: self.block_types.iter().map(NestedBlock::to_proto).collect(),
            description: self.description.clone(),
            description_kind: self.description_kind.to_proto(),
            deprecated: self.deprecated,
            deprecation_message: String::new(),
            computed: false,
        }
    }
}

impl NestedBlock {
    pub(crate) fn to_proto(&self) -> pb::schema::NestedBlock {
        use pb::schema::nested_block::NestingMode as Wire;
        pb::schema::NestedBlock {
            type_name: self.type_name.clone(),
            block: Some(self.block.to_proto()),
            nesting: match self.nesting {
                NestingMode::Single => Wire::Single,
                NestingMode::Group => Wire::Group,
                NestingMode::List => Wire::List,
                NestingMode::Set => Wire::Set,
                NestingMode::Map => Wire::Map,
            }
            .into(),
            min_items: self.min_items,
            max_items: self.max_items,
        }
    }
}

impl Attribute {
    pub(crate) fn to_proto(&self) -> pb::schema::Attribute {
        // Terraform wants exactly one of `type` and `nested_type`.
        let (r#type, nested_type) = match &self.nested {
            Some(nested) => (Vec::new(), Some(nested.to_proto())),
            None => (self.ty.to_json_bytes(), None),
        };
        pb::schema::Attribute {
            name: self.name.clone(),
            r#type,
            nested_type,
            description: self.description.clone(),
            required: self.required,
            optional: self.optional,
            computed: self.computed,
            sensitive: self.sensitive,
            description_kind: self.description_kind.to_proto(),
            deprecated: self.deprecated,
            write_only: self.write_only,
            deprecation_message: String::new(),
        }
    }
}

impl IdentitySchema {
    pub(crate) fn to_proto(&self) -> pb::ResourceIdentitySchema {
        pb::ResourceIdentitySchema {
            version: self.version,
            identity_attributes: self
                .attributes
                .iter()
                .map(|a| pb::resource_identity_schema::IdentityAttribute {
                    name: a.name.clone(),
                    r#type: a.ty.to_json_bytes(),
                    required_for_import: a.required_for_import,
                    optional_for_import: a.optional_for_import,
                    description: a.description.clone(),
                })
                .collect(),
        }
    }
}

impl AttributePath {
    pub(crate) fn to_proto(&self) -> pb::AttributePath {
        use pb::attribute_path::step::Selector;
        pb::AttributePath {
            steps: self
                .steps
                .iter()
                .map(|step| pb::attribute_path::Step {
                    selector: Some(match step {
                        PathStep::Attribute(name) => Selector::AttributeName(name.clone()),
                        PathStep::Index(index) => Selector::ElementKeyInt(*index),
                        PathStep::Key(key) => Selector::ElementKeyString(key.clone()),
                    }),
                })
                .collect(),
        }
    }

    /// Reads a wire path; steps without a selector are skipped. Terraform never sends paths to
    /// a provider, so only the round-trip test of `to_proto` reads them.
    #[cfg(test)]
    pub(crate) fn from_proto(path: &pb::AttributePath) -> AttributePath {
        use pb::attribute_path::step::Selector;
        AttributePath {
            steps: path
                .steps
                .iter()
                .filter_map(|step| {
                    step.selector.as_ref().map(|selector| match selector {
                        Selector::AttributeName(name) => PathStep::Attribute(name.clone()),
                        Selector::ElementKeyInt(index) => PathStep::Index(*index),
                        Selector::ElementKeyString(key) => PathStep::Key(key.clone()),
                    })
                })
                .collect(),
        }
    }
}

impl Diagnostic {
    pub(crate) fn to_proto(&self) -> pb::Diagnostic {
        pb::Diagnostic {
            severity: match self.severity {
                Severity::Error => pb::diagnostic::Severity::Error,
                Severity::Warning => pb::diagnostic::Severity::Warning,
            }
            .into(),
            summary: self.summary.clone(),
            detail: self.detail.clone(),
            attribute: self.attribute.as_ref().map(AttributePath::to_proto),
        }
    }
}

impl Diagnostics {
    pub(crate) fn to_proto(&self) -> Vec<pb::Diagnostic> {
        self.0.iter().map(Diagnostic::to_proto).collect()
    }
}

impl NestedObject {
    pub(crate) fn to_proto(&self) -> pb::schema::Object {
        use pb::schema::object::NestingMode as Wire;
        // `min_items`/`max_items` are deprecated on the wire and left at zero.
        pb::schema::Object {
            attributes: self.attributes.iter().map(Attribute::to_proto).collect(),
            nesting: match self.nesting {
                NestingMode::Single | NestingMode::Group => Wire::Single,
                NestingMode::List => Wire::List,
                NestingMode::Set => Wire::Set,
                NestingMode::Map => Wire::Map,
            }
            .into(),
            ..Default::default()
        }
    }
}
