//! The gRPC services: `tfplugin6.Provider` on top of the capability traits, plus go-plugin's
//! controller, stdio and broker services and `grpc.health.v1`.

use std::collections::BTreeMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures::{FutureExt, Stream, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc};
use tokio_rustls::TlsAcceptor;
use tokio_stream::wrappers::{ReceiverStream, TcpListenerStream};
use tonic::{Request, Response, Status};

use super::data_source::{DataSource, ReadDataRequest};
use super::diagnostics::{AttributePath, Diagnostic, Diagnostics};
use super::dynamic::{decode_dynamic, encode_dynamic};
use super::ephemeral::{CloseRequest, EphemeralResource, OpenRequest, RenewRequest};
use super::list::{ListRequest, ListResource};
use super::plan::{
    null_write_only, prefill_planned_state, requires_replace, strip_unknowns,
    write_only_unsupported,
};
use super::provider::{ClientCapabilities, ConfigureRequest, Provider};
use super::recovery::{self, Recoverable, panic_message};
use super::resource::{
    ApplyRequest, ImportRequest, PlanRequest, ReadRequest, Resource, UpgradeStateRequest,
    ValidateResourceRequest,
};
use super::schema::{IdentitySchema, Schema};
use super::types::Type;
use super::value::Value;
use super::wire::plugin as go_plugin;
use super::wire::tfplugin6 as pb;

/// 256 MiB, like terraform-plugin-go: tonic's 4 MiB default breaks large configurations.
pub const MAX_MESSAGE_SIZE: usize = 256 * 1024 * 1024;

/// How long `GRPCController.Shutdown` waits for its reply to be written before the server stops.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(100);

type ServiceStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

struct ResourceEntry {
    resource: Arc<dyn Resource>,
    schema: Schema,
    ty: Type,
    identity: Option<(IdentitySchema, Type)>,
}

struct TypedEntry<T: ?Sized> {
    implementation: Arc<T>,
    schema: Schema,
    ty: Type,
}

/// Everything the provider exposes, with schemas and implied types computed once at start-up
/// (`get_provider_schema_optional` means GetProviderSchema may never be called).
struct Catalog {
    provider: Arc<dyn Provider>,
    provider_type: Type,
    resources: BTreeMap<String, ResourceEntry>,
    data_sources: BTreeMap<String, TypedEntry<dyn DataSource>>,
    ephemeral_resources: BTreeMap<String, TypedEntry<dyn EphemeralResource>>,
    list_resources: BTreeMap<String, TypedEntry<dyn ListResource>>,
    schema_response: pb::get_provider_schema::Response,
}

fn server_capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: false,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: true,
    }
}

