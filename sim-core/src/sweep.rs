//! Monte Carlo sweeps: many replications of one scenario, in parallel, with results independent of the
//! thread count.
//!
//! Replication `r` of scenario seed `s` draws from `RngStreams::new(s, r)`, so its result depends only on
//! `(scenario, s, r)`: the order in which threads happen to run replications cannot change it, and results
//! are collected in replication order. Two scenarios swept with the same seed share their random numbers
//! wherever they share component names (common random numbers), so their differences are paired.

use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::stats::Summary;
use crate::world::config::Scenario;
use crate::world::result::RunResult;
use crate::world::run::{RunError, run_replication};

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
        let mut result = run_replication(scenario, spec.seed, r, spec.disasters.as_deref())?;
        if !spec.keep_logs {
            result.log = Vec::new();
        }
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

/// One replication reduced to the numbers a summary needs: what a shard file stores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// Replication index.
    pub replication: u64,
    /// Service RTO in seconds; `None`: not recovered within the horizon.
    pub rto_s: Option<f64>,
    /// Service RPO in seconds.
    pub rpo_s: f64,
    /// Lost writes.
    pub lost_writes: u64,
    /// Per flow: RTO in seconds (`None`: not recovered).
    pub flow_rto_s: Vec<Option<f64>>,
    /// Per store: RPO in seconds.
    pub store_rpo_s: Vec<f64>,
    /// The run's trace digest.
    pub digest: String,
}

impl Sample {
    /// The sample of one run.
    pub fn of(result: &RunResult) -> Sample {
        Sample {
            replication: result.replication,
            rto_s: result.rto.map(|d| d.as_secs_f64()),
            rpo_s: result.rpo.as_secs_f64(),
            lost_writes: result.lost_writes,
            flow_rto_s: result
                .flows
                .iter()
                .map(|f| f.rto.map(|d| d.as_secs_f64()))
                .collect(),
            store_rpo_s: result.stores.iter().map(|s| s.rpo.as_secs_f64()).collect(),
            digest: result.digest.to_string(),
        }
    }
}

/// The summary of a sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepSummary {
    /// Scenario name.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// Replications summarised.
    pub runs: usize,
    /// Service RTO (seconds).
    pub rto_s: Summary,
    /// Service RPO (seconds).
    pub rpo_s: Summary,
    /// Lost writes per run.
    pub lost_writes: Summary,
    /// Per flow: name and RTO summary.
    pub flows: Vec<(String, Summary)>,
    /// Per store: name and RPO summary.
    pub stores: Vec<(String, Summary)>,
}

impl SweepSummary {
    /// Summarises samples (in replication order) of `scenario`.
    pub fn of(scenario: &Scenario, seed: u64, samples: &[Sample]) -> SweepSummary {
        let column = |f: &dyn Fn(&Sample) -> Option<f64>| {
            Summary::of(&samples.iter().map(f).collect::<Vec<_>>())
        };
        let flows = scenario
            .flows
            .iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    f.name.clone(),
                    column(&|s| s.flow_rto_s.get(i).copied().flatten()),
                )
            })
            .collect();
        let store_names: Vec<&String> = scenario
            .resources
            .iter()
            .filter(|(_, r)| r.store().is_some())
            .map(|(n, _)| n)
            .collect();
        let stores = store_names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), column(&|s| s.store_rpo_s.get(i).copied())))
            .collect();
        SweepSummary {
            scenario: scenario.name.clone(),
            seed,
            runs: samples.len(),
            rto_s: column(&|s| s.rto_s),
            rpo_s: column(&|s| Some(s.rpo_s)),
            lost_writes: column(&|s| Some(s.lost_writes as f64)),
            flows,
            stores,
        }
    }
}
