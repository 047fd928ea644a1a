//! A database (or file server) in an on-premises site and the paths its data takes to AWS, as a scenario
//! writes them: AWS Snowball shipments, AWS DataSync tasks over the site's link, and the S3 storage class
//! (with its Glacier retrieval tier) the copies rest in, AWS Storage Gateway with its upload buffer, and AWS DMS.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;
use crate::spec::resources::backup::RestoreConfig;

/// A data store in an on-premises site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnPremDbConfig {
    /// The site it runs in (an entry of `regions` with a `site`).
    pub site: String,
    /// Data size in GB: what a Snowball carries, a first DataSync task copies, and a restore reads
    /// (assumption: 1,000 GB).
    #[serde(default = "default_size_gb")]
    pub size_gb: u32,
    /// How copies of the data leave the site for AWS; none: the data lives only in the site.
    #[serde(default)]
    pub offsite: Vec<OffsiteConfig>,
    /// Where the copies rest in S3, and how they are retrieved before a restore can start.
    #[serde(default)]
    pub archive: ArchiveConfig,
    /// Time to restore a copy into AWS (an RDS instance or EC2 volumes) once it is retrievable (as RDS
    /// restores, C10).
    #[serde(default)]
    pub restore: RestoreConfig,
}

fn default_size_gb() -> u32 {
    1_000
}

/// A path by which copies of the data leave the site for an AWS Region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OffsiteConfig {
    /// AWS Snowball: a device is loaded with a full copy, shipped and imported into S3 on a schedule. Once
    /// shipped, the device no longer needs the site.
    Snowball {
        /// The Region whose S3 the device is imported into.
        to: String,
        /// Time between shipments (course module 004: "once a week").
        #[serde(default = "week")]
        every: SimDuration,
        /// When the first device is loaded, from time zero.
        #[serde(default = "hour")]
        first_at: SimDuration,
        /// Copying the data onto the device, in the site (assumption: `LogNormal("8h", "24h")` for about
        /// a terabyte at the device's local transfer rate).
        #[serde(default = "default_load")]
        load: Dist,
        /// Carrier transit to AWS (C33: "about a day" express in the EU, one- or two-day in the US,
        /// "less than a week" standard: default `Uniform("1d", "2d")`).
        #[serde(default = "default_transit")]
        transit: Dist,
        /// From arrival at AWS until the data is in S3 (C33: processing "can take a day or more":
        /// assumption `LogNormal("1d", "2d")`).
        #[serde(default = "default_import")]
        import: Dist,
    },
    /// AWS DataSync: a task copies what changed over the site's link on a schedule; the first run copies
    /// everything. A run needs the site, the link and the Region up throughout.
    DataSync {
        /// The Region whose S3 the task writes to.
        to: String,
        /// Time between task runs (at least 1 h: DataSync schedules run at most hourly, C34).
        #[serde(default = "day")]
        every: SimDuration,
        /// When the first run starts, from time zero.
        #[serde(default = "hour")]
        first_at: SimDuration,
        /// GB changed between runs, which a later run copies (assumption: 1 % of `size_gb` a day; 0 here
        /// means that default).
        #[serde(default)]
        changed_gb: u32,
        /// Time a run spends before and after moving data: preparing (listing and comparing) and
        /// verifying (C34; assumption: `LogNormal("5m", "30m")`).
        #[serde(default = "default_overhead")]
        overhead: Dist,
    },
    /// AWS Storage Gateway (a file gateway, or a volume gateway with cached volumes): primary data in S3,
    /// every write uploaded through the gateway's upload buffer, which drains at the link's bandwidth. A
    /// runbook's `Promote(store, region)` mounts the copy in AWS after `activate`.
    StorageGateway {
        /// The Region whose S3 holds the data.
        to: String,
        /// A file gateway (objects in S3) or cached volumes (volume data in S3).
        #[serde(default)]
        mode: GatewayMode,
        /// How long a write waits in the buffer when nothing else does (C35 asynchronous upload;
        /// assumption: `LogNormal("5s", "1m")`).
        #[serde(default = "default_upload_lag")]
        upload_lag: Dist,
        /// Write bursts (a nightly batch, a migration) that fill the upload buffer; every later write waits
        /// behind them until the link has carried them.
        #[serde(default)]
        bursts: Vec<BurstConfig>,
        /// Bringing the copy up in AWS: default by mode (assumption: a file share through a new gateway
        /// on EC2 `LogNormal("10m", "30m")`; cached volumes as EBS volumes from their snapshots
        /// `LogNormal("30m", "2h")`).
        #[serde(default)]
        activate: Option<Dist>,
    },
    /// AWS DMS: a full load of `size_gb` over the site's link into an RDS database in `to`, then ongoing
    /// replication (change data capture) with a lag. The task stops when the site is lost; a runbook's
    /// `Promote(store, region)` makes the target the writer after `cutover` (a pilot light's database).
    Dms {
        /// The Region of the target RDS database.
        to: String,
        /// How far the target trails the source once the full load is done (C36; assumption:
        /// `LogNormal("2s", "30s")`).
        #[serde(default = "default_cdc_lag")]
        cdc_lag: Dist,
        /// Stopping the task and making the target writable (assumption: `LogNormal("2m", "10m")`).
        #[serde(default = "default_cutover")]
        cutover: Dist,
    },
}