impl Catalog {
    fn new(provider: Arc<dyn Provider>) -> Catalog {
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
        fn typed<T: ?Sized>(
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

    fn resource(&self, type_name: &str) -> Result<&ResourceEntry, Diagnostics> {
        self.resources
            .get(type_name)
            .ok_or_else(|| unknown_type("resource", type_name))
    }
}

fn unknown_type(kind: &str, type_name: &str) -> Diagnostics {
    Diagnostics::from_error(
        format!("Unknown {kind} type"),
        format!("This provider has no {kind} type named {type_name:?}."),
    )
}

fn unsupported(feature: &str) -> Diagnostics {
    Diagnostics::from_error(
        format!("{feature} are not supported"),
        format!("This provider does not implement {feature}."),
    )
}

fn capabilities(wire: Option<pb::ClientCapabilities>) -> ClientCapabilities {
    let wire = wire.unwrap_or_default();
    ClientCapabilities {
        deferral_allowed: wire.deferral_allowed,
        write_only_attributes_allowed: wire.write_only_attributes_allowed,
    }
}

fn decode(value: Option<&pb::DynamicValue>, ty: &Type, what: &str) -> Result<Value, Diagnostics> {
    decode_dynamic(value, ty).map_err(|e| {
        Diagnostics::from_error(
            format!("Invalid {what} received from Terraform"),
            e.to_string(),
        )
    })
}

fn encode(value: &Value, ty: &Type, what: &str) -> Result<pb::DynamicValue, Diagnostics> {
    encode_dynamic(value, ty).map_err(|e| {
        Diagnostics::from_error(
            format!("Provider produced an invalid {what}"),
            format!("{e}. This is a bug in the provider."),
        )
    })
}

fn decode_identity(
    entry: &ResourceEntry,
    identity: Option<&pb::ResourceIdentityData>,
) -> Result<Option<Value>, Diagnostics> {
    let (Some((_, ty)), Some(data)) = (&entry.identity, identity) else {
        return Ok(None);
    };
    let value = decode(data.identity_data.as_ref(), ty, "resource identity")?;
    Ok((!value.is_null()).then_some(value))
}

fn encode_identity(
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

/// Runs provider code, turning a panic into an error diagnostic instead of a dropped RPC.
async fn guarded<T>(future: impl Future<Output = T>) -> Result<T, Diagnostics> {
    AssertUnwindSafe(Recoverable::new(future))
        .catch_unwind()
        .await
        .map_err(|payload| panicked(&panic_message(&*payload)))
}

fn panicked(message: &str) -> Diagnostics {
    Diagnostics::from_error(
        "Provider panicked",
        format!(
            "The provider crashed while handling this request: {message}. This is a bug in the \
             provider."
        ),
    )
}

/// Replaces unknowns in a result that must be wholly known, reporting each as an error.
fn require_wholly_known(value: &mut Value, what: &str, diagnostics: &mut Diagnostics) {
    for path in strip_unknowns(value) {
        diagnostics.push(
            Diagnostic::error(
                format!("Provider returned unknown values in {what}"),
                format!(
                    "The {what} still contained an unknown value at {}; it was replaced by null. \
                     This is a bug in the provider.",
                    if path.steps.is_empty() {
                        "the root".to_owned()
                    } else {
                        path.to_string()
                    }
                ),
            )
            .with_attribute(path),
        );
    }
}

/// Logs each RPC at debug level with its duration.
async fn logged<T>(rpc: &'static str, type_name: &str, future: impl Future<Output = T>) -> T {
    let started = Instant::now();
    let result = future.await;
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::debug!(
        tf_rpc = rpc,
        tf_type_name = type_name,
        duration_ms,
        "served RPC"
    );
    result
}

/// The `tfplugin6.Provider` service.
#[derive(Clone)]
pub struct ProviderService {
    catalog: Arc<Catalog>,
}

impl ProviderService {
    pub fn new(provider: Arc<dyn Provider>) -> ProviderService {
        ProviderService {
            catalog: Arc::new(Catalog::new(provider)),
        }
    }

    async fn upgrade_resource_state(
        &self,
        request: pb::upgrade_resource_state::Request,
    ) -> Result<pb::upgrade_resource_state::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let raw_state = request.raw_state.unwrap_or_default();
        if raw_state.json.is_empty() && !raw_state.flatmap.is_empty() {
            return Err(Diagnostics::from_error(
                "Unsupported state format",
                "This state was written by Terraform 0.11 or earlier (flatmap); upgrade it with an older provider first.",
            ));
        }
        let raw_json = if raw_state.json.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&raw_state.json).map_err(|e| {
                Diagnostics::from_error(
                    "Invalid stored state",
                    format!("The state is not valid JSON: {e}"),
                )
            })?
        };
        let upgrade = UpgradeStateRequest {
            version: request.version,
            raw_json,
        };
        let mut upgraded = guarded(entry.resource.upgrade_state(upgrade)).await??;
        let mut diagnostics = Diagnostics::default();
        null_write_only(&entry.schema.block, &mut upgraded);
        require_wholly_known(&mut upgraded, "upgraded state", &mut diagnostics);
        Ok(pb::upgrade_resource_state::Response {
            upgraded_state: Some(encode(&upgraded, &entry.ty, "upgraded state")?),
            diagnostics: diagnostics.to_proto(),
        })
    }

