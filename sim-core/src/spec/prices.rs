//! Price overrides a scenario gives (`prices: {...}`) and how its recovery is billed (`cost: (...)`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;

/// Price overrides a scenario gives: key (`service/region/item`, see [`crate::cost::prices`]) → value.
pub type PriceOverrides = BTreeMap<String, f64>;

/// How the cost model bills a run's recovery (`cost: (incident: "24h")`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostConfig {
    /// How long an incident lasts when its disaster does not heal (no `duration`): capacity recovery adds
    /// is billed from its start until the disaster heals (failback) or, failing that, until this long
    /// after the onset, never to the horizon. Assumption: a day.
    #[serde(default = "default_incident")]
    pub incident: SimDuration,
}

fn default_incident() -> SimDuration {
    SimDuration::from_hours(24)
}

impl Default for CostConfig {
    fn default() -> Self {
        CostConfig {
            incident: default_incident(),
        }
    }
}
