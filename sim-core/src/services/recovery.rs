//! Restore and copy jobs shared by the single-writer stores (RDS, Aurora, S3): starting one (checking the
//! control plane and Region, choosing the backup or point, and what damage the restored point carries),
//! completing it (the restored copy becomes the writer behind a new endpoint), and the pending-job table
//! with never-reused tokens.

use crate::engine::time::{SimDuration, SimTime};
use crate::model::ledger::CopyId;
use crate::model::{
    ActionError, Catalog, Ctx, Health, Phase, Place, RegionId, StoreAction, Ticket,
};
use crate::services::backup::{Backups, Damage, control_plane};
use crate::services::members::Members;

/// A restore or copy job in flight, shared by the single-writer stores.
#[derive(Debug)]
pub(crate) enum RecoveryJob {
    /// A restored copy becomes the writer at `place` when the job completes.
    Restore {
        restored: (CopyId, Option<Damage>),
        label: String,
        place: Place,
        ticket: Ticket,
    },
    /// A backup of `point` lands in `region` when the job completes.
    Copy {
        region: RegionId,
        point: SimTime,
        ticket: Ticket,
    },
}

/// Begins `RestoreSnapshot`, `RestoreToPoint` or `CopyBackup` for a single-writer store: checks the
/// control plane and Region, picks the backup or point, logs, and returns the job and how long it takes.
/// `what` is what a restore makes, for the log: a new `"instance"` (RDS) or `"cluster"` (Aurora), or the
/// `"bucket"` itself with its earlier versions (S3). `None` for other actions.
pub(crate) fn begin_recovery(
    ctx: &mut Ctx<'_>,
    (store, what_is_restored): (&str, &str),
    catalog: &Catalog,
    members: &mut Members,
    backups: &mut Backups,
    ticket: Ticket,
    action: StoreAction,
) -> Option<Result<(RecoveryJob, SimDuration), ActionError>> {
    let now = ctx.now;
    // No backup of a deleted database is taken after its deletion, and its logs stop shipping then.
    let deleted = members.deleted(now).unwrap_or(SimTime::MAX);
    let result = match action {
        StoreAction::RestoreSnapshot { region } | StoreAction::RestoreToPoint { region, .. } => {
            (|| {
                usable_region(ctx.health, region, catalog)?;
                let mut why = String::new();
                let (point, what, retrieval) = match action {
                    StoreAction::RestoreToPoint { target, .. } => {
                        if region != backups.home {
                            return Err(ActionError::NotApplicable(format!(
                                "point-in-time restore of {store} is only possible in {}, where its logs are",
                                catalog.region_name(backups.home)
                            )));
                        }
                        let corruption = members.corruption_before(now);
                        // Logs stop shipping when the writer goes down: what it held after the last shipment
                        // is gone.
                        let shipped_until = members.writer_down_since.unwrap_or(now).min(deleted);
                        let start = members.lineage_start;
                        let point =
                            backups.pitr_point(target, now, shipped_until, start, corruption)?;
                        (point, "point-in-time restore to", None)
                    }
                    _ => {
                        let found = backups.latest_in(region, now, deleted).ok_or_else(|| {
                            ActionError::NotApplicable(format!(
                                "no backup or snapshot of {store} is usable in {} yet",
                                catalog.region_name(region)
                            ))
                        })?;
                        why = format!(
                            " ({})",
                            backups.why_used(region, now, deleted, found, catalog)
                        );
                        let retrieval = backups.retrieval_of(region, now, deleted, found);
                        (found.0, "restore from the snapshot of", retrieval)
                    }
                };
                let region_name = catalog.region_name(region);
                let (point, _) = members.history.restorable(point);
                let label = format!("{what_is_restored} restored to {point} in {region_name}");
                let restored = members.copy_at(point, &label);
                let (took, retrieved) =
                    backups.restore_duration(retrieval.as_ref().map(|r| &r.took));
                let first = match retrieval.and_then(|r| r.named) {
                    Some(named) => format!(", of which {} {named} first", retrieved.human()),
                    None => String::new(),
                };
                let brings_back = match restored.1 {
                    Some(d) => format!(
                        "; the data at {point} carries the bad write of {}, which comes back with it",
                        d.at
                    ),
                    None => String::new(),
                };
                ctx.log(
                store,
                Phase::Recovery,
                || format!(
                    "{what} {point}{why} begins in {region_name} (takes {}{first}); writes after {point} will be missing{brings_back}", took.human()),
            );
                let place = backups.restore_place(region, catalog, ctx.health);
                let job = RecoveryJob::Restore {
                    restored,
                    label,
                    place,
                    ticket,
                };
                Ok((job, took))
            })()
        }
        StoreAction::CopyBackup { region } => (|| {
            usable_region(ctx.health, region, catalog)?;
            let home = backups.home;
            if !ctx.health.region_up(home) {
                return Err(ActionError::TargetDown(format!(
                    "the backups of {store} in {}",
                    catalog.region_name(home)
                )));
            }
            let (point, _) = backups.latest_in(home, now, deleted).ok_or_else(|| {
                ActionError::NotApplicable(format!("{store} has no backup to copy yet"))
            })?;
            let took = backups.copy_duration();
            backups
                .admit_copy(region, now, now + took)
                .map_err(ActionError::NotApplicable)?;
            ctx.log(store, Phase::Recovery, || {
                format!(
                    "copy of the snapshot of {point} to {} begins (takes {})",
                    catalog.region_name(region),
                    took.human()
                )
            });
            Ok((
                RecoveryJob::Copy {
                    region,
                    point,
                    ticket,
                },
                took,
            ))
        })(),
        _ => return None,
    };
    Some(result)
}

