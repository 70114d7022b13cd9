//! Validation and planning of `kestra_kvs`: every entry is checked exactly as a `kestra_kv` is
//! (the same functions), with diagnostics on `entries["<key>"].<attribute>`; the plan fills
//! defaults, infers types and keeps the prior spelling of values that mean the same.

use std::collections::BTreeMap;

use crate::kestra::KvType;
use crate::tfplugin::{
    Attr, AttributePath, Diagnostic, Diagnostics, IntoValue, Number, PlanRequest, PlanResponse,
};

use super::diff::foreign_keys;
use super::model::{EntryModel, KvsModel};
use super::report::entry_path;
use super::schema::{DEFAULT_MAX_CONCURRENCY, ENTRIES_WARNING_THRESHOLD, MAX_CONCURRENCY_LIMIT};
use crate::provider::Shared;
use crate::provider::validation::{
    check_description, check_location, check_ttl, check_type, check_value, key_problem,
};
use crate::provider::value_semantics::keeps_prior_spelling;

/// Every configuration check; known values only (unknown ones are checked once known).
pub(crate) fn check_config(config: &KvsModel, diagnostics: &mut Diagnostics) {
    check_location(config.address(), diagnostics);
    let prefix = config.prefix.as_str();
    if let Some(prefix) = prefix
        && let Some(problem) = prefix_problem(prefix)
    {
        diagnostics.attribute_error(
            AttributePath::attribute("prefix"),
            "Invalid prefix",
            problem,
        );
    }
    if let Some(number) = config.max_concurrency.as_known()
        && concurrency(number).is_none()
    {
        diagnostics.attribute_error(
            AttributePath::attribute("max_concurrency"),
            "Invalid max_concurrency",
            format!("`max_concurrency` is a whole number from 1 to {MAX_CONCURRENCY_LIMIT}, not {number}."),
        );
    }
    let Some(entries) = config.entries.as_known() else {
        return;
    };
    for (key, entry) in entries {
        let base = entry_path(key);
        if let Some(problem) = key_problem(key) {
            diagnostics.attribute_error(base.clone(), "Invalid key", problem);
        }
        if let Some(prefix) = prefix
            && !key.starts_with(prefix)
        {
            diagnostics.attribute_error(
                base.clone(),
                "Key outside the prefix",
                format!("{key:?} does not start with the resource's prefix {prefix:?}: every key of `entries` must. Rename the key, or manage it in another resource."),
            );
        }
        let kind = check_type(&entry.kind, &base, diagnostics);
        check_ttl(&entry.ttl, &base, diagnostics);
        check_description(&entry.description, &base, diagnostics);
        if let Some(text) = entry.value.as_str()
            && !entry.kind.is_unknown()
        {
            check_value(text, kind, &base, "value", diagnostics);
        }
    }
}

/// A prefix is the start of a key: the same characters, starting with a letter or digit.
fn prefix_problem(prefix: &str) -> Option<String> {
    if prefix.is_empty() {
        return Some("An empty prefix selects every key: omit `prefix` instead.".to_string());
    }
    // Any start of a valid key is itself a valid key name, except that one key name is
    // refused for other reasons: a prefix is not read back as a key.
    key_problem(prefix)
        .filter(|_| prefix != "inheritance")
        .map(|problem| format!("Prefix: {problem}"))
}

/// `max_concurrency` as a count, when it is a whole number in range.
pub(crate) fn concurrency(number: &Number) -> Option<usize> {
    number
        .to_i64()
        .filter(|n| (1..=MAX_CONCURRENCY_LIMIT).contains(n))
        .and_then(|n| usize::try_from(n).ok())
}

/// The parallelism of an object's requests.
pub(crate) fn max_concurrency(model: &KvsModel) -> usize {
    model
        .max_concurrency
        .as_known()
        .and_then(concurrency)
        .unwrap_or(DEFAULT_MAX_CONCURRENCY as usize)
}

