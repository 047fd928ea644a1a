//! Faults of an on-premises site: its loss or a power outage (the site is down, as a Region is) and the
//! loss of its WAN link (the site is partitioned from every other place).

use crate::model::RegionId;
use crate::world::faults::{Fault, Hooks, Names};

/// The site goes down: lost for good, or without power until the disaster heals.
pub struct SiteDown {
    name: String,
    site: Option<RegionId>,
    /// `true` for a site loss, `false` for a power outage (for the log; validation holds the durations).
    lost: bool,
}

impl SiteDown {
    pub fn new(site: &str, lost: bool, names: &Names<'_>) -> Self {
        SiteDown {
            name: site.to_string(),
            site: names.catalog.region(site),
            lost,
        }
    }
}

impl Fault for SiteDown {
    fn describe(&self) -> String {
        if self.lost {
            format!("on-premises site {} is lost", self.name)
        } else {
            format!("on-premises site {} loses power", self.name)
        }
    }

    fn begin(&self, hooks: &mut Hooks<'_>) {
        if let Some(s) = self.site {
            hooks.health.set_region(s, false, true);
        }
    }

    fn end(&self, hooks: &mut Hooks<'_>) {
        if let Some(s) = self.site {
            hooks.health.set_region(s, true, true);
        }
    }
}

/// The site's WAN link is down: it is partitioned from every Region (and every other site).
pub struct WanLinkDown {
    name: String,
    site: Option<RegionId>,
    others: Vec<RegionId>,
}

impl WanLinkDown {
    pub fn new(site: &str, names: &Names<'_>) -> Self {
        let id = names.catalog.region(site);
        WanLinkDown {
            name: site.to_string(),
            site: id,
            others: names
                .catalog
                .regions()
                .map(|(r, _)| r)
                .filter(|&r| Some(r) != id)
                .collect(),
        }
    }

    fn set(&self, hooks: &mut Hooks<'_>, cut: bool) {
        if let Some(s) = self.site {
            for &r in &self.others {
                hooks.health.set_partition(s, r, cut);
            }
        }
    }
}

impl Fault for WanLinkDown {
    fn describe(&self) -> String {
        format!("the WAN link of on-premises site {} goes down", self.name)
    }

    fn begin(&self, hooks: &mut Hooks<'_>) {
        self.set(hooks, true);
    }

    fn end(&self, hooks: &mut Hooks<'_>) {
        self.set(hooks, false);
    }
}
