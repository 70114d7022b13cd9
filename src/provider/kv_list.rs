//! List resource `kestra_kv` (Terraform >= 1.14, `terraform query`): the keys of a namespace
//! with their identity and, when asked, the full resource object, so
//! `terraform query -generate-config-out=...` adopts existing keys in bulk.

use std::sync::Arc;

use futures::StreamExt;
use futures::stream::{self, BoxStream};

use crate::kestra::{Client, KvEntry, ListOptions};
use crate::tfplugin::{
    Attribute, Block, Diagnostics, ListEvent, ListRequest, ListResource, Schema, Type, Value,
    async_trait,
};

use super::Shared;
use super::errors::request_failed_diagnostics;
use super::kv_resource::{identity_of, resource_object};
use super::validation::check_location;

/// Values read at once when full objects are requested.
const CONCURRENT_READS: usize = 8;

pub(crate) struct KvList {
    shared: Arc<Shared>,
}

impl KvList {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        KvList { shared }
    }
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        0,
        Block::new(vec![
            Attribute::required("namespace", Type::String)
                .description("Namespace to list.")
                .markdown(),
            Attribute::optional("prefix", Type::String)
                .description("Keep only keys starting with this prefix.")
                .markdown(),
            Attribute::optional("tenant_id", Type::String)
                .description("Tenant to list; defaults to the provider's tenant.")
                .markdown(),
        ])
        .description("Lists the keys of a namespace for `terraform query`.")
        .markdown(),
    )
}

fn failure(diagnostics: Diagnostics) -> BoxStream<'static, ListEvent> {
    stream::once(async move {
        ListEvent {
            diagnostics,
            ..ListEvent::default()
        }
    })
    .boxed()
}

/// One listed key as an event; with `include_object`, its value is read to build the object.
async fn event(
    client: Client,
    namespace: String,
    entry: KvEntry,
    include_object: bool,
    credentials: String,
) -> ListEvent {
    let mut object = Value::object([
        ("namespace", Value::string(namespace.clone())),
        ("key", Value::string(entry.key.clone())),
        ("tenant_id", Value::string(client.tenant().to_string())),
    ]);
    let identity = identity_of(&object).unwrap_or(Value::Null);
    let display_name = format!("{namespace}/{}", entry.key);
    if !include_object {
        return ListEvent {
            identity,
            display_name,
            ..ListEvent::default()
        };
    }
    match client.get_opt(&namespace, &entry.key).await {
        Ok(Some(stored)) => {
            object = resource_object(
                client.tenant(),
                &namespace,
                &entry.key,
                &stored.value,
                entry.description,
            );
            ListEvent {
                identity,
                display_name,
                resource_object: Some(object),
                ..ListEvent::default()
            }
        }
        // Expired or deleted since it was listed: leave it out of the objects, keep the identity.
        Ok(None) => ListEvent {
            identity,
            display_name,
            ..ListEvent::default()
        },
        Err(error) => ListEvent {
            identity,
            display_name,
            diagnostics: request_failed_diagnostics(
                &error,
                &format!("reading key {:?} in namespace {namespace:?}", entry.key),
                &credentials,
            ),
            ..ListEvent::default()
        },
    }
}

#[async_trait]
impl ListResource for KvList {
    fn type_name(&self) -> &'static str {
        "kestra_kv"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate(&self, config: Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        check_location(&config, &mut diagnostics);
        diagnostics
    }

    fn list(&self, request: ListRequest) -> BoxStream<'static, ListEvent> {
        let config = request.config;
        let mut diagnostics = Diagnostics::default();
        check_location(&config, &mut diagnostics);
        if diagnostics.has_errors() {
            return failure(diagnostics);
        }
        let configured = match self.shared.configured() {
            Ok(c) => c,
            Err(d) => return failure(d),
        };
        let client = match configured.client() {
            Ok(client) => match config.get("tenant_id").as_str() {
                Some(tenant) => client.with_tenant(tenant),
                None => client.clone(),
            },
            Err(d) => return failure(d),
        };
        let Some(namespace) = config.get("namespace").as_str().map(str::to_string) else {
            return failure(Diagnostics::from_error(
                "Missing namespace",
                "`namespace` is required.",
            ));
        };
        let options = ListOptions {
            prefix: config.get("prefix").as_str().map(str::to_string),
            ..ListOptions::default()
        };
        let limit = usize::try_from(request.limit)
            .ok()
            .filter(|l| *l > 0)
            .unwrap_or(usize::MAX);
        let include_object = request.include_resource_object;
        let credentials = configured.credentials().to_string();
        let listing_client = client.clone();
        let action = format!("listing namespace {namespace:?}");
        listing_client
            .list(&namespace, options)
            .take(limit)
            .map(move |entry| {
                let client = client.clone();
                let namespace = namespace.clone();
                let credentials = credentials.clone();
                let action = action.clone();
                async move {
                    match entry {
                        Ok(entry) => {
                            event(client, namespace, entry, include_object, credentials).await
                        }
                        Err(error) => ListEvent {
                            diagnostics: request_failed_diagnostics(&error, &action, &credentials),
                            ..ListEvent::default()
                        },
                    }
                }
            })
            .buffered(CONCURRENT_READS)
            .boxed()
    }
}
