//! `drsim optimize` and `drsim sensitivity`: variants of a design swept under common random numbers and
//! compared on monthly cost, p99 RTO and p99 RPO.
//!
//! **Optimize.** Every combination of the knobs' values is a variant. Up to [`GRID_LIMIT`] variants are
//! each swept with the full number of runs (a grid). Above it, the search **races**: every variant is
//! first swept with an eighth of the runs (at least [`MIN_SCREEN_RUNS`]); a variant that already breaches
//! a budget with confidence is out, and only the others are swept again with all the runs. A budget is
//! judged with its 95 % interval ([`crate::budget::evaluate`]), so a variant is dropped only on evidence.
//! A variant is **feasible** when every budget holds with confidence; the **cheapest** feasible one is the
//! answer (ties go to the lower p99 RTO, then p99 RPO, then the first listed). The **Pareto frontier** is
//! the set of variants no other is at least as good as on all of cost, p99 RTO and p99 RPO and better on
//! one (a run that never recovers counts as +∞).
//!
//! **Sensitivity.** Around the current design, each knob is moved alone to each of its values (one at a
//! time); the change of p99 RTO, p99 RPO and cost against the design itself is the knob's effect, and
//! the spread of those changes its swing (the tornado chart's bar).

use serde::{Deserialize, Serialize};

use crate::advise::{AdviseError, Effort, samples, verdicts};
use crate::budget::{Budget, Status, Verdict};
use crate::cost::{steady_state, table_for};
use crate::spec::Scenario;
use crate::sweep::SweepSummary;
use crate::sweep::stats::Estimate;

/// Variants swept with every run; a larger grid races.
pub const GRID_LIMIT: usize = 32;
/// The fewest runs a racing screen uses.
pub const MIN_SCREEN_RUNS: u64 = 50;

/// A variant to evaluate: the knob settings that make it (`(path, value)`, for people and for `--set`)
/// and the scenario they give.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// `(path, value)` per knob.
    pub settings: Vec<(String, String)>,
    /// The scenario with them applied.
    pub scenario: Scenario,
}

/// A variant's measurement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluated {
    /// `(path, value)` per knob.
    pub settings: Vec<(String, String)>,
    /// Steady-state cost, USD per month.
    pub monthly_usd: f64,
    /// Mean cost of what recovery started, USD per run.
    pub recovery_usd: Option<f64>,
    /// p99 of the service RTO, seconds, with its 95 % interval.
    pub rto_p99: Estimate,
    /// p99 of the data-loss window, seconds, with its 95 % interval.
    pub rpo_p99: Estimate,
    /// Replications behind these figures.
    pub runs: u64,
    /// The budgets' verdicts (empty for sensitivity).
    pub verdicts: Vec<Verdict>,
    /// Every budget holds with confidence.
    pub feasible: bool,
    /// On the Pareto frontier of cost, p99 RTO and p99 RPO.
    pub frontier: bool,
}

/// How the variants were searched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Search {
    /// Every variant with every run.
    Grid,
    /// Every variant screened with `screen_runs`; the `finalists` not breached then, with every run.
    Racing {
        /// Runs of the screen.
        screen_runs: u64,
        /// Variants swept again with every run.
        finalists: usize,
    },
}

/// What to minimise among the feasible variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Objective {
    /// Monthly cost.
    Cost,
    /// p99 RTO.
    Rto,
    /// p99 RPO.
    Rpo,
}

/// An optimisation's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Optimization {
    /// The scenario.
    pub scenario: String,
    /// Seed and full runs per variant.
    pub seed: u64,
    /// Runs per variant (finalists, when racing).
    pub runs: u64,
    /// The budgets every feasible variant meets.
    pub budgets: Vec<Budget>,
    /// How the variants were searched.
    pub search: Search,
    /// What was minimised.
    pub objective: Objective,
    /// Every variant, in the order given (knob values in the order listed).
    pub variants: Vec<Evaluated>,
    /// Index of the best feasible variant, if any.
    pub best: Option<usize>,
}

/// One knob's effect around the design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnobEffect {
    /// The knob's path.
    pub path: String,
    /// The design moved to each of its values, alone.
    pub values: Vec<Evaluated>,
    /// `(lowest, highest)` change of p99 RTO against the design, seconds (`None`: a value never recovers).
    pub rto_swing: (Option<f64>, Option<f64>),
    /// The same for p99 RPO.
    pub rpo_swing: (Option<f64>, Option<f64>),
    /// The same for monthly cost, USD.
    pub cost_swing: (f64, f64),
}

