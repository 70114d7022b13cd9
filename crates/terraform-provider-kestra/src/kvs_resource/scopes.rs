//! Exclusive scopes planned in this provider process. Terraform runs one provider process per
//! operation and plans every resource in it, so two exclusive `kestra_kvs` whose scopes overlap
//! (`prefix = "a_"` and `prefix = "a_b"` in one namespace) meet here; each would delete the
//! other's keys as drift on every apply, so the plan is refused. Two resources with the very
//! same scope cannot be told apart from one resource planned twice (a replacement), so they
//! are not caught here (documented under Limits).

use std::sync::Mutex;

/// One exclusive scope: tenant, namespace and prefix (none: the whole namespace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scope {
    pub(crate) tenant: String,
    pub(crate) namespace: String,
    pub(crate) prefix: Option<String>,
}

impl Scope {
    /// Whether a key could lie in both scopes while they are not the same scope.
    fn overlaps(&self, other: &Scope) -> bool {
        if self.tenant != other.tenant || self.namespace != other.namespace || self == other {
            return false;
        }
        match (self.prefix.as_deref(), other.prefix.as_deref()) {
            (Some(a), Some(b)) => a.starts_with(b) || b.starts_with(a),
            _ => true,
        }
    }

    /// `namespace "x"` or `namespace "x" under prefix "p"`.
    pub(crate) fn describe(&self) -> String {
        match &self.prefix {
            Some(prefix) => format!("namespace {:?} under prefix {prefix:?}", self.namespace),
            None => format!("the whole namespace {:?}", self.namespace),
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct ExclusiveScopes {
    planned: Mutex<Vec<Scope>>,
}

impl ExclusiveScopes {
    /// Records `scope`; returns the scopes planned before it that overlap it.
    pub(crate) fn register(&self, scope: Scope) -> Vec<Scope> {
        let mut planned = self.planned.lock().unwrap_or_else(|p| p.into_inner());
        let overlapping: Vec<Scope> = planned
            .iter()
            .filter(|other| scope.overlaps(other))
            .cloned()
            .collect();
        if !planned.contains(&scope) {
            planned.push(scope);
        }
        overlapping
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(namespace: &str, prefix: Option<&str>) -> Scope {
        Scope {
            tenant: "main".into(),
            namespace: namespace.into(),
            prefix: prefix.map(str::to_string),
        }
    }

    #[test]
    fn nested_prefixes_and_whole_namespaces_overlap() {
        let scopes = ExclusiveScopes::default();
        assert!(scopes.register(scope("ns", Some("a_"))).is_empty());
        assert!(
            scopes.register(scope("ns", Some("a_"))).is_empty(),
            "same scope"
        );
        assert!(scopes.register(scope("ns", Some("b_"))).is_empty());
        assert!(scopes.register(scope("other", None)).is_empty());
        assert_eq!(
            scopes.register(scope("ns", Some("a_b"))),
            [scope("ns", Some("a_"))]
        );
        assert_eq!(scopes.register(scope("ns", None)).len(), 3);
        let mut acme = scope("ns", Some("a_bc"));
        acme.tenant = "acme".into();
        assert!(scopes.register(acme).is_empty(), "another tenant");
        assert_eq!(
            scope("ns", Some("a_")).describe(),
            "namespace \"ns\" under prefix \"a_\""
        );
    }
}
