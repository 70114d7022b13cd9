//! JSON as Kestra reads it back: string literals that survive its ION parser unchanged, and the
//! structural equality a stored JSON value is compared by.
//!
//! A PUT body is read as ION, a superset of JSON, so a fully escaped JSON string literal reads
//! back as exactly that string. A JSON value may come back with its object members in another
//! order and its float-spelled numbers respelled (`1e0` as `1.0`): neither counts as a change.

use serde_json::Value as Json;

use super::numbers::{Decimal, same_stored_float};

/// A JSON string literal that both JSON and ION read back exactly: quotes, backslashes and
/// every control character (C0, DEL, C1) escaped; other characters as UTF-8.
pub fn json_string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            control if control.is_control() => {
                out.push_str(&format!("\\u{:04x}", u32::from(control)));
            }
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

/// Equal as JSON documents: numbers by value (see [`same_stored_float`]), arrays in order, object
/// members whatever their order.
pub(super) fn json_semantically_equal(left: &Json, right: &Json) -> bool {
    match (left, right) {
        (Json::Number(left), Json::Number(right)) => {
            let (left, right) = (left.to_string(), right.to_string());
            let exactly_equal = match (Decimal::parse_json(&left), Decimal::parse_json(&right)) {
                (Some(left), Some(right)) => left == right,
                _ => left == right,
            };
            exactly_equal || same_stored_float(&left, &right)
        }
        (Json::Array(left), Json::Array(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .zip(right)
                    .all(|(left, right)| json_semantically_equal(left, right))
        }
        (Json::Object(left), Json::Object(right)) => {
            left.len() == right.len()
                && left.iter().all(|(name, value)| {
                    right
                        .get(name)
                        .is_some_and(|other| json_semantically_equal(value, other))
                })
        }
        _ => left == right,
    }
}

#[cfg(test)]
mod tests {
    use super::super::KvValue;

    #[test]
    fn string_bodies_are_fully_escaped_json_literals() {
        let cases = [
            ("", r#""""#),
            ("hello", r#""hello""#),
            ("say \"hi\"", r#""say \"hi\"""#),
            (r"C:\path\n", r#""C:\\path\\n""#),
            ("line1\nline2\r\n", r#""line1\nline2\r\n""#),
            ("tab\there", r#""tab\there""#),
            (
                "\u{0}\u{1}\u{1f}\u{7f}\u{85}",
                r#""\u0000\u0001\u001f\u007f\u0085""#,
            ),
            ("\u{8}\u{c}", r#""\b\f""#),
            ("héllo ✓ 😀", "\"héllo ✓ 😀\""),
            (
                "'single' /* not a comment */",
                r#""'single' /* not a comment */""#,
            ),
        ];
        for (text, body) in cases {
            assert_eq!(KvValue::string(text).to_body(), body, "{text:?}");
            let decoded: Result<String, _> = serde_json::from_str(body);
            assert_eq!(decoded.ok().as_deref(), Some(text));
        }
    }
}
