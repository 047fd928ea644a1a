//! A database (or file server) in an on-premises site and the paths its data takes to AWS, as a scenario
//! writes them: AWS Snowball shipments, AWS DataSync tasks over the site's link, and the S3 storage class
//! (with its Glacier retrieval tier) the copies rest in, AWS Storage Gateway with its upload buffer (file,
//! cached and stored volumes, virtual tapes), AWS DMS, and physical tapes a courier takes offsite.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;
use crate::spec::resources::backup::{RestoreConfig, default_copy, default_first_copy};

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
    /// AWS Storage Gateway as a tape gateway (C37): a backup application writes a backup to a new virtual
    /// tape on a schedule; the gateway uploads it through its upload buffer over the site's link into the
    /// virtual tape library in S3, and the application ejects it to the virtual tape shelf (`shelf`). A
    /// restore (`RestoreSnapshot`) first retrieves the tape from the shelf to a gateway in AWS.
    TapeGateway {
        /// The Region of the tape library and shelf.
        to: String,
        /// Time between backups to tape (default nightly).
        #[serde(default = "day")]
        every: SimDuration,
        /// When the first backup starts, from time zero.
        #[serde(default = "hour")]
        first_at: SimDuration,
        /// The backup application writing the tape in the site, into the gateway's cache (assumption:
        /// `LogNormal("1h", "4h")`).
        #[serde(default = "default_tape_write")]
        write: Dist,
        /// GB written to each tape (0, the default: a full backup of `size_gb` on every tape).
        #[serde(default)]
        tape_gb: u32,
        /// Where ejected tapes rest: `GlacierFlexibleRetrieval` (the Glacier pool, retrieved in 3–5 h),
        /// `GlacierDeepArchive` (the Deep Archive pool, within 12 h), or `Standard`: kept in the library,
        /// never ejected (C37).
        #[serde(default = "default_shelf")]
        shelf: StorageClass,
    },
    /// Physical tapes sent offsite (course module 003, "tape and offsite backup"): a backup written to tape
    /// in the site on a schedule, picked up by a courier on its own schedule and taken to a vault. Only
    /// tapes already picked up survive a site loss. A restore (`RestoreSnapshot` in `to`) recalls the tape
    /// from the vault and reads it into AWS. No AWS figure exists for any of this: every default is an
    /// assumption (C38).
    Tape {
        /// The Region the tapes are restored into.
        to: String,
        /// Time between backups to tape (default nightly; at least 1 h).
        #[serde(default = "day")]
        every: SimDuration,
        /// When the first backup starts, from time zero.
        #[serde(default = "hour")]
        first_at: SimDuration,
        /// Writing a backup to tape in the site (assumption: `LogNormal("2h", "6h")`).
        #[serde(default = "default_tape_write_physical")]
        write: Dist,
        /// Time between courier pickups (assumption: weekly); a tape waits in the site for the next one.
        #[serde(default = "week")]
        pickup_every: SimDuration,
        /// The first pickup, from time zero (assumption: `"1d 12h"`, midday of the second day).
        #[serde(default = "default_pickup_at")]
        pickup_at: SimDuration,
        /// The courier's journey to the vault (assumption: `Uniform("2h", "8h")`).
        #[serde(default = "default_courier_transit")]
        transit: Dist,
        /// Recalling a tape from the vault to where it is read (assumption: `LogNormal("12h", "2d")`,
        /// hours for an emergency delivery to days).
        #[serde(default = "default_recall")]
        recall: Dist,
    },
    /// AWS Storage Gateway, a volume gateway with stored volumes (C39): the primary data stays in the site
    /// and is backed up asynchronously as EBS snapshots in `to` on a schedule; each snapshot uploads the
    /// data changed since the last (the first, all of `size_gb`) through the upload buffer over the link.
    /// A restore (`RestoreSnapshot`) creates an EBS volume from the latest snapshot that had completed.
    StoredVolume {
        /// The Region the snapshots are stored in.
        to: String,
        /// Time between snapshots, 1 h to 24 h (C39: `RecurrenceInHours` 1–24; default 24 h).
        #[serde(default = "day")]
        every: SimDuration,
        /// When the first snapshot is taken, from time zero.
        #[serde(default = "hour")]
        first_at: SimDuration,
        /// GB changed between snapshots, which a later snapshot uploads (assumption: 1 % of `size_gb` a
        /// day; 0 here means that default).
        #[serde(default)]
        changed_gb: u32,
        /// Each snapshot copied on to another Region (an EBS snapshot copy, or an AMI copy with its
        /// snapshots, C40), from which `RestoreSnapshot` there restores.
        #[serde(default)]
        copy_to: Option<SnapshotCopyConfig>,
    },
}

/// Copies of each snapshot to another Region (EBS `CopySnapshot`, or `CopyImage` for an AMI).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotCopyConfig {
    /// The Region the snapshots are copied to.
    pub region: String,
    /// The first copy, a full one (as AWS Backup copies, C11/C21: `LogNormal("1h", "6h")`).
    #[serde(default = "default_first_copy")]
    pub first_copy: Dist,
    /// Later copies, incremental (C40; as AWS Backup copies: `LogNormal("15m", "2h")`).
    #[serde(default = "default_copy")]
    pub copy: Dist,
}

fn default_tape_write() -> Dist {
    Dist::log_normal("1h", "4h")
}

fn default_tape_write_physical() -> Dist {
    Dist::log_normal("2h", "6h")
}

fn default_shelf() -> StorageClass {
    StorageClass::GlacierFlexibleRetrieval
}

fn default_pickup_at() -> SimDuration {
    SimDuration::from_hours(36)
}

fn default_courier_transit() -> Dist {
    Dist::Uniform(SimDuration::from_hours(2), SimDuration::from_hours(8))
}

fn default_recall() -> Dist {
    Dist::log_normal("12h", "2d")
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
