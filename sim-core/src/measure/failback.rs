//! After the disaster: the exposure window (time the data had no current copy outside its writer's Region)
//! and, when the disaster heals within the horizon, the failback — how long until clients are served from
//! the primary again, and what the return cost in lost writes, failed requests and extra downtime.
//!
//! Everything comes from what the run recorded: each tracked store's exposure steps
//! ([`crate::model::DataStore::exposed`]), each flow's timeline, and each store's lost-write stretches. See
//! `docs/measurement.md`.

use serde::{Deserialize, Serialize};

use crate::engine::time::{SimDuration, SimTime};
use crate::model::ledger::Settlement;
use crate::spec::Resource;
use crate::spec::resources::record::RoutingPolicy;
use crate::world::Finished;
use crate::world::timeline::{FlowTimeline, Linear, Steps, secs};

use super::FlowResult;

/// One store's exposure window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreExposure {
    /// Time after the onset during which its writer took writes with no current copy outside the
    /// writer's Region (up to the horizon when `open`).
    pub window: SimDuration,
    /// Still exposed at the horizon: the window had not ended.
    pub open: bool,
}

/// What the return to the primary cost, measured from the disaster's heal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Failback {
    /// When the disaster healed.
    pub healed: SimTime,
    /// Failback time: from the heal until every critical flow is served again at or above its SLO, from
    /// its entry record's primary target where that record is a failover record. `None`: not within the
    /// horizon (clients stay on the secondary, or the primary does not serve).
    pub time: Option<SimDuration>,
    /// Acknowledged writes from the heal on that were lost: split-brain writes to a stale copy the
    /// application in the healed Region still used, and last-writer-wins overwrites.
    pub lost_writes: u64,
    /// Requests of critical flows that failed after the heal, once each flow had recovered from the
    /// disaster (writes a read-only copy refused, a primary not ready for its traffic).
    pub failed_requests: f64,
    /// Extra downtime caused by the failback: the longest time a critical flow, once recovered from the
    /// disaster, spent below its SLO after the heal.
    pub downtime: SimDuration,
}

/// Exposure per store (scenario store order; `None` for a store not tracked because it had no copy
/// outside its writer's Region at time zero) and the service's: the longest window, `None` when a
/// store's window is still open at the horizon.
pub fn exposure(
    finished: &Finished<'_>,
    onset: Option<SimTime>,
) -> (Vec<Option<StoreExposure>>, Option<SimDuration>) {
    let mut per_store: Vec<Option<StoreExposure>> = vec![None; finished.stores.len()];
    let Some(onset) = onset else {
        return (per_store, Some(SimDuration::ZERO));
    };
    let horizon = finished.horizon;
    for (k, steps) in &finished.exposure {
        per_store[*k] = Some(StoreExposure {
            window: exposed_time(steps, onset, horizon),
            open: steps.at(horizon) > 0.5,
        });
    }
    let service = per_store
        .iter()
        .flatten()
        .try_fold(SimDuration::ZERO, |worst, e| {
            (!e.open).then_some(worst.max(e.window))
        });
    (per_store, service)
}

/// Time in `[from, to]` during which `steps` is 1.
fn exposed_time(steps: &Steps, from: SimTime, to: SimTime) -> SimDuration {
    let points = steps.points();
    let mut total = SimDuration::ZERO;
    for (i, &(start, value)) in points.iter().enumerate() {
        if value < 0.5 {
            continue;
        }
        let end = points.get(i + 1).map_or(to, |&(t, _)| t);
        let (lo, hi) = (start.max(from), end.min(to));
        if hi > lo {
            total += hi.since_start() - lo.since_start();
        }
    }
    total
}

/// The failback after `healed` (the measured disaster's heal, within the horizon); `onset` is its onset.
pub fn failback(
    finished: &Finished<'_>,
    flows: &[FlowResult],
    settled: &[Settlement],
    onset: SimTime,
    healed: SimTime,
) -> Failback {
    let sc = finished.scenario;
    let horizon = secs(finished.horizon);
    let heal = secs(healed);
    let mut time = Some(0.0f64);
    let mut failed_requests = 0.0;
    let mut downtime = 0.0f64;
    for ((index, timeline), measured) in finished.flows.iter().zip(flows) {
        let config = &sc.flows[*index];
        if !config.critical {
            continue;
        }
        let primary = failover_targets(sc, &config.entry);
        let back = served_again(timeline, primary, config.slo, heal, horizon);
        time = time.zip(back).map(|(t, b)| t.max(b - heal));
        // After the heal, once the flow had recovered from the disaster.
        let Some(rto) = measured.rto else { continue };
        let from = heal.max(secs(onset + rto));
        if from >= horizon {
            continue;
        }
        let linear = Linear::new(timeline, from, horizon);
        let served = linear.integral(from, horizon);
        failed_requests += ((horizon - from) - served).max(0.0) * config.rate_per_s;
        downtime = downtime.max(below(&linear, config.slo));
    }
    let lost_writes = settled
        .iter()
        .flat_map(|s| &s.stretches)
        .filter(|st| st.start >= healed)
        .map(|st| st.writes)
        .sum();
    Failback {
        healed,
        time: time.map(SimDuration::from_secs_f64),
        lost_writes,
        failed_requests,
        downtime: SimDuration::from_secs_f64(downtime),
    }
}

/// The number of targets per client when the flow's entry is a Route 53 failover record (target 0 is
/// the primary), else `None`.
fn failover_targets(sc: &crate::spec::Scenario, entry: &str) -> Option<usize> {
    match sc.resources.get(entry) {
        Some(Resource::Record(r)) if matches!(r.policy, RoutingPolicy::Failover { .. }) => {
            Some(r.targets().len())
        }
        _ => None,
    }
}

/// The first time in `[heal, horizon]` (seconds) at which the flow succeeds at or above `slo` with every
/// client on the primary target (when `primary` gives the targets per client), else `None`.
fn served_again(
    tl: &FlowTimeline,
    primary: Option<usize>,
    slo: f64,
    heal: f64,
    horizon: f64,
) -> Option<f64> {
    let linear = Linear::new(tl, heal, horizon);
    let on_primary = |t: f64| match primary {
        None => true,
        Some(per) => {
            let total: f64 = (0..tl.answer_share.len())
                .map(|s| tl.client_share(s, t))
                .sum();
            let first: f64 = (0..tl.answer_share.len())
                .step_by(per.max(1))
                .map(|s| tl.client_share(s, t))
                .sum();
            total <= 0.0 || first >= total - 1e-9
        }
    };
    linear
        .breaks()
        .find(|&t| tl.ratio(t) >= slo - 1e-12 && on_primary(t))
}

/// The time (seconds) `linear` spends below `slo`.
fn below(linear: &Linear, slo: f64) -> f64 {
    linear
        .pieces()
        .map(|(a, b, v, slope)| {
            let len = b - a;
            let end = v + slope * len;
            match (v < slo, end < slo) {
                (true, true) => len,
                (false, false) => 0.0,
                // Crosses the SLO inside the piece.
                (true, false) => ((slo - v) / slope).clamp(0.0, len),
                (false, true) => (len - (slo - v) / slope).clamp(0.0, len),
            }
        })
        .sum()
}
