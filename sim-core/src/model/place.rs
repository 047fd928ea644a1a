//! Where things are and whether that place is up: Regions, AZs, and the health of both.
//!
//! Names are interned once when the world is built; at run time a Region is a `RegionId` (an index) and
//! health is a handful of bitsets, so asking "is this up?" on the hot path costs a shift and a mask.

use serde::{Deserialize, Serialize};

/// A Region, by index into the world's Region list (at most 64 Regions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RegionId(pub u8);

/// An Availability Zone, by index into the world's AZ list (at most 64 AZs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AzId(pub u8);

/// Where a resource runs: a Region, and an AZ for zonal resources (`None` for regional ones such as
/// Lambda, DynamoDB or S3, which survive the loss of any one AZ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Place {
    /// The Region.
    pub region: RegionId,
    /// The AZ, for zonal resources.
    pub az: Option<AzId>,
}

impl Place {
    /// A regional placement.
    pub const fn region(region: RegionId) -> Place {
        Place { region, az: None }
    }

    /// A zonal placement.
    pub const fn zonal(region: RegionId, az: AzId) -> Place {
        Place {
            region,
            az: Some(az),
        }
    }
}

/// The health of places and of named resources at one instant, as disasters leave it.
///
/// Disasters change it; models read it. Resource-level failures are keyed by the resource's index in the
/// world (`u16`), set by the world when a disaster targets one resource.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Health {
    regions_down: u64,
    control_planes_down: u64,
    azs_down: u64,
    /// Bit `a * 64 + b` set (for a < b) when Regions a and b cannot reach each other.
    partitions: Vec<u64>,
    /// Indices of resources failed outright.
    resources_down: Vec<u16>,
    /// `(resource index, error rate in [0, 1], added latency in µs)` of gray failures.
    degraded: Vec<(u16, f64, u64)>,
    /// `(resource index, HTTP status)` of resources answering every request with an error status.
    statuses: Vec<(u16, u16)>,
}

impl Health {
    /// Everything up.
    pub fn new() -> Self {
        Health {
            partitions: vec![0; 64],
            ..Health::default()
        }
    }

    /// Whether a Region's data plane is up.
    #[inline]
    pub fn region_up(&self, region: RegionId) -> bool {
        self.regions_down & (1 << region.0) == 0
    }

    /// Whether a Region's control plane (its APIs: promote, restore, create stack, edit records hosted there)
    /// is up.
    #[inline]
    pub fn control_plane_up(&self, region: RegionId) -> bool {
        self.control_planes_down & (1 << region.0) == 0
    }

    /// Whether an AZ is up (its Region's data plane included).
    #[inline]
    pub fn az_up(&self, region: RegionId, az: AzId) -> bool {
        self.region_up(region) && self.azs_down & (1 << az.0) == 0
    }

    /// Whether a placement is up: its Region, and its AZ if zonal.
    #[inline]
    pub fn place_up(&self, place: Place) -> bool {
        match place.az {
            Some(az) => self.az_up(place.region, az),
            None => self.region_up(place.region),
        }
    }

    /// Whether two Regions can reach each other (both up and not partitioned).
    #[inline]
    pub fn connected(&self, a: RegionId, b: RegionId) -> bool {
        if a == b {
            return self.region_up(a);
        }
        let (lo, hi) = if a.0 < b.0 { (a.0, b.0) } else { (b.0, a.0) };
        self.region_up(a) && self.region_up(b) && self.partitions[lo as usize] & (1 << hi) == 0
    }

    /// Whether the resource with this world index has failed outright.
    #[inline]
    pub fn resource_failed(&self, resource: u16) -> bool {
        self.resources_down.contains(&resource)
    }

    /// The error rate and added latency (µs) of a gray-failing resource, if it is degraded.
    pub fn degradation(&self, resource: u16) -> Option<(f64, u64)> {
        self.degraded
            .iter()
            .find(|d| d.0 == resource)
            .map(|&(_, rate, latency)| (rate, latency))
    }

    /// The HTTP error status a resource answers every request with, if it does (an origin's 403).
    pub fn status(&self, resource: u16) -> Option<u16> {
        self.statuses
            .iter()
            .find(|s| s.0 == resource)
            .map(|&(_, status)| status)
    }

    /// Makes a resource answer every request with `status`, or clears it (`None`).
    pub fn set_status(&mut self, resource: u16, status: Option<u16>) {
        self.statuses.retain(|s| s.0 != resource);
        if let Some(status) = status {
            self.statuses.push((resource, status));
            self.statuses.sort_unstable();
        }
    }

    /// Sets a Region's data plane (and optionally its control plane) down or up.
    pub fn set_region(&mut self, region: RegionId, up: bool, control_plane_too: bool) {
        set_bit(&mut self.regions_down, region.0, !up);
        if control_plane_too || up {
            set_bit(&mut self.control_planes_down, region.0, !up);
        }
    }

    /// Sets an AZ down or up.
    pub fn set_az(&mut self, az: AzId, up: bool) {
        set_bit(&mut self.azs_down, az.0, !up);
    }

