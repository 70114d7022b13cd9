//! Validation and planning of `kestra_kvs`: every key is checked exactly as a `kestra_kv` is
//! (the same functions), with diagnostics on `values["<key>"]`, `types["<key>"]`,
//! `descriptions["<key>"]` or `ttls["<key>"]` naming the key; the plan fills defaults, keeps
//! the prior spelling of maps that mean the same ([`super::spelling`]), and refuses an exclusive
//! scope that holds unlisted keys or overlaps another exclusive scope of the same operation.

use terraform_plugin_sdk::{
    Attr, AttributePath, Diagnostic, Diagnostics, IntoValue, Number, PlanRequest, PlanResponse,
};

use super::diff::foreign_keys;
use super::model::{KvsModel, StringMap, element};
use super::report::KeyProblems;
use super::schema::{DEFAULT_MAX_CONCURRENCY, KEYS_WARNING_THRESHOLD, MAX_CONCURRENCY_LIMIT};
use super::scopes::{ExclusiveScopes, Scope};
use super::spelling::plan_maps;
use crate::Shared;
use crate::validation::{
    check_description, check_location, check_ttl, check_type, check_value, key_problem,
};

/// The maps beside `values`.
const SIBLINGS: [&str; 3] = ["types", "descriptions", "ttls"];

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
    let mut problems = KeyProblems::default();
    check_siblings(config, &mut problems);
    if let Some(values) = config.values.as_known() {
        for (key, value) in values {
            let text = value.as_str();
            problems.check("values", key, text, |path, found| {
                if let Some(problem) = key_problem(key) {
                    found.attribute_error(path.clone(), "Invalid key", problem);
                }
                if let Some(prefix) = prefix
                    && !key.starts_with(prefix)
                {
                    found.attribute_error(
                        path.clone(),
                        "Key outside the prefix",
                        format!("It does not start with the resource's prefix {prefix:?}: every key of `values` must. Rename the key, or manage it in another resource."),
                    );
                }
            });
            let named = element(&config.types, key);
            let kind = match &named {
                Attr::Known(name) => name.parse().ok(),
                _ => None,
            };
            if let Some(text) = text
                && !named.is_unknown()
                && (named.is_null() || kind.is_some())
            {
                problems.check("values", key, Some(text), |path, found| {
                    check_value(text, kind, path, found);
                });
            }
        }
    }
    diagnostics.extend(problems.into_diagnostics());
}

