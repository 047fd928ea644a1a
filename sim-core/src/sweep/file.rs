//! The results file a sweep (or one shard of it) writes with `--out`, and the exact merge of shards.
//!
//! **Format `drsim-sweep/3`** — its own versioned record, not the in-memory types: a JSON object with the
//! scenario's name, the fingerprint of the scenario as run, the seed, the sweep's run count, the shard, the
//! scenario itself (its format's data, so a report needs no other file), the names of the flow and store
//! columns, and one array per replication:
//!
//! `[replication, no_disaster, rto_us | null, rpo_us | null, pre_onset_rpo_us | null, lost_writes,
//! recovery_usd, "digest", [flow rto_us | null, …], [store rpo_us | null, …], [store pre_onset_rpo_us | null, …]]`
//!
//! `no_disaster` is `true` when no disaster began within the horizon; `rto_us` is `null` when not
//! recovered, the RPOs (`rpo_us` the data-loss window, `pre_onset_rpo_us` the pre-onset figure) when not
//! determined. Durations are integer microseconds, the simulator's own values, so nothing is rounded.
//! Files are written and read row by row (no per-row objects in memory).
//!
//! **Older files are still read.** `drsim-sweep/2` (`[replication, rto_us | null, rpo_us, lost_writes,
//! recovery_usd, "digest", [flow rto_us | null, …], [store rpo_us, …]]`) and `drsim-sweep/1` (one object
//! per sample, seconds as floats) measured only what is now the pre-onset RPO: reading them, that figure
//! becomes the pre-onset RPO, the data-loss window is not determined, and every run counts as having had
//! its disaster. Reading checks everything a merge or a report relies on: the fingerprint against the
//! embedded scenario, the column names against its flows and stores, every value's range, replication
//! order, and that a shard holds exactly its own replications.

use std::fmt;
use std::io::{self, Write};
use std::marker::PhantomData;
use std::ops::Range;

use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::spec::Scenario;
use crate::sweep::sample::{SampleRow, Samples, SweepSummary};

/// The format tag this version writes.
pub const SWEEP_FORMAT: &str = "drsim-sweep/3";

/// The previous formats, still read.
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

    /// Writes the file (format [`SWEEP_FORMAT`]) to `out`, row by row.
    pub fn write_json(&self, out: impl Write) -> io::Result<()> {
        let record: OnDisk<'_, RowV3> = OnDisk {
            format: SWEEP_FORMAT.to_string(),
            scenario: self.scenario.clone(),
            fingerprint: self.fingerprint.clone(),
            seed: self.seed,
            runs: self.runs,
            shard: self.shard,
            config: self.config.clone(),
            flows: self.samples.flows().to_vec(),
            stores: self.samples.stores().to_vec(),
            samples: Rows::Out(&self.samples, PhantomData),
        };
        serde_json::to_writer(out, &record).map_err(io::Error::other)
    }

    /// The file as JSON text.
    pub fn to_json(&self) -> String {
        let mut bytes = Vec::new();
        // Writing to memory fails only on a serialisation bug, which the tests would catch.
        self.write_json(&mut bytes).unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Reads a results file (`drsim-sweep/2`, or `/1`) and checks it through (see the module doc).
    pub fn from_json(bytes: &[u8]) -> Result<SweepFile, ReadError> {
        let head: Head = serde_json::from_slice(bytes).map_err(ReadError::Json)?;
        let file = match head.format.as_str() {
            SWEEP_FORMAT => {
                let record: OnDisk<'_, RowV3> =
                    serde_json::from_slice(bytes).map_err(ReadError::Json)?;
                record.into_file()?
            }
            SWEEP_FORMAT_V2 => {
                let record: OnDisk<'_, RowV2> =
                    serde_json::from_slice(bytes).map_err(ReadError::Json)?;
                record.into_file()?
            }
            SWEEP_FORMAT_V1 => {
                let v1: V1 = serde_json::from_slice(bytes).map_err(ReadError::Json)?;
                v1.into_file()?
            }
            other => {
                return Err(ReadError::Invalid(format!(
                    "format {other:?} is not {SWEEP_FORMAT} (nor {SWEEP_FORMAT_V2} or {SWEEP_FORMAT_V1}, which are still read)"
                )));
            }
        };
        file.check().map_err(ReadError::Invalid)?;
        Ok(file)
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

/// Just the format tag, read first to choose the record.
#[derive(Deserialize)]
struct Head {
    format: String,
}

/// The `drsim-sweep/3` record (and, with `R = RowV2`, the `/2` one: the same header, older rows).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(bound(deserialize = "R: DiskRow"))]
struct OnDisk<'a, R> {
    format: String,
    scenario: String,
    fingerprint: String,
    seed: u64,
    runs: u64,
    shard: Option<(u64, u64)>,
    config: Scenario,
    flows: Vec<String>,
    stores: Vec<String>,
    #[serde(borrow)]
    samples: Rows<'a, R>,
}

impl<R> OnDisk<'_, R> {
    fn into_file(self) -> Result<SweepFile, ReadError> {
        let Rows::In(read) = self.samples else {
            return Err(ReadError::Invalid("no samples".into()));
        };
        let (f, s) = (self.flows.len(), self.stores.len());
        let samples = match read {
            None => Samples::new(self.flows, self.stores),
            Some(read) if read.flows().len() == f && read.stores().len() == s => {
                (*read).named(self.flows, self.stores)
            }
            Some(read) => {
                return Err(ReadError::Invalid(format!(
                    "its rows have {} flow and {} store values; the file names {f} flows and {s} stores",
                    read.flows().len(),
                    read.stores().len()
                )));
            }
        };
        Ok(SweepFile {
            scenario: self.scenario,
            fingerprint: self.fingerprint,
            config: self.config,
            seed: self.seed,
            runs: self.runs,
            shard: self.shard,
            samples,
        })
    }
}

