//! The subset of Amazon ION text that Kestra's KV PUT bodies use.
//!
//! Covers JSON plus: identifier / quoted / operator symbols (read back as strings), long
//! strings, ION int syntax (`0x10`, `0b101`, `1_000`), decimals that keep their scale,
//! floats, timestamps of year/month/day/minute/second precision, structs with symbol
//! field names, s-expressions, blobs/clobs, typed nulls and comments. Annotations,
//! `nan`/`±inf` and symbol ids are not supported and count as parse errors (the caller then
//! stores the raw body, which is what Kestra E4 does with anything it cannot read).

use base64::Engine;
use bigdecimal::num_bigint::BigInt;
use thiserror::Error;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Nesting deeper than this is rejected rather than risking the stack.
const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq)]
pub enum IonValue {
    Null,
    Bool(bool),
    Int(BigInt),
    /// Already rendered as Java's `BigDecimal.toString()` (keeps the scale: `1.0`).
    Decimal(String),
    Float(f64),
    Timestamp(Timestamp),
    /// Strings and symbols alike: Kestra reads symbols back as strings.
    Text(String),
    /// Blob or clob bytes.
    Lob(Vec<u8>),
    List(Vec<IonValue>),
    SExp(Vec<IonValue>),
    Struct(Vec<(String, IonValue)>),
}

/// How a timestamp reads back in Java.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timestamp {
    /// Year, month or day precision: `LocalDate`.
    Date(Date),
    /// A time with offset `Z`, `+00:00` or unknown `-00:00`: `Instant`, kept to milliseconds.
    Instant(OffsetDateTime),
    /// A non-zero offset: `ZonedDateTime`; the original text is what gets reported.
    Zoned(String),
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error("invalid ION at byte {position}: {reason}")]
pub struct IonError {
    pub position: usize,
    pub reason: &'static str,
}

