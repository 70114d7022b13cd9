//! What Kestra reports after a write, in one place.
//!
//! Kestra parses a PUT body as Amazon ION text and derives the type it reports from what the
//! stored value reads back as, so a write does not always come back as written. The quirks:
//!
//! | Written | Kestra reports | Which Kestra |
//! |---|---|---|
//! | a STRING shaped like a duration (`P1D`) | DURATION, Java-normalised (`PT24H`) | all |
//! | a DATETIME at exactly midnight UTC | DATE of that day | older (before the E4 parser) |
//! | a DATETIME with a non-zero offset (written by other clients) | JSON holding the text | E4 |
//! | a DATETIME with sub-millisecond digits | that DATETIME at millisecond precision | all |
//! | a NUMBER spelled with an exponent (`1e3`) | the double (`1000.0`) | all |
//! | a DURATION with days (`P3DT3H2M1S`) | hours only (`PT75H2M1S`) | all |
//! | null | STRING without a value | all |
//!
//! The last four keep the type and change the spelling: [`KvValue::semantically_equal`] treats
//! them as equal. The first three change the reported type; [`reads_back_as`] is the single rule
//! that accounts for all of them, whether the written value or only its type is known, and
//! whether Kestra's value or only its type is.

use time::UtcOffset;

use super::datetime::{is_midnight_utc, parse_datetime};
use super::{Json, KvType, KvValue, Repr, matches_kestra_duration_pattern};

/// Type changes that some write of the first type may show, when only types are known.
const TYPE_CHANGES: [(KvType, KvType); 2] = [
    (KvType::String, KvType::Duration),
    (KvType::Datetime, KvType::Date),
];

/// What is known of a write.
#[derive(Debug, Clone, Copy)]
pub enum Written<'a> {
    /// Only its type (a write-only value).
    Kind(KvType),
    /// The value written.
    Value(&'a KvValue),
}

/// What is known of Kestra's answer.
#[derive(Debug, Clone, Copy)]
pub enum Reported<'a> {
    /// Only the type it reports, as written (see [`written_form`]).
    Kind(KvType),
    /// The value a GET returned.
    Value(&'a KvValue),
}

/// The read-back rule: may Kestra answer `reported` after the write `written`? Types must be
/// the written one or one of the quirks above; with both values known, so must the meaning.
pub fn reads_back_as(written: Written<'_>, reported: Reported<'_>) -> bool {
    let reported = match reported {
        Reported::Kind(kind) => (kind, None),
        Reported::Value(value) => {
            let value = written_form(value);
            (value.kind(), Some(value))
        }
    };
    let (reported_type, reported_value) = reported;
    match written {
        Written::Kind(kind) => {
            kind == reported_type || TYPE_CHANGES.contains(&(kind, reported_type))
        }
        Written::Value(value) => {
            let type_fits = reported_type == reported_kind(value)
                || matches!(&value.repr, Repr::Datetime { instant, .. }
                    if reported_type == KvType::Date && is_midnight_utc(*instant));
            type_fits && reported_value.is_none_or(|reported| same_meaning(value, &reported))
        }
    }
}

/// Whether `reported`, of a type `written` may read back as, holds the value written.
fn same_meaning(written: &KvValue, reported: &KvValue) -> bool {
    match (&written.repr, &reported.repr) {
        (Repr::Datetime { instant, .. }, Repr::Date(date)) => {
            instant.to_offset(UtcOffset::UTC).date() == *date
        }
        _ => KvValue::parse(reported.kind(), &written.to_text())
            .is_ok_and(|as_reported| as_reported.semantically_equal(reported)),
    }
}

/// The type today's Kestra reports on GET after we PUT [`KvValue::to_body`]: a STRING that
/// matches Kestra's duration pattern comes back as DURATION; a JSON scalar (only possible when
/// decoded from a response) comes back as its scalar type.
pub fn reported_kind(value: &KvValue) -> KvType {
    match &value.repr {
        Repr::String(text) => string_reported_kind(text),
        Repr::Json(json) => match json {
            Json::Object(_) | Json::Array(_) => KvType::Json,
            Json::Number(_) => KvType::Number,
            Json::Bool(_) => KvType::Boolean,
            Json::String(text) => string_reported_kind(text),
            Json::Null => KvType::String,
        },
        _ => value.kind(),
    }
}

fn string_reported_kind(text: &str) -> KvType {
    if matches_kestra_duration_pattern(text) {
        KvType::Duration
    } else {
        KvType::String
    }
}

