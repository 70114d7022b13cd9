//! The subset of Amazon ION text that Kestra's KV PUT bodies use: the value model and the
//! entry point, [`parse_document`].
//!
//! Covers JSON plus: identifier / quoted / operator symbols (read back as strings), long
//! strings, ION int syntax (`0x10`, `0b101`, `1_000`), decimals that keep their scale,
//! floats, timestamps of year/month/day/minute/second precision, structs with symbol
//! field names, s-expressions, blobs/clobs, typed nulls and comments. Annotations,
//! `nan`/`±inf` and symbol ids are not supported and count as parse errors (the caller then
//! stores the raw body, which is what Kestra E4 does with anything it cannot read).
//!
//! `reader` walks the text; `number` and `timestamp` turn one scanned token into a value.

mod number;
mod reader;
mod timestamp;

use bigdecimal::num_bigint::BigInt;
use thiserror::Error;
use time::{Date, OffsetDateTime};

pub use reader::parse_document;

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
