//! The cost model: what a scenario's strategy costs per month in steady state, and what the capacity a run
//! adds during recovery costs, from a [`PriceTable`] the scenario can override.
//!
//! - [`steady_state`] asks every resource's pricing hook ([`Service::price`], in its service's file) for
//!   its lines: instances by type and count, data stores by deployment and size, request-priced services
//!   by the steady traffic that reaches them (followed through [`Service::forward`]), backups and
//!   cross-Region copies. Resources a CloudFormation stack creates exist only once it runs, so they cost
//!   nothing here.
//! - [`recovery_cost`] prices [`Usage`]: capacity the world provisions during a run beyond steady state,
//!   hours × the resource's hourly price ([`Service::hourly`]).
//! - [`validate`] names every instance type, DB class or price key the table cannot price, and every bad
//!   override, with the valid choices.
//!
//! This module knows the table's mechanics (keys, overrides, messages), never a service: the hooks say what
//! is billed. Money is `f64` (it never touches the clock); every sum runs in a fixed order, so a report is
//! identical run to run. The prices are an **example** (see [`prices`] and `docs/calibration.md`, *Prices*);
//! every assumption that turns a scenario into billable units is a key under `assume/global/` and can be
//! overridden like a price.

pub mod offer;
pub mod prices;
pub mod recovery;
pub mod regions;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::model::price::CostLine;
pub use crate::model::usage::Usage;
pub use crate::services::pricing::{GLOBAL, HOURS_PER_MONTH, SECONDS_PER_MONTH};
pub use crate::spec::PriceOverrides;
pub use prices::PriceTable;
pub use recovery::{RecoveryPrices, incident_end, recovery_cost};

use crate::model::price::{PriceAt, PriceBook, Traffic};
use crate::model::service::{Forward, Placement};
use crate::spec::limits::MAX_ROUTING_DEPTH;
use crate::spec::{FlowConfig, FlowKind, Resource, ResourceKind, Scenario};

/// The monthly cost of a scenario's steady state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostReport {
    /// The sum of the lines, USD per month (730 h).
    pub monthly_usd: f64,
    /// Priced items, by resource name, then in the order each resource's items are priced.
    pub lines: Vec<CostLine>,
    /// What the table could not price (each counted as 0 in the lines): the same messages [`validate`]
    /// gives. Empty when the report is complete.
    pub unpriced: Vec<String>,
}

/// The example price table with the scenario's `prices` overrides laid over it, and a message for each
/// override rejected.
pub fn table_for(scenario: &Scenario) -> (PriceTable, Vec<String>) {
    let example = PriceTable::example();
    match &scenario.prices {
        None => (example, Vec::new()),
        Some(overrides) => {
            let regions: Vec<&str> = scenario.regions.iter().map(|r| r.name.as_str()).collect();
            example.with_overrides(overrides, &regions)
        }
    }
}

/// Which prices `scenario` is priced at, for a report's cost heading: the example table's date, and how
/// many of its keys the scenario's `prices` (or a loaded price list) set.
pub fn price_label(scenario: &Scenario) -> String {
    let example = PriceTable::example();
    let label = format!(
        "example prices as of {}, not a quote; see docs/calibration.md",
        example.as_of
    );
    match scenario.prices.as_ref().map(|p| p.len()).filter(|&n| n > 0) {
        None => label,
        Some(n) => format!("{label}; {n} set by the scenario's prices or a price list"),
    }
}

/// The steady-state monthly cost of `scenario`: what is provisioned when nothing has failed. Never fails:
/// what cannot be priced counts as 0 and is listed in [`CostReport::unpriced`].
pub fn steady_state(scenario: &Scenario, table: &PriceTable) -> CostReport {
    let mut book = TableBook::new(scenario, table);
    book.steady_lines();
    // By resource (stable: each resource's lines keep their order; the hosted zone joins its record's).
    book.lines.sort_by(|a, b| a.resource.cmp(&b.resource));
    CostReport {
        monthly_usd: book.lines.iter().map(|l| l.monthly_usd).sum(),
        lines: book.lines,
        unpriced: book.missing,
    }
}

