//! Which spelling a plan keeps. Terraform accepts a planned map of strings only if it equals the
//! configured map or, as a whole, the prior one. So a map keeps its prior spelling when the
//! configuration means the same (values by `kestra_kv`'s semantic equality under the same type,
//! types by the type each key resolves to, descriptions and ttls as written), and `types`,
//! `descriptions` and `ttls` (optional and computed) keep it too when the configuration leaves
//! them null; otherwise the configuration's spelling is planned. Either way, keys that mean the
//! same are not written (see [`super::diff`]).

use std::collections::BTreeMap;

use crate::value_semantics::same_value;
use terraform_plugin_sdk::Attr;

use super::model::{KvsModel, StringMap, element, resolved_kind};

/// Fills `planned`'s four maps from `config`, keeping `prior`'s spelling where it means the same.
pub(crate) fn plan_maps(config: &KvsModel, prior: Option<&KvsModel>, planned: &mut KvsModel) {
    planned.values = match prior {
        Some(prior) if values_mean_the_same(config, prior) => prior.values.clone(),
        _ => config.values.clone(),
    };
    let texts = known_texts(&planned.values);
    let same_types = |a: &StringMap, b: &StringMap| {
        texts.as_ref().is_some_and(|texts| {
            texts.iter().all(|(key, text)| {
                let text = Attr::Known(text.clone());
                let (a, b) = (
                    resolved_kind(element(a, key), &text),
                    resolved_kind(element(b, key), &text),
                );
                a.is_known() && a == b
            })
        })
    };
    let same_elements = |a: &StringMap, b: &StringMap| {
        texts.as_ref().is_some_and(|texts| {
            texts.keys().all(|key| {
                let a = element(a, key);
                !a.is_unknown() && a == element(b, key)
            })
        })
    };
    planned.types = keep_or_configure(&config.types, prior.map(|p| &p.types), &texts, same_types);
    planned.descriptions = keep_or_configure(
        &config.descriptions,
        prior.map(|p| &p.descriptions),
        &texts,
        same_elements,
    );
    planned.ttls = keep_or_configure(&config.ttls, prior.map(|p| &p.ttls), &texts, same_elements);
}

/// Every key's text, when `values` and each of its elements are known.
fn known_texts(values: &StringMap) -> Option<BTreeMap<String, String>> {
    values
        .as_known()?
        .iter()
        .map(|(key, text)| Some((key.clone(), text.as_str()?.to_string())))
        .collect()
}

/// A sibling map's plan: the prior one when it names no key outside `values` and means the same
/// as the configured one (Terraform accepts a prior value only when it is not null, or when the
/// configuration leaves a computed attribute null); else the configured one, with an empty map
/// for null. An empty map rather than null in state lets a later configuration spell "none"
/// either way (left out, or `{}` from a `for` expression) without a plan.
fn keep_or_configure(
    config: &StringMap,
    prior: Option<&StringMap>,
    texts: &Option<BTreeMap<String, String>>,
    same: impl Fn(&StringMap, &StringMap) -> bool,
) -> StringMap {
    let within_values = |map: &StringMap| match (map, texts) {
        (Attr::Known(elements), Some(texts)) => elements.keys().all(|k| texts.contains_key(k)),
        (Attr::Null, Some(_)) => true,
        _ => false,
    };
    match prior {
        Some(prior)
            if (config.is_null() || !prior.is_null())
                && within_values(prior)
                && same(config, prior) =>
        {
            prior.clone()
        }
        _ if config.is_null() => Attr::Known(BTreeMap::new()),
        _ => config.clone(),
    }
}

