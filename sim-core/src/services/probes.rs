//! Periodic probers with random phase (health checkers, alarm periods, target health checks): how long after
//! a change they notice it.

use crate::engine::rng::{Stream, below};
use crate::engine::time::SimDuration;

/// A uniformly random phase in `[0, interval)`: where in its cycle a periodic prober (a health checker, an
/// alarm period) happens to be when something changes. Zero for a zero interval.
pub(crate) fn phase(interval: SimDuration, rng: &mut Stream) -> SimDuration {
    match interval.as_micros() {
        0 => SimDuration::ZERO,
        span => SimDuration::from_micros(below(rng, span)),
    }
}

/// How long after a change a periodic prober with random phase reaches `threshold` consecutive probes
/// that see it: the first probe comes after a phase in `[0, interval)`, the others one interval apart.
/// `threshold` 0 is read as 1.
pub(crate) fn consecutive_probes(
    interval: SimDuration,
    threshold: u32,
    rng: &mut Stream,
) -> SimDuration {
    phase(interval, rng) + interval.saturating_mul(u64::from(threshold.max(1) - 1))
}
