//! Schema model for providers, resources and data sources, with SDK-only planning flags.

use std::collections::BTreeMap;

use super::types::Type;

/// How Terraform and documentation tools render a description.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StringKind {
    /// Plain text, shown as is.
    #[default]
    Plain,
    /// Markdown, rendered by the registry and documentation generators.
    Markdown,
}

/// A versioned schema: `version` is stored with each state instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// State schema version; bump it when stored state needs
    /// [`Resource::upgrade_state`](crate::Resource::upgrade_state) to convert it.
    pub version: i64,
    /// The top-level block: the attributes and nested blocks of the configuration and state.
    pub block: Block,
}

impl Schema {
    /// A schema of `block` at state version `version` (0 for a new resource type).
    pub fn new(version: i64, block: Block) -> Schema {
        Schema { version, block }
    }

    /// Object type of values conforming to this schema.
    pub fn implied_type(&self) -> Type {
        self.block.implied_type()
    }

    /// Checks what Terraform would otherwise crash or fail on: names, flag combinations, types.
    pub fn validate(&self) -> Result<(), SchemaError> {
        self.block.validate("")
    }
}

/// A schema that Terraform would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid schema at {path}: {message}")]
pub struct SchemaError {
    /// Dotted path of the offending attribute or block (`rule.name`).
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

/// A configuration block (`Schema.Block`): its attributes and its nested block types. Its value
/// is an object with one key per attribute and per nested block type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    /// The attributes set with `name = value`.
    pub attributes: Vec<Attribute>,
    /// The nested block types written as `name { ... }` inside this block.
    pub block_types: Vec<NestedBlock>,
    /// Documentation of the block, shown by the registry and `terraform providers schema`.
    pub description: String,
    /// Whether `description` is plain text or Markdown.
    pub description_kind: StringKind,
    /// Terraform warns when the block is used.
    pub deprecated: bool,
}

impl Block {
    /// A block with these attributes, no nested blocks and no description.
    pub fn new(attributes: impl IntoIterator<Item = Attribute>) -> Block {
        Block {
            attributes: attributes.into_iter().collect(),
            ..Block::default()
        }
    }

    /// Sets the documentation of the block.
    pub fn description(mut self, text: impl Into<String>) -> Block {
        self.description = text.into();
        self
    }

    /// Marks the description as Markdown.
    pub fn markdown(mut self) -> Block {
        self.description_kind = StringKind::Markdown;
        self
    }

    /// Marks the block deprecated: Terraform warns users who still write it.
    pub fn deprecated(mut self) -> Block {
        self.deprecated = true;
        self
    }

    /// Adds a nested block type.
    pub fn block(mut self, nested: NestedBlock) -> Block {
        self.block_types.push(nested);
        self
    }

    /// The attribute called `name`, if the block has one.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// Object type of values of this block: each attribute's type, and each nested block type
    /// wrapped as its nesting mode says (list, set or map of objects, or one object).
    pub fn implied_type(&self) -> Type {
        let mut attributes: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.ty.clone()))
            .collect();
        for nested in &self.block_types {
            let object = nested.block.implied_type();
            let ty = match nested.nesting {
                NestingMode::Single | NestingMode::Group => object,
                NestingMode::List => Type::list(object),
                NestingMode::Set => Type::set(object),
                NestingMode::Map => Type::map(object),
            };
            attributes.insert(nested.type_name.clone(), ty);
        }
        Type::Object(attributes)
    }

    fn validate(&self, prefix: &str) -> Result<(), SchemaError> {
        let mut seen = std::collections::BTreeSet::new();
        let names = self
            .attributes
            .iter()
            .map(|a| &a.name)
            .chain(self.block_types.iter().map(|b| &b.type_name));
        for name in names {
            let path = format!("{prefix}{name}");
            let error = |message: &str| SchemaError {
                path: path.clone(),
                message: message.to_owned(),
            };
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(error("names must match ^[a-z0-9_]+$"));
            }
            if !seen.insert(name) {
                return Err(error("duplicate name"));
            }
        }
        for attribute in &self.attributes {
            let error = |message: &str| SchemaError {
                path: format!("{prefix}{}", attribute.name),
                message: message.to_owned(),
            };
            match (attribute.required, attribute.optional, attribute.computed) {
                (true, false, false) | (false, true, _) | (false, false, true) => {}
                _ => {
                    return Err(error(
                        "exactly one of required, optional, computed or optional+computed",
                    ));
                }
            }
            if attribute.write_only && attribute.computed {
                return Err(error("write-only attributes cannot be computed"));
            }
            let type_json = attribute.ty.to_json_bytes();
            if Type::from_json(&type_json).as_ref().ok() != Some(&attribute.ty) {
                return Err(error("type does not round-trip through cty type JSON"));
            }
            if let Some(nested) = &attribute.nested {
                Block::new(nested.attributes.clone())
                    .validate(&format!("{prefix}{}.", attribute.name))?;
            }
        }
        for nested in &self.block_types {
            nested
                .block
                .validate(&format!("{prefix}{}.", nested.type_name))?;
        }
        Ok(())
    }
}

