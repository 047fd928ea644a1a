//! Client traffic: flows from clients through an entry point to compute and a data store.

use serde::{Deserialize, Serialize};

/// Whether a flow reads or writes its data store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowKind {
    /// Reads (served by any readable copy the compute can reach).
    Read,
    /// Writes (must reach the writer; acknowledged writes enter the ledger).
    Write,
}

/// Client traffic: a path from clients through an entry point to compute and (optionally) a data store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowConfig {
    /// Its name, e.g. `"checkout"`.
    pub name: String,
    /// Read or write.
    pub kind: FlowKind,
    /// Requests per second offered by clients.
    pub rate_per_s: f64,
    /// Where clients enter: a Route 53 record, a CloudFront distribution, a load balancer, compute.
    pub entry: String,
    /// The data store the compute calls, if any.
    #[serde(default)]
    pub store: Option<String>,
    /// The SLO threshold of the success ratio (default 0.99).
    #[serde(default = "default_slo")]
    pub slo: f64,
    /// Whether the service's RTO includes this flow.
    #[serde(default = "yes")]
    pub critical: bool,
    /// The Region the clients are in (for latency routing); default: the first Region.
    #[serde(default)]
    pub clients: Option<String>,
}

fn default_slo() -> f64 {
    0.99
}

fn yes() -> bool {
    true
}
