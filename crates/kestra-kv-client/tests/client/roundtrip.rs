//! Property tests through the devserver: encode -> PUT -> Kestra's ION parse -> GET -> decode.

use kestra_kv_client::{Error, KvType, KvValue, PutOptions, StoredValue, readback};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use test_support::client::{Blocking, NS};

/// PUT of `value` to one key, then GET of it.
fn write_and_read(harness: &Blocking, value: &KvValue) -> Result<StoredValue, Error> {
    let client = &harness.client;
    harness.block_on(async {
        client
            .put(NS, "prop", value, &PutOptions::default())
            .await?;
        client.get(NS, "prop").await
    })
}

/// Strings with the characters that break naive encodings, plus arbitrary Unicode.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\"\\\\\n\r\t\u{0}-\u{1f}\u{7f}\u{85}\u{2028}'/*{}\\[\\]:, a-zA-Z0-9PTDHMS.$_-]{0,40}",
        "[a-z]{1,8}( [a-z]{1,8}){0,3}",
        "(null|true|false|nan|[+-]inf|[0-9]{1,3}(\\.[0-9]{0,3})?)",
        "\\{\\{[A-Za-z0-9+/=]{0,8}\\}\\}",
    ]
}

fn failure(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

#[test]
fn any_string_round_trips_exactly() {
    let harness = Blocking::start();
    let config = ProptestConfig::with_cases(400);
    proptest!(config, |(text in tricky_string())| {
        let written = KvValue::string(text.clone());
        let result = write_and_read(&harness, &written);
        match readback::reported_kind(&written) {
            KvType::String => {
                let stored = result.map_err(|error| failure(format!("{text:?}: {error}")))?;
                prop_assert_eq!(stored.value, written);
            }
            // Kestra reads duration look-alikes back as DURATION (or fails on `PD`-like ones).
            _ => prop_assert!(
                result.as_ref().map_or_else(
                    |error| error.status() == Some(500),
                    |stored| stored.value.kind() == KvType::Duration
                ),
                "{:?} gave {:?}", text, result
            ),
        }
    });
}

/// Typed values of every kind.
fn typed_value() -> impl Strategy<Value = KvValue> {
    let parse = |kind: KvType| {
        move |text: String| {
            KvValue::parse(kind, &text).unwrap_or_else(|error| panic!("{kind} {text:?}: {error}"))
        }
    };
    prop_oneof![
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,12})?".prop_map(parse(KvType::Number)),
        "-?[1-9][0-9]{0,3}(\\.[0-9]{1,3})?[eE][+-]?[0-9]{1,2}".prop_map(parse(KvType::Number)),
        any::<bool>().prop_map(KvValue::boolean),
        "(19[7-9][0-9]|20[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9])"
            .prop_map(parse(KvType::Datetime)),
        "(1[0-9]{3}|20[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])".prop_map(parse(KvType::Date)),
        "P([0-9]{1,4}D)?T[0-9]{1,4}H([0-9]{1,4}M)?([0-9]{1,5}S)?".prop_map(parse(KvType::Duration)),
        "P[0-9]{1,4}D".prop_map(parse(KvType::Duration)),
        prop::collection::vec((any::<String>(), any::<i32>(), any::<bool>()), 0..4).prop_map(|items| {
            let json = serde_json::json!({
                "items": items.iter().map(|(s, n, b)| serde_json::json!([s, n, b, 1.50])).collect::<Vec<_>>(),
                "nested": {"empty": {}, "list": []},
            });
            KvValue::parse(KvType::Json, &json.to_string()).unwrap_or_else(|error| panic!("{error}"))
        }),
    ]
}

#[test]
fn typed_values_read_back_semantically_equal() {
    let harness = Blocking::start();
    let config = ProptestConfig::with_cases(400);
    proptest!(config, |(written in typed_value())| {
        let stored = write_and_read(&harness, &written)
            .map_err(|error| failure(format!("{written:?}: {error}")))?;
        prop_assert_eq!(stored.value.kind(), readback::reported_kind(&written));
        prop_assert!(
            stored.value.semantically_equal(&written),
            "{:?} read back as {:?}", written, stored.value
        );
    });
}
