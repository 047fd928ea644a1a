//! What one replication measured: the serialisable [`RunResult`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::digest::TraceDigest;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::LogEntry;
use crate::model::Usage;

/// The measured outcome of one replication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// Scenario name.
    pub scenario: Arc<str>,
    /// Scenario seed.
    pub seed: u64,
    /// Replication index.
    pub replication: u64,
    /// The disaster RPO and RTO are measured from (the earliest injected), if any.
    pub disaster: Option<String>,
    /// Its onset.
    pub onset: Option<SimTime>,
    /// Service RTO: the largest RTO of the critical flows; `None` when one did not recover within the
    /// horizon.
    pub rto: Option<SimDuration>,
    /// Service RPO: the largest RPO of the data stores.
    pub rpo: SimDuration,
    /// Acknowledged writes lost, over all stores (last-writer-wins overwrites included).
    pub lost_writes: u64,
    /// Where the RTO went.
    pub breakdown: Breakdown,
    /// Per flow.
    pub flows: Vec<FlowResult>,
    /// Per data store.
    pub stores: Vec<StoreResult>,
    /// Events the engine handled.
    pub events: u64,
    /// The run's trace digest.
    pub digest: TraceDigest,
    /// The step log (what happened, when, by whom).
    pub log: Vec<LogEntry>,
    /// Capacity provisioned during recovery beyond steady state (stacks created, groups scaled up,
    /// databases restored), to the end of the run.
    pub usage: Vec<Usage>,
    /// What that capacity cost, in USD, from its creation to the horizon (see `docs/calibration.md`).
    pub recovery_usd: f64,
}

/// The RTO broken into phases; the four parts sum to the RTO.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    /// Onset until the first detection (health-check verdict, alarm, a human noticing).
    pub detection: SimDuration,
    /// Humans acknowledging pages and deciding.
    pub decision: SimDuration,
    /// Recovery actions running (promotions, restores, stack creation, scaling, automatic failovers).
    pub recovery: SimDuration,
    /// The rest: clients shifting (DNS caches, CDN deploys), capacity warming up, the SLO window.
    pub propagation: SimDuration,
}

/// One flow's measurement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowResult {
    /// Flow name.
    pub name: String,
    /// Whether it counts towards the service RTO.
    pub critical: bool,
    /// RTO; `None` when not recovered within the horizon.
    pub rto: Option<SimDuration>,
    /// Mean success ratio from the onset to the end of the first good window.
    pub availability: f64,
    /// Requests that failed after the onset.
    pub failed_requests: f64,
    /// The lowest windowed success ratio after the onset.
    pub worst_window: f64,
}

/// One data store's measurement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreResult {
    /// Store name.
    pub name: String,
    /// RPO: onset minus the acknowledgement time of the oldest lost write.
    pub rpo: SimDuration,
    /// Writes acknowledged.
    pub acknowledged: u64,
    /// Writes surviving in the authoritative copy.
    pub surviving: u64,
    /// Writes lost (including overwritten).
    pub lost: u64,
    /// Writes lost to last-writer-wins conflicts.
    pub overwritten: u64,
}
