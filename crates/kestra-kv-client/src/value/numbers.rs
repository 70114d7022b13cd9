//! Numbers as Kestra stores them: a number written with an exponent becomes a 64-bit double,
//! one written without is kept as an exact decimal.
//!
//! Hence the range check for float-spelled numbers (alone or inside JSON), the exact
//! [`Decimal`] that numbers without an exponent compare by, and the rule that two spellings
//! stored as the same double are one value.

use serde_json::Value as Json;

/// Kestra parses a number written with an exponent as an ION float, a 64-bit double (`1e3`
/// reads back as `1000.0`, `1.00000000000000001e0` as `1.0`); numbers without one are exact.
fn is_float_spelling(text: &str) -> bool {
    text.contains(['e', 'E'])
}

/// A float-spelled number beyond the double range would not be stored as a number at all.
pub(super) fn check_float_range(text: &str) -> Result<(), String> {
    if is_float_spelling(text) && !text.parse::<f64>().is_ok_and(f64::is_finite) {
        return Err(format!(
            "{text} is beyond the range of the 64-bit floating-point numbers Kestra stores \
             numbers written with an exponent as (about ±1.8e308)"
        ));
    }
    Ok(())
}

/// [`check_float_range`] for every number inside a JSON document.
pub(super) fn check_json_float_ranges(json: &Json) -> Result<(), String> {
    match json {
        Json::Number(number) => check_float_range(&number.to_string()),
        Json::Array(items) => items.iter().try_for_each(check_json_float_ranges),
        Json::Object(members) => members.values().try_for_each(check_json_float_ranges),
        Json::Null | Json::Bool(_) | Json::String(_) => Ok(()),
    }
}

/// Two numbers Kestra stores as the same double when either is float-spelled: they read back
/// alike, so neither spelling is drift.
pub(super) fn same_stored_float(left: &str, right: &str) -> bool {
    (is_float_spelling(left) || is_float_spelling(right))
        && matches!(
            (left.parse::<f64>(), right.parse::<f64>()),
            (Ok(left), Ok(right)) if left.is_finite() && left == right
        )
}

/// An exact decimal in canonical form (`1.0`, `1`, `10e-1` and `1000e-3` are one value):
/// significant digits without leading or trailing zeros, and a power-of-ten exponent.
/// Comparing these never allocates more than the inputs' size, whatever the exponents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Decimal {
    negative: bool,
    digits: String,
    exponent: i128,
}

impl Decimal {
    /// Parses the JSON number grammar `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    pub(super) fn parse_json(text: &str) -> Option<Decimal> {
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent_text) = match unsigned.find(['e', 'E']) {
            Some(index) => (unsigned.get(..index)?, Some(unsigned.get(index + 1..)?)),
            None => (unsigned, None),
        };
        let (integer, fraction) = match mantissa.split_once('.') {
            Some((integer, fraction)) => (integer, Some(fraction)),
            None => (mantissa, None),
        };
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(integer) || (integer.len() > 1 && integer.starts_with('0')) {
            return None;
        }
        if fraction.is_some_and(|fraction| !all_digits(fraction)) {
            return None;
        }
        let mut exponent: i128 = 0;
        if let Some(exponent_text) = exponent_text {
            let (sign, digits) = match exponent_text.as_bytes().first() {
                Some(b'-') => (-1, exponent_text.get(1..)?),
                Some(b'+') => (1, exponent_text.get(1..)?),
                _ => (1, exponent_text),
            };
            if !all_digits(digits) {
                return None;
            }
            // Exponents beyond ±10^30 are far outside anything comparable; saturate.
            let significant = digits.trim_start_matches('0');
            let magnitude = if significant.len() > 30 {
                10_i128.pow(30)
            } else {
                significant.parse::<i128>().unwrap_or_default()
            };
            exponent = sign * magnitude;
        }
        let fraction = fraction.unwrap_or_default();
        let mut digits = format!("{integer}{fraction}");
        exponent -= i128::try_from(fraction.len()).ok()?;
        let trailing_zeros = digits.len() - digits.trim_end_matches('0').len();
        digits.truncate(digits.len() - trailing_zeros);
        exponent += i128::try_from(trailing_zeros).ok()?;
        let digits = digits.trim_start_matches('0').to_owned();
        if digits.is_empty() {
            return Some(Decimal {
                negative: false,
                digits,
                exponent: 0,
            });
        }
        Some(Decimal {
            negative,
            digits,
            exponent,
        })
    }
}
