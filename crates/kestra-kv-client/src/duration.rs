//! Durations as Kestra (Java `java.time.Duration`) understands them.
//!
//! Pure helpers shared by the client and the devserver: Java's `Duration.parse` grammar
//! (`PnDTnHnMn.nS`, optional signs, fractions), Java's `Duration.toString()` normalisation
//! (`P3DT3H2M1S` -> `PT75H2M1S`) and the stricter pattern Kestra applies when deciding that a
//! stored string is read back as a `DURATION`.

use std::fmt;

const NANOS_PER_SECOND: i128 = 1_000_000_000;
const SECONDS_PER_MINUTE: i128 = 60;
const SECONDS_PER_HOUR: i128 = 3_600;
const SECONDS_PER_DAY: i128 = 86_400;

/// A length of time with Java `Duration` semantics: whole seconds (signed, 64-bit) plus
/// nanoseconds in `0..1_000_000_000`, so `-0.5s` is `seconds = -1, nanos = 500_000_000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct JavaDuration {
    seconds: i64,
    nanos: u32,
}

impl JavaDuration {
    /// The zero-length duration (`PT0S`).
    pub const ZERO: JavaDuration = JavaDuration {
        seconds: 0,
        nanos: 0,
    };

    /// Builds a duration from a total number of nanoseconds; `None` when the seconds part
    /// would not fit Java's `long`.
    pub fn from_total_nanos(total: i128) -> Option<JavaDuration> {
        let seconds = i64::try_from(total.div_euclid(NANOS_PER_SECOND)).ok()?;
        let nanos = u32::try_from(total.rem_euclid(NANOS_PER_SECOND)).ok()?;
        Some(JavaDuration { seconds, nanos })
    }

    /// Parses Java's `Duration.parse` syntax: `[-+]P[nD][T[nH][nM][n[.f]S]]`, case-insensitive,
    /// each number optionally signed, up to nine fraction digits (`.` or `,`). Weeks, months
    /// and years are not part of it. `None` when Java would throw.
    pub fn parse(text: &str) -> Option<JavaDuration> {
        let mut cursor = Cursor::new(text);
        let negate = cursor.sign();
        if !cursor.eat_ignore_case(b'p') {
            return None;
        }
        let mut total: i128 = 0;
        let mut any_part = false;
        if let Some(days) = cursor.signed_number_before(b'd') {
            total = total.checked_add(checked_long(days, SECONDS_PER_DAY)? * NANOS_PER_SECOND)?;
            any_part = true;
        }
        if cursor.eat_ignore_case(b't') {
            let mut any_time_part = false;
            for (unit, seconds_per_unit) in [(b'h', SECONDS_PER_HOUR), (b'm', SECONDS_PER_MINUTE)] {
                if let Some(count) = cursor.signed_number_before(unit) {
                    total = total
                        .checked_add(checked_long(count, seconds_per_unit)? * NANOS_PER_SECOND)?;
                    any_time_part = true;
                }
            }
            if let Some((seconds, fraction)) = cursor.seconds_part() {
                total = total.checked_add(checked_long(seconds, 1)? * NANOS_PER_SECOND)?;
                total = total.checked_add(fraction)?;
                any_time_part = true;
            }
            if !any_time_part {
                return None;
            }
            any_part = true;
        }
        if !any_part || !cursor.at_end() {
            return None;
        }
        // Java sums the parts with addExact on longs before negating.
        JavaDuration::from_total_nanos(total)?;
        JavaDuration::from_total_nanos(if negate { -total } else { total })
    }

    /// Whole seconds, rounded towards negative infinity (Java `getSeconds()`).
    pub fn seconds(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds within the second, always non-negative (Java `getNano()`).
    pub fn nanos(&self) -> u32 {
        self.nanos
    }

    /// The length in nanoseconds.
    pub fn total_nanos(&self) -> i128 {
        i128::from(self.seconds) * NANOS_PER_SECOND + i128::from(self.nanos)
    }

    /// Whether the duration is below zero (Kestra refuses such a `ttl` with a 422).
    pub fn is_negative(&self) -> bool {
        self.seconds < 0
    }

    /// The non-negative length as a std duration; `None` when negative.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        let seconds = u64::try_from(self.seconds).ok()?;
        Some(std::time::Duration::new(seconds, self.nanos))
    }
}

