//! Merging shard files into the whole sweep, exactly: the result is byte-identical to an unsharded
//! sweep's file.

use crate::sweep::sample::Samples;

use super::{MergeError, SweepFile};

/// Merges shard files (named, for messages) into the whole sweep: same scenario, fingerprint, seed and run
/// count; every replication exactly once. The result is identical to an unsharded sweep's file. Its work
/// follows the samples the files hold, never the run count they declare.
pub fn merge(files: &[(String, SweepFile)]) -> Result<SweepFile, MergeError> {
    let Some((first_name, first)) = files.first() else {
        return Err(MergeError("nothing to merge: give the shard files".into()));
    };
    for (name, f) in files {
        if (&f.scenario, &f.fingerprint, f.seed, f.runs)
            != (&first.scenario, &first.fingerprint, first.seed, first.runs)
        {
            return Err(MergeError(format!(
                "{name} is from another sweep than {first_name} (scenario {} / seed {} / {} runs vs {} / {} / {}, or different parameters)",
                f.scenario, f.seed, f.runs, first.scenario, first.seed, first.runs
            )));
        }
    }
    let mut order: Vec<&(String, SweepFile)> = files
        .iter()
        .filter(|(_, f)| !f.samples.is_empty())
        .collect();
    order.sort_by_key(|(_, f)| f.samples.replications()[0]);
    let mut next = 0u64;
    let mut previous: Option<&str> = None;
    for (name, f) in &order {
        let reps = f.samples.replications();
        let (lo, hi) = (reps[0], reps[reps.len() - 1]);
        if lo < next {
            let other = previous.unwrap_or(first_name);
            return Err(MergeError(format!(
                "replication {lo} is in both {other} and {name}: the shards overlap"
            )));
        }
        if lo > next {
            return Err(missing(next, lo));
        }
        next = hi + 1;
        previous = Some(name);
    }
    if next < first.runs {
        return Err(missing(next, first.runs));
    }
    let mut samples = Samples::new(
        first.samples.flows().to_vec(),
        first.samples.stores().to_vec(),
    );
    for (_, f) in &order {
        samples.append(&f.samples);
    }
    Ok(SweepFile {
        scenario: first.scenario.clone(),
        fingerprint: first.fingerprint.clone(),
        config: first.config.clone(),
        seed: first.seed,
        runs: first.runs,
        shard: None,
        samples,
    })
}

fn missing(from: u64, to: u64) -> MergeError {
    MergeError(format!(
        "{} replications are missing (the first is {from}): a shard is missing",
        to - from
    ))
}
