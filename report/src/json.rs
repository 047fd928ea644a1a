//! JSON for scripts and CI: seconds as numbers, `null` for "not recovered", keys in a fixed order.
//!
//! Objects are `serde_json::Value` maps, which keep their keys sorted (serde_json without
//! `preserve_order`), so the same input always serialises to the same bytes.

use serde_json::{Value, json};
use sim_core::measure::RunResult;
use sim_core::sweep::SweepSummary;
use sim_core::sweep::stats::{Estimate, PairedDifferences, Summary};

use crate::model::Comparison;

/// One run: `scenario`, `seed`, `replication`, `disaster` and `onset_s` (`null`: no disaster within the
/// horizon), `rpo_s` (the data-loss window) and `pre_onset_rpo_s` (`null`: not determined), `rto_s`
/// (`null`: not recovered within the horizon), `lost_writes`, `exposure_s` (`null`: still exposed at the
/// horizon), `failback` (`null`: the disaster did not heal within the horizon; else `healed_s`, `time_s`
/// — `null` when clients were not back on the primary —, `lost_writes`, `failed_requests`, `downtime_s`),
/// `digest`, `events`, `breakdown` (seconds per
/// phase), `flows`, `stores` (each with `rpo_s`, `pre_onset_rpo_s`, its counts and `losses`: per
/// disaster, `window_s`, `writes`, `overwritten`), and `cost_monthly_usd` when a cost is given.
pub fn run_json(run: &RunResult, monthly_cost: Option<f64>) -> Value {
    let b = &run.breakdown;
    let mut value = json!({
        "scenario": run.scenario,
        "seed": run.seed,
        "replication": run.replication,
        "disaster": run.disaster,
        "onset_s": run.onset.map(|t| t.since_start().as_secs_f64()),
        "rpo_s": run.rpo.map(|d| d.as_secs_f64()),
        "pre_onset_rpo_s": run.pre_onset_rpo.map(|d| d.as_secs_f64()),
        "rto_s": run.rto.map(|d| d.as_secs_f64()),
        "lost_writes": run.lost_writes,
        "exposure_s": run.exposure.map(|d| d.as_secs_f64()),
        "failback": run.failback.as_ref().map(|f| json!({
            "healed_s": f.healed.since_start().as_secs_f64(),
            "time_s": f.time.map(|d| d.as_secs_f64()),
            "lost_writes": f.lost_writes,
            "failed_requests": f.failed_requests,
            "downtime_s": f.downtime.as_secs_f64(),
        })),
        "digest": run.digest.to_string(),
        "events": run.events,
        "breakdown": {
            "detection_s": b.detection.as_secs_f64(),
            "decision_s": b.decision.as_secs_f64(),
            "recovery_s": b.recovery.as_secs_f64(),
            "propagation_s": b.propagation.as_secs_f64(),
        },
        "flows": run.flows.iter().map(|f| json!({
            "name": f.name,
            "critical": f.critical,
            "rto_s": f.rto.map(|d| d.as_secs_f64()),
            "availability": f.availability,
            "worst_window": f.worst_window,
            "failed_requests": f.failed_requests,
        })).collect::<Vec<_>>(),
        "stores": run.stores.iter().map(|s| json!({
            "name": s.name,
            "rpo_s": s.rpo.map(|d| d.as_secs_f64()),
            "pre_onset_rpo_s": s.pre_onset_rpo.map(|d| d.as_secs_f64()),
            "acknowledged": s.acknowledged,
            "surviving": s.surviving,
            "lost": s.lost,
            "overwritten": s.overwritten,
            "exposure": s.exposure.as_ref().map(|e| json!({
                "window_s": e.window.as_secs_f64(),
                "open": e.open,
            })),
            "losses": s.losses.iter().map(|l| json!({
                "disaster": l.disaster,
                "window_s": l.window.as_secs_f64(),
                "writes": l.writes,
                "overwritten": l.overwritten,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    if let (Some(cost), Some(map)) = (monthly_cost, value.as_object_mut()) {
        map.insert("cost_monthly_usd".to_string(), json!(cost));
    }
    value
}

/// A summary: `n`, `p50`/`p90`/`p99`/`mean` with `*_ci: [low, high]`, `max`, `not_recovered`,
/// `not_determined` (left out of `n`). Every number may be `null` (no samples, or a percentile landing on a
/// non-recovery; a `null` bound is infinite).
pub fn summary_json(s: &Summary) -> Value {
    let ci = |e: &Estimate| json!([e.low, e.high]);
    json!({
        "n": s.n,
        "p50": s.p50.value,
        "p50_ci": ci(&s.p50),
        "p90": s.p90.value,
        "p90_ci": ci(&s.p90),
        "p99": s.p99.value,
        "p99_ci": ci(&s.p99),
        "max": s.max,
        "mean": s.mean.value,
        "mean_ci": ci(&s.mean),
        "not_recovered": s.not_recovered,
        "not_determined": s.not_determined,
    })
}

/// A sweep: `scenario`, `seed`, `runs`, `no_disaster` (runs with no disaster within the horizon, left out
/// of every summary unless `includes_no_disaster`), `rto_s`, `rpo_s` (the data-loss window),
/// `pre_onset_rpo_s`, `lost_writes` and `exposure_s` summaries, `failback` (`healed`: the runs whose
/// disaster healed, over which its `time_s`, `lost_writes` and `downtime_s` summaries are), `flows` (name, `rto_s`) and `stores` (name, `rpo_s`,
/// `pre_onset_rpo_s`).
pub fn sweep_json(summary: &SweepSummary) -> Value {
    json!({
        "scenario": summary.scenario,
        "seed": summary.seed,
        "runs": summary.runs,
        "no_disaster": summary.no_disaster,
        "includes_no_disaster": summary.includes_no_disaster,
        "rto_s": summary_json(&summary.rto_s),
        "rpo_s": summary_json(&summary.rpo_s),
        "pre_onset_rpo_s": summary_json(&summary.pre_onset_rpo_s),
        "lost_writes": summary_json(&summary.lost_writes),
        "exposure_s": summary_json(&summary.exposure_s),
        "failback": {
            "healed": summary.healed,
            "time_s": summary_json(&summary.failback_s),
            "lost_writes": summary_json(&summary.failback_lost_writes),
            "downtime_s": summary_json(&summary.failback_downtime_s),
        },
        "flows": summary.flows.iter().map(|(name, s)| json!({
            "name": name,
            "rto_s": summary_json(s),
        })).collect::<Vec<_>>(),
        "stores": summary.stores.iter().enumerate().map(|(i, (name, s))| json!({
            "name": name,
            "rpo_s": summary_json(s),
            "pre_onset_rpo_s": summary
                .stores_pre_onset_rpo
                .get(i)
                .map(|(_, p)| summary_json(p)),
        })).collect::<Vec<_>>(),
    })
}

/// Paired differences: `pairs`, `diff` (a summary of `this − baseline` over pairs where both recovered),
/// how they split, and the non-recovery counts.
fn paired_json(p: &PairedDifferences) -> Value {
    json!({
        "pairs": p.pairs,
        "diff": summary_json(&p.diff),
        "lower": p.b_lower,
        "equal": p.equal,
        "higher": p.b_higher,
        "only_baseline_not_recovered": p.only_a_not_recovered,
        "only_this_not_recovered": p.only_b_not_recovered,
        "both_not_recovered": p.both_not_recovered,
    })
}

/// A comparison: `baseline` (the first strategy's name or `null`), `strategies` (name, description,
/// `cost_monthly_usd` or `null`, `cost` (the breakdown: `monthly_usd`, `lines`, `by_resource`), `prices`
/// (which prices), and the sweep as [`sweep_json`] gives it), and `paired` (each later
/// strategy's per-replication `rto_s` and `rpo_s` differences against the baseline).
pub fn compare_json(comparison: &Comparison) -> Value {
    json!({
        "baseline": comparison.strategies.first().map(|s| &s.name),
        "strategies": comparison.strategies.iter().map(|s| json!({
            "name": s.name,
            "description": s.description,
            "cost_monthly_usd": s.monthly_cost,
            "cost": crate::cost::cost_json(&s.cost_lines),
            "prices": s.price_label,
            "sweep": sweep_json(&s.summary),
        })).collect::<Vec<_>>(),
        "paired": comparison.paired().iter().map(|p| json!({
            "baseline": p.baseline,
            "strategy": p.strategy,
            "rto_s": paired_json(&p.rto),
            "rpo_s": paired_json(&p.rpo),
        })).collect::<Vec<_>>(),
    })
}