/// The value as it would be written to read back as `reported`. Kestra reports a date-time
/// written with a non-zero offset (by another client; ours are sent in UTC) as type JSON
/// holding the text: that is the DATETIME written, not a JSON document (which cannot be a
/// bare string).
pub fn written_form(reported: &KvValue) -> KvValue {
    match &reported.repr {
        Repr::Json(Json::String(text)) => match parse_datetime(text) {
            Ok(instant) => KvValue {
                repr: Repr::Datetime {
                    text: text.clone(),
                    instant,
                },
            },
            Err(_) => reported.clone(),
        },
        _ => reported.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{parsed, response};
    use super::*;

    #[test]
    fn what_a_write_reads_back_as() {
        let midnight = parsed(KvType::Datetime, "2026-05-01T02:00:00+02:00");
        // Older Kestra reads a date-time at midnight UTC back as a DATE.
        assert!(reads_back_as(
            Written::Value(&midnight),
            Reported::Value(&response(KvType::Date, "\"2026-05-01\""))
        ));
        assert!(reads_back_as(
            Written::Value(&midnight),
            Reported::Value(&response(KvType::Datetime, "\"2026-05-01T00:00:00Z\""))
        ));
        assert!(!reads_back_as(
            Written::Value(&midnight),
            Reported::Value(&response(KvType::Date, "\"2026-05-02\""))
        ));
        let morning = parsed(KvType::Datetime, "2026-05-01T00:00:00.001Z");
        assert!(!reads_back_as(
            Written::Value(&morning),
            Reported::Kind(KvType::Date)
        ));
        assert!(!reads_back_as(
            Written::Value(&morning),
            Reported::Value(&response(KvType::Date, "\"2026-05-01\""))
        ));
        // A duration-shaped STRING reads back as that DURATION.
        let text = KvValue::string("P1D");
        assert!(reads_back_as(
            Written::Value(&text),
            Reported::Value(&response(KvType::Duration, "\"PT24H\""))
        ));
        assert!(!reads_back_as(
            Written::Value(&text),
            Reported::Value(&response(KvType::Duration, "\"PT25H\""))
        ));
        // Knowing only the type.
        assert!(reads_back_as(
            Written::Kind(KvType::Datetime),
            Reported::Kind(KvType::Date)
        ));
        assert!(reads_back_as(
            Written::Kind(KvType::String),
            Reported::Kind(KvType::Duration)
        ));
        assert!(!reads_back_as(
            Written::Kind(KvType::Date),
            Reported::Kind(KvType::Datetime)
        ));
        assert!(!reads_back_as(
            Written::Kind(KvType::Number),
            Reported::Kind(KvType::String)
        ));
        // A zoned date-time written by another client reads back as JSON text.
        let zoned = parsed(KvType::Datetime, "2026-05-01T10:00:00+02:00");
        assert!(reads_back_as(
            Written::Value(&zoned),
            Reported::Value(&response(KvType::Json, "\"2026-05-01T10:00:00+02:00\""))
        ));
        assert!(!reads_back_as(
            Written::Value(&zoned),
            Reported::Value(&response(KvType::String, "\"2026-05-01T10:00:00+02:00\""))
        ));
    }

    #[test]
    fn zoned_date_times_reported_as_json_are_written_date_times() {
        let reported = response(KvType::Json, "\"2026-05-01T10:00:00+02:00\"");
        let written = written_form(&reported);
        assert_eq!(written.kind(), KvType::Datetime);
        assert_eq!(written.to_text(), "2026-05-01T10:00:00+02:00");
        let document = response(KvType::Json, "{\"at\":\"2026-05-01T10:00:00+02:00\"}");
        assert_eq!(written_form(&document), document);
        let text = response(KvType::Json, "\"not a date\"");
        assert_eq!(written_form(&text), text);
    }

    #[test]
    fn stored_kind_flags_strings_kestra_reads_as_durations() {
        assert_eq!(reported_kind(&KvValue::string("PT5S")), KvType::Duration);
        assert_eq!(reported_kind(&KvValue::string("P1D")), KvType::Duration);
        assert_eq!(reported_kind(&KvValue::string("PT1.5S")), KvType::String);
        assert_eq!(
            reported_kind(&parsed(KvType::Datetime, "2022-05-01T00:00:00Z")),
            KvType::Datetime
        );
        assert_eq!(
            reported_kind(&response(KvType::Json, "\"2022-05-01T03:02:01+02:00\"")),
            KvType::String
        );
        assert_eq!(
            reported_kind(&response(KvType::Json, "{\"a\":1}")),
            KvType::Json
        );
    }
}