/// Parses exactly one value surrounded by optional whitespace/comments.
pub fn parse_document(text: &str) -> Result<IonValue, IonError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        pos: 0,
    };
    parser.skip_whitespace()?;
    let value = parser.value(0, false)?;
    parser.skip_whitespace()?;
    if parser.pos != parser.bytes.len() {
        return Err(parser.error("trailing content after the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

fn is_identifier_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_' || byte == b'$'
}

fn is_identifier_part(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$'
}

fn is_operator_char(byte: u8) -> bool {
    b"!#%&*+-./;<=>?@^`|~".contains(&byte)
}

/// Characters that end a number or timestamp token.
fn is_numeric_stop(byte: u8) -> bool {
    byte.is_ascii_whitespace() || b"{}[](),\"'\x0b".contains(&byte)
}

const TYPED_NULLS: [&str; 13] = [
    "null",
    "bool",
    "int",
    "float",
    "decimal",
    "timestamp",
    "string",
    "symbol",
    "blob",
    "clob",
    "struct",
    "list",
    "sexp",
];

impl Parser<'_> {
    fn error(&self, reason: &'static str) -> IonError {
        IonError {
            position: self.pos,
            reason,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn starts_with(&self, prefix: &[u8]) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(prefix))
    }

    fn skip_whitespace(&mut self) -> Result<(), IonError> {
        loop {
            match self.peek() {
                Some(byte) if byte.is_ascii_whitespace() || byte == 0x0b => self.pos += 1,
                Some(b'/') if self.peek_at(1) == Some(b'/') => {
                    while self.peek().is_some_and(|byte| byte != b'\n') {
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.peek_at(1) == Some(b'*') => {
                    self.pos += 2;
                    while !self.starts_with(b"*/") {
                        if self.peek().is_none() {
                            return Err(self.error("unterminated comment"));
                        }
                        self.pos += 1;
                    }
                    self.pos += 2;
                }
                _ => return Ok(()),
            }
        }
    }

    fn value(&mut self, depth: usize, in_sexp: bool) -> Result<IonValue, IonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        match self.peek() {
            None => Err(self.error("expected a value")),
            Some(b'{') if self.peek_at(1) == Some(b'{') => self.lob(),
            Some(b'{') => self.structure(depth),
            Some(b'[') => self.list(depth),
            Some(b'(') => self.sexp(depth),
            Some(b'"') => self.short_string().map(IonValue::Text),
            Some(b'\'') if self.starts_with(b"'''") => self.long_strings().map(IonValue::Text),
            Some(b'\'') => self.quoted(b'\'').map(IonValue::Text),
            Some(byte) if byte.is_ascii_digit() => self.number_or_timestamp(),
            Some(b'-') if self.peek_at(1).is_some_and(|byte| byte.is_ascii_digit()) => {
                self.number_or_timestamp()
            }
            Some(byte) if is_identifier_start(byte) => self.identifier_value(),
            Some(byte) if in_sexp && is_operator_char(byte) => {
                let start = self.pos;
                while self.peek().is_some_and(is_operator_char) {
                    self.pos += 1;
                }
                Ok(IonValue::Text(self.text_between(start)?))
            }
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn text_between(&self, start: usize) -> Result<String, IonError> {
        self.bytes
            .get(start..self.pos)
            .and_then(|slice| std::str::from_utf8(slice).ok())
            .map(str::to_owned)
            .ok_or_else(|| self.error("invalid UTF-8"))
    }

    fn identifier(&mut self) -> Result<String, IonError> {
        let start = self.pos;
        while self.peek().is_some_and(is_identifier_part) {
            self.pos += 1;
        }
        self.text_between(start)
    }

    fn identifier_value(&mut self) -> Result<IonValue, IonError> {
        let word = self.identifier()?;
        match word.as_str() {
            "true" => Ok(IonValue::Bool(true)),
            "false" => Ok(IonValue::Bool(false)),
            "null" => {
                if self.peek() == Some(b'.') {
                    self.pos += 1;
                    let type_name = self.identifier()?;
                    if !TYPED_NULLS.contains(&type_name.as_str()) {
                        return Err(self.error("unknown typed null"));
                    }
                }
                Ok(IonValue::Null)
            }
            "nan" => Err(self.error("nan is not supported")),
            _ => Ok(IonValue::Text(word)),
        }
    }

    fn structure(&mut self, depth: usize) -> Result<IonValue, IonError> {
        self.pos += 1;
        let mut fields = Vec::new();
        loop {
            self.skip_whitespace()?;
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(IonValue::Struct(fields));
            }
            let name = match self.peek() {
                Some(b'"') => self.short_string()?,
                Some(b'\'') if self.starts_with(b"'''") => self.long_strings()?,
                Some(b'\'') => self.quoted(b'\'')?,
                Some(byte) if is_identifier_start(byte) => self.identifier()?,
                _ => return Err(self.error("expected a field name")),
            };
            self.skip_whitespace()?;
            if self.peek() != Some(b':') || self.peek_at(1) == Some(b':') {
                return Err(self.error("expected ':' after a field name"));
            }
            self.pos += 1;
            self.skip_whitespace()?;
            let value = self.value(depth + 1, false)?;
            fields.push((name, value));
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return Err(self.error("expected ',' or '}' in a struct")),
            }
        }
    }

    fn list(&mut self, depth: usize) -> Result<IonValue, IonError> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_whitespace()?;
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(IonValue::List(items));
            }
            items.push(self.value(depth + 1, false)?);
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                _ => return Err(self.error("expected ',' or ']' in a list")),
            }
        }
    }

    fn sexp(&mut self, depth: usize) -> Result<IonValue, IonError> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_whitespace()?;
            if self.peek() == Some(b')') {
                self.pos += 1;
                return Ok(IonValue::SExp(items));
            }
            items.push(self.value(depth + 1, true)?);
        }
    }

    fn lob(&mut self) -> Result<IonValue, IonError> {
        self.pos += 2;
        self.skip_lob_whitespace();
        let bytes = match self.peek() {
            Some(b'"') => self.short_string()?.into_bytes(),
            Some(b'\'') if self.starts_with(b"'''") => self.long_strings()?.into_bytes(),
            _ => {
                let mut encoded = Vec::new();
                while let Some(byte) = self.peek().filter(|byte| *byte != b'}') {
                    if !byte.is_ascii_whitespace() {
                        encoded.push(byte);
                    }
                    self.pos += 1;
                }
                base64::engine::general_purpose::STANDARD
                    .decode(&encoded)
                    .map_err(|_| self.error("invalid base64 in a blob"))?
            }
        };
        self.skip_lob_whitespace();
        if !self.starts_with(b"}}") {
            return Err(self.error("expected '}}' closing a lob"));
        }
        self.pos += 2;
        Ok(IonValue::Lob(bytes))
    }

    fn skip_lob_whitespace(&mut self) {
        while self.peek().is_some_and(|byte| byte.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn short_string(&mut self) -> Result<String, IonError> {
        self.quoted(b'"')
    }

    /// A `"…"` string or `'…'` symbol, with ION escapes; no raw newlines.
    fn quoted(&mut self, quote: u8) -> Result<String, IonError> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None | Some(b'\n') | Some(b'\r') => {
                    return Err(self.error("unterminated string"));
                }
                Some(byte) if byte == quote => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(byte) => {
                    out.push(byte);
                    self.pos += 1;
                }
            }
        }
        String::from_utf8(out).map_err(|_| self.error("invalid UTF-8 in a string"))
    }

    /// One or more `'''…'''` segments separated by whitespace, concatenated.
    fn long_strings(&mut self) -> Result<String, IonError> {
        let mut out = Vec::new();
        while self.starts_with(b"'''") {
            self.pos += 3;
            loop {
                if self.starts_with(b"'''") {
                    self.pos += 3;
                    break;
                }
                match self.peek() {
                    None => return Err(self.error("unterminated long string")),
                    Some(b'\\') => self.escape(&mut out)?,
                    Some(byte) => {
                        out.push(byte);
                        self.pos += 1;
                    }
                }
            }
            let after_segment = self.pos;
            self.skip_whitespace()?;
            if !self.starts_with(b"'''") {
                self.pos = after_segment;
            }
        }
        String::from_utf8(out).map_err(|_| self.error("invalid UTF-8 in a string"))
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), IonError> {
        let Some(code) = self.peek_at(1) else {
            return Err(self.error("unterminated escape"));
        };
        self.pos += 2;
        let simple = match code {
            b'"' => Some(b'"'),
            b'\'' => Some(b'\''),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'?' => Some(b'?'),
            b'0' => Some(0),
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b't' => Some(b'\t'),
            b'n' => Some(b'\n'),
            b'f' => Some(0x0c),
            b'r' => Some(b'\r'),
            b'v' => Some(0x0b),
            _ => None,
        };
        if let Some(byte) = simple {
            out.push(byte);
            return Ok(());
        }
        let scalar = match code {
            // Escaped line break: a continuation, contributes nothing.
            b'\n' => return Ok(()),
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
                return Ok(());
            }
            b'x' => self.hex_digits(2)?,
            b'u' => {
                let unit = self.hex_digits(4)?;
                if (0xD800..0xDC00).contains(&unit) && self.starts_with(b"\\u") {
                    self.pos += 2;
                    let low = self.hex_digits(4)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error("invalid surrogate pair"));
                    }
                    0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    unit
                }
            }
            b'U' => self.hex_digits(8)?,
            _ => return Err(self.error("unknown escape")),
        };
        let character = char::from_u32(scalar).ok_or_else(|| self.error("invalid code point"))?;
        let mut buffer = [0; 4];
        out.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
        Ok(())
    }

    fn hex_digits(&mut self, count: usize) -> Result<u32, IonError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + count)
            .and_then(|slice| std::str::from_utf8(slice).ok())
            .filter(|text| text.bytes().all(|byte| byte.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid hex escape"))?;
        let value =
            u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid hex escape"))?;
        self.pos += count;
        Ok(value)
    }

    fn number_or_timestamp(&mut self) -> Result<IonValue, IonError> {
        let start = self.pos;
        while self.peek().is_some_and(|byte| !is_numeric_stop(byte)) {
            // `//` or `/*` start a comment right after a number.
            if self.peek() == Some(b'/') && matches!(self.peek_at(1), Some(b'/' | b'*')) {
                break;
            }
            self.pos += 1;
        }
        let token = self.text_between(start)?;
        let error_at_start = IonError {
            position: start,
            reason: "invalid number or timestamp",
        };
        let value = if looks_like_timestamp(token.as_bytes()) {
            parse_timestamp(&token).map(IonValue::Timestamp)
        } else {
            parse_number(&token)
        };
        value.ok_or(error_at_start)
    }
}