/// The planned entry for a configured one: its type configured or inferred from the value, and
/// the prior spelling of a value that means the same as the configured one.
pub(crate) fn planned_entry(config: &EntryModel, prior: Option<&EntryModel>) -> EntryModel {
    let kind = match (&config.kind, &config.value) {
        (Attr::Null, Attr::Known(text)) => Attr::Known(KvType::infer(text).to_string()),
        (Attr::Null, _) => Attr::Unknown,
        (configured, _) => configured.clone(),
    };
    let mut value = config.value.clone();
    if let (Some(prior), Some(config_text), Some(kind)) =
        (prior, config.value.as_str(), kind.as_str())
        && let Some(prior_text) = prior.value.as_str()
        && keeps_prior_spelling(prior.kind.as_str(), prior_text, config_text, kind)
    {
        value = Attr::Known(prior_text.to_string());
    }
    EntryModel {
        value,
        kind,
        description: config.description.clone(),
        ttl: config.ttl.clone(),
    }
}

/// The refusal of a create in an exclusive scope that holds keys nobody listed.
pub(crate) fn exclusive_refusal(scope: &str, foreign: &[String]) -> Diagnostic {
    const LISTED: usize = 10;
    let mut names: Vec<String> = foreign
        .iter()
        .take(LISTED)
        .map(|k| format!("{k:?}"))
        .collect();
    if foreign.len() > LISTED {
        names.push(format!("and {} more", foreign.len() - LISTED));
    }
    Diagnostic::error(
        "Exclusive scope holds keys not in entries",
        format!(
            "{scope} already holds {} key(s) that `entries` does not list: {}. An exclusive kestra_kvs owns every key of its scope and would delete them. Either add them to `entries`, adopt the scope as it is with `terraform import` (ID \"<namespace>\" or \"<namespace>/<prefix>*\") and edit from there, or set `exclusive = false` to own only the listed keys.",
            foreign.len(),
            names.join(", ")
        ),
    )
    .with_attribute(AttributePath::attribute("exclusive"))
}

/// Keys in the scope of `model` on the server that its entries do not list (an exclusive
/// create must not start with them).
pub(crate) async fn foreign_keys_in_scope(
    shared: &Shared,
    client: &crate::kestra::Client,
    model: &KvsModel,
    namespace: &str,
) -> Result<Vec<String>, crate::kestra::Error> {
    let listing = shared.metadata().listing(client, namespace).await?;
    let scope = listing.keys().filter(|key| model.in_scope(key));
    Ok(foreign_keys(scope, model.known_entries()))
}

pub(crate) async fn plan(shared: &Shared, request: PlanRequest) -> PlanResponse {
    let mut response = PlanResponse::from_request(&request);
    let is_create = request.is_create();
    let checked = request.into_checked_models::<KvsModel>(check_config);
    let (config, prior, mut planned, mut diagnostics) = match checked {
        Ok((config, prior, planned, diagnostics)) => {
            (config, prior.unwrap_or_default(), planned, diagnostics)
        }
        Err(diagnostics) => {
            response.diagnostics = diagnostics;
            return response;
        }
    };

    planned.tenant_id = match &config.tenant_id {
        Attr::Null => Attr::from(shared.default_tenant()).or_unknown(),
        configured => configured.clone(),
    };
    if matches!(config.exclusive, Attr::Null) {
        planned.exclusive = Attr::Known(false);
    }
    if matches!(config.max_concurrency, Attr::Null) {
        planned.max_concurrency = Attr::Known(Number::from(DEFAULT_MAX_CONCURRENCY));
    }
    planned.id = match (
        planned.tenant_id.as_str(),
        planned.namespace.as_str(),
        &planned.prefix,
    ) {
        (Some(tenant), Some(namespace), prefix) if !prefix.is_unknown() => {
            Attr::Known(KvsModel::scope_id(tenant, namespace, prefix.as_str()))
        }
        _ => Attr::Unknown,
    };
    planned.entries = match &config.entries {
        Attr::Known(entries) => Attr::Known(
            entries
                .iter()
                .map(|(key, entry)| {
                    let prior_entry = prior.known_entries().get(key);
                    (key.clone(), planned_entry(entry, prior_entry))
                })
                .collect::<BTreeMap<_, _>>(),
        ),
        other => other.clone(),
    };

    let count = planned.known_entries().len();
    if count > ENTRIES_WARNING_THRESHOLD {
        diagnostics.attribute_warning(
            AttributePath::attribute("entries"),
            "Very large kestra_kvs",
            format!("This kestra_kvs has {count} entries; it is designed for up to about 10,000, and every plan carries the whole map. Consider splitting the keys over several kestra_kvs resources by `prefix`."),
        );
    }

    if is_create && planned.exclusive == Attr::Known(true) {
        check_exclusive_create(shared, &planned, &mut diagnostics).await;
    }
    response.planned_state = planned.into_value();
    response.diagnostics = diagnostics;
    response
}

