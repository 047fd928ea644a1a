//! The results file a sweep (or one shard of it) writes with `--out`, and the exact merge of shards.
//!
//! **Format `drsim-sweep/4`** — its own versioned record, not the in-memory types: a JSON object with the
//! scenario's name, the fingerprint of the scenario as run, the seed, the sweep's run count, the shard, the
//! scenario itself (its format's data, so a report needs no other file), the names of the flow and store
//! columns, and one array per replication:
//!
//! `[replication, no_disaster, rto_us | null, rpo_us | null, pre_onset_rpo_us | null, lost_writes,
//! recovery_usd, "digest", [flow rto_us | null, …], [store rpo_us | null, …], [store pre_onset_rpo_us | null, …],
//! exposure_us | null, [failback_us | null, failback_lost_writes, failback_downtime_us] | null]`
//!
//! `no_disaster` is `true` when no disaster began within the horizon; `rto_us` is `null` when not
//! recovered, the RPOs (`rpo_us` the data-loss window, `pre_onset_rpo_us` the pre-onset figure) when not
//! determined, `exposure_us` when a store was still exposed at the horizon, the failback when the disaster
//! did not heal within the horizon (its time when clients were not back on the primary). Durations are
//! integer microseconds, the simulator's own values, so nothing is rounded.
//! Files are written and read row by row (no per-row objects in memory).
//!
//! **Older files are still read.** `drsim-sweep/3` (the same rows without the last two values: read
//! as exposure not measured — left out of summaries and budgets — and no heal), `drsim-sweep/2` (`[replication, rto_us | null, rpo_us, lost_writes,
//! recovery_usd, "digest", [flow rto_us | null, …], [store rpo_us, …]]`) and `drsim-sweep/1` (one object
//! per sample, seconds as floats) measured only what is now the pre-onset RPO: reading them, that figure
//! becomes the pre-onset RPO, the data-loss window is not determined, and every run counts as having had
//! its disaster. Reading checks everything a merge or a report relies on: the fingerprint against the
//! embedded scenario, the column names against its flows and stores, every value's range, replication
//! order, and that a shard holds exactly its own replications.
//!
//! Files: this one (the file as a type, shards, the fingerprint, the checks a read file passes);
//! `disk.rs` (writing and reading the on-disk records of each format version); `merge.rs` (merging
//! shards).

mod disk;
mod merge;

pub use merge::merge;

use std::fmt;
use std::ops::Range;

use crate::spec::Scenario;
use crate::sweep::sample::{Samples, SweepSummary};

/// The format tag this version writes.
pub const SWEEP_FORMAT: &str = "drsim-sweep/4";

/// The previous formats, still read.
const SWEEP_FORMAT_V3: &str = "drsim-sweep/3";
const SWEEP_FORMAT_V2: &str = "drsim-sweep/2";
const SWEEP_FORMAT_V1: &str = "drsim-sweep/1";

/// A sweep's results, or one shard's.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepFile {
    /// Scenario name.
    pub scenario: String,
    /// Fingerprint of the scenario as run (all parameters, `--set` included): shards of different
    /// scenarios never merge.
    pub fingerprint: String,
    /// The scenario as run, so results can be summarised and reported without the original file.
    pub config: Scenario,
    /// Seed.
    pub seed: u64,
    /// Replications of the whole sweep.
    pub runs: u64,
    /// Which shard this is: `(index, count)`, or `None` for a whole sweep.
    pub shard: Option<(u64, u64)>,
    /// The samples, in replication order.
    pub samples: Samples,
}

/// The replications shard `k` of `n` runs out of `runs`: contiguous, balanced, covering `0..runs` exactly.
pub fn shard_range(runs: u64, k: u64, n: u64) -> Range<u64> {
    let n = n.max(1);
    let (lo, hi) = (
        u128::from(runs) * u128::from(k) / u128::from(n),
        u128::from(runs) * u128::from(k + 1) / u128::from(n),
    );
    lo as u64..hi as u64
}

/// A stable fingerprint of a scenario's parameters (not a security hash: it guards against merging shards
/// of different scenarios by mistake, and against a file whose scenario was edited).
pub fn fingerprint(scenario: &Scenario) -> String {
    let text = serde_json::to_string(scenario).unwrap_or_default();
    let mut digest = crate::engine::digest::TraceDigest::new();
    for (i, chunk) in text.as_bytes().chunks(8).enumerate() {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        digest.record(i as u64, u64::from_le_bytes(word));
    }
    digest.to_string()
}

