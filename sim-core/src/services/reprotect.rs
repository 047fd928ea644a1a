//! Re-protection after a cross-Region failover, for the single-writer stores (RDS, Aurora): a new replica
//! in another Region (RDS `CreateDBInstanceReadReplica` across Regions, Aurora `CreateDBCluster` joining
//! the global database), and the old primary an Aurora managed failover re-adds as a secondary once its
//! Region is back. Either copies the whole data set before it follows the writer, which is how long the
//! data stays **exposed** (no current copy outside the writer's Region).
//!
//! The initial copy takes as long as a restore of the store (its `restore`: base + per GB, C10), preceded
//! for RDS by a cross-Region snapshot copy (its `snapshot_copy`, C11): RDS creates a cross-Region replica
//! from a snapshot it copies to the destination. AWS publishes no figure for Aurora's; docs/calibration.md
//! says so.

use crate::engine::dist::Dist;
use crate::engine::rng::Stream;
use crate::engine::time::SimDuration;
use crate::model::place::{Place, RegionId};
use crate::model::{ActionError, Catalog, Ctx, Phase};
use crate::services::backup::{Backups, control_plane};
use crate::services::members::{Members, Role};
use crate::services::rds::log_member_changes;

/// What a new replica is, for [`begin_new_replica`].
pub(crate) struct NewReplica {
    /// How the log names it (`"secondary cluster in us-east-1"`).
    pub label: String,
    /// Where it runs.
    pub place: Place,
    /// Its replication lag once it follows.
    pub lag: Dist,
    /// Its lag stream.
    pub rng: Stream,
    /// Whether a cross-Region snapshot copy precedes the restore (RDS).
    pub snapshot_first: bool,
}

/// Starts creating a replica in `region`: checks the control planes and Regions, adds the member (not
/// following yet) and returns its index and how long its initial copy takes.
pub(crate) fn begin_new_replica(
    ctx: &mut Ctx<'_>,
    store: &str,
    catalog: &Catalog,
    members: &mut Members,
    backups: &mut Backups,
    region: RegionId,
    new: NewReplica,
) -> Result<(usize, SimDuration), ActionError> {
    let writer = members.writer_region();
    control_plane(ctx.health, region)?;
    control_plane(ctx.health, writer)?;
    let name = catalog.region_name(region).to_string();
    if region == writer {
        return Err(ActionError::NotApplicable(format!(
            "the writer is in {name}: a replica to protect it must be in another Region"
        )));
    }
    if members.replica_in(region).is_some() {
        return Err(ActionError::NotApplicable(format!(
            "{store} already has a replica in {name}"
        )));
    }
    if !ctx.health.region_up(region) || !members.is_up(members.writer, ctx.health) {
        return Err(ActionError::TargetDown(format!(
            "{name} or the writer (a new replica needs both)"
        )));
    }
    let took = if new.snapshot_first {
        backups.copy_duration()
    } else {
        SimDuration::ZERO
    } + backups.restore_duration(None).0;
    let i = members.add(&new.label, new.place, Role::Async, new.lag, new.rng);
    members.list[i].syncing = true;
    let text = format!(
        "creating {}: the initial copy of {} GB takes {}",
        new.label,
        backups.size_gb,
        took.human()
    );
    ctx.log(store, Phase::Recovery, || text);
    Ok((i, took))
}

/// Starts the resync of member `i` (an old primary re-added as a secondary) when its Region is up and
/// reachable from the writer; returns how long it takes, or `None` when it cannot start yet.
pub(crate) fn begin_resync(
    ctx: &mut Ctx<'_>,
    store: &str,
    members: &Members,
    backups: &mut Backups,
    i: usize,
) -> Option<SimDuration> {
    let (m, w) = (&members.list[i], members.writer());
    if !members.is_up(i, ctx.health)
        || !members.is_up(members.writer, ctx.health)
        || !ctx.health.connected(m.place.region, w.place.region)
    {
        return None;
    }
    let took = backups.restore_duration(None).0;
    let text = format!(
        "{} is back: the global database re-adds it as a secondary (resync takes {})",
        m.label,
        took.human()
    );
    ctx.log(store, Phase::Recovery, || text);
    Some(took)
}

/// Member `i`'s initial copy or resync is done: it follows the writer from now on.
pub(crate) fn finish_sync(ctx: &mut Ctx<'_>, store: &str, members: &mut Members, i: usize) {
    members.list[i].syncing = false;
    let text = format!(
        "{} is ready: it replicates from the writer",
        members.list[i].label
    );
    ctx.log(store, Phase::Recovery, || text);
    let changes = members.reconcile(ctx.now, ctx.health);
    log_member_changes(ctx, store, members, changes);
}
