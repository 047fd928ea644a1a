//! The contract between the world and the models it drives: the call context, the step log, actions and
//! their errors, and the [`DataStore`] trait every data-store model implements.
//!
//! **How a model runs.** Models are plain state machines. They never touch the engine: when they need time
//! to pass they ask the world for a wake-up ([`Ctx::wake_at`]) with a `u32` token of their choosing, and the
//! world calls them back with it. They draw durations from random streams they own (created from their
//! *name*, so common random numbers hold). They report what happened in the step log, tagged with the
//! recovery phase it belongs to, which is where the RTO breakdown comes from.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ledger::{CopyId, Ledger, Settlement};
use crate::engine::rng::Stream;
use crate::engine::time::{SimDuration, SimTime};
use crate::world::place::{AzId, Health, RegionId};

/// Which part of a recovery a logged step belongs to: the RTO breakdown sums these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// A disaster begins or heals.
    Disaster,
    /// Something notices: a health check verdict, an alarm, a human noticing.
    Detection,
    /// A human acknowledges a page or decides.
    Decision,
    /// A recovery action runs or completes (automatic failover included).
    Recovery,
    /// Clients shift: DNS caches expire, CDN config deploys.
    Propagation,
    /// Anything else worth narrating (backups taken, copies made).
    Info,
}

/// One line of a run's step log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// When it happened.
    pub at: SimTime,
    /// Who did it: a component, store, runbook or disaster name.
    pub actor: String,
    /// The recovery phase.
    pub phase: Phase,
    /// What happened, in words a student reads (`"failover record switches to us-west-2"`).
    pub text: String,
}

/// The run's step log, in time order.
///
/// Entries (time, actor, phase) are always kept: the RTO breakdown is computed from them. Their text is
/// only formatted when the log *narrates* (replays, single runs); sweeps run quiet, since formatting was a
/// sixth of a short replication's cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepLog {
    entries: Vec<LogEntry>,
    narrate: bool,
}

impl Default for StepLog {
    fn default() -> Self {
        StepLog::new()
    }
}

impl StepLog {
    /// An empty log that narrates (formats each entry's text).
    pub fn new() -> Self {
        StepLog {
            entries: Vec::new(),
            narrate: true,
        }
    }

    /// An empty log that keeps entries but not their text.
    pub fn quiet() -> Self {
        StepLog {
            entries: Vec::new(),
            narrate: false,
        }
    }

    /// Appends an entry; `text` is only called when the log narrates.
    pub fn push(&mut self, at: SimTime, actor: &str, phase: Phase, text: impl FnOnce() -> String) {
        let text = if self.narrate { text() } else { String::new() };
        self.entries.push(LogEntry {
            at,
            actor: actor.to_string(),
            phase,
            text,
        });
    }

    /// The entries, in the order they were logged (which is time order).
    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }

    /// Ends the log and returns its entries.
    pub fn into_entries(self) -> Vec<LogEntry> {
        self.entries
    }
}

/// Identifies one action a runbook started, so its completion can be matched to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Ticket(pub u32);

/// Why an action could not be done. Runbooks can `Catch` these by [`ActionError::code`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ActionError {
    /// The Region's control plane is down, so its API cannot be called.
    ControlPlaneDown(RegionId),
    /// The thing the action needs is down (e.g. the source of a switchover).
    TargetDown(String),
    /// The action does not apply to this resource or its state, with the reason (e.g. "no replica in
    /// us-west-2", "already the writer").
    NotApplicable(String),
    /// The action is not supported by this kind of resource.
    Unsupported(String),
}

impl ActionError {
    /// A short, stable error name for `Retry`/`Catch` matching, in the spirit of States Language error names.
    pub fn code(&self) -> &'static str {
        match self {
            ActionError::ControlPlaneDown(_) => "ControlPlaneDown",
            ActionError::TargetDown(_) => "TargetDown",
            ActionError::NotApplicable(_) => "NotApplicable",
            ActionError::Unsupported(_) => "Unsupported",
        }
    }
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::ControlPlaneDown(r) => {
                write!(f, "control plane of region #{} is down", r.0)
            }
            ActionError::TargetDown(what) => write!(f, "{what} is down"),
            ActionError::NotApplicable(why) => write!(f, "not applicable: {why}"),
            ActionError::Unsupported(what) => write!(f, "unsupported: {what}"),
        }
    }
}

/// What a model may do while the world is calling it: read the clock and health, ask for wake-ups, log,
/// and report finished actions.
pub struct Ctx<'a> {
    /// The current time.
    pub now: SimTime,
    /// The health of Regions, AZs and resources right now.
    pub health: &'a Health,
    wakeups: &'a mut Vec<(SimTime, u32)>,
    finished: &'a mut Vec<(Ticket, Result<(), ActionError>)>,
    log: &'a mut StepLog,
}

impl<'a> Ctx<'a> {
    /// A context over the world's buffers (the world drains `wakeups` and `finished` after each call).
    pub fn new(
        now: SimTime,
        health: &'a Health,
        wakeups: &'a mut Vec<(SimTime, u32)>,
        finished: &'a mut Vec<(Ticket, Result<(), ActionError>)>,
        log: &'a mut StepLog,
    ) -> Self {
        Ctx {
            now,
            health,
            wakeups,
            finished,
            log,
        }
    }