    async fn upgrade_resource_identity(
        &self,
        request: pb::upgrade_resource_identity::Request,
    ) -> Result<pb::upgrade_resource_identity::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let raw = request.raw_identity.unwrap_or_default();
        let raw_json = serde_json::from_slice(&raw.json).map_err(|e| {
            Diagnostics::from_error(
                "Invalid stored identity",
                format!("The identity is not valid JSON: {e}"),
            )
        })?;
        let upgrade = UpgradeStateRequest {
            version: request.version,
            raw_json,
        };
        let identity = guarded(entry.resource.upgrade_identity(upgrade)).await??;
        Ok(pb::upgrade_resource_identity::Response {
            upgraded_identity: encode_identity(entry, Some(&identity))?,
            diagnostics: Vec::new(),
        })
    }

    async fn read_resource(
        &self,
        request: pb::read_resource::Request,
    ) -> Result<pb::read_resource::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let current_state = decode(request.current_state.as_ref(), &entry.ty, "current state")?;
        let identity = decode_identity(entry, request.current_identity.as_ref())?;
        let read = ReadRequest {
            current_state,
            private: request.private,
            identity: identity.clone(),
            capabilities: capabilities(request.client_capabilities),
        };
        let mut response = guarded(entry.resource.read(read)).await?;
        null_write_only(&entry.schema.block, &mut response.new_state);
        require_wholly_known(
            &mut response.new_state,
            "refreshed state",
            &mut response.diagnostics,
        );
        Ok(pb::read_resource::Response {
            new_state: Some(encode(&response.new_state, &entry.ty, "refreshed state")?),
            // No identity from the provider means "unchanged" (an empty one would erase it).
            new_identity: encode_identity(entry, response.identity.or(identity).as_ref())?,
            private: response.private,
            diagnostics: response.diagnostics.to_proto(),
            deferred: None,
        })
    }

    async fn plan_resource_change(
        &self,
        request: pb::plan_resource_change::Request,
    ) -> Result<pb::plan_resource_change::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let prior_state = decode(request.prior_state.as_ref(), &entry.ty, "prior state")?;
        let proposed = decode(
            request.proposed_new_state.as_ref(),
            &entry.ty,
            "proposed state",
        )?;
        let prior_identity = decode_identity(entry, request.prior_identity.as_ref())?;
        if proposed.is_null() {
            // Destroy: Terraform wants a null plan and the private data echoed.
            return Ok(pb::plan_resource_change::Response {
                planned_state: Some(encode(&Value::Null, &entry.ty, "planned state")?),
                planned_private: request.prior_private,
                planned_identity: encode_identity(entry, prior_identity.as_ref())?,
                ..Default::default()
            });
        }
        let config = decode(request.config.as_ref(), &entry.ty, "configuration")?;
        let planned_state =
            prefill_planned_state(&entry.schema.block, &prior_state, &proposed, &config);
        let plan = PlanRequest {
            prior_state,
            proposed_new_state: proposed,
            config,
            planned_state,
            prior_private: request.prior_private,
            prior_identity,
            capabilities: capabilities(request.client_capabilities),
        };
        let (prior_state, prior_identity) = (plan.prior_state.clone(), plan.prior_identity.clone());
        let mut response = guarded(entry.resource.plan(plan)).await?;
        if response.planned_state.is_null() && !response.diagnostics.has_errors() {
            response.diagnostics.error(
                "Provider planned a null object",
                "The provider returned no planned state for an object that should exist. This is a bug in the provider.",
            );
        }
        null_write_only(&entry.schema.block, &mut response.planned_state);
        let replace = requires_replace(&entry.schema.block, &prior_state, &response.planned_state);
        Ok(pb::plan_resource_change::Response {
            planned_state: Some(encode(&response.planned_state, &entry.ty, "planned state")?),
            requires_replace: replace.iter().map(AttributePath::to_proto).collect(),
            planned_private: response.planned_private,
            planned_identity: encode_identity(
                entry,
                response.planned_identity.or(prior_identity).as_ref(),
            )?,
            diagnostics: response.diagnostics.to_proto(),
            legacy_type_system: false,
            deferred: None,
        })
    }

    async fn apply_resource_change(
        &self,
        request: pb::apply_resource_change::Request,
    ) -> Result<pb::apply_resource_change::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let apply = ApplyRequest {
            prior_state: decode(request.prior_state.as_ref(), &entry.ty, "prior state")?,
            planned_state: decode(request.planned_state.as_ref(), &entry.ty, "planned state")?,
            config: decode(request.config.as_ref(), &entry.ty, "configuration")?,
            planned_private: request.planned_private,
            planned_identity: decode_identity(entry, request.planned_identity.as_ref())?,
        };
        let is_delete = apply.is_delete();
        let planned_identity = apply.planned_identity.clone();
        let mut response = guarded(entry.resource.apply(apply)).await?;
        // A failed delete keeps the prior state (the object still exists) or returns what is
        // left, with the errors; only a delete reported as done must come back null.
        if is_delete && !response.new_state.is_null() && !response.diagnostics.has_errors() {
            response.new_state = Value::Null;
            response.diagnostics.error(
                "Provider returned a state after delete",
                "The object was deleted but the provider returned a non-null state; it was discarded. This is a bug in the provider.",
            );
        }
        null_write_only(&entry.schema.block, &mut response.new_state);
        require_wholly_known(
            &mut response.new_state,
            "applied state",
            &mut response.diagnostics,
        );
        Ok(pb::apply_resource_change::Response {
            new_state: Some(encode(&response.new_state, &entry.ty, "applied state")?),
            private: response.private,
            new_identity: encode_identity(
                entry,
                response
                    .new_identity
                    .or(planned_identity)
                    .filter(|_| !response.new_state.is_null())
                    .as_ref(),
            )?,
            diagnostics: response.diagnostics.to_proto(),
            legacy_type_system: false,
        })
    }

    async fn import_resource_state(
        &self,
        request: pb::import_resource_state::Request,
    ) -> Result<pb::import_resource_state::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let import = ImportRequest {
            id: request.id,
            identity: decode_identity(entry, request.identity.as_ref())?,
            capabilities: capabilities(request.client_capabilities),
        };
        let mut response = guarded(entry.resource.import(import)).await?;
        if response.diagnostics.has_errors() {
            return Err(response.diagnostics);
        }
        null_write_only(&entry.schema.block, &mut response.state);
        require_wholly_known(
            &mut response.state,
            "imported state",
            &mut response.diagnostics,
        );
        Ok(pb::import_resource_state::Response {
            imported_resources: vec![pb::import_resource_state::ImportedResource {
                type_name: request.type_name.clone(),
                state: Some(encode(&response.state, &entry.ty, "imported state")?),
                private: response.private,
                identity: encode_identity(entry, response.identity.as_ref())?,
            }],
            diagnostics: response.diagnostics.to_proto(),
            deferred: None,
        })
    }

    async fn read_data_source(
        &self,
        request: pb::read_data_source::Request,
    ) -> Result<pb::read_data_source::Response, Diagnostics> {
        let entry = self
            .catalog
            .data_sources
            .get(&request.type_name)
            .ok_or_else(|| unknown_type("data source", &request.type_name))?;
        let read = ReadDataRequest {
            config: decode(request.config.as_ref(), &entry.ty, "configuration")?,
            capabilities: capabilities(request.client_capabilities),
        };
        let mut response = guarded(entry.implementation.read(read)).await?;
        if response.state.is_null() && !response.diagnostics.has_errors() {
            response.diagnostics.error(
                "Provider produced a null data source",
                "The data source returned no object. This is a bug in the provider.",
            );
        }
        require_wholly_known(
            &mut response.state,
            "data source result",
            &mut response.diagnostics,
        );
        Ok(pb::read_data_source::Response {
            state: Some(encode(&response.state, &entry.ty, "data source result")?),
            diagnostics: response.diagnostics.to_proto(),
            deferred: None,
        })
    }

    async fn generate_resource_config(
        &self,
        request: pb::generate_resource_config::Request,
    ) -> Result<pb::generate_resource_config::Response, Diagnostics> {
        let entry = self.catalog.resource(&request.type_name)?;
        let state = decode(request.state.as_ref(), &entry.ty, "state")?;
        let mut config = guarded(entry.resource.generate_config(state)).await??;
        let mut diagnostics = Diagnostics::default();
        require_wholly_known(&mut config, "generated configuration", &mut diagnostics);
        Ok(pb::generate_resource_config::Response {
            config: Some(encode(&config, &entry.ty, "generated configuration")?),
            diagnostics: diagnostics.to_proto(),
        })
    }

    async fn open_ephemeral_resource(
        &self,
        request: pb::open_ephemeral_resource::Request,
    ) -> Result<pb::open_ephemeral_resource::Response, Diagnostics> {
        let entry = self.ephemeral(&request.type_name)?;
        let open = OpenRequest {
            config: decode(request.config.as_ref(), &entry.ty, "configuration")?,
            capabilities: capabilities(request.client_capabilities),
        };
        let mut response = guarded(entry.implementation.open(open)).await?;
        require_wholly_known(
            &mut response.result,
            "ephemeral result",
            &mut response.diagnostics,
        );
        Ok(pb::open_ephemeral_resource::Response {
            result: Some(encode(&response.result, &entry.ty, "ephemeral result")?),
            renew_at: response.renew_at.map(Into::into),
            private: Some(response.private),
            diagnostics: response.diagnostics.to_proto(),
            deferred: None,
        })
    }

    fn ephemeral(
        &self,
        type_name: &str,
    ) -> Result<&TypedEntry<dyn EphemeralResource>, Diagnostics> {
        self.catalog
            .ephemeral_resources
            .get(type_name)
            .ok_or_else(|| unknown_type("ephemeral resource", type_name))
    }

    async fn validate_config(
        &self,
        kind: &str,
        type_name: &str,
        config: Option<&pb::DynamicValue>,
        caps: ClientCapabilities,
    ) -> Diagnostics {
        let catalog = &self.catalog;
        let result: Result<Diagnostics, Diagnostics> = async {
            match kind {
                "resource" => {
                    let entry = catalog.resource(type_name)?;
                    let config = decode(config, &entry.ty, "configuration")?;
                    let mut diagnostics =
                        write_only_unsupported(&entry.schema.block, &config, caps);
                    let request = ValidateResourceRequest {
                        config,
                        capabilities: caps,
                    };
                    diagnostics.extend(guarded(entry.resource.validate(request)).await?);
                    Ok(diagnostics)
                }
                "data source" => {
                    let entry = catalog
                        .data_sources
                        .get(type_name)
                        .ok_or_else(|| unknown_type(kind, type_name))?;
                    let config = decode(config, &entry.ty, "configuration")?;
                    guarded(entry.implementation.validate(config)).await
                }
                "ephemeral resource" => {
                    let entry = self.ephemeral(type_name)?;
                    let config = decode(config, &entry.ty, "configuration")?;
                    guarded(entry.implementation.validate(config)).await
                }
                _ => {
                    let entry = catalog
                        .list_resources
                        .get(type_name)
                        .ok_or_else(|| unknown_type(kind, type_name))?;
                    let config = decode(config, &entry.ty, "configuration")?;
                    guarded(entry.implementation.validate(config)).await
                }
            }
        }
        .await;
        result.unwrap_or_else(|diagnostics| diagnostics)
    }
}

