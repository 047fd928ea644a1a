//! RDS's database as a `DataStore`: instance failures and Multi-AZ failovers, promotions, restores and
//! copies, reads, writes and probes; and the member helpers every single-writer store shares (logging
//! replicas cut off or caught up, the common probes).

use crate::engine::dist::Dist;
use crate::engine::rng::Stream;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::ledger::{CopyId, Ledger, Settlement};
use crate::model::place::{Health, RegionId};
use crate::model::store::DataLoss;
use crate::model::stream_name::StreamName;
use crate::model::{ActionError, Ctx, DataStore, Phase, StoreAction, Ticket};
use crate::services::backup::control_plane;
use crate::services::members::{Change, Members, Role};
use crate::services::recovery::{Endpoint, begin_recovery, finish_recovery, repoint};
use crate::services::reprotect::{NewReplica, begin_new_replica, finish_sync};
use crate::spec::runbook::Probe;

use super::{Job, Rds};

/// Logs replicas cut off or caught up, in a student's words.
pub(crate) fn log_member_changes(
    ctx: &mut Ctx<'_>,
    store: &str,
    members: &Members,
    changes: Vec<Change>,
) {
    for change in changes {
        let text = match change {
            Change::CutOff(i, lag) if members.list[i].role == Role::Async => {
                let unreplicated = if members.ledger.takes_writes() {
                    format!("; {} of writes not replicated", lag.human())
                } else {
                    " (no writes to lose: nothing writes to this store)".to_string()
                };
                format!(
                    "{} cut off from the writer{unreplicated}",
                    members.list[i].label
                )
            }
            // A standby losing its writer is told by the failover that follows; say only when the standby
            // itself is lost.
            Change::CutOff(i, _) if members.is_up(members.writer, ctx.health) => {
                format!(
                    "{} is down; the writer runs without a standby",
                    members.list[i].label
                )
            }
            Change::CutOff(..) => continue,
            Change::CaughtUp(i) => format!("{} catches up with the writer", members.list[i].label),
        };
        ctx.log(store, Phase::Info, || text);
    }
}

impl DataStore for Rds {
    fn name(&self) -> &str {
        &self.name
    }

    fn start(&mut self, ctx: &mut Ctx<'_>) {
        self.members.start(ctx.now, ctx.health);
        self.backups.observe(ctx.now, ctx.health);
    }

    fn on_health_change(&mut self, ctx: &mut Ctx<'_>) {
        self.backups.observe(ctx.now, ctx.health);
        // An instance failure (the world fails this store's resource) takes down the writer of that moment;
        // the failover that follows moves away from it.
        let failed = self.resource.is_some_and(|r| ctx.health.resource_failed(r));
        match (failed, self.members.failed) {
            (true, None) => {
                self.members.failed = Some(self.members.writer);
                let text = format!("{} fails", self.members.writer().label);
                ctx.log(&self.name, Phase::Info, || text);
            }
            (false, Some(_)) => self.members.failed = None,
            _ => {}
        }
        let changes = self.members.reconcile(ctx.now, ctx.health);
        self.log_changes(ctx, changes);
        let writer_instance_up = self.members.is_up(self.members.writer, ctx.health);
        if !writer_instance_up && !self.failing_over() {
            match self.standby_up(ctx.health) {
                Some(to) => self.begin_failover(ctx, to, None),
                None if self.writer_was_up => {
                    let text = format!(
                        "{} is down and no standby can take over",
                        self.members.writer().label
                    );
                    ctx.log(&self.name, Phase::Info, || text);
                }
                None => {}
            }
        }
        let up = self.writer_up(ctx.health);
        if up && !self.writer_was_up {
            let text = format!("{} is back and takes writes", self.members.writer().label);
            ctx.log(&self.name, Phase::Recovery, || text);
        }
        self.writer_was_up = up;
    }

    fn on_wake(&mut self, ctx: &mut Ctx<'_>, token: u32) {
        let Some(job) = self.jobs.take(token) else {
            return;
        };
        match job {
            Job::Failover { to, ticket } => {
                let target = self.members.list[to].label.clone();
                if self.members.is_up(to, ctx.health) {
                    let changes = self.members.hand_over(to, ctx.now, ctx.health);
                    ctx.log(&self.name, Phase::Recovery, || {
                        format!("failover complete: the {target} is the writer")
                    });
                    self.log_changes(ctx, changes);
                    self.writer_was_up = true;
                    if let Some(t) = ticket {
                        ctx.finish(t, Ok(()));
                    }
                } else {
                    ctx.log(&self.name, Phase::Recovery, || {
                        format!("failover to the {target} failed: it went down")
                    });
                    if let Some(t) = ticket {
                        ctx.finish(t, Err(ActionError::TargetDown(target)));
                    }
                }
                // Another failure may have happened meanwhile.
                self.on_health_change(ctx);
            }
            Job::Promote { member, ticket } => {
                let label = self.members.list[member].label.clone();
                if ctx.health.place_up(self.members.list[member].place) {
                    self.members.promote(member, ctx.now, &self.name, true);
                    // The promoted instance's logs ship in its own Region.
                    self.backups.home = self.members.writer_region();
                    ctx.log(&self.name, Phase::Recovery, || {
                        format!("{label} promoted: it is now a standalone writer")
                    });
                    ctx.finish(ticket, Ok(()));
                } else {
                    ctx.finish(ticket, Err(ActionError::TargetDown(label)));
                }
                self.writer_was_up = self.writer_up(ctx.health);
            }
            Job::Sync { member, ticket } => {
                finish_sync(ctx, &self.name, &mut self.members, member);
                ctx.finish(ticket, Ok(()));
            }
            Job::Recovery(job) => {
                finish_recovery(
                    ctx,
                    (&self.name, Endpoint::New),
                    &self.catalog,
                    &mut self.members,
                    &mut self.backups,
                    job,
                );
                self.writer_was_up = self.writer_up(ctx.health);
            }
        }
    }

