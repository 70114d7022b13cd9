//! Dates and date-times as Kestra keeps them: parsing what a DATETIME or DATE may be written
//! as, and formatting them the way Kestra reads them back.
//!
//! Kestra holds a date-time as a Java `Instant`: no leap seconds, years 0001 to 9999 through its
//! ION parser, and milliseconds only, written back in UTC with a `Z`. A date is a plain
//! `YYYY-MM-DD` calendar date.

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, UtcOffset};

use super::KvType;
use super::error::{ValueError, invalid};
use crate::instant::java_instant_string;

/// A DATETIME as written: RFC 3339 with an offset, refused where Kestra would store another
/// instant (a leap second) or none (a year outside 0001 to 9999).
pub(super) fn parse_datetime(text: &str) -> Result<OffsetDateTime, ValueError> {
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
pub(super) fn is_leap_second(text: &str) -> bool {
    // `YYYY-MM-DDTHH:MM:SS...`: RFC 3339 years have four digits.
    text.get(17..19) == Some("60")
}

/// Strict `YYYY-MM-DD` with a real calendar date and a year Kestra's ION parser accepts.
pub(super) fn parse_date(text: &str) -> Option<Date> {
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

/// `LocalDate.toString()` for the years a DATE holds (0001 to 9999): `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Exactly midnight UTC at Kestra's precision: what older Kestra reads back as a DATE.
pub(super) fn is_midnight_utc(instant: OffsetDateTime) -> bool {
    let utc = truncate_to_millis(instant).to_offset(UtcOffset::UTC);
    utc.time() == time::Time::MIDNIGHT
}

/// The instant in UTC at the millisecond precision Kestra keeps.
pub(super) fn truncate_to_millis(instant: OffsetDateTime) -> OffsetDateTime {
    let utc = instant.to_offset(UtcOffset::UTC);
    let whole_millis = utc.nanosecond() / 1_000_000 * 1_000_000;
    utc.replace_nanosecond(whole_millis).unwrap_or(utc)
}

/// Java `Instant.toString()` of the instant truncated to milliseconds: UTC, `Z`, fraction only
/// when non-zero (Kestra keeps milliseconds only).
pub(super) fn format_instant_millis(instant: OffsetDateTime) -> String {
    java_instant_string(truncate_to_millis(instant))
}
