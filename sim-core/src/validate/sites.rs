//! On-premises sites: their own fields, what may run in them (only `OnPremDb` and `OnPremApp`: AWS services run
//! in Regions), and the disasters that name them.

use crate::model::service::Placement;
use crate::spec::{DisasterConfig, DisasterKind, ResourceKind};

use super::Validator;

impl Validator<'_> {
    pub(super) fn sites(&mut self) {
        let s = self.scenario;
        for region in &s.regions {
            let Some(site) = &region.site else { continue };
            let name = &region.name;
            if !region.azs.is_empty() {
                self.issue(
                    Some(name),
                    format!(
                        "site {name:?} lists AZs; an on-premises site is one place with no AZs: write azs: []"
                    ),
                );
            }
            if site.link.bandwidth_mbps == Some(0) {
                self.issue(
                    Some(name),
                    format!(
                        "site {name:?}: link.bandwidth_mbps is 0; data could never leave the site (e.g. 1000)"
                    ),
                );
            }
        }
        if !s.regions.is_empty() && s.regions.iter().all(|r| r.site.is_some()) {
            self.issue(
                Some("regions"),
                "every entry of regions is an on-premises site; list at least one AWS Region"
                    .into(),
            );
        }
        for (name, resource) in &s.resources {
            let kind = resource.kind();
            let place = match resource.service().placement() {
                Placement::Region(r) => Some(r.to_string()),
                Placement::Az(az) => s
                    .regions
                    .iter()
                    .find(|r| r.azs.iter().any(|a| a == az))
                    .map(|r| r.name.clone()),
                Placement::Global | Placement::Nowhere => None,
            };
            let in_site = place
                .as_deref()
                .is_some_and(|p| s.regions.iter().any(|r| r.name == p && r.site.is_some()));
            if in_site && !matches!(kind, ResourceKind::OnPremDb | ResourceKind::OnPremApp) {
                self.issue(
                    Some(name),
                    format!(
                        "resource {name:?} ({kind}) is placed in on-premises site {:?}; AWS services run in \
                         Regions (only OnPremDb and OnPremApp run in a site)",
                        place.unwrap_or_default()
                    ),
                );
            }
        }
    }

    /// Checks a disaster that names a site (`SiteLoss`, `PowerOutage`, `WanLinkDown`), or a Region outage
    /// that names a site by mistake.
    pub(super) fn site_disaster(&mut self, d: &DisasterConfig, by: &str) {
        let is_site = |n: &str| {
            self.scenario
                .regions
                .iter()
                .any(|r| r.name == n && r.site.is_some())
        };
        let site = match &d.kind {
            DisasterKind::SiteLoss { site }
            | DisasterKind::PowerOutage { site }
            | DisasterKind::WanLinkDown { site } => site,
            DisasterKind::RegionOutage { region, .. } if is_site(region) => {
                self.issue(
                    Some(region),
                    format!(
                        "{by} is a RegionOutage of on-premises site {region:?}; use SiteLoss(site: {region:?}) \
                         or PowerOutage(site: {region:?})"
                    ),
                );
                return;
            }
            _ => return,
        };
        if !is_site(site) {
            let sites: Vec<&str> = self
                .scenario
                .regions
                .iter()
                .filter(|r| r.site.is_some())
                .map(|r| r.name.as_str())
                .collect();
            self.issue(
                Some(site),
                format!(
                    "{by} names site {site:?}, which is not an on-premises site of the scenario (sites: {})",
                    if sites.is_empty() { "none".to_string() } else { sites.join(", ") }
                ),
            );
        }
        match (&d.kind, &d.duration) {
            (DisasterKind::SiteLoss { .. }, Some(_)) => self.issue(
                Some(&d.name),
                format!(
                    "{by}: a SiteLoss does not heal, so it takes no duration (a PowerOutage heals after one)"
                ),
            ),
            (DisasterKind::PowerOutage { .. }, None) => self.issue(
                Some(&d.name),
                format!(
                    "{by}: a PowerOutage needs a duration, e.g. duration: Uniform(\"2h\", \"8h\") (a site that \
                     never comes back is a SiteLoss)"
                ),
            ),
            _ => {}
        }
    }
}
