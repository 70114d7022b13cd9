//! A small provider exercising every SDK behaviour, and helpers to serve it on loopback.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::stream::BoxStream;
use terraform_plugin_sdk::testing::PluginServer;
use terraform_plugin_sdk::testing::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_plugin_sdk::testing::tfplugin6 as pb;
use terraform_plugin_sdk::testing::tfplugin6::provider_client::ProviderClient;
use terraform_plugin_sdk::{
    ApplyResponse, Attribute, Block, CloseRequest, ConfigureRequest, CreateRequest, DataSource,
    DeleteRequest, DeleteResponse, Diagnostics, EphemeralResource, IdentityAttribute,
    IdentitySchema, ImportRequest, ImportResponse, ListEvent, ListRequest, ListResource,
    OpenRequest, OpenResponse, PlanRequest, PlanResponse, Provider, ReadDataRequest,
    ReadDataResponse, ReadRequest, ReadResponse, Remaining, RenewRequest, RenewResponse, Resource,
    Schema, Type, UpdateRequest, ValidateResourceRequest, Value, async_trait, decode_msgpack,
    encode_msgpack,
};
use tokio::task::JoinHandle;
use tonic::transport::Channel;

pub const RESOURCE: &str = "test_thing";
pub const DATA_SOURCE: &str = "test_info";
pub const EPHEMERAL: &str = "test_token";

/// The state after a create or update of a `test_thing`: the plan, with the write-only token,
/// an id when still unknown, and a revision unless asked to leave it unknown.
fn applied(
    planned: Value,
    config: &Value,
    private: Vec<u8>,
    identity: Option<Value>,
) -> ApplyResponse {
    let mut state = planned;
    state.set("token_wo", config.get("token_wo").clone());
    if state.get("id").is_unknown() {
        state.set(
            "id",
            Value::string(format!("id-{}", state.get("name").as_str().unwrap_or(""))),
        );
    }
    if state.get("value").as_str() != Some("leave-unknown") {
        state.set("revision", Value::from(1));
    }
    ApplyResponse {
        new_state: state,
        private,
        new_identity: identity,
        diagnostics: Diagnostics::default(),
    }
}

/// Provider with one resource (`test_thing`, also listable) and one data source.
#[derive(Default)]
pub struct TestProvider {
    pub configured: Arc<AtomicUsize>,
    pub stopped: Arc<AtomicUsize>,
}

#[async_trait]
impl Provider for TestProvider {
    fn type_name(&self) -> &'static str {
        "test"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new([Attribute::optional("endpoint", Type::String)]),
        )
    }

    async fn configure(&self, request: ConfigureRequest) -> Diagnostics {
        self.configured.fetch_add(1, Ordering::SeqCst);
        let mut diagnostics = Diagnostics::default();
        if request.config.get("endpoint").as_str() == Some("bad") {
            diagnostics.error("Bad endpoint", "endpoint must not be \"bad\"");
        }
        diagnostics
    }

    async fn stop(&self) {
        self.stopped.fetch_add(1, Ordering::SeqCst);
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(Thing)]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(Info)]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![Arc::new(ThingList)]
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![Arc::new(Token)]
    }
}

pub fn thing_schema() -> Schema {
    Schema::new(
        1,
        Block::new([
            Attribute::required("name", Type::String).requires_replace(),
            Attribute::optional("value", Type::String),
            Attribute::optional("secret", Type::String).sensitive(),
            Attribute::optional("token_wo", Type::String).write_only(),
            Attribute::computed("id", Type::String).use_state_for_unknown(),
            Attribute::computed("revision", Type::Number),
            Attribute::optional_computed("kind", Type::String),
            Attribute::optional("tags", Type::map(Type::String)),
        ]),
    )
}

pub fn thing_type() -> Type {
    thing_schema().implied_type()
}

pub fn identity_type() -> Type {
    Type::object([("name", Type::String)])
}

/// The resource. Behaviour switches on `value`: "panic" panics, "leave-unknown" leaves
/// `revision` unknown after apply; apply copies `token_wo` into state to prove the SDK nulls it.
struct Thing;

