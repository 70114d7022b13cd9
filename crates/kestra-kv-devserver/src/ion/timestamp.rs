//! ION timestamps, mapped to what Java reads back: a `LocalDate`, an `Instant` or a
//! `ZonedDateTime`.

use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

use super::Timestamp;

pub(super) fn looks_like_timestamp(token: &[u8]) -> bool {
    token.len() > 4
        && token.iter().take(4).all(u8::is_ascii_digit)
        && matches!(token.get(4), Some(b'T' | b'-'))
}

fn fixed_digits(text: &str, count: usize) -> Option<u32> {
    (text.len() == count && text.bytes().all(|byte| byte.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// ION timestamps: `YYYYT`, `YYYY-MMT`, `YYYY-MM-DD[T]`, `YYYY-MM-DDThh:mm[:ss[.f…]]offset`.
pub(super) fn parse_timestamp(token: &str) -> Option<Timestamp> {
    let year = i32::try_from(fixed_digits(token.get(0..4)?, 4)?).ok()?;
    if year < 1 {
        return None;
    }
    let rest = token.get(4..)?;
    if rest == "T" {
        return date(year, 1, 1);
    }
    let rest = rest.strip_prefix('-')?;
    let month = fixed_digits(rest.get(0..2)?, 2)?;
    let rest = rest.get(2..)?;
    if rest == "T" {
        return date(year, month, 1);
    }
    let rest = rest.strip_prefix('-')?;
    let day = fixed_digits(rest.get(0..2)?, 2)?;
    let rest = rest.get(2..)?;
    if rest.is_empty() || rest == "T" {
        return date(year, month, day);
    }
    let day_date =
        Date::from_calendar_date(year, month_of(month)?, u8::try_from(day).ok()?).ok()?;
    let time_text = rest.strip_prefix('T')?;

    let hour = fixed_digits(time_text.get(0..2)?, 2)?;
    let time_text = time_text.get(2..)?.strip_prefix(':')?;
    let minute = fixed_digits(time_text.get(0..2)?, 2)?;
    let mut time_text = time_text.get(2..)?;
    let mut second = 0;
    let mut nanos = 0;
    if let Some(after_colon) = time_text.strip_prefix(':') {
        second = fixed_digits(after_colon.get(0..2)?, 2)?;
        time_text = after_colon.get(2..)?;
        if let Some(after_dot) = time_text.strip_prefix('.') {
            let end = after_dot
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after_dot.len());
            let (fraction, after_fraction) = after_dot.split_at(end);
            if fraction.is_empty() {
                return None;
            }
            // Kestra stores instants through java.util.Date: milliseconds only.
            let millis: String = fraction
                .chars()
                .chain(std::iter::repeat('0'))
                .take(3)
                .collect();
            nanos = millis.parse::<u32>().ok()? * 1_000_000;
            time_text = after_fraction;
        }
    }
    let offset = parse_offset(time_text)?;
    let time = Time::from_hms_nano(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
        nanos,
    )
    .ok()?;
    let local = PrimitiveDateTime::new(day_date, time);
    if offset.is_utc() {
        Some(Timestamp::Instant(local.assume_utc()))
    } else {
        Some(Timestamp::Zoned(token.to_owned()))
    }
}

fn parse_offset(text: &str) -> Option<UtcOffset> {
    if text == "Z" {
        return Some(UtcOffset::UTC);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, text.get(1..)?),
        b'-' => (-1, text.get(1..)?),
        _ => return None,
    };
    if rest.len() != 5 || rest.as_bytes().get(2) != Some(&b':') {
        return None;
    }
    let hours = i8::try_from(fixed_digits(rest.get(0..2)?, 2)?).ok()?;
    let minutes = i8::try_from(fixed_digits(rest.get(3..5)?, 2)?).ok()?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

fn month_of(month: u32) -> Option<Month> {
    Month::try_from(u8::try_from(month).ok()?).ok()
}

fn date(year: i32, month: u32, day: u32) -> Option<Timestamp> {
    Date::from_calendar_date(year, month_of(month)?, u8::try_from(day).ok()?)
        .ok()
        .map(Timestamp::Date)
}