/// Everything that stops `scenario` from being priced under `table`: bad `prices` overrides, unknown
/// instance types and DB classes (naming the resource, the field and the known choices) and missing price
/// keys. Empty when the scenario can be priced in full, steady state and recovery.
pub fn validate(scenario: &Scenario, table: &PriceTable) -> Vec<String> {
    let mut book = TableBook::new(scenario, table);
    book.steady_lines();
    for name in created_by_stacks(scenario) {
        book.hourly(&name, None);
    }
    let mut errors = book.override_errors;
    errors.extend(book.missing);
    errors
}

/// Resources some stack creates, sorted: they do not exist (or bill) until it runs.
fn created_by_stacks(scenario: &Scenario) -> Vec<String> {
    let mut names: Vec<String> = scenario
        .resources
        .values()
        .flat_map(|r| r.service().creates().to_vec())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Steady-state traffic per resource, per second: flows followed from their entry through every
/// resource's [`Service::forward`].
#[derive(Default)]
struct SteadyTraffic {
    requests_per_s: BTreeMap<String, f64>,
    reads_per_s: BTreeMap<String, f64>,
    writes_per_s: BTreeMap<String, f64>,
}

impl SteadyTraffic {
    fn of(scenario: &Scenario) -> SteadyTraffic {
        let mut t = SteadyTraffic::default();
        for flow in &scenario.flows {
            let served = t.walk(scenario, flow, &flow.entry, flow.rate_per_s.max(0.0), 0);
            if let Some(store) = &flow.store {
                let to = match flow.kind {
                    FlowKind::Read => &mut t.reads_per_s,
                    FlowKind::Write => &mut t.writes_per_s,
                };
                *to.entry(store.clone()).or_default() += served;
            }
        }
        t
    }

    /// Follows `rate` requests/s of `flow` arriving at `name`; returns the rate that reaches compute.
    fn walk(
        &mut self,
        s: &Scenario,
        flow: &FlowConfig,
        name: &str,
        rate: f64,
        depth: usize,
    ) -> f64 {
        if depth > MAX_ROUTING_DEPTH || rate <= 0.0 {
            return 0.0;
        }
        *self.requests_per_s.entry(name.to_string()).or_default() += rate;
        match s.resources.get(name).map(|r| r.service().forward(flow, s)) {
            Some(Forward::To(next)) => next
                .into_iter()
                .map(|(to, share)| self.walk(s, flow, to, rate * share, depth + 1))
                .sum(),
            Some(Forward::Serves) => rate,
            Some(Forward::Nowhere) | None => 0.0,
        }
    }

    fn get(map: &BTreeMap<String, f64>, name: &str) -> f64 {
        map.get(name).copied().unwrap_or(0.0)
    }
}

/// The price table, the scenario's overrides and steady traffic, as the pricing hooks see them.
struct TableBook<'s> {
    scenario: &'s Scenario,
    table: PriceTable,
    traffic: SteadyTraffic,
    override_errors: Vec<String>,
    missing: Vec<String>,
    lines: Vec<CostLine>,
    /// How deeply stacks are pricing their members now (bounded like routing).
    depth: usize,
}

