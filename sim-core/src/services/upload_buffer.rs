//! A Storage Gateway upload buffer: writes wait in it, first in first out, until the site's link has
//! carried everything written before them. Write bursts fill it; the link drains it at its bandwidth.
//!
//! While the buffer holds a burst that has not drained, every write made since the busy period began waits
//! behind it, so a copy cut off at `t` lacks everything written since that instant: the gateway's RPO is
//! `t − busy_since(t)` on top of the steady upload lag. Computed from the bursts when asked; nothing ticks.

use crate::engine::time::{SimDuration, SimTime};

/// Bursts into a buffer drained at a constant rate.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct UploadBuffer {
    /// `(when, GB)`, in time order.
    bursts: Vec<(SimTime, f64)>,
    /// GB the link carries per second.
    drain_gb_per_s: f64,
}

impl UploadBuffer {
    /// A buffer filled by `bursts` (in any order) and drained over a link of `mbps` Mbit/s.
    pub fn new(mut bursts: Vec<(SimTime, f64)>, mbps: u32) -> UploadBuffer {
        bursts.sort_by_key(|b| b.0);
        UploadBuffer {
            bursts,
            drain_gb_per_s: f64::from(mbps.max(1)) / 8_000.0,
        }
    }

    /// When the busy period holding `t` began; `None` when the buffer is empty at `t`.
    pub fn busy_since(&self, t: SimTime) -> Option<SimTime> {
        let mut backlog = 0.0_f64;
        let mut last = SimTime::ZERO;
        let mut since = None;
        for &(at, gb) in self.bursts.iter().take_while(|b| b.0 <= t) {
            backlog = (backlog - self.drained(last, at)).max(0.0);
            if backlog <= 0.0 {
                since = Some(at);
            }
            backlog += gb;
            last = at;
        }
        (backlog - self.drained(last, t) > 0.0).then_some(since?)
    }

    /// How far behind the site a copy fed through the buffer is at `t`, beyond the steady upload lag.
    pub fn behind(&self, t: SimTime) -> SimDuration {
        self.busy_since(t)
            .map_or(SimDuration::ZERO, |since| t.saturating_since(since))
    }

    fn drained(&self, from: SimTime, to: SimTime) -> f64 {
        to.saturating_since(from).as_secs_f64() * self.drain_gb_per_s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(hours: u64) -> SimTime {
        SimTime::at(SimDuration::from_hours(hours))
    }

    #[test]
    fn a_burst_holds_everything_after_it_until_it_has_drained() {
        // 450 GB over 100 Mbit/s (0.0125 GB/s): 10 h to drain.
        let b = UploadBuffer::new(vec![(h(2), 450.0)], 100);
        assert_eq!(b.behind(h(1)), SimDuration::ZERO);
        assert_eq!(b.busy_since(h(5)), Some(h(2)));
        assert_eq!(b.behind(h(11)), SimDuration::from_hours(9));
        assert_eq!(b.behind(h(13)), SimDuration::ZERO);
    }

    #[test]
    fn a_burst_before_the_buffer_empties_extends_the_busy_period() {
        let b = UploadBuffer::new(vec![(h(5), 45.0), (h(0), 90.0)], 100);
        assert_eq!(b.busy_since(h(1)), Some(h(0)));
        assert_eq!(b.busy_since(h(3)), None);
        assert_eq!(b.busy_since(h(5)), Some(h(5)));
        let chained = UploadBuffer::new(vec![(h(0), 90.0), (h(1), 90.0)], 100);
        assert_eq!(chained.busy_since(h(3)), Some(h(0)));
    }
}
