//! The on-disk records: writing a file row by row as `drsim-sweep/4`, and reading `/4`, `/3`, `/2` and `/1`
//! files straight into columns (see the parent module's doc for the formats).

use std::fmt;
use std::io::{self, Write};
use std::marker::PhantomData;

use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::spec::Scenario;
use crate::sweep::sample::{SampleRow, Samples};

use super::{
    ReadError, SWEEP_FORMAT, SWEEP_FORMAT_V1, SWEEP_FORMAT_V2, SWEEP_FORMAT_V3, SweepFile, columns,
};
use crate::sweep::sample::FailbackCells;

impl SweepFile {
    /// Writes the file (format [`SWEEP_FORMAT`]) to `out`, row by row.
    pub fn write_json(&self, out: impl Write) -> io::Result<()> {
        let record: OnDisk<'_, RowV4> = OnDisk {
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
                let record: OnDisk<'_, RowV4> =
                    serde_json::from_slice(bytes).map_err(ReadError::Json)?;
                record.into_file()?
            }
            SWEEP_FORMAT_V3 => {
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
                    "format {other:?} is not {SWEEP_FORMAT} (nor {SWEEP_FORMAT_V3}, {SWEEP_FORMAT_V2} or {SWEEP_FORMAT_V1}, which are still read)"
                )));
            }
        };
        file.check().map_err(ReadError::Invalid)?;
        Ok(file)
    }
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

/// A `drsim-sweep/4` row: a `/3` row, then the exposure window (µs, `null`: still exposed at the
/// horizon) and the failback (`null`: the disaster did not heal; else `[time µs or null, lost writes,
/// extra downtime µs]`).
type RowV4 = (
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
    Option<u64>,
    Option<FailbackCells>,
);

impl DiskRow for RowV4 {
    fn shape(&self) -> (u64, usize, usize) {
        (self.0, self.8.len(), self.9.len())
    }

    fn into_row(self) -> Result<SampleRow, String> {
        let (exposure, failback) = (self.11, self.12);
        let v3: RowV3 = (
            self.0, self.1, self.2, self.3, self.4, self.5, self.6, self.7, self.8, self.9, self.10,
        );
        Ok(SampleRow {
            exposure_us: exposure,
            exposure_measured: true,
            failback,
            ..v3.into_row()?
        })
    }
}

/// A `drsim-sweep/3` row (see the module doc). It has no exposure or failback: read as exposure not
/// measured and no heal.
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
            exposure_us: None,
            exposure_measured: false,
            failback: None,
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
            exposure_us: None,
            exposure_measured: false,
            failback: None,
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
            let tuple: RowV4 = (
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
                r.exposure_us,
                r.failback,
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
                exposure_us: None,
                exposure_measured: false,
                failback: None,
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
