//! A Route 53 health check as a scenario writes it.

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;

/// A Route 53 health check on one endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthCheckConfig {
    /// The endpoint it probes (a resource name in the topology).
    pub target: String,
    /// Time between one checker's probes: 30 s (default) or 10 s ("fast"), C17.
    #[serde(default = "default_interval")]
    pub interval: SimDuration,
    /// Consecutive failed (or passed) probes before a checker changes its verdict: 1..=10, default 3 (C17).
    #[serde(default = "default_threshold")]
    pub failure_threshold: u32,
    /// How many checkers probe. Assumption: 16, i.e. the 8 default checker Regions with 2 checkers each;
    /// Route 53 does not publish the count. It changes only the spread of the verdict time, never its
    /// bounds.
    #[serde(default = "default_checkers")]
    pub checkers: u32,
}

fn default_interval() -> SimDuration {
    SimDuration::from_secs(30)
}

fn default_threshold() -> u32 {
    3
}

fn default_checkers() -> u32 {
    16
}

impl HealthCheckConfig {
    /// A health check on `target` with the defaults (30 s, threshold 3, 16 checkers).
    pub fn new(target: &str) -> Self {
        HealthCheckConfig {
            target: target.to_string(),
            interval: default_interval(),
            failure_threshold: default_threshold(),
            checkers: default_checkers(),
        }
    }
}