    /// Asks to be called back (`on_wake(token)`) at `at` (not before now).
    pub fn wake_at(&mut self, at: SimTime, token: u32) {
        self.wakeups.push((at.max(self.now), token));
    }

    /// Asks to be called back after `delay`.
    pub fn wake_in(&mut self, delay: SimDuration, token: u32) {
        self.wakeups.push((self.now + delay, token));
    }

    /// Reports that the action `ticket` finished (successfully or not).
    pub fn finish(&mut self, ticket: Ticket, result: Result<(), ActionError>) {
        self.finished.push((ticket, result));
    }

    /// Logs a step at the current time; `text` is only formatted when the log narrates.
    pub fn log(&mut self, actor: &str, phase: Phase, text: impl FnOnce() -> String) {
        self.log.push(self.now, actor, phase, text);
    }
}

/// Where a point-in-time restore should land.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PointTarget {
    /// The latest restorable time (e.g. now − up to 5 min for RDS, C9).
    Latest,
    /// Just before the most recent corruption or delete of this store (the operator picks the instant
    /// before the bad deploy).
    BeforeCorruption,
    /// A given instant.
    At(SimTime),
}

/// Actions a runbook can ask of a data store. A store answers the ones that do not apply to it with
/// [`ActionError::Unsupported`] or [`ActionError::NotApplicable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoreAction {
    /// Promote the read replica (RDS) or detach-and-promote the secondary cluster (Aurora) in `region` to a
    /// standalone writer.
    Promote {
        /// Where the replica is.
        region: RegionId,
    },
    /// Aurora Global Database unplanned failover to the secondary in `region` (allows data loss).
    FailoverGlobal {
        /// The new primary Region.
        region: RegionId,
    },
    /// Aurora Global Database managed switchover to `region` (planned: RPO 0; both Regions must be up).
    SwitchoverGlobal {
        /// The new primary Region.
        region: RegionId,
    },
    /// Force a Multi-AZ failover to the standby (reboot with failover).
    ForceFailover,
    /// Restore a new writer in `region` from the latest snapshot or backup held there.
    RestoreSnapshot {
        /// Where to restore.
        region: RegionId,
    },
    /// Restore a new writer in `region` to a point in time.
    RestoreToPoint {
        /// Where to restore.
        region: RegionId,
        /// To when.
        target: PointTarget,
    },
    /// Copy the latest snapshot or backup to `region` (an AWS Backup copy job).
    CopyBackup {
        /// Destination Region.
        region: RegionId,
    },
}

/// A data-store model (RDS, Aurora, DynamoDB, S3): its copies, how writes reach them, and the actions that
/// change which copy is authoritative. The world calls these; the store keeps its own [`Ledger`].
pub trait DataStore {
    /// The store's name, as written in the scenario.
    fn name(&self) -> &str;

    /// Called once at time zero: start periodic work (backup schedules, snapshot copies) with wake-ups.
    fn start(&mut self, ctx: &mut Ctx<'_>);

    /// Health changed (a disaster began or healed). React: begin an automatic failover, cut off a replica
    /// whose link failed (releasing its lag window from the ledger), mark copies in a failed place down.
    fn on_health_change(&mut self, ctx: &mut Ctx<'_>);

    /// A wake-up this store asked for is due.
    fn on_wake(&mut self, ctx: &mut Ctx<'_>, token: u32);

    /// A runbook asks for `action`. Report completion with [`Ctx::finish`] now or from a later wake-up.
    fn begin(&mut self, ctx: &mut Ctx<'_>, ticket: Ticket, action: StoreAction);

    /// A corrupting write or accidental delete happens now. It reaches every live copy that replicates
    /// from the writer (synchronously or not); snapshots and backups taken before it are untouched.
    fn corrupt(&mut self, ctx: &mut Ctx<'_>);

    /// The fraction of reads from compute in Region `from` that succeed right now.
    fn read_ok(&self, health: &Health, from: RegionId) -> f64;

    /// Where writes from compute in Region `from` land right now (the writer copy acknowledging them) and
    /// the fraction that succeed; `None` when no writer is reachable.
    fn write_route(&self, health: &Health, from: RegionId) -> Option<(CopyId, f64)>;

    /// The store's ledger (the world records write acceptance on it).
    fn ledger_mut(&mut self) -> &mut Ledger;

    /// Settles the ledger at `until`, judged by the copy that is authoritative then.
    fn settle(&self, until: SimTime, disaster: SimTime, rng: &mut Stream) -> Settlement;

    /// A numeric view of state for runbook `Choice` rules: e.g. `"replica_lag_s"`, `"writer_region"`
    /// (the Region index), `"writer_up"` (0 or 1). `None` for an unknown name.
    fn probe(&self, health: &Health, what: &str) -> Option<f64>;
}

/// Names of Regions and AZs, resolved once when the world is built.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    regions: Vec<String>,
    azs: Vec<(String, RegionId)>,
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Self {
        Catalog::default()
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
