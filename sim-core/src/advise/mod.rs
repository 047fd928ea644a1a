//! Answers, not just numbers: hold a scenario to a resilience policy per disruption type ([`assess`]),
//! find the cheapest variant that meets budgets and the Pareto frontier of cost against p99 RTO and RPO
//! ([`explore::optimize`]), and see how much each knob moves them ([`explore::sensitivity`]).
//!
//! Everything here is measured: each figure is a sweep's percentile with its 95 % interval, every verdict
//! is a budget's ([`crate::budget::evaluate`]), and variants share their random numbers (the same seed,
//! and components keep their names), so their differences are paired. The caller builds the variants
//! (the CLI applies `--set` overrides); this layer sweeps, judges and ranks them.
//!
//! Files: `assess.rs` (disruption types, the disasters that stand for each, the verdicts), `explore.rs`
//! (variants evaluated, the frontier, racing for large grids, one-at-a-time sensitivity).

pub mod assess;
pub mod explore;

use crate::budget::{Budget, BudgetError, Verdict, evaluate};
use crate::spec::Scenario;
use crate::sweep::{RunError, Samples, SweepSpec, sweep_samples};

/// How much to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effort {
    /// The scenario seed (shared by every variant and disaster: common random numbers).
    pub seed: u64,
    /// Replications per sweep.
    pub runs: u64,
    /// Worker threads (0: one per core); results do not depend on it.
    pub threads: usize,
}

/// Why an assessment or an exploration could not be made.
#[derive(Debug)]
pub enum AdviseError {
    /// A sweep failed (the scenario does not build).
    Run(RunError),
    /// A budget cannot be judged against the scenario.
    Budget(BudgetError),
    /// The question is malformed (no variants, an unknown disaster, …).
    Input(String),
}

impl std::fmt::Display for AdviseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdviseError::Run(e) => write!(f, "{e}"),
            AdviseError::Budget(e) => write!(f, "{e}"),
            AdviseError::Input(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for AdviseError {}

impl From<RunError> for AdviseError {
    fn from(e: RunError) -> Self {
        AdviseError::Run(e)
    }
}

impl From<BudgetError> for AdviseError {
    fn from(e: BudgetError) -> Self {
        AdviseError::Budget(e)
    }
}

/// The samples of a sweep of `scenario` injecting `disasters` (`None`: its enabled ones).
fn samples(
    scenario: &Scenario,
    effort: Effort,
    disasters: Option<Vec<usize>>,
) -> Result<Samples, AdviseError> {
    let spec = SweepSpec {
        seed: effort.seed,
        replications: 0..effort.runs,
        disasters,
        threads: effort.threads,
        keep_logs: false,
    };
    Ok(sweep_samples(scenario, &spec, &|_| {})?)
}

/// The verdicts of `budgets` against `scenario`: those without a disaster against `default` (a sweep
/// of the enabled disasters), each with one against a sweep of its own disaster, as `drsim check` judges
/// them.
fn verdicts(
    scenario: &Scenario,
    budgets: &[Budget],
    default: &Samples,
    effort: Effort,
) -> Result<Vec<Verdict>, AdviseError> {
    let mut out = Vec::with_capacity(budgets.len());
    for budget in budgets {
        let verdict = match &budget.disaster {
            None => evaluate(budget, default)?,
            Some(name) => {
                let i = scenario
                    .disasters
                    .iter()
                    .position(|d| &d.name == name)
                    .ok_or_else(|| {
                        AdviseError::Input(format!(
                            "budget {budget}: {} has no disaster {name:?}",
                            scenario.name
                        ))
                    })?;
                evaluate(budget, &samples(scenario, effort, Some(vec![i]))?)?
            }
        };
        out.push(verdict);
    }
    Ok(out)
}
