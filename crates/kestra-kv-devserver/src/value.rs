//! Read-time type derivation (Kestra's `KVType.from`) and Java-style renderings.

use base64::Engine;
use serde_json::{Map, Number, Value};
use time::{Time, UtcOffset};

use super::ion::{IonValue, Timestamp};
use kestra_kv_client::duration::{JavaDuration, matches_kestra_duration_pattern};
use kestra_kv_client::format_date;
use kestra_kv_client::instant::java_instant_string;

/// What GET reports: the derived type name and the JSON value (`None` for null).
#[derive(Debug, Clone, PartialEq)]
pub struct TypedValue {
    pub kind: &'static str,
    pub value: Option<Value>,
}

/// A string matched the duration regex but Java could not parse it (`"PD"`): GET answers 500.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Text cannot be parsed to a Duration: {0}")]
pub struct UnparsableDuration(pub String);

/// How GET reads ION timestamps: Kestra's parser changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimestampReading {
    /// Current Kestra: only day-precision timestamps are dates.
    #[default]
    Current,
    /// Kestra before the parser fix (E1–E3): a UTC timestamp at exactly midnight is a date too.
    MidnightAsDate,
}

pub fn derive(
    value: &IonValue,
    timestamps: TimestampReading,
) -> Result<TypedValue, UnparsableDuration> {
    let typed = |kind, value| TypedValue {
        kind,
        value: Some(value),
    };
    Ok(match value {
        IonValue::Null => TypedValue {
            kind: "STRING",
            value: None,
        },
        IonValue::Bool(flag) => typed("BOOLEAN", Value::Bool(*flag)),
        IonValue::Int(_) | IonValue::Decimal(_) | IonValue::Float(_) => {
            typed("NUMBER", to_json(value))
        }
        IonValue::Timestamp(Timestamp::Date(_)) => typed("DATE", to_json(value)),
        IonValue::Timestamp(Timestamp::Instant(instant))
            if timestamps == TimestampReading::MidnightAsDate
                && instant.to_offset(UtcOffset::UTC).time() == Time::MIDNIGHT =>
        {
            let date = instant.to_offset(UtcOffset::UTC).date();
            typed("DATE", Value::String(format_date(date)))
        }
        IonValue::Timestamp(Timestamp::Instant(_)) => typed("DATETIME", to_json(value)),
        IonValue::Timestamp(Timestamp::Zoned(_)) => typed("JSON", to_json(value)),
        IonValue::Text(text) if matches_kestra_duration_pattern(text) => {
            let duration =
                JavaDuration::parse(text).ok_or_else(|| UnparsableDuration(text.clone()))?;
            typed("DURATION", Value::String(duration.to_string()))
        }
        IonValue::Text(text) => typed("STRING", Value::String(text.clone())),
        IonValue::Lob(bytes) => typed(
            "STRING",
            Value::String(String::from_utf8_lossy(bytes).into_owned()),
        ),
        IonValue::List(_) | IonValue::SExp(_) | IonValue::Struct(_) => {
            typed("JSON", to_json(value))
        }
    })
}

/// Jackson's rendering of the read-back Java object (nested lobs become base64 strings).
fn to_json(value: &IonValue) -> Value {
    match value {
        IonValue::Null => Value::Null,
        IonValue::Bool(flag) => Value::Bool(*flag),
        IonValue::Int(int) => number(&int.to_string()),
        IonValue::Decimal(text) => number(text),
        IonValue::Float(float) => number(&java_double_string(*float)),
        IonValue::Timestamp(Timestamp::Date(date)) => Value::String(format_date(*date)),
        IonValue::Timestamp(Timestamp::Instant(instant)) => {
            Value::String(java_instant_string(*instant))
        }
        IonValue::Timestamp(Timestamp::Zoned(text)) | IonValue::Text(text) => {
            Value::String(text.clone())
        }
        IonValue::Lob(bytes) => {
            Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
        }
        IonValue::List(items) | IonValue::SExp(items) => {
            Value::Array(items.iter().map(to_json).collect())
        }
        IonValue::Struct(fields) => {
            let mut object = Map::new();
            for (name, field) in fields {
                object.insert(name.clone(), to_json(field));
            }
            Value::Object(object)
        }
    }
}