/// Whether the configured values mean what the prior ones do: the same keys, each of the same
/// type with a semantically equal text.
fn values_mean_the_same(config: &KvsModel, prior: &KvsModel) -> bool {
    let (Some(configured), Some(held)) = (known_texts(&config.values), known_texts(&prior.values))
    else {
        return false;
    };
    configured.len() == held.len()
        && configured.iter().all(|(key, text)| {
            let Some(prior_text) = held.get(key) else {
                return false;
            };
            let kind = resolved_kind(element(&config.types, key), &Attr::Known(text.clone()));
            let prior_kind =
                resolved_kind(element(&prior.types, key), &Attr::Known(prior_text.clone()));
            match (kind.as_str(), prior_kind.as_str()) {
                (Some(kind), Some(prior_kind)) => {
                    kind == prior_kind && (text == prior_text || same_value(kind, prior_text, text))
                }
                _ => false,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> StringMap {
        Attr::Known(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Attr::Known(v.to_string())))
                .collect(),
        )
    }

    fn model(values: &[(&str, &str)], types: StringMap) -> KvsModel {
        KvsModel {
            values: map(values),
            types,
            ..KvsModel::default()
        }
    }

    fn planned(config: &KvsModel, prior: Option<&KvsModel>) -> KvsModel {
        let mut planned = config.clone();
        plan_maps(config, prior, &mut planned);
        planned
    }

    #[test]
    fn a_change_of_spelling_alone_keeps_the_prior_maps() {
        let prior = model(&[("n", "1.0"), ("j", r#"{"a":1,"b":2}"#)], Attr::Null);
        let config = model(&[("n", "1"), ("j", r#"{ "b": 2, "a": 1 }"#)], Attr::Null);
        let plan = planned(&config, Some(&prior));
        assert_eq!(plan.values, prior.values);

        // One real change: the configuration is planned as written.
        let changed = model(&[("n", "1"), ("j", r#"{"a":2}"#)], Attr::Null);
        assert_eq!(planned(&changed, Some(&prior)).values, changed.values);
        // Same text, another type: not the same value.
        let typed = model(
            &[("n", "1.0"), ("j", r#"{"a":1,"b":2}"#)],
            map(&[("n", "STRING")]),
        );
        assert_eq!(planned(&typed, Some(&prior)).types, typed.types);
        // On create there is nothing to keep.
        assert_eq!(planned(&config, None).values, config.values);
    }

    #[test]
    fn types_keep_the_prior_spelling_when_every_key_resolves_the_same() {
        let full = map(&[("n", "NUMBER"), ("s", "STRING")]);
        let prior = model(&[("n", "1"), ("s", "x")], full.clone());
        // `types = {}`, `types = { s = "STRING" }` and no `types` all mean "inferred".
        for config_types in [
            Attr::Known(BTreeMap::new()),
            map(&[("s", "STRING")]),
            Attr::Null,
        ] {
            let config = model(&[("n", "1"), ("s", "x")], config_types.clone());
            assert_eq!(
                planned(&config, Some(&prior)).types,
                full,
                "{config_types:?}"
            );
        }
        // A type that changes what a key resolves to is planned as configured.
        let config = model(&[("n", "1"), ("s", "x")], map(&[("n", "STRING")]));
        assert_eq!(planned(&config, Some(&prior)).types, config.types);
        // A null prior can only be kept for a null configuration (Terraform's rule).
        let bare = model(&[("n", "1")], Attr::Null);
        let empty = model(&[("n", "1")], Attr::Known(BTreeMap::new()));
        assert_eq!(planned(&empty, Some(&bare)).types, empty.types);
        assert_eq!(planned(&bare, Some(&bare)).types, Attr::Null);
        assert_eq!(planned(&bare, Some(&empty)).types, empty.types);
        // A prior type of a key no longer in `values` is not kept.
        let stale = model(&[("n", "1")], map(&[("gone", "STRING")]));
        assert_eq!(
            planned(&bare, Some(&stale)).types,
            Attr::Known(BTreeMap::new())
        );
        assert_eq!(
            planned(&bare, None).types,
            Attr::Known(BTreeMap::new()),
            "none, as a map"
        );
    }

    #[test]
    fn descriptions_and_ttls_keep_the_prior_map_only_when_equal() {
        let mut prior = model(&[("a", "x")], Attr::Null);
        prior.descriptions = Attr::Known(BTreeMap::new());
        prior.ttls = map(&[("a", "PT1H")]);
        let mut config = model(&[("a", "x")], Attr::Null);
        config.ttls = map(&[("a", "PT1H")]);
        let plan = planned(&config, Some(&prior));
        assert_eq!(
            plan.descriptions, prior.descriptions,
            "null keeps an empty map"
        );
        assert_eq!(plan.ttls, prior.ttls);
        config.ttls = map(&[("a", "PT2H")]);
        config.descriptions = map(&[("a", "d")]);
        let plan = planned(&config, Some(&prior));
        assert_eq!(
            (plan.ttls, plan.descriptions),
            (config.ttls.clone(), config.descriptions.clone())
        );
        // Unknown elements are planned as configured.
        config.values = Attr::Known(BTreeMap::from([("a".to_string(), Attr::Unknown)]));
        assert_eq!(planned(&config, Some(&prior)).values, config.values);
    }
}
