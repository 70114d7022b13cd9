//! When a value or description Kestra holds means what Terraform has: shared by `kestra_kv` and
//! `kestra_kvs`, so both plan and refresh with exactly the same equivalences.

use kestra_kv_client::readback::{Reported, Written, reads_back_as};
use kestra_kv_client::{KvType, KvValue};

/// Whether two texts of one type mean the same value (e.g. `1.0` and `1`, or two spellings of
/// one JSON document).
pub(crate) fn same_value(kind: &str, left: &str, right: &str) -> bool {
    let Ok(kind) = kind.parse::<KvType>() else {
        return false;
    };
    match (KvValue::parse(kind, left), KvValue::parse(kind, right)) {
        (Ok(left), Ok(right)) => left.semantically_equal(&right),
        _ => false,
    }
}

/// Whether a plan keeps the prior spelling of a value instead of the configured one: the type
/// stays `kind` and both texts mean the same value, so nothing needs writing.
pub(crate) fn keeps_prior_spelling(
    prior_kind: Option<&str>,
    prior_text: &str,
    config_text: &str,
    kind: &str,
) -> bool {
    prior_kind == Some(kind)
        && prior_text != config_text
        && same_value(kind, prior_text, config_text)
}

/// A description as Kestra keeps it: it travels as an HTTP header, which loses surrounding
/// whitespace, and an empty one is none at all.
pub(crate) fn description_as_kept(description: Option<&str>) -> Option<&str> {
    description.map(str::trim).filter(|d| !d.is_empty())
}

/// Does the server's value match what the state says was written? Semantically equal values
/// (numbers by value, JSON by structure, instants, durations by length) keep the state's spelling;
/// a STRING that Kestra reads back as a DURATION is the documented equivalence.
pub(crate) fn matches_state(state_type: &str, state_value: &str, stored: &KvValue) -> bool {
    let Ok(kind) = state_type.parse::<KvType>() else {
        return false;
    };
    KvValue::parse(kind, state_value)
        .is_ok_and(|written| reads_back_as(Written::Value(&written), Reported::Value(stored)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semantically_equal_server_values_keep_the_state() {
        let stored = KvValue::parse(KvType::Duration, "PT75H2M1S").expect("duration");
        assert!(matches_state("DURATION", "P3DT3H2M1S", &stored));
        let stored = KvValue::parse(KvType::Duration, "PT24H").expect("duration");
        assert!(
            matches_state("STRING", "P1D", &stored),
            "STRING read back as DURATION is equivalent"
        );
        let stored = KvValue::parse(KvType::Json, r#"{"a":1,"b":[1,2]}"#).expect("json");
        assert!(matches_state("JSON", "{\"b\": [1, 2], \"a\": 1}", &stored));
        let stored = KvValue::parse(KvType::Number, "42").expect("number");
        assert!(
            !matches_state("STRING", "42", &stored),
            "a type change is drift"
        );
        assert!(!matches_state("NUMBER", "43", &stored));
    }

    #[test]
    fn texts_of_one_type_compare_by_meaning() {
        assert!(same_value("NUMBER", "1.0", "1"));
        assert!(same_value("JSON", r#"{"a":1}"#, r#"{ "a" : 1.0 }"#));
        assert!(same_value("DURATION", "P3DT3H2M1S", "PT75H2M1S"));
        assert!(!same_value("STRING", "a", "b"));
        assert!(!same_value("NUMBER", "1", "not a number"));
        assert!(!same_value("BOGUS", "1", "1"));
    }

    #[test]
    fn plans_keep_the_prior_spelling_of_an_equal_value_of_the_same_type() {
        assert!(keeps_prior_spelling(Some("NUMBER"), "1.0", "1", "NUMBER"));
        assert!(!keeps_prior_spelling(Some("STRING"), "1.0", "1", "NUMBER"));
        assert!(!keeps_prior_spelling(Some("NUMBER"), "1", "1", "NUMBER"));
        assert!(!keeps_prior_spelling(Some("NUMBER"), "1", "2", "NUMBER"));
    }

    #[test]
    fn descriptions_compare_as_kestra_keeps_them() {
        assert_eq!(description_as_kept(Some("  d ")), Some("d"));
        assert_eq!(description_as_kept(Some("   ")), None);
        assert_eq!(description_as_kept(None), None);
    }
}
