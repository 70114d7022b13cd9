//! Configuration checks and planning: the tenant, id and type known in the plan where they can
//! be, and the prior spelling of a value kept when the configured one means the same.

use crate::Shared;
use crate::errors::attribute_error;
use crate::validation::{check_description, check_location, check_ttl, check_type, check_value};
use crate::value_semantics::keeps_prior_spelling;
use kestra_kv_client::KvType;
use terraform_plugin_sdk::{
    Attr, AttributePath, Diagnostics, IntoValue, PlanRequest, PlanResponse,
};

use super::schema::KvModel;

/// All configuration checks; also run at plan time when more values are known.
pub(super) fn check_config(config: &KvModel, diagnostics: &mut Diagnostics) {
    let at = AttributePath::attribute;
    check_location(config.address(), diagnostics);
    let kind = check_type(&config.kind, &at("type"), diagnostics);
    check_ttl(&config.ttl, &at("ttl"), diagnostics);
    check_description(&config.description, &at("description"), diagnostics);
    let (value, value_wo) = (&config.value, &config.value_wo);
    // Write-only values are in the configuration at validate and plan time too: a value
    // Kestra cannot hold is refused there, whichever attribute carries it.
    if !config.kind.is_unknown() {
        for (attribute, text) in [("value", value), ("value_wo", value_wo)] {
            if let Some(text) = text.as_str() {
                check_value(text, kind, &at(attribute), diagnostics);
            }
        }
    }
    // Checked only on what is known: with `value = var.a` and `value_wo = var.b` one of
    // them may turn out null once the variables are known.
    if value.is_known() && value_wo.is_known() {
        attribute_error(
            diagnostics,
            "value_wo",
            "Conflicting values",
            "Set exactly one of `value` and `value_wo`, not both.",
        );
    }
    if value.is_null() && value_wo.is_null() {
        attribute_error(
            diagnostics,
            "value",
            "Missing value",
            "Set exactly one of `value` (stored in state) and `value_wo` (write-only, Terraform 1.11 or later).",
        );
    }
    if config.value_wo_version.is_known() && value_wo.is_null() && value.is_known() {
        attribute_error(
            diagnostics,
            "value_wo_version",
            "value_wo_version without value_wo",
            "`value_wo_version` triggers writes of `value_wo`; it has no effect with `value`.",
        );
    }
}

pub(super) fn plan(shared: &Shared, request: PlanRequest) -> PlanResponse {
    let mut response = PlanResponse::from_request(&request);
    let checked = request.into_checked_models::<KvModel>(check_config);
    let (config, prior, mut planned, diagnostics) = match checked {
        Ok((config, prior, planned, diagnostics)) => (config, prior, planned, diagnostics),
        Err(diagnostics) => {
            response.diagnostics = diagnostics;
            return response;
        }
    };

    // tenant: configured, else the provider's (unknown if the provider config is unknown).
    planned.tenant_id = match &config.tenant_id {
        Attr::Null => shared.default_tenant().map_or(Attr::Unknown, Attr::Known),
        other => other.clone(),
    };
    planned.id = match (config.namespace.as_str(), config.key.as_str()) {
        (Some(namespace), Some(key)) => Attr::Known(format!("{namespace}/{key}")),
        _ => Attr::Unknown,
    };
    // type: configured, else inferred from whichever value is known.
    planned.kind = match &config.kind {
        Attr::Null => {
            let source = if config.value.is_null() {
                &config.value_wo
            } else {
                &config.value
            };
            match source.as_str() {
                Some(text) => Attr::Known(KvType::infer(text).to_string()),
                None => Attr::Unknown,
            }
        }
        other => other.clone(),
    };
    // value: keep the prior spelling when the configured value means the same.
    if let Some(prior) = &prior
        && let (Some(prior_text), Some(config_text), Some(kind)) = (
            prior.value.as_str(),
            config.value.as_str(),
            planned.kind.as_str(),
        )
        && keeps_prior_spelling(prior.kind.as_str(), prior_text, config_text, kind)
    {
        planned.value = Attr::Known(prior_text.to_string());
    }
    if let Some(identity) = planned.identity() {
        response.planned_identity = Some(identity.into_value());
    }
    response.planned_state = planned.into_value();
    response.diagnostics = diagnostics;
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use terraform_plugin_sdk::{FromValue, Value};

    /// The `value`/`value_wo` pair is judged on known values only: Terraform validates with
    /// variables unknown, and either side may turn out null.
    #[test]
    fn value_pair_checks_wait_for_known_values() {
        let errors = |value: Value, value_wo: Value| {
            let config = KvModel {
                namespace: "company.team".into(),
                key: "k".into(),
                value: Attr::from_value(value).unwrap(),
                value_wo: Attr::from_value(value_wo).unwrap(),
                ..KvModel::default()
            };
            let mut diagnostics = Diagnostics::new();
            check_config(&config, &mut diagnostics);
            diagnostics
                .iter()
                .map(|d| d.summary.clone())
                .collect::<Vec<_>>()
        };
        let text = || Value::string("x");
        assert!(errors(Value::Unknown, Value::Unknown).is_empty());
        assert!(errors(text(), Value::Unknown).is_empty());
        assert!(errors(Value::Unknown, Value::Null).is_empty());
        assert!(errors(Value::Null, text()).is_empty());
        assert_eq!(errors(text(), text()), ["Conflicting values"]);
        assert_eq!(errors(Value::Null, Value::Null), ["Missing value"]);
    }
}
