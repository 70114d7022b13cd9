//! Import of a whole scope: `<namespace>`, `<tenant>/<namespace>`, `<namespace>/<prefix>*` or
//! `<tenant>/<namespace>/<prefix>*`. The imported object is exclusive with no keys yet; the
//! refresh Terraform runs right after lists the scope and reads every key into it, in the
//! minimal spelling: `types` only for keys whose type their text would not infer,
//! `descriptions` only for keys that have one (both empty maps otherwise, which a configuration
//! may equally leave out), `ttls` null.

use std::collections::BTreeMap;

use terraform_plugin_sdk::{Attr, Diagnostics, ImportRequest, ImportResponse, IntoValue, Number};

use super::model::KvsModel;
use super::schema::DEFAULT_MAX_CONCURRENCY;
use crate::validation::{key_problem, namespace_problem};

/// A scope named by an import ID.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Scope {
    pub(crate) tenant: Option<String>,
    pub(crate) namespace: String,
    pub(crate) prefix: Option<String>,
}

const FORMATS: &str = "Expected \"<namespace>\" (e.g. \"company.team\"), \"<tenant>/<namespace>\", \"<namespace>/<prefix>*\" (e.g. \"company.team/app_*\") or \"<tenant>/<namespace>/<prefix>*\".";

pub(crate) fn parse_import_id(id: &str) -> Result<Scope, String> {
    let malformed = || format!("{id:?} is not a kestra_kvs import ID. {FORMATS}");
    let parts: Vec<&str> = id.split('/').collect();
    let (tenant, namespace, prefix) = match (id.strip_suffix('*'), parts.as_slice()) {
        (None, [namespace]) => (None, *namespace, None),
        (None, [tenant, namespace]) => (Some(*tenant), *namespace, None),
        (Some(_), [namespace, prefix]) => (None, *namespace, Some(*prefix)),
        (Some(_), [tenant, namespace, prefix]) => (Some(*tenant), *namespace, Some(*prefix)),
        _ => return Err(malformed()),
    };
    let prefix = prefix.map(|p| p.trim_end_matches('*'));
    if let Some(problem) = namespace_problem(namespace) {
        return Err(format!("Import ID {id:?}: {problem}"));
    }
    if tenant.is_some_and(str::is_empty) || prefix.is_some_and(str::is_empty) {
        return Err(malformed());
    }
    if let Some(problem) = prefix.filter(|p| *p != "inheritance").and_then(key_problem) {
        return Err(format!(
            "Import ID {id:?}: the prefix is not the start of a key: {problem}"
        ));
    }
    Ok(Scope {
        tenant: tenant.map(str::to_string),
        namespace: namespace.to_string(),
        prefix: prefix.map(str::to_string),
    })
}

pub(crate) fn import(request: &ImportRequest, default_tenant: Option<String>) -> ImportResponse {
    let scope = match parse_import_id(&request.id) {
        Ok(scope) => scope,
        Err(message) => {
            return ImportResponse::failed(Diagnostics::from_error("Invalid import ID", message));
        }
    };
    let Some(tenant) = scope.tenant.or(default_tenant) else {
        return ImportResponse::failed(Diagnostics::from_error(
            "Tenant not known",
            "The import ID names no tenant and the provider's tenant is not known.",
        ));
    };
    let state = KvsModel {
        id: Attr::Known(KvsModel::scope_id(
            &tenant,
            &scope.namespace,
            scope.prefix.as_deref(),
        )),
        tenant_id: Attr::Known(tenant),
        namespace: Attr::Known(scope.namespace),
        prefix: Attr::from(scope.prefix),
        exclusive: Attr::Known(true),
        values: Attr::Known(BTreeMap::new()),
        types: Attr::Known(BTreeMap::new()),
        descriptions: Attr::Known(BTreeMap::new()),
        ttls: Attr::Null,
        max_concurrency: Attr::Known(Number::from(DEFAULT_MAX_CONCURRENCY)),
    };
    ImportResponse::imported(state.into_value(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(tenant: Option<&str>, namespace: &str, prefix: Option<&str>) -> Scope {
        Scope {
            tenant: tenant.map(str::to_string),
            namespace: namespace.to_string(),
            prefix: prefix.map(str::to_string),
        }
    }

    #[test]
    fn the_four_id_forms_parse() {
        assert_eq!(
            parse_import_id("company.team"),
            Ok(scope(None, "company.team", None))
        );
        assert_eq!(
            parse_import_id("acme/company.team"),
            Ok(scope(Some("acme"), "company.team", None))
        );
        assert_eq!(
            parse_import_id("company.team/app_*"),
            Ok(scope(None, "company.team", Some("app_")))
        );
        assert_eq!(
            parse_import_id("acme/company.team/app_*"),
            Ok(scope(Some("acme"), "company.team", Some("app_")))
        );
    }

    #[test]
    fn malformed_ids_name_the_formats() {
        for bad in [
            "",
            "a/b/c",
            "a/b/c/d*",
            "company.team/*",
            "/company.team",
            "Bad.NS",
            "company.team/_x*",
        ] {
            let error = parse_import_id(bad).expect_err(bad);
            assert!(
                error.contains("<namespace>")
                    || error.contains("not a valid")
                    || error.contains("prefix"),
                "{bad}: {error}"
            );
        }
    }
}