/// On create, an exclusive scope must not already hold keys the entries do not list. Checked
/// when a request can be made (the provider and the scope are known); apply checks again.
async fn check_exclusive_create(
    shared: &Shared,
    planned: &KvsModel,
    diagnostics: &mut Diagnostics,
) {
    let (Some(namespace), Attr::Known(_)) = (planned.namespace.as_str(), &planned.entries) else {
        return;
    };
    if planned.prefix.is_unknown() {
        return;
    }
    let Ok(context) = shared.request_context(planned.address()) else {
        return;
    };
    match foreign_keys_in_scope(shared, &context.client, planned, namespace).await {
        Ok(foreign) if foreign.is_empty() => {}
        Ok(foreign) => {
            let scope = scope_description(planned, namespace);
            diagnostics.push(exclusive_refusal(&scope, &foreign));
        }
        Err(error) => {
            diagnostics.extend(context.failed(&error, &format!("listing namespace {namespace:?}")))
        }
    }
}

/// "namespace "x"" or "namespace "x" under prefix "p"", for diagnostics.
pub(crate) fn scope_description(model: &KvsModel, namespace: &str) -> String {
    match model.prefix.as_str() {
        Some(prefix) => format!("Namespace {namespace:?} under prefix {prefix:?}"),
        None => format!("Namespace {namespace:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::kvs_resource::schema::schema;
    use crate::tfplugin::Value;

    fn known(text: &str) -> Attr<String> {
        Attr::Known(text.to_string())
    }

    fn config_with<K: Into<String>>(entries: Vec<(K, Value)>, prefix: Option<&str>) -> Value {
        let mut config = schema().null_object();
        config.set("namespace", Value::string("company.team"));
        config.set("prefix", Value::from(prefix));
        config.set("entries", Value::map(entries));
        config
    }

    fn entry(value: Value, kind: Value, ttl: Value, description: Value) -> Value {
        Value::object([
            ("value", value),
            ("type", kind),
            ("ttl", ttl),
            ("description", description),
        ])
    }

    #[test]
    fn every_entry_is_checked_like_a_kestra_kv_with_paths_into_entries() {
        let config = config_with(
            vec![
                (
                    "good",
                    entry(Value::string("1"), Value::Null, Value::Null, Value::Null),
                ),
                (
                    "bad$key",
                    entry(Value::string("x"), Value::Null, Value::Null, Value::Null),
                ),
                (
                    "n",
                    entry(
                        Value::string("abc"),
                        Value::string("NUMBER"),
                        Value::Null,
                        Value::Null,
                    ),
                ),
                (
                    "t",
                    entry(
                        Value::string("x"),
                        Value::string("TEXT"),
                        Value::string("5m"),
                        Value::string("a\nb"),
                    ),
                ),
                (
                    "later",
                    entry(
                        Value::Unknown,
                        Value::Unknown,
                        Value::Unknown,
                        Value::Unknown,
                    ),
                ),
            ],
            None,
        );
        let mut diagnostics = Diagnostics::default();
        check_config(&KvsModel::read(config).unwrap(), &mut diagnostics);
        let paths: Vec<String> = diagnostics
            .iter()
            .filter_map(|d| d.attribute.as_ref().map(ToString::to_string))
            .collect();
        assert_eq!(
            paths,
            [
                r#"entries["bad$key"]"#,
                r#"entries["n"].value"#,
                r#"entries["t"].type"#,
                r#"entries["t"].ttl"#,
                r#"entries["t"].description"#,
            ]
        );
    }

    #[test]
    fn prefix_and_concurrency_are_checked() {
        let mut config = config_with(
            vec![(
                "other",
                entry(Value::string("1"), Value::Null, Value::Null, Value::Null),
            )],
            Some("app_"),
        );
        config.set("max_concurrency", Value::from(0));
        let mut diagnostics = Diagnostics::default();
        check_config(&KvsModel::read(config).unwrap(), &mut diagnostics);
        let summaries: Vec<&str> = diagnostics.iter().map(|d| d.summary.as_str()).collect();
        assert_eq!(
            summaries,
            ["Invalid max_concurrency", "Key outside the prefix"]
        );
        assert!(prefix_problem("").is_some());
        assert!(prefix_problem("_x").is_some());
        assert!(prefix_problem("app.").is_none());
        assert!(prefix_problem("inheritance").is_none());
        assert_eq!(concurrency(&Number::from(16)), Some(16));
        assert_eq!(concurrency(&Number::from(257)), None);
    }

    #[test]
    fn planned_entries_infer_types_and_keep_equal_prior_spellings() {
        let config = EntryModel {
            value: known("1"),
            ..EntryModel::default()
        };
        let planned = planned_entry(&config, None);
        assert_eq!(planned.kind, known("NUMBER"));
        let prior = EntryModel {
            value: known("1.0"),
            kind: known("NUMBER"),
            ..EntryModel::default()
        };
        assert_eq!(planned_entry(&config, Some(&prior)).value, known("1.0"));
        let unknown = EntryModel {
            value: Attr::Unknown,
            ..EntryModel::default()
        };
        assert!(planned_entry(&unknown, None).kind.is_unknown());
        let typed = EntryModel {
            value: known("1"),
            kind: known("STRING"),
            ..EntryModel::default()
        };
        let planned = planned_entry(&typed, Some(&prior));
        assert_eq!((planned.value, planned.kind), (known("1"), known("STRING")));
    }

    /// Above the designed size, plan warns on `entries` and suggests a prefix split; at it, not.
    #[tokio::test]
    async fn plans_above_twenty_thousand_entries_warn() {
        let provider = crate::provider::KestraProvider::new();
        for (count, warned) in [
            (ENTRIES_WARNING_THRESHOLD, false),
            (ENTRIES_WARNING_THRESHOLD + 1, true),
        ] {
            let entries = (0..count)
                .map(|i| {
                    let entry = entry(Value::string("v"), Value::Null, Value::Null, Value::Null);
                    (format!("k{i}"), entry)
                })
                .collect();
            let config = config_with(entries, None);
            let request = PlanRequest {
                proposed_new_state: config.clone(),
                planned_state: config.clone(),
                config,
                ..PlanRequest::default()
            };
            let response = plan(&provider.shared, request).await;
            let warning = response
                .diagnostics
                .iter()
                .find(|d| d.summary == "Very large kestra_kvs");
            assert_eq!(warning.is_some(), warned, "{count}");
            if let Some(warning) = warning {
                assert!(warning.detail.contains("`prefix`"), "{}", warning.detail);
                assert!(!response.diagnostics.has_errors());
            }
        }
    }

    #[test]
    fn the_exclusive_refusal_lists_ten_keys_and_names_the_fixes() {
        let foreign: Vec<String> = (0..12).map(|i| format!("k{i:02}")).collect();
        let diagnostic = exclusive_refusal("Namespace \"a\"", &foreign);
        assert!(
            diagnostic.detail.contains("\"k09\", and 2 more"),
            "{}",
            diagnostic.detail
        );
        assert!(!diagnostic.detail.contains("k10"));
        for fix in [
            "add them to `entries`",
            "terraform import",
            "exclusive = false",
        ] {
            assert!(diagnostic.detail.contains(fix), "{fix}");
        }
    }
}