/// Why a results file cannot be read or shards do not merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeError(pub String);

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MergeError {}

/// The flow and store column names of `scenario`, in its order.
pub fn columns(scenario: &Scenario) -> (Vec<String>, Vec<String>) {
    let flows = scenario.flows.iter().map(|f| f.name.clone()).collect();
    let stores = scenario
        .resources
        .iter()
        .filter(|(_, r)| r.kind().is_store())
        .map(|(n, _)| n.clone())
        .collect();
    (flows, stores)
}

impl SweepFile {
    /// The file for `samples` of `scenario` swept with `seed` (a shard when `shard` is given).
    pub fn new(
        scenario: &Scenario,
        seed: u64,
        runs: u64,
        shard: Option<(u64, u64)>,
        samples: Samples,
    ) -> SweepFile {
        SweepFile {
            scenario: scenario.name.clone(),
            fingerprint: fingerprint(scenario),
            config: scenario.clone(),
            seed,
            runs,
            shard,
            samples,
        }
    }

    /// The summary of the samples.
    pub fn summary(&self) -> SweepSummary {
        SweepSummary::of(&self.config.name, self.seed, &self.samples)
    }

    /// Everything a merge or a report relies on (see the module doc).
    fn check(&self) -> Result<(), String> {
        if fingerprint(&self.config) != self.fingerprint {
            return Err(format!(
                "the fingerprint {} is not that of the scenario the file holds ({}): the file was edited",
                self.fingerprint,
                fingerprint(&self.config)
            ));
        }
        if self.scenario != self.config.name {
            return Err(format!(
                "it names scenario {:?} but holds {:?}",
                self.scenario, self.config.name
            ));
        }
        let (flows, stores) = columns(&self.config);
        if self.samples.flows() != flows.as_slice() || self.samples.stores() != stores.as_slice() {
            return Err(
                "its flow or store columns are not the scenario's flows and stores".to_string(),
            );
        }
        let expected = match self.shard {
            Some((k, n)) if n == 0 || k >= n => {
                return Err(format!(
                    "shard {k}/{n} is not a shard: it must be K/N with K < N"
                ));
            }
            Some((k, n)) => shard_range(self.runs, k, n),
            None => 0..self.runs,
        };
        if self.samples.len() as u64 != expected.end - expected.start {
            let held = match self.samples.len() {
                0 => "no samples".to_string(),
                n => format!("{n} samples"),
            };
            return Err(format!(
                "it holds {held}, but {} holds {} of the {} runs",
                self.shard
                    .map_or("the whole sweep".to_string(), |(k, n)| format!(
                        "shard {k}/{n}"
                    )),
                expected.end - expected.start,
                self.runs
            ));
        }
        let horizon = self.config.horizon.as_secs_f64();
        let duration =
            |v: Option<f64>| v.is_none_or(|s| s.is_finite() && (0.0..=horizon).contains(&s));
        for (i, s) in self.samples.iter().enumerate() {
            let replication = expected.start + i as u64;
            if s.replication != replication {
                return Err(format!(
                    "sample {i} is replication {}; this file holds replications {}..{} in order",
                    s.replication, expected.start, expected.end
                ));
            }
            let flows_ok = (0..flows.len()).all(|k| duration(s.flow_rto_s(k)));
            let stores_ok = (0..stores.len())
                .all(|k| duration(s.store_rpo_s(k)) && duration(s.store_pre_onset_rpo_s(k)));
            let service_ok = duration(s.rto_s) && duration(s.rpo_s) && duration(s.pre_onset_rpo_s);
            if !(service_ok && flows_ok && stores_ok) {
                return Err(format!(
                    "replication {replication} has a duration outside 0 to the {} horizon",
                    self.config.horizon
                ));
            }
            if !(s.recovery_usd.is_finite() && s.recovery_usd >= 0.0) {
                return Err(format!(
                    "replication {replication} has a recovery cost of {} USD",
                    s.recovery_usd
                ));
            }
        }
        Ok(())
    }
}

/// Why a results file cannot be read.
#[derive(Debug)]
pub enum ReadError {
    /// Not JSON of the expected shape (the error has a line and column).
    Json(serde_json::Error),
    /// Well-formed, but not a results file drsim could have written.
    Invalid(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Json(e) => write!(f, "{e}"),
            ReadError::Invalid(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ReadError {}

#[cfg(test)]
mod tests;
