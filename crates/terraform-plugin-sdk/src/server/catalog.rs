//! Everything the provider exposes, with schemas and implied types computed once at start-up.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::data_source::DataSource;
use crate::diagnostics::Diagnostics;
use crate::ephemeral::EphemeralResource;
use crate::list::ListResource;
use crate::provider::Provider;
use crate::resource::Resource;
use crate::schema::{IdentitySchema, Schema};
use crate::types::Type;
use crate::wire::tfplugin6 as pb;

pub(super) struct ResourceEntry {
    pub(super) resource: Arc<dyn Resource>,
    pub(super) schema: Schema,
    pub(super) ty: Type,
    pub(super) identity: Option<(IdentitySchema, Type)>,
}

pub(super) struct TypedEntry<T: ?Sized> {
    pub(super) implementation: Arc<T>,
    pub(super) schema: Schema,
    pub(super) ty: Type,
}

/// Everything the provider exposes, with schemas and implied types computed once at start-up
/// (`get_provider_schema_optional` means GetProviderSchema may never be called).
pub(super) struct Catalog {
    pub(super) provider: Arc<dyn Provider>,
    pub(super) provider_type: Type,
    pub(super) resources: BTreeMap<String, ResourceEntry>,
    pub(super) data_sources: BTreeMap<String, TypedEntry<dyn DataSource>>,
    pub(super) ephemeral_resources: BTreeMap<String, TypedEntry<dyn EphemeralResource>>,
    pub(super) list_resources: BTreeMap<String, TypedEntry<dyn ListResource>>,
    pub(super) schema_response: pb::get_provider_schema::Response,
}

pub(super) fn server_capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: true,
    }
}

impl Catalog {
    pub(super) fn new(provider: Arc<dyn Provider>) -> Catalog {
        let provider_schema = provider.schema();
        let resources: BTreeMap<_, _> = provider
            .resources()
            .into_iter()
            .map(|resource| {
                let schema = resource.schema();
                let identity = resource.identity_schema().map(|identity| {
                    let ty = identity.implied_type();
                    (identity, ty)
                });
                let entry = ResourceEntry {
                    ty: schema.implied_type(),
                    schema,
                    identity,
                    resource,
                };
                (entry.resource.type_name().to_owned(), entry)
            })
            .collect();
        pub(super) fn typed<T: ?Sized>(
            items: Vec<Arc<T>>,
            name: impl Fn(&T) -> &'static str,
            schema: impl Fn(&T) -> Schema,
        ) -> BTreeMap<String, TypedEntry<T>> {
            items
                .into_iter()
                .map(|item| {
                    let item_schema = schema(&item);
                    let entry = TypedEntry {
                        ty: item_schema.implied_type(),
                        schema: item_schema,
                        implementation: Arc::clone(&item),
                    };
                    (name(&item).to_owned(), entry)
                })
                .collect()
        }
        let data_sources = typed(provider.data_sources(), |d| d.type_name(), |d| d.schema());
        let ephemeral_resources = typed(
            provider.ephemeral_resources(),
            |e| e.type_name(),
            |e| e.schema(),
        );
        let list_resources = typed(provider.list_resources(), |l| l.type_name(), |l| l.schema());

        let mut diagnostics = Diagnostics::default();
        let schemas = std::iter::once((provider.type_name().to_owned(), &provider_schema))
            .chain(resources.iter().map(|(n, e)| (n.clone(), &e.schema)))
            .chain(data_sources.iter().map(|(n, e)| (n.clone(), &e.schema)))
            .chain(
                ephemeral_resources
                    .iter()
                    .map(|(n, e)| (n.clone(), &e.schema)),
            )
            .chain(list_resources.iter().map(|(n, e)| (n.clone(), &e.schema)));
        for (name, schema) in schemas {
            if let Err(error) = schema.validate() {
                diagnostics.error(format!("Invalid schema for {name}"), error.to_string());
            }
        }
        let proto_map = |entries: Vec<(&String, &Schema)>| {
            entries
                .into_iter()
                .map(|(name, schema)| (name.clone(), schema.to_proto()))
                .collect()
        };
        let schema_response = pb::get_provider_schema::Response {
            provider: Some(provider_schema.to_proto()),
            resource_schemas: proto_map(resources.iter().map(|(n, e)| (n, &e.schema)).collect()),
            data_source_schemas: proto_map(
                data_sources.iter().map(|(n, e)| (n, &e.schema)).collect(),
            ),
            ephemeral_resource_schemas: proto_map(
                ephemeral_resources
                    .iter()
                    .map(|(n, e)| (n, &e.schema))
                    .collect(),
            ),
            list_resource_schemas: proto_map(
                list_resources.iter().map(|(n, e)| (n, &e.schema)).collect(),
            ),
            diagnostics: diagnostics.to_proto(),
            server_capabilities: Some(server_capabilities()),
            ..Default::default()
        };
        Catalog {
            provider_type: provider_schema.implied_type(),
            provider,
            resources,
            data_sources,
            ephemeral_resources,
            list_resources,
            schema_response,
        }
    }

    pub(super) fn resource(&self, type_name: &str) -> Result<&ResourceEntry, Diagnostics> {
        self.resources
            .get(type_name)
            .ok_or_else(|| unknown_type("resource", type_name))
    }
}

pub(super) fn unknown_type(kind: &str, type_name: &str) -> Diagnostics {
    Diagnostics::from_error(
        format!("Unknown {kind} type"),
        format!("This provider has no {kind} type named {type_name:?}."),
    )
}

impl Catalog {
    /// What GetMetadata answers: the type names of everything the provider offers.
    pub(super) fn metadata(&self) -> pb::get_metadata::Response {
        use pb::get_metadata as m;
        m::Response {
            server_capabilities: Some(server_capabilities()),
            diagnostics: Vec::new(),
            data_sources: self
                .data_sources
                .keys()
                .cloned()
                .map(|type_name| m::DataSourceMetadata { type_name })
                .collect(),
            resources: self
                .resources
                .keys()
                .cloned()
                .map(|type_name| m::ResourceMetadata { type_name })
                .collect(),
            functions: Vec::new(),
            ephemeral_resources: self
                .ephemeral_resources
                .keys()
                .cloned()
                .map(|type_name| m::EphemeralMetadata { type_name })
                .collect(),
            list_resources: self
                .list_resources
                .keys()
                .cloned()
                .map(|type_name| m::ListResourceMetadata { type_name })
                .collect(),
            state_stores: Vec::new(),
            actions: Vec::new(),
        }
    }
}