fn looks_like_timestamp(token: &[u8]) -> bool {
    token.len() > 4
        && token.iter().take(4).all(u8::is_ascii_digit)
        && matches!(token.get(4), Some(b'T' | b'-'))
}

/// Removes ION digit-group underscores, which must sit between two digits.
fn strip_underscores(digits: &str, is_digit: fn(&u8) -> bool) -> Option<String> {
    let bytes = digits.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(|byte| is_digit(byte) || *byte == b'_') {
        return None;
    }
    for (index, byte) in bytes.iter().enumerate() {
        if *byte == b'_' {
            let before = index.checked_sub(1).and_then(|i| bytes.get(i));
            let after = bytes.get(index + 1);
            if !(before.is_some_and(is_digit) && after.is_some_and(is_digit)) {
                return None;
            }
        }
    }
    Some(digits.replace('_', ""))
}

fn parse_number(token: &str) -> Option<IonValue> {
    let (negative, unsigned) = match token.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, token),
    };
    let radix_body = |prefix_lower: &str, prefix_upper: &str| {
        unsigned
            .strip_prefix(prefix_lower)
            .or_else(|| unsigned.strip_prefix(prefix_upper))
    };
    let signed = |magnitude: BigInt| if negative { -magnitude } else { magnitude };
    if let Some(hex) = radix_body("0x", "0X") {
        let digits = strip_underscores(hex, u8::is_ascii_hexdigit)?;
        return BigInt::parse_bytes(digits.as_bytes(), 16)
            .map(|value| IonValue::Int(signed(value)));
    }
    if let Some(binary) = radix_body("0b", "0B") {
        let digits = strip_underscores(binary, |byte| matches!(byte, b'0' | b'1'))?;
        return BigInt::parse_bytes(digits.as_bytes(), 2).map(|value| IonValue::Int(signed(value)));
    }

    let int_end = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '_'))
        .unwrap_or(unsigned.len());
    let (int_part, rest) = unsigned.split_at(int_end);
    let int_digits = strip_underscores(int_part, u8::is_ascii_digit)?;
    if int_digits.len() > 1 && int_digits.starts_with('0') {
        return None;
    }
    let (fraction, rest) = match rest.strip_prefix('.') {
        Some(after_dot) => {
            let end = after_dot
                .find(|c: char| !(c.is_ascii_digit() || c == '_'))
                .unwrap_or(after_dot.len());
            let (fraction, rest) = after_dot.split_at(end);
            let digits = if fraction.is_empty() {
                String::new()
            } else {
                strip_underscores(fraction, u8::is_ascii_digit)?
            };
            (Some(digits), rest)
        }
        None => (None, rest),
    };
    let exponent = match rest.chars().next() {
        None => None,
        Some(marker @ ('e' | 'E' | 'd' | 'D')) => {
            let digits = rest.get(1..)?;
            let unsigned_digits = digits.strip_prefix(['+', '-']).unwrap_or(digits);
            if unsigned_digits.is_empty() || !unsigned_digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((marker.to_ascii_lowercase(), digits.parse::<i64>().ok()?))
        }
        Some(_) => return None,
    };
    match (fraction, exponent) {
        (None, None) => int_digits
            .parse::<BigInt>()
            .ok()
            .map(|value| IonValue::Int(signed(value))),
        (_, Some(('e', _))) => {
            let text = format!(
                "{}{}",
                if negative { "-" } else { "" },
                token_without_underscores(unsigned)
            );
            let value: f64 = text.parse().ok()?;
            value.is_finite().then_some(IonValue::Float(value))
        }
        (fraction, exponent) => {
            let fraction = fraction.unwrap_or_default();
            let exponent = exponent.map_or(0, |(_, value)| value);
            let scale = i64::try_from(fraction.len()).ok()?.checked_sub(exponent)?;
            Some(IonValue::Decimal(java_big_decimal_string(
                negative,
                &format!("{int_digits}{fraction}"),
                scale,
            )?))
        }
    }
}