/// JSON number from text already in JSON number syntax (arbitrary precision keeps it verbatim).
fn number(text: &str) -> Value {
    text.parse::<Number>()
        .map(Value::Number)
        .unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// `java.lang.Double.toString`: plain notation in `[1e-3, 1e7)`, else `d.dddE±n`.
fn java_double_string(value: f64) -> String {
    let magnitude = value.abs();
    if value == 0.0 || (1e-3..1e7).contains(&magnitude) {
        return format!("{value:?}");
    }
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.to_owned()
    } else {
        format!("{mantissa}.0")
    };
    format!("{mantissa}E{exponent}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ion::parse_document;
    use serde_json::json;

    fn derived(body: &str) -> Result<TypedValue, UnparsableDuration> {
        let value = parse_document(body).unwrap_or_else(|_| IonValue::Text(body.to_owned()));
        derive(&value, TimestampReading::Current)
    }

    #[test]
    fn older_kestra_reads_midnight_utc_as_a_date() {
        let read = |body: &str| {
            let value = parse_document(body).unwrap_or_else(|_| IonValue::Text(body.to_owned()));
            derive(&value, TimestampReading::MidnightAsDate)
        };
        assert_eq!(
            read("2022-05-01T00:00:00Z"),
            Ok(TypedValue {
                kind: "DATE",
                value: Some(json!("2022-05-01"))
            })
        );
        assert_eq!(
            read("2022-05-01T02:00:00+02:00").map(|typed| typed.kind),
            Ok("JSON"),
            "zoned offsets are not instants"
        );
        assert_eq!(
            read("2022-05-01T00:00:00.001Z").map(|typed| typed.kind),
            Ok("DATETIME")
        );
    }

    #[test]
    fn derives_types_and_values() {
        let cases: [(&str, &str, Value); 12] = [
            ("42", "NUMBER", json!(42)),
            (
                "1e3",
                "NUMBER",
                "1000.0"
                    .parse::<Number>()
                    .map(Value::Number)
                    .unwrap_or_default(),
            ),
            (
                "2022-05-01T00:00:00Z",
                "DATETIME",
                json!("2022-05-01T00:00:00Z"),
            ),
            (
                "2022-05-01T03:02:01.123456Z",
                "DATETIME",
                json!("2022-05-01T03:02:01.123Z"),
            ),
            ("2022-05-01", "DATE", json!("2022-05-01")),
            ("2022T", "DATE", json!("2022-01-01")),
            (
                "2022-05-01T03:02:01+02:00",
                "JSON",
                json!("2022-05-01T03:02:01+02:00"),
            ),
            ("\"P1D\"", "DURATION", json!("PT24H")),
            ("\"PT1.5S\"", "STRING", json!("PT1.5S")),
            ("(a b)", "JSON", json!(["a", "b"])),
            ("{{aGk=}}", "STRING", json!("hi")),
            ("{a:{{aGk=}}}", "JSON", json!({"a": "aGk="})),
        ];
        for (body, kind, value) in cases {
            assert_eq!(
                derived(body),
                Ok(TypedValue {
                    kind,
                    value: Some(value)
                }),
                "body {body}"
            );
        }
        assert_eq!(
            derived("null"),
            Ok(TypedValue {
                kind: "STRING",
                value: None
            })
        );
    }

    #[test]
    fn decimal_keeps_trailing_zero() {
        let typed = derived("1.0").map(|typed| typed.value.map(|value| value.to_string()));
        assert_eq!(typed, Ok(Some("1.0".to_owned())));
    }

    #[test]
    fn regex_matching_but_unparsable_duration_fails() {
        assert_eq!(derived("\"PD\""), Err(UnparsableDuration("PD".into())));
        assert_eq!(derived("PTS"), Err(UnparsableDuration("PTS".into())));
    }

    #[test]
    fn java_double_rendering() {
        assert_eq!(java_double_string(1000.0), "1000.0");
        assert_eq!(java_double_string(0.001), "0.001");
        assert_eq!(java_double_string(1e7), "1.0E7");
        assert_eq!(java_double_string(1.5e-5), "1.5E-5");
        assert_eq!(java_double_string(0.0), "0.0");
    }
}
