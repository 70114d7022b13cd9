//! Conversions between wire `DynamicValue`s and [`Value`]s.

use crate::json::decode_json;
use crate::msgpack::{DecodeError, EncodeError, decode_msgpack, encode_msgpack};
use crate::types::Type;
use crate::value::Value;
use crate::wire::tfplugin6 as pb;

/// Decodes like Terraform does: msgpack if present, else JSON, else Null (also for `None`).
pub fn decode_dynamic(value: Option<&pb::DynamicValue>, ty: &Type) -> Result<Value, DecodeError> {
    match value {
        Some(dynamic) if !dynamic.msgpack.is_empty() => decode_msgpack(&dynamic.msgpack, ty),
        Some(dynamic) if !dynamic.json.is_empty() => decode_json(&dynamic.json, ty),
        _ => Ok(Value::Null),
    }
}

/// Encodes as msgpack (JSON cannot carry unknowns).
pub fn encode_dynamic(value: &Value, ty: &Type) -> Result<pb::DynamicValue, EncodeError> {
    Ok(pb::DynamicValue {
        msgpack: encode_msgpack(value, ty)?,
        json: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msgpack_first_then_json_then_null() {
        let ty = Type::object([("a", Type::String)]);
        let value = Value::object([("a", Value::from("x"))]);
        let encoded = encode_dynamic(&value, &ty).unwrap();
        assert_eq!(decode_dynamic(Some(&encoded), &ty).unwrap(), value);
        let json = pb::DynamicValue {
            msgpack: vec![],
            json: br#"{"a":"x"}"#.to_vec(),
        };
        assert_eq!(decode_dynamic(Some(&json), &ty).unwrap(), value);
        assert_eq!(
            decode_dynamic(Some(&pb::DynamicValue::default()), &ty).unwrap(),
            Value::Null
        );
        assert_eq!(decode_dynamic(None, &ty).unwrap(), Value::Null);
    }
}