fn token_without_underscores(text: &str) -> String {
    text.replace('_', "")
}

/// `java.math.BigDecimal.toString()` for `±digits × 10^-scale`.
fn java_big_decimal_string(negative: bool, digits: &str, scale: i64) -> Option<String> {
    let trimmed = digits.trim_start_matches('0');
    let unscaled = if trimmed.is_empty() { "0" } else { trimmed };
    let length = i64::try_from(unscaled.len()).ok()?;
    let adjusted = length - 1 - scale;
    let sign = if negative && unscaled != "0" { "-" } else { "" };
    if scale == 0 {
        return Some(format!("{sign}{unscaled}"));
    }
    if scale > 0 && adjusted >= -6 {
        let scale = usize::try_from(scale).ok()?;
        let text = if unscaled.len() > scale {
            let (whole, fraction) = unscaled.split_at(unscaled.len() - scale);
            format!("{whole}.{fraction}")
        } else {
            format!("0.{}{unscaled}", "0".repeat(scale - unscaled.len()))
        };
        return Some(format!("{sign}{text}"));
    }
    let (first, rest) = unscaled.split_at(1);
    let mantissa = if rest.is_empty() {
        first.to_owned()
    } else {
        format!("{first}.{rest}")
    };
    let exponent = match adjusted {
        0 => String::new(),
        positive if positive > 0 => format!("E+{positive}"),
        negative_exponent => format!("E{negative_exponent}"),
    };
    Some(format!("{sign}{mantissa}{exponent}"))
}

