//! The contract of a data-store model: its copies, how writes reach them, what a bad write or delete left
//! in the copy clients use, and the actions that change which copy is authoritative. The world calls these;
//! the store keeps its own [`Ledger`].

use crate::engine::rng::Stream;
use crate::engine::time::SimTime;
use crate::model::action::{StoreAction, Ticket};
use crate::model::ctx::Ctx;
use crate::model::ledger::{CopyId, Ledger, Settlement};
use crate::model::place::{Health, RegionId};
use crate::spec::runbook::Probe;

/// What a corrupting write or an accidental delete did to a copy of a store's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataLoss {
    /// A bad write: reads return wrong data (counted as failed); writes are still acknowledged, on top of
    /// the damage, and are lost when the data is restored to before it.
    Corruption,
    /// The table or database is gone: reads and writes fail.
    Deletion,
}

/// A data-store model (RDS, Aurora, DynamoDB, S3): its copies, how writes reach them, and the actions that
/// change which copy is authoritative. The world calls these; the store keeps its own [`Ledger`].
pub trait DataStore: std::fmt::Debug {
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

    /// A corrupting write or an accidental delete (`loss`) happens now. It reaches every live copy that
    /// replicates from the writer (synchronously or not); snapshots and backups taken before it are
    /// untouched, and a restore brings it back exactly when the restored point is after it.
    fn lose_data(&mut self, ctx: &mut Ctx<'_>, loss: DataLoss);

    /// What clients in Region `from` find in the copy they use now: `None` for intact data, else the bad
    /// write or delete it carries. The store keeps this state (it knows which point a restore brought
    /// back); the world asks it for every read and write.
    fn data_loss(&self, health: &Health, from: RegionId) -> Option<DataLoss>;

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
    fn probe(&self, health: &Health, what: Probe) -> Option<f64>;

    /// Whether the store's data is **exposed** now: its writer takes writes but no copy outside the
    /// writer's Region follows it (after a cross-Region failover, until a replica there is re-added or
    /// created). `None`: not applicable now (the writer is down), or never for this kind of store.
    fn exposed(&self, _health: &Health) -> Option<bool> {
        None
    }
}
