//! RTO/RPO budgets: objectives checked against a sweep, with the confidence the sample allows.
//!
//! A budget says "this percentile of this metric is at most this much": service RTO p99 ≤ 15 min, RPO
//! (the data-loss window) p50 ≤ 1 s, the `checkout` flow's RTO p90 ≤ 5 min, a store's RPO or pre-onset
//! RPO, lost writes p99 ≤ 100. It **holds** only when the whole 95 % confidence interval of the percentile
//! is within the limit, is **breached** when the whole interval is beyond it, and is **undecided**
//! otherwise — never silently passed: the verdict says how many runs would decide it. A breach names a
//! replication that breaches, so it can be replayed (the CLI prints the `drsim replay … --seed S
//! --replication R` command).
//!
//! **Which runs.** Runs with no disaster within the horizon are left out (they measure no recovery), and
//! so are runs whose RPO is not determined (the store was not back in service at the horizon) for RPO
//! budgets; the verdict says how many. A run that did not recover counts as +∞ for an RTO budget.
//!
//! Text form (`--budget`): `[flow.NAME.|store.NAME.]METRIC:pNN[.N]<=LIMIT`, e.g. `rto:p99<=15m`,
//! `rpo:p50<=1s`, `rpo:p99.9<=1m`, `flow.checkout.rto:p90<=5m`, `store.orders-db.pre_onset_rpo:p99<=0s`,
//! `lost_writes:p99<=100`; keywords are case-insensitive.

mod text;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;
use crate::spec::Scenario;
pub use crate::spec::budget::{Budget, Limit, Metric, Percentile};
use crate::sweep::stats::{Estimate, quantile};
use crate::sweep::{Sample, Samples};

/// Whether a budget holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Status {
    /// The whole confidence interval is within the limit.
    Holds,
    /// The whole confidence interval is beyond the limit.
    Breached,
    /// The interval straddles the limit: too few runs to decide.
    Undecided {
        /// About how many runs would decide it (`None`: the estimate sits on the limit).
        runs_needed: Option<u64>,
    },
}

/// A budget's verdict against a sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The budget.
    pub budget: Budget,
    /// The verdict.
    pub status: Status,
    /// The measured percentile and its 95 % interval, in the metric's unit (seconds, or writes); `None`:
    /// not recovered (or no runs to judge).
    pub measured: Estimate,
    /// Runs judged (after leaving out those below).
    #[serde(default)]
    pub runs: usize,
    /// Runs left out: no disaster within the horizon.
    #[serde(default)]
    pub no_disaster: usize,
    /// Runs left out: the RPO was not determined.
    #[serde(default)]
    pub not_determined: usize,
    /// A replication whose value exceeds the limit, if any (the largest).
    pub breaching_replication: Option<u64>,
    /// A sentence for people: what was measured, against what, and what to do.
    pub message: String,
}

impl Verdict {
    /// Whether the budget holds with confidence.
    pub fn holds(&self) -> bool {
        self.status == Status::Holds
    }
}

/// Why a budget cannot be evaluated against a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetError(pub String);

impl fmt::Display for BudgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BudgetError {}

/// Seconds for people: `850ms`, `12.3s`, `4m05s`, `1h23m` (or "not recovered").
fn secs(v: Option<f64>) -> String {
    let Some(s) = v else {
        return "not recovered".to_string();
    };
    let rounded = if s < 1.0 {
        SimDuration::from_millis((s * 1000.0).round() as u64)
    } else if s < 60.0 {
        SimDuration::from_millis((s * 10.0).round() as u64 * 100)
    } else if s < 3600.0 {
        SimDuration::from_secs(s.round() as u64)
    } else {
        SimDuration::from_mins((s / 60.0).round() as u64)
    };
    rounded.to_string()
}

/// A count of writes for people: `120 writes` (or "not recovered").
fn writes(v: Option<f64>) -> String {
    v.map_or_else(|| "not recovered".to_string(), |w| format!("{w:.0} writes"))
}

/// One run as a budget judges it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Judged {
    /// A value in the metric's unit.
    Value(f64),
    /// Not recovered within the horizon: +∞.
    NotRecovered,
    /// Not determined: left out.
    NotDetermined,
}

