//! The value types Kestra reports ([`KvType`]): their upper-case names, parsed exactly, and the
//! type a value written without one is inferred as.
//!
//! Kestra names a stored value's type on every GET; a configuration names the type to write in
//! the same spelling, so the names are not case-folded.

use std::fmt;
use std::str::FromStr;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::datetime::is_leap_second;
use super::{KvValue, ValueError};

/// The value types Kestra reports (`type` on GET).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KvType {
    /// `STRING`: text, sent JSON-quoted so Kestra does not read it as another type.
    String,
    /// `NUMBER`: an integer or decimal (Kestra keeps `1.0` as written, `1e3` as `1000.0`).
    Number,
    /// `BOOLEAN`: `true` or `false`.
    Boolean,
    /// `DATETIME`: an instant, which Kestra keeps to the millisecond and returns in UTC.
    Datetime,
    /// `DATE`: a calendar day, `YYYY-MM-DD`.
    Date,
    /// `DURATION`: days, hours, minutes and seconds, returned Java-normalised (`P1D` → `PT24H`).
    Duration,
    /// `JSON`: an object or an array.
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn leap_seconds_are_date_times_kestra_cannot_hold() {
        for text in ["2016-12-31T23:59:60Z", "2016-12-31T23:59:60.25+00:00"] {
            assert_eq!(KvType::infer(text), KvType::Datetime, "{text}");
            assert!(KvValue::parse(KvType::Datetime, text).is_err(), "{text}");
        }
        assert_eq!(KvType::infer("2016-12-31T23:59:59Z"), KvType::Datetime);
        assert_eq!(KvType::infer("60"), KvType::Number);
        assert_eq!(KvType::infer("hello 2016-12-31T23:59:60Z"), KvType::String);
    }
}