#[async_trait]
impl Resource for Thing {
    fn type_name(&self) -> &'static str {
        RESOURCE
    }

    fn schema(&self) -> Schema {
        thing_schema()
    }

    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(
            0,
            [IdentityAttribute::required_for_import("name", Type::String)],
        ))
    }

    async fn validate(&self, request: ValidateResourceRequest) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if request.config.get("name").as_str() == Some("") {
            diagnostics.attribute_error(
                terraform_plugin_sdk::AttributePath::attribute("name"),
                "Empty name",
                "name must not be empty",
            );
        }
        diagnostics
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        if request.current_state.get("value").as_str() == Some("panic") {
            panic!("read exploded");
        }
        let gone = request.current_state.get("value").as_str() == Some("gone");
        ReadResponse {
            new_state: if gone {
                Value::Null
            } else {
                request.current_state.clone()
            },
            private: request.private,
            identity: Some(Value::object([(
                "name",
                request.current_state.get("name").clone(),
            )])),
            diagnostics: Diagnostics::default(),
        }
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let mut response = PlanResponse::from_request(&request);
        if request.config.get("kind").is_null() && request.is_create() {
            // A known default instead of unknown, like a provider that infers it.
            response.planned_state.set("kind", Value::from("default"));
        }
        response.planned_private = b"planned".to_vec();
        response.planned_identity = Some(Value::object([(
            "name",
            request.proposed_new_state.get("name").clone(),
        )]));
        response
    }

    async fn create(&self, request: CreateRequest) -> ApplyResponse {
        applied(
            request.planned_state,
            &request.config,
            request.planned_private,
            request.planned_identity,
        )
    }

    async fn update(&self, request: UpdateRequest) -> ApplyResponse {
        applied(
            request.planned_state,
            &request.config,
            request.planned_private,
            request.planned_identity,
        )
    }

    /// Deletes succeed (the object leaves the state) except for a thing named "undeletable"
    /// (nothing deleted) or "half-deletable" (its value is left, with private data "left").
    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        match request.prior_state.get("name").as_str() {
            Some("undeletable") => {
                DeleteResponse::failed(Diagnostics::from_error("Delete refused", "undeletable"))
            }
            Some("half-deletable") => {
                let mut state = request.prior_state.clone();
                state.set("value", Value::from("left"));
                DeleteResponse {
                    remaining: Some(Remaining {
                        state,
                        private: b"left".to_vec(),
                    }),
                    ..DeleteResponse::failed(Diagnostics::from_error("Delete stopped", "half"))
                }
            }
            _ => DeleteResponse::default(),
        }
    }

    async fn import(&self, request: ImportRequest) -> ImportResponse {
        let name = match &request.identity {
            Some(identity) => identity.get("name").as_str().unwrap_or_default().to_owned(),
            None => request.id.clone(),
        };
        let state = thing(&[
            ("name", Value::from(name.clone())),
            ("id", Value::from(format!("id-{name}"))),
        ]);
        ImportResponse::imported(state, Some(Value::object([("name", Value::from(name))])))
    }
}

/// The schema of the data source and the ephemeral resource: a required `name` and one computed
/// attribute.
fn name_and(computed: Attribute) -> Schema {
    Schema::new(
        0,
        Block::new([Attribute::required("name", Type::String), computed]),
    )
}

/// The configured `name` ("" when null or unknown).
fn configured_name(config: &Value) -> String {
    config.get("name").as_str().unwrap_or_default().to_owned()
}

struct Info;

#[async_trait]
impl DataSource for Info {
    fn type_name(&self) -> &'static str {
        DATA_SOURCE
    }

    fn schema(&self) -> Schema {
        name_and(Attribute::computed("length", Type::Number))
    }

    async fn validate(&self, _config: Value) -> Diagnostics {
        Diagnostics::default()
    }

    async fn read(&self, request: ReadDataRequest) -> ReadDataResponse {
        let name = configured_name(&request.config);
        let mut state = request.config.clone();
        state.set(
            "length",
            Value::from(i64::try_from(name.len()).unwrap_or(i64::MAX)),
        );
        ReadDataResponse::read(state)
    }
}

/// Ephemeral resource: opens a token, renews by bumping a counter kept in private data, and
/// refuses to close anything it did not open.
struct Token;

pub fn token_type() -> Type {
    Type::object([("name", Type::String), ("token", Type::String)])
}

