//! Running provider code: panics become diagnostics, and results that must be wholly known are
//! checked.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::plan::strip_unknowns;
use crate::recovery::{Recoverable, panic_message};
use crate::value::Value;

/// Runs provider code, turning a panic into an error diagnostic instead of a dropped RPC.
pub(super) async fn guarded<T>(future: impl Future<Output = T>) -> Result<T, Diagnostics> {
    AssertUnwindSafe(Recoverable::new(future))
        .catch_unwind()
        .await
        .map_err(|payload| panicked(&panic_message(&*payload)))
}

pub(super) fn panicked(message: &str) -> Diagnostics {
    Diagnostics::from_error(
        "Provider panicked",
        format!(
            "The provider crashed while handling this request: {message}. This is a bug in the \
             provider."
        ),
    )
}

/// Replaces unknowns in a result that must be wholly known, reporting each as an error.
pub(super) fn require_wholly_known(value: &mut Value, what: &str, diagnostics: &mut Diagnostics) {
    for path in strip_unknowns(value) {
        diagnostics.push(
            Diagnostic::error(
                format!("Provider returned unknown values in {what}"),
                format!(
                    "The {what} still contained an unknown value at {}; it was replaced by null. \
                     This is a bug in the provider.",
                    if path.steps.is_empty() {
                        "the root".to_owned()
                    } else {
                        path.to_string()
                    }
                ),
            )
            .with_attribute(path),
        );
    }
}
