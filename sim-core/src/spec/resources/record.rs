//! A Route 53 record and its routing policy as a scenario writes it.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;

/// One endpoint a record can answer with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The endpoint (a resource name in the topology: an ALB, a CloudFront distribution, an API).
    pub endpoint: String,
    /// The health check guarding it, by name: a `HealthCheck`, or an ARC `RoutingControl` (healthy while
    /// On); `None`: Route 53 treats it as always healthy.
    #[serde(default)]
    pub health_check: Option<String>,
}

impl Target {
    /// A target without a health check.
    pub fn new(endpoint: &str) -> Self {
        Target {
            endpoint: endpoint.to_string(),
            health_check: None,
        }
    }

    /// A target guarded by the health check `check`.
    pub fn checked(endpoint: &str, check: &str) -> Self {
        Target {
            endpoint: endpoint.to_string(),
            health_check: Some(check.to_string()),
        }
    }
}

/// How a record chooses among its targets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoutingPolicy {
    /// Always the one target (simple records take no health check).
    Simple {
        /// The target.
        target: Target,
    },
    /// The primary while it is healthy (or unchecked), else the secondary. Target indices: 0, 1.
    Failover {
        /// Answered while healthy.
        primary: Target,
        /// Answered when the primary is unhealthy.
        secondary: Target,
    },
    /// The healthy target in the Region with the lowest latency to the client.
    Latency {
        /// `(Region name, target)`, in index order.
        targets: Vec<(String, Target)>,
    },
    /// Healthy targets in proportion to their weights (0..=255).
    Weighted {
        /// `(weight, target)`, in index order.
        targets: Vec<(u32, Target)>,
    },
}

/// A DNS record with a routing policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordConfig {
    /// How long resolvers cache an answer: default 60 s, the ceiling Route 53 recommends for failover
    /// records (C18).
    #[serde(default = "default_ttl")]
    pub ttl: SimDuration,
    /// How the answer is chosen.
    pub policy: RoutingPolicy,
    /// How long a manual edit of the record takes to reach Route 53's name servers. Default
    /// `LogNormal("20s", "60s")`: C18 says "generally within 60 seconds", read as the 99th percentile; the
    /// median is an assumption.
    #[serde(default = "default_propagation")]
    pub propagation: Dist,
    /// What a failover record does when its primary is healthy again. `Automatic` (Route 53's behaviour,
    /// C18): it answers the primary again at once, whatever state the primary's data is in. `Manual`: once
    /// it has failed over it keeps answering the secondary until a runbook's `UpdateDns` points it back —
    /// the operator's decision (done in practice by disabling or inverting the primary's health check
    /// after a failover, or with ARC routing controls).
    #[serde(default, skip_serializing_if = "is_automatic")]
    pub failback: FailbackMode,
}

/// How a failover record returns to its primary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailbackMode {
    /// As soon as the primary's health check passes (Route 53's behaviour).
    #[default]
    Automatic,
    /// Only when a runbook edits the record back.
    Manual,
}

fn is_automatic(m: &FailbackMode) -> bool {
    *m == FailbackMode::Automatic
}

fn default_ttl() -> SimDuration {
    SimDuration::from_secs(60)
}

fn default_propagation() -> Dist {
    Dist::log_normal("20s", "60s")
}

impl RecordConfig {
    /// A record with the default TTL and propagation.
    pub fn new(policy: RoutingPolicy) -> Self {
        RecordConfig {
            ttl: default_ttl(),
            policy,
            propagation: default_propagation(),
            failback: FailbackMode::Automatic,
        }
    }

    /// The record's targets, in index order (failover: primary 0, secondary 1).
    pub fn targets(&self) -> Vec<&Target> {
        match &self.policy {
            RoutingPolicy::Simple { target } => vec![target],
            RoutingPolicy::Failover { primary, secondary } => vec![primary, secondary],
            RoutingPolicy::Latency { targets } => targets.iter().map(|(_, t)| t).collect(),
            RoutingPolicy::Weighted { targets } => targets.iter().map(|(_, t)| t).collect(),
        }
    }
}
