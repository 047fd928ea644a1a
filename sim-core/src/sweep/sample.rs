//! What a sweep keeps of each replication, stored column by column ([`Samples`]), and the summary of many
//! ([`SweepSummary`]).
//!
//! **Compact.** A replication becomes a row of fixed-size numbers — durations in integer microseconds
//! (exactly the simulator's values), counts, money, the digest, whether a disaster happened — about
//! `89 + 8 × (flows + 2 × stores)` bytes (each store has its data-loss window and its pre-onset RPO), so a
//! million runs of a built-in take around 150 MB and nothing per replication is allocated. **Named.**
//! The flow and store columns carry their names, so a reader never relies on a position in the scenario.

use serde::{Deserialize, Serialize};

use crate::engine::digest::TraceDigest;
use crate::engine::time::SimDuration;
use crate::measure::RunResult;
use crate::sweep::stats::Summary;

/// A duration column's value for "none": not recovered within the horizon (RTO), not determined (RPO).
const NONE: u64 = u64::MAX;
/// A failback column's value when the disaster did not heal within the horizon (nothing to measure).
const NOT_HEALED: u64 = u64::MAX - 1;

fn seconds(us: u64) -> f64 {
    SimDuration::from_micros(us).as_secs_f64()
}

fn opt_seconds(us: u64) -> Option<f64> {
    (us != NONE).then(|| seconds(us))
}

fn opt_us(us: u64) -> Option<u64> {
    (us != NONE).then_some(us)
}

fn stored(d: Option<SimDuration>) -> Option<u64> {
    d.map(SimDuration::as_micros)
}

/// The samples of a sweep (or a shard), in replication order, one row per replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Samples {
    flows: Vec<String>,
    stores: Vec<String>,
    replication: Vec<u64>,
    no_disaster: Vec<bool>,
    rto_us: Vec<u64>,
    rpo_us: Vec<u64>,
    pre_onset_rpo_us: Vec<u64>,
    lost_writes: Vec<u64>,
    recovery_usd: Vec<f64>,
    digest: Vec<u64>,
    /// SampleRow-major: `flows.len()` values per replication.
    flow_rto_us: Vec<u64>,
    /// SampleRow-major: `stores.len()` values per replication (data-loss windows).
    store_rpo_us: Vec<u64>,
    /// SampleRow-major: `stores.len()` values per replication.
    store_pre_onset_rpo_us: Vec<u64>,
    /// Exposure window (`NONE`: still exposed at the horizon; `NOT_HEALED`: not measured, a file from
    /// before `drsim-sweep/4`).
    exposure_us: Vec<u64>,
    /// Failback time (`NONE`: not back on the primary; `NOT_HEALED`).
    failback_us: Vec<u64>,
    /// Writes lost after the heal (`NOT_HEALED`).
    failback_lost: Vec<u64>,
    /// Extra downtime after the heal (`NOT_HEALED`).
    failback_downtime_us: Vec<u64>,
}

/// One replication's row of [`Samples`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample<'a> {
    /// Replication index.
    pub replication: u64,
    /// No disaster began within the horizon (its onset fell past it): the run measures nothing about
    /// recovery, and summaries and budgets leave it out.
    pub no_disaster: bool,
    /// Service RTO in seconds; `None`: not recovered within the horizon.
    pub rto_s: Option<f64>,
    /// Service RPO (the data-loss window) in seconds; `None`: not determined.
    pub rpo_s: Option<f64>,
    /// Service pre-onset RPO in seconds; `None`: not determined.
    pub pre_onset_rpo_s: Option<f64>,
    /// Lost writes.
    pub lost_writes: u64,
    /// Cost of the capacity provisioned during recovery (USD).
    pub recovery_usd: f64,
    /// The run's trace digest.
    pub digest: TraceDigest,
    /// The exposure window in seconds; `None`: still exposed at the horizon.
    pub exposure_s: Option<f64>,
    /// Whether the exposure was measured (files before `drsim-sweep/4` did not).
    pub exposure_measured: bool,
    /// The failback, when the disaster healed within the horizon.
    pub failback: Option<FailbackSample>,
    flow_rto_us: &'a [u64],
    store_rpo_us: &'a [u64],
    store_pre_onset_rpo_us: &'a [u64],
}

/// A replication's failback figures (see [`crate::measure::Failback`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FailbackSample {
    /// Failback time in seconds; `None`: not served from the primary again within the horizon.
    pub time_s: Option<f64>,
    /// Writes lost after the heal.
    pub lost_writes: u64,
    /// Extra downtime after the heal, in seconds.
    pub downtime_s: f64,
}

