//! Time and chance as the retry loop sees them: the system's in production; a test injects its
//! own so that retries neither sleep on the real clock nor depend on luck.

use std::time::Duration;

use futures::future::BoxFuture;
use rand::SeedableRng;
use rand::rngs::StdRng;
use time::OffsetDateTime;

/// The clock and random source of a [`Client`](super::Client).
pub trait Clock: Send + Sync {
    /// Now, to read `Retry-After` dates.
    fn now_utc(&self) -> OffsetDateTime;

    /// Waits `delay` before a retry.
    fn sleep(&self, delay: Duration) -> BoxFuture<'static, ()>;

    /// A random source for the backoff jitter.
    fn rng(&self) -> StdRng;
}

/// The system clock, tokio's timers and the thread's random generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_utc(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn sleep(&self, delay: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(delay))
    }

    fn rng(&self) -> StdRng {
        StdRng::from_rng(&mut rand::rng())
    }
}