impl<'s> TableBook<'s> {
    fn new(scenario: &'s Scenario, table: &PriceTable) -> TableBook<'s> {
        let regions: Vec<&str> = scenario.regions.iter().map(|r| r.name.as_str()).collect();
        let (table, override_errors) = match &scenario.prices {
            Some(overrides) => table.with_overrides(overrides, &regions),
            None => (table.clone(), Vec::new()),
        };
        TableBook {
            scenario,
            table,
            traffic: SteadyTraffic::of(scenario),
            override_errors,
            missing: Vec::new(),
            lines: Vec::new(),
            depth: 0,
        }
    }

    fn miss(&mut self, message: String) {
        if !self.missing.contains(&message) {
            self.missing.push(message);
        }
    }

    /// Where `resource` is priced: its Region, `"global"`, or `None` when it has no place.
    fn home(&mut self, name: &str, resource: &Resource) -> Option<String> {
        let at = PriceAt {
            resource: name,
            kind: resource.kind().as_str(),
            field: "az",
        };
        match resource.service().placement() {
            Placement::Global => Some(GLOBAL.to_string()),
            Placement::Region(region) => Some(region.to_string()),
            Placement::Az(az) => self.region_of_az(at, az),
            Placement::Nowhere => None,
        }
    }

    /// One unit of resource `name` per hour, in `region` (default: its own).
    fn hourly(&mut self, name: &str, region: Option<&str>) -> f64 {
        let scenario = self.scenario;
        let Some(resource) = scenario.resources.get(name) else {
            self.miss(format!(
                "usage names resource {name:?}, which the scenario does not have"
            ));
            return 0.0;
        };
        let Some(home) = self.home(name, resource) else {
            return 0.0;
        };
        let region = region.unwrap_or(&home).to_string();
        resource.service().hourly(name, &region, self)
    }

    fn steady_lines(&mut self) {
        let scenario = self.scenario;
        let in_stacks = created_by_stacks(scenario);
        for (name, resource) in &scenario.resources {
            if in_stacks.contains(name) {
                continue;
            }
            if let Some(home) = self.home(name, resource) {
                resource.service().price(name, &home, self);
            }
        }
        let first_record = scenario
            .resources
            .iter()
            .find(|(_, r)| r.kind() == ResourceKind::Record);
        if let Some((name, _)) = first_record {
            let at = PriceAt {
                resource: name,
                kind: "Record",
                field: "hosted zone",
            };
            let zone = self.price(at, "route53", GLOBAL, "hosted-zone-month");
            self.line(CostLine {
                resource: name.clone(),
                what: "hosted zone (one per scenario)".to_string(),
                region: GLOBAL.to_string(),
                monthly_usd: zone,
            });
        }
    }
}

impl PriceBook for TableBook<'_> {
    fn price(&mut self, at: PriceAt<'_>, service: &str, region: &str, item: &str) -> f64 {
        let key = format!("{service}/{region}/{item}");
        if let Some(v) = self.table.get(&key) {
            return v;
        }
        let PriceAt {
            resource,
            kind,
            field,
        } = at;
        let message = if item.contains('.') {
            let known = self.table.items(service, region);
            let known: Vec<&str> = known.into_iter().filter(|i| i.contains('.')).collect();
            format!(
                "resource {resource:?} ({kind}), field {field}: no {service} price for {item:?} in \
                 {region} (key {key:?}); known: {}; or add the key under `prices`",
                if known.is_empty() {
                    "none in this Region".to_string()
                } else {
                    known.join(", ")
                }
            )
        } else {
            format!(
                "resource {resource:?} ({kind}), field {field}: no price under key {key:?}; the table \
                 prices the Regions {}; add the key under `prices`",
                self.table.regions().join(", ")
            )
        };
        self.miss(message);
        0.0
    }

    fn assume(&mut self, item: &str) -> f64 {
        let at = PriceAt {
            resource: "-",
            kind: "assumption",
            field: item,
        };
        self.price(at, "assume", GLOBAL, item)
    }

    fn region_of_az(&mut self, at: PriceAt<'_>, az: &str) -> Option<String> {
        let region = self
            .scenario
            .regions
            .iter()
            .find(|r| r.azs.iter().any(|a| a == az))
            .map(|r| r.name.clone());
        if region.is_none() {
            let PriceAt { resource, kind, .. } = at;
            self.miss(format!(
                "resource {resource:?} ({kind}): AZ {az:?} is in no Region of the scenario, so it \
                 cannot be priced"
            ));
        }
        region
    }

    fn traffic(&self, name: &str) -> Traffic {
        Traffic {
            requests: SteadyTraffic::get(&self.traffic.requests_per_s, name),
            reads: SteadyTraffic::get(&self.traffic.reads_per_s, name),
            writes: SteadyTraffic::get(&self.traffic.writes_per_s, name),
        }
    }

    fn hourly_of(&mut self, name: &str, region: &str) -> f64 {
        if self.depth >= MAX_ROUTING_DEPTH {
            return 0.0;
        }
        let units = self
            .scenario
            .resources
            .get(name)
            .map_or(1, |r| r.service().units());
        self.depth += 1;
        let hourly = self.hourly(name, Some(region));
        self.depth -= 1;
        f64::from(units) * hourly
    }

    fn line(&mut self, line: CostLine) {
        self.lines.push(line);
    }
}

#[cfg(test)]
mod tests;
