//! cty's JSON encoding of values against a type — used by `RawState` (state upgrades) and as the
//! fallback `DynamicValue.json`. JSON cannot hold unknowns.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde_json::Value as Json;

use super::msgpack::{DecodeError, EncodeError, infer_type, kind};
use super::types::{Number, Type};
use super::value::Value;

/// Decodes JSON bytes against `ty`. Empty input is Null.
pub fn decode_json(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    let json: Json = serde_json::from_slice(bytes)
        .map_err(|e| DecodeError::new(format!("invalid JSON: {e}")))?;
    value_from_json(&json, ty)
}

/// Converts parsed JSON to a value of `ty`. Missing object attributes are Null and attributes
/// the type does not have are ignored (state written by an older schema); primitives convert
/// leniently like cty (`"12"` is a number, `true` a string) so old state keeps loading.
pub fn value_from_json(json: &Json, ty: &Type) -> Result<Value, DecodeError> {
    match (json, ty) {
        (Json::Null, _) => Ok(Value::Null),
        (Json::String(text), Type::String) => Ok(Value::String(text.clone())),
        (Json::Number(number), Type::String) => Ok(Value::String(number.to_string())),
        (Json::Bool(flag), Type::String) => Ok(Value::String(flag.to_string())),
        (Json::Number(number), Type::Number) => Number::from_str(&number.to_string())
            .map(Value::Number)
            .map_err(|e| DecodeError::new(e.to_string())),
        (Json::String(text), Type::Number) => Number::from_str(text)
            .map(Value::Number)
            .map_err(|e| DecodeError::new(e.to_string())),
        (Json::Bool(flag), Type::Bool) => Ok(Value::Bool(*flag)),
        (Json::String(text), Type::Bool) if text == "true" || text == "false" => {
            Ok(Value::Bool(text == "true"))
        }
        (Json::Array(items), Type::List(element)) => elements(items, element).map(Value::List),
        (Json::Array(items), Type::Set(element)) => elements(items, element).map(Value::Set),
        (Json::Array(items), Type::Tuple(types)) => {
            if items.len() != types.len() {
                return Err(DecodeError::new(format!(
                    "a tuple of {} elements is required ({} given)",
                    types.len(),
                    items.len()
                )));
            }
            items
                .iter()
                .zip(types)
                .enumerate()
                .map(|(index, (item, ty))| {
                    value_from_json(item, ty).map_err(|e| e.at(format!("[{index}]")))
                })
                .collect::<Result<_, _>>()
                .map(Value::Tuple)
        }
        (Json::Object(entries), Type::Map(element)) => entries
            .iter()
            .map(|(key, item)| {
                value_from_json(item, element)
                    .map(|value| (key.clone(), value))
                    .map_err(|e| e.at(format!("[{key:?}]")))
            })
            .collect::<Result<BTreeMap<_, _>, _>>()
            .map(Value::Map),
        (Json::Object(entries), Type::Object(attributes)) => attributes
            .iter()
            .map(|(name, attribute_type)| {
                let item = entries.get(name).unwrap_or(&Json::Null);
                value_from_json(item, attribute_type)
                    .map(|value| (name.clone(), value))
                    .map_err(|e| e.at(format!(".{name}")))
            })
            .collect::<Result<BTreeMap<_, _>, _>>()
            .map(Value::Object),
        (Json::Object(wrapper), Type::Dynamic) => {
            let (Some(type_json), Some(value)) = (wrapper.get("type"), wrapper.get("value")) else {
                return Err(DecodeError::new(
                    "a dynamic value must be an object with \"type\" and \"value\"",
                ));
            };
            let concrete = Type::from_json_value(type_json)
                .map_err(|e| DecodeError::new(format!("dynamic value type: {e}")))?;
            value_from_json(value, &concrete)
        }
        (json, ty) => Err(DecodeError::new(format!(
            "JSON {} does not conform to type {ty}",
            json_kind(json)
        ))),
    }
}

fn elements(items: &[Json], element: &Type) -> Result<Vec<Value>, DecodeError> {
    items
        .iter()
        .enumerate()
        .map(|(index, item)| value_from_json(item, element).map_err(|e| e.at(format!("[{index}]"))))
        .collect()
}