/// What the file format stores of a failback: `(time µs or None, lost writes, downtime µs)`.
pub type FailbackCells = (Option<u64>, u64, u64);

impl Sample<'_> {
    /// The RTO of flow column `i` in seconds (`None`: not recovered, or no such column).
    pub fn flow_rto_s(&self, i: usize) -> Option<f64> {
        self.flow_rto_us.get(i).copied().and_then(opt_seconds)
    }

    /// The RPO (data-loss window) of store column `i` in seconds (`None`: not determined, or no such
    /// column).
    pub fn store_rpo_s(&self, i: usize) -> Option<f64> {
        self.store_rpo_us.get(i).copied().and_then(opt_seconds)
    }

    /// The pre-onset RPO of store column `i` in seconds (`None`: not determined, or no such column).
    pub fn store_pre_onset_rpo_s(&self, i: usize) -> Option<f64> {
        self.store_pre_onset_rpo_us
            .get(i)
            .copied()
            .and_then(opt_seconds)
    }
}

/// One replication's values, owned: what [`Samples::push_row`] takes and the file format stores.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SampleRow {
    /// Replication index.
    pub replication: u64,
    /// No disaster began within the horizon.
    pub no_disaster: bool,
    /// Service RTO in microseconds; `None`: not recovered.
    pub rto_us: Option<u64>,
    /// Service RPO (the data-loss window) in microseconds; `None`: not determined.
    pub rpo_us: Option<u64>,
    /// Service pre-onset RPO in microseconds; `None`: not determined.
    pub pre_onset_rpo_us: Option<u64>,
    /// Lost writes.
    pub lost_writes: u64,
    /// Recovery cost (USD).
    pub recovery_usd: f64,
    /// The trace digest's value.
    pub digest: u64,
    /// Per flow column: RTO in microseconds (`None`: not recovered).
    pub flow_rto_us: Vec<Option<u64>>,
    /// Per store column: RPO (data-loss window) in microseconds (`None`: not determined).
    pub store_rpo_us: Vec<Option<u64>>,
    /// Per store column: pre-onset RPO in microseconds (`None`: not determined).
    pub store_pre_onset_rpo_us: Vec<Option<u64>>,
    /// Exposure window in microseconds (`None`: still exposed at the horizon).
    pub exposure_us: Option<u64>,
    /// Whether the exposure was measured (`false` for files before `drsim-sweep/4`).
    pub exposure_measured: bool,
    /// The failback (`None`: the disaster did not heal within the horizon).
    pub failback: Option<FailbackCells>,
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

    /// Replications in which no disaster began within the horizon.
    pub fn no_disaster(&self) -> usize {
        self.no_disaster.iter().filter(|&&q| q).count()
    }

    /// SampleRow `i`.
    pub fn get(&self, i: usize) -> Sample<'_> {
        let (f, s) = (self.flows.len(), self.stores.len());
        Sample {
            replication: self.replication[i],
            no_disaster: self.no_disaster[i],
            rto_s: opt_seconds(self.rto_us[i]),
            rpo_s: opt_seconds(self.rpo_us[i]),
            pre_onset_rpo_s: opt_seconds(self.pre_onset_rpo_us[i]),
            lost_writes: self.lost_writes[i],
            recovery_usd: self.recovery_usd[i],
            digest: TraceDigest::from_u64(self.digest[i]),
            flow_rto_us: &self.flow_rto_us[i * f..(i + 1) * f],
            store_rpo_us: &self.store_rpo_us[i * s..(i + 1) * s],
            store_pre_onset_rpo_us: &self.store_pre_onset_rpo_us[i * s..(i + 1) * s],
            exposure_s: opt_seconds(self.exposure_us[i])
                .filter(|_| self.exposure_us[i] != NOT_HEALED),
            exposure_measured: self.exposure_us[i] != NOT_HEALED,
            failback: (self.failback_us[i] != NOT_HEALED).then(|| FailbackSample {
                time_s: opt_seconds(self.failback_us[i]),
                lost_writes: self.failback_lost[i],
                downtime_s: seconds(self.failback_downtime_us[i]),
            }),
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
            no_disaster: result.onset.is_none(),
            rto_us: stored(result.rto),
            rpo_us: stored(result.rpo),
            pre_onset_rpo_us: stored(result.pre_onset_rpo),
            lost_writes: result.lost_writes,
            recovery_usd: result.recovery_usd,
            digest: result.digest.value(),
            flow_rto_us: result.flows.iter().map(|f| stored(f.rto)).collect(),
            store_rpo_us: result.stores.iter().map(|s| stored(s.rpo)).collect(),
            store_pre_onset_rpo_us: result
                .stores
                .iter()
                .map(|s| stored(s.pre_onset_rpo))
                .collect(),
            exposure_us: stored(result.exposure),
            exposure_measured: true,
            failback: result
                .failback
                .as_ref()
                .map(|f| (stored(f.time), f.lost_writes, f.downtime.as_micros())),
        });
    }

    /// Adds a row; its flow and store values are taken in the columns' order (missing ones count as not
    /// recovered and not determined, extra ones are ignored).
    pub fn push_row(&mut self, row: SampleRow) {
        self.replication.push(row.replication);
        self.no_disaster.push(row.no_disaster);
        self.rto_us.push(row.rto_us.unwrap_or(NONE));
        self.rpo_us.push(row.rpo_us.unwrap_or(NONE));
        self.pre_onset_rpo_us
            .push(row.pre_onset_rpo_us.unwrap_or(NONE));
        self.lost_writes.push(row.lost_writes);
        self.recovery_usd.push(row.recovery_usd);
        self.digest.push(row.digest);
        let (f, s) = (self.flows.len(), self.stores.len());
        let column =
            |values: &[Option<u64>], k: usize| values.get(k).copied().flatten().unwrap_or(NONE);
        self.flow_rto_us
            .extend((0..f).map(|k| column(&row.flow_rto_us, k)));
        self.store_rpo_us
            .extend((0..s).map(|k| column(&row.store_rpo_us, k)));
        self.store_pre_onset_rpo_us
            .extend((0..s).map(|k| column(&row.store_pre_onset_rpo_us, k)));
        self.exposure_us.push(match row.exposure_us {
            _ if !row.exposure_measured => NOT_HEALED,
            Some(us) => us.min(NOT_HEALED - 1),
            None => NONE,
        });
        let (time, lost, down) = row
            .failback
            .map_or((NOT_HEALED, NOT_HEALED, NOT_HEALED), |f| {
                // A failback time can never reach `NOT_HEALED` µs (584,000 years).
                (f.0.map_or(NONE, |t| t.min(NOT_HEALED - 1)), f.1, f.2)
            });
        self.failback_us.push(time);
        self.failback_lost.push(lost);
        self.failback_downtime_us.push(down);
    }

    /// SampleRow `i` as the file format stores it.
    pub(crate) fn row(&self, i: usize) -> SampleRow {
        let (f, s) = (self.flows.len(), self.stores.len());
        let opts = |values: &[u64]| values.iter().map(|&us| opt_us(us)).collect();
        SampleRow {
            replication: self.replication[i],
            no_disaster: self.no_disaster[i],
            rto_us: opt_us(self.rto_us[i]),
            rpo_us: opt_us(self.rpo_us[i]),
            pre_onset_rpo_us: opt_us(self.pre_onset_rpo_us[i]),
            lost_writes: self.lost_writes[i],
            recovery_usd: self.recovery_usd[i],
            digest: self.digest[i],
            flow_rto_us: opts(&self.flow_rto_us[i * f..(i + 1) * f]),
            store_rpo_us: opts(&self.store_rpo_us[i * s..(i + 1) * s]),
            store_pre_onset_rpo_us: opts(&self.store_pre_onset_rpo_us[i * s..(i + 1) * s]),
            exposure_us: opt_us(self.exposure_us[i]).filter(|&us| us != NOT_HEALED),
            exposure_measured: self.exposure_us[i] != NOT_HEALED,
            failback: (self.failback_us[i] != NOT_HEALED).then(|| {
                (
                    opt_us(self.failback_us[i]),
                    self.failback_lost[i],
                    self.failback_downtime_us[i],
                )
            }),
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
        runs.saturating_mul(89 + 8 * (flows + 2 * stores) as u64)
    }
}

