//! Monte Carlo sweeps: many replications of one scenario, in parallel, with results independent of the
//! thread count.
//!
//! Replication `r` of scenario seed `s` draws from `RngStreams::new(s, r)`, so its result depends only on
//! `(scenario, s, r)`: the order in which threads happen to run replications cannot change it, and results
//! are collected in replication order. Two scenarios swept with the same seed share their random numbers
//! wherever they share component names (common random numbers), so their differences are paired.
//!
//! Files: `run.rs` (one replication, priced), `sample.rs` (what a sweep keeps per replication and its
//! summary), `file.rs` (the shard file and exact merge), `stats.rs` (percentiles, intervals, paired
//! differences), `divergence.rs` (where two runs first differ).

pub mod divergence;
pub mod file;
pub mod run;
pub mod sample;
pub mod stats;

use std::ops::Range;

use rayon::prelude::*;

use crate::measure::RunResult;
use crate::spec::Scenario;

pub use file::{MergeError, SWEEP_FORMAT, SweepFile, fingerprint, merge, shard_range};
pub use run::{RunError, run_replication, run_replication_quiet};
pub use sample::{Sample, SweepSummary};

/// What to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepSpec {
    /// The scenario seed.
    pub seed: u64,
    /// The replications to run (a shard runs a sub-range).
    pub replications: Range<u64>,
    /// Indices of the disasters to inject; `None`: the scenario's enabled ones.
    pub disasters: Option<Vec<usize>>,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Keep each run's step log (replays want it; large sweeps do not).
    pub keep_logs: bool,
}

/// Runs the replications of `spec`, calling `progress(done)` now and then (from worker threads).
pub fn sweep(
    scenario: &Scenario,
    spec: &SweepSpec,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<RunResult>, RunError> {
    let run = |r: u64| {
        let result = if spec.keep_logs {
            run_replication(scenario, spec.seed, r, spec.disasters.as_deref())?
        } else {
            let mut quiet =
                run_replication_quiet(scenario, spec.seed, r, spec.disasters.as_deref())?;
            quiet.log = Vec::new();
            quiet
        };
        progress(1);
        Ok(result)
    };
    if spec.threads == 1 {
        return spec.replications.clone().map(run).collect();
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(spec.threads)
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    pool.install(|| spec.replications.clone().into_par_iter().map(run).collect())
}
