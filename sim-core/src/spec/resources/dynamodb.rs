//! Amazon DynamoDB tables and global tables as a scenario writes them.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;
use crate::spec::resources::backup::{BackupPlanConfig, RestoreConfig, default_first_copy};

/// How a global table keeps its Regions consistent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Consistency {
    /// Multi-Region eventual consistency (MREC), last writer wins (C12).
    #[default]
    Eventual,
    /// Multi-Region strong consistency (MRSC): three replicas, or two and a witness (C13).
    Strong,
}

/// A DynamoDB table as a scenario describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DynamoDbConfig {
    /// The table's Region (its first replica).
    pub region: String,
    /// Other Regions holding replicas (a global table when not empty).
    #[serde(default)]
    pub replicas: Vec<String>,
    /// MREC or MRSC.
    #[serde(default)]
    pub consistency: Consistency,
    /// MRSC only: a Region holding a witness instead of a third replica.
    #[serde(default)]
    pub witness: Option<String>,
    /// MREC replication lag (C12: "typically within a second"; assumption for the shape: median 500 ms,
    /// p99 2.5 s).
    #[serde(default = "default_lag")]
    pub replication_lag: Dist,
    /// Distinct items written (the key space): fewer items, more last-writer-wins collisions
    /// (assumption: 1,000,000).
    #[serde(default = "default_items")]
    pub items: u64,
    /// Point-in-time recovery (off by default, as in DynamoDB); restorable to ~5 min before now (C14).
    #[serde(default)]
    pub pitr: bool,
    /// PITR retention (C14: 35 days; 1–35 days).
    #[serde(default = "default_pitr_retention")]
    pub pitr_retention: SimDuration,
    /// An AWS Backup plan for on-demand style backups and copies (C21).
    #[serde(default)]
    pub backup_plan: Option<BackupPlanConfig>,
    /// Table size in GB, which lengthens restores (assumption: 10 GB).
    #[serde(default = "default_size_gb")]
    pub size_gb: u32,
    /// Restore durations (assumption: the RDS defaults, C10; DynamoDB publishes no restore time).
    #[serde(default)]
    pub restore: RestoreConfig,
    /// Duration of a backup copy to another Region on request (C21; assumption as C11).
    #[serde(default = "default_first_copy")]
    pub backup_copy: Dist,
    /// How long re-adding a replica Region takes (a runbook's `AddReplica`, e.g. after a restore, which
    /// makes a single-Region table).
    #[serde(default)]
    pub add_replica: ReplicaAddConfig,
}

/// How long adding a replica to a table takes (UpdateTable `ReplicaUpdates: Create`): a base plus a per-GB
/// term, since the new replica is filled with the table's items first. AWS: "a few minutes for an empty
/// table, or up to several hours for large tables" (CloudFormation `AWS::DynamoDB::GlobalTable`,
/// `Replicas`); no formula is published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicaAddConfig {
    /// Time for an empty table (assumption: median 5 min, p99 15 min: "a few minutes").
    #[serde(default = "default_add_base")]
    pub base: Dist,
    /// Added per GB of the table (assumption: 10 s/GB, so 1 TB adds 2.8 h: "up to several hours").
    #[serde(default = "default_add_per_gb")]
    pub per_gb: SimDuration,
}

fn default_add_base() -> Dist {
    Dist::log_normal("5m", "15m")
}

fn default_add_per_gb() -> SimDuration {
    SimDuration::from_secs(10)
}

impl Default for ReplicaAddConfig {
    fn default() -> Self {
        ReplicaAddConfig {
            base: default_add_base(),
            per_gb: default_add_per_gb(),
        }
    }
}

fn default_lag() -> Dist {
    Dist::log_normal("500ms", "2500ms")
}

fn default_items() -> u64 {
    1_000_000
}

fn default_pitr_retention() -> SimDuration {
    crate::spec::limits::MAX_PITR_RETENTION
}

fn default_size_gb() -> u32 {
    10
}

impl DynamoDbConfig {
    /// A table in `region` with replicas in `replicas` and every other field at its default.
    pub fn new(region: &str, replicas: &[&str], consistency: Consistency) -> DynamoDbConfig {
        DynamoDbConfig {
            region: region.to_string(),
            replicas: replicas.iter().map(|s| s.to_string()).collect(),
            consistency,
            witness: None,
            replication_lag: default_lag(),
            items: default_items(),
            pitr: false,
            pitr_retention: default_pitr_retention(),
            backup_plan: None,
            size_gb: default_size_gb(),
            restore: RestoreConfig::default(),
            backup_copy: default_first_copy(),
            add_replica: ReplicaAddConfig::default(),
        }
    }
}
