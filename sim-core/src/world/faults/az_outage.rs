//! An Availability Zone goes dark: every zonal resource in it is down until it heals.

use crate::model::AzId;
use crate::world::faults::{Fault, Hooks, Names};

/// The loss of one AZ.
pub struct AzOutage {
    name: String,
    az: Option<AzId>,
}

impl AzOutage {
    pub fn new(az: &str, names: &Names<'_>) -> Self {
        AzOutage {
            name: az.to_string(),
            az: names.catalog.az(az).map(|(id, _)| id),
        }
    }
}

impl Fault for AzOutage {
    fn describe(&self) -> String {
        format!("AZ {} goes dark", self.name)
    }

    fn begin(&self, hooks: &mut Hooks<'_>) {
        if let Some(az) = self.az {
            hooks.health.set_az(az, false);
        }
    }

    fn end(&self, hooks: &mut Hooks<'_>) {
        if let Some(az) = self.az {
            hooks.health.set_az(az, true);
        }
    }
}