fn empty_summary() -> Summary {
    Summary::of(&[])
}

/// The summary of a sweep.
///
/// Runs with **no disaster** within the horizon are counted (`no_disaster`) and, by default
/// ([`SweepSummary::of`]), left out of every other figure: they say nothing about recovery, and would pull
/// percentiles towards 0. RPO figures leave out runs whose data loss is **not determined** (counted in
/// their summary's `not_determined`); RTO figures count non-recoveries as +∞.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepSummary {
    /// Scenario name.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// Replications run.
    pub runs: usize,
    /// Of them, replications in which no disaster began within the horizon.
    #[serde(default)]
    pub no_disaster: usize,
    /// Whether the figures below include the runs with no disaster (not by default).
    #[serde(default)]
    pub includes_no_disaster: bool,
    /// Service RTO (seconds).
    pub rto_s: Summary,
    /// Service RPO, the data-loss window (seconds).
    pub rpo_s: Summary,
    /// Service pre-onset RPO (seconds).
    #[serde(default = "empty_summary")]
    pub pre_onset_rpo_s: Summary,
    /// Lost writes per run.
    pub lost_writes: Summary,
    /// Recovery cost per run (USD).
    #[serde(default = "empty_summary")]
    pub recovery_usd: Summary,
    /// Per flow: name and RTO summary.
    pub flows: Vec<(String, Summary)>,
    /// Per store: name and RPO (data-loss window) summary.
    pub stores: Vec<(String, Summary)>,
    /// Per store: name and pre-onset RPO summary.
    #[serde(default)]
    pub stores_pre_onset_rpo: Vec<(String, Summary)>,
    /// The exposure window (seconds; still exposed at the horizon counts as +∞).
    #[serde(default = "empty_summary")]
    pub exposure_s: Summary,
    /// Of the runs summarised, those whose disaster healed within the horizon: the failback figures
    /// below are over them.
    #[serde(default)]
    pub healed: usize,
    /// Failback time (seconds; not back on the primary within the horizon counts as +∞).
    #[serde(default = "empty_summary")]
    pub failback_s: Summary,
    /// Writes lost after the heal.
    #[serde(default = "empty_summary")]
    pub failback_lost_writes: Summary,
    /// Extra downtime after the heal (seconds).
    #[serde(default = "empty_summary")]
    pub failback_downtime_s: Summary,
}