#[async_trait]
impl EphemeralResource for Token {
    fn type_name(&self) -> &'static str {
        EPHEMERAL
    }

    fn schema(&self) -> Schema {
        name_and(Attribute::computed("token", Type::String).sensitive())
    }

    async fn validate(&self, _config: Value) -> Diagnostics {
        Diagnostics::default()
    }

    async fn open(&self, request: OpenRequest) -> OpenResponse {
        let mut result = request.config.clone();
        let name = configured_name(&request.config);
        result.set("token", Value::from(format!("token-for-{name}")));
        OpenResponse {
            result,
            private: b"1".to_vec(),
            renew_at: Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(2_000_000_000)),
            diagnostics: Diagnostics::default(),
        }
    }

    async fn renew(&self, request: RenewRequest) -> RenewResponse {
        let mut private = request.private;
        private.push(b'1');
        RenewResponse {
            private,
            renew_at: None,
            diagnostics: Diagnostics::default(),
        }
    }

    async fn close(&self, request: CloseRequest) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        if request.private.is_empty() {
            diagnostics.error("Nothing to close", "close called without private data");
        }
        diagnostics
    }
}

struct ThingList;

#[async_trait]
impl ListResource for ThingList {
    fn type_name(&self) -> &'static str {
        RESOURCE
    }

    fn schema(&self) -> Schema {
        Schema::new(0, Block::new([Attribute::optional("prefix", Type::String)]))
    }

    async fn validate(&self, _config: Value) -> Diagnostics {
        Diagnostics::default()
    }

    fn list(&self, request: ListRequest) -> BoxStream<'static, ListEvent> {
        let prefix = request
            .config
            .get("prefix")
            .as_str()
            .unwrap_or("item")
            .to_owned();
        let count = usize::try_from(request.limit.clamp(0, 3)).unwrap_or(0);
        let include = request.include_resource_object;
        Box::pin(futures::stream::iter((0..count).map(move |index| {
            let name = format!("{prefix}-{index}");
            ListEvent {
                identity: Value::object([("name", Value::from(name.clone()))]),
                display_name: name.clone(),
                resource_object: include.then(|| Value::object([("name", Value::from(name))])),
                diagnostics: Diagnostics::default(),
            }
        })))
    }
}

/// A server running on a loopback port.
pub struct RunningServer {
    pub address: SocketAddr,
    pub task: JoinHandle<Result<(), terraform_plugin_sdk::testing::ServeError>>,
}

/// Starts a provider (usually [`TestProvider`]) in plaintext mode on 127.0.0.1:0.
pub async fn start_plaintext(provider: impl Provider) -> RunningServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = PluginServer::new(Arc::new(provider));
    let task = tokio::spawn(server.run(listener, None));
    RunningServer { address, task }
}

pub async fn channel(address: SocketAddr) -> Channel {
    tonic::transport::Endpoint::from_shared(format!("http://{address}"))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

pub async fn provider_client(address: SocketAddr) -> ProviderClient<Channel> {
    provider_client_on(channel(address).await)
}

/// A provider client on `channel`, taking messages as large as Terraform does (256 MiB).
pub fn provider_client_on(channel: Channel) -> ProviderClient<Channel> {
    ProviderClient::new(channel)
        .max_decoding_message_size(256 * 1024 * 1024)
        .max_encoding_message_size(256 * 1024 * 1024)
}

/// GetProviderSchema, checked to answer no error and the provider's schema.
pub async fn served_schema(
    client: &mut ProviderClient<Channel>,
) -> pb::get_provider_schema::Response {
    let response = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_no_errors(&response.diagnostics);
    assert!(response.provider.is_some());
    response
}

pub async fn controller_client(address: SocketAddr) -> GrpcControllerClient<Channel> {
    GrpcControllerClient::new(channel(address).await)
}

pub fn dynamic(value: &Value, ty: &Type) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: encode_msgpack(value, ty).unwrap(),
        json: Vec::new(),
    })
}

pub fn undynamic(value: Option<&pb::DynamicValue>, ty: &Type) -> Value {
    decode_msgpack(&value.cloned().unwrap_or_default().msgpack, ty).unwrap()
}

/// A full `test_thing` object from a few attributes (the rest null).
pub fn thing(attributes: &[(&str, Value)]) -> Value {
    let mut object = Value::object(
        thing_schema()
            .block
            .attributes
            .iter()
            .map(|a| (a.name.clone(), Value::Null)),
    );
    for (name, value) in attributes {
        object.set(*name, value.clone());
    }
    object
}

pub fn errors(diagnostics: &[pb::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity == pb::diagnostic::Severity::Error as i32)
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

pub fn assert_no_errors(diagnostics: &[pb::Diagnostic]) {
    assert!(errors(diagnostics).is_empty(), "{diagnostics:?}");
}

pub fn capabilities() -> Option<pb::ClientCapabilities> {
    Some(pb::ClientCapabilities {
        deferral_allowed: false,
        write_only_attributes_allowed: true,
        ..Default::default()
    })
}