/// Java `Duration.toString()`: `PT[nH][nM][n[.f]S]`, hours unbounded, `PT0S` for zero.
impl fmt::Display for JavaDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds == 0 && self.nanos == 0 {
            return f.write_str("PT0S");
        }
        let mut effective_seconds = i128::from(self.seconds);
        if self.seconds < 0 && self.nanos > 0 {
            effective_seconds += 1;
        }
        let hours = effective_seconds / SECONDS_PER_HOUR;
        let minutes = (effective_seconds % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE;
        let seconds = effective_seconds % SECONDS_PER_MINUTE;
        let mut out = String::from("PT");
        if hours != 0 {
            out.push_str(&format!("{hours}H"));
        }
        if minutes != 0 {
            out.push_str(&format!("{minutes}M"));
        }
        if seconds == 0 && self.nanos == 0 && out.len() > 2 {
            return f.write_str(&out);
        }
        if self.seconds < 0 && self.nanos > 0 && seconds == 0 {
            out.push_str("-0");
        } else {
            out.push_str(&seconds.to_string());
        }
        if self.nanos > 0 {
            let fraction = if self.seconds < 0 {
                2 * NANOS_PER_SECOND - i128::from(self.nanos)
            } else {
                i128::from(self.nanos) + NANOS_PER_SECOND
            };
            // The leading digit is a placeholder Java overwrites with the decimal point.
            let digits = fraction.to_string();
            let trimmed = digits.trim_end_matches('0');
            out.push('.');
            out.push_str(trimmed.get(1..).unwrap_or_default());
        }
        out.push('S');
        f.write_str(&out)
    }
}

fn checked_long(count: i128, multiplier: i128) -> Option<i128> {
    let product = count.checked_mul(multiplier)?;
    i64::try_from(product).ok()?;
    Some(product)
}

/// The length of a duration written in Kestra's (Java's) syntax, e.g. `P3DT3H2M1S`.
pub fn kestra_duration_length(text: &str) -> Option<JavaDuration> {
    JavaDuration::parse(text)
}

/// Java's canonical spelling of a duration (`P1D` -> `PT24H`), as Kestra returns it on GET.
pub fn normalize_duration(text: &str) -> Option<String> {
    JavaDuration::parse(text).map(|length| length.to_string())
}

/// Whether Kestra reads a stored string back as a `DURATION`: its pattern
/// `^P(?=[^T]|T.)(?:\d*D)?(?:T(?=.)(?:\d*H)?(?:\d*M)?(?:\d*S)?)?$` (case-sensitive, whole
/// digits only, no sign). Strings like `PD` match it yet Java cannot parse them.
pub fn matches_kestra_duration_pattern(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('P') else {
        return false;
    };
    let bytes = rest.as_bytes();
    let lookahead_ok = match bytes.first() {
        None => false,
        Some(b'T') => bytes.len() >= 2 && !is_java_line_terminator_start(&rest[1..]),
        Some(_) => true,
    };
    if !lookahead_ok {
        return false;
    }
    let mut position = skip_unit(bytes, 0, b'D');
    if bytes.get(position) == Some(&b'T') {
        position += 1;
        if position >= bytes.len() {
            return false;
        }
        for unit in [b'H', b'M', b'S'] {
            position = skip_unit(bytes, position, unit);
        }
    }
    position == bytes.len()
}

/// `.` in Java regexes does not match line terminators.
fn is_java_line_terminator_start(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
    )
}

/// Consumes `\d*<unit>` at `start` when present, else consumes nothing.
fn skip_unit(bytes: &[u8], start: usize, unit: u8) -> usize {
    let mut end = start;
    while bytes.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    if bytes.get(end) == Some(&unit) {
        end + 1
    } else {
        start
    }
}

/// Seconds since the epoch of Java's `Instant.MAX` (`+1000000000-12-31T23:59:59.999999999Z`):
/// Kestra computes a key's expiry as an `Instant`, so no later expiry can be stored.
pub const LATEST_INSTANT_SECONDS: i64 = 31_556_889_864_403_199;

/// A validated `ttl`: a non-negative duration in Kestra's syntax, kept as written, whose expiry
/// Kestra can hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KvDuration {
    text: String,
    length: JavaDuration,
}