impl SweepSummary {
    /// Summarises the samples of a sweep of scenario `scenario` with `seed`, leaving out the runs with no
    /// disaster within the horizon (counted in `no_disaster`).
    pub fn of(scenario: &str, seed: u64, samples: &Samples) -> SweepSummary {
        SweepSummary::summarise(scenario, seed, samples, false)
    }

    /// As [`SweepSummary::of`], but the runs with no disaster count too (as RTO 0, RPO 0): the outcome of
    /// a period of operation rather than of a disaster.
    pub fn including_no_disaster(scenario: &str, seed: u64, samples: &Samples) -> SweepSummary {
        SweepSummary::summarise(scenario, seed, samples, true)
    }

    fn summarise(scenario: &str, seed: u64, samples: &Samples, all: bool) -> SweepSummary {
        let kept: Vec<Sample<'_>> = samples.iter().filter(|s| all || !s.no_disaster).collect();
        // RTO: `None` is not recovered (+∞).
        let rto = |f: &dyn Fn(&Sample<'_>) -> Option<f64>| {
            Summary::of(&kept.iter().map(f).collect::<Vec<_>>())
        };
        // RPO: `None` is not determined (left out, counted).
        let rpo = |f: &dyn Fn(&Sample<'_>) -> Option<f64>| {
            Summary::of_determined(&kept.iter().map(f).collect::<Vec<_>>())
        };
        let flows = (0..samples.flows.len())
            .map(|i| (samples.flows[i].clone(), rto(&|s| s.flow_rto_s(i))))
            .collect();
        let stores = (0..samples.stores.len())
            .map(|i| (samples.stores[i].clone(), rpo(&|s| s.store_rpo_s(i))))
            .collect();
        let stores_pre_onset_rpo = (0..samples.stores.len())
            .map(|i| {
                let column = rpo(&|s| s.store_pre_onset_rpo_s(i));
                (samples.stores[i].clone(), column)
            })
            .collect();
        let healed: Vec<FailbackSample> = kept.iter().filter_map(|s| s.failback).collect();
        let over_healed = |f: &dyn Fn(&FailbackSample) -> Option<f64>| {
            Summary::of(&healed.iter().map(f).collect::<Vec<_>>())
        };
        SweepSummary {
            exposure_s: Summary::of(
                &kept
                    .iter()
                    .filter(|s| s.exposure_measured)
                    .map(|s| s.exposure_s)
                    .collect::<Vec<_>>(),
            ),
            healed: healed.len(),
            failback_s: over_healed(&|f| f.time_s),
            failback_lost_writes: over_healed(&|f| Some(f.lost_writes as f64)),
            failback_downtime_s: over_healed(&|f| Some(f.downtime_s)),
            scenario: scenario.to_string(),
            seed,
            runs: samples.len(),
            no_disaster: samples.no_disaster(),
            includes_no_disaster: all,
            rto_s: rto(&|s| s.rto_s),
            rpo_s: rpo(&|s| s.rpo_s),
            pre_onset_rpo_s: rpo(&|s| s.pre_onset_rpo_s),
            lost_writes: rto(&|s| Some(s.lost_writes as f64)),
            recovery_usd: rto(&|s| Some(s.recovery_usd)),
            flows,
            stores,
            stores_pre_onset_rpo,
        }
    }
}
