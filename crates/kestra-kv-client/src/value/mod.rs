//! Typed KV values ([`KvValue`]): validation, type inference, the PUT body encoding, GET
//! decoding and semantic equality.
//!
//! Kestra parses a PUT body as Amazon ION text and derives the type on read-back, so raw user
//! text is never sent: every value is encoded so that it reads back as the intended type.
//!
//! Beside it: `kind.rs` (the type names, [`KvType`]), `error.rs` ([`ValueError`]), `numbers.rs`
//! (doubles and exact decimals), `datetime.rs` (dates and date-times), `json.rs` (string
//! literals and JSON equality) and [`readback`] (what a write may read back as).

use serde_json::Value as Json;
use time::{Date, OffsetDateTime};

mod datetime;
mod error;
mod json;
mod kind;
mod numbers;
pub mod readback;

pub use datetime::format_date;
pub use error::ValueError;
pub use json::json_string_literal;
pub use kind::KvType;

use super::duration::{JavaDuration, matches_kestra_duration_pattern};
use datetime::{format_instant_millis, parse_date, parse_datetime, truncate_to_millis};
use error::invalid;
use json::json_semantically_equal;
use numbers::{Decimal, check_float_range, check_json_float_ranges, same_stored_float};

/// A validated, typed KV value.
#[derive(Debug, Clone, PartialEq)]
pub struct KvValue {
    repr: Repr,
}

#[derive(Debug, Clone, PartialEq)]
enum Repr {
    String(String),
    Number {
        text: String,
        decimal: Decimal,
    },
    Boolean(bool),
    Datetime {
        text: String,
        instant: OffsetDateTime,
    },
    Date(Date),
    Duration {
        text: String,
        length: JavaDuration,
    },
    Json(Json),
}

impl KvValue {
    /// A STRING value (every text is a valid string).
    pub fn string(text: impl Into<String>) -> KvValue {
        KvValue {
            repr: Repr::String(text.into()),
        }
    }

    /// A BOOLEAN value.
    pub fn boolean(value: bool) -> KvValue {
        KvValue {
            repr: Repr::Boolean(value),
        }
    }

    /// Validates `text` as a value of `kind`.
    ///
    /// NUMBER: a JSON number. BOOLEAN: `true`/`false`. DATETIME: RFC 3339 with an offset.
    /// DATE: `YYYY-MM-DD`. DURATION: what Kestra can store as a duration, i.e. its read-back
    /// pattern (whole days, hours, minutes, seconds: `P3DT3H2M1S`, `PT5S`). JSON: an object or an
    /// array (scalars belong to the other types and would be read back as them).
    pub fn parse(kind: KvType, text: &str) -> Result<KvValue, ValueError> {
        let repr = match kind {
            KvType::String => {
                if matches_kestra_duration_pattern(text) && JavaDuration::parse(text).is_none() {
                    return Err(invalid(
                        kind,
                        "Kestra reads texts of the form P…D, PT…H…M…S back as durations, and \
                         this text is not one it can parse: every later read of the key would \
                         fail with HTTP 500",
                    ));
                }
                Repr::String(text.to_owned())
            }
            KvType::Number => {
                let decimal = Decimal::parse_json(text).ok_or_else(|| {
                    invalid(kind, "expected a JSON number such as 42, -1.5 or 1e3")
                })?;
                check_float_range(text).map_err(|reason| invalid(kind, reason))?;
                Repr::Number {
                    decimal,
                    text: text.to_owned(),
                }
            }
            KvType::Boolean => match text {
                "true" => Repr::Boolean(true),
                "false" => Repr::Boolean(false),
                _ => return Err(invalid(kind, "expected true or false")),
            },
            KvType::Datetime => Repr::Datetime {
                instant: parse_datetime(text)?,
                text: text.to_owned(),
            },
            KvType::Date => Repr::Date(
                parse_date(text)
                    .ok_or_else(|| invalid(kind, "expected a calendar date YYYY-MM-DD"))?,
            ),
            KvType::Duration => Repr::Duration {
                length: parse_storable_duration(text)?,
                text: text.to_owned(),
            },
            KvType::Json => {
                let json: Json = serde_json::from_str(text)
                    .map_err(|error| invalid(kind, format!("malformed JSON ({error})")))?;
                if !(json.is_object() || json.is_array()) {
                    return Err(invalid(
                        kind,
                        "expected a JSON object or array; use NUMBER, BOOLEAN or STRING for scalars",
                    ));
                }
                check_json_float_ranges(&json).map_err(|reason| invalid(kind, reason))?;
                Repr::Json(json)
            }
        };
        Ok(KvValue { repr })
    }