/// Why a `ttl` was rejected; the message is meant for a user-facing diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Nothing but whitespace.
    #[error("a duration cannot be empty; use ISO-8601 syntax such as PT5M, PT1H30M or P1DT12H")]
    Empty,
    /// Weeks, months or years (`P1W`, `P1M`, `P1Y`), which Java durations do not have.
    #[error(
        "Kestra durations support only days, hours, minutes and seconds (PnDTnHnMn.nS); \
         weeks, months and years are not accepted (write P7D instead of P1W)"
    )]
    UnsupportedUnit,
    /// A negative length (`-PT5M`), which Kestra refuses with a 422.
    #[error("a ttl cannot be negative")]
    Negative,
    /// So long that the expiry would not fit Java's `Instant`.
    #[error(
        "the expiry (now + ttl) would fall after year 1000000000, the latest instant Kestra \
         (Java's Instant) can hold; omit ttl for a key that never expires"
    )]
    BeyondLatestInstant,
    /// Anything else Java's `Duration.parse` refuses (Kestra: 422 in E4, 500 before).
    #[error(
        "not an ISO-8601 duration in Kestra's syntax PnDTnHnMn.nS (for example PT5M, PT1H30M, P1DT12H, PT0.5S)"
    )]
    Malformed,
}

impl KvDuration {
    /// Validates a `ttl` the way Kestra will: Java duration syntax, not negative.
    pub fn parse(text: &str) -> Result<KvDuration, DurationError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(DurationError::Empty);
        }
        let Some(length) = JavaDuration::parse(text) else {
            return Err(if has_calendar_unit(trimmed) {
                DurationError::UnsupportedUnit
            } else {
                DurationError::Malformed
            });
        };
        if length.is_negative() {
            return Err(DurationError::Negative);
        }
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        if length.seconds() > LATEST_INSTANT_SECONDS.saturating_sub(now) {
            return Err(DurationError::BeyondLatestInstant);
        }
        Ok(KvDuration {
            text: text.to_owned(),
            length,
        })
    }

    /// The duration as written (sent verbatim in the `ttl` header).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The length of time the text stands for.
    pub fn length(&self) -> JavaDuration {
        self.length
    }
}

impl fmt::Display for KvDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for KvDuration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        KvDuration::parse(text)
    }
}

/// A `P…` text using W, M (before any `T`) or Y, which Java's `Duration` rejects.
fn has_calendar_unit(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    let Some(body) = upper.trim_start_matches(['-', '+']).strip_prefix('P') else {
        return false;
    };
    let date_part = body.split('T').next().unwrap_or_default();
    date_part.contains(['W', 'M', 'Y'])
}