fn default_cdc_lag() -> Dist {
    Dist::log_normal("2s", "30s")
}

fn default_cutover() -> Dist {
    Dist::log_normal("2m", "10m")
}

/// What a Storage Gateway presents to the site.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum GatewayMode {
    /// A file gateway: files are objects in S3.
    #[default]
    File,
    /// A volume gateway with cached volumes: the volume's data is in S3, recently used data local.
    CachedVolume,
}

impl GatewayMode {
    /// How long the data takes to come up in AWS when the scenario names no `activate`.
    pub fn default_activate(self) -> Dist {
        match self {
            GatewayMode::File => Dist::log_normal("10m", "30m"),
            GatewayMode::CachedVolume => Dist::log_normal("30m", "2h"),
        }
    }
}

/// A burst of writes into a Storage Gateway's upload buffer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BurstConfig {
    /// When it is written, from time zero.
    pub at: SimDuration,
    /// How much it writes, in GB.
    pub gb: u32,
}

fn default_upload_lag() -> Dist {
    Dist::log_normal("5s", "1m")
}

fn week() -> SimDuration {
    SimDuration::from_hours(24 * 7)
}

fn day() -> SimDuration {
    SimDuration::from_hours(24)
}

fn hour() -> SimDuration {
    SimDuration::from_hours(1)
}

fn default_load() -> Dist {
    Dist::log_normal("8h", "24h")
}

fn default_transit() -> Dist {
    Dist::Uniform(SimDuration::from_hours(24), SimDuration::from_hours(48))
}

fn default_import() -> Dist {
    Dist::log_normal("1d", "2d")
}

fn default_overhead() -> Dist {
    Dist::log_normal("5m", "30m")
}

/// The S3 storage class the offsite copies rest in, and the retrieval tier a restore asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveConfig {
    /// The storage class (default S3 Standard: no retrieval).
    #[serde(default)]
    pub class: StorageClass,
    /// The retrieval tier for an archive class (default Standard, as S3's `RestoreObject`).
    #[serde(default)]
    pub tier: RetrievalTier,
}

/// An S3 storage class for backups.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StorageClass {
    /// S3 Standard: readable at once.
    #[default]
    Standard,
    /// S3 Glacier Flexible Retrieval: restored before it can be read (C30).
    GlacierFlexibleRetrieval,
    /// S3 Glacier Deep Archive: restored before it can be read, more slowly; no Expedited tier (C30).
    GlacierDeepArchive,
}

/// An archive retrieval tier (S3 `RestoreObject`'s `Tier`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RetrievalTier {
    /// Minutes (Flexible Retrieval only).
    Expedited,
    /// Hours.
    #[default]
    Standard,
    /// The cheapest and slowest.
    Bulk,
}

impl ArchiveConfig {
    /// How long a retrieval takes before a restore can read the copy (C30), or why the tier is not
    /// offered for the class; `None` for S3 Standard.
    pub fn retrieval(&self) -> Result<Option<Dist>, String> {
        let h = SimDuration::from_hours;
        let m = SimDuration::from_mins;
        Ok(Some(match (self.class, self.tier) {
            (StorageClass::Standard, _) => return Ok(None),
            (StorageClass::GlacierFlexibleRetrieval, RetrievalTier::Expedited) => {
                Dist::Uniform(m(1), m(5))
            }
            (StorageClass::GlacierFlexibleRetrieval, RetrievalTier::Standard) => {
                Dist::Uniform(h(3), h(5))
            }
            (StorageClass::GlacierFlexibleRetrieval, RetrievalTier::Bulk) => {
                Dist::Uniform(h(5), h(12))
            }
            (StorageClass::GlacierDeepArchive, RetrievalTier::Expedited) => {
                return Err(
                    "archive: S3 Glacier Deep Archive offers no Expedited retrieval; use Standard \
                     (within 12 h) or Bulk (within 48 h)"
                        .to_string(),
                );
            }
            (StorageClass::GlacierDeepArchive, RetrievalTier::Standard) => {
                Dist::Uniform(h(6), h(12))
            }
            (StorageClass::GlacierDeepArchive, RetrievalTier::Bulk) => Dist::Uniform(h(24), h(48)),
        }))
    }
}