    /// Type inference for a value written without a type: number, boolean, object/array, RFC 3339 date-time, date,
    /// duration, else string. Never fails.
    pub fn infer(text: &str) -> KvValue {
        const ORDER: [KvType; 6] = [
            KvType::Number,
            KvType::Boolean,
            KvType::Json,
            KvType::Datetime,
            KvType::Date,
            KvType::Duration,
        ];
        ORDER
            .into_iter()
            .find_map(|kind| KvValue::parse(kind, text).ok())
            .unwrap_or_else(|| KvValue::string(text))
    }

    /// The type the value is written as (Kestra may report another: see [`readback`]).
    pub fn kind(&self) -> KvType {
        match &self.repr {
            Repr::String(_) => KvType::String,
            Repr::Number { .. } => KvType::Number,
            Repr::Boolean(_) => KvType::Boolean,
            Repr::Datetime { .. } => KvType::Datetime,
            Repr::Date(_) => KvType::Date,
            Repr::Duration { .. } => KvType::Duration,
            Repr::Json(_) => KvType::Json,
        }
    }

    /// The value as text: strings as is, numbers/date-times/durations as written (or as
    /// Kestra returned them), booleans `true`/`false`, JSON compact.
    pub fn to_text(&self) -> String {
        match &self.repr {
            Repr::String(text)
            | Repr::Number { text, .. }
            | Repr::Datetime { text, .. }
            | Repr::Duration { text, .. } => text.clone(),
            Repr::Boolean(value) => value.to_string(),
            Repr::Date(date) => format_date(*date),
            Repr::Json(json) => json.to_string(),
        }
    }

    /// The PUT body (ION text) that Kestra reads back as this value.
    pub fn to_body(&self) -> String {
        match &self.repr {
            Repr::String(text) => json_string_literal(text),
            Repr::Number { text, .. } => text.clone(),
            Repr::Boolean(value) => value.to_string(),
            Repr::Datetime { instant, .. } => format_instant_millis(*instant),
            Repr::Date(date) => format_date(*date),
            Repr::Duration { text, .. } => json_string_literal(text),
            Repr::Json(json) => json.to_string(),
        }
    }

    /// Same type and same meaning: numbers by exact decimal value, JSON by structure (numbers
    /// by value, object member order ignored), date-times by instant at Kestra's millisecond
    /// precision, durations by length. Strings, booleans and dates compare exactly.
    pub fn semantically_equal(&self, other: &KvValue) -> bool {
        match (&self.repr, &other.repr) {
            (Repr::String(left), Repr::String(right)) => left == right,
            (
                Repr::Number {
                    decimal: left,
                    text: left_text,
                },
                Repr::Number {
                    decimal: right,
                    text: right_text,
                },
            ) => left == right || same_stored_float(left_text, right_text),
            (Repr::Boolean(left), Repr::Boolean(right)) => left == right,
            (Repr::Datetime { instant: left, .. }, Repr::Datetime { instant: right, .. }) => {
                truncate_to_millis(*left) == truncate_to_millis(*right)
            }
            (Repr::Date(left), Repr::Date(right)) => left == right,
            (Repr::Duration { length: left, .. }, Repr::Duration { length: right, .. }) => {
                left == right
            }
            (Repr::Json(left), Repr::Json(right)) => json_semantically_equal(left, right),
            _ => false,
        }
    }