fn diagnostics_event(diagnostics: Diagnostics) -> pb::list_resource::Event {
    pb::list_resource::Event {
        diagnostic: diagnostics.to_proto(),
        ..Default::default()
    }
}

/// Runs an RPC body with logging; an early-exit `Err(diagnostics)` becomes a response built by
/// `fallback`, never a gRPC error.
async fn respond<T>(
    rpc: &'static str,
    type_name: String,
    body: impl Future<Output = Result<T, Diagnostics>>,
    fallback: impl FnOnce(Diagnostics) -> T,
) -> Result<Response<T>, Status> {
    let response = logged(rpc, &type_name, body).await;
    Ok(Response::new(response.unwrap_or_else(fallback)))
}

#[tonic::async_trait]
impl pb::provider_server::Provider for ProviderService {
    async fn get_metadata(
        &self,
        _request: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        use pb::get_metadata as m;
        let catalog = &self.catalog;
        Ok(Response::new(m::Response {
            server_capabilities: Some(server_capabilities()),
            diagnostics: Vec::new(),
            data_sources: catalog
                .data_sources
                .keys()
                .cloned()
                .map(|type_name| m::DataSourceMetadata { type_name })
                .collect(),
            resources: catalog
                .resources
                .keys()
                .cloned()
                .map(|type_name| m::ResourceMetadata { type_name })
                .collect(),
            functions: Vec::new(),
            ephemeral_resources: catalog
                .ephemeral_resources
                .keys()
                .cloned()
                .map(|type_name| m::EphemeralMetadata { type_name })
                .collect(),
            list_resources: catalog
                .list_resources
                .keys()
                .cloned()
                .map(|type_name| m::ListResourceMetadata { type_name })
                .collect(),
            state_stores: Vec::new(),
            actions: Vec::new(),
        }))
    }

