//! The ION text reader: whitespace and comments, containers, strings and escapes, symbols.

use base64::Engine;

use super::number::parse_number;
use super::timestamp::{looks_like_timestamp, parse_timestamp};
use super::{IonError, IonValue};

/// Nesting deeper than this is rejected rather than risking the stack.
const MAX_DEPTH: usize = 256;

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
