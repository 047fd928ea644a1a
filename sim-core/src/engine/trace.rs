//! Event traces: what the engine's trace recorder keeps, and where two traces first differ.
//!
//! A [`TraceDigest`](crate::engine::digest::TraceDigest) says *that* two runs differ; a trace says *where*.
//! [`Engine::record_trace`](crate::engine::Engine::record_trace) keeps every handled event's
//! `(time, trace word)`; [`first_divergence`] compares two traces event by event, as madsim's and turmoil's
//! determinism checkers do: the first index at which the pairs differ, or at which one trace ends before
//! the other, is where to start reading the two step logs.

use std::fmt;

use crate::engine::time::SimTime;

/// One handled event as the trace records it: its time and its
/// [`TraceEvent::trace_word`](crate::engine::TraceEvent::trace_word).
pub type TracedEvent = (SimTime, u64);

/// The first place two traces differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// 0-based index of the first differing event (the events before it are identical).
    pub index: usize,
    /// The left trace's event there (`None`: the left trace ended first).
    pub left: Option<TracedEvent>,
    /// The right trace's event there (`None`: the right trace ended first).
    pub right: Option<TracedEvent>,
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |e: Option<TracedEvent>| match e {
            Some((t, word)) => format!("{word:#018x} at {t}"),
            None => "nothing (the trace ended)".to_string(),
        };
        write!(
            f,
            "traces diverge at event #{}: left {}, right {}",
            self.index,
            side(self.left),
            side(self.right)
        )
    }
}

/// The first index where `left` and `right` differ, or `None` when they are identical.
pub fn first_divergence(left: &[TracedEvent], right: &[TracedEvent]) -> Option<Divergence> {
    let index = left
        .iter()
        .zip(right)
        .position(|(a, b)| a != b)
        .unwrap_or(left.len().min(right.len()));
    if index == left.len() && index == right.len() {
        return None;
    }
    Some(Divergence {
        index,
        left: left.get(index).copied(),
        right: right.get(index).copied(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(us: u64) -> SimTime {
        SimTime::from_micros(us)
    }

    #[test]
    fn identical_traces_do_not_diverge() {
        let a = [(t(0), 1), (t(5), 2)];
        assert_eq!(first_divergence(&a, &a), None);
        assert_eq!(first_divergence(&[], &[]), None);
    }

    #[test]
    fn the_first_difference_in_time_or_word_is_reported() {
        let a = [(t(0), 1), (t(5), 2), (t(9), 3)];
        let b = [(t(0), 1), (t(6), 2), (t(9), 4)];
        let d = first_divergence(&a, &b).unwrap();
        assert_eq!(
            (d.index, d.left, d.right),
            (1, Some((t(5), 2)), Some((t(6), 2)))
        );
        assert!(
            d.to_string().starts_with("traces diverge at event #1:"),
            "{d}"
        );
    }

    #[test]
    fn a_trace_that_ends_early_diverges_where_it_ends() {
        let a = [(t(0), 1)];
        let b = [(t(0), 1), (t(5), 2)];
        let d = first_divergence(&a, &b).unwrap();
        assert_eq!((d.index, d.left, d.right), (1, None, Some((t(5), 2))));
        assert!(d.to_string().contains("nothing (the trace ended)"), "{d}");
    }
}
