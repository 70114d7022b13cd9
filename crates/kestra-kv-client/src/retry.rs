//! Retry policy for idempotent requests: exponential backoff with full jitter, honouring
//! `Retry-After` (capped).

use std::time::Duration;

use rand::Rng;
use time::OffsetDateTime;
use time::PrimitiveDateTime;
use time::macros::format_description;

/// When and how often an idempotent request (GET, PUT, DELETE) is retried after a connection
/// error or a 429, 502, 503 or 504.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// Upper bound of the first wait; doubles for every further retry.
    pub initial_backoff: Duration,
    /// Upper bound of any wait, `Retry-After` included.
    pub max_backoff: Duration,
    /// Full jitter: wait a uniformly random time up to the bound, so that many clients do not
    /// retry in lockstep. Without it, wait exactly the bound.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> RetryPolicy {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The bound of the wait before retry number `retry` (0 for the first retry):
    /// `min(max_backoff, initial_backoff * 2^retry)`.
    pub fn backoff_bound(&self, retry: u32) -> Duration {
        let factor = 2_u32.checked_pow(retry).unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(Duration::MAX)
            .min(self.max_backoff)
    }

    /// The wait before retry number `retry`: the server's `Retry-After` when given (capped at
    /// `max_backoff`), else the backoff bound, jittered when enabled.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>, rng: &mut impl Rng) -> Duration {
        if let Some(requested) = retry_after {
            return requested.min(self.max_backoff);
        }
        let bound = self.backoff_bound(retry);
        if !self.jitter || bound.is_zero() {
            return bound;
        }
        let bound_nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.random_range(0..=bound_nanos))
    }
}

/// Whether a status is worth retrying for an idempotent request.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// `Retry-After` as delay-seconds or an HTTP date (IMF-fixdate, relative to `now`); a date in
/// the past means "now". Unreadable values are ignored.
pub(crate) fn parse_retry_after(value: &str, now: OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let format = format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let date = PrimitiveDateTime::parse(value, format).ok()?.assume_utc();
    let wait = date - now;
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use time::macros::datetime;

    fn policy(jitter: bool) -> RetryPolicy {
        RetryPolicy {
            max_retries: 4,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            jitter,
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = policy(false);
        let mut rng = StdRng::seed_from_u64(7);
        let delays: Vec<u128> = (0..6)
            .map(|retry| policy.delay(retry, None, &mut rng).as_millis())
            .collect();
        assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(policy.backoff_bound(200), Duration::from_secs(1));
    }

    #[test]
    fn full_jitter_stays_within_the_bound_and_varies() {
        let policy = policy(true);
        let mut rng = StdRng::seed_from_u64(42);
        for retry in 0..8 {
            let samples: Vec<Duration> = (0..200)
                .map(|_| policy.delay(retry, None, &mut rng))
                .collect();
            let bound = policy.backoff_bound(retry);
            assert!(samples.iter().all(|delay| *delay <= bound));
            let lowest = samples.iter().min().copied().unwrap_or_default();
            let highest = samples.iter().max().copied().unwrap_or_default();
            assert!(
                lowest < bound / 4 && highest > bound * 3 / 4,
                "retry {retry}"
            );
        }
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let policy = policy(true);
        let mut rng = StdRng::seed_from_u64(1);
        let asked = Some(Duration::from_millis(300));
        assert_eq!(policy.delay(0, asked, &mut rng), Duration::from_millis(300));
        let asked = Some(Duration::from_secs(3600));
        assert_eq!(policy.delay(0, asked, &mut rng), Duration::from_secs(1));
    }

    #[test]
    fn retry_after_formats() {
        let now = datetime!(2015-10-21 07:28:00 UTC);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn retryable_statuses() {
        for status in [429, 502, 503, 504] {
            assert!(is_retryable_status(status));
        }
        for status in [400, 401, 404, 410, 422, 500, 501] {
            assert!(!is_retryable_status(status));
        }
    }
}