/// A sensitivity analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    /// The scenario.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// Runs per variant.
    pub runs: u64,
    /// The design as it is.
    pub base: Evaluated,
    /// Each knob, largest p99 RTO swing first.
    pub knobs: Vec<KnobEffect>,
}

/// Sweeps `candidate` with `effort` and judges `budgets`.
pub fn evaluate_one(
    candidate: &Candidate,
    budgets: &[Budget],
    effort: Effort,
) -> Result<Evaluated, AdviseError> {
    let sc = &candidate.scenario;
    let samples = samples(sc, effort, None)?;
    let summary = SweepSummary::of(&sc.name, effort.seed, &samples);
    let verdicts = verdicts(sc, budgets, &samples, effort)?;
    let (table, _) = table_for(sc);
    Ok(Evaluated {
        settings: candidate.settings.clone(),
        monthly_usd: steady_state(sc, &table).monthly_usd,
        recovery_usd: summary.recovery_usd.mean.value,
        rto_p99: summary.rto_s.p99,
        rpo_p99: summary.rpo_s.p99,
        runs: effort.runs,
        feasible: verdicts.iter().all(Verdict::holds),
        verdicts,
        frontier: false,
    })
}

/// Finds the best variant meeting every budget, and the Pareto frontier.
pub fn optimize(
    scenario: &str,
    candidates: &[Candidate],
    budgets: &[Budget],
    objective: Objective,
    effort: Effort,
) -> Result<Optimization, AdviseError> {
    if candidates.is_empty() {
        return Err(AdviseError::Input("no variants to evaluate".into()));
    }
    let (search, mut variants) = if candidates.len() <= GRID_LIMIT {
        let all = candidates
            .iter()
            .map(|c| evaluate_one(c, budgets, effort))
            .collect::<Result<Vec<_>, _>>()?;
        (Search::Grid, all)
    } else {
        let screen_runs = (effort.runs / 8).max(MIN_SCREEN_RUNS).min(effort.runs);
        let screen = Effort {
            runs: screen_runs,
            ..effort
        };
        let mut all = Vec::with_capacity(candidates.len());
        let mut finalists = 0;
        for c in candidates {
            let first = evaluate_one(c, budgets, screen)?;
            let out = first.verdicts.iter().any(|v| v.status == Status::Breached);
            if out || screen_runs == effort.runs {
                all.push(first);
            } else {
                finalists += 1;
                all.push(evaluate_one(c, budgets, effort)?);
            }
        }
        (
            Search::Racing {
                screen_runs,
                finalists,
            },
            all,
        )
    };
    mark_frontier(&mut variants);
    let best = best(&variants, objective);
    Ok(Optimization {
        scenario: scenario.to_string(),
        seed: effort.seed,
        runs: effort.runs,
        budgets: budgets.to_vec(),
        search,
        objective,
        variants,
        best,
    })
}

/// A point estimate, +∞ when not recovered (or no runs).
fn value(e: &Estimate) -> f64 {
    e.value.unwrap_or(f64::INFINITY)
}

/// The variant's `(cost, p99 RTO, p99 RPO)`.
fn point(v: &Evaluated) -> [f64; 3] {
    [v.monthly_usd, value(&v.rto_p99), value(&v.rpo_p99)]
}

/// Marks the variants no other dominates.
fn mark_frontier(variants: &mut [Evaluated]) {
    let points: Vec<[f64; 3]> = variants.iter().map(point).collect();
    for (i, v) in variants.iter_mut().enumerate() {
        let a = points[i];
        v.frontier = !points.iter().enumerate().any(|(j, b)| {
            j != i && b.iter().zip(&a).all(|(b, a)| b <= a) && b.iter().zip(&a).any(|(b, a)| b < a)
        });
    }
}

/// The best feasible variant for `objective`, ties broken by the other figures, then by order.
fn best(variants: &[Evaluated], objective: Objective) -> Option<usize> {
    let key = |v: &Evaluated| {
        let [cost, rto, rpo] = point(v);
        match objective {
            Objective::Cost => [cost, rto, rpo],
            Objective::Rto => [rto, cost, rpo],
            Objective::Rpo => [rpo, cost, rto],
        }
    };
    variants
        .iter()
        .enumerate()
        .filter(|(_, v)| v.feasible)
        .min_by(|(i, a), (j, b)| {
            let (ka, kb) = (key(a), key(b));
            ka.iter()
                .zip(&kb)
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or_else(|| i.cmp(j))
        })
        .map(|(i, _)| i)
}

