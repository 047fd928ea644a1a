//! An Application Load Balancer as a scenario writes it.

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;

/// An Application Load Balancer in front of targets (instances or a group).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlbConfig {
    /// Its Region (it spans the Region's AZs, so it survives the loss of one).
    pub region: String,
    /// Its targets, by resource name.
    pub targets: Vec<String>,
    /// Target health check interval: 30 s default, 5..=300 s (ELB target group defaults). Each check waits
    /// 5 s (the ELB default timeout); a target slower than that fails it.
    #[serde(default = "default_alb_interval")]
    pub health_check_interval: SimDuration,
    /// Failed checks before a target is unhealthy and gets no more requests: 2 default, 2..=10 (the first
    /// check after a target dies comes at a random phase of the interval).
    #[serde(default = "default_unhealthy")]
    pub unhealthy_threshold: u32,
    /// Passed checks before a target (a recovered or new instance) gets requests: 5 default, 2..=10.
    #[serde(default = "default_healthy")]
    pub healthy_threshold: u32,
}

fn default_alb_interval() -> SimDuration {
    SimDuration::from_secs(30)
}

fn default_unhealthy() -> u32 {
    2
}

fn default_healthy() -> u32 {
    5
}

impl AlbConfig {
    /// An ALB with the default health check.
    pub fn new(region: &str, targets: &[&str]) -> Self {
        AlbConfig {
            region: region.to_string(),
            targets: targets.iter().map(|t| t.to_string()).collect(),
            health_check_interval: default_alb_interval(),
            unhealthy_threshold: default_unhealthy(),
            healthy_threshold: default_healthy(),
        }
    }
}
