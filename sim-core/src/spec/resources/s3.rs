//! Amazon S3 buckets and their replication as a scenario writes them.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::spec::resources::backup::RestoreConfig;

/// Cross-Region Replication of a bucket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicationConfig {
    /// The destination bucket's Region.
    pub region: String,
    /// S3 Replication Time Control (C15).
    #[serde(default)]
    pub rtc: bool,
    /// Replication lag. Default with RTC: `LogNormal("5s", "2m")` (C15: most in seconds; its 99.99th
    /// percentile is ≈ 13 min, inside the 15-minute SLA); without: `LogNormal("1m", "2h")` (C16:
    /// asynchronous, large objects "can take several hours"; assumption for the shape).
    #[serde(default)]
    pub lag: Option<Dist>,
}

/// An S3 bucket as a scenario describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Config {
    /// The bucket's Region.
    pub region: String,
    /// Versioning: overwritten and deleted objects keep their earlier versions, so a restore to a point in
    /// time undoes a corruption (off by default, as in S3).
    #[serde(default)]
    pub versioning: bool,
    /// Cross-Region Replication, if any (needs versioning in S3; enabled implicitly here).
    #[serde(default)]
    pub replication: Option<ReplicationConfig>,
    /// Data size in GB, which lengthens restores of earlier versions (assumption: 10 GB).
    #[serde(default = "default_size_gb")]
    pub size_gb: u32,
    /// Time to restore earlier versions (assumption: as RDS restores, C10, with a batch job per GB).
    #[serde(default)]
    pub restore: RestoreConfig,
}

fn default_size_gb() -> u32 {
    10
}

impl S3Config {
    /// A bucket in `region` with every other field at its default.
    pub fn new(region: &str) -> S3Config {
        S3Config {
            region: region.to_string(),
            versioning: false,
            replication: None,
            size_gb: default_size_gb(),
            restore: RestoreConfig::default(),
        }
    }
}