/// `x − base`, `None` when either is not recovered.
fn delta(x: &Estimate, base: &Estimate) -> Option<f64> {
    Some(x.value? - base.value?)
}

/// The `(lowest, highest)` of changes, `None` at an end reached by a value that never recovers.
fn swing(changes: &[Option<f64>]) -> (Option<f64>, Option<f64>) {
    if changes.is_empty() {
        return (Some(0.0), Some(0.0));
    }
    let known: Vec<f64> = changes.iter().flatten().copied().collect();
    let low = known.iter().copied().fold(f64::INFINITY, f64::min);
    let high = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let unknown = known.len() < changes.len();
    (
        (!known.is_empty()).then_some(low.min(0.0)),
        (!unknown && !known.is_empty()).then_some(high.max(0.0)),
    )
}

/// Each knob moved alone around `base` (`knobs`: a path and the design with each of its values).
pub fn sensitivity(
    base: &Candidate,
    knobs: &[(String, Vec<Candidate>)],
    effort: Effort,
) -> Result<Sensitivity, AdviseError> {
    let base_eval = evaluate_one(base, &[], effort)?;
    let mut effects = Vec::with_capacity(knobs.len());
    for (path, values) in knobs {
        let values = values
            .iter()
            .map(|c| evaluate_one(c, &[], effort))
            .collect::<Result<Vec<_>, _>>()?;
        let rto: Vec<Option<f64>> = values
            .iter()
            .map(|v| delta(&v.rto_p99, &base_eval.rto_p99))
            .collect();
        let rpo: Vec<Option<f64>> = values
            .iter()
            .map(|v| delta(&v.rpo_p99, &base_eval.rpo_p99))
            .collect();
        let costs: Vec<f64> = values
            .iter()
            .map(|v| v.monthly_usd - base_eval.monthly_usd)
            .collect();
        effects.push(KnobEffect {
            path: path.clone(),
            rto_swing: swing(&rto),
            rpo_swing: swing(&rpo),
            cost_swing: (
                costs.iter().copied().fold(0.0, f64::min),
                costs.iter().copied().fold(0.0, f64::max),
            ),
            values,
        });
    }
    // The largest RTO swing first (an end that never recovers is the largest), then by path.
    let width = |k: &KnobEffect| match k.rto_swing {
        (Some(lo), Some(hi)) => hi - lo,
        _ => f64::INFINITY,
    };
    effects.sort_by(|a, b| {
        width(b)
            .total_cmp(&width(a))
            .then_with(|| a.path.cmp(&b.path))
    });
    Ok(Sensitivity {
        scenario: base.scenario.name.clone(),
        seed: effort.seed,
        runs: effort.runs,
        base: base_eval,
        knobs: effects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(cost: f64, rto: f64, rpo: Option<f64>, feasible: bool) -> Evaluated {
        let e = |v: Option<f64>| Estimate {
            value: v,
            low: v,
            high: v,
        };
        Evaluated {
            settings: Vec::new(),
            monthly_usd: cost,
            recovery_usd: None,
            rto_p99: e(Some(rto)),
            rpo_p99: e(rpo),
            runs: 1,
            verdicts: Vec::new(),
            feasible,
            frontier: false,
        }
    }

    #[test]
    fn the_frontier_keeps_the_undominated_and_the_best_is_the_cheapest_feasible() {
        let mut v = vec![
            at(100.0, 600.0, Some(1.0), false),
            at(200.0, 300.0, Some(1.0), true),
            at(250.0, 300.0, Some(1.0), true), // dominated by the second
            at(400.0, 60.0, Some(1.0), true),
            at(500.0, 60.0, None, true), // never determined: dominated
        ];
        mark_frontier(&mut v);
        let on: Vec<bool> = v.iter().map(|e| e.frontier).collect();
        assert_eq!(on, [true, true, false, true, false]);
        assert_eq!(best(&v, Objective::Cost), Some(1));
        assert_eq!(best(&v, Objective::Rto), Some(3));
        assert_eq!(swing(&[Some(-5.0), Some(10.0)]), (Some(-5.0), Some(10.0)));
        assert_eq!(swing(&[Some(3.0), None]), (Some(0.0), None));
    }
}