    /// Partitions two Regions from each other, or heals the partition.
    pub fn set_partition(&mut self, a: RegionId, b: RegionId, partitioned: bool) {
        let (lo, hi) = if a.0 < b.0 { (a.0, b.0) } else { (b.0, a.0) };
        set_bit(&mut self.partitions[lo as usize], hi, partitioned);
    }

    /// Fails a resource outright, or repairs it.
    pub fn set_resource_failed(&mut self, resource: u16, failed: bool) {
        self.resources_down.retain(|&r| r != resource);
        if failed {
            self.resources_down.push(resource);
            self.resources_down.sort_unstable();
        }
    }

    /// Degrades a resource (gray failure) with an error rate and added latency, or clears it (`None`).
    pub fn set_degraded(&mut self, resource: u16, degradation: Option<(f64, u64)>) {
        self.degraded.retain(|d| d.0 != resource);
        if let Some((rate, latency)) = degradation {
            self.degraded
                .push((resource, rate.clamp(0.0, 1.0), latency));
            self.degraded.sort_by_key(|d| d.0);
        }
    }
}

fn set_bit(bits: &mut u64, index: u8, value: bool) {
    if value {
        *bits |= 1 << index;
    } else {
        *bits &= !(1 << index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_outage_takes_its_azs_and_links_down() {
        let (east, west, az1) = (RegionId(0), RegionId(1), AzId(0));
        let mut h = Health::new();
        assert!(h.az_up(east, az1) && h.connected(east, west));
        h.set_region(east, false, false);
        assert!(!h.az_up(east, az1) && !h.connected(east, west) && h.control_plane_up(east));
        h.set_region(east, true, false);
        h.set_partition(west, east, true);
        assert!(!h.connected(east, west) && h.region_up(east));
        h.set_partition(east, west, false);
        assert!(h.connected(east, west));
    }

    #[test]
    fn resource_failures_and_degradation_round_trip() {
        let mut h = Health::new();
        h.set_resource_failed(3, true);
        h.set_degraded(4, Some((1.5, 200)));
        assert!(h.resource_failed(3) && !h.resource_failed(4));
        assert_eq!(h.degradation(4), Some((1.0, 200)));
        h.set_resource_failed(3, false);
        h.set_degraded(4, None);
        assert_eq!(h, Health::new());
    }
}

/// Names of Regions, on-premises sites and AZs, resolved once when the world is built. A site is a place
/// like a Region (it has an id, fails and is partitioned the same way) that is marked as a site.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    regions: Vec<String>,
    azs: Vec<(String, RegionId)>,
    /// Bit `r` set when place `r` is an on-premises site rather than an AWS Region.
    sites: u64,
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Self {
        Catalog::default()
    }

    /// The catalog of a scenario's `regions` (sites included), ids in list order.
    pub fn of(regions: &[crate::spec::RegionConfig]) -> Self {
        let mut catalog = Catalog::new();
        for region in regions {
            let id = catalog.add_region(&region.name);
            for az in &region.azs {
                catalog.add_az(az, id);
            }
            if region.site.is_some() && id.0 < 64 {
                catalog.sites |= 1 << id.0;
            }
        }
        catalog
    }

    /// Whether a place is an on-premises site.
    pub fn is_site(&self, id: RegionId) -> bool {
        id.0 < 64 && self.sites & (1 << id.0) != 0
    }

    /// Adds a Region (idempotent) and returns its id.
    pub fn add_region(&mut self, name: &str) -> RegionId {
        match self.region(name) {
            Some(id) => id,
            None => {
                self.regions.push(name.to_string());
                RegionId((self.regions.len() - 1) as u8)
            }
        }
    }

    /// Adds an AZ of `region` (idempotent) and returns its id.
    pub fn add_az(&mut self, name: &str, region: RegionId) -> AzId {
        match self.az(name) {
            Some((id, _)) => id,
            None => {
                self.azs.push((name.to_string(), region));
                AzId((self.azs.len() - 1) as u8)
            }
        }
    }

    /// The Region called `name`.
    pub fn region(&self, name: &str) -> Option<RegionId> {
        self.regions
            .iter()
            .position(|r| r == name)
            .map(|i| RegionId(i as u8))
    }

    /// The AZ called `name` and its Region.
    pub fn az(&self, name: &str) -> Option<(AzId, RegionId)> {
        self.azs
            .iter()
            .position(|(a, _)| a == name)
            .map(|i| (AzId(i as u8), self.azs[i].1))
    }

    /// A Region's name.
    pub fn region_name(&self, id: RegionId) -> &str {
        self.regions.get(id.0 as usize).map_or("?", String::as_str)
    }

    /// An AZ's name.
    pub fn az_name(&self, id: AzId) -> &str {
        self.azs.get(id.0 as usize).map_or("?", |(n, _)| n.as_str())
    }

    /// The AZs of a Region, in the order they were added.
    pub fn azs_of(&self, region: RegionId) -> Vec<AzId> {
        (0..self.azs.len())
            .filter(|&i| self.azs[i].1 == region)
            .map(|i| AzId(i as u8))
            .collect()
    }

    /// All Regions.
    pub fn regions(&self) -> impl Iterator<Item = (RegionId, &str)> {
        self.regions
            .iter()
            .enumerate()
            .map(|(i, n)| (RegionId(i as u8), n.as_str()))
    }
}
