//! ION numbers: ints (decimal, hex, binary, digit groups), decimals rendered as Java's
//! `BigDecimal.toString()`, and floats.

use bigdecimal::num_bigint::BigInt;

use super::IonValue;

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

pub(super) fn parse_number(token: &str) -> Option<IonValue> {
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
