//! Java `java.time.Duration` parsing and `toString()` rendering, as Kestra applies them to
//! the `ttl` header and to duration-looking string values.

use thiserror::Error;

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// A Java `Duration`: whole seconds (floored) plus a non-negative nanosecond adjustment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct JavaDuration {
    seconds: i64,
    nanos: u32,
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error("Text cannot be parsed to a Duration")]
pub struct DurationParseError;

impl JavaDuration {
    fn from_seconds_and_nanos(seconds: i64, nanos: i64) -> Option<JavaDuration> {
        let seconds = seconds.checked_add(nanos.div_euclid(NANOS_PER_SECOND))?;
        let nanos = u32::try_from(nanos.rem_euclid(NANOS_PER_SECOND)).ok()?;
        Some(JavaDuration { seconds, nanos })
    }

    fn negated(self) -> Option<JavaDuration> {
        let seconds = self.seconds.checked_neg()?;
        JavaDuration::from_seconds_and_nanos(seconds, -i64::from(self.nanos))
    }

    pub fn is_negative(&self) -> bool {
        self.seconds < 0
    }

    /// The duration as a `time::Duration`, for adding to instants.
    pub fn to_time_duration(self) -> time::Duration {
        time::Duration::new(self.seconds, i32::try_from(self.nanos).unwrap_or(0))
    }

    /// `java.time.Duration.parse`: `[-+]PnDTnHnMn.nS`, case-insensitive, signed parts,
    /// up to nine fraction digits on seconds, overflow rejected.
    pub fn parse(text: &str) -> Result<JavaDuration, DurationParseError> {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let negate = match bytes.first() {
            Some(b'-') => {
                pos += 1;
                true
            }
            Some(b'+') => {
                pos += 1;
                false
            }
            _ => false,
        };
        if !matches!(bytes.get(pos), Some(b'P' | b'p')) {
            return Err(DurationParseError);
        }
        pos += 1;

        let mut total: i64 = 0;
        let mut nanos: i64 = 0;
        let mut any_part = false;
        if let Some((days, end)) = signed_number(bytes, pos)
            && matches!(bytes.get(end), Some(b'D' | b'd'))
        {
            total = add_scaled(total, days, 86_400)?;
            any_part = true;
            pos = end + 1;
        }
        if matches!(bytes.get(pos), Some(b'T' | b't')) {
            pos += 1;
            let mut time_part = false;
            // Units must appear in order: H, then M, then S.
            let mut next_unit = 0;
            while let Some((value, end)) = signed_number(bytes, pos) {
                match bytes.get(end) {
                    Some(b'H' | b'h') if next_unit == 0 => {
                        total = add_scaled(total, value, 3_600)?;
                        next_unit = 1;
                        pos = end + 1;
                    }
                    Some(b'M' | b'm') if next_unit <= 1 => {
                        total = add_scaled(total, value, 60)?;
                        next_unit = 2;
                        pos = end + 1;
                    }
                    Some(b'S' | b's' | b'.' | b',') => {
                        total = add_scaled(total, value, 1)?;
                        let (fraction, end) = fraction_nanos(bytes, end)?;
                        let seconds_negative = bytes.get(pos) == Some(&b'-');
                        nanos = if seconds_negative {
                            -fraction
                        } else {
                            fraction
                        };
                        next_unit = 3;
                        pos = end;
                    }
                    _ => return Err(DurationParseError),
                }
                time_part = true;
                if next_unit == 3 {
                    break;
                }
            }
            if !time_part {
                return Err(DurationParseError);
            }
            any_part = true;
        }
        if !any_part || pos != bytes.len() {
            return Err(DurationParseError);
        }
        let duration =
            JavaDuration::from_seconds_and_nanos(total, nanos).ok_or(DurationParseError)?;
        if negate {
            duration.negated().ok_or(DurationParseError)
        } else {
            Ok(duration)
        }
    }
}

fn add_scaled(total: i64, value: i64, scale: i64) -> Result<i64, DurationParseError> {
    value
        .checked_mul(scale)
        .and_then(|scaled| total.checked_add(scaled))
        .ok_or(DurationParseError)
}

/// `[-+]?[0-9]+` starting at `start`; returns the value and the index after it.
fn signed_number(bytes: &[u8], start: usize) -> Option<(i64, usize)> {
    let mut end = start;
    if matches!(bytes.get(end), Some(b'-' | b'+')) {
        end += 1;
    }
    let digits_start = end;
    while bytes.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    if end == digits_start {
        return None;
    }
    let text = std::str::from_utf8(bytes.get(start..end)?).ok()?;
    // Out-of-range numbers are a parse error in Java too.
    text.parse::<i64>().ok().map(|value| (value, end))
}

/// Parses an optional `[.,]digits{0,9}` followed by the mandatory `S`; returns the fraction
/// in nanoseconds and the index after `S`.
fn fraction_nanos(bytes: &[u8], start: usize) -> Result<(i64, usize), DurationParseError> {
    let mut pos = start;
    let mut nanos: i64 = 0;
    if matches!(bytes.get(pos), Some(b'.' | b',')) {
        pos += 1;
        let mut digits = 0;
        while let Some(digit) = bytes.get(pos).filter(|byte| byte.is_ascii_digit()) {
            if digits == 9 {
                return Err(DurationParseError);
            }
            nanos = nanos * 10 + i64::from(digit - b'0');
            digits += 1;
            pos += 1;
        }
        for _ in digits..9 {
            nanos *= 10;
        }
    }
    if !matches!(bytes.get(pos), Some(b'S' | b's')) {
        return Err(DurationParseError);
    }
    Ok((nanos, pos + 1))
}

