//! What a sweep keeps of each replication, stored column by column ([`Samples`]), and the summary of many
//! ([`SweepSummary`]).
//!
//! **Compact.** A replication becomes a row of fixed-size numbers — durations in integer microseconds
//! (exactly the simulator's values), counts, money, the digest — about `48 + 8 × (flows + stores)` bytes,
//! so a million runs of a built-in take around 110 MB and nothing per replication is allocated. **Named.**
//! The flow and store columns carry their names, so a reader never relies on a position in the scenario.

use serde::{Deserialize, Serialize};

use crate::engine::digest::TraceDigest;
use crate::engine::time::SimDuration;
use crate::measure::RunResult;
use crate::sweep::stats::Summary;

/// A duration column's value for "not recovered within the horizon".
const NOT_RECOVERED: u64 = u64::MAX;

fn seconds(us: u64) -> f64 {
    SimDuration::from_micros(us).as_secs_f64()
}

fn rto_seconds(us: u64) -> Option<f64> {
    (us != NOT_RECOVERED).then(|| seconds(us))
}

/// The samples of a sweep (or a shard), in replication order, one row per replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Samples {
    flows: Vec<String>,
    stores: Vec<String>,
    replication: Vec<u64>,
    rto_us: Vec<u64>,
    rpo_us: Vec<u64>,
    lost_writes: Vec<u64>,
    recovery_usd: Vec<f64>,
    digest: Vec<u64>,
    /// SampleRow-major: `flows.len()` values per replication.
    flow_rto_us: Vec<u64>,
    /// SampleRow-major: `stores.len()` values per replication.
    store_rpo_us: Vec<u64>,
}

/// One replication's row of [`Samples`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample<'a> {
    /// Replication index.
    pub replication: u64,
    /// Service RTO in seconds; `None`: not recovered within the horizon.
    pub rto_s: Option<f64>,
    /// Service RPO in seconds.
    pub rpo_s: f64,
    /// Lost writes.
    pub lost_writes: u64,
    /// Cost of the capacity provisioned during recovery (USD).
    pub recovery_usd: f64,
    /// The run's trace digest.
    pub digest: TraceDigest,
    flow_rto_us: &'a [u64],
    store_rpo_us: &'a [u64],
}

impl Sample<'_> {
    /// The RTO of flow column `i` in seconds (`None`: not recovered).
    pub fn flow_rto_s(&self, i: usize) -> Option<f64> {
        self.flow_rto_us.get(i).copied().and_then(rto_seconds)
    }

    /// The RPO of store column `i` in seconds.
    pub fn store_rpo_s(&self, i: usize) -> Option<f64> {
        self.store_rpo_us.get(i).copied().map(seconds)
    }
}

/// One replication's values, owned: what [`Samples::push_row`] takes and the file format stores.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleRow {
    /// Replication index.
    pub replication: u64,
    /// Service RTO in microseconds; `None`: not recovered.
    pub rto_us: Option<u64>,
    /// Service RPO in microseconds.
    pub rpo_us: u64,
    /// Lost writes.
    pub lost_writes: u64,
    /// Recovery cost (USD).
    pub recovery_usd: f64,
    /// The trace digest's value.
    pub digest: u64,
    /// Per flow column: RTO in microseconds (`None`: not recovered).
    pub flow_rto_us: Vec<Option<u64>>,
    /// Per store column: RPO in microseconds.
    pub store_rpo_us: Vec<u64>,
}

impl Samples {
    /// No samples yet, with these flow and store columns.
    pub fn new(flows: Vec<String>, stores: Vec<String>) -> Samples {
        Samples {
            flows,
            stores,
            ..Samples::default()
        }
    }

    /// The flow columns' names.
    pub fn flows(&self) -> &[String] {
        &self.flows
    }

    /// The store columns' names.
    pub fn stores(&self) -> &[String] {
        &self.stores
    }

    /// The column of flow `name`.
    pub fn flow_index(&self, name: &str) -> Option<usize> {
        self.flows.iter().position(|f| f == name)
    }

    /// The column of store `name`.
    pub fn store_index(&self, name: &str) -> Option<usize> {
        self.stores.iter().position(|s| s == name)
    }

    /// Replications held.
    pub fn len(&self) -> usize {
        self.replication.len()
    }

    /// Whether none are held.
    pub fn is_empty(&self) -> bool {
        self.replication.is_empty()
    }

    /// The replication numbers, ascending.
    pub fn replications(&self) -> &[u64] {
        &self.replication
    }

