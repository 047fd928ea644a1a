//! The RTO broken into phases — detection, decision, recovery, propagation — from the step log and the
//! runbooks' task spans. The four parts sum to the RTO.

use crate::engine::time::{SimDuration, SimTime};
use crate::measure::result::Breakdown;
use crate::model::Phase;
use crate::world::Finished;

/// Splits `[onset, onset + rto]` into phases: detection until the first detection, then runbook spans by
/// phase (decision before recovery), automatic recovery logged by stores, and the rest propagation.
pub fn breakdown(finished: &Finished<'_>, onset: SimTime, rto: SimDuration) -> Breakdown {
    let end = onset + rto;
    let entries = finished.log.entries();
    let first = |phase: Phase| {
        entries
            .iter()
            .find(|e| e.phase == phase && e.at >= onset)
            .map(|e| e.at)
    };
    let mut intervals: Vec<(Phase, SimTime, SimTime)> = Vec::new();
    if let Some(t) = first(Phase::Detection) {
        intervals.push((Phase::Detection, onset, t));
    }
    for span in &finished.spans {
        intervals.push((span.phase, span.start, span.end));
    }
    // Automatic recovery with no runbook (e.g. a Multi-AZ failover): from the first to the last recovery
    // step the stores logged.
    let store_names: Vec<&str> = finished.stores.iter().map(|s| s.name()).collect();
    let window = finished.scenario.measure.window;
    let store_steps: Vec<SimTime> = entries
        .iter()
        .filter(|e| {
            // The step that completes recovery can land just after the RTO instant (the SLO window lets
            // the last ~1 % of a window be bad), so look one window past it; the sweep clips to the RTO.
            e.phase == Phase::Recovery
                && e.at >= onset
                && e.at <= end + window
                && store_names.contains(&e.actor.as_str())
        })
        .map(|e| e.at)
        .collect();
    if let (Some(&a), Some(&b)) = (store_steps.first(), store_steps.last()) {
        intervals.push((Phase::Recovery, a, b));
    }
    // Sweep: each instant goes to the first phase (in Detection, Decision, Recovery order) covering it.
    let mut cuts: Vec<SimTime> = vec![onset, end];
    for &(_, a, b) in &intervals {
        cuts.extend([a.clamp(onset, end), b.clamp(onset, end)]);
    }
    cuts.sort();
    cuts.dedup();
    let mut out = Breakdown::default();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let covering = |p: Phase| {
            intervals
                .iter()
                .any(|&(q, s0, s1)| q == p && s0 <= a && s1 >= b)
        };
        let slot = if covering(Phase::Detection) {
            &mut out.detection
        } else if covering(Phase::Decision) {
            &mut out.decision
        } else if covering(Phase::Recovery) {
            &mut out.recovery
        } else {
            &mut out.propagation
        };
        *slot += b.saturating_since(a);
    }
    out
}
