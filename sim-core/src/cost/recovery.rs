//! What the capacity a run adds during recovery costs: hours × instances × the resource's hourly price,
//! over the incident.
//!
//! **The incident** runs from the onset until the disaster heals (its drawn `duration`: failback), or,
//! when it does not heal, for the scenario's `cost.incident` (default a day) after the onset. Each piece
//! of added capacity bills from its start to the incident's end (nothing if it starts later), never to
//! the horizon: the same run costs the same whether it is simulated for 2, 7 or 30 days.

use std::collections::BTreeMap;

use super::{PriceTable, TableBook, Usage};
use crate::engine::time::{SimDuration, SimTime};
use crate::spec::Scenario;

/// When the incident of a run ends: `heals` if its disaster heals, otherwise the scenario's
/// `cost.incident` after `onset` (after time zero when no disaster began).
pub fn incident_end(
    scenario: &Scenario,
    onset: Option<SimTime>,
    heals: Option<SimTime>,
) -> SimTime {
    heals.unwrap_or_else(|| onset.unwrap_or(SimTime::ZERO) + scenario.cost.incident)
}

/// `usage` billed over the incident ending at `end`: each item's `to` set to `end` (its `from` when it
/// starts later).
pub fn over_incident(usage: &mut [Usage], end: SimTime) {
    for u in usage {
        u.to = end.max(u.from);
    }
}

/// The cost in USD of `usage` (hours from `from` to `to` × instances × hourly price, in the usage's
/// Region) under `table` with the scenario's `prices` overrides. A resource the table cannot price counts
/// as 0 ([`super::validate`] names it). Bill it [`over_incident`] first.
pub fn recovery_cost(scenario: &Scenario, table: &PriceTable, usage: &[Usage]) -> f64 {
    let mut book = TableBook::new(scenario, table);
    usage
        .iter()
        .map(|u| {
            let hours = hours(u.to.saturating_since(u.from));
            f64::from(u.instances) * hours * book.hourly(&u.resource, u.region.as_deref())
        })
        .sum()
}

/// The hourly price of every resource in its own Region and in each of the scenario's Regions, computed
/// once so that pricing a run's usage is a lookup (a sweep prices every replication).
#[derive(Clone, Debug)]
pub struct RecoveryPrices {
    /// `(resource, Region or "" for its own)` → USD per hour.
    hourly: BTreeMap<(String, String), f64>,
}

impl RecoveryPrices {
    /// The prices of `scenario`'s resources under `table` with the scenario's overrides.
    pub fn new(scenario: &Scenario, table: &PriceTable) -> RecoveryPrices {
        let mut book = TableBook::new(scenario, table);
        let mut hourly = BTreeMap::new();
        for name in scenario.resources.keys() {
            hourly.insert((name.clone(), String::new()), book.hourly(name, None));
            for region in &scenario.regions {
                let price = book.hourly(name, Some(&region.name));
                hourly.insert((name.clone(), region.name.clone()), price);
            }
        }
        RecoveryPrices { hourly }
    }

    /// What `usage` costs in USD: exactly [`recovery_cost`] of the same scenario and table.
    pub fn cost(&self, usage: &[Usage]) -> f64 {
        usage
            .iter()
            .map(|u| {
                let hours = hours(u.to.saturating_since(u.from));
                let key = (u.resource.clone(), u.region.clone().unwrap_or_default());
                f64::from(u.instances) * hours * self.hourly.get(&key).copied().unwrap_or(0.0)
            })
            .sum()
    }
}

fn hours(d: SimDuration) -> f64 {
    d.as_micros() as f64 / 3_600_000_000.0
}