/// A tiny byte cursor for Java's duration grammar.
struct Cursor<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            bytes: text.as_bytes(),
            position: 0,
        }
    }

    fn at_end(&self) -> bool {
        self.position == self.bytes.len()
    }

    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.position + offset).copied()
    }

    /// A leading `+`/`-`; true when negative.
    fn sign(&mut self) -> bool {
        match self.peek(0) {
            Some(b'-') => {
                self.position += 1;
                true
            }
            Some(b'+') => {
                self.position += 1;
                false
            }
            _ => false,
        }
    }

    fn eat_ignore_case(&mut self, expected: u8) -> bool {
        if self
            .peek(0)
            .is_some_and(|byte| byte.eq_ignore_ascii_case(&expected))
        {
            self.position += 1;
            true
        } else {
            false
        }
    }

    /// `[-+]?[0-9]+` at the cursor without consuming it: (value, negative, length).
    fn scan_signed_digits(&self) -> Option<(i128, bool, usize)> {
        let mut length = 0;
        let negative = match self.peek(0) {
            Some(b'-') => {
                length = 1;
                true
            }
            Some(b'+') => {
                length = 1;
                false
            }
            _ => false,
        };
        let digits_start = length;
        let mut value: i128 = 0;
        while let Some(byte) = self.peek(length).filter(u8::is_ascii_digit) {
            // Java's Long.parseLong fails beyond 19 digits' worth of value; i128 holds that.
            value = value
                .checked_mul(10)?
                .checked_add(i128::from(byte - b'0'))?;
            if value > i128::from(u64::MAX) {
                return None;
            }
            length += 1;
        }
        if length == digits_start {
            return None;
        }
        Some((if negative { -value } else { value }, negative, length))
    }

    /// `[-+]?[0-9]+<unit>` (unit case-insensitive), consumed only when the whole thing is there.
    fn signed_number_before(&mut self, unit: u8) -> Option<i128> {
        let (value, _, length) = self.scan_signed_digits()?;
        if self
            .peek(length)
            .is_some_and(|byte| byte.eq_ignore_ascii_case(&unit))
        {
            i64::try_from(value).ok()?;
            self.position += length + 1;
            Some(value)
        } else {
            None
        }
    }

    /// `[-+]?[0-9]+([.,][0-9]{0,9})?S`: (whole seconds, fraction as nanoseconds). As in Java,
    /// the fraction takes the sign written before the seconds, so `-0.5` is negative.
    fn seconds_part(&mut self) -> Option<(i128, i128)> {
        let (value, negative, mut length) = self.scan_signed_digits()?;
        i64::try_from(value).ok()?;
        let mut fraction: i128 = 0;
        if matches!(self.peek(length), Some(b'.' | b',')) {
            length += 1;
            let mut digits = 0;
            while let Some(byte) = self.peek(length).filter(u8::is_ascii_digit) {
                if digits == 9 {
                    return None;
                }
                fraction = fraction * 10 + i128::from(byte - b'0');
                digits += 1;
                length += 1;
            }
            for _ in digits..9 {
                fraction *= 10;
            }
        }
        if !self
            .peek(length)
            .is_some_and(|byte| byte.eq_ignore_ascii_case(&b's'))
        {
            return None;
        }
        self.position += length + 1;
        Some((value, if negative { -fraction } else { fraction }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(text: &str) -> Option<String> {
        normalize_duration(text)
    }

    #[test]
    fn ttls_whose_expiry_java_cannot_hold_are_refused() {
        assert_eq!(
            KvDuration::parse("P99999999999999D"),
            Err(DurationError::BeyondLatestInstant)
        );
        // Year 1000000000 is about 365 billion days away; year 12020 (P3650000D) is fine.
        assert_eq!(
            KvDuration::parse("P366000000000D"),
            Err(DurationError::BeyondLatestInstant)
        );
        assert!(KvDuration::parse("P3650000D").is_ok());
        assert!(KvDuration::parse("P365000000000D").is_ok());
    }

    #[test]
    fn java_normalisation_matches_duration_to_string() {
        let cases = [
            ("P3DT3H2M1S", "PT75H2M1S"),
            ("PT5S", "PT5S"),
            ("P1D", "PT24H"),
            ("PT90M", "PT1H30M"),
            ("PT0S", "PT0S"),
            ("P0D", "PT0S"),
            ("PT1.5S", "PT1.5S"),
            ("PT0.000000001S", "PT0.000000001S"),
            ("PT-0.5S", "PT-0.5S"),
            ("-PT0.5S", "PT-0.5S"),
            ("-PT6H3M", "PT-6H-3M"),
            ("-PT-6H+3M", "PT5H57M"),
            ("PT-1.5S", "PT-1.5S"),
            ("pt5s", "PT5S"),
            ("PT1,25S", "PT1.25S"),
            ("PT1.S", "PT1S"),
            ("P2DT-1S", "PT47H59M59S"),
            ("PT3600S", "PT1H"),
            ("PT61M", "PT1H1M"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalized(input).as_deref(), Some(expected), "{input}");
        }
    }

    #[test]
    fn java_parse_rejects_what_java_rejects() {
        for input in [
            "",
            "P",
            "PT",
            "P1DT",
            "PD",
            "PTS",
            "P1W",
            "P1M",
            "P1Y",
            "PT1.5",
            "5m",
            "PT1.1234567890S",
            "PT5S ",
            " PT5S",
            "P1H",
            "PT1D",
            "--PT1S",
            "P-D",
            "PT1.5H",
            "PT9223372036854775808S",
            "P106751991167301D",
        ] {
            assert_eq!(JavaDuration::parse(input), None, "{input:?}");
        }
        assert!(JavaDuration::parse("PT9223372036854775807S").is_some());
        assert!(JavaDuration::parse("P106751991167300D").is_some());
    }

    #[test]
    fn lengths_compare_across_spellings() {
        assert_eq!(
            kestra_duration_length("P3DT3H2M1S"),
            kestra_duration_length("PT75H2M1S")
        );
        let half = JavaDuration::parse("-PT0.5S").map(|d| (d.seconds(), d.nanos()));
        assert_eq!(half, Some((-1, 500_000_000)));
        assert_eq!(
            JavaDuration::parse("PT1M").and_then(|d| d.to_std()),
            Some(std::time::Duration::from_secs(60))
        );
        assert_eq!(JavaDuration::parse("-PT1S").and_then(|d| d.to_std()), None);
    }

    #[test]
    fn kestra_read_back_pattern() {
        for matching in [
            "PT5S",
            "P3DT3H2M1S",
            "P1D",
            "PT90M",
            "PD",
            "PTS",
            "P1DT1S",
            "PT1H2M3S",
        ] {
            assert!(matches_kestra_duration_pattern(matching), "{matching}");
        }
        for other in [
            "P", "PT", "P1DT", "PT1.5S", "P1W", "-PT5S", "pt5s", "PT5S\n", "PT\n", "hello",
            "PT1S1H", "P1D1D", "",
        ] {
            assert!(!matches_kestra_duration_pattern(other), "{other:?}");
        }
    }

    #[test]
    fn ttl_validation_messages() {
        assert_eq!(
            KvDuration::parse("PT5M").map(|d| d.as_str().to_owned()),
            Ok("PT5M".to_owned())
        );
        assert!(KvDuration::parse("PT0S").is_ok());
        assert!(KvDuration::parse("PT0.5S").is_ok());
        assert!(KvDuration::parse("-PT0S").is_ok());
        assert_eq!(KvDuration::parse("-PT5M"), Err(DurationError::Negative));
        assert_eq!(
            KvDuration::parse("P1W"),
            Err(DurationError::UnsupportedUnit)
        );
        assert_eq!(
            KvDuration::parse("P2M"),
            Err(DurationError::UnsupportedUnit)
        );
        assert_eq!(
            KvDuration::parse("P1Y"),
            Err(DurationError::UnsupportedUnit)
        );
        assert_eq!(KvDuration::parse("5m"), Err(DurationError::Malformed));
        assert_eq!(KvDuration::parse("  "), Err(DurationError::Empty));
        assert!(
            DurationError::Malformed
                .to_string()
                .contains("PnDTnHnMn.nS")
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Java's `toString` output parses back to the same length, for any duration.
        #[test]
        fn java_text_round_trips(seconds in any::<i64>(), nanos in 0u32..1_000_000_000) {
            let duration = JavaDuration::from_total_nanos(
                i128::from(seconds) * 1_000_000_000 + i128::from(nanos),
            );
            prop_assert!(duration.is_some());
            if let Some(duration) = duration {
                prop_assert_eq!(JavaDuration::parse(&duration.to_string()), Some(duration));
            }
        }

        /// Day/hour/minute/second spellings of the same length are equal and normalise alike.
        #[test]
        fn spellings_agree(days in 0u32..1000, hours in 0u32..100, minutes in 0u32..100, seconds in 0u32..100) {
            let spelled = format!("P{days}DT{hours}H{minutes}M{seconds}S");
            let total = u64::from(days) * 86_400 + u64::from(hours) * 3_600
                + u64::from(minutes) * 60 + u64::from(seconds);
            let as_seconds = format!("PT{total}S");
            prop_assert!(matches_kestra_duration_pattern(&spelled));
            prop_assert_eq!(normalize_duration(&spelled), normalize_duration(&as_seconds));
            prop_assert_eq!(
                kestra_duration_length(&spelled).map(|d| d.total_nanos()),
                Some(i128::from(total) * 1_000_000_000)
            );
        }

        /// Arbitrary text never panics the parsers.
        #[test]
        fn arbitrary_text_is_handled(text in ".{0,40}") {
            let parsed = JavaDuration::parse(&text);
            let _ = matches_kestra_duration_pattern(&text);
            let ttl = KvDuration::parse(&text);
            prop_assert!(ttl.is_err() || parsed.is_some());
        }
    }
}