/// Evaluates `budget` against the samples of a sweep of `scenario`. The verdict names a breaching
/// replication; the caller knows how to replay it (the CLI prints the `drsim replay` command).
pub fn evaluate(budget: &Budget, samples: &Samples) -> Result<Verdict, BudgetError> {
    if let Some(why) = budget.problem() {
        return Err(BudgetError(format!("budget {budget}: {why}")));
    }
    let value = column(budget, samples)?;
    let no_disaster = samples.iter().filter(|s| s.no_disaster).count();
    let judged: Vec<(u64, Judged)> = samples
        .iter()
        .filter(|s| !s.no_disaster)
        .map(|s| (s.replication, value(&s)))
        .collect();
    let not_determined = judged
        .iter()
        .filter(|(_, j)| *j == Judged::NotDetermined)
        .count();
    let values: Vec<(u64, f64)> = judged
        .iter()
        .filter_map(|&(r, j)| match j {
            Judged::Value(v) => Some((r, v)),
            Judged::NotRecovered => Some((r, f64::INFINITY)),
            Judged::NotDetermined => None,
        })
        .collect();
    let mut sorted: Vec<f64> = values.iter().map(|&(_, v)| v).collect();
    sorted.sort_by(f64::total_cmp);
    let measured = quantile(&sorted, budget.percentile.fraction());
    let limit = budget.max.value();
    let within = |v: Option<f64>| v.is_some_and(|v| v <= limit + 1e-9);
    let status = if values.is_empty() {
        Status::Undecided {
            runs_needed: Some(100),
        }
    } else if within(measured.high) {
        Status::Holds
    } else if measured.low.is_none_or(|lo| lo > limit + 1e-9) {
        Status::Breached
    } else {
        Status::Undecided {
            runs_needed: runs_needed(&measured, limit, values.len()),
        }
    };
    let breaching_replication = values
        .iter()
        .filter(|&&(_, v)| !within(Some(v).filter(|v| v.is_finite())))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|&(r, _)| r);
    let show: fn(Option<f64>) -> String = if budget.metric.counts_writes() {
        writes
    } else {
        secs
    };
    let mut range = format!(
        "{} (95 % CI {} – {}) over {} runs",
        show(measured.value),
        show(measured.low),
        show(measured.high),
        values.len()
    );
    let left_out: Vec<String> = [
        (no_disaster, "with no disaster within the horizon"),
        (not_determined, "whose RPO is not determined"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, why)| format!("{n} {why}"))
    .collect();
    if !left_out.is_empty() {
        range.push_str(&format!(" (left out: {})", left_out.join(", ")));
    }
    let message = match &status {
        Status::Holds => format!("{budget} holds: measured {range}"),
        Status::Breached => format!("{budget} is breached: measured {range}"),
        Status::Undecided { .. } if values.is_empty() => format!(
            "{budget} is undecided: no runs to judge it by{}",
            if left_out.is_empty() {
                String::new()
            } else {
                format!(" (left out: {})", left_out.join(", "))
            }
        ),
        Status::Undecided { runs_needed } => {
            let more =
                runs_needed.map_or("many more runs".to_string(), |n| format!("about {n} runs"));
            format!(
                "{budget} is undecided: measured {range}; the interval straddles the limit, {more} would decide it"
            )
        }
    };
    Ok(Verdict {
        budget: budget.clone(),
        status,
        measured,
        runs: values.len(),
        no_disaster,
        not_determined,
        breaching_replication,
        message,
    })
}

/// Sweeps `runs` replications of `scenario` with `seed` and evaluates one budget in its text form
/// (`rto:p99<=15m`): the one call a Rust user's own `#[test]` needs. A budget's `disaster`, if it names
/// one, is injected alone; otherwise the scenario's enabled disasters are. Errors: a malformed budget, a
/// flow or store the scenario does not have, an unknown disaster, or a run that fails.
///
/// ```
/// use sim_core::budget::check_budget;
/// use sim_core::spec::Scenario;
///
/// // Normally `scenarios::load("my-app.ron", &[])?`. An empty scenario has no disaster, so no run says
/// // anything about recovery: the budget is undecided, never silently held.
/// let scenario = Scenario { name: "empty".into(), horizon: "1h".parse().unwrap(), ..Default::default() };
/// let verdict = check_budget(&scenario, 20, 1, "rto:p99<=15m").unwrap();
/// assert!(!verdict.holds(), "{}", verdict.message);
/// assert_eq!((verdict.runs, verdict.no_disaster), (0, 20));
/// assert!(check_budget(&scenario, 20, 1, "rto:p99<15m").is_err());
/// ```
pub fn check_budget(
    scenario: &Scenario,
    runs: u64,
    seed: u64,
    budget: &str,
) -> Result<Verdict, BudgetError> {
    let budget: Budget = budget.parse().map_err(BudgetError)?;
    let disasters = match &budget.disaster {
        None => None,
        Some(name) => Some(vec![
            scenario
                .disasters
                .iter()
                .position(|d| d.name == *name)
                .ok_or_else(|| BudgetError(format!("budget {budget}: no disaster {name:?}")))?,
        ]),
    };
    let spec = crate::sweep::SweepSpec {
        seed,
        replications: 0..runs,
        disasters,
        threads: 0,
        keep_logs: false,
    };
    let samples = crate::sweep::sweep_samples(scenario, &spec, &|_| {})
        .map_err(|e| BudgetError(format!("budget {budget}: the sweep failed: {e}")))?;
    evaluate(&budget, &samples)
}