/// Nesting of a nested block type or nested attribute: how many there may be and how their
/// values are shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NestingMode {
    /// At most one; the value is an object, or null when absent.
    Single,
    /// Exactly one, never null: when absent its attributes are all null. On a nested attribute
    /// it is sent as SINGLE.
    Group,
    /// Any number, in order; the value is a list of objects, empty (never null) when absent.
    List,
    /// Any number, unordered; the value is a set of objects, empty when absent.
    Set,
    /// Labelled blocks (`name "label" { ... }`); the value is a map from label to object.
    Map,
}

/// A nested block type of a [`Block`] (`Schema.NestedBlock`).
#[derive(Debug, Clone, PartialEq)]
pub struct NestedBlock {
    /// The block's name in configuration (`rule` for `rule { ... }`).
    pub type_name: String,
    /// The attributes and nested blocks inside each such block.
    pub block: Block,
    /// How many may appear and how their values are shaped.
    pub nesting: NestingMode,
    /// Fewest blocks Terraform accepts; 0 for no minimum.
    pub min_items: i64,
    /// Most blocks Terraform accepts; 0 for no maximum.
    pub max_items: i64,
}

impl NestedBlock {
    /// A nested block type named `type_name`, with no item limits.
    pub fn new(type_name: impl Into<String>, nesting: NestingMode, block: Block) -> NestedBlock {
        NestedBlock {
            type_name: type_name.into(),
            block,
            nesting,
            min_items: 0,
            max_items: 0,
        }
    }

    /// Sets how many blocks Terraform accepts (0 means no limit), checked by Terraform itself.
    pub fn items(mut self, min_items: i64, max_items: i64) -> NestedBlock {
        self.min_items = min_items;
        self.max_items = max_items;
        self
    }
}

/// A schema attribute. `requires_replace` and `use_state_for_unknown` are SDK planning
/// behaviours, never sent on the wire.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The attribute's name in configuration and state (`^[a-z0-9_]+$`).
    pub name: String,
    /// The attribute's cty type.
    pub ty: Type,
    /// Documentation of the attribute, shown by the registry and `terraform providers schema`.
    pub description: String,
    /// Whether `description` is plain text or Markdown.
    pub description_kind: StringKind,
    /// The configuration must set it.
    pub required: bool,
    /// The configuration may set it; with `computed`, the provider fills it when unset.
    pub optional: bool,
    /// The provider sets it; alone, the configuration cannot.
    pub computed: bool,
    /// Terraform hides the value in plan and apply output (it is still stored in state).
    pub sensitive: bool,
    /// The value is only in the configuration, never in plan or state (Terraform >= 1.11).
    pub write_only: bool,
    /// Terraform warns when the configuration sets it.
    pub deprecated: bool,
    /// A change of this attribute on an existing object plans a replacement.
    pub requires_replace: bool,
    /// When the SDK would plan this computed attribute unknown on an update, keep the prior value.
    pub use_state_for_unknown: bool,
    /// Set for a nested attribute (protocol 6 `nested_type`); `ty` is then its implied type.
    pub nested: Option<NestedObject>,
}

/// The object of a nested attribute and how its values nest (`map(object)` for MAP, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct NestedObject {
    /// The attributes of each nested object.
    pub attributes: Vec<Attribute>,
    /// Whether the attribute holds one object, or a list, set or map of them.
    pub nesting: NestingMode,
}

impl NestedObject {
    /// The cty type of the attribute: the object's type, wrapped as `nesting` says.
    fn implied_type(&self) -> Type {
        let object = Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone()))
                .collect(),
        );
        match self.nesting {
            NestingMode::Single | NestingMode::Group => object,
            NestingMode::List => Type::list(object),
            NestingMode::Set => Type::set(object),
            NestingMode::Map => Type::map(object),
        }
    }
}

impl Attribute {
    fn with_flags(
        name: impl Into<String>,
        ty: Type,
        required: bool,
        optional: bool,
        computed: bool,
    ) -> Attribute {
        Attribute {
            name: name.into(),
            ty,
            description: String::new(),
            description_kind: StringKind::Plain,
            required,
            optional,
            computed,
            sensitive: false,
            write_only: false,
            deprecated: false,
            requires_replace: false,
            use_state_for_unknown: false,
            nested: None,
        }
    }

