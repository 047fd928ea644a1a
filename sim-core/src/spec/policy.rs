//! A resilience policy: RTO and RPO targets per disruption type, the four types AWS Resilience Hub uses
//! (its API's `Software`, `Hardware`, `AZ` and `Region` keys; the console's "Customer application",
//! "Cloud infrastructure", "Cloud infrastructure Availability Zone" and "Region"). `drsim assess` holds a
//! scenario to one, from the scenario's `policy:` or a file (`--policy`).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;
use crate::spec::budget::Percentile;
use crate::spec::disaster::DisasterKind;

/// The kinds of disruption a policy sets targets for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DisruptionType {
    /// The application itself: a bad deployment, corrupted or deleted data, errors a resource answers
    /// (`Corruption`, `Delete`, `OriginError`, `GrayFailure`).
    Software,
    /// A single piece of infrastructure: an instance or database lost, a network partition, a site's WAN
    /// link (`ResourceFailure`, `Partition`, `WanLinkDown`).
    Hardware,
    /// An Availability Zone (`AzOutage`), or an on-premises site's power (`PowerOutage`).
    #[serde(rename = "AZ", alias = "Az")]
    Az,
    /// A whole Region (`RegionOutage`), or the loss of an on-premises site (`SiteLoss`).
    Region,
}

impl DisruptionType {
    /// Every type, in the order reports list them.
    pub const ALL: [DisruptionType; 4] = [
        DisruptionType::Software,
        DisruptionType::Hardware,
        DisruptionType::Az,
        DisruptionType::Region,
    ];

    /// The type a disaster kind belongs to; `None` for planned events (not a disruption).
    pub fn of(kind: &DisasterKind) -> Option<DisruptionType> {
        match kind {
            DisasterKind::Corruption { .. }
            | DisasterKind::Delete { .. }
            | DisasterKind::OriginError { .. }
            | DisasterKind::GrayFailure { .. } => Some(DisruptionType::Software),
            DisasterKind::ResourceFailure { .. }
            | DisasterKind::Partition { .. }
            | DisasterKind::WanLinkDown { .. } => Some(DisruptionType::Hardware),
            // A data centre losing power is what an AZ outage is to AWS: one facility, back later.
            DisasterKind::AzOutage { .. } | DisasterKind::PowerOutage { .. } => {
                Some(DisruptionType::Az)
            }
            // Losing the primary site is the on-premises Region loss.
            DisasterKind::RegionOutage { .. } | DisasterKind::SiteLoss { .. } => {
                Some(DisruptionType::Region)
            }
            DisasterKind::Planned { .. } => None,
        }
    }

    /// Its name in words, as reports print it.
    pub fn label(self) -> &'static str {
        match self {
            DisruptionType::Software => "application (software, data)",
            DisruptionType::Hardware => "infrastructure (a single resource)",
            DisruptionType::Az => "Availability Zone",
            DisruptionType::Region => "Region",
        }
    }

    /// Its key, as Resilience Hub's API and drsim's JSON write it.
    pub fn key(self) -> &'static str {
        match self {
            DisruptionType::Software => "Software",
            DisruptionType::Hardware => "Hardware",
            DisruptionType::Az => "AZ",
            DisruptionType::Region => "Region",
        }
    }
}

impl fmt::Display for DisruptionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The targets for one disruption type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Recovery time objective: the service RTO must be at most this.
    pub rto: SimDuration,
    /// Recovery point objective: the data-loss window must be at most this.
    pub rpo: SimDuration,
}

/// A resilience policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Its name, for reports.
    #[serde(default = "default_name")]
    pub name: String,
    /// The percentile of runs the targets hold for (a measured figure, judged with its 95 % interval;
    /// default 99).
    #[serde(default = "default_percentile")]
    pub percentile: Percentile,
    /// Targets for application disruptions (software, data).
    #[serde(default)]
    pub software: Option<Targets>,
    /// Targets for the loss of a single resource.
    #[serde(default)]
    pub hardware: Option<Targets>,
    /// Targets for the loss of an Availability Zone.
    #[serde(default)]
    pub az: Option<Targets>,
    /// Targets for the loss of a Region (optional in Resilience Hub too).
    #[serde(default)]
    pub region: Option<Targets>,
}

fn default_name() -> String {
    "policy".to_string()
}

fn default_percentile() -> Percentile {
    Percentile::whole(99).unwrap_or_else(|| unreachable!("99 is a percentile"))
}

impl Policy {
    /// A policy with no targets yet.
    pub fn new(name: &str) -> Policy {
        Policy {
            name: name.to_string(),
            percentile: default_percentile(),
            software: None,
            hardware: None,
            az: None,
            region: None,
        }
    }

    /// The targets for `kind`, if the policy sets them.
    pub fn targets(&self, kind: DisruptionType) -> Option<Targets> {
        match kind {
            DisruptionType::Software => self.software,
            DisruptionType::Hardware => self.hardware,
            DisruptionType::Az => self.az,
            DisruptionType::Region => self.region,
        }
    }

    /// Sets the targets for `kind`.
    pub fn set(&mut self, kind: DisruptionType, targets: Targets) {
        match kind {
            DisruptionType::Software => self.software = Some(targets),
            DisruptionType::Hardware => self.hardware = Some(targets),
            DisruptionType::Az => self.az = Some(targets),
            DisruptionType::Region => self.region = Some(targets),
        }
    }
}
