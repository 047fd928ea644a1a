//! The verdict of a watcher that times its flips analytically (a Route 53 health check): what it last saw,
//! what it says, and the pending timer that will flip it. A change seen back before the timer fires
//! cancels it, which suits checkers that need consecutive failures; CloudWatch alarms instead evaluate
//! every period's datapoint (`alarm.rs`), because a breach shorter than the timer still breaches its
//! period.

use crate::engine::time::SimDuration;

/// A watcher's verdict state.
#[derive(Clone, Debug)]
pub(crate) struct Verdict {
    /// The current verdict: `true` is healthy / OK.
    pub good: bool,
    /// The target's state as last seen.
    pub seen_good: bool,
    /// Generation of the pending flip timer (stale timers are ignored).
    pub generation: u32,
}

impl Verdict {
    /// Healthy, having seen nothing wrong.
    pub fn new() -> Self {
        Verdict {
            good: true,
            seen_good: true,
            generation: 0,
        }
    }

    /// Updates the verdict with what the watcher sees now; returns a flip timer to start (its delay and
    /// the generation to wake with), if any.
    pub fn see(
        &mut self,
        good: bool,
        delay: impl FnOnce() -> SimDuration,
    ) -> Option<(SimDuration, u32)> {
        if good == self.seen_good {
            return None;
        }
        self.seen_good = good;
        self.generation += 1;
        // Back to what the verdict already says: cancel the pending flip; otherwise time the new one.
        (good != self.good).then(|| (delay(), self.generation))
    }

    /// A flip timer fired: `Some(went_bad)` when it flips the verdict, `None` when it is stale (the
    /// target changed again since) or there is nothing to flip.
    pub fn fire(&mut self, token: u32) -> Option<bool> {
        if token != self.generation || self.good == self.seen_good {
            return None;
        }
        self.good = self.seen_good;
        Some(!self.good)
    }
}