/// Whether a restored copy is reached under a new name, so that clients need repointing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// A new instance or cluster with its own endpoint (RDS, Aurora): clients keep using the old one until
    /// a runbook's `Repoint`.
    New,
    /// Restored in place under the same name (an S3 bucket's earlier object versions).
    Same,
}

/// Completes a recovery job at `ctx.now`.
pub(crate) fn finish_recovery(
    ctx: &mut Ctx<'_>,
    (store, endpoint): (&str, Endpoint),
    catalog: &Catalog,
    members: &mut Members,
    backups: &mut Backups,
    job: RecoveryJob,
) {
    match job {
        RecoveryJob::Restore {
            restored,
            label,
            place,
            ticket,
        } => {
            if !ctx.health.place_up(place) {
                ctx.log(store, Phase::Recovery, || {
                    format!("{label}: failed, its Region went down")
                });
                ctx.finish(ticket, Err(ActionError::TargetDown(label)));
                return;
            }
            members.install_restored(restored, &label, place, ctx.now, store);
            // The new instance's logs ship in its own Region.
            backups.home = place.region;
            let clients = match endpoint {
                Endpoint::New => {
                    "; clients keep using the old endpoint until the application is repointed"
                }
                Endpoint::Same => {
                    // Repointing fails only when clients already use the writer, which they now do.
                    let _ = members.repoint();
                    ""
                }
            };
            ctx.log(store, Phase::Recovery, || {
                format!("{label}: available, now the writer{clients}")
            });
            ctx.finish(ticket, Ok(()));
        }
        RecoveryJob::Copy {
            region,
            point,
            ticket,
        } => {
            if !ctx.health.region_up(region) || !ctx.health.region_up(backups.home) {
                ctx.log(store, Phase::Recovery, || {
                    format!("copy of the snapshot of {point} failed: a Region went down")
                });
                ctx.finish(
                    ticket,
                    Err(ActionError::TargetDown(
                        catalog.region_name(region).to_string(),
                    )),
                );
                return;
            }
            backups.copies.push((region, point, ctx.now));
            ctx.log(store, Phase::Recovery, || {
                format!(
                    "snapshot of {point} now usable in {}",
                    catalog.region_name(region)
                )
            });
            ctx.finish(ticket, Ok(()));
        }
    }
}

/// `Repoint` for a single-writer store: clients move to the writer's endpoint now, or the ticket fails
/// when they already use it.
pub(crate) fn repoint(ctx: &mut Ctx<'_>, store: &str, members: &mut Members, ticket: Ticket) {
    match members.repoint() {
        Ok(()) => {
            let label = members.writer().label.clone();
            ctx.log(store, Phase::Recovery, || {
                format!("clients now use the restored {store} ({label})")
            });
            ctx.finish(ticket, Ok(()));
        }
        Err(why) => ctx.finish(ticket, Err(ActionError::NotApplicable(why))),
    }
}

/// Checks that actions can run in `region`: control plane and data plane up.
pub(crate) fn usable_region(
    health: &Health,
    region: RegionId,
    catalog: &Catalog,
) -> Result<(), ActionError> {
    control_plane(health, region)?;
    if health.region_up(region) {
        Ok(())
    } else {
        Err(ActionError::TargetDown(
            catalog.region_name(region).to_string(),
        ))
    }
}

/// Pending wake-ups of a store: token → job. Tokens are never reused.
#[derive(Debug)]
pub(crate) struct Jobs<J> {
    next: u32,
    pending: Vec<(u32, J)>,
}

impl<J> Default for Jobs<J> {
    fn default() -> Self {
        Jobs {
            next: 0,
            pending: Vec::new(),
        }
    }
}

impl<J> Jobs<J> {
    /// Schedules `job` to complete after `delay`.
    pub fn schedule(&mut self, ctx: &mut Ctx<'_>, delay: SimDuration, job: J) {
        let token = self.next;
        self.next = self.next.wrapping_add(1);
        self.pending.push((token, job));
        ctx.wake_in(delay, token);
    }

    /// Takes the job of `token`, if it is still pending.
    pub fn take(&mut self, token: u32) -> Option<J> {
        let at = self.pending.iter().position(|(t, _)| *t == token)?;
        Some(self.pending.remove(at).1)
    }

    /// Whether a pending job matches `pred`.
    pub fn any(&self, pred: impl Fn(&J) -> bool) -> bool {
        self.pending.iter().any(|(_, j)| pred(j))
    }
}
