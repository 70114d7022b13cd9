//! Deterministic fault injection: failures, dropped connections, latency, and requests held
//! back until given keys are written (to order concurrent clients adversarially).

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

/// How long a held request waits for the PUTs it is held for before it goes on anyway (counted
/// in [`super::Stats::holds_timed_out`]): a test that names a key nobody writes fails instead of
/// hanging.
pub const HOLD_LIMIT: Duration = Duration::from_secs(10);

/// Fault settings. Rates are probabilities in `[0, 1]` (values outside are clamped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Probability of answering `fail_status` without touching the store.
    pub fail_rate: f64,
    pub fail_status: u16,
    /// Probability of closing the connection without answering (before any side effect).
    pub drop_rate: f64,
    /// Delay added before every API request.
    pub latency_ms: u64,
    /// Keys (in any namespace) whose PUTs every listing and bulk delete waits for, at most
    /// 10 seconds: e.g. a key's new owner writes it before its old owner checks and deletes
    /// it, every time, instead of when the race happens to go that way. Empty: nothing waits.
    /// Setting the faults starts a new wait for the keys they name.
    pub hold_until_put: Vec<String>,
}

impl Default for Faults {
    fn default() -> Faults {
        Faults {
            fail_rate: 0.0,
            fail_status: 503,
            drop_rate: 0.0,
            latency_ms: 0,
            hold_until_put: Vec::new(),
        }
    }
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultDecision {
    Proceed,
    Fail(u16),
    Drop,
}

/// How a request fared with [`FaultInjector::hold`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// Nothing to wait for.
    NotHeld,
    /// Waited until every key named was written.
    Released,
    /// Gave up after [`HOLD_LIMIT`].
    TimedOut,
}

/// Current settings plus a seeded RNG; every request draws exactly two numbers, so the
/// decision sequence depends only on the seed and the settings.
#[derive(Debug)]
pub struct FaultInjector {
    state: Mutex<InjectorState>,
    /// The keys of `hold_until_put` not written yet.
    unwritten: watch::Sender<BTreeSet<String>>,
}

#[derive(Debug)]
struct InjectorState {
    faults: Faults,
    rng: StdRng,
}

impl FaultInjector {
    pub fn new(faults: Faults, seed: u64) -> FaultInjector {
        let unwritten = watch::Sender::new(faults.hold_until_put.iter().cloned().collect());
        FaultInjector {
            state: Mutex::new(InjectorState {
                faults,
                rng: StdRng::seed_from_u64(seed),
            }),
            unwritten,
        }
    }

    pub fn set(&self, faults: Faults) {
        self.unwritten
            .send_replace(faults.hold_until_put.iter().cloned().collect());
        self.lock().faults = faults;
    }

    /// Records that a PUT of `key` was served, releasing what waits for it.
    pub fn written(&self, key: &str) {
        self.unwritten
            .send_if_modified(|unwritten| unwritten.remove(key));
    }

    /// Waits until every key of `hold_until_put` has been written (at most [`HOLD_LIMIT`]).
    pub async fn hold(&self) -> Hold {
        self.hold_at_most(HOLD_LIMIT).await
    }

    async fn hold_at_most(&self, limit: Duration) -> Hold {
        let mut unwritten = self.unwritten.subscribe();
        if unwritten.borrow_and_update().is_empty() {
            return Hold::NotHeld;
        }
        match tokio::time::timeout(limit, unwritten.wait_for(BTreeSet::is_empty)).await {
            Ok(_) => Hold::Released,
            Err(_) => Hold::TimedOut,
        }
    }

    pub fn current(&self) -> Faults {
        self.lock().faults.clone()
    }

    pub fn decide(&self) -> FaultDecision {
        let mut state = self.lock();
        let drop_draw: f64 = state.rng.random();
        let fail_draw: f64 = state.rng.random();
        if drop_draw < state.faults.drop_rate.clamp(0.0, 1.0) {
            FaultDecision::Drop
        } else if fail_draw < state.faults.fail_rate.clamp(0.0, 1.0) {
            FaultDecision::Fail(state.faults.fail_status)
        } else {
            FaultDecision::Proceed
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, InjectorState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decisions(faults: Faults, seed: u64, count: usize) -> Vec<FaultDecision> {
        let injector = FaultInjector::new(faults, seed);
        (0..count).map(|_| injector.decide()).collect()
    }

    #[test]
    fn same_seed_same_sequence() {
        let faults = Faults {
            fail_rate: 0.3,
            drop_rate: 0.1,
            ..Faults::default()
        };
        assert_eq!(
            decisions(faults.clone(), 42, 200),
            decisions(faults, 42, 200)
        );
    }

    #[test]
    fn rates_are_respected_roughly() {
        let faults = Faults {
            fail_rate: 0.25,
            fail_status: 500,
            ..Faults::default()
        };
        let failures = decisions(faults, 7, 4000)
            .into_iter()
            .filter(|decision| *decision == FaultDecision::Fail(500))
            .count();
        assert!((800..1200).contains(&failures), "failures {failures}");
    }

    #[tokio::test]
    async fn held_requests_wait_until_every_named_key_is_written() {
        let injector = std::sync::Arc::new(FaultInjector::new(Faults::default(), 1));
        assert_eq!(injector.hold().await, Hold::NotHeld);
        injector.set(Faults {
            hold_until_put: vec!["a".into(), "b".into()],
            ..Faults::default()
        });
        let held = tokio::spawn({
            let injector = std::sync::Arc::clone(&injector);
            async move { injector.hold().await }
        });
        injector.written("a");
        injector.written("other");
        tokio::task::yield_now().await;
        assert!(!held.is_finished(), "b is not written yet");
        injector.written("b");
        assert_eq!(held.await.ok(), Some(Hold::Released));
        assert_eq!(injector.hold().await, Hold::NotHeld, "released for good");
    }

    #[tokio::test]
    async fn a_hold_nobody_releases_gives_up() {
        let injector = FaultInjector::new(
            Faults {
                hold_until_put: vec!["never".into()],
                ..Faults::default()
            },
            1,
        );
        let limit = Duration::from_millis(1);
        assert_eq!(injector.hold_at_most(limit).await, Hold::TimedOut);
    }

    #[test]
    fn zero_rates_never_fault_and_full_rates_always_do() {
        assert!(
            decisions(Faults::default(), 1, 500)
                .iter()
                .all(|decision| *decision == FaultDecision::Proceed)
        );
        let always_drop = Faults {
            drop_rate: 2.0,
            ..Faults::default()
        };
        assert!(
            decisions(always_drop, 1, 50)
                .iter()
                .all(|decision| *decision == FaultDecision::Drop)
        );
    }
}
