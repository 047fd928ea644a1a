//! One replication, start to finish: build the world, run it, measure it, price what recovery provisioned.

use std::fmt;
use std::sync::Arc;

use crate::cost::recovery::over_incident;
use crate::cost::{RecoveryPrices, incident_end, table_for};
use crate::engine::EngineError;
use crate::measure::{FlowSeries, RunResult, flow_series, measure};
use crate::model::{BuildError, StepLog};
use crate::runbook::Runbook;
use crate::spec::Scenario;
use crate::spec::limits::MAX_RUNBOOK_STEPS;
use crate::world::{World, compile_runbooks};

/// Why a replication could not run.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunError {
    /// The scenario does not build (see [`BuildError`]).
    Build(BuildError),
    /// The engine stopped (see [`EngineError`]).
    Engine(EngineError),
    /// The worker thread pool could not start.
    Threads(String),
    /// A runbook took more than [`MAX_RUNBOOK_STEPS`] steps in one replication: a loop in the scenario.
    Runaway {
        /// The runbook.
        runbook: String,
        /// The state it was in when stopped.
        state: String,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Build(e) => write!(f, "{e}"),
            RunError::Engine(e) => write!(f, "{e}"),
            RunError::Threads(e) => write!(f, "cannot start worker threads: {e}"),
            RunError::Runaway { runbook, state } => write!(
                f,
                "runbook {runbook:?} loops at state {state:?}: more than {MAX_RUNBOOK_STEPS} steps in one \
                 replication (a Wait of 0s back to itself, a Retry with a huge max_attempts, or a poll far \
                 longer than any recovery?)"
            ),
        }
    }
}

impl std::error::Error for RunError {}

/// The indices of the disasters injected when none are chosen: the enabled ones.
pub fn enabled_disasters(scenario: &Scenario) -> Vec<usize> {
    (0..scenario.disasters.len())
        .filter(|&i| scenario.disasters[i].enabled)
        .collect()
}

/// What a sweep prepares once for all its replications: the scenario's name (shared by every result, not
/// copied: a megabyte-long name once made a thousand runs copy a gigabyte), its enabled disasters, the
/// hourly prices of its resources and the stores whose recovery steps a quiet log keeps.
pub struct Runner<'s> {
    scenario: &'s Scenario,
    name: Arc<str>,
    enabled: Vec<usize>,
    prices: RecoveryPrices,
    stores: Vec<String>,
    /// The runbooks compiled once; `Err` when they do not compile (reported by each replication).
    books: Result<Arc<[Runbook]>, BuildError>,
}

impl<'s> Runner<'s> {
    /// Prepares `scenario`.
    pub fn new(scenario: &'s Scenario) -> Runner<'s> {
        Runner {
            scenario,
            name: Arc::from(scenario.name.as_str()),
            enabled: enabled_disasters(scenario),
            prices: RecoveryPrices::new(scenario, &table_for(scenario).0),
            stores: crate::sweep::file::columns(scenario).1,
            books: compile_runbooks(scenario),
        }
    }

    /// Runs replication `replication` of `seed` with the disasters `active` (`None`: the enabled ones),
    /// narrating its log when `narrate`; measured and priced.
    pub fn run(
        &self,
        seed: u64,
        replication: u64,
        active: Option<&[usize]>,
        narrate: bool,
    ) -> Result<RunResult, RunError> {
        let log = if narrate {
            StepLog::new()
        } else {
            StepLog::for_breakdown(self.stores.clone())
        };
        let finished = self.world(seed, replication, active, log, false)?;
        Ok(self.measured(finished, seed, replication))
    }

    /// As [`Runner::run`] narrating, plus each flow's success ratio over time (for the HTML replay).
    pub fn run_with_series(
        &self,
        seed: u64,
        replication: u64,
        active: Option<&[usize]>,
    ) -> Result<(RunResult, Vec<FlowSeries>), RunError> {
        let finished = self.world(seed, replication, active, StepLog::new(), false)?;
        let series = flow_series(&finished);
        Ok((self.measured(finished, seed, replication), series))
    }

    /// `finished` measured and priced.
    fn measured(
        &self,
        finished: crate::world::Finished<'_>,
        seed: u64,
        replication: u64,
    ) -> RunResult {
        let mut result = measure(finished, seed, replication, self.name.clone());
        if !result.usage.is_empty() {
            let end = incident_end(self.scenario, result.onset, result.heals);
            over_incident(&mut result.usage, end);
            result.recovery_usd = self.prices.cost(&result.usage);
        }
        result
    }

    /// Builds and runs replication `replication`, keeping its event trace when `record`; not measured.
    pub fn world(
        &self,
        seed: u64,
        replication: u64,
        active: Option<&[usize]>,
        log: StepLog,
        record: bool,
    ) -> Result<crate::world::Finished<'s>, RunError> {
        let active = active.unwrap_or(&self.enabled);
        let books = self
            .books
            .as_ref()
            .map_err(|e| RunError::Build(e.clone()))?;
        let mut world = World::build_with(self.scenario, books, seed, replication, active)
            .map_err(RunError::Build)?;
        world.set_log(log);
        let finished = world.run(record).map_err(RunError::Engine)?;
        match &finished.runaway {
            Some((runbook, state)) => Err(RunError::Runaway {
                runbook: runbook.clone(),
                state: state.clone(),
            }),
            None => Ok(finished),
        }
    }
}

/// Runs one replication of `scenario` with the disasters `active` (indices; `None`: the enabled ones),
/// narrating its step log. (Sweeps prepare a [`Runner`] once instead.)
pub fn run_replication(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    active: Option<&[usize]>,
) -> Result<RunResult, RunError> {
    Runner::new(scenario).run(seed, replication, active, true)
}

/// As [`run_replication`], plus each flow's success ratio over time ([`FlowSeries`]): what a replay page
/// draws. Same events, results and digest as [`run_replication`].
pub fn run_replication_with_series(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    active: Option<&[usize]>,
) -> Result<(RunResult, Vec<FlowSeries>), RunError> {
    Runner::new(scenario).run_with_series(seed, replication, active)
}

/// As [`run_replication`], but the step log keeps no text and only what the breakdown reads: same events,
/// same results and digest.
pub fn run_replication_quiet(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    active: Option<&[usize]>,
) -> Result<RunResult, RunError> {
    Runner::new(scenario).run(seed, replication, active, false)
}
