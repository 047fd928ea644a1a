//! Backup plans (AWS Backup, RDS automated snapshots) and restore durations as a scenario writes them.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;

/// A backup plan as a scenario writes it: periodic backups of the store, optionally copied to another
/// Region's vault (AWS Backup, C21), or the RDS daily automated snapshot (C22).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupPlanConfig {
    /// Time between backups; at least 1 hour (C21: scheduled backups no more often than hourly).
    #[serde(default = "default_every")]
    pub every: SimDuration,
    /// When the first backup starts, from time zero (assumption: 1h, one period into a day-long run).
    #[serde(default = "default_first_at")]
    pub first_at: SimDuration,
    /// How long a backup job takes until the backup is usable (C29: "backup jobs ~5 min").
    #[serde(default = "default_job")]
    pub job: Dist,
    /// How long each backup is kept, for the cost model (the stored backups: a full plus the incrementals
    /// of the retention period). Default: 35 days for an AWS Backup plan (its console's daily template),
    /// the database's `backup_retention` for RDS automated snapshots.
    #[serde(default)]
    pub retention: Option<SimDuration>,
    /// Region of the vault each backup is copied to (a copy job), if any.
    #[serde(default)]
    pub copy_to: Option<String>,
    /// Duration of the first copy job, a full copy (C11: "can take hours"; C21: first full).
    #[serde(default = "default_first_copy")]
    pub first_copy: Dist,
    /// Duration of later copy jobs, incremental (C21; assumption: a quarter of a full copy's median).
    #[serde(default = "default_copy")]
    pub copy: Dist,
}

fn default_every() -> SimDuration {
    SimDuration::from_hours(24)
}

fn default_first_at() -> SimDuration {
    SimDuration::from_hours(1)
}

/// How long an AWS Backup plan keeps its backups when it does not say (the console's daily template).
pub const DEFAULT_BACKUP_RETENTION: SimDuration = SimDuration::from_hours(35 * 24);

fn default_job() -> Dist {
    Dist::log_normal("5m", "20m")
}

/// The DB instance class an RDS or Aurora config gets when it names none (cost model only).
pub fn default_instance_class() -> String {
    "db.r6g.large".to_string()
}

pub(crate) fn default_first_copy() -> Dist {
    Dist::log_normal("1h", "6h")
}

pub(crate) fn default_copy() -> Dist {
    Dist::log_normal("15m", "2h")
}

impl Default for BackupPlanConfig {
    fn default() -> Self {
        BackupPlanConfig {
            every: default_every(),
            first_at: default_first_at(),
            job: default_job(),
            retention: None,
            copy_to: None,
            first_copy: default_first_copy(),
            copy: default_copy(),
        }
    }
}

/// Restore durations: a base plus a per-GB term (C10: "10 minutes to hours"; no size formula is
/// published, so the split is an assumption).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestoreConfig {
    /// Time to create the instance and make it `available`, whatever its size (C10; assumption:
    /// median 10 min, p99 45 min).
    #[serde(default = "default_restore_base")]
    pub base: Dist,
    /// Added per GB of data (assumption: 3 s/GB, so 100 GB adds 5 min and 1 TB adds 50 min).
    #[serde(default = "default_restore_per_gb")]
    pub per_gb: SimDuration,
}

fn default_restore_base() -> Dist {
    Dist::log_normal("10m", "45m")
}

fn default_restore_per_gb() -> SimDuration {
    SimDuration::from_secs(3)
}

impl Default for RestoreConfig {
    fn default() -> Self {
        RestoreConfig {
            base: default_restore_base(),
            per_gb: default_restore_per_gb(),
        }
    }
}
