//! RTO/RPO budgets: objectives checked against a sweep, with the confidence the sample allows.
//!
//! A budget says "this percentile of this metric is at most this much": service RTO p99 ≤ 15 min, RPO
//! p50 ≤ 1 s, the `checkout` flow's RTO p90 ≤ 5 min, a store's RPO. It **holds** only when the whole 95 %
//! confidence interval of the percentile is within the limit, is **breached** when the whole interval is
//! beyond it, and is **undecided** otherwise — never silently passed: the verdict says how many runs would
//! decide it. A breach names a replication that breaches, so it can be replayed
//! (the CLI prints the `drsim replay … --seed S --replication R` command).
//!
//! Text form (`--budget`): `[flow.NAME.|store.NAME.]rto|rpo:pNN<=DURATION`, e.g. `rto:p99<=15m`,
//! `rpo:p50<=1s`, `flow.checkout.rto:p90<=5m`, `store.orders-db.rpo:p99<=0s`.

mod text;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;
use crate::spec::Scenario;
pub use crate::spec::budget::{Budget, Metric};
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
    /// The measured percentile (seconds) and its 95 % interval; `None`: not recovered.
    pub measured: Estimate,
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

/// Evaluates `budget` against the samples of a sweep of `scenario`. The verdict names a breaching
/// replication; the caller knows how to replay it (the CLI prints the `drsim replay` command).
pub fn evaluate(budget: &Budget, samples: &Samples) -> Result<Verdict, BudgetError> {
    let value = column(budget, samples)?;
    let values: Vec<(u64, Option<f64>)> =
        samples.iter().map(|s| (s.replication, value(&s))).collect();
    let mut sorted: Vec<f64> = values
        .iter()
        .map(|(_, v)| v.unwrap_or(f64::INFINITY))
        .collect();
    sorted.sort_by(f64::total_cmp);
    let measured = quantile(&sorted, f64::from(budget.percentile) / 100.0);
    let limit = budget.max.as_secs_f64();
    let within = |v: Option<f64>| v.is_some_and(|v| v <= limit + 1e-9);
    let status = if samples.is_empty() {
        Status::Undecided {
            runs_needed: Some(100),
        }
    } else if within(measured.high) {
        Status::Holds
    } else if measured.low.is_none_or(|lo| lo > limit + 1e-9) {
        Status::Breached
    } else {
        Status::Undecided {
            runs_needed: runs_needed(&measured, limit, samples.len()),
        }
    };
    let breaching_replication = values
        .iter()
        .filter(|(_, v)| !within(*v))
        .max_by(|a, b| {
            a.1.unwrap_or(f64::INFINITY)
                .total_cmp(&b.1.unwrap_or(f64::INFINITY))
                .then(b.0.cmp(&a.0))
        })
        .map(|&(r, _)| r);
    let range = format!(
        "{} (95 % CI {} – {}) over {} runs",
        secs(measured.value),
        secs(measured.low),
        secs(measured.high),
        samples.len()
    );
    let message = match &status {
        Status::Holds => format!("{budget} holds: measured {range}"),
        Status::Breached => format!("{budget} is breached: measured {range}"),
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
/// // Normally `scenarios::load("my-app.ron", &[])?`; an empty scenario has nothing to lose.
/// let scenario = Scenario { name: "empty".into(), horizon: "1h".parse().unwrap(), ..Default::default() };
/// let verdict = check_budget(&scenario, 20, 1, "rto:p99<=15m").unwrap();
/// assert!(verdict.holds(), "{}", verdict.message);
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

/// A sample's value for the budget's metric and scope (seconds; `None`: not recovered), by the column's
/// name.
#[allow(clippy::type_complexity)]
fn column(
    budget: &Budget,
    samples: &Samples,
) -> Result<Box<dyn Fn(&Sample<'_>) -> Option<f64>>, BudgetError> {
    match (&budget.flow, &budget.store, budget.metric) {
        (Some(flow), _, _) => {
            let i = samples.flow_index(flow).ok_or_else(|| {
                BudgetError(format!(
                    "budget {budget}: no flow {flow:?} (flows: {})",
                    samples.flows().join(", ")
                ))
            })?;
            Ok(Box::new(move |s: &Sample<'_>| s.flow_rto_s(i)))
        }
        (_, Some(store), _) => {
            let i = samples.store_index(store).ok_or_else(|| {
                BudgetError(format!(
                    "budget {budget}: no data store {store:?} (stores: {})",
                    samples.stores().join(", ")
                ))
            })?;
            Ok(Box::new(move |s: &Sample<'_>| s.store_rpo_s(i)))
        }
        (None, None, Metric::Rto) => Ok(Box::new(|s: &Sample<'_>| s.rto_s)),
        (None, None, Metric::Rpo) => Ok(Box::new(|s: &Sample<'_>| Some(s.rpo_s))),
    }
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
            "flow.checkout.rto:p90<=5m",
            "store.orders-db.rpo:p100<=0s",
        ] {
            let b: Budget = text.parse().unwrap();
            assert_eq!(b.to_string(), text);
        }
    }

    #[test]
    fn malformed_budgets_say_what_is_wrong() {
        for (text, why) in [
            ("rto:p99<15m", "no `<=`"),
            ("rto:p0<=1m", "p1 to p100"),
            ("rto:p99<=soon", "duration"),
            ("latency:p99<=1s", "unknown metric"),
            ("flow.x.rpo:p50<=1s", "flows have an RTO"),
            ("rto<=1m", "no `:pNN`"),
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
                rpo_us: 0,
                lost_writes: 0,
                recovery_usd: 0.0,
                digest: 0,
                flow_rto_us: vec![],
                store_rpo_us: vec![],
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
}