/// The rows: written from [`Samples`] one by one, read straight into columns (`None`: no rows).
enum Rows<'a, R> {
    Out(&'a Samples, PhantomData<R>),
    In(Option<Box<Samples>>),
}

/// A row as one format version stores it.
trait DiskRow: for<'de> Deserialize<'de> {
    /// The replication, and how many flow and store values it has.
    fn shape(&self) -> (u64, usize, usize);
    /// The row, or why its digest is bad.
    fn into_row(self) -> Result<SampleRow, String>;
}

fn digest(text: &str) -> Result<u64, String> {
    u64::from_str_radix(text, 16)
        .map_err(|_| format!("bad trace digest {text:?}: expected 16 hex digits"))
}

/// A `drsim-sweep/3` row (see the module doc).
type RowV3 = (
    u64,
    bool,
    Option<u64>,
    Option<u64>,
    Option<u64>,
    u64,
    f64,
    String,
    Vec<Option<u64>>,
    Vec<Option<u64>>,
    Vec<Option<u64>>,
);

impl DiskRow for RowV3 {
    fn shape(&self) -> (u64, usize, usize) {
        (self.0, self.8.len(), self.9.len())
    }

    fn into_row(self) -> Result<SampleRow, String> {
        if self.10.len() != self.9.len() {
            return Err(format!(
                "replication {} has {} store RPOs but {} pre-onset RPOs",
                self.0,
                self.9.len(),
                self.10.len()
            ));
        }
        Ok(SampleRow {
            replication: self.0,
            no_disaster: self.1,
            rto_us: self.2,
            rpo_us: self.3,
            pre_onset_rpo_us: self.4,
            lost_writes: self.5,
            recovery_usd: self.6,
            digest: digest(&self.7)?,
            flow_rto_us: self.8,
            store_rpo_us: self.9,
            store_pre_onset_rpo_us: self.10,
        })
    }
}

/// A `drsim-sweep/2` row: its RPOs were what is now the pre-onset RPO.
type RowV2 = (
    u64,
    Option<u64>,
    u64,
    u64,
    f64,
    String,
    Vec<Option<u64>>,
    Vec<u64>,
);

impl DiskRow for RowV2 {
    fn shape(&self) -> (u64, usize, usize) {
        (self.0, self.6.len(), self.7.len())
    }

    fn into_row(self) -> Result<SampleRow, String> {
        Ok(SampleRow {
            replication: self.0,
            no_disaster: false,
            rto_us: self.1,
            rpo_us: None,
            pre_onset_rpo_us: Some(self.2),
            lost_writes: self.3,
            recovery_usd: self.4,
            digest: digest(&self.5)?,
            flow_rto_us: self.6,
            store_rpo_us: vec![None; self.7.len()],
            store_pre_onset_rpo_us: self.7.into_iter().map(Some).collect(),
        })
    }
}

