//! The list resource RPC (`terraform query`): a stream of events, each identity (and object,
//! when asked) encoded against the listed resource type's schemas.

use super::*;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::StreamExt;

use crate::diagnostics::Diagnostics;
use crate::list::ListRequest;
use crate::plan::null_write_only;
use crate::recovery::{self, Recoverable, panic_message};
use crate::wire::tfplugin6 as pb;

impl ProviderService {
    /// The events of one listing; a failure before the first event is one diagnostics event.
    pub(super) fn list_events(
        &self,
        request: pb::list_resource::Request,
    ) -> ServiceStream<pb::list_resource::Event> {
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
        match prepared {
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
        }
    }
}
