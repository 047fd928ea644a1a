//! Measuring a finished replication: each flow's RTO from its timeline ([`rto`]), each store's RPO and
//! lost writes from its ledger, the service RTO and RPO, which disaster they are attributed to, and the RTO
//! broken into phases ([`breakdown`]). Everything comes from what happened in the run, never from adding
//! up configured durations (see `docs/measurement.md`).
//!
//! **Attribution.** With several disasters, each flow's RTO counts from the disaster that caused its last
//! outage (the latest onset the flow was healthy just before and impacted after), and each stretch of a
//! store's lost writes goes to the first disaster at or after where the stretch starts ([`rpo`]): a
//! partition's overwrites to the partition, not to a later Region outage. The pre-onset RPO keeps the
//! older rule: from the first disaster after the oldest missing write.
//!
//! **Determined.** A store's data loss is measured only when the store is back in service at the
//! horizon: every flow that reads or writes it has recovered. Otherwise its RPO is `None` ("not
//! determined"), never 0.

pub mod breakdown;
pub mod failback;
pub mod result;
pub mod rpo;
pub mod rto;
pub mod series;

use std::sync::Arc;

use crate::engine::time::SimDuration;
use crate::model::stream_name::StreamName;
use crate::world::Finished;

pub use failback::{Failback, StoreExposure};
pub use result::{Breakdown, FlowResult, Loss, RunResult, StoreResult};
pub use rto::{FlowMeasure, measure_flow};
pub use series::{FlowSeries, flow_series};

/// The measured outcome of `finished`, replication `replication` of seed `seed`. The recovery cost is
/// left at 0: pricing is the cost layer's (`crate::sweep::run_replication` adds it).
/// `name` is the scenario's name, shared by every result of a sweep.
pub fn measure(finished: Finished<'_>, seed: u64, replication: u64, name: Arc<str>) -> RunResult {
    let sc = finished.scenario;
    let horizon = finished.horizon;
    let window = sc.measure.window;
    let onsets = &finished.onsets;
    let w = window.as_secs_f64();
    let mut flows = Vec::new();
    let mut flow_onsets = Vec::new();
    for (index, timeline) in &finished.flows {
        let config = &sc.flows[*index];
        let measured = onsets
            .iter()
            .rev()
            .find_map(|&(o, i)| {
                let t = o.since_start().as_secs_f64();
                let healthy_before = t < w || timeline.integral(t - w, t) / w >= config.slo - 1e-12;
                let m = measure_flow(timeline, o, horizon, config.slo, window);
                (healthy_before && m.rto != Some(SimDuration::ZERO)).then_some((o, i, m))
            })
            .or_else(|| {
                onsets
                    .first()
                    .map(|&(o, i)| (o, i, measure_flow(timeline, o, horizon, config.slo, window)))
            });
        flow_onsets.push(measured.as_ref().map(|&(o, i, _)| (o, i)));
        let m = measured.map(|(o, i, m)| {
            // A flow that recovered before its disaster healed has that RTO: what the return to the
            // primary does to it afterwards is the failback's downtime ([`failback`]), not the RTO.
            let heal = finished
                .heals
                .iter()
                .find(|&&(d, _)| d == i)
                .map(|&(_, at)| at)
                .filter(|&h| h > o && h < horizon);
            match heal.map(|h| measure_flow(timeline, o, h, config.slo, window)) {
                Some(before) if before.rto.is_some() => FlowMeasure {
                    rto: before.rto,
                    availability: before.availability,
                    ..m
                },
                _ => m,
            }
        });
        flows.push(FlowResult {
            name: config.name.clone(),
            critical: config.critical,
            rto: m.as_ref().map_or(Some(SimDuration::ZERO), |m| m.rto),
            availability: m.as_ref().map_or(1.0, |m| m.availability),
            failed_requests: m
                .as_ref()
                .map_or(0.0, |m| m.failed_seconds * config.rate_per_s),
            worst_window: m.as_ref().map_or(1.0, |m| m.worst_window),
        });
    }
    let mut settlements = Vec::new();
    let mut stores: Vec<StoreResult> = finished
        .stores
        .iter()
        .map(|store| {
            let name = store.name().to_string();
            let mut rng = StreamName::ledger(&name).stream(&finished.streams);
            let first = onsets.first().map_or(horizon, |&(o, _)| o);
            let settled = store.settle(horizon, first, &mut rng);
            // Back in service: every flow on the store recovered within the horizon.
            let determined = finished
                .flows
                .iter()
                .zip(&flows)
                .filter(|((index, _), _)| sc.flows[*index].store.as_deref() == Some(name.as_str()))
                .all(|(_, measured)| measured.rto.is_some());
            let result = rpo::store_result(name, &settled, onsets, sc, determined);
            settlements.push(settled);
            result
        })
        .collect();
    // The service: the critical flow with the largest RTO (a non-recovery is the largest) decides.
    let worst = (0..flows.len())
        .filter(|&i| flows[i].critical)
        .max_by_key(|&i| (flows[i].rto.is_none(), flows[i].rto, std::cmp::Reverse(i)));
    let rto = match worst {
        Some(i) => flows[i].rto,
        None => Some(SimDuration::ZERO),
    };
    let measured = worst
        .and_then(|i| flow_onsets[i])
        .or_else(|| onsets.first().map(|&(o, i)| (o, i)));
    let (onset, disaster) = match measured {
        Some((o, i)) => (Some(o), Some(sc.disasters[i].name.clone())),
        None => (None, None),
    };
    let heals = measured.and_then(|(_, i)| {
        finished
            .heals
            .iter()
            .find(|&&(d, _)| d == i)
            .map(|&(_, at)| at)
    });
    // The service: the largest store figure; not determined if any store's is not.
    let worst_store = |f: fn(&StoreResult) -> Option<SimDuration>| {
        stores
            .iter()
            .map(f)
            .try_fold(SimDuration::ZERO, |worst, v| v.map(|v| worst.max(v)))
    };
    let rpo = worst_store(|s| s.rpo);
    let pre_onset_rpo = worst_store(|s| s.pre_onset_rpo);
    let lost_writes = stores.iter().map(|s| s.lost).sum();
    let (exposures, exposure) = failback::exposure(&finished, onset);
    for (store, e) in stores.iter_mut().zip(exposures) {
        store.exposure = e;
    }
    let failback = match (onset, heals) {
        (Some(o), Some(h)) if h <= horizon => {
            Some(failback::failback(&finished, &flows, &settlements, o, h))
        }
        _ => None,
    };
    let breakdown = match (onset, rto) {
        (Some(t), Some(rto)) => breakdown::breakdown(&finished, t, rto),
        _ => Breakdown::default(),
    };
    RunResult {
        scenario: name,
        seed,
        replication,
        disaster,
        onset,
        heals,
        rto,
        rpo,
        pre_onset_rpo,
        lost_writes,
        exposure,
        failback,
        breakdown,
        flows,
        stores,
        events: finished.events,
        digest: finished.digest,
        log: finished.log.into_entries(),
        usage: finished.usage,
        recovery_usd: 0.0,
    }
}
