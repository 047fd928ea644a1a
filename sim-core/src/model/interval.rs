//! Sets of half-open time intervals `[start, end)`: the ack times a copy of a data store holds.

use crate::engine::time::SimTime;

/// A set of disjoint, non-adjacent half-open intervals, kept sorted. Sizes follow state changes (a handful
/// of intervals per copy), so operations are linear scans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntervalSet {
    spans: Vec<(SimTime, SimTime)>,
}

impl IntervalSet {
    /// The empty set.
    pub fn new() -> Self {
        IntervalSet::default()
    }

    /// The set holding `[start, end)` (empty if `end <= start`).
    pub fn span(start: SimTime, end: SimTime) -> Self {
        let mut set = IntervalSet::new();
        set.insert(start, end);
        set
    }

    /// The intervals, sorted and disjoint.
    pub fn spans(&self) -> &[(SimTime, SimTime)] {
        &self.spans
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Whether `t` is in the set.
    pub fn contains(&self, t: SimTime) -> bool {
        self.spans.iter().any(|&(s, e)| s <= t && t < e)
    }

    /// Adds `[start, end)`, merging with overlapping or adjacent intervals.
    pub fn insert(&mut self, start: SimTime, end: SimTime) {
        if end <= start {
            return;
        }
        let (mut start, mut end) = (start, end);
        let mut kept = Vec::with_capacity(self.spans.len() + 1);
        for &(s, e) in &self.spans {
            if e < start || s > end {
                kept.push((s, e));
            } else {
                start = start.min(s);
                end = end.max(e);
            }
        }
        let at = kept.partition_point(|&(s, _)| s < start);
        kept.insert(at, (start, end));
        self.spans = kept;
    }

    /// Removes `[start, end)`.
    pub fn remove(&mut self, start: SimTime, end: SimTime) {
        if end <= start {
            return;
        }
        let mut kept = Vec::with_capacity(self.spans.len() + 1);
        for &(s, e) in &self.spans {
            if e <= start || s >= end {
                kept.push((s, e));
                continue;
            }
            if s < start {
                kept.push((s, start));
            }
            if e > end {
                kept.push((end, e));
            }
        }
        self.spans = kept;
    }

    /// The part of the set before `t`.
    pub fn before(&self, t: SimTime) -> IntervalSet {
        let mut out = self.clone();
        out.remove(t, SimTime::MAX);
        out
    }

    /// The union of two sets.
    pub fn union(&self, other: &IntervalSet) -> IntervalSet {
        let mut out = self.clone();
        for &(s, e) in &other.spans {
            out.insert(s, e);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: u64) -> SimTime {
        SimTime::from_micros(s)
    }

    fn set(spans: &[(u64, u64)]) -> IntervalSet {
        let mut out = IntervalSet::new();
        for &(s, e) in spans {
            out.insert(t(s), t(e));
        }
        out
    }

    #[test]
    fn insert_merges_overlaps_and_neighbours() {
        assert_eq!(
            set(&[(5, 7), (1, 3), (3, 4), (10, 12), (6, 11)]).spans(),
            &[(t(1), t(4)), (t(5), t(12))]
        );
        assert!(set(&[(2, 2)]).is_empty());
    }

    #[test]
    fn remove_splits() {
        let mut s = set(&[(0, 10), (20, 30)]);
        s.remove(t(5), t(25));
        assert_eq!(s.spans(), &[(t(0), t(5)), (t(25), t(30))]);
        assert!(s.contains(t(4)) && !s.contains(t(5)) && s.contains(t(25)));
        assert_eq!(s.before(t(2)).spans(), &[(t(0), t(2))]);
    }
}