    /// A nested attribute (`nested_type`): values are objects of `attributes`, nested as
    /// `nesting` says (e.g. MAP: a map of objects keyed by any string). Flags as
    /// [`Attribute::required`] and friends; start from one of them and call this.
    pub fn nested_type(mut self, nesting: NestingMode, attributes: Vec<Attribute>) -> Attribute {
        let nested = NestedObject {
            attributes,
            nesting,
        };
        self.ty = nested.implied_type();
        self.nested = Some(nested);
        self
    }

    /// An attribute the configuration must set.
    pub fn required(name: impl Into<String>, ty: Type) -> Attribute {
        Attribute::with_flags(name, ty, true, false, false)
    }

    /// An attribute the configuration may set; null when it does not.
    pub fn optional(name: impl Into<String>, ty: Type) -> Attribute {
        Attribute::with_flags(name, ty, false, true, false)
    }

    /// An attribute only the provider sets (an ID, a timestamp); planned unknown until known.
    pub fn computed(name: impl Into<String>, ty: Type) -> Attribute {
        Attribute::with_flags(name, ty, false, false, true)
    }

    /// An attribute the configuration may set and the provider fills in when it does not (a
    /// server-side default).
    pub fn optional_computed(name: impl Into<String>, ty: Type) -> Attribute {
        Attribute::with_flags(name, ty, false, true, true)
    }

    /// Sets the documentation of the attribute.
    pub fn description(mut self, text: impl Into<String>) -> Attribute {
        self.description = text.into();
        self
    }

    /// Marks the description as Markdown.
    pub fn markdown(mut self) -> Attribute {
        self.description_kind = StringKind::Markdown;
        self
    }

    /// Marks the value sensitive: Terraform redacts it in plan output (not in state).
    pub fn sensitive(mut self) -> Attribute {
        self.sensitive = true;
        self
    }

    /// Marks the attribute write-only: its value reaches the provider in the configuration and
    /// is never planned or stored (the SDK nulls it). Needs Terraform >= 1.11; not computed.
    pub fn write_only(mut self) -> Attribute {
        self.write_only = true;
        self
    }

    /// Marks the attribute deprecated: Terraform warns users who set it.
    pub fn deprecated(mut self) -> Attribute {
        self.deprecated = true;
        self
    }

    /// A change of this attribute on an existing object plans a replacement (destroy, then
    /// create) instead of an update.
    pub fn requires_replace(mut self) -> Attribute {
        self.requires_replace = true;
        self
    }

    /// For a computed attribute that never changes once set (an ID): on updates, plan the prior
    /// value instead of unknown.
    pub fn use_state_for_unknown(mut self) -> Attribute {
        self.use_state_for_unknown = true;
        self
    }
}

/// Identity schema of a managed resource (Terraform >= 1.12).
#[derive(Debug, Clone, PartialEq)]
pub struct IdentitySchema {
    /// Identity schema version stored with each identity; bump it when stored identities need
    /// [`Resource::upgrade_identity`](crate::Resource::upgrade_identity).
    pub version: i64,
    /// The attributes that together identify a remote object.
    pub attributes: Vec<IdentityAttribute>,
}

impl IdentitySchema {
    /// An identity schema of these attributes at `version` (0 for a new one).
    pub fn new(
        version: i64,
        attributes: impl IntoIterator<Item = IdentityAttribute>,
    ) -> IdentitySchema {
        IdentitySchema {
            version,
            attributes: attributes.into_iter().collect(),
        }
    }

    /// Object type of identity values: one key per identity attribute.
    pub fn implied_type(&self) -> Type {
        Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone()))
                .collect(),
        )
    }
}

/// One attribute of a resource identity (`ResourceIdentitySchema.IdentityAttribute`).
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityAttribute {
    /// The attribute's name, as written in `import { identity = { name = ... } }`.
    pub name: String,
    /// The attribute's cty type.
    pub ty: Type,
    /// An `import` block's identity must set it (exclusive with `optional_for_import`).
    pub required_for_import: bool,
    /// An `import` block's identity may omit it (exclusive with `required_for_import`).
    pub optional_for_import: bool,
    /// Documentation of the attribute.
    pub description: String,
}

impl IdentityAttribute {
    /// An attribute `import { identity = {...} }` must set.
    pub fn required_for_import(name: impl Into<String>, ty: Type) -> IdentityAttribute {
        IdentityAttribute {
            name: name.into(),
            ty,
            required_for_import: true,
            optional_for_import: false,
            description: String::new(),
        }
    }

    /// An attribute `import { identity = {...} }` may omit.
    pub fn optional_for_import(name: impl Into<String>, ty: Type) -> IdentityAttribute {
        IdentityAttribute {
            required_for_import: false,
            optional_for_import: true,
            ..IdentityAttribute::required_for_import(name, ty)
        }
    }

