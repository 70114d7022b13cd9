//! Conversions between the SDK's plain-Rust types and the wire (`pb`) types.

use super::*;

use super::dynamic::{decode_dynamic, encode_dynamic};
use crate::tfplugin::diagnostics::Diagnostics;
use crate::tfplugin::provider::ClientCapabilities;
use crate::tfplugin::types::Type;
use crate::tfplugin::value::Value;
use crate::tfplugin::wire::tfplugin6 as pb;

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
