//! What a service's pricing hook may ask: prices by key, the scenario's billing assumptions, its steady
//! traffic, and where to put its cost lines. The cost layer (`crate::cost`) implements [`PriceBook`] over
//! its price table; the services never see the table, and the world never prices.

use serde::{Deserialize, Serialize};

/// One priced item of a cost report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    /// The resource it belongs to (scenario name).
    pub resource: String,
    /// What is priced, with the quantities, e.g. `"6 × m5.large on-demand"`.
    pub what: String,
    /// The Region it bills in (`"global"` for CloudFront, Route 53, CloudWatch): the Region of its price.
    #[serde(default)]
    pub region: String,
    /// USD per month (730 h).
    pub monthly_usd: f64,
}

/// Who asks for a price, for the message when the table has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceAt<'a> {
    /// The resource.
    pub resource: &'a str,
    /// Its kind (`"Rds"`).
    pub kind: &'a str,
    /// The field whose value needs the price (`"instance_class"`).
    pub field: &'a str,
}

/// A flow's steady-state traffic at one resource, per second.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Traffic {
    /// Requests reaching it.
    pub requests: f64,
    /// Reads it serves (data stores).
    pub reads: f64,
    /// Writes it takes (data stores).
    pub writes: f64,
}

/// Prices, assumptions and traffic for the pricing hooks, and the bill they add to.
pub trait PriceBook {
    /// USD for key `service/region/item`; 0 when the table has no such key, after recording a message
    /// that names `at` and the known choices.
    fn price(&mut self, at: PriceAt<'_>, service: &str, region: &str, item: &str) -> f64;

    /// The billing assumption `assume/global/item` (e.g. `ebs-gb-per-instance`).
    fn assume(&mut self, item: &str) -> f64;

    /// The Region of one of the scenario's AZs; `None` after recording a message naming `at`.
    fn region_of_az(&mut self, at: PriceAt<'_>, az: &str) -> Option<String>;

    /// Steady-state traffic reaching resource `name`.
    fn traffic(&self, name: &str) -> Traffic;

    /// The hourly price of resource `name` provisioned in `region` at its configured size (its
    /// [`units`](crate::model::Service::units) times one unit's price): a stack prices its members so.
    fn hourly_of(&mut self, name: &str, region: &str) -> f64;

    /// Adds a cost line.
    fn line(&mut self, line: CostLine);
}
