//! A Region's data plane goes down, and its control plane (its APIs) too when the disaster says so.

use crate::model::RegionId;
use crate::world::faults::{Fault, Hooks, Names};

/// The loss of one Region.
pub struct RegionOutage {
    name: String,
    region: Option<RegionId>,
    control_plane: bool,
}

impl RegionOutage {
    pub fn new(region: &str, control_plane: bool, names: &Names<'_>) -> Self {
        RegionOutage {
            name: region.to_string(),
            region: names.catalog.region(region),
            control_plane,
        }
    }
}

impl Fault for RegionOutage {
    fn describe(&self) -> String {
        if self.control_plane {
            format!("Region {} fails (data and control plane)", self.name)
        } else {
            format!("Region {} fails (data plane)", self.name)
        }
    }

    fn begin(&self, hooks: &mut Hooks<'_>) {
        if let Some(r) = self.region {
            hooks.health.set_region(r, false, self.control_plane);
        }
    }

    fn end(&self, hooks: &mut Hooks<'_>) {
        if let Some(r) = self.region {
            hooks.health.set_region(r, true, self.control_plane);
        }
    }
}
