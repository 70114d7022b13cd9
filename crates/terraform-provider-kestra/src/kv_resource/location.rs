//! Where a key lives, and reading it from an import ID or identity.

use crate::validation::{key_problem, namespace_problem};

use super::schema::{KvIdentity, KvModel};

/// Where a key lives.
#[derive(Debug)]
pub(super) struct Location {
    pub(super) tenant: String,
    pub(super) namespace: String,
    pub(super) key: String,
}

impl Location {
    pub(super) fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.key)
    }

    pub(super) fn describe(&self) -> String {
        format!(
            "key {:?} in namespace {:?} (tenant {:?})",
            self.key, self.namespace, self.tenant
        )
    }

    /// Reads an identity given to `import { identity = { ... } }`.
    pub(super) fn from_identity(
        identity: &KvIdentity,
        default_tenant: Option<String>,
    ) -> Result<Location, String> {
        let (Some(namespace), Some(key)) = (identity.namespace.as_str(), identity.key.as_str())
        else {
            return Err(
                "The identity needs `namespace` and `key` (and optionally `tenant_id`)."
                    .to_string(),
            );
        };
        let tenant = identity.tenant_id.as_known().cloned().or(default_tenant);
        Location::checked(tenant, namespace, key, "Identity")
    }

    /// Validates the parts of a location given by the user.
    fn checked(
        tenant: Option<String>,
        namespace: &str,
        key: &str,
        what: &str,
    ) -> Result<Location, String> {
        if let Some(problem) = namespace_problem(namespace).or_else(|| key_problem(key)) {
            return Err(format!("{what}: {problem}"));
        }
        let tenant = tenant
            .filter(|t| !t.is_empty())
            .ok_or_else(|| format!("{what}: the tenant is empty."))?;
        Ok(Location {
            tenant,
            namespace: namespace.to_string(),
            key: key.to_string(),
        })
    }

    /// Parses an import ID: `<namespace>/<key>` or `<tenant>/<namespace>/<key>`.
    pub(super) fn from_import_id(
        id: &str,
        default_tenant: Option<String>,
    ) -> Result<Location, String> {
        let parts: Vec<&str> = id.split('/').collect();
        let (tenant, namespace, key) = match parts.as_slice() {
            [namespace, key] => (default_tenant, *namespace, *key),
            [tenant, namespace, key] => (Some(tenant.to_string()), *namespace, *key),
            _ => {
                return Err(format!(
                    "{id:?} is not a kestra_kv import ID. Expected \"<namespace>/<key>\" (e.g. \"company.team/my_key\") or \"<tenant>/<namespace>/<key>\" (e.g. \"main/company.team/my_key\")."
                ));
            }
        };
        Location::checked(tenant, namespace, key, &format!("Import ID {id:?}"))
    }
}

impl Location {
    /// The location of a state or plan: its namespace and key on the client's tenant.
    pub(super) fn of(model: &KvModel, tenant: &str) -> Option<Location> {
        Some(Location {
            tenant: tenant.to_string(),
            namespace: model.namespace.as_known()?.clone(),
            key: model.key.as_known()?.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids_name_the_expected_formats() {
        let loc =
            Location::from_import_id("company.team/my_key", Some("main".into())).expect("valid");
        assert_eq!(
            (
                loc.tenant.as_str(),
                loc.namespace.as_str(),
                loc.key.as_str()
            ),
            ("main", "company.team", "my_key")
        );
        let loc =
            Location::from_import_id("acme/company.team/k1", Some("main".into())).expect("valid");
        assert_eq!(loc.tenant, "acme");
        for bad in ["nokey", "a/b/c/d", "company.team/bad$key", "Bad/key", ""] {
            let error = Location::from_import_id(bad, Some("main".into())).expect_err(bad);
            assert!(
                error.contains("<namespace>/<key>") || error.contains("not a valid"),
                "{error}"
            );
        }
    }
}
