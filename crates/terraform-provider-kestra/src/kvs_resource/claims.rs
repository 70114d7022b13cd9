//! Keys that a `kestra_kvs` apply in this provider process wrote or adopted. Terraform runs one
//! provider process for a whole apply, so when a `create_before_destroy` replacement adopts keys
//! that already hold its values (without writing them, so their revisions do not move), the
//! deletion of the old object that follows still knows to leave them. The same protects a key
//! moved from one `kestra_kvs` to another in one apply, whichever runs first.

use std::collections::HashSet;
use std::sync::Mutex;

/// `(tenant, namespace, key)`.
type KeyAddress = (String, String, String);

#[derive(Debug, Default)]
pub(crate) struct Claims {
    keys: Mutex<HashSet<KeyAddress>>,
}

impl Claims {
    pub(crate) fn claim<'a>(
        &self,
        tenant: &str,
        namespace: &str,
        keys: impl IntoIterator<Item = &'a String>,
    ) {
        let mut claimed = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        for key in keys {
            claimed.insert((tenant.to_string(), namespace.to_string(), key.clone()));
        }
    }

    pub(crate) fn is_claimed(&self, tenant: &str, namespace: &str, key: &str) -> bool {
        let claimed = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        claimed.contains(&(tenant.to_string(), namespace.to_string(), key.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_per_tenant_and_namespace() {
        let claims = Claims::default();
        claims.claim("main", "a.b", &["k".to_string()]);
        assert!(claims.is_claimed("main", "a.b", "k"));
        assert!(!claims.is_claimed("main", "a.c", "k"));
        assert!(!claims.is_claimed("acme", "a.b", "k"));
        assert!(!claims.is_claimed("main", "a.b", "other"));
    }
}