    /// SampleRow `i`.
    pub fn get(&self, i: usize) -> Sample<'_> {
        let (f, s) = (self.flows.len(), self.stores.len());
        Sample {
            replication: self.replication[i],
            rto_s: rto_seconds(self.rto_us[i]),
            rpo_s: seconds(self.rpo_us[i]),
            lost_writes: self.lost_writes[i],
            recovery_usd: self.recovery_usd[i],
            digest: TraceDigest::from_u64(self.digest[i]),
            flow_rto_us: &self.flow_rto_us[i * f..(i + 1) * f],
            store_rpo_us: &self.store_rpo_us[i * s..(i + 1) * s],
        }
    }

    /// The rows in order.
    pub fn iter(&self) -> impl Iterator<Item = Sample<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Adds the row of one run (its flows and stores in the columns' order).
    pub fn push(&mut self, result: &RunResult) {
        self.push_row(SampleRow {
            replication: result.replication,
            rto_us: result.rto.map(SimDuration::as_micros),
            rpo_us: result.rpo.as_micros(),
            lost_writes: result.lost_writes,
            recovery_usd: result.recovery_usd,
            digest: result.digest.value(),
            flow_rto_us: result
                .flows
                .iter()
                .map(|f| f.rto.map(SimDuration::as_micros))
                .collect(),
            store_rpo_us: result.stores.iter().map(|s| s.rpo.as_micros()).collect(),
        });
    }

    /// Adds a row; its flow and store values are taken in the columns' order (missing ones count as not
    /// recovered and 0, extra ones are ignored).
    pub fn push_row(&mut self, row: SampleRow) {
        self.replication.push(row.replication);
        self.rto_us.push(row.rto_us.unwrap_or(NOT_RECOVERED));
        self.rpo_us.push(row.rpo_us);
        self.lost_writes.push(row.lost_writes);
        self.recovery_usd.push(row.recovery_usd);
        self.digest.push(row.digest);
        let (f, s) = (self.flows.len(), self.stores.len());
        self.flow_rto_us.extend((0..f).map(|k| {
            row.flow_rto_us
                .get(k)
                .copied()
                .flatten()
                .unwrap_or(NOT_RECOVERED)
        }));
        self.store_rpo_us
            .extend((0..s).map(|k| row.store_rpo_us.get(k).copied().unwrap_or(0)));
    }

    /// SampleRow `i` as the file format stores it.
    pub(crate) fn row(&self, i: usize) -> SampleRow {
        let (f, s) = (self.flows.len(), self.stores.len());
        let opt = |us: u64| (us != NOT_RECOVERED).then_some(us);
        SampleRow {
            replication: self.replication[i],
            rto_us: opt(self.rto_us[i]),
            rpo_us: self.rpo_us[i],
            lost_writes: self.lost_writes[i],
            recovery_usd: self.recovery_usd[i],
            digest: self.digest[i],
            flow_rto_us: self.flow_rto_us[i * f..(i + 1) * f]
                .iter()
                .map(|&us| opt(us))
                .collect(),
            store_rpo_us: self.store_rpo_us[i * s..(i + 1) * s].to_vec(),
        }
    }

    /// Appends `other`'s rows (same columns), keeping replication order.
    pub fn append(&mut self, other: &Samples) {
        for i in 0..other.len() {
            self.push_row(other.row(i));
        }
    }

    /// The same rows under these column names (as many as it has columns).
    pub(crate) fn named(mut self, flows: Vec<String>, stores: Vec<String>) -> Samples {
        self.flows = flows;
        self.stores = stores;
        self
    }

    /// The bytes a sweep of `runs` replications with these columns keeps in memory.
    pub fn bytes_for(runs: u64, flows: usize, stores: usize) -> u64 {
        runs.saturating_mul(48 + 8 * (flows + stores) as u64)
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
    /// Summarises the samples of a sweep of scenario `scenario` with `seed`.
    pub fn of(scenario: &str, seed: u64, samples: &Samples) -> SweepSummary {
        let column = |f: &dyn Fn(&Sample<'_>) -> Option<f64>| {
            Summary::of(&samples.iter().map(|s| f(&s)).collect::<Vec<_>>())
        };
        let flows = (0..samples.flows.len())
            .map(|i| (samples.flows[i].clone(), column(&|s| s.flow_rto_s(i))))
            .collect();
        let stores = (0..samples.stores.len())
            .map(|i| (samples.stores[i].clone(), column(&|s| s.store_rpo_s(i))))
            .collect();
        SweepSummary {
            scenario: scenario.to_string(),
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