impl std::fmt::Display for JavaDuration {
    /// `java.time.Duration.toString()`: `PT[nH][nM][n.nS]`, days folded into hours.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.seconds == 0 && self.nanos == 0 {
            return f.write_str("PT0S");
        }
        let mut effective_seconds = i128::from(self.seconds);
        if self.seconds < 0 && self.nanos > 0 {
            effective_seconds += 1;
        }
        let hours = effective_seconds / 3_600;
        let minutes = (effective_seconds % 3_600) / 60;
        let secs = effective_seconds % 60;
        let mut out = String::from("PT");
        if hours != 0 {
            out.push_str(&format!("{hours}H"));
        }
        if minutes != 0 {
            out.push_str(&format!("{minutes}M"));
        }
        if secs == 0 && self.nanos == 0 && out.len() > 2 {
            return f.write_str(&out);
        }
        if self.seconds < 0 && self.nanos > 0 && secs == 0 {
            out.push_str("-0");
        } else {
            out.push_str(&secs.to_string());
        }
        if self.nanos > 0 {
            let nanos = i64::from(self.nanos);
            let shifted = if self.seconds < 0 {
                2 * NANOS_PER_SECOND - nanos
            } else {
                nanos + NANOS_PER_SECOND
            };
            // `shifted` is 1xxxxxxxxx: drop the leading 1, trim zeros, prefix the dot.
            let digits = shifted.to_string();
            let fraction = digits.get(1..).unwrap_or_default().trim_end_matches('0');
            out.push('.');
            out.push_str(fraction);
        }
        out.push('S');
        f.write_str(&out)
    }
}

/// Kestra's test for "this string is a duration":
/// `^P(?=[^T]|T.)(?:\d*D)?(?:T(?=.)(?:\d*H)?(?:\d*M)?(?:\d*S)?)?$` (case-sensitive,
/// unsigned integer parts only). Strings matching it that Java cannot parse (`PD`) make GET fail.
pub fn looks_like_duration(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'P') {
        return false;
    }
    match (bytes.get(1), bytes.get(2)) {
        (None, _) | (Some(b'T'), None) => return false,
        _ => {}
    }
    let mut pos = 1;
    let digits_end = |from: usize| {
        let mut end = from;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        end
    };
    let end = digits_end(pos);
    if bytes.get(end) == Some(&b'D') {
        pos = end + 1;
    }
    if pos == bytes.len() {
        return true;
    }
    if bytes.get(pos) != Some(&b'T') || pos + 1 == bytes.len() {
        return false;
    }
    pos += 1;
    for unit in [b'H', b'M', b'S'] {
        let end = digits_end(pos);
        if bytes.get(end) == Some(&unit) {
            pos = end + 1;
        }
    }
    pos == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(text: &str) -> Result<String, DurationParseError> {
        JavaDuration::parse(text).map(|duration| duration.to_string())
    }

    #[test]
    fn parses_and_normalises_like_java() {
        let cases = [
            ("PT5S", "PT5S"),
            ("P1D", "PT24H"),
            ("PT90M", "PT1H30M"),
            ("P3DT3H2M1S", "PT75H2M1S"),
            ("PT0S", "PT0S"),
            ("pt1h", "PT1H"),
            ("PT1.5S", "PT1.5S"),
            ("PT-0.5S", "PT-0.5S"),
            ("-PT5M", "PT-5M"),
            ("PT1,000000001S", "PT1.000000001S"),
            ("P-1DT1H", "PT-23H"),
            ("+PT61S", "PT1M1S"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalised(input).as_deref(), Ok(expected), "input {input}");
        }
    }

    #[test]
    fn rejects_what_java_rejects() {
        for input in [
            "",
            "P",
            "PT",
            "PD",
            "PTS",
            "P1W",
            "P1M",
            "P1Y",
            "5m",
            "PT1.1234567890S",
            "P1DT",
            "PT1S1M",
            "PT5",
            "P99999999999999999D",
            "PT1H1H",
        ] {
            assert_eq!(
                JavaDuration::parse(input),
                Err(DurationParseError),
                "input {input}"
            );
        }
    }

    #[test]
    fn negativity() {
        assert!(JavaDuration::parse("-PT5M").is_ok_and(|d| d.is_negative()));
        assert!(JavaDuration::parse("PT0S").is_ok_and(|d| !d.is_negative()));
        assert!(JavaDuration::parse("PT-0.5S").is_ok_and(|d| d.is_negative()));
    }

    #[test]
    fn duration_regex() {
        for matching in ["PT5S", "P1D", "P3DT3H2M1S", "PD", "PTS", "PT1H", "P1DT1M"] {
            assert!(looks_like_duration(matching), "{matching}");
        }
        for other in [
            "P", "PT", "PT1.5S", "P1W", "pt5s", "P1DT", "xPT5S", "PT5S ", "P5",
        ] {
            assert!(!looks_like_duration(other), "{other}");
        }
    }
}
