//! What one replication measured: the serialisable [`RunResult`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::digest::TraceDigest;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::LogEntry;
use crate::model::Usage;

use super::{Failback, StoreExposure};

fn no_exposure() -> Option<SimDuration> {
    Some(SimDuration::ZERO)
}

/// The measured outcome of one replication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// Scenario name.
    pub scenario: Arc<str>,
    /// Scenario seed.
    pub seed: u64,
    /// Replication index.
    pub replication: u64,
    /// The disaster the service RTO is measured from (the earliest injected when none hurt a critical
    /// flow); `None` when no disaster began within the horizon.
    pub disaster: Option<String>,
    /// Its onset; `None`: no disaster began within the horizon (such runs are counted apart in sweeps).
    pub onset: Option<SimTime>,
    /// When that disaster heals, as drawn from its `duration` (past the horizon too); `None`: it does not
    /// heal. The recovery cost bills the capacity recovery adds until then.
    #[serde(default)]
    pub heals: Option<SimTime>,
    /// Service RTO: the largest RTO of the critical flows; `None` when one did not recover within the
    /// horizon.
    pub rto: Option<SimDuration>,
    /// Service RPO, the data-loss window: the largest of the stores' windows (see [`StoreResult::rpo`]);
    /// `None` (not determined) when one store's is not determined.
    pub rpo: Option<SimDuration>,
    /// Service pre-onset RPO: the largest of the stores' (see [`StoreResult::pre_onset_rpo`]); `None` when
    /// one store's is not determined.
    pub pre_onset_rpo: Option<SimDuration>,
    /// Acknowledged writes lost, over all stores (last-writer-wins overwrites included), as settled against
    /// each store's writer at the horizon.
    pub lost_writes: u64,
    /// The exposure window: the longest time after the onset a store's data had no current copy outside
    /// its writer's Region (after a cross-Region failover, until a replica there is re-added or created),
    /// over the stores that had one at time zero; 0 when none was exposed or none had one; `None` when a
    /// store was still exposed at the horizon.
    #[serde(default = "no_exposure")]
    pub exposure: Option<SimDuration>,
    /// The return to the primary after the disaster healed; `None` when it did not heal within the
    /// horizon.
    #[serde(default)]
    pub failback: Option<Failback>,
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
    /// databases restored), each billed from its creation to the incident's end
    /// ([`crate::cost::recovery`]).
    pub usage: Vec<Usage>,
    /// What that capacity cost, in USD, over the incident: until the disaster heals or the scenario's
    /// `cost.incident` after the onset, never to the horizon (see `docs/calibration.md`).
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
    /// RPO as budgets check it, the **data-loss window**: the length of acknowledgement time whose writes
    /// were lost, before or after any onset (each stretch of lost writes from its oldest lost write to its
    /// end; see `docs/measurement.md`). `None`: not determined, because the store was not back in service
    /// at the horizon (a flow that reads or writes it had not recovered).
    pub rpo: Option<SimDuration>,
    /// Pre-onset RPO: the onset of the first disaster at or after the oldest write missing from the
    /// authoritative copy, minus that write's acknowledgement time (0 when none). `None` as for `rpo`.
    pub pre_onset_rpo: Option<SimDuration>,
    /// Writes acknowledged.
    pub acknowledged: u64,
    /// Writes surviving in the authoritative copy.
    pub surviving: u64,
    /// Writes lost (including overwritten).
    pub lost: u64,
    /// Writes lost to last-writer-wins conflicts.
    pub overwritten: u64,
    /// The window and the lost writes attributed to each disaster, in onset order (empty when nothing
    /// was lost or `rpo` is not determined).
    pub losses: Vec<Loss>,
    /// The copy whose holdings the result is judged by: the writer at the horizon (`"secondary cluster
    /// in us-west-2"`, `"instance restored to 1d 05:00:00 in us-west-2"`).
    #[serde(default)]
    pub authoritative: String,
    /// Its exposure window; `None` when it had no current copy outside its writer's Region at time zero
    /// (not tracked).
    #[serde(default)]
    pub exposure: Option<StoreExposure>,
}

/// The part of a store's data loss attributed to one disaster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loss {
    /// The disaster (`None`: writes lost with no disaster within the horizon).
    pub disaster: Option<String>,
    /// Its data-loss window (the length of the union of its stretches).
    pub window: SimDuration,
    /// Acknowledged writes lost to it.
    pub writes: u64,
    /// Of `writes`, those overwritten (last writer wins).
    pub overwritten: u64,
    /// The acknowledgement time of the oldest write lost to it.
    #[serde(default)]
    pub from: SimTime,
    /// The end of its last stretch: writes acknowledged from here on were not lost to it.
    #[serde(default)]
    pub to: SimTime,
}
