//! Deterministic fault injection: failures, dropped connections and latency.

use std::sync::Mutex;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

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
}

impl Default for Faults {
    fn default() -> Faults {
        Faults {
            fail_rate: 0.0,
            fail_status: 503,
            drop_rate: 0.0,
            latency_ms: 0,
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

/// Current settings plus a seeded RNG; every request draws exactly two numbers, so the
/// decision sequence depends only on the seed and the settings.
#[derive(Debug)]
pub struct FaultInjector {
    state: Mutex<InjectorState>,
}

#[derive(Debug)]
struct InjectorState {
    faults: Faults,
    rng: StdRng,
}

impl FaultInjector {
    pub fn new(faults: Faults, seed: u64) -> FaultInjector {
        FaultInjector {
            state: Mutex::new(InjectorState {
                faults,
                rng: StdRng::seed_from_u64(seed),
            }),
        }
    }

    pub fn set(&self, faults: Faults) {
        self.lock().faults = faults;
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
