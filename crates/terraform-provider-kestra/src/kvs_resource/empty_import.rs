//! After an import: a warning when the imported scope holds no key, since an import ID that
//! names the wrong scope otherwise succeeds silently with an empty object. The commonest slip is
//! `<namespace>/<key>` without `*`, which reads as `<tenant>/<namespace>`: the warning then shows
//! the ID with `*`. Costs nothing extra: the listing is the one the refresh after the import
//! uses ([`crate::metadata`]).

use crate::Shared;
use crate::validation::{key_problem, namespace_problem};
use terraform_plugin_sdk::{Diagnostic, ImportResponse};

use super::model::KvsModel;

/// `<namespace>/<key prefix>*` when `id` reads as `<tenant>/<namespace>` but would also be a
/// namespace and the start of a key.
fn prefix_reading(id: &str) -> Option<String> {
    let (first, second) = id.split_once('/')?;
    let plausible = !id.contains('*')
        && !second.contains('/')
        && namespace_problem(first).is_none()
        && key_problem(second).is_none();
    plausible.then(|| format!("{id}*"))
}

/// The warning for an import of `id` whose scope holds no key.
fn empty_scope_warning(
    id: &str,
    tenant: &str,
    namespace: &str,
    prefix: Option<&str>,
) -> Diagnostic {
    let scope = match prefix {
        Some(prefix) => format!("keys starting with {prefix:?} in namespace {namespace:?}"),
        None => format!("keys in namespace {namespace:?}"),
    };
    let mut detail = format!(
        "Import ID {id:?} names the {scope} of tenant {tenant:?}, and there are none: the imported kestra_kvs manages no key. Check the ID (\"<namespace>\", \"<tenant>/<namespace>\", \"<namespace>/<prefix>*\" or \"<tenant>/<namespace>/<prefix>*\")."
    );
    if let Some(with_star) = prefix_reading(id) {
        let (namespace, key) = id.split_once('/').unwrap_or_default();
        detail.push_str(&format!(
            " If you meant the keys of namespace {namespace:?} starting with {key:?}, end the ID with `*`: {with_star:?}."
        ));
    }
    Diagnostic::warning("Imported scope holds no key", detail)
}

/// `response` with the warning added when the scope it imported holds no key. A listing that
/// fails adds nothing: the refresh right after the import reports it.
pub(crate) async fn warn_if_empty(
    shared: &Shared,
    id: &str,
    mut response: ImportResponse,
) -> ImportResponse {
    if response.diagnostics.has_errors() {
        return response;
    }
    let Ok(model) = KvsModel::read(response.state.clone()) else {
        return response;
    };
    let (Some(tenant), Some(namespace)) = (model.tenant_id.as_str(), model.namespace.as_str())
    else {
        return response;
    };
    let Ok(context) = shared.request_context(model.address()) else {
        return response;
    };
    match shared.metadata().listing(&context.client, namespace).await {
        Ok(listing) if !listing.keys().any(|key| model.in_scope(key)) => {
            let warning = empty_scope_warning(id, tenant, namespace, model.prefix.as_str());
            response.diagnostics.push(warning);
        }
        Ok(_) => {}
        Err(error) => tracing::debug!(%error, namespace, "listing an imported scope failed"),
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_namespace_and_key_without_star_get_the_star_hint() {
        assert_eq!(
            prefix_reading("imp/key_0001").as_deref(),
            Some("imp/key_0001*")
        );
        assert_eq!(
            prefix_reading("company.team/App.Config").as_deref(),
            Some("company.team/App.Config*")
        );
        // Already a prefix, a single namespace, a tenant that cannot be a namespace, three parts.
        for id in ["imp/key_*", "company.team", "Acme/company.team", "a/b/c"] {
            assert_eq!(prefix_reading(id), None, "{id}");
        }
    }

    #[test]
    fn the_warning_names_the_scope_and_hints_only_when_the_id_looks_like_a_key() {
        let hinted = empty_scope_warning("imp/key_0001", "imp", "key_0001", None);
        assert_eq!(hinted.summary, "Imported scope holds no key");
        assert!(
            hinted
                .detail
                .contains("namespace \"key_0001\" of tenant \"imp\""),
            "{}",
            hinted.detail
        );
        assert!(
            hinted.detail.contains("\"imp/key_0001*\""),
            "{}",
            hinted.detail
        );

        let prefixed =
            empty_scope_warning("company.team/app_*", "main", "company.team", Some("app_"));
        assert!(
            prefixed
                .detail
                .contains("keys starting with \"app_\" in namespace \"company.team\""),
            "{}",
            prefixed.detail
        );
        assert!(
            !prefixed.detail.contains("end the ID with"),
            "{}",
            prefixed.detail
        );
    }
}
