//! The stop signal: tripped when Terraform calls StopProvider (on Ctrl-C), so that a provider
//! starts no new work after it. The SDK only trips it; what "work" means is the provider's.

use tokio_util::sync::CancellationToken;

/// Whether Terraform has asked the provider to stop. Handed to the provider with
/// [`crate::ConfigureRequest`]; clones observe the same signal.
///
/// Once tripped it stays tripped: Terraform stops a provider only when it is ending the run, and
/// calls nothing on it afterwards but Shutdown.
#[derive(Debug, Clone, Default)]
pub struct StopSignal(CancellationToken);

impl StopSignal {
    /// Trips the signal (StopProvider).
    pub(crate) fn trip(&self) {
        self.0.cancel();
    }

    /// Whether Terraform has called StopProvider: check it before starting remote work.
    pub fn is_stopped(&self) -> bool {
        self.0.is_cancelled()
    }

    /// Completes once the signal is tripped.
    pub async fn stopped(&self) {
        self.0.cancelled().await;
    }

    /// The signal as a [`CancellationToken`], the currency of cancellation in tokio code, to
    /// hand to layers that know nothing of Terraform.
    pub fn token(&self) -> CancellationToken {
        self.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tripping_reaches_every_clone_and_stays() {
        let signal = StopSignal::default();
        let clone = signal.clone();
        let token = signal.token();
        assert!(!clone.is_stopped() && !token.is_cancelled());
        signal.trip();
        clone.stopped().await;
        assert!(clone.is_stopped() && token.is_cancelled());
        signal.trip();
        assert!(signal.is_stopped());
    }
}
