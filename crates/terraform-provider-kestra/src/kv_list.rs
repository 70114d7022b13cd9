//! List resource `kestra_kv` (Terraform >= 1.14, `terraform query`): the keys of a namespace
//! with their identity and, when asked, the full resource object, so
//! `terraform query -generate-config-out=...` adopts existing keys in bulk.

use std::sync::Arc;

use futures::StreamExt;
use futures::stream::{self, BoxStream};

use kestra_kv_client::{KvEntry, ListOptions};
use terraform_plugin_sdk::{
    Attr, Attribute, Block, Diagnostic, Diagnostics, FromValue, IntoValue, ListEvent, ListRequest,
    ListResource, Schema, Severity, Type, Value, async_trait,
};

use super::kv_resource::{KvIdentity, KvModel};
use super::validation::{Address, location_diagnostics};
use super::{RequestContext, Shared};

terraform_plugin_sdk::model! {
    /// A `kestra_kv` list configuration.
    struct KvListModel {
        namespace: Attr<String>,
        prefix: Attr<String>,
        tenant_id: Attr<String>,
    }
}

impl KvListModel {
    fn address(&self) -> Address<'_> {
        Address::namespace(&self.tenant_id, &self.namespace)
    }
}

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

/// One listed key as an event; with `include_object`, its value is read to build the object
/// (`None` when the key went away since it was listed).
async fn event(
    context: Arc<RequestContext>,
    namespace: String,
    entry: KvEntry,
    include_object: bool,
) -> Option<ListEvent> {
    let client = &context.client;
    let identity = KvIdentity {
        namespace: namespace.as_str().into(),
        key: entry.key.as_str().into(),
        tenant_id: client.tenant().into(),
    }
    .into_value();
    let display_name = format!("{namespace}/{}", entry.key);
    let listed = ListEvent {
        identity,
        display_name,
        ..ListEvent::default()
    };
    if !include_object {
        return Some(listed);
    }
    match client.get_opt(&namespace, &entry.key).await {
        Ok(Some(stored)) => Some(ListEvent {
            resource_object: Some(
                KvModel::from_server(
                    client.tenant(),
                    &namespace,
                    &entry.key,
                    &stored.value,
                    entry.description,
                )
                .into_value(),
            ),
            ..listed
        }),
        // Expired or deleted since it was listed: nothing to adopt any more.
        Ok(None) => None,
        // One key that cannot be read (a key named like a route, a value the server cannot
        // render) must not sink the whole listing, nor become a generated resource without
        // attributes: it is left out, with a warning that names it.
        Err(error) => {
            let action = format!("reading key {:?} in namespace {namespace:?}", entry.key);
            let diagnostics = context
                .failed(&error, &action)
                .into_iter()
                .map(|diagnostic| Diagnostic {
                    severity: Severity::Warning,
                    summary: format!("{} (key left out of the listing)", diagnostic.summary),
                    ..diagnostic
                })
                .collect();
            Some(ListEvent {
                diagnostics,
                ..ListEvent::default()
            })
        }
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
        match KvListModel::from_value(config) {
            Ok(config) => location_diagnostics(config.address()),
            Err(error) => error.into(),
        }
    }

    fn list(&self, request: ListRequest) -> BoxStream<'static, ListEvent> {
        let config = match KvListModel::from_value(request.config) {
            Ok(config) => config,
            Err(error) => return failure(error.into()),
        };
        let context = match self.shared.request_context(config.address()) {
            Ok(context) => context,
            Err(diagnostics) => return failure(diagnostics),
        };
        let Some(namespace) = config.namespace.into_known() else {
            return failure(Diagnostics::from_error(
                "Missing namespace",
                "`namespace` is required.",
            ));
        };
        let options = ListOptions {
            prefix: config.prefix.into_known(),
            ..ListOptions::default()
        };
        let limit = usize::try_from(request.limit)
            .ok()
            .filter(|l| *l > 0)
            .unwrap_or(usize::MAX);
        let include_object = request.include_resource_object;
        let context = Arc::new(context);
        let action = format!("listing namespace {namespace:?}");
        context
            .client
            .list(&namespace, options)
            .take(limit)
            .map(move |entry| {
                let context = context.clone();
                let namespace = namespace.clone();
                let action = action.clone();
                async move {
                    match entry {
                        Ok(entry) => event(context, namespace, entry, include_object).await,
                        Err(error) => Some(ListEvent {
                            diagnostics: context.failed(&error, &action),
                            ..ListEvent::default()
                        }),
                    }
                }
            })
            .buffered(CONCURRENT_READS)
            .filter_map(futures::future::ready)
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use terraform_plugin_sdk::check_model;

    #[test]
    fn model_matches_the_schema() {
        assert_eq!(check_model::<KvListModel>(&schema().block), Ok(()));
    }
}
