//! Instants as Java (and so Kestra) writes them. `Instant.toString()` is RFC 3339 for years
//! 0000 to 9999 and otherwise writes the year with a sign and as many digits as it needs
//! (`+12020-01-01T00:00:00Z`), which RFC 3339 parsers refuse. A key whose ttl ends after year
//! 9999 is listed with such an expiry, so every date the client reads goes through here.

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// The year as `Instant.toString()` writes it: four digits at least, `+` above 9999, `-` below 0.
pub fn java_year(year: i32) -> String {
    if year > 9999 {
        format!("+{year}")
    } else if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    }
}

/// A year of the same length (leap or not) that RFC 3339 can write, to stand in for `year`.
fn stand_in_year(year: i32) -> i32 {
    if time::util::is_leap_year(year) {
        2000
    } else {
        2001
    }
}

/// Splits a signed, extended year off `text`: `+12020-01-01T...` gives `(12020, "-01-01T...")`.
fn split_extended_year(text: &str) -> Option<(i64, &str)> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = &text[1..];
    let end = digits.find(|c: char| !c.is_ascii_digit())?;
    let year: i64 = digits[..end].parse().ok()?;
    Some((sign * year, &digits[end..]))
}

/// Parses an RFC 3339 date-time, or one with Java's signed extended year. Java holds years up to
/// ±1000000000, beyond what is representable here (±999999): such an instant reads as the
/// latest (or earliest) representable one, which is as good for an expiry that far away.
pub fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    if let Ok(instant) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(instant);
    }
    let (year, rest) = split_extended_year(text)?;
    let Ok(year) = i32::try_from(year) else {
        return None;
    };
    let year_range = Date::MIN.year()..=Date::MAX.year();
    if !year_range.contains(&year) {
        // Only the year is out of range: check the rest is a date-time all the same.
        OffsetDateTime::parse(&format!("2001{rest}"), &Rfc3339).ok()?;
        let limit = if year > 0 {
            PrimitiveDateTime::MAX
        } else {
            PrimitiveDateTime::MIN
        };
        return Some(limit.assume_utc());
    }
    let stand_in =
        OffsetDateTime::parse(&format!("{}{rest}", stand_in_year(year)), &Rfc3339).ok()?;
    stand_in.replace_year(year).ok()
}

/// Formats an instant in UTC: RFC 3339 for years 0000 to 9999, else with Java's extended year.
pub fn format_instant(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(UtcOffset::UTC);
    let year = utc.year();
    if (0..=9999).contains(&year) {
        return utc.format(&Rfc3339).unwrap_or_default();
    }
    let stand_in = utc.replace_year(stand_in_year(year)).unwrap_or(utc);
    let text = stand_in.format(&Rfc3339).unwrap_or_default();
    format!("{}{}", java_year(year), text.get(4..).unwrap_or_default())
}

/// `java.time.Instant.toString()`: UTC, seconds always shown, fraction in groups of three, years
/// beyond 9999 with a sign (`+12020-01-01T00:00:00Z`).
pub fn java_instant_string(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(UtcOffset::UTC);
    let nanos = utc.nanosecond();
    let fraction = if nanos == 0 {
        String::new()
    } else if nanos.is_multiple_of(1_000_000) {
        format!(".{:03}", nanos / 1_000_000)
    } else if nanos.is_multiple_of(1_000) {
        format!(".{:06}", nanos / 1_000)
    } else {
        format!(".{nanos:09}")
    };
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}Z",
        java_year(utc.year()),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn java_extended_years_read_and_write() {
        let far = parse_instant("+12020-01-01T00:00:00Z").expect("extended year");
        assert_eq!(far.year(), 12020);
        assert_eq!(format_instant(far), "+12020-01-01T00:00:00Z");
        let leap = parse_instant("+12020-02-29T10:11:12.345Z").expect("leap day of 12020");
        assert_eq!(format_instant(leap), "+12020-02-29T10:11:12.345Z");
        assert_eq!(
            parse_instant("+12021-02-29T00:00:00Z"),
            None,
            "not a leap year"
        );
        assert_eq!(
            parse_instant("+1000000000-12-31T23:59:59.999999999Z"),
            Some(PrimitiveDateTime::MAX.assume_utc()),
            "Java's latest instant reads as the latest representable"
        );
        assert_eq!(parse_instant("+12020-13-01T00:00:00Z"), None);
        assert_eq!(parse_instant("+12020"), None);
        assert_eq!(
            parse_instant("2024-07-27T06:10:33Z"),
            Some(datetime!(2024-07-27 06:10:33 UTC))
        );
        assert_eq!(
            format_instant(datetime!(2024-07-27 08:10:33 +02:00)),
            "2024-07-27T06:10:33Z"
        );
    }

    #[test]
    fn years_as_java_writes_them() {
        assert_eq!(java_year(2024), "2024");
        assert_eq!(java_year(7), "0007");
        assert_eq!(java_year(10000), "+10000");
        assert_eq!(java_year(-5), "-0005");
    }

    #[test]
    fn java_instant_rendering() {
        assert_eq!(
            java_instant_string(datetime!(2024-01-02 03:04:05 UTC)),
            "2024-01-02T03:04:05Z"
        );
        assert_eq!(
            java_instant_string(datetime!(2024-01-02 03:04:05.120 UTC)),
            "2024-01-02T03:04:05.120Z"
        );
        assert_eq!(
            java_instant_string(datetime!(2024-01-02 03:04:05.000123 UTC)),
            "2024-01-02T03:04:05.000123Z"
        );
        assert_eq!(
            java_instant_string(datetime!(2024-01-02 03:04:05.000000007 +01:00)),
            "2024-01-02T02:04:05.000000007Z"
        );
        assert_eq!(
            java_instant_string(datetime!(+12020-01-01 00:00:00 UTC)),
            "+12020-01-01T00:00:00Z"
        );
    }
}