    fn begin(&mut self, ctx: &mut Ctx<'_>, ticket: Ticket, action: StoreAction) {
        if let Some(result) = begin_recovery(
            ctx,
            (&self.name, "instance"),
            &self.catalog,
            &mut self.members,
            &mut self.backups,
            ticket,
            action,
        ) {
            match result {
                Ok((job, took)) => self.jobs.schedule(ctx, took, Job::Recovery(job)),
                Err(e) => ctx.finish(ticket, Err(e)),
            }
            return;
        }
        let result = match action {
            StoreAction::Repoint => {
                repoint(ctx, &self.name, &mut self.members, ticket);
                Ok(())
            }
            StoreAction::ForceFailover => (|| {
                control_plane(ctx.health, self.members.writer_region())?;
                if self.failing_over() {
                    return Err(ActionError::NotApplicable(
                        "a failover is already running".into(),
                    ));
                }
                let to = self.standby_up(ctx.health).ok_or_else(|| {
                    ActionError::NotApplicable(
                        "no standby is up (not a Multi-AZ deployment?)".into(),
                    )
                })?;
                Ok(to)
            })()
            .map(|to| self.begin_failover(ctx, to, Some(ticket))),
            StoreAction::Promote { region } => (|| {
                control_plane(ctx.health, region)?;
                let member = self.members.replica_in(region).ok_or_else(|| {
                    ActionError::NotApplicable(format!(
                        "no read replica in {}",
                        self.catalog.region_name(region)
                    ))
                })?;
                if !ctx.health.place_up(self.members.list[member].place) {
                    return Err(ActionError::TargetDown(
                        self.members.list[member].label.clone(),
                    ));
                }
                Ok(member)
            })()
            .map(|member| {
                let took = self.promotion.sample(&mut self.failover_rng);
                let text = format!(
                    "promotion of the {} begins (takes {})",
                    self.members.list[member].label,
                    took.human()
                );
                ctx.log(&self.name, Phase::Recovery, || text);
                self.jobs
                    .schedule(ctx, took, Job::Promote { member, ticket });
            }),
            StoreAction::AddReplica { region } => {
                let place = self
                    .backups
                    .restore_place(region, &self.catalog, ctx.health);
                let label = match place.az {
                    Some(az) => format!("new replica in {}", self.catalog.az_name(az)),
                    None => format!("new replica in {}", self.catalog.region_name(region)),
                };
                let new = NewReplica {
                    rng: StreamName::of_resource(&self.name, &[&label, "lag"])
                        .stream(&self.streams),
                    label,
                    place,
                    lag: Dist::log_normal("1s", "15s"),
                    snapshot_first: true,
                };
                begin_new_replica(
                    ctx,
                    &self.name,
                    &self.catalog,
                    &mut self.members,
                    &mut self.backups,
                    region,
                    new,
                )
                .map(|(member, took)| {
                    self.jobs.schedule(ctx, took, Job::Sync { member, ticket });
                })
            }
            other => Err(ActionError::Unsupported(format!(
                "RDS does not support {other:?}"
            ))),
        };
        if let Err(e) = result {
            ctx.finish(ticket, Err(e));
        }
    }

    fn lose_data(&mut self, ctx: &mut Ctx<'_>, loss: DataLoss) {
        self.members.corrupt(ctx.now, loss);
        ctx.log(&self.name, Phase::Disaster, || {
            match loss {
                DataLoss::Corruption => {
                    "corrupting write reaches the writer, its standbys and every connected replica"
                }
                DataLoss::Deletion => {
                    "the database is deleted with its standbys; read replicas keep their data, and its backups remain"
                }
            }
            .to_string()
        });
    }

    fn data_loss(&self, _health: &Health, _from: RegionId) -> Option<DataLoss> {
        self.members.data_loss()
    }

    fn read_ok(&self, health: &Health, from: RegionId) -> f64 {
        let writer_ok = self.endpoint_up(health)
            && health.connected(from, self.members.endpoint().place.region);
        let local_reader = self.members.list.iter().any(|m| {
            (m.role == Role::Async || (self.cluster && m.role == Role::Sync))
                && m.place.region == from
                && health.place_up(m.place)
        });
        if writer_ok || local_reader { 1.0 } else { 0.0 }
    }

    fn write_route(&self, health: &Health, from: RegionId) -> Option<(CopyId, f64)> {
        self.members
            .write_route(health, from, self.endpoint_up(health))
    }

    fn ledger_mut(&mut self) -> &mut Ledger {
        &mut self.members.ledger
    }

    fn settle(&self, until: SimTime, disaster: SimTime, rng: &mut Stream) -> Settlement {
        self.members.settle(until, disaster, rng)
    }

    fn exposed(&self, health: &Health) -> Option<bool> {
        self.members.protected(health).map(|p| !p)
    }

    fn probe(&self, health: &Health, what: Probe) -> Option<f64> {
        probe_members(&self.members, self.writer_up(health), what)
    }
}

/// The probes every single-writer store answers.
pub(crate) fn probe_members(members: &Members, writer_up: bool, what: Probe) -> Option<f64> {
    match what {
        Probe::ReplicaLagS => Some(members.replica_lag().map_or(0.0, SimDuration::as_secs_f64)),
        Probe::WriterRegion => Some(f64::from(members.writer_region().0)),
        Probe::WriterUp => Some(if writer_up { 1.0 } else { 0.0 }),
    }
}
