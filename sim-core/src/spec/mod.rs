//! The scenario as data: what a scenario file says, before it is built into a running world.
//!
//! These types *are* the RON format (`docs/scenario-format.md`): every struct denies unknown fields, every
//! optional field has a default that cites `docs/calibration.md`. This layer is a leaf above the engine:
//! serde types and their defaults only, no algorithms. Reading files, `extends` and `--set` belong to the
//! `scenarios` crate; checking a scenario to [`crate::validate`]; running it to [`crate::world`].

pub mod budget;
pub mod disaster;
pub mod flow;
pub mod limits;
pub mod policy;
pub mod prices;
pub mod registry;
pub mod resources;
pub mod runbook;
pub mod site;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;

pub use budget::{Budget, Metric};
pub use disaster::{DisasterConfig, DisasterKind, Onset};
pub use flow::{Clients, FlowConfig, FlowKind};
pub use policy::{DisruptionType, Policy, Targets};
pub use prices::{CostConfig, PriceOverrides};
pub use registry::{Resource, ResourceKind};
pub use resources::*;
pub use runbook::{Action, RunbookConfig};
pub use site::{LinkConfig, LinkKind, SiteConfig};

/// A whole scenario.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name (`drsim list` shows it).
    pub name: String,
    /// What it shows, for students.
    #[serde(default)]
    pub description: String,
    /// Where it comes from in the course and what the course expects.
    #[serde(default)]
    pub course: Option<CourseRef>,
    /// The seed of replication 0 (`--seed` overrides it).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// How long each replication runs.
    pub horizon: SimDuration,
    /// Regions and their AZs.
    pub regions: Vec<RegionConfig>,
    /// Every resource, by name.
    #[serde(default)]
    pub resources: BTreeMap<String, Resource>,
    /// Client traffic.
    #[serde(default)]
    pub flows: Vec<FlowConfig>,
    /// Disasters to inject.
    #[serde(default)]
    pub disasters: Vec<DisasterConfig>,
    /// Recovery runbooks.
    #[serde(default)]
    pub runbooks: Vec<RunbookConfig>,
    /// How RTO is measured.
    #[serde(default)]
    pub measure: MeasureConfig,
    /// RTO/RPO objectives `drsim check` holds the scenario to.
    #[serde(default)]
    pub budgets: Vec<Budget>,
    /// Price overrides for the cost model, keyed `service/region/item` (e.g.
    /// `{"ec2/us-east-1/m5.large": 0.1}`; see [`crate::cost::prices`]); none by default.
    #[serde(default)]
    pub prices: Option<PriceOverrides>,
    /// The resilience policy `drsim assess` holds the scenario to (RTO/RPO targets per disruption type;
    /// `--policy FILE` replaces it); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
    /// How recovery is billed: the incident length when a disaster does not heal (default a day).
    #[serde(default)]
    pub cost: CostConfig,
}

fn default_seed() -> u64 {
    1
}

/// A course reference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseRef {
    /// Which course module(s), e.g. `"004"`.
    pub module: String,
    /// What the course says the student should see.
    pub expectation: String,
}

/// A Region and its Availability Zones, or (with `site`) an on-premises data centre beside them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionConfig {
    /// Region name, e.g. `"us-east-1"`, or the site's name, e.g. `"corp-dc"`.
    pub name: String,
    /// AZ names, e.g. `["us-east-1a", "us-east-1b"]` (a site has none: `[]`).
    pub azs: Vec<String>,
    /// Set for an on-premises site: its link to AWS. Only `OnPremDb` and `OnPremApp` run in a site.
    #[serde(default)]
    pub site: Option<SiteConfig>,
}

/// How RTO is measured (see `docs/measurement.md`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureConfig {
    /// Window over which the success ratio must meet the SLO.
    #[serde(default = "default_window")]
    pub window: SimDuration,
}

fn default_window() -> SimDuration {
    SimDuration::from_secs(60)
}

impl Default for MeasureConfig {
    fn default() -> Self {
        MeasureConfig {
            window: default_window(),
        }
    }
}
