//! Typed KV values: validation, type inference, the PUT body encoding, GET decoding and
//! semantic equality.
//!
//! Kestra parses a PUT body as Amazon ION text and derives the type on read-back, so raw user
//! text is never sent: every value is encoded so that it reads back as the intended type.

use std::fmt;
use std::str::FromStr;

use serde_json::Value as Json;
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, UtcOffset};

pub mod readback;

use super::duration::{JavaDuration, matches_kestra_duration_pattern};

/// The value types Kestra reports (`type` on GET).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KvType {
    String,
    Number,
    Boolean,
    Datetime,
    Date,
    Duration,
    Json,
}

impl KvType {
    /// Every type, in Kestra's order.
    pub const ALL: [KvType; 7] = [
        KvType::String,
        KvType::Number,
        KvType::Boolean,
        KvType::Datetime,
        KvType::Date,
        KvType::Duration,
        KvType::Json,
    ];

    /// Kestra's upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            KvType::String => "STRING",
            KvType::Number => "NUMBER",
            KvType::Boolean => "BOOLEAN",
            KvType::Datetime => "DATETIME",
            KvType::Date => "DATE",
            KvType::Duration => "DURATION",
            KvType::Json => "JSON",
        }
    }
}

impl KvType {
    /// The type inferred for `text` when `type` is omitted. A leap second is an RFC 3339
    /// date-time, so it is inferred as DATETIME (and then refused as one) rather than quietly
    /// stored as a STRING.
    pub fn infer(text: &str) -> KvType {
        if OffsetDateTime::parse(text, &Rfc3339).is_ok() && is_leap_second(text) {
            return KvType::Datetime;
        }
        KvValue::infer(text).kind()
    }
}

impl fmt::Display for KvType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for KvType {
    type Err = ValueError;

    /// Exact, upper-case names only, so a configuration's spelling is the state's spelling.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        KvType::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or_else(|| ValueError::UnknownType {
                name: name.to_owned(),
            })
    }
}

/// Why a value was rejected. Messages never repeat the value itself: it may be a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error(
        "unknown type {name:?}; expected one of STRING, NUMBER, BOOLEAN, DATETIME, DATE, DURATION, JSON"
    )]
    UnknownType { name: String },
    #[error("not a valid {kind} value: {reason}")]
    Invalid { kind: KvType, reason: String },
    #[error("Kestra returned no value for a {kind} entry")]
    Missing { kind: KvType },
}

fn invalid(kind: KvType, reason: impl Into<String>) -> ValueError {
    ValueError::Invalid {
        kind,
        reason: reason.into(),
    }
}

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

    /// The Terraform-facing text: strings as is, numbers/date-times/durations as written (or as
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

/// Kestra parses a number written with an exponent as an ION float, a 64-bit double (`1e3`
/// reads back as `1000.0`, `1.00000000000000001e0` as `1.0`); numbers without one are exact.
fn is_float_spelling(text: &str) -> bool {
    text.contains(['e', 'E'])
}

/// A float-spelled number beyond the double range would not be stored as a number at all.
fn check_float_range(text: &str) -> Result<(), String> {
    if is_float_spelling(text) && !text.parse::<f64>().is_ok_and(f64::is_finite) {
        return Err(format!(
            "{text} is beyond the range of the 64-bit floating-point numbers Kestra stores \
             numbers written with an exponent as (about ±1.8e308)"
        ));
    }
    Ok(())
}

fn check_json_float_ranges(json: &Json) -> Result<(), String> {
    match json {
        Json::Number(number) => check_float_range(&number.to_string()),
        Json::Array(items) => items.iter().try_for_each(check_json_float_ranges),
        Json::Object(members) => members.values().try_for_each(check_json_float_ranges),
        Json::Null | Json::Bool(_) | Json::String(_) => Ok(()),
    }
}

