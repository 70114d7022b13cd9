//! Per-key diagnostics of one operation: failures on `values["<key>"]`, the first [`SHOWN`] of
//! them, then one that counts the rest; and configuration problems, the first [`SHOWN`] of each
//! kind, each naming its key and text (Terraform can only point at a whole `for` expression).

use std::collections::BTreeMap;

use terraform_plugin_sdk::{AttributePath, Diagnostic, Diagnostics};

/// How many per-key diagnostics are shown before the rest are only counted.
pub(crate) const SHOWN: usize = 20;

/// Texts longer than this are cut in diagnostics.
const TEXT_SHOWN: usize = 120;

/// Where diagnostics about one key of one map (`values`, `types`, ...) go.
pub(crate) fn key_path(map: &str, key: &str) -> AttributePath {
    AttributePath::attribute(map).key(key)
}

/// Where diagnostics about one key go.
pub(crate) fn entry_path(key: &str) -> AttributePath {
    key_path("values", key)
}

/// Configuration problems of many keys: each detail names the key and the text, and each kind
/// (summary) shows its first [`SHOWN`], then one diagnostic counts the rest of that kind.
#[derive(Debug, Default)]
pub(crate) struct KeyProblems {
    shown: Vec<Diagnostic>,
    hidden: BTreeMap<String, usize>,
}

impl KeyProblems {
    /// Adds the problems `check` finds in the element `key` of the map `map` holding `text`.
    pub(crate) fn check(
        &mut self,
        map: &str,
        key: &str,
        text: Option<&str>,
        check: impl FnOnce(&AttributePath, &mut Diagnostics),
    ) {
        let mut found = Diagnostics::default();
        check(&key_path(map, key), &mut found);
        for diagnostic in found {
            self.push(key, map, text, diagnostic);
        }
    }

    /// Adds one problem of `key` (element of `map` holding `text`).
    pub(crate) fn push(
        &mut self,
        key: &str,
        map: &str,
        text: Option<&str>,
        mut diagnostic: Diagnostic,
    ) {
        let shown = self
            .shown
            .iter()
            .filter(|d| d.summary == diagnostic.summary)
            .count();
        if shown >= SHOWN {
            *self.hidden.entry(diagnostic.summary).or_default() += 1;
            return;
        }
        let named = match text {
            Some(text) if text.chars().count() > TEXT_SHOWN => {
                let cut: String = text.chars().take(TEXT_SHOWN).collect();
                format!("Key {key:?}, {map} element {cut:?}...")
            }
            Some(text) => format!("Key {key:?}, {map} element {text:?}"),
            None => format!("Key {key:?}"),
        };
        diagnostic.detail = format!("{named}: {}", diagnostic.detail);
        self.shown.push(diagnostic);
    }

    pub(crate) fn into_diagnostics(self) -> Diagnostics {
        let mut diagnostics = Diagnostics(self.shown);
        for (summary, count) in self.hidden {
            diagnostics.error(
                format!("{summary}: {count} more keys"),
                format!("{count} more keys have this problem; only the first {SHOWN} are shown."),
            );
        }
        diagnostics
    }
}

#[derive(Debug, Default)]
pub(crate) struct Failures {
    shown: Vec<Diagnostic>,
    total: usize,
    /// Keys whose request was not sent because Terraform stopped the provider: one diagnostic
    /// counts them all.
    interrupted: usize,
}

impl Failures {
    /// Records a failure of `key`; `diagnostic` is only built while it will be shown.
    pub(crate) fn push(&mut self, key: &str, diagnostic: impl FnOnce() -> Diagnostics) {
        self.total += 1;
        if self.shown.len() < SHOWN {
            self.shown.extend(
                diagnostic()
                    .into_iter()
                    .map(|d| d.with_attribute(entry_path(key))),
            );
        }
    }

    /// Records `keys` keys left alone because Terraform stopped the provider (Ctrl-C).
    pub(crate) fn interrupted(&mut self, keys: usize) {
        self.interrupted += keys;
    }

    /// The diagnostics; `what` names the operation, e.g. "written".
    pub(crate) fn into_diagnostics(self, what: &str) -> Diagnostics {
        let mut diagnostics = Diagnostics(self.shown);
        if self.interrupted > 0 {
            diagnostics.error(
                "Apply interrupted",
                format!(
                    "Terraform was interrupted (Ctrl-C) and asked the provider to stop: {} keys were not {what}, as no new request starts after that. Requests already sent were finished, and the state records exactly what was done: run the apply again to finish.",
                    self.interrupted
                ),
            );
        }
        if self.total > SHOWN {
            diagnostics.error(
                format!("{} more keys could not be {what}", self.total - SHOWN),
                format!(
                    "{} keys failed in all; only the first {SHOWN} are shown. The state records only what was done, so the next plan shows exactly what is still missing: fix the cause and apply again.",
                    self.total
                ),
            );
        }
        diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_capped_and_counted() {
        let mut failures = Failures::default();
        let mut built = 0;
        for i in 0..25 {
            failures.push(&format!("k{i}"), || {
                built += 1;
                Diagnostics::from_error("Kestra server error", "503")
            });
        }
        assert_eq!(built, SHOWN, "hidden failures build no diagnostics");
        let diagnostics = failures.into_diagnostics("written");
        assert_eq!(diagnostics.len(), SHOWN + 1);
        assert_eq!(
            diagnostics.0[0].attribute.as_ref().map(ToString::to_string),
            Some(r#"values["k0"]"#.to_string())
        );
        assert_eq!(
            diagnostics.0[SHOWN].summary,
            "5 more keys could not be written"
        );

        let mut problems = KeyProblems::default();
        for i in 0..23 {
            problems.check("ttls", &format!("k{i}"), Some("5m"), |path, found| {
                found.attribute_error(path.clone(), "Invalid ttl", "not a duration")
            });
        }
        problems.push(
            "x",
            "values",
            Some(&"v".repeat(200)),
            Diagnostic::error("Other", "d"),
        );
        let diagnostics = problems.into_diagnostics();
        assert_eq!(diagnostics.len(), SHOWN + 2);
        assert_eq!(
            diagnostics.0[0].detail,
            "Key \"k0\", ttls element \"5m\": not a duration"
        );
        assert_eq!(
            diagnostics.0[0].attribute.as_ref().map(ToString::to_string),
            Some(r#"ttls["k0"]"#.to_string())
        );
        assert!(diagnostics.0[SHOWN].detail.ends_with("...: d"));
        assert_eq!(diagnostics.0[SHOWN + 1].summary, "Invalid ttl: 3 more keys");

        let mut few = Failures::default();
        few.push("a", || Diagnostics::from_error("x", "y"));
        assert_eq!(few.into_diagnostics("deleted").len(), 1);
    }
}
