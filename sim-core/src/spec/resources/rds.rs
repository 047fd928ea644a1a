//! Amazon RDS for MySQL as a scenario writes it: deployment, read replicas, backups.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;
use crate::spec::resources::backup::{
    BackupPlanConfig, RestoreConfig, default_first_copy, default_instance_class,
};

/// How the RDS instance is deployed in its Region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RdsDeployment {
    /// One instance in one AZ: down while its AZ is down.
    SingleAz {
        /// The instance's AZ.
        az: String,
    },
    /// A primary and a synchronous standby in another AZ, automatic failover (C6).
    MultiAzInstance {
        /// The primary's AZ.
        primary_az: String,
        /// The standby's AZ.
        standby_az: String,
    },
    /// A writer and two readable standbys in three AZs, semi-synchronous, failover under 35 s (C7).
    MultiAzCluster {
        /// The writer's AZ.
        writer_az: String,
        /// The two reader standbys' AZs.
        reader_azs: Vec<String>,
    },
}

/// A read replica of an RDS instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadReplicaConfig {
    /// The replica's AZ (its Region follows from it).
    pub az: String,
    /// Replication lag; by default `LogNormal("100ms", "2s")` in-Region and `LogNormal("1s", "15s")`
    /// cross-Region (assumption: C8 publishes no figure, only that cross-Region lag is higher).
    #[serde(default)]
    pub lag: Option<Dist>,
}

/// An RDS for MySQL database as a scenario describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RdsConfig {
    /// Deployment and placement.
    pub deployment: RdsDeployment,
    /// Read replicas, in-Region or cross-Region.
    #[serde(default)]
    pub read_replicas: Vec<ReadReplicaConfig>,
    /// Multi-AZ instance failover time (C6: "typically 60–120 seconds").
    #[serde(default = "default_multi_az_failover")]
    pub multi_az_failover: Dist,
    /// Multi-AZ cluster failover time (C7: "typically under 35 seconds"; assumption: uniform from 15 s).
    #[serde(default = "default_cluster_failover")]
    pub cluster_failover: Dist,
    /// Read replica promotion time (C8: "a few minutes", "several minutes or longer"; assumption:
    /// median 3 min, p99 15 min).
    #[serde(default = "default_promotion")]
    pub promotion: Dist,
    /// Database size in GB, which lengthens restores (assumption: 100 GB).
    #[serde(default = "default_size_gb")]
    pub size_gb: u32,
    /// Restore durations (C10).
    #[serde(default)]
    pub restore: RestoreConfig,
    /// Automated backups: transaction logs shipped every 5 min for PITR (C9) and a daily snapshot in the
    /// backup window (C22). On by default, as in RDS.
    #[serde(default = "default_true")]
    pub automated_backups: bool,
    /// How long automated backups are kept (RDS default 7 days; 1–35 days).
    #[serde(default = "default_retention")]
    pub backup_retention: SimDuration,
    /// The daily automated snapshot: starts in the backup window (C22: a 30-minute window; assumption:
    /// at 03:00 of each simulated day), optionally copied to another Region.
    #[serde(default = "default_snapshots")]
    pub automated_snapshots: BackupPlanConfig,
    /// Manual snapshots an operator takes, as offsets from the start of the run (none by default). Each
    /// takes as long as an automated snapshot job and is kept until the end of the run.
    #[serde(default)]
    pub manual_snapshots: Vec<SimDuration>,
    /// An AWS Backup plan for this database, if any (C21).
    #[serde(default)]
    pub backup_plan: Option<BackupPlanConfig>,
    /// Duration of a snapshot copy to another Region on request (C11: "can take hours").
    #[serde(default = "default_first_copy")]
    pub snapshot_copy: Dist,
    /// DB instance class of every instance (primary, standbys, read replicas), for the cost model only
    /// (default `"db.r6g.large"`; `crate::cost::validate` checks it against the price table).
    #[serde(default = "default_instance_class")]
    pub instance_class: String,
}

fn default_multi_az_failover() -> Dist {
    Dist::uniform("60s", "120s")
}

fn default_cluster_failover() -> Dist {
    Dist::uniform("15s", "34s")
}

fn default_promotion() -> Dist {
    Dist::log_normal("3m", "15m")
}

fn default_size_gb() -> u32 {
    100
}

fn default_true() -> bool {
    true
}

fn default_retention() -> SimDuration {
    SimDuration::from_hours(7 * 24)
}

fn default_snapshots() -> BackupPlanConfig {
    BackupPlanConfig {
        first_at: SimDuration::from_hours(3),
        ..BackupPlanConfig::default()
    }
}

impl RdsConfig {
    /// A database with this deployment and every other field at its default.
    pub fn new(deployment: RdsDeployment) -> RdsConfig {
        RdsConfig {
            deployment,
            read_replicas: Vec::new(),
            multi_az_failover: default_multi_az_failover(),
            cluster_failover: default_cluster_failover(),
            promotion: default_promotion(),
            size_gb: default_size_gb(),
            restore: RestoreConfig::default(),
            automated_backups: true,
            backup_retention: default_retention(),
            automated_snapshots: default_snapshots(),
            manual_snapshots: Vec::new(),
            backup_plan: None,
            snapshot_copy: default_first_copy(),
            instance_class: default_instance_class(),
        }
    }
}
