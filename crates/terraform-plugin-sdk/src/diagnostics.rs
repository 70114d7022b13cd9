//! Diagnostics (what Terraform shows the user) and attribute paths that anchor them.

use std::fmt;

/// One step into a value: object attribute, list/tuple index or map key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Attribute(String),
    Index(i64),
    Key(String),
}

/// Where in a configuration or state a diagnostic belongs (`AttributePath` on the wire).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributePath {
    pub steps: Vec<PathStep>,
}

impl AttributePath {
    /// The empty path (the whole object).
    pub fn root() -> AttributePath {
        AttributePath::default()
    }

    /// Path to a top-level attribute: `AttributePath::attribute("a")` == `root().attr("a")`.
    pub fn attribute(name: impl Into<String>) -> AttributePath {
        AttributePath::root().attr(name)
    }

    pub fn attr(mut self, name: impl Into<String>) -> AttributePath {
        self.steps.push(PathStep::Attribute(name.into()));
        self
    }

    pub fn index(mut self, index: i64) -> AttributePath {
        self.steps.push(PathStep::Index(index));
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> AttributePath {
        self.steps.push(PathStep::Key(key.into()));
        self
    }

    /// This path as seen from an enclosing object in which it sits under attribute or block
    /// `name` (e.g. a list block's `config`).
    pub fn under(&self, name: impl Into<String>) -> AttributePath {
        let mut steps = vec![PathStep::Attribute(name.into())];
        steps.extend(self.steps.iter().cloned());
        AttributePath { steps }
    }
}

impl fmt::Display for AttributePath {
    /// HCL-like traversal: `rule[0].name`, `tags["env"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Attribute(name) if position == 0 => write!(f, "{name}")?,
                PathStep::Attribute(name) => write!(f, ".{name}")?,
                PathStep::Index(index) => write!(f, "[{index}]")?,
                PathStep::Key(key) => write!(f, "[{key:?}]")?,
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub summary: String,
    pub detail: String,
    pub attribute: Option<AttributePath>,
}

impl Diagnostic {
    pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            attribute: None,
        }
    }

    pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(summary, detail)
        }
    }

    /// Anchors the diagnostic at an attribute.
    pub fn with_attribute(mut self, path: AttributePath) -> Diagnostic {
        self.attribute = Some(path);
        self
    }
}

/// An ordered collection of diagnostics; any error means the operation failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// A collection holding one error.
    pub fn from_error(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostics {
        Diagnostics(vec![Diagnostic::error(summary, detail)])
    }

    pub fn error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::error(summary, detail));
    }

    pub fn attribute_error(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::error(summary, detail).with_attribute(path));
    }

    pub fn warning(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::warning(summary, detail));
    }

    pub fn attribute_warning(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::warning(summary, detail).with_attribute(path));
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Diagnostics {
        Diagnostics(vec![diagnostic])
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Diagnostics {
        Diagnostics(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::tfplugin6 as pb;

    #[test]
    fn paths_display_and_convert() {
        let path = AttributePath::root()
            .attr("rule")
            .index(0)
            .attr("name")
            .key("k");
        assert_eq!(path.to_string(), r#"rule[0].name["k"]"#);
        assert_eq!(AttributePath::from_proto(&path.to_proto()), path);
    }

    #[test]
    fn severities_never_invalid_and_errors_detected() {
        let mut diagnostics = Diagnostics::new();
        diagnostics.warning("w", "");
        assert!(!diagnostics.has_errors());
        diagnostics.attribute_error(AttributePath::attribute("a"), "e", "detail");
        assert!(diagnostics.has_errors());
        let wire = diagnostics.to_proto();
        assert_eq!(wire[0].severity, pb::diagnostic::Severity::Warning as i32);
        assert_eq!(wire[1].severity, pb::diagnostic::Severity::Error as i32);
        assert_eq!(wire[1].attribute.as_ref().map(|p| p.steps.len()), Some(1));
        assert_eq!(diagnostics.iter().count(), 2);
    }
}