fn fixed_digits(text: &str, count: usize) -> Option<u32> {
    (text.len() == count && text.bytes().all(|byte| byte.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// ION timestamps: `YYYYT`, `YYYY-MMT`, `YYYY-MM-DD[T]`, `YYYY-MM-DDThh:mm[:ss[.f…]]offset`.
fn parse_timestamp(token: &str) -> Option<Timestamp> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn parsed(text: &str) -> Result<IonValue, IonError> {
        parse_document(text)
    }

    fn text(value: &str) -> IonValue {
        IonValue::Text(value.to_owned())
    }

    fn int(value: i64) -> IonValue {
        IonValue::Int(BigInt::from(value))
    }

    #[test]
    fn scalars() {
        assert_eq!(parsed(r#""hello""#), Ok(text("hello")));
        assert_eq!(parsed("hello"), Ok(text("hello")));
        assert_eq!(parsed("'quoted symbol'"), Ok(text("quoted symbol")));
        assert_eq!(parsed("true"), Ok(IonValue::Bool(true)));
        assert_eq!(parsed(" false "), Ok(IonValue::Bool(false)));
        assert_eq!(parsed("null"), Ok(IonValue::Null));
        assert_eq!(parsed("null.string"), Ok(IonValue::Null));
        assert_eq!(parsed("P3DT3H2M1S"), Ok(text("P3DT3H2M1S")));
        assert_eq!(parsed("_1"), Ok(text("_1")));
        assert_eq!(parsed("'''multi''' '''part'''"), Ok(text("multipart")));
        assert_eq!(parsed(r#""a\"b\u00e9\ud83d\ude00""#), Ok(text("a\"bé😀")));
    }

    #[test]
    fn numbers() {
        assert_eq!(parsed("42"), Ok(int(42)));
        assert_eq!(parsed("-7"), Ok(int(-7)));
        assert_eq!(parsed("0x10"), Ok(int(16)));
        assert_eq!(parsed("0b101"), Ok(int(5)));
        assert_eq!(parsed("1_000"), Ok(int(1000)));
        assert_eq!(
            parsed("123456789012345678901234567890"),
            Ok(IonValue::Int(
                BigInt::parse_bytes(b"123456789012345678901234567890", 10).unwrap_or_default()
            ))
        );
        assert_eq!(parsed("1.0"), Ok(IonValue::Decimal("1.0".into())));
        assert_eq!(parsed("1.5"), Ok(IonValue::Decimal("1.5".into())));
        assert_eq!(parsed("-0.50"), Ok(IonValue::Decimal("-0.50".into())));
        assert_eq!(parsed("1.5d2"), Ok(IonValue::Decimal("1.5E+2".into())));
        assert_eq!(parsed("0.0000001"), Ok(IonValue::Decimal("1E-7".into())));
        assert_eq!(parsed("1."), Ok(IonValue::Decimal("1".into())));
        assert_eq!(parsed("1e3"), Ok(IonValue::Float(1000.0)));
        assert_eq!(parsed("-2.5E-1"), Ok(IonValue::Float(-0.25)));
    }

    #[test]
    fn invalid_numbers_and_trailing_content_fail() {
        for input in [
            "007",
            "1.2.3",
            "1__0",
            "1_",
            "0x",
            "1e",
            "hello world",
            "{",
            "[1,",
            "1e999",
            "'it''s'",
            "a::b",
            "",
            "  ",
            "nan",
            "\"unterminated",
            "{a 1}",
            "2022-05-01T03:02:01",
            "2022-13-01",
            "2022-02-30",
            "2022-05-01T25:00Z",
            "/* open",
        ] {
            assert!(parsed(input).is_err(), "{input:?} should fail");
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            parsed("2022-05-01"),
            Ok(IonValue::Timestamp(Timestamp::Date(date!(2022 - 05 - 01))))
        );
        assert_eq!(
            parsed("2022T"),
            Ok(IonValue::Timestamp(Timestamp::Date(date!(2022 - 01 - 01))))
        );
        assert_eq!(
            parsed("2022-05T"),
            Ok(IonValue::Timestamp(Timestamp::Date(date!(2022 - 05 - 01))))
        );
        assert_eq!(
            parsed("2022-05-01T"),
            Ok(IonValue::Timestamp(Timestamp::Date(date!(2022 - 05 - 01))))
        );
        assert_eq!(
            parsed("2022-05-01T03:02:01.123456Z"),
            Ok(IonValue::Timestamp(Timestamp::Instant(
                datetime!(2022-05-01 03:02:01.123 UTC)
            )))
        );
        assert_eq!(
            parsed("2022-05-01T03:02-00:00"),
            Ok(IonValue::Timestamp(Timestamp::Instant(
                datetime!(2022-05-01 03:02:00 UTC)
            )))
        );
        assert_eq!(
            parsed("2022-05-01T03:02:01+02:00"),
            Ok(IonValue::Timestamp(Timestamp::Zoned(
                "2022-05-01T03:02:01+02:00".into()
            )))
        );
    }

    #[test]
    fn containers() {
        assert_eq!(
            parsed(
                r#"{hello:"world", 'q': 1, "s": [1, two], // comment
            }"#
            ),
            Ok(IonValue::Struct(vec![
                ("hello".into(), text("world")),
                ("q".into(), int(1)),
                ("s".into(), IonValue::List(vec![int(1), text("two")])),
            ]))
        );
        assert_eq!(
            parsed("(a + b)"),
            Ok(IonValue::SExp(vec![text("a"), text("+"), text("b")]))
        );
        assert_eq!(parsed("{{aGk=}}"), Ok(IonValue::Lob(b"hi".to_vec())));
        assert_eq!(
            parsed(r#"{{ "clob" }}"#),
            Ok(IonValue::Lob(b"clob".to_vec()))
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parsed(&deep).is_err());
    }
}