/// A sample's value for the budget's metric and scope, by the column's name.
#[allow(clippy::type_complexity)]
fn column(
    budget: &Budget,
    samples: &Samples,
) -> Result<Box<dyn Fn(&Sample<'_>) -> Judged>, BudgetError> {
    let rto = |v: Option<f64>| v.map_or(Judged::NotRecovered, Judged::Value);
    let rpo = |v: Option<f64>| v.map_or(Judged::NotDetermined, Judged::Value);
    let store = |name: &str| {
        samples.store_index(name).ok_or_else(|| {
            BudgetError(format!(
                "budget {budget}: no data store {name:?} (stores: {})",
                samples.stores().join(", ")
            ))
        })
    };
    Ok(match (&budget.flow, &budget.store, budget.metric) {
        (Some(flow), _, _) => {
            let i = samples.flow_index(flow).ok_or_else(|| {
                BudgetError(format!(
                    "budget {budget}: no flow {flow:?} (flows: {})",
                    samples.flows().join(", ")
                ))
            })?;
            Box::new(move |s: &Sample<'_>| rto(s.flow_rto_s(i)))
        }
        (_, Some(name), Metric::PreOnsetRpo) => {
            let i = store(name)?;
            Box::new(move |s: &Sample<'_>| rpo(s.store_pre_onset_rpo_s(i)))
        }
        (_, Some(name), _) => {
            let i = store(name)?;
            Box::new(move |s: &Sample<'_>| rpo(s.store_rpo_s(i)))
        }
        (None, None, Metric::Rto) => Box::new(move |s: &Sample<'_>| rto(s.rto_s)),
        (None, None, Metric::Rpo) => Box::new(move |s: &Sample<'_>| rpo(s.rpo_s)),
        (None, None, Metric::PreOnsetRpo) => Box::new(move |s: &Sample<'_>| rpo(s.pre_onset_rpo_s)),
        (None, None, Metric::LostWrites) => {
            Box::new(|s: &Sample<'_>| Judged::Value(s.lost_writes as f64))
        }
        // Still exposed at the horizon is +∞, like a flow not recovered; unmeasured (an old file) is left
        // out.
        (None, None, Metric::Exposure) => Box::new(move |s: &Sample<'_>| {
            if s.exposure_measured {
                rto(s.exposure_s)
            } else {
                Judged::NotDetermined
            }
        }),
        // Failback figures are over the runs whose disaster healed; the others are left out.
        (None, None, Metric::Failback) => Box::new(move |s: &Sample<'_>| {
            s.failback.map_or(Judged::NotDetermined, |f| rto(f.time_s))
        }),
        (None, None, Metric::FailbackDowntime) => Box::new(|s: &Sample<'_>| {
            s.failback
                .map_or(Judged::NotDetermined, |f| Judged::Value(f.downtime_s))
        }),
        (None, None, Metric::FailbackLostWrites) => Box::new(|s: &Sample<'_>| {
            s.failback.map_or(Judged::NotDetermined, |f| {
                Judged::Value(f.lost_writes as f64)
            })
        }),
    })
}

/// Runs needed for the interval to clear the limit: the half-width shrinks as 1/√n.
fn runs_needed(measured: &Estimate, limit: f64, n: usize) -> Option<u64> {
    let (value, low, high) = (
        measured.value?,
        measured.low?,
        measured.high.unwrap_or(f64::INFINITY),
    );
    let half = if value > limit {
        value - low
    } else {
        high - value
    };
    let gap = (value - limit).abs();
    if gap < 1e-9 || !half.is_finite() {
        return None;
    }
    Some(
        ((n as f64) * (half / gap).powi(2))
            .ceil()
            .max(n as f64 + 1.0)
            .min(1e9) as u64,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_text_form() {
        for text in [
            "rto:p99<=15m",
            "rpo:p50<=1s",
            "rpo:p99.9<=1m",
            "flow.checkout.rto:p90<=5m",
            "store.orders-db.rpo:p100<=0s",
            "store.orders-db.pre_onset_rpo:p0.1<=1s",
            "pre_onset_rpo:p99<=1s",
            "lost_writes:p99<=100",
        ] {
            let b: Budget = text.parse().unwrap();
            assert_eq!(b.to_string(), text);
        }
    }

    #[test]
    fn keywords_are_case_insensitive_and_names_are_not() {
        for (text, normal) in [
            ("RTO:P99<=15m", "rto:p99<=15m"),
            ("Flow.Checkout.Rto:P90<=5m", "flow.Checkout.rto:p90<=5m"),
            ("LOST-WRITES:p99.9<=10", "lost_writes:p99.9<=10"),
            (
                "Store.DB.Pre_Onset_RPO:p50<=1s",
                "store.DB.pre_onset_rpo:p50<=1s",
            ),
        ] {
            assert_eq!(text.parse::<Budget>().unwrap().to_string(), normal);
        }
    }

    #[test]
    fn malformed_budgets_say_what_is_wrong() {
        for (text, why) in [
            ("rto:p99<15m", "no `<=`"),
            ("rto:p0<=1m", "outside 0.1 to 100"),
            ("rto:p255<=1m", "outside 0.1 to 100"),
            ("rto:p100.1<=1m", "outside 0.1 to 100"),
            ("rto:p99.95<=1m", "more than one decimal"),
            ("rto:99<=1m", "not a percentile"),
            ("rto:p99<=soon", "duration"),
            ("latency:p99<=1s", "unknown metric"),
            ("flow.x.rpo:p50<=1s", "flows have an RTO"),
            ("rto<=1m", "no `:pNN`"),
            ("lost_writes:p99<=1m", "whole number"),
            ("store.db.lost_writes:p99<=10", "scope is not supported"),
        ] {
            let e = text.parse::<Budget>().unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
    }

    fn samples(values: &[Option<f64>]) -> Samples {
        let mut samples = Samples::new(Vec::new(), Vec::new());
        for (i, &v) in values.iter().enumerate() {
            samples.push_row(crate::sweep::SampleRow {
                replication: i as u64,
                rto_us: v.map(|s| SimDuration::from_secs_f64(s).as_micros()),
                rpo_us: v.map(|s| SimDuration::from_secs_f64(s).as_micros()),
                lost_writes: v.map_or(0, |s| s as u64),
                ..Default::default()
            });
        }
        samples
    }

    #[test]
    fn holds_breached_and_undecided() {
        let values: Vec<Option<f64>> = (1..=1000).map(|i| Some(f64::from(i))).collect();
        let v = |b: &str| evaluate(&b.parse().unwrap(), &samples(&values)).unwrap();
        assert_eq!(v("rto:p50<=10m").status, Status::Holds);
        let breached = v("rto:p50<=5m");
        assert_eq!(breached.status, Status::Breached);
        assert_eq!(breached.breaching_replication, Some(999));
        // The library names the replication; how to replay it is the caller's (the CLI's) business.
        assert!(
            !breached.message.contains("drsim replay"),
            "{}",
            breached.message
        );
        let undecided = v("rto:p50<=490s");
        assert!(
            matches!(undecided.status, Status::Undecided { runs_needed: Some(n) } if n > 1000),
            "{undecided:?}"
        );
        let not_recovered = evaluate(
            &"rto:p50<=1h".parse().unwrap(),
            &samples(&[None, None, None]),
        )
        .unwrap();
        assert_eq!(not_recovered.status, Status::Breached);
    }

    #[test]
    fn runs_with_no_disaster_or_no_determined_rpo_are_left_out_and_said_so() {
        let mut samples = samples(&[Some(10.0), Some(20.0), None, Some(30.0)]);
        samples.push_row(crate::sweep::SampleRow {
            replication: 4,
            no_disaster: true,
            rto_us: Some(0),
            rpo_us: Some(0),
            ..Default::default()
        });
        let rpo = evaluate(&"rpo:p100<=25s".parse().unwrap(), &samples).unwrap();
        assert_eq!((rpo.runs, rpo.no_disaster, rpo.not_determined), (3, 1, 1));
        assert_eq!(rpo.measured.value, Some(30.0));
        assert!(
            rpo.message
                .contains("1 with no disaster within the horizon"),
            "{}",
            rpo.message
        );
        assert!(
            rpo.message.contains("1 whose RPO is not determined"),
            "{}",
            rpo.message
        );
        // RTO counts the non-recovery as +∞ and leaves out only the run with no disaster.
        let rto = evaluate(&"rto:p100<=1h".parse().unwrap(), &samples).unwrap();
        assert_eq!((rto.runs, rto.status.clone()), (4, Status::Breached));
        assert_eq!(rto.breaching_replication, Some(2));
        let lost = evaluate(&"lost_writes:p50<=25".parse().unwrap(), &samples).unwrap();
        assert_eq!(lost.measured.value, Some(10.0), "{}", lost.message);
        assert!(lost.message.contains("10 writes"), "{}", lost.message);
    }
}
