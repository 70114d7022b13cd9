//! Per-key failures of one operation, as diagnostics: one per key on `entries["<key>"]`, the
//! first [`SHOWN`] of them, then one that counts the rest.

use crate::tfplugin::{AttributePath, Diagnostic, Diagnostics};

/// How many per-key diagnostics are shown before the rest are only counted.
pub(crate) const SHOWN: usize = 20;

/// Where diagnostics about one key go.
pub(crate) fn entry_path(key: &str) -> AttributePath {
    AttributePath::root().attr("entries").key(key)
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
            Some(r#"entries["k0"]"#.to_string())
        );
        assert_eq!(
            diagnostics.0[SHOWN].summary,
            "5 more keys could not be written"
        );

        let mut few = Failures::default();
        few.push("a", || Diagnostics::from_error("x", "y"));
        assert_eq!(few.into_diagnostics("deleted").len(), 1);
    }
}