    /// Decodes the `value` of a GET response reported with `kind`. Kestra omits `value` when the
    /// stored value is null; for STRING that reads as the empty string.
    pub fn from_response(kind: KvType, value: Option<&Json>) -> Result<KvValue, ValueError> {
        let value = match value {
            None | Some(Json::Null) if kind == KvType::String => return Ok(KvValue::string("")),
            None | Some(Json::Null) => return Err(ValueError::Missing { kind }),
            Some(value) => value,
        };
        let unexpected = |expected: &str| invalid(kind, format!("Kestra returned {expected}"));
        let repr = match (kind, value) {
            (KvType::String, Json::String(text)) => Repr::String(text.clone()),
            (KvType::Number, Json::Number(number)) => {
                let text = number.to_string();
                Repr::Number {
                    decimal: Decimal::parse_json(&text)
                        .ok_or_else(|| unexpected("an unreadable number"))?,
                    text,
                }
            }
            (KvType::Number, Json::String(text)) => {
                return KvValue::parse(kind, text).map_err(|_| unexpected("an unreadable number"));
            }
            (KvType::Boolean, Json::Bool(flag)) => Repr::Boolean(*flag),
            (KvType::Datetime, Json::String(text)) => Repr::Datetime {
                instant: parse_datetime(text).map_err(|_| unexpected("an unreadable date-time"))?,
                text: text.clone(),
            },
            (KvType::Date, Json::String(text)) => {
                Repr::Date(parse_date(text).ok_or_else(|| unexpected("an unreadable date"))?)
            }
            (KvType::Duration, Json::String(text)) => Repr::Duration {
                length: JavaDuration::parse(text)
                    .ok_or_else(|| unexpected("an unreadable duration"))?,
                text: text.clone(),
            },
            (KvType::Json, json) => Repr::Json(json.clone()),
            _ => return Err(unexpected("a value of another JSON kind")),
        };
        Ok(KvValue { repr })
    }
}

/// A DURATION value must survive Kestra's read-back pattern and Java's parser, else Kestra
/// would report it as a STRING (or fail the GET).
fn parse_storable_duration(text: &str) -> Result<JavaDuration, ValueError> {
    let kind = KvType::Duration;
    let length = JavaDuration::parse(text).ok_or_else(|| {
        invalid(
            kind,
            "expected an ISO-8601 duration in Kestra's syntax PnDTnHnMnS, such as PT5S, PT1H30M or P3DT3H2M1S",
        )
    })?;
    if !matches_kestra_duration_pattern(text) {
        return Err(invalid(
            kind,
            "Kestra keeps a value as a DURATION only when written with upper-case letters and \
             whole, unsigned days, hours, minutes and seconds (such as PT5S or P1DT2H); \
             anything else is stored as a STRING",
        ));
    }
    Ok(length)
}

#[cfg(test)]
mod tests {
    use super::readback::reported_kind;
    use super::*;
    use serde_json::json;

    pub(super) fn parsed(kind: KvType, text: &str) -> KvValue {
        match KvValue::parse(kind, text) {
            Ok(value) => value,
            Err(error) => panic!("{kind} {text:?}: {error}"),
        }
    }

    pub(super) fn response(kind: KvType, raw_json: &str) -> KvValue {
        let value: Json = match serde_json::from_str(raw_json) {
            Ok(value) => value,
            Err(error) => panic!("{raw_json}: {error}"),
        };
        match KvValue::from_response(kind, Some(&value)) {
            Ok(value) => value,
            Err(error) => panic!("{kind} {raw_json}: {error}"),
        }
    }

    #[test]
    fn bodies_of_every_type() {
        let cases = [
            (KvType::Number, "42", "42"),
            (KvType::Number, "1.0", "1.0"),
            (KvType::Number, "-1.5e3", "-1.5e3"),
            (KvType::Boolean, "false", "false"),
            (
                KvType::Datetime,
                "2021-09-01T01:02:03Z",
                "2021-09-01T01:02:03Z",
            ),
            (
                KvType::Datetime,
                "2022-05-01T03:02:01.123456Z",
                "2022-05-01T03:02:01.123Z",
            ),
            (
                KvType::Datetime,
                "2022-05-01T05:02:01.5+02:00",
                "2022-05-01T03:02:01.500Z",
            ),
            (
                KvType::Datetime,
                "2022-05-01T00:00:00z",
                "2022-05-01T00:00:00Z",
            ),
            (KvType::Date, "2021-09-01", "2021-09-01"),
            (KvType::Duration, "PT5S", "\"PT5S\""),
            (KvType::Duration, "P3DT3H2M1S", "\"P3DT3H2M1S\""),
            (
                KvType::Json,
                "{ \"a\" : [1, 2.50, {\"b\": null}] }",
                "{\"a\":[1,2.50,{\"b\":null}]}",
            ),
            (
                KvType::Json,
                "[\"hello\",\"world\"]",
                "[\"hello\",\"world\"]",
            ),
        ];
        for (kind, text, body) in cases {
            assert_eq!(parsed(kind, text).to_body(), body, "{kind} {text}");
        }
    }