fn json_kind(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// Encodes a wholly known value as JSON bytes against `ty`.
pub fn encode_json(value: &Value, ty: &Type) -> Result<Vec<u8>, EncodeError> {
    value_to_json(value, ty).map(|json| json.to_string().into_bytes())
}

/// Converts a wholly known value to JSON against `ty` (all object attributes present).
pub fn value_to_json(value: &Value, ty: &Type) -> Result<Json, EncodeError> {
    match (value, ty) {
        (Value::Null, _) => Ok(Json::Null),
        (Value::Unknown, _) => Err(EncodeError::new("unknown values cannot be encoded as JSON")),
        (_, Type::Dynamic) => {
            let concrete = infer_type(value);
            let mut wrapper = serde_json::Map::new();
            wrapper.insert("value".into(), value_to_json(value, &concrete)?);
            wrapper.insert("type".into(), concrete.to_json_value());
            Ok(Json::Object(wrapper))
        }
        (Value::String(text), Type::String) => Ok(Json::String(text.clone())),
        (Value::Bool(flag), Type::Bool) => Ok(Json::Bool(*flag)),
        (Value::Number(number), Type::Number) => {
            if number.as_decimal().is_none() {
                return Err(EncodeError::new("infinity cannot be encoded as JSON"));
            }
            serde_json::Number::from_str(&number.to_string())
                .map(Json::Number)
                .map_err(|e| EncodeError::new(format!("number {number}: {e}")))
        }
        (Value::List(items), Type::List(element)) | (Value::Set(items), Type::Set(element)) => {
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    value_to_json(item, element).map_err(|e| e.at(format!("[{index}]")))
                })
                .collect::<Result<_, _>>()
                .map(Json::Array)
        }
        (Value::Tuple(items), Type::Tuple(types)) if items.len() == types.len() => items
            .iter()
            .zip(types)
            .enumerate()
            .map(|(index, (item, ty))| {
                value_to_json(item, ty).map_err(|e| e.at(format!("[{index}]")))
            })
            .collect::<Result<_, _>>()
            .map(Json::Array),
        (Value::Map(entries), Type::Map(element)) => entries
            .iter()
            .map(|(key, item)| {
                value_to_json(item, element)
                    .map(|json| (key.clone(), json))
                    .map_err(|e| e.at(format!("[{key:?}]")))
            })
            .collect::<Result<serde_json::Map<_, _>, _>>()
            .map(Json::Object),
        (Value::Object(entries), Type::Object(attributes)) => {
            if let Some(extra) = entries.keys().find(|name| !attributes.contains_key(*name)) {
                return Err(EncodeError::new(format!("unsupported attribute {extra:?}")));
            }
            attributes
                .iter()
                .map(|(name, attribute_type)| {
                    let item = entries.get(name).unwrap_or(&Value::Null);
                    value_to_json(item, attribute_type)
                        .map(|json| (name.clone(), json))
                        .map_err(|e| e.at(format!(".{name}")))
                })
                .collect::<Result<serde_json::Map<_, _>, _>>()
                .map(Json::Object)
        }
        (value, ty) => Err(EncodeError::new(format!(
            "{} value does not conform to type {ty}",
            kind(value)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_type() -> Type {
        Type::object([
            ("id", Type::String),
            ("size", Type::Number),
            ("tags", Type::map(Type::String)),
            ("rules", Type::list(Type::object([("name", Type::String)]))),
            ("extra", Type::Dynamic),
        ])
    }

    #[test]
    fn missing_attributes_are_null_and_unknown_ones_ignored() {
        let json = br#"{"id":"a","size":123456789012345678901234567890.5,"old":"dropped","rules":[{"name":"r"}]}"#;
        let value = decode_json(json, &state_type()).unwrap();
        assert_eq!(value.get("id").as_str(), Some("a"));
        assert_eq!(
            value
                .get("size")
                .as_number()
                .map(ToString::to_string)
                .as_deref(),
            Some("123456789012345678901234567890.5")
        );
        assert!(value.get("tags").is_null());
        assert!(value.get("extra").is_null());
        assert!(value.get("old").is_null());
        assert_eq!(
            value.get("rules"),
            &Value::List(vec![Value::object([("name", Value::from("r"))])])
        );
    }

    #[test]
    fn round_trips_including_dynamic() {
        let value = Value::object([
            ("id", Value::from("x")),
            ("size", Value::Number("0.1".parse().unwrap())),
            ("tags", Value::map([("k", Value::from("v"))])),
            ("rules", Value::List(vec![])),
            ("extra", Value::List(vec![Value::from(true)])),
        ]);
        let bytes = encode_json(&value, &state_type()).unwrap();
        assert_eq!(decode_json(&bytes, &state_type()).unwrap(), value);
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.contains(r#""extra":{"value":[true],"type":["list","bool"]}"#),
            "{text}"
        );
        assert!(text.contains(r#""size":0.1"#), "{text}");
    }

    #[test]
    fn lenient_primitives_and_errors() {
        assert_eq!(
            decode_json(br#""12.5""#, &Type::Number).unwrap(),
            Value::Number("12.5".parse().unwrap())
        );
        assert_eq!(
            decode_json(b"12", &Type::String).unwrap(),
            Value::from("12")
        );
        assert_eq!(
            decode_json(br#""true""#, &Type::Bool).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(decode_json(b"", &Type::String).unwrap(), Value::Null);
        assert!(decode_json(b"[1]", &Type::String).is_err());
        assert!(decode_json(b"{", &Type::String).is_err());
        assert!(decode_json(br#"{"value":1}"#, &Type::Dynamic).is_err());
        assert!(encode_json(&Value::Unknown, &Type::String).is_err());
        assert!(encode_json(&Value::Number(Number::positive_infinity()), &Type::Number).is_err());
    }
}
