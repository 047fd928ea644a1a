//! When places were down, and when links between them were cut, as a store saw it through health
//! changes: what decides whether a backup job or a copy in flight survived.

use crate::engine::time::SimTime;
use crate::model::place::{Health, RegionId};

/// Outage and cut history, appended to on health changes (its size follows the run's disasters).
#[derive(Clone, Debug, Default)]
pub(crate) struct Outages {
    /// `(region, start, end)`; `end` is `SimTime::MAX` while the outage lasts.
    spans: Vec<(RegionId, SimTime, SimTime)>,
    /// `(a, b, start, end)` of the watched links while `a` and `b` could not reach each other.
    cuts: Vec<(RegionId, RegionId, SimTime, SimTime)>,
}

impl Outages {
    /// Records the Regions' state at `now`.
    pub fn observe(&mut self, now: SimTime, health: &Health, regions: &[RegionId]) {
        for &r in regions {
            let open = self
                .spans
                .iter()
                .position(|&(region, _, end)| region == r && end == SimTime::MAX);
            match (health.region_up(r), open) {
                (false, None) => self.spans.push((r, now, SimTime::MAX)),
                (true, Some(i)) => self.spans[i].2 = now,
                _ => {}
            }
        }
    }

    /// Records whether each watched link `(a, b)` connects at `now`.
    pub fn observe_links(&mut self, now: SimTime, health: &Health, links: &[(RegionId, RegionId)]) {
        for &(a, b) in links {
            let open = self
                .cuts
                .iter()
                .position(|&(x, y, _, end)| (x, y) == (a, b) && end == SimTime::MAX);
            match (health.connected(a, b), open) {
                (false, None) => self.cuts.push((a, b, now, SimTime::MAX)),
                (true, Some(i)) => self.cuts[i].3 = now,
                _ => {}
            }
        }
    }

    /// Whether `region` was down at any point of `[from, to]`.
    pub fn down_during(&self, region: RegionId, from: SimTime, to: SimTime) -> bool {
        self.spans
            .iter()
            .any(|&(r, s, e)| r == region && s <= to && e > from)
    }

    /// Whether the watched link `(a, b)` was cut (either end down, or partitioned) at any point of
    /// `[from, to]`.
    pub fn cut_during(&self, a: RegionId, b: RegionId, from: SimTime, to: SimTime) -> bool {
        self.cuts
            .iter()
            .any(|&(x, y, s, e)| (x, y) == (a, b) && s <= to && e > from)
    }
}
