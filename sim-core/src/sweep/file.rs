//! The file a sweep (or one shard of it) writes with `--out`, and the exact merge of shards.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::spec::Scenario;
use crate::sweep::sample::{Sample, SweepSummary};

/// The file a sweep (or one shard of it) writes with `--out`: the per-replication samples, so that shards
/// merge into exactly the single-machine result and a later `check --baseline` can compare.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepFile {
    /// Format tag, `drsim-sweep/1`.
    pub format: String,
    /// Scenario name.
    pub scenario: String,
    /// Fingerprint of the scenario as run (all parameters, `--set` included): shards of different
    /// scenarios never merge.
    pub fingerprint: String,
    /// The scenario as run, so merged results can be summarised and reported without the original file.
    pub config: Scenario,
    /// Seed.
    pub seed: u64,
    /// Replications of the whole sweep.
    pub runs: u64,
    /// Which shard this is: `(index, count)`, or `None` for a whole sweep.
    pub shard: Option<(u64, u64)>,
    /// The samples, in replication order.
    pub samples: Vec<Sample>,
}

/// The format tag of [`SweepFile`].
pub const SWEEP_FORMAT: &str = "drsim-sweep/1";

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
/// of different scenarios by mistake).
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

/// Why shard files do not merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeError(pub String);

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MergeError {}

/// Merges shard files (named, for messages) into the whole sweep: same scenario, fingerprint, seed and run
/// count; every replication exactly once. The result is identical to an unsharded sweep's file.
pub fn merge(files: &[(String, SweepFile)]) -> Result<SweepFile, MergeError> {
    let Some((first_name, first)) = files.first() else {
        return Err(MergeError("nothing to merge: give the shard files".into()));
    };
    for (name, f) in files {
        if f.format != SWEEP_FORMAT {
            return Err(MergeError(format!(
                "{name}: format {:?} is not {SWEEP_FORMAT}",
                f.format
            )));
        }
        if (&f.scenario, &f.fingerprint, f.seed, f.runs)
            != (&first.scenario, &first.fingerprint, first.seed, first.runs)
        {
            return Err(MergeError(format!(
                "{name} is from another sweep than {first_name} (scenario {} / seed {} / {} runs vs {} / {} / {}, or different parameters)",
                f.scenario, f.seed, f.runs, first.scenario, first.seed, first.runs
            )));
        }
    }
    let mut owner: Vec<Option<&str>> = vec![
        None;
        usize::try_from(first.runs)
            .unwrap_or(usize::MAX)
            .min(1 << 32)
    ];
    let mut samples = Vec::with_capacity(owner.len());
    for (name, f) in files {
        for s in &f.samples {
            let slot = owner.get_mut(s.replication as usize).ok_or_else(|| {
                MergeError(format!(
                    "{name}: replication {} is outside the sweep's {} runs",
                    s.replication, first.runs
                ))
            })?;
            if let Some(other) = slot {
                return Err(MergeError(format!(
                    "replication {} is in both {other} and {name}: the shards overlap",
                    s.replication
                )));
            }
            *slot = Some(name);
            samples.push(s.clone());
        }
    }
    if let Some(missing) = owner.iter().position(Option::is_none) {
        let count = owner.iter().filter(|o| o.is_none()).count();
        return Err(MergeError(format!(
            "{count} replications are missing (the first is {missing}): a shard is missing"
        )));
    }
    samples.sort_by_key(|s| s.replication);
    Ok(SweepFile {
        format: SWEEP_FORMAT.into(),
        scenario: first.scenario.clone(),
        fingerprint: first.fingerprint.clone(),
        config: first.config.clone(),
        seed: first.seed,
        runs: first.runs,
        shard: None,
        samples,
    })
}

impl SweepFile {
    /// The file for `samples` of `scenario` swept with `seed` (a shard when `shard` is given).
    pub fn new(
        scenario: &Scenario,
        seed: u64,
        runs: u64,
        shard: Option<(u64, u64)>,
        samples: Vec<Sample>,
    ) -> SweepFile {
        SweepFile {
            format: SWEEP_FORMAT.into(),
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
        SweepSummary::of(&self.config, self.seed, &self.samples)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(shard: Option<(u64, u64)>, reps: Range<u64>) -> SweepFile {
        SweepFile {
            format: SWEEP_FORMAT.into(),
            scenario: "s".into(),
            fingerprint: "f".into(),
            config: crate::spec::Scenario {
                name: "s".into(),
                horizon: crate::engine::time::SimDuration::from_hours(1),
                ..Default::default()
            },
            seed: 1,
            runs: 10,
            shard,
            samples: reps
                .map(|r| Sample {
                    replication: r,
                    rto_s: Some(r as f64),
                    rpo_s: 0.0,
                    lost_writes: 0,
                    flow_rto_s: vec![],
                    store_rpo_s: vec![],
                    digest: String::new(),
                    recovery_usd: 0.0,
                })
                .collect(),
        }
    }

    #[test]
    fn shards_cover_the_runs_exactly() {
        for (runs, n) in [(10, 3), (10_000, 4), (7, 7), (3, 5), (0, 2)] {
            let ranges: Vec<_> = (0..n).map(|k| shard_range(runs, k, n)).collect();
            assert_eq!(ranges.first().map(|r| r.start), Some(0));
            assert_eq!(ranges.last().map(|r| r.end), Some(runs));
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        }
    }

    #[test]
    fn merge_is_exact_and_refuses_overlaps_and_gaps() {
        let whole = file(None, 0..10);
        let parts = [
            ("a".to_string(), file(Some((1, 2)), 5..10)),
            ("b".to_string(), file(Some((0, 2)), 0..5)),
        ];
        assert_eq!(merge(&parts).unwrap(), whole);
        let overlap = [
            ("a".to_string(), file(Some((0, 2)), 0..6)),
            ("b".to_string(), file(Some((1, 2)), 5..10)),
        ];
        assert!(merge(&overlap).unwrap_err().0.contains("overlap"));
        let gap = [
            ("a".to_string(), file(Some((0, 2)), 0..4)),
            ("b".to_string(), file(Some((1, 2)), 5..10)),
        ];
        assert!(merge(&gap).unwrap_err().0.contains("missing"));
        let mut other = file(Some((1, 2)), 5..10);
        other.seed = 2;
        assert!(
            merge(&[
                ("a".to_string(), file(Some((0, 2)), 0..5)),
                ("b".to_string(), other)
            ])
            .unwrap_err()
            .0
            .contains("another sweep")
        );
    }
}
