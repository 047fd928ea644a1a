//! Amazon Application Recovery Controller (ARC) routing control as a scenario writes it: a cluster (its
//! Regional endpoints) and the routing controls it hosts (On/Off switches whose Route 53 health checks a
//! record's targets name). C41 in `docs/calibration.md`.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;

/// The Regions of an ARC cluster's five Regional endpoints, in the order an operator's tooling tries them
/// by default (C41).
pub const CLUSTER_REGIONS: [&str; 5] = [
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "ap-northeast-1",
    "ap-southeast-2",
];

/// An ARC cluster: the highly available data plane that holds routing control states.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArcClusterConfig {
    /// The cluster endpoints the runbook's tooling tries, in order (a subset of the cluster's five
    /// Regional endpoints: us-east-1, us-west-2, eu-west-1, ap-northeast-1, ap-southeast-2, the default).
    /// Each endpoint whose Region is down costs one attempt timeout before the next is tried (C41).
    #[serde(default = "default_endpoints")]
    pub endpoints: Vec<String>,
    /// How long a routing control state change takes, once a cluster endpoint accepted it, to reach Route
    /// 53's answers (the cluster's consensus, then the routing control health check's status). Default
    /// `LogNormal("5s", "30s")`: an **assumption**, AWS publishes no figure (C41).
    #[serde(default = "default_propagation")]
    pub propagation: Dist,
}

fn default_endpoints() -> Vec<String> {
    CLUSTER_REGIONS.iter().map(|r| (*r).to_string()).collect()
}

fn default_propagation() -> Dist {
    Dist::log_normal("5s", "30s")
}

impl Default for ArcClusterConfig {
    fn default() -> Self {
        ArcClusterConfig {
            endpoints: default_endpoints(),
            propagation: default_propagation(),
        }
    }
}

/// The state of a routing control: traffic flows to the cell it controls while it is `On`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ControlState {
    /// Its Route 53 health check is healthy: records answer the target it guards.
    On,
    /// Its health check is unhealthy: records answer as if the target were down.
    Off,
}

impl ControlState {
    /// `On` as `true`.
    pub fn is_on(self) -> bool {
        self == ControlState::On
    }
}

/// An ARC routing control: an On/Off switch hosted on a cluster. Its routing control health check (a
/// Route 53 health check that probes nothing) reports its state; a record target names the control as its
/// `health_check`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingControlConfig {
    /// The ARC cluster hosting it (an `ArcCluster` resource).
    pub cluster: String,
    /// Its state at time zero.
    pub state: ControlState,
}