/// The elements of `types`, `descriptions` and `ttls`: each checked as the `kestra_kv`
/// attribute, and each a key of `values`.
fn check_siblings(config: &KvsModel, problems: &mut KeyProblems) {
    let maps: [&StringMap; 3] = [&config.types, &config.descriptions, &config.ttls];
    for (map, elements) in SIBLINGS.into_iter().zip(maps) {
        let Some(elements) = elements.as_known() else {
            continue;
        };
        for (key, item) in elements {
            problems.check(map, key, item.as_str(), |path, found| {
                match map {
                    "types" => {
                        check_type(item, path, found);
                    }
                    "descriptions" => check_description(item, path, found),
                    _ => check_ttl(item, path, found),
                }
                if config.values.is_known() && !config.has_key(key) {
                    found.attribute_error(
                        path.clone(),
                        format!("Key of {map} not in values"),
                        format!("Every key of `{map}` must be a key of `values`; add the key to `values` or remove it from `{map}`."),
                    );
                }
            });
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
        "Exclusive scope holds keys not in values",
        format!(
            "{scope} already holds {} key(s) that `values` does not list: {}. An exclusive kestra_kvs owns every key of its scope and would delete them. Either add them to `values`, adopt the scope as it is with `terraform import` (ID \"<namespace>\" or \"<namespace>/<prefix>*\") and edit from there, or set `exclusive = false` to own only the listed keys.",
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
    client: &kestra_kv_client::Client,
    model: &KvsModel,
    namespace: &str,
) -> Result<Vec<String>, kestra_kv_client::Error> {
    let listing = shared.metadata().listing(client, namespace).await?;
    let scope = listing.keys().filter(|key| model.in_scope(key));
    Ok(foreign_keys(scope, |key| model.has_key(key)))
}

pub(crate) async fn plan(
    shared: &Shared,
    scopes: &ExclusiveScopes,
    request: PlanRequest,
) -> PlanResponse {
    let mut response = PlanResponse::from_request(&request);
    let checked = request.into_checked_models::<KvsModel>(check_config);
    let (config, prior, mut planned, mut diagnostics) = match checked {
        Ok(checked) => checked,
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
    plan_maps(&config, prior.as_ref(), &mut planned);

    let count = planned.keys().count();
    if count > KEYS_WARNING_THRESHOLD {
        diagnostics.attribute_warning(
            AttributePath::attribute("values"),
            "Very large kestra_kvs",
            format!("This kestra_kvs has {count} keys; it is designed for up to {KEYS_WARNING_THRESHOLD}, and every plan carries every map whole. Consider splitting the keys over several kestra_kvs resources by `prefix`."),
        );
    }

    if planned.exclusive == Attr::Known(true) {
        check_overlap(scopes, &planned, &mut diagnostics);
        // Turning `exclusive` on is refused like a create in such a scope: the plan that
        // flips it could not show the deletions it would lead to.
        let was_exclusive = prior
            .as_ref()
            .is_some_and(|p| p.exclusive == Attr::Known(true));
        if !was_exclusive {
            check_exclusive_create(shared, &planned, &mut diagnostics).await;
        }
    }
    response.planned_state = planned.into_value();
    response.diagnostics = diagnostics;
    response
}

/// Refuses an exclusive scope overlapping another exclusive scope planned by this process.
fn check_overlap(scopes: &ExclusiveScopes, planned: &KvsModel, diagnostics: &mut Diagnostics) {
    let (Some(tenant), Some(namespace)) = (planned.tenant_id.as_str(), planned.namespace.as_str())
    else {
        return;
    };
    if planned.prefix.is_unknown() {
        return;
    }
    let scope = Scope {
        tenant: tenant.to_string(),
        namespace: namespace.to_string(),
        prefix: planned.prefix.as_str().map(str::to_string),
    };
    for other in scopes.register(scope.clone()) {
        diagnostics.push(
            Diagnostic::error(
                "Overlapping exclusive kestra_kvs",
                format!(
                    "This exclusive kestra_kvs ({}, ID {:?}) and another exclusive kestra_kvs of this configuration ({}, ID {:?}) both own the keys their scopes share: each would delete the other's keys as drift on every apply. Give them prefixes that do not start with one another, or set `exclusive = false` on one of them.",
                    scope.describe(),
                    KvsModel::scope_id(tenant, namespace, scope.prefix.as_deref()),
                    other.describe(),
                    KvsModel::scope_id(&other.tenant, &other.namespace, other.prefix.as_deref()),
                ),
            )
            .with_attribute(AttributePath::attribute("exclusive")),
        );
    }
}

/// On create (or when `exclusive` turns on), an exclusive scope must not already hold keys
/// `values` does not list. Checked when a request can be made (the provider and the scope are known); apply checks
/// again.
async fn check_exclusive_create(
    shared: &Shared,
    planned: &KvsModel,
    diagnostics: &mut Diagnostics,
) {
    let (Some(namespace), Attr::Known(_)) = (planned.namespace.as_str(), &planned.values) else {
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
    use crate::kvs_resource::schema::schema;
    use terraform_plugin_sdk::Value;

    fn string_map(pairs: &[(&str, Value)]) -> Value {
        Value::map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())))
    }

    fn config(values: Value, prefix: Option<&str>) -> Value {
        let mut config = schema().null_object();
        config.set("namespace", Value::string("company.team"));
        config.set("prefix", Value::from(prefix));
        config.set("values", values);
        config
    }

    fn check(config: Value) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        check_config(&KvsModel::read(config).unwrap(), &mut diagnostics);
        diagnostics
    }

    fn paths(diagnostics: &Diagnostics) -> Vec<String> {
        diagnostics
            .iter()
            .filter_map(|d| d.attribute.as_ref().map(ToString::to_string))
            .collect()
    }

    #[test]
    fn every_key_is_checked_like_a_kestra_kv_on_its_map_element() {
        let s = Value::string;
        let mut config = config(
            string_map(&[
                ("good", s("1")),
                ("bad$key", s("x")),
                ("n", s("abc")),
                ("t", s("x")),
                ("later", Value::Unknown),
            ]),
            None,
        );
        config.set(
            "types",
            string_map(&[
                ("n", s("NUMBER")),
                ("t", s("TEXT")),
                ("later", Value::Unknown),
            ]),
        );
        config.set("ttls", string_map(&[("t", s("5m")), ("stray", s("PT1H"))]));
        config.set("descriptions", string_map(&[("t", s("a\nb"))]));
        let diagnostics = check(config);
        assert_eq!(
            paths(&diagnostics),
            [
                r#"types["t"]"#,
                r#"descriptions["t"]"#,
                r#"ttls["stray"]"#,
                r#"ttls["t"]"#,
                r#"values["bad$key"]"#,
                r#"values["n"]"#,
            ]
        );
        let summaries: Vec<&str> = diagnostics.iter().map(|d| d.summary.as_str()).collect();
        assert!(
            summaries.contains(&"Key of ttls not in values"),
            "{summaries:?}"
        );
        // Each detail names the key and its text: Terraform points at a whole `for`.
        let value = diagnostics
            .iter()
            .find(|d| d.summary == "Value does not fit type NUMBER");
        assert!(
            value.is_some_and(|d| d.detail.starts_with("Key \"n\", values element \"abc\": ")),
            "{value:?}"
        );
    }

    #[test]
    fn repeated_problems_are_capped_per_kind() {
        let values: Vec<(String, Value)> = (0..3_000)
            .map(|i| (format!("k{i:04}"), Value::string("x")))
            .collect();
        let ttls: Vec<(String, Value)> = values
            .iter()
            .map(|(k, _)| (k.clone(), Value::string("5m")))
            .collect();
        let mut config = config(Value::map(values), None);
        config.set("ttls", Value::map(ttls));
        let diagnostics = check(config);
        assert_eq!(diagnostics.len(), 21, "{:?}", diagnostics.0.last());
        assert_eq!(diagnostics.0[20].summary, "Invalid ttl: 2980 more keys");
        assert!(diagnostics.0[0].detail.contains("\"k0000\""));
    }

    #[test]
    fn prefix_and_concurrency_are_checked() {
        let mut config = config(string_map(&[("other", Value::string("1"))]), Some("app_"));
        config.set("max_concurrency", Value::from(0));
        let diagnostics = check(config);
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

    fn plan_request(config: Value) -> PlanRequest {
        PlanRequest {
            proposed_new_state: config.clone(),
            planned_state: config.clone(),
            config,
            ..PlanRequest::default()
        }
    }

    /// Above the designed size, plan warns on `values` and suggests a prefix split; at it, not.
    #[tokio::test]
    async fn plans_above_the_designed_size_warn() {
        let provider = crate::KestraProvider::new();
        for (count, warned) in [
            (KEYS_WARNING_THRESHOLD, false),
            (KEYS_WARNING_THRESHOLD + 1, true),
        ] {
            let values = (0..count).map(|i| (format!("k{i}"), Value::string("v")));
            let request = plan_request(config(Value::map(values), None));
            let scopes = ExclusiveScopes::default();
            let response = plan(&provider.shared, &scopes, request).await;
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

    /// Two exclusive scopes of one namespace where one prefix starts the other: the second
    /// plan is refused, naming both scopes.
    #[tokio::test]
    async fn overlapping_exclusive_scopes_are_refused() {
        let provider = crate::KestraProvider::new();
        let scopes = ExclusiveScopes::default();
        let exclusive = |prefix: &str, tenant: &str| {
            let mut config = config(string_map(&[]), Some(prefix));
            config.set("exclusive", Value::Bool(true));
            config.set("tenant_id", Value::string(tenant));
            plan_request(config)
        };
        for (prefix, tenant) in [("a_", "main"), ("b_", "main"), ("a_b", "acme")] {
            let response = plan(&provider.shared, &scopes, exclusive(prefix, tenant)).await;
            assert!(
                !response.diagnostics.has_errors(),
                "{prefix}: {:?}",
                response.diagnostics
            );
        }
        let response = plan(&provider.shared, &scopes, exclusive("a_b", "main")).await;
        let error = response
            .diagnostics
            .iter()
            .find(|d| d.summary == "Overlapping exclusive kestra_kvs");
        let detail = error.map(|d| d.detail.as_str()).unwrap_or_default();
        assert!(
            detail.contains("prefix \"a_b\"") && detail.contains("prefix \"a_\""),
            "{detail}"
        );
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
            "add them to `values`",
            "terraform import",
            "exclusive = false",
        ] {
            assert!(diagnostic.detail.contains(fix), "{fix}");
        }
    }
}
