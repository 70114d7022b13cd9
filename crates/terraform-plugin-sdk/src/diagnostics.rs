//! Diagnostics (what Terraform shows the user) and attribute paths that anchor them.

use std::fmt;

/// One step into a value: object attribute, list/tuple index or map key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// An object attribute or a nested block type, by name.
    Attribute(String),
    /// An element of a list or tuple (or of a LIST nested block), by position.
    Index(i64),
    /// An element of a map (or a MAP nested block's label), by key. Sets have no step.
    Key(String),
}

/// Where in a configuration or state a diagnostic belongs (`AttributePath` on the wire).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributePath {
    /// The steps from the top-level object inwards; empty for the whole object.
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

    /// This path, one attribute (or nested block) further in.
    pub fn attr(mut self, name: impl Into<String>) -> AttributePath {
        self.steps.push(PathStep::Attribute(name.into()));
        self
    }

    /// This path, one list or tuple element further in.
    pub fn index(mut self, index: i64) -> AttributePath {
        self.steps.push(PathStep::Index(index));
        self
    }

    /// This path, one map element (or MAP block label) further in.
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

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The operation failed; Terraform stops and shows it.
    Error,
    /// Terraform shows it and carries on.
    Warning,
}

/// One message for the user, shown by Terraform with the configuration it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A short headline: what is wrong.
    pub summary: String,
    /// The explanation: why, and how to fix it.
    pub detail: String,
    /// Where in the configuration it belongs; `None` points at the whole block.
    pub attribute: Option<AttributePath>,
}

impl Diagnostic {
    /// An error with this summary and detail.
    pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            attribute: None,
        }
    }

    /// A warning with this summary and detail.
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
    /// No diagnostics: success.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// A collection holding one error.
    pub fn from_error(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostics {
        Diagnostics(vec![Diagnostic::error(summary, detail)])
    }

    /// Adds an error about the whole block.
    pub fn error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::error(summary, detail));
    }

    /// Adds an error anchored at an attribute, which Terraform highlights in the configuration.
    pub fn attribute_error(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::error(summary, detail).with_attribute(path));
    }

    /// Adds a warning about the whole block.
    pub fn warning(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::warning(summary, detail));
    }

    /// Adds a warning anchored at an attribute.
    pub fn attribute_warning(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::warning(summary, detail).with_attribute(path));
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds all of `other`, e.g. the diagnostics of a nested check.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    /// Whether any diagnostic is an error, i.e. the operation failed.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Whether there are no diagnostics at all (not even warnings).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many diagnostics there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The diagnostics, in the order they were added.
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
