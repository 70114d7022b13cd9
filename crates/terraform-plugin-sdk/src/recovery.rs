//! Panic recovery around provider code. While provider code runs inside a recovery scope, the
//! panic hook knows the panic will be caught and turned into a diagnostic, so it logs an error
//! instead of printing go-plugin's `panic: ` crash marker (which makes Terraform report the
//! whole plugin as crashed).

use std::any::Any;
use std::cell::Cell;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;

thread_local! {
    static RECOVERY_DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Whether a panic on this thread right now will be caught by the SDK.
pub(crate) fn is_recovering() -> bool {
    RECOVERY_DEPTH.with(|depth| depth.get() > 0)
}

/// Marks the current thread as inside a recovery scope until dropped (also during unwinding).
struct Scope;

impl Scope {
    fn enter() -> Scope {
        RECOVERY_DEPTH.with(|depth| depth.set(depth.get() + 1));
        Scope
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        RECOVERY_DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// Runs a synchronous provider call, catching a panic.
pub(crate) fn call<R>(function: impl FnOnce() -> R) -> Result<R, String> {
    let _scope = Scope::enter();
    std::panic::catch_unwind(AssertUnwindSafe(function)).map_err(|payload| panic_message(&*payload))
}

/// A future or stream whose every poll runs inside a recovery scope; combine with
/// `catch_unwind` to recover.
pub(crate) struct Recoverable<T>(Pin<Box<T>>);

impl<T> Recoverable<T> {
    pub(crate) fn new(inner: T) -> Recoverable<T> {
        Recoverable(Box::pin(inner))
    }
}

impl<T: Future> Future for Recoverable<T> {
    type Output = T::Output;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<T::Output> {
        let _scope = Scope::enter();
        self.0.as_mut().poll(context)
    }
}

impl<T: Stream> Stream for Recoverable<T> {
    type Item = T::Item;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<T::Item>> {
        let _scope = Scope::enter();
        self.0.as_mut().poll_next(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;

    #[test]
    fn scopes_are_tracked_and_left_on_unwind() {
        assert!(!is_recovering());
        assert_eq!(call(is_recovering), Ok(true));
        assert_eq!(call(|| -> () { panic!("boom") }), Err("boom".to_owned()));
        assert!(!is_recovering(), "scope left after a caught panic");
    }

    #[test]
    fn futures_poll_inside_the_scope() {
        let inside = futures::executor::block_on(Recoverable::new(async { is_recovering() }));
        assert!(inside);
        let caught = futures::executor::block_on(
            AssertUnwindSafe(Recoverable::new(async { panic!("{}", "formatted") })).catch_unwind(),
        );
        let message = caught.map_err(|payload| panic_message(&*payload));
        assert_eq!(message, Err::<(), _>("formatted".to_owned()));
        assert!(!is_recovering());
    }
}