    #[test]
    fn text_keeps_the_spelling_given() {
        assert_eq!(parsed(KvType::Number, "1.0").to_text(), "1.0");
        assert_eq!(parsed(KvType::Number, "1E3").to_text(), "1E3");
        assert_eq!(
            parsed(KvType::Datetime, "2022-05-01T05:02:01+02:00").to_text(),
            "2022-05-01T05:02:01+02:00"
        );
        assert_eq!(parsed(KvType::Duration, "P1D").to_text(), "P1D");
        assert_eq!(parsed(KvType::Json, "{ \"a\": 1 }").to_text(), "{\"a\":1}");
        assert_eq!(parsed(KvType::Boolean, "true").to_text(), "true");
        assert_eq!(parsed(KvType::Date, "2024-02-29").to_text(), "2024-02-29");
    }

    #[test]
    fn inference_table() {
        let cases = [
            ("42", KvType::Number),
            ("-0.5", KvType::Number),
            ("1e3", KvType::Number),
            ("007", KvType::String),
            ("1.2.3", KvType::String),
            (".5", KvType::String),
            ("+1", KvType::String),
            ("true", KvType::Boolean),
            ("True", KvType::String),
            ("{\"a\":1}", KvType::Json),
            ("[1,2]", KvType::Json),
            ("{a:1}", KvType::String),
            ("null", KvType::String),
            ("\"quoted\"", KvType::String),
            ("2021-09-01T01:02:03Z", KvType::Datetime),
            ("2021-09-01T01:02:03.5+02:00", KvType::Datetime),
            ("2021-09-01T01:02:03", KvType::String),
            ("2021-09-01", KvType::Date),
            ("2021-02-30", KvType::String),
            ("PT5S", KvType::Duration),
            ("P3DT3H2M1S", KvType::Duration),
            ("PT1.5S", KvType::String),
            ("P1W", KvType::String),
            ("pt5s", KvType::String),
            ("hello world", KvType::String),
            ("", KvType::String),
            (" 42", KvType::String),
        ];
        for (text, kind) in cases {
            let value = KvValue::infer(text);
            assert_eq!(value.kind(), kind, "{text:?}");
            assert_eq!(
                reported_kind(&value),
                kind,
                "{text:?} must read back as inferred"
            );
        }
    }

