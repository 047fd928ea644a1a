//! Two Regions cannot reach each other; both stay up.

use crate::model::RegionId;
use crate::world::faults::{Fault, Hooks, Names};

/// A network partition between two Regions.
pub struct Partition {
    names: (String, String),
    regions: Option<(RegionId, RegionId)>,
}

impl Partition {
    pub fn new(a: &str, b: &str, names: &Names<'_>) -> Self {
        Partition {
            names: (a.to_string(), b.to_string()),
            regions: names.catalog.region(a).zip(names.catalog.region(b)),
        }
    }
}

impl Fault for Partition {
    fn describe(&self) -> String {
        format!(
            "network partition between {} and {}",
            self.names.0, self.names.1
        )
    }

    fn begin(&self, hooks: &mut Hooks<'_>) {
        if let Some((a, b)) = self.regions {
            hooks.health.set_partition(a, b, true);
        }
    }

    fn end(&self, hooks: &mut Hooks<'_>) {
        if let Some((a, b)) = self.regions {
            hooks.health.set_partition(a, b, false);
        }
    }
}
