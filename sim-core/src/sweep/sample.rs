//! What a sweep keeps per replication ([`Sample`]) and the summary of many ([`SweepSummary`]).

use serde::{Deserialize, Serialize};

use crate::measure::RunResult;
use crate::spec::Scenario;
use crate::sweep::stats::Summary;

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
    /// Cost of the capacity provisioned during recovery (USD).
    #[serde(default)]
    pub recovery_usd: f64,
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
            recovery_usd: result.recovery_usd,
        }
    }
}

fn empty_summary() -> Summary {
    Summary::of(&[])
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
    /// Recovery cost per run (USD).
    #[serde(default = "empty_summary")]
    pub recovery_usd: Summary,
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
            .filter(|(_, r)| r.kind().is_store())
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
            recovery_usd: column(&|s| Some(s.recovery_usd)),
            flows,
            stores,
        }
    }
}