    #[test]
    fn validation_rejects_misfits_without_echoing_the_value() {
        let cases = [
            (KvType::Number, "12abc"),
            (KvType::Number, "NaN"),
            (KvType::Number, "01"),
            (KvType::Number, "1."),
            (KvType::Boolean, "yes"),
            (KvType::Datetime, "2021-09-01"),
            (KvType::Datetime, "2021-09-01T25:00:00Z"),
            (KvType::Datetime, "0000-01-01T00:00:00Z"),
            (KvType::Datetime, "2016-12-31T23:59:60Z"),
            (KvType::Datetime, "2016-12-31T23:59:60.5+00:00"),
            (KvType::Date, "2021-9-1"),
            (KvType::Date, "2021-13-01"),
            (KvType::Date, "0000-01-01"),
            (KvType::Duration, "PT1.5S"),
            (KvType::Duration, "-PT5S"),
            (KvType::Duration, "pt5s"),
            (KvType::Duration, "PD"),
            (KvType::Duration, "P1W"),
            (KvType::Json, "42"),
            (KvType::Json, "{\"a\":"),
        ];
        for (kind, text) in cases {
            match KvValue::parse(kind, text) {
                Err(ValueError::Invalid { kind: got, reason }) => {
                    assert_eq!(got, kind);
                    assert!(!reason.is_empty());
                }
                other => panic!("{kind} {text:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn values_kestra_cannot_hold_as_written_are_refused() {
        for (kind, text) in [
            // Matches Kestra's duration pattern, which its parser then rejects: GET fails.
            (KvType::String, "PD"),
            (KvType::String, "PTS"),
            (KvType::String, "PT1HS"),
            (KvType::String, "PT99999999999999999999H"),
            // Beyond the double range: would not be stored as a number.
            (KvType::Number, "1e400"),
            (KvType::Number, "-2E+308"),
            (KvType::Json, "{\"a\":[1e400]}"),
        ] {
            assert!(KvValue::parse(kind, text).is_err(), "{kind} {text:?}");
        }
        for (kind, text) in [
            (KvType::String, "P1D"),
            (KvType::String, "PT1.5S"),
            (KvType::String, "P"),
            (KvType::Number, "1e308"),
            (KvType::Number, "1e-400"),
            (KvType::Number, "1000000000000000000000000000000000000"),
            (KvType::Json, "{\"a\":1e300}"),
        ] {
            assert!(KvValue::parse(kind, text).is_ok(), "{kind} {text:?}");
        }
        assert_eq!(KvValue::infer("1e400").kind(), KvType::String);
    }

    #[test]
    fn semantic_equality() {
        let equal = [
            (parsed(KvType::Number, "1.0"), response(KvType::Number, "1")),
            (
                parsed(KvType::Number, "1e3"),
                response(KvType::Number, "1000.0"),
            ),
            (parsed(KvType::Number, "-0"), parsed(KvType::Number, "0.00")),
            (
                parsed(KvType::Number, "123456789012345678901234567890"),
                response(KvType::Number, "123456789012345678901234567890"),
            ),
            (
                parsed(KvType::Json, "{\"a\":1,\"b\":[1.50]}"),
                response(KvType::Json, "{\"b\":[1.5],\"a\":1.0}"),
            ),
            (
                parsed(KvType::Datetime, "2022-05-01T05:02:01.123456+02:00"),
                response(KvType::Datetime, "\"2022-05-01T03:02:01.123Z\""),
            ),
            (
                parsed(KvType::Duration, "P3DT3H2M1S"),
                response(KvType::Duration, "\"PT75H2M1S\""),
            ),
            (KvValue::string("a"), response(KvType::String, "\"a\"")),
            // Float-spelled numbers compare as the double Kestra stores.
            (
                parsed(KvType::Number, "1.00000000000000001e0"),
                response(KvType::Number, "1.0"),
            ),
            (
                parsed(KvType::Number, "-1e-400"),
                response(KvType::Number, "-0.0"),
            ),
            (
                parsed(KvType::Number, "9007199254740993e0"),
                response(KvType::Number, "9.007199254740992e+15"),
            ),
            (
                parsed(KvType::Json, "{\"a\": 1.00000000000000001e0}"),
                response(KvType::Json, "{\"a\":1.0}"),
            ),
            (
                parsed(KvType::Date, "2021-09-01"),
                response(KvType::Date, "\"2021-09-01\""),
            ),
        ];
        for (left, right) in &equal {
            assert!(left.semantically_equal(right), "{left:?} vs {right:?}");
            assert!(right.semantically_equal(left), "{right:?} vs {left:?}");
        }
        let different = [
            (
                parsed(KvType::Number, "1.0"),
                parsed(KvType::Number, "1.01"),
            ),
            (parsed(KvType::Number, "1"), parsed(KvType::Number, "-1")),
            (
                response(KvType::Number, "1e400"),
                response(KvType::Number, "1e401"),
            ),
            // Exact decimals stay exact.
            (
                parsed(KvType::Number, "1.00000000000000001"),
                response(KvType::Number, "1.0"),
            ),
            (parsed(KvType::Json, "[1,2]"), parsed(KvType::Json, "[2,1]")),
            (
                parsed(KvType::Json, "{\"a\":1}"),
                parsed(KvType::Json, "{\"a\":1,\"b\":2}"),
            ),
            (
                parsed(KvType::Datetime, "2022-05-01T03:02:01Z"),
                parsed(KvType::Datetime, "2022-05-01T03:02:02Z"),
            ),
            (
                parsed(KvType::Duration, "PT1S"),
                parsed(KvType::Duration, "PT2S"),
            ),
            (KvValue::string("PT5S"), parsed(KvType::Duration, "PT5S")),
            (KvValue::string("1"), parsed(KvType::Number, "1")),
            (KvValue::string("a"), KvValue::string("A")),
        ];
        for (left, right) in &different {
            assert!(!left.semantically_equal(right), "{left:?} vs {right:?}");
        }
    }

    #[test]
    fn response_decoding() {
        assert_eq!(response(KvType::Number, "1.0").to_text(), "1.0");
        assert_eq!(response(KvType::Number, "42").to_text(), "42");
        assert_eq!(
            response(KvType::Duration, "\"PT75H2M1S\"").to_text(),
            "PT75H2M1S"
        );
        assert_eq!(
            response(KvType::Duration, "\"PT-0.5S\"").to_text(),
            "PT-0.5S"
        );
        assert_eq!(
            response(KvType::Datetime, "\"2022-05-01T03:02:01.123Z\"").to_text(),
            "2022-05-01T03:02:01.123Z"
        );
        assert_eq!(
            response(KvType::Date, "\"2021-09-01\"").kind(),
            KvType::Date
        );
        assert_eq!(response(KvType::Boolean, "false").to_text(), "false");
        assert_eq!(
            response(KvType::Json, "{\"hello\":\"world\"}").to_text(),
            "{\"hello\":\"world\"}"
        );
        assert_eq!(response(KvType::String, "\"hello\"").to_text(), "hello");
        assert_eq!(
            KvValue::from_response(KvType::String, None),
            Ok(KvValue::string(""))
        );
        assert_eq!(
            KvValue::from_response(KvType::Number, None),
            Err(ValueError::Missing {
                kind: KvType::Number
            })
        );
        assert!(KvValue::from_response(KvType::Boolean, Some(&json!(1))).is_err());
        assert!(KvValue::from_response(KvType::Datetime, Some(&json!("yesterday"))).is_err());
        assert!(KvValue::from_response(KvType::Duration, Some(&json!("soon"))).is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use time::format_description::well_known::Rfc3339;

    /// Texts of every type: inferred from arbitrary text and from generated well-formed values.
    fn any_value() -> impl Strategy<Value = KvValue> {
        prop_oneof![
            ".{0,20}".prop_map(|text| KvValue::infer(&text)),
            any::<String>().prop_map(KvValue::string),
            (any::<i64>(), 0u32..1000, -5i32..5)
                .prop_map(|(int, frac, exp)| KvValue::infer(&format!("{int}.{frac}e{exp}"))),
            any::<bool>().prop_map(KvValue::boolean),
            (0i64..253_402_300_799, 0u32..1_000_000_000).prop_map(|(seconds, nanos)| {
                let instant = OffsetDateTime::from_unix_timestamp(seconds)
                    .map(|t| t.replace_nanosecond(nanos).unwrap_or(t))
                    .unwrap_or(OffsetDateTime::UNIX_EPOCH);
                KvValue::infer(&instant.format(&Rfc3339).unwrap_or_default())
            }),
            (0u32..500, 0u32..30, 0u32..90)
                .prop_map(|(d, h, s)| KvValue::infer(&format!("P{d}DT{h}H{s}S"))),
            prop::collection::vec(any::<i32>(), 0..4).prop_map(|items| KvValue::infer(
                &serde_json::json!({"items": items, "n": 1.50}).to_string()
            )),
        ]
    }

    proptest! {
        #[test]
        fn semantic_equality_is_reflexive_and_symmetric(left in any_value(), right in any_value()) {
            prop_assert!(left.semantically_equal(&left));
            prop_assert_eq!(left.semantically_equal(&right), right.semantically_equal(&left));
        }

        /// Re-reading what we would send (as Kestra's JSON answer would carry it) is equal.
        #[test]
        fn text_reparses_to_an_equal_value(value in any_value()) {
            let again = KvValue::parse(value.kind(), &value.to_text());
            prop_assert!(again.as_ref().is_ok_and(|again| again.semantically_equal(&value)));
        }

        /// Numbers compare by value whatever the spelling.
        #[test]
        fn number_spellings_are_equal(int in any::<i64>(), shift in 0u32..6) {
            let plain = KvValue::parse(KvType::Number, &int.to_string());
            let scaled = KvValue::parse(KvType::Number, &format!("{int}{}e-{shift}", "0".repeat(shift as usize)));
            let decimal = KvValue::parse(KvType::Number, &format!("{int}.000"));
            prop_assert!(matches!((&plain, &scaled), (Ok(p), Ok(s)) if p.semantically_equal(s)));
            prop_assert!(matches!((&plain, &decimal), (Ok(p), Ok(d)) if p.semantically_equal(d)));
        }

        /// The STRING body is a JSON literal that decodes to the string itself.
        #[test]
        fn string_bodies_decode_exactly(text in any::<String>()) {
            let decoded: Result<String, _> = serde_json::from_str(&KvValue::string(text.clone()).to_body());
            prop_assert_eq!(decoded.ok(), Some(text));
        }
    }
}
