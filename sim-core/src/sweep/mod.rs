//! Monte Carlo sweeps: many replications of one scenario, in parallel, with results independent of the
//! thread count.
//!
//! Replication `r` of scenario seed `s` draws from `RngStreams::new(s, r)`, so its result depends only on
//! `(scenario, s, r)`: the order in which threads happen to run replications cannot change it, and results
//! are collected in replication order. Two scenarios swept with the same seed share their random numbers
//! wherever they share component names (common random numbers), so their differences are paired.
//!
//! Files: `run.rs` (one replication, priced), `sample.rs` (what a sweep keeps per replication and its
//! summary), `file/` (the shard file and exact merge), `stats.rs` (percentiles, intervals, paired
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

pub use file::{MergeError, ReadError, SWEEP_FORMAT, SweepFile, fingerprint, merge, shard_range};
pub use run::{
    RunError, Runner, run_replication, run_replication_quiet, run_replication_with_series,
};
pub use sample::{Sample, SampleRow, Samples, SweepSummary};

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

/// Runs the replications of `spec` and returns their full results (step logs too when
/// [`SweepSpec::keep_logs`]), calling `progress(done)` now and then (from worker threads). Memory grows with
/// every result kept: for large sweeps use [`sweep_samples`].
pub fn sweep(
    scenario: &Scenario,
    spec: &SweepSpec,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<RunResult>, RunError> {
    let runner = Runner::new(scenario);
    let run = |r: u64| {
        let result = one(&runner, spec, r)?;
        progress(1);
        Ok(result)
    };
    in_pool(spec.threads, || {
        if spec.threads == 1 {
            spec.replications.clone().map(run).collect()
        } else {
            spec.replications.clone().into_par_iter().map(run).collect()
        }
    })
}

/// Replications run together before their results are reduced to samples: bounds what a sweep holds
/// beyond its samples, whatever its size.
const CHUNK: u64 = 4_096;

/// Runs the replications of `spec` keeping only their [`Samples`]: a sweep of a million runs holds about
/// a hundred bytes per run plus one chunk of full results. Identical to [`sweep`]'s results reduced to
/// samples, for any thread count.
pub fn sweep_samples(
    scenario: &Scenario,
    spec: &SweepSpec,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Samples, RunError> {
    let (flows, stores) = file::columns(scenario);
    let mut samples = Samples::new(flows, stores);
    let quiet = SweepSpec {
        keep_logs: false,
        ..spec.clone()
    };
    let runner = Runner::new(scenario);
    let run = |r: u64| {
        let result = one(&runner, &quiet, r)?;
        progress(1);
        Ok(result)
    };
    in_pool(spec.threads, || {
        let mut start = spec.replications.start;
        while start < spec.replications.end {
            let end = spec.replications.end.min(start.saturating_add(CHUNK));
            let chunk: Vec<RunResult> = if spec.threads == 1 {
                (start..end).map(run).collect::<Result<_, RunError>>()?
            } else {
                (start..end)
                    .into_par_iter()
                    .map(run)
                    .collect::<Result<_, RunError>>()?
            };
            for result in &chunk {
                samples.push(result);
            }
            start = end;
        }
        Ok(samples)
    })
}

/// One replication as `spec` asks for it (quiet ones keep no log).
fn one(runner: &Runner<'_>, spec: &SweepSpec, r: u64) -> Result<RunResult, RunError> {
    let mut result = runner.run(spec.seed, r, spec.disasters.as_deref(), spec.keep_logs)?;
    if !spec.keep_logs {
        result.log = Vec::new();
    }
    Ok(result)
}

/// Runs `work` on a pool of `threads` workers (0: one per core; 1: this thread).
fn in_pool<T: Send>(
    threads: usize,
    work: impl FnOnce() -> Result<T, RunError> + Send,
) -> Result<T, RunError> {
    if threads == 1 {
        return work();
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    pool.install(work)
}