    async fn get_provider_schema(
        &self,
        _request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        let response = logged("GetProviderSchema", "", async {
            self.catalog.schema_response.clone()
        });
        Ok(Response::new(response.await))
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let request = request.into_inner();
        let catalog = &self.catalog;
        let diagnostics = logged("ValidateProviderConfig", "", async {
            match decode(
                request.config.as_ref(),
                &catalog.provider_type,
                "provider configuration",
            ) {
                Ok(config) => guarded(catalog.provider.validate_config(&config))
                    .await
                    .unwrap_or_else(|d| d),
                Err(diagnostics) => diagnostics,
            }
        })
        .await;
        Ok(Response::new(pb::validate_provider_config::Response {
            diagnostics: diagnostics.to_proto(),
        }))
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let request = request.into_inner();
        let caps = capabilities(request.client_capabilities);
        let diagnostics = logged(
            "ValidateResourceConfig",
            &request.type_name,
            self.validate_config(
                "resource",
                &request.type_name,
                request.config.as_ref(),
                caps,
            ),
        )
        .await;
        Ok(Response::new(pb::validate_resource_config::Response {
            diagnostics: diagnostics.to_proto(),
        }))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let request = request.into_inner();
        let diagnostics = logged(
            "ValidateDataResourceConfig",
            &request.type_name,
            self.validate_config(
                "data source",
                &request.type_name,
                request.config.as_ref(),
                ClientCapabilities::default(),
            ),
        )
        .await;
        Ok(Response::new(pb::validate_data_resource_config::Response {
            diagnostics: diagnostics.to_proto(),
        }))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let request = request.into_inner();
        respond(
            "UpgradeResourceState",
            request.type_name.clone(),
            self.upgrade_resource_state(request),
            |d| pb::upgrade_resource_state::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        let identity_schemas = self
            .catalog
            .resources
            .iter()
            .filter_map(|(name, entry)| {
                entry
                    .identity
                    .as_ref()
                    .map(|(identity, _)| (name.clone(), identity.to_proto()))
            })
            .collect();
        Ok(Response::new(pb::get_resource_identity_schemas::Response {
            identity_schemas,
            diagnostics: Vec::new(),
        }))
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let request = request.into_inner();
        respond(
            "UpgradeResourceIdentity",
            request.type_name.clone(),
            self.upgrade_resource_identity(request),
            |d| pb::upgrade_resource_identity::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let request = request.into_inner();
        let catalog = &self.catalog;
        let diagnostics = logged("ConfigureProvider", "", async {
            let config = match decode(
                request.config.as_ref(),
                &catalog.provider_type,
                "provider configuration",
            ) {
                Ok(config) => config,
                Err(diagnostics) => return diagnostics,
            };
            let configure = ConfigureRequest {
                terraform_version: request.terraform_version,
                config,
                capabilities: capabilities(request.client_capabilities),
            };
            guarded(catalog.provider.configure(configure))
                .await
                .unwrap_or_else(|d| d)
        })
        .await;
        Ok(Response::new(pb::configure_provider::Response {
            diagnostics: diagnostics.to_proto(),
        }))
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let request = request.into_inner();
        // On failure keep the stored state and private data rather than erasing them.
        let fallback_state = request.current_state.clone();
        let fallback_private = request.private.clone();
        let fallback_identity = request.current_identity.clone();
        respond(
            "ReadResource",
            request.type_name.clone(),
            self.read_resource(request),
            |d| pb::read_resource::Response {
                new_state: fallback_state,
                private: fallback_private,
                new_identity: fallback_identity,
                diagnostics: d.to_proto(),
                deferred: None,
            },
        )
        .await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let request = request.into_inner();
        respond(
            "PlanResourceChange",
            request.type_name.clone(),
            self.plan_resource_change(request),
            |d| pb::plan_resource_change::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let request = request.into_inner();
        // On failure Terraform falls back to the prior state, which is what we know.
        let fallback_state = request.prior_state.clone();
        let fallback_private = request.planned_private.clone();
        respond(
            "ApplyResourceChange",
            request.type_name.clone(),
            self.apply_resource_change(request),
            |d| pb::apply_resource_change::Response {
                new_state: fallback_state,
                private: fallback_private,
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let request = request.into_inner();
        respond(
            "ImportResourceState",
            request.type_name.clone(),
            self.import_resource_state(request),
            |d| pb::import_resource_state::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn move_resource_state(
        &self,
        _request: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        Ok(Response::new(pb::move_resource_state::Response {
            diagnostics: unsupported("Cross-type resource moves").to_proto(),
            ..Default::default()
        }))
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let request = request.into_inner();
        respond(
            "ReadDataSource",
            request.type_name.clone(),
            self.read_data_source(request),
            |d| pb::read_data_source::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn generate_resource_config(
        &self,
        request: Request<pb::generate_resource_config::Request>,
    ) -> Result<Response<pb::generate_resource_config::Response>, Status> {
        let request = request.into_inner();
        respond(
            "GenerateResourceConfig",
            request.type_name.clone(),
            self.generate_resource_config(request),
            |d| pb::generate_resource_config::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let request = request.into_inner();
        let diagnostics = logged(
            "ValidateEphemeralResourceConfig",
            &request.type_name,
            self.validate_config(
                "ephemeral resource",
                &request.type_name,
                request.config.as_ref(),
                ClientCapabilities::default(),
            ),
        )
        .await;
        Ok(Response::new(
            pb::validate_ephemeral_resource_config::Response {
                diagnostics: diagnostics.to_proto(),
            },
        ))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        respond(
            "OpenEphemeralResource",
            request.type_name.clone(),
            self.open_ephemeral_resource(request),
            |d| pb::open_ephemeral_resource::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        respond(
            "RenewEphemeralResource",
            request.type_name.clone(),
            async {
                let entry = self.ephemeral(&request.type_name)?;
                let renew = RenewRequest {
                    private: request.private.unwrap_or_default(),
                };
                let response = guarded(entry.implementation.renew(renew)).await?;
                Ok(pb::renew_ephemeral_resource::Response {
                    diagnostics: response.diagnostics.to_proto(),
                    renew_at: response.renew_at.map(Into::into),
                    private: Some(response.private),
                })
            },
            |d: Diagnostics| pb::renew_ephemeral_resource::Response {
                diagnostics: d.to_proto(),
                ..Default::default()
            },
        )
        .await
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        respond(
            "CloseEphemeralResource",
            request.type_name.clone(),
            async {
                let entry = self.ephemeral(&request.type_name)?;
                let close = CloseRequest {
                    private: request.private.unwrap_or_default(),
                };
                let diagnostics = guarded(entry.implementation.close(close)).await?;
                Ok(pb::close_ephemeral_resource::Response {
                    diagnostics: diagnostics.to_proto(),
                })
            },
            |d: Diagnostics| pb::close_ephemeral_resource::Response {
                diagnostics: d.to_proto(),
            },
        )
        .await
    }

    type ListResourceStream = ServiceStream<pb::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<pb::list_resource::Request>,
    ) -> Result<Response<Self::ListResourceStream>, Status> {
        let request = request.into_inner();
        tracing::debug!(tf_rpc = "ListResource", tf_type_name = %request.type_name, "starting list");
        let catalog = Arc::clone(&self.catalog);
        let prepared = (|| {
            let entry = catalog
                .list_resources
                .get(&request.type_name)
                .ok_or_else(|| unknown_type("list resource", &request.type_name))?;
            let resource = catalog.resource(&request.type_name)?;
            if resource.identity.is_none() {
                return Err(Diagnostics::from_error(
                    "List resource without identity",
                    format!(
                        "{} has no identity schema, so it cannot be listed.",
                        request.type_name
                    ),
                ));
            }
            let config = decode(request.config.as_ref(), &entry.ty, "list configuration")?;
            let list = ListRequest {
                config,
                include_resource_object: request.include_resource_object,
                limit: request.limit,
            };
            let events = recovery::call(|| entry.implementation.list(list))
                .map_err(|message| panicked(&message))?;
            Ok(events)
        })();
        let stream: Self::ListResourceStream = match prepared {
            Err(diagnostics) => Box::pin(futures::stream::once(async move {
                Ok(diagnostics_event(diagnostics))
            })),
            Ok(events) => {
                let type_name = request.type_name.clone();
                let include_object = request.include_resource_object;
                let events = AssertUnwindSafe(Recoverable::new(events)).catch_unwind();
                Box::pin(events.map(move |event| {
                    let mut event = match event {
                        Ok(event) => event,
                        Err(payload) => {
                            return Ok(diagnostics_event(panicked(&panic_message(&*payload))));
                        }
                    };
                    let Some(entry) = catalog.resources.get(&type_name) else {
                        return Ok(diagnostics_event(unknown_type("resource", &type_name)));
                    };
                    let converted = (|| {
                        let identity = encode_identity(entry, Some(&event.identity))?;
                        let resource_object = match event.resource_object.as_mut() {
                            Some(object) if include_object => {
                                null_write_only(&entry.schema.block, object);
                                require_wholly_known(
                                    object,
                                    "listed object",
                                    &mut event.diagnostics,
                                );
                                Some(encode(object, &entry.ty, "listed object")?)
                            }
                            _ => None,
                        };
                        Ok(pb::list_resource::Event {
                            identity,
                            display_name: event.display_name.clone(),
                            resource_object,
                            diagnostic: event.diagnostics.to_proto(),
                        })
                    })();
                    Ok(converted.unwrap_or_else(diagnostics_event))
                }))
            }
        };
        Ok(Response::new(stream))
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        let request = request.into_inner();
        let diagnostics = logged(
            "ValidateListResourceConfig",
            &request.type_name,
            self.validate_config(
                "list resource",
                &request.type_name,
                request.config.as_ref(),
                ClientCapabilities::default(),
            ),
        )
        .await;
        // The provider sees the content of the list block's `config` block; Terraform anchors
        // diagnostics on the list block, so paths are given from there.
        let diagnostics: Vec<pb::Diagnostic> = diagnostics
            .iter()
            .map(|diagnostic| {
                let mut diagnostic = diagnostic.clone();
                diagnostic.attribute = diagnostic.attribute.map(|path| path.under("config"));
                diagnostic.to_proto()
            })
            .collect();
        Ok(Response::new(pb::validate_list_resource_config::Response {
            diagnostics,
        }))
    }

    async fn get_functions(
        &self,
        _request: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Ok(Response::new(pb::get_functions::Response::default()))
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let name = request.into_inner().name;
        Ok(Response::new(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!("This provider defines no functions (called {name:?})."),
                function_argument: None,
            }),
        }))
    }

    async fn validate_state_store_config(
        &self,
        _request: Request<pb::validate_state_store::Request>,
    ) -> Result<Response<pb::validate_state_store::Response>, Status> {
        Ok(Response::new(pb::validate_state_store::Response {
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn configure_state_store(
        &self,
        _request: Request<pb::configure_state_store::Request>,
    ) -> Result<Response<pb::configure_state_store::Response>, Status> {
        Ok(Response::new(pb::configure_state_store::Response {
            diagnostics: unsupported("State stores").to_proto(),
            capabilities: None,
        }))
    }

    type ReadStateBytesStream = ServiceStream<pb::read_state_bytes::Response>;

    async fn read_state_bytes(
        &self,
        _request: Request<pb::read_state_bytes::Request>,
    ) -> Result<Response<Self::ReadStateBytesStream>, Status> {
        let response = pb::read_state_bytes::Response {
            diagnostics: unsupported("State stores").to_proto(),
            ..Default::default()
        };
        Ok(Response::new(Box::pin(futures::stream::once(async {
            Ok(response)
        }))))
    }

    async fn write_state_bytes(
        &self,
        _request: Request<tonic::Streaming<pb::write_state_bytes::RequestChunk>>,
    ) -> Result<Response<pb::write_state_bytes::Response>, Status> {
        Ok(Response::new(pb::write_state_bytes::Response {
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn lock_state(
        &self,
        _request: Request<pb::lock_state::Request>,
    ) -> Result<Response<pb::lock_state::Response>, Status> {
        Ok(Response::new(pb::lock_state::Response {
            lock_id: String::new(),
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn unlock_state(
        &self,
        _request: Request<pb::unlock_state::Request>,
    ) -> Result<Response<pb::unlock_state::Response>, Status> {
        Ok(Response::new(pb::unlock_state::Response {
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn get_states(
        &self,
        _request: Request<pb::get_states::Request>,
    ) -> Result<Response<pb::get_states::Response>, Status> {
        Ok(Response::new(pb::get_states::Response {
            state_id: Vec::new(),
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn delete_state(
        &self,
        _request: Request<pb::delete_state::Request>,
    ) -> Result<Response<pb::delete_state::Response>, Status> {
        Ok(Response::new(pb::delete_state::Response {
            diagnostics: unsupported("State stores").to_proto(),
        }))
    }

    async fn plan_action(
        &self,
        _request: Request<pb::plan_action::Request>,
    ) -> Result<Response<pb::plan_action::Response>, Status> {
        Ok(Response::new(pb::plan_action::Response {
            diagnostics: unsupported("Actions").to_proto(),
            deferred: None,
        }))
    }

    type InvokeActionStream = ServiceStream<pb::invoke_action::Event>;

    async fn invoke_action(
        &self,
        _request: Request<pb::invoke_action::Request>,
    ) -> Result<Response<Self::InvokeActionStream>, Status> {
        use pb::invoke_action::event::{Completed, Type as EventType};
        let event = pb::invoke_action::Event {
            r#type: Some(EventType::Completed(Completed {
                diagnostics: unsupported("Actions").to_proto(),
            })),
        };
        Ok(Response::new(Box::pin(futures::stream::once(async {
            Ok(event)
        }))))
    }

    async fn validate_action_config(
        &self,
        _request: Request<pb::validate_action_config::Request>,
    ) -> Result<Response<pb::validate_action_config::Response>, Status> {
        Ok(Response::new(pb::validate_action_config::Response {
            diagnostics: unsupported("Actions").to_proto(),
        }))
    }

    async fn stop_provider(
        &self,
        _request: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        let outcome = logged("StopProvider", "", guarded(self.catalog.provider.stop())).await;
        let error = outcome
            .err()
            .map(|d| {
                d.iter()
                    .map(|d| d.detail.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        Ok(Response::new(pb::stop_provider::Response { error }))
    }
}

/// `plugin.GRPCController`: Shutdown replies, then the server stops.
struct Controller {
    shutdown: Arc<Notify>,
}

#[tonic::async_trait]
impl go_plugin::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(
        &self,
        _request: Request<go_plugin::Empty>,
    ) -> Result<Response<go_plugin::Empty>, Status> {
        tracing::debug!(tf_rpc = "Shutdown", "shutdown requested");
        self.shutdown.notify_one();
        Ok(Response::new(go_plugin::Empty {}))
    }
}

/// `plugin.GRPCStdio`: we never write stray output, so the stream stays open and empty.
struct Stdio;

#[tonic::async_trait]
impl go_plugin::grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream = ServiceStream<go_plugin::StdioData>;

    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(Box::pin(futures::stream::pending())))
    }
}

/// `plugin.GRPCBroker`: Terraform never brokers connections; accept the stream and idle.
struct Broker;

#[tonic::async_trait]
impl go_plugin::grpc_broker_server::GrpcBroker for Broker {
    type StartStreamStream = ServiceStream<go_plugin::ConnInfo>;

    async fn start_stream(
        &self,
        _request: Request<tonic::Streaming<go_plugin::ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        Ok(Response::new(Box::pin(futures::stream::pending())))
    }
}

/// Serving failed (not the provider: the transport).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
}

/// A server ready to run on a bound listener; `shutdown_handle` lets callers stop it too.
pub struct PluginServer {
    provider: ProviderService,
    shutdown: Arc<Notify>,
}

impl PluginServer {
    pub fn new(provider: Arc<dyn Provider>) -> PluginServer {
        PluginServer {
            provider: ProviderService::new(provider),
            shutdown: Arc::new(Notify::new()),
        }
    }

    /// Notifying it stops the server as `GRPCController.Shutdown` does.
    pub fn shutdown_handle(&self) -> Arc<Notify> {
        Arc::clone(&self.shutdown)
    }

    /// Serves plaintext gRPC (h2c) or, with `tls`, gRPC over TLS, until Shutdown.
    pub async fn run(
        self,
        listener: TcpListener,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> Result<(), ServeError> {
        let (health_reporter, health_service) = tonic_health::server::health_reporter();
        health_reporter
            .set_service_status("plugin", tonic_health::ServingStatus::Serving)
            .await;
        let provider = pb::provider_server::ProviderServer::new(self.provider)
            .max_decoding_message_size(MAX_MESSAGE_SIZE)
            .max_encoding_message_size(MAX_MESSAGE_SIZE);
        let controller = go_plugin::grpc_controller_server::GrpcControllerServer::new(Controller {
            shutdown: Arc::clone(&self.shutdown),
        });
        let router = tonic::transport::Server::builder()
            .add_service(provider)
            .add_service(controller)
            .add_service(go_plugin::grpc_stdio_server::GrpcStdioServer::new(Stdio))
            .add_service(go_plugin::grpc_broker_server::GrpcBrokerServer::new(Broker))
            .add_service(health_service);
        let shutdown = self.shutdown;
        let stopped = async move {
            shutdown.notified().await;
            // Let the Shutdown reply reach the client; open streams (stdio) never finish on
            // their own, so the server is dropped rather than drained.
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        };
        match tls {
            None => {
                let incoming = TcpListenerStream::new(listener)
                    .map(|accepted| accepted.inspect(enable_nodelay));
                let serving = router.serve_with_incoming(incoming);
                tokio::select! {
                    result = serving => result?,
                    () = stopped => {}
                }
            }
            Some(config) => {
                let serving = router.serve_with_incoming(tls_incoming(listener, config));
                tokio::select! {
                    result = serving => result?,
                    () = stopped => {}
                }
            }
        }
        Ok(())
    }
}

/// Without TCP_NODELAY, Nagle's algorithm plus delayed ACKs adds ~40 ms to every response larger
/// than a segment (measured: GetProviderSchema 45 ms -> 66 µs). A failure only costs latency.
fn enable_nodelay(stream: &TcpStream) {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::warn!(%error, "setting TCP_NODELAY failed");
    }
}

/// Accepts TCP connections and completes TLS handshakes concurrently, yielding finished ones.
fn tls_incoming(
    listener: TcpListener,
    config: Arc<rustls::ServerConfig>,
) -> ReceiverStream<Result<TlsConnection, std::io::Error>> {
    let (sender, receiver) = mpsc::channel(16);
    let acceptor = TlsAcceptor::from(config);
    tokio::spawn(async move {
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed");
                    continue;
                }
            };
            enable_nodelay(&stream);
            let acceptor = acceptor.clone();
            let connection_sender = sender.clone();
            tokio::spawn(async move {
                match acceptor.accept(stream).await {
                    Ok(tls) => {
                        let _closed = connection_sender.send(Ok(TlsConnection(tls))).await;
                    }
                    Err(error) => tracing::warn!(%error, %peer, "TLS handshake failed"),
                }
            });
            if sender.is_closed() {
                break;
            }
        }
    });
    ReceiverStream::new(receiver)
}

/// A server-side TLS connection that tonic can serve (tonic's own impl needs its TLS feature).
pub struct TlsConnection(tokio_rustls::server::TlsStream<TcpStream>);

impl tonic::transport::server::Connected for TlsConnection {
    type ConnectInfo = ();

    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for TlsConnection {
    fn poll_read(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_read(context, buffer)
    }
}

impl AsyncWrite for TlsConnection {
    fn poll_write(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(context, bytes)
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(context)
    }

    fn poll_shutdown(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(context)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffers: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.0).poll_write_vectored(context, buffers)
    }

    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }
}
