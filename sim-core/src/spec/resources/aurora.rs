//! Amazon Aurora MySQL (cluster, Global Database) as a scenario writes it.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;
use crate::spec::resources::backup::{
    BackupPlanConfig, RestoreConfig, default_first_copy, default_instance_class,
};

/// A secondary cluster of an Aurora Global Database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuroraSecondaryConfig {
    /// The secondary's Region.
    pub region: String,
    /// Storage-level replication lag (C1: "typically under a second"; assumption for the shape:
    /// median 200 ms, p99 3 s, a heavy tail).
    #[serde(default = "default_global_lag")]
    pub lag: Dist,
    /// Whether writes sent to this secondary are forwarded to the primary (write forwarding).
    #[serde(default)]
    pub write_forwarding: bool,
    /// DB instances the secondary cluster runs, for the cost model only (default: the price table's
    /// `assume/global/aurora-secondary-instances`, one reader promoted on failover). An active-active
    /// (multi-site) secondary runs as many as the primary.
    #[serde(default)]
    pub instances: Option<u32>,
}

/// An Aurora MySQL cluster (and Global Database) as a scenario describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuroraConfig {
    /// AZs of the primary cluster's instances: the writer first, then its replicas (Region follows).
    pub instance_azs: Vec<String>,
    /// Secondary clusters (a Global Database when not empty).
    #[serde(default)]
    pub secondaries: Vec<AuroraSecondaryConfig>,
    /// In-Region failover to a replica (C5: "typically less than 60 s, often less than 30 s";
    /// median 20 s, p99 60 s).
    #[serde(default = "default_failover")]
    pub failover: Dist,
    /// Re-creating the writer instance when no replica is up (assumption: median 10 min, p99 20 min).
    #[serde(default = "default_instance_replace")]
    pub instance_replace: Dist,
    /// Promotion of a secondary in an unplanned global failover or detach-and-promote (C2: promotion
    /// "less than a minute"; assumption: uniform 20–59 s).
    #[serde(default = "default_global_failover")]
    pub global_failover: Dist,
    /// Write unavailability of a managed switchover (C3: "short"; assumption: median 45 s, p99 2 min).
    #[serde(default = "default_switchover")]
    pub switchover: Dist,
    /// Cluster size in GB, which lengthens restores (assumption: 100 GB).
    #[serde(default = "default_size_gb")]
    pub size_gb: u32,
    /// Restore durations (C10).
    #[serde(default)]
    pub restore: RestoreConfig,
    /// Continuous backup retention for PITR (Aurora default 1 day; 1–35 days).
    #[serde(default = "default_retention")]
    pub backup_retention: SimDuration,
    /// An AWS Backup plan (snapshots, optionally copied to another Region; C21).
    #[serde(default)]
    pub backup_plan: Option<BackupPlanConfig>,
    /// Duration of a snapshot copy to another Region on request (C11: "can take hours").
    #[serde(default = "default_first_copy")]
    pub snapshot_copy: Dist,
    /// DB instance class of every instance, the primary cluster's and each secondary's, for the cost
    /// model only (default `"db.r6g.large"`; `crate::cost::validate` checks it against the price table).
    #[serde(default = "default_instance_class")]
    pub instance_class: String,
}

fn default_global_lag() -> Dist {
    Dist::log_normal("200ms", "3s")
}

fn default_failover() -> Dist {
    Dist::log_normal("20s", "60s")
}

fn default_instance_replace() -> Dist {
    Dist::log_normal("10m", "20m")
}

fn default_global_failover() -> Dist {
    Dist::uniform("20s", "59s")
}

fn default_switchover() -> Dist {
    Dist::log_normal("45s", "2m")
}

fn default_size_gb() -> u32 {
    100
}

fn default_retention() -> SimDuration {
    SimDuration::from_hours(24)
}

impl AuroraConfig {
    /// A cluster with instances in these AZs and every other field at its default.
    pub fn new(instance_azs: &[&str]) -> AuroraConfig {
        AuroraConfig {
            instance_azs: instance_azs.iter().map(|s| s.to_string()).collect(),
            secondaries: Vec::new(),
            failover: default_failover(),
            instance_replace: default_instance_replace(),
            global_failover: default_global_failover(),
            switchover: default_switchover(),
            size_gb: default_size_gb(),
            restore: RestoreConfig::default(),
            backup_retention: default_retention(),
            backup_plan: None,
            snapshot_copy: default_first_copy(),
            instance_class: default_instance_class(),
        }
    }

    /// Adds a secondary cluster in `region` with the default lag.
    pub fn with_secondary(mut self, region: &str, write_forwarding: bool) -> AuroraConfig {
        self.secondaries.push(AuroraSecondaryConfig {
            region: region.to_string(),
            lag: default_global_lag(),
            write_forwarding,
            instances: None,
        });
        self
    }
}