/// Two numbers Kestra stores as the same double when either is float-spelled: they read back
/// alike, so neither spelling is drift.
fn same_stored_float(left: &str, right: &str) -> bool {
    (is_float_spelling(left) || is_float_spelling(right))
        && matches!(
            (left.parse::<f64>(), right.parse::<f64>()),
            (Ok(left), Ok(right)) if left.is_finite() && left == right
        )
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

fn parse_datetime(text: &str) -> Result<OffsetDateTime, ValueError> {
    let kind = KvType::Datetime;
    let instant = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        invalid(
            kind,
            "expected an RFC 3339 date-time with an offset, such as 2024-07-15T06:10:33Z or 2024-07-15T08:10:33.422+02:00",
        )
    })?;
    // RFC 3339 allows a leap second (`:60`), which the parser shifts into the second before;
    // Java's `Instant` has no leap seconds, so Kestra would store another instant.
    if is_leap_second(text) {
        return Err(invalid(
            kind,
            "Kestra (Java's Instant) cannot hold a leap second (:60); write the second before \
             (:59) or after (:00 of the next minute)",
        ));
    }
    let year = instant.to_offset(UtcOffset::UTC).year();
    if !(1..=9999).contains(&year) {
        return Err(invalid(
            kind,
            "the year (in UTC) must be between 0001 and 9999",
        ));
    }
    Ok(instant)
}

/// An RFC 3339 date-time (already parsed) whose seconds field is `60`.
fn is_leap_second(text: &str) -> bool {
    // `YYYY-MM-DDTHH:MM:SS...`: RFC 3339 years have four digits.
    text.get(17..19) == Some("60")
}

/// Strict `YYYY-MM-DD` with a real calendar date and a year Kestra's ION parser accepts.
fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    let year: i32 = text.get(0..4)?.parse().ok()?;
    let month: u8 = text.get(5..7)?.parse().ok()?;
    let day: u8 = text.get(8..10)?.parse().ok()?;
    if year == 0 {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn is_midnight_utc(instant: OffsetDateTime) -> bool {
    let utc = truncate_to_millis(instant).to_offset(UtcOffset::UTC);
    utc.time() == time::Time::MIDNIGHT
}

fn truncate_to_millis(instant: OffsetDateTime) -> OffsetDateTime {
    let utc = instant.to_offset(UtcOffset::UTC);
    let whole_millis = utc.nanosecond() / 1_000_000 * 1_000_000;
    utc.replace_nanosecond(whole_millis).unwrap_or(utc)
}

/// Java `Instant.toString()` of the instant truncated to milliseconds: UTC, `Z`, fraction only
/// when non-zero (Kestra keeps milliseconds only).
fn format_instant_millis(instant: OffsetDateTime) -> String {
    let utc = truncate_to_millis(instant);
    let mut text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    );
    let millis = utc.millisecond();
    if millis != 0 {
        text.push_str(&format!(".{millis:03}"));
    }
    text.push('Z');
    text
}

/// A JSON string literal that both JSON and ION read back exactly: quotes, backslashes and
/// every control character (C0, DEL, C1) escaped; other characters as UTF-8.
pub fn json_string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            control if control.is_control() => {
                out.push_str(&format!("\\u{:04x}", u32::from(control)));
            }
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

fn json_semantically_equal(left: &Json, right: &Json) -> bool {
    match (left, right) {
        (Json::Number(left), Json::Number(right)) => {
            let (left, right) = (left.to_string(), right.to_string());
            let exactly_equal = match (Decimal::parse_json(&left), Decimal::parse_json(&right)) {
                (Some(left), Some(right)) => left == right,
                _ => left == right,
            };
            exactly_equal || same_stored_float(&left, &right)
        }
        (Json::Array(left), Json::Array(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .zip(right)
                    .all(|(left, right)| json_semantically_equal(left, right))
        }
        (Json::Object(left), Json::Object(right)) => {
            left.len() == right.len()
                && left.iter().all(|(name, value)| {
                    right
                        .get(name)
                        .is_some_and(|other| json_semantically_equal(value, other))
                })
        }
        _ => left == right,
    }
}

/// An exact decimal in canonical form (`1.0`, `1`, `10e-1` and `1000e-3` are one value):
/// significant digits without leading or trailing zeros, and a power-of-ten exponent.
/// Comparing these never allocates more than the inputs' size, whatever the exponents.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    digits: String,
    exponent: i128,
}

