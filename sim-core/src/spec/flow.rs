//! Client traffic: flows from clients through an entry point to compute and a data store.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;

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
    /// Where the clients are (what latency records answer them): one Region (`"us-west-2"`) or shares per
    /// Region summing to 1 (`{"us-east-1": 0.5, "us-west-2": 0.5}`); each client Region is evaluated on
    /// its own and weighted by its share. Default: all in the first Region.
    #[serde(default)]
    pub clients: Option<Clients>,
    /// How long a client waits for an answer: a request whose added latency (gray failures, CloudFront's
    /// stall before failing over) reaches it fails. Default 60 s: the AWS CLI's and SDK for Python's read
    /// timeout and the ALB's default idle timeout (see `docs/calibration.md`).
    #[serde(default = "default_timeout")]
    pub timeout: SimDuration,
}

/// Where a flow's clients are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Clients {
    /// All in one Region.
    Region(String),
    /// A share of the clients per Region (the shares sum to 1).
    Shares(BTreeMap<String, f64>),
}

impl From<&str> for Clients {
    fn from(region: &str) -> Self {
        Clients::Region(region.to_string())
    }
}

impl FlowConfig {
    /// The clients' Regions and shares, as written (empty: all in the first Region).
    pub fn client_shares(&self) -> Vec<(&str, f64)> {
        match &self.clients {
            None => Vec::new(),
            Some(Clients::Region(r)) => vec![(r.as_str(), 1.0)],
            Some(Clients::Shares(m)) => m.iter().map(|(r, &s)| (r.as_str(), s)).collect(),
        }
    }
}

/// How long clients wait for a response unless a flow says otherwise: 60 s (AWS CLI and SDK read timeouts,
/// the ALB idle timeout). A resource's CloudWatch metric counts what it answers within it too.
pub const DEFAULT_CLIENT_TIMEOUT: SimDuration = SimDuration::from_secs(60);

fn default_timeout() -> SimDuration {
    DEFAULT_CLIENT_TIMEOUT
}

fn default_slo() -> f64 {
    0.99
}

fn yes() -> bool {
    true
}