impl<R> Serialize for Rows<'_, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Rows::Out(samples, _) = self else {
            return s.serialize_seq(Some(0))?.end();
        };
        let mut seq = s.serialize_seq(Some(samples.len()))?;
        for i in 0..samples.len() {
            let r = samples.row(i);
            let tuple: RowV3 = (
                r.replication,
                r.no_disaster,
                r.rto_us,
                r.rpo_us,
                r.pre_onset_rpo_us,
                r.lost_writes,
                r.recovery_usd,
                format!("{:016x}", r.digest),
                r.flow_rto_us,
                r.store_rpo_us,
                r.store_pre_onset_rpo_us,
            );
            seq.serialize_element(&tuple)?;
        }
        seq.end()
    }
}

impl<'de: 'a, 'a, R: DiskRow> Deserialize<'de> for Rows<'a, R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RowsVisitor<R>(PhantomData<R>);
        impl<'de, R: DiskRow> Visitor<'de> for RowsVisitor<R> {
            type Value = Option<Box<Samples>>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of sample rows")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Option<Box<Samples>>, A::Error> {
                // Columns are named once the header is read; here only their counts, from the first row.
                let mut samples: Option<Samples> = None;
                while let Some(t) = seq.next_element::<R>()? {
                    let (replication, f, s) = t.shape();
                    let columns = samples.get_or_insert_with(|| {
                        Samples::new(vec![String::new(); f], vec![String::new(); s])
                    });
                    if f != columns.flows().len() || s != columns.stores().len() {
                        return Err(de::Error::custom(format!(
                            "replication {replication} has {f} flow and {s} store values, unlike the rows before it"
                        )));
                    }
                    columns.push_row(t.into_row().map_err(de::Error::custom)?);
                }
                Ok(samples.map(Box::new))
            }
        }
        d.deserialize_seq(RowsVisitor::<R>(PhantomData))
            .map(Rows::In)
    }
}

/// A `drsim-sweep/1` file: one object per sample, seconds as floats, columns by position in the scenario.
#[derive(Deserialize)]
struct V1 {
    scenario: String,
    fingerprint: String,
    config: Scenario,
    seed: u64,
    runs: u64,
    shard: Option<(u64, u64)>,
    samples: Vec<V1Sample>,
}

#[derive(Deserialize)]
struct V1Sample {
    replication: u64,
    rto_s: Option<f64>,
    rpo_s: f64,
    lost_writes: u64,
    flow_rto_s: Vec<Option<f64>>,
    store_rpo_s: Vec<f64>,
    digest: String,
    #[serde(default)]
    recovery_usd: f64,
}

impl V1 {
    fn into_file(self) -> Result<SweepFile, ReadError> {
        let (flows, stores) = columns(&self.config);
        let mut samples = Samples::new(flows, stores);
        // Seconds were written as `micros / 1e6`; rounding back recovers the exact microseconds.
        let us = |s: f64| -> Result<u64, ReadError> {
            if (0.0..9.0e12).contains(&s) {
                Ok((s * 1e6).round() as u64)
            } else {
                Err(ReadError::Invalid(format!("a duration of {s} s")))
            }
        };
        for s in self.samples {
            let digest = u64::from_str_radix(&s.digest, 16)
                .map_err(|_| ReadError::Invalid(format!("bad trace digest {:?}", s.digest)))?;
            // Its RPOs were what is now the pre-onset RPO; the data-loss window was not measured.
            samples.push_row(SampleRow {
                replication: s.replication,
                no_disaster: false,
                rto_us: s.rto_s.map(us).transpose()?,
                rpo_us: None,
                pre_onset_rpo_us: Some(us(s.rpo_s)?),
                lost_writes: s.lost_writes,
                recovery_usd: s.recovery_usd,
                digest,
                flow_rto_us: s
                    .flow_rto_s
                    .iter()
                    .map(|v| v.map(us).transpose())
                    .collect::<Result<_, _>>()?,
                store_rpo_us: vec![None; s.store_rpo_s.len()],
                store_pre_onset_rpo_us: s
                    .store_rpo_s
                    .iter()
                    .map(|&v| us(v).map(Some))
                    .collect::<Result<_, _>>()?,
            });
        }
        Ok(SweepFile {
            scenario: self.scenario,
            fingerprint: self.fingerprint,
            config: self.config,
            seed: self.seed,
            runs: self.runs,
            shard: self.shard,
            samples,
        })
    }
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