impl Decimal {
    /// Parses the JSON number grammar `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn parse_json(text: &str) -> Option<Decimal> {
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent_text) = match unsigned.find(['e', 'E']) {
            Some(index) => (unsigned.get(..index)?, Some(unsigned.get(index + 1..)?)),
            None => (unsigned, None),
        };
        let (integer, fraction) = match mantissa.split_once('.') {
            Some((integer, fraction)) => (integer, Some(fraction)),
            None => (mantissa, None),
        };
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(integer) || (integer.len() > 1 && integer.starts_with('0')) {
            return None;
        }
        if fraction.is_some_and(|fraction| !all_digits(fraction)) {
            return None;
        }
        let mut exponent: i128 = 0;
        if let Some(exponent_text) = exponent_text {
            let (sign, digits) = match exponent_text.as_bytes().first() {
                Some(b'-') => (-1, exponent_text.get(1..)?),
                Some(b'+') => (1, exponent_text.get(1..)?),
                _ => (1, exponent_text),
            };
            if !all_digits(digits) {
                return None;
            }
            // Exponents beyond ±10^30 are far outside anything comparable; saturate.
            let significant = digits.trim_start_matches('0');
            let magnitude = if significant.len() > 30 {
                10_i128.pow(30)
            } else {
                significant.parse::<i128>().unwrap_or_default()
            };
            exponent = sign * magnitude;
        }
        let fraction = fraction.unwrap_or_default();
        let mut digits = format!("{integer}{fraction}");
        exponent -= i128::try_from(fraction.len()).ok()?;
        let trailing_zeros = digits.len() - digits.trim_end_matches('0').len();
        digits.truncate(digits.len() - trailing_zeros);
        exponent += i128::try_from(trailing_zeros).ok()?;
        let digits = digits.trim_start_matches('0').to_owned();
        if digits.is_empty() {
            return Some(Decimal {
                negative: false,
                digits,
                exponent: 0,
            });
        }
        Some(Decimal {
            negative,
            digits,
            exponent,
        })
    }
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
    fn type_names_round_trip_and_unknown_names_list_valid_ones() {
        for kind in KvType::ALL {
            assert_eq!(kind.to_string().parse::<KvType>(), Ok(kind));
        }
        let error = "string".parse::<KvType>().err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "unknown type \"string\"; expected one of STRING, NUMBER, BOOLEAN, DATETIME, DATE, DURATION, JSON"
            )
        );
    }

    #[test]
    fn string_bodies_are_fully_escaped_json_literals() {
        let cases = [
            ("", r#""""#),
            ("hello", r#""hello""#),
            ("say \"hi\"", r#""say \"hi\"""#),
            (r"C:\path\n", r#""C:\\path\\n""#),
            ("line1\nline2\r\n", r#""line1\nline2\r\n""#),
            ("tab\there", r#""tab\there""#),
            (
                "\u{0}\u{1}\u{1f}\u{7f}\u{85}",
                r#""\u0000\u0001\u001f\u007f\u0085""#,
            ),
            ("\u{8}\u{c}", r#""\b\f""#),
            ("héllo ✓ 😀", "\"héllo ✓ 😀\""),
            (
                "'single' /* not a comment */",
                r#""'single' /* not a comment */""#,
            ),
        ];
        for (text, body) in cases {
            assert_eq!(KvValue::string(text).to_body(), body, "{text:?}");
            let decoded: Result<String, _> = serde_json::from_str(body);
            assert_eq!(decoded.ok().as_deref(), Some(text));
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
    fn leap_seconds_are_date_times_kestra_cannot_hold() {
        for text in ["2016-12-31T23:59:60Z", "2016-12-31T23:59:60.25+00:00"] {
            assert_eq!(KvType::infer(text), KvType::Datetime, "{text}");
            assert!(KvValue::parse(KvType::Datetime, text).is_err(), "{text}");
        }
        assert_eq!(KvType::infer("2016-12-31T23:59:59Z"), KvType::Datetime);
        assert_eq!(KvType::infer("60"), KvType::Number);
        assert_eq!(KvType::infer("hello 2016-12-31T23:59:60Z"), KvType::String);
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
