//! An EC2 Auto Scaling group as a scenario writes it.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;
use crate::spec::resources::ec2::{Os, default_instance_type};

/// An Auto Scaling group spread over AZs of one Region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AsgConfig {
    /// Its Region.
    pub region: String,
    /// Its AZs, all in `region`.
    pub azs: Vec<String>,
    /// Instances it keeps running (0 for a pilot light).
    pub desired: u32,
    /// Lower bound on `desired`.
    #[serde(default)]
    pub min: u32,
    /// Upper bound on `desired`.
    pub max: u32,
    /// Ready instances needed to carry the full load; with fewer, that fraction of requests succeeds.
    pub needed: u32,
    /// Instance OS.
    #[serde(default)]
    pub os: Os,
    /// Time from launching an instance until it serves (replacements, scale-ups, rebalancing, and every
    /// instance when a stack creates the group); `None`: [`default_launch`] of `os`.
    #[serde(default)]
    pub launch: Option<Dist>,
    /// How long the group takes to notice lost instances and start replacements. Default 2 min,
    /// assumption: EC2 status checks run every minute and the group acts on the second failed one.
    #[serde(default = "default_replace_after")]
    pub replace_after: SimDuration,
    /// Instance type of the group's instances, for the cost model only (default `"m5.large"`).
    #[serde(default = "default_instance_type")]
    pub instance_type: String,
}

fn default_replace_after() -> SimDuration {
    SimDuration::from_mins(2)
}
