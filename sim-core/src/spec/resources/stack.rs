//! A CloudFormation stack as a scenario writes it.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;

/// What a stack builds, which sets its default creation time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StackKind {
    /// VPC, subnets, gateways: `LogNormal("5m", "10m")` (C26 "VPC ~5 min").
    Network,
    /// Web tier (launch template, ASG, ALB): `LogNormal("5m", "10m")` (C26 "web ~5 min").
    Web,
    /// Aurora primary cluster: `LogNormal("20m", "40m")` (C26 "~20 min").
    DatabasePrimary,
    /// Aurora secondary cluster joining a global database: `LogNormal("10m", "20m")` (C26 "~10 min").
    DatabaseSecondary,
    /// Anything else: `duration` is required.
    Custom,
}

/// A stack a runbook creates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StackConfig {
    /// The Region it is created in (its control plane must be up).
    pub region: String,
    /// The topology resources it creates.
    #[serde(default)]
    pub resources: Vec<String>,
    /// What it builds.
    pub kind: StackKind,
    /// Creation time; `None`: the default of `kind`.
    #[serde(default)]
    pub duration: Option<Dist>,
}

impl StackKind {
    /// The default creation-time distribution (`None` for [`StackKind::Custom`]).
    pub fn default_duration(self) -> Option<Dist> {
        match self {
            StackKind::Network | StackKind::Web => Some(Dist::log_normal("5m", "10m")),
            StackKind::DatabasePrimary => Some(Dist::log_normal("20m", "40m")),
            StackKind::DatabaseSecondary => Some(Dist::log_normal("10m", "20m")),
            StackKind::Custom => None,
        }
    }
}