    /// Sets the documentation of the attribute.
    pub fn description(mut self, text: impl Into<String>) -> IdentityAttribute {
        self.description = text.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::tfplugin6 as pb;

    fn sample() -> Schema {
        Schema::new(
            1,
            Block::new([
                Attribute::required("namespace", Type::String).requires_replace(),
                Attribute::optional("value", Type::String).sensitive(),
                Attribute::computed("id", Type::String).use_state_for_unknown(),
                Attribute::optional_computed("tags", Type::map(Type::String)).markdown(),
                Attribute::optional("secret_wo", Type::String).write_only(),
            ])
            .description("d")
            .block(NestedBlock::new(
                "rule",
                NestingMode::List,
                Block::new([Attribute::required("name", Type::String)]),
            ))
            .block(NestedBlock::new(
                "opts",
                NestingMode::Single,
                Block::new([]),
            )),
        )
    }

    #[test]
    fn implied_type_covers_attributes_and_blocks() {
        let ty = sample().implied_type();
        let expected = Type::object([
            ("namespace", Type::String),
            ("value", Type::String),
            ("id", Type::String),
            ("tags", Type::map(Type::String)),
            ("secret_wo", Type::String),
            ("rule", Type::list(Type::object([("name", Type::String)]))),
            ("opts", Type::Object(BTreeMap::new())),
        ]);
        assert_eq!(ty, expected);
    }

    #[test]
    fn proto_carries_flags_and_valid_type_json() {
        let schema = sample();
        assert_eq!(schema.validate(), Ok(()));
        let wire = schema.to_proto();
        let block = wire.block.unwrap_or_default();
        for attribute in &block.attributes {
            Type::from_json(&attribute.r#type).unwrap();
        }
        let secret = block
            .attributes
            .iter()
            .find(|a| a.name == "secret_wo")
            .unwrap();
        assert!(secret.write_only && secret.optional && !secret.computed);
        let tags = block.attributes.iter().find(|a| a.name == "tags").unwrap();
        assert!(tags.optional && tags.computed);
        assert_eq!(tags.description_kind, pb::StringKind::Markdown as i32);
        assert_eq!(
            block.block_types[0].nesting,
            pb::schema::nested_block::NestingMode::List as i32
        );
    }

    #[test]
    fn invalid_schemas_are_reported() {
        let mut bad_flags = Attribute::required("a", Type::String);
        bad_flags.computed = true;
        let cases = [
            Block::new([bad_flags]),
            Block::new([Attribute::optional("Bad-Name", Type::String)]),
            Block::new([
                Attribute::optional("a", Type::String),
                Attribute::optional("a", Type::Bool),
            ]),
            Block::new([Attribute::optional_computed("a", Type::String).write_only()]),
        ];
        for block in cases {
            assert!(Schema::new(0, block).validate().is_err());
        }
    }

    #[test]
    fn nested_attributes_have_an_implied_type_and_a_wire_nested_type() {
        let entries = Attribute::required("entries", Type::String).nested_type(
            NestingMode::Map,
            vec![
                Attribute::required("value", Type::String),
                Attribute::optional_computed("type", Type::String),
            ],
        );
        let schema = Schema::new(0, Block::new([entries]));
        assert_eq!(schema.validate(), Ok(()));
        assert_eq!(
            schema.implied_type(),
            Type::object([(
                "entries",
                Type::map(Type::object([
                    ("value", Type::String),
                    ("type", Type::String)
                ]))
            )])
        );
        let wire = schema.to_proto().block.unwrap_or_default();
        let attribute = &wire.attributes[0];
        assert!(
            attribute.r#type.is_empty(),
            "exactly one of type and nested_type"
        );
        let nested = attribute.nested_type.clone().unwrap_or_default();
        assert_eq!(nested.nesting, pb::schema::object::NestingMode::Map as i32);
        assert_eq!(nested.attributes.len(), 2);
        assert!(nested.attributes[1].optional && nested.attributes[1].computed);

        let bad = Attribute::required("entries", Type::String).nested_type(
            NestingMode::Map,
            vec![Attribute::optional("Bad", Type::String)],
        );
        let error = Schema::new(0, Block::new([bad])).validate();
        assert_eq!(error.map_err(|e| e.path), Err("entries.Bad".to_string()));
    }

    #[test]
    fn identity_schema_type() {
        let identity = IdentitySchema::new(
            0,
            [
                IdentityAttribute::required_for_import("namespace", Type::String),
                IdentityAttribute::optional_for_import("tenant_id", Type::String),
            ],
        );
        assert_eq!(
            identity.implied_type(),
            Type::object([("namespace", Type::String), ("tenant_id", Type::String)])
        );
        let wire = identity.to_proto();
        assert!(wire.identity_attributes[1].optional_for_import);
    }
}
