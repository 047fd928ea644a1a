//! Aurora's cluster as a `DataStore`: writer instance failures, jobs finishing (instance failover,
//! switchover, promotion, restores), actions begun, reads (local in every Region), writes (forwarded or
//! not) and probes.

use crate::engine::rng::Stream;
use crate::engine::time::SimTime;
use crate::model::ledger::{CopyId, Ledger, Settlement};
use crate::model::place::Place;
use crate::model::place::{Health, RegionId};
use crate::model::store::DataLoss;
use crate::model::stream_name::StreamName;
use crate::model::{ActionError, Ctx, DataStore, Phase, StoreAction, Ticket};
use crate::services::backup::control_plane;
use crate::services::members::Role;
use crate::services::rds::{log_member_changes, probe_members};
use crate::services::recovery::{Endpoint, begin_recovery, finish_recovery, repoint};
use crate::services::reprotect::{NewReplica, begin_new_replica, begin_resync, finish_sync};
use crate::spec::runbook::Probe;

use super::{Aurora, Job};

impl DataStore for Aurora {
    fn name(&self) -> &str {
        &self.name
    }

    fn start(&mut self, ctx: &mut Ctx<'_>) {
        self.members.start(ctx.now, ctx.health);
        self.backups.observe(ctx.now, ctx.health);
    }

    fn on_health_change(&mut self, ctx: &mut Ctx<'_>) {
        self.backups.observe(ctx.now, ctx.health);
        let changes = self.members.reconcile(ctx.now, ctx.health);
        log_member_changes(ctx, &self.name, &self.members, changes);
        let failed = self.resource.is_some_and(|r| ctx.health.resource_failed(r));
        match (failed, self.failed_az) {
            (true, None) if self.writer_az.is_some() => {
                self.failed_az = self.writer_az;
                ctx.log(&self.name, Phase::Info, || {
                    "writer instance fails".to_string()
                });
            }
            (false, Some(_)) => self.failed_az = None,
            _ => {}
        }
        self.maybe_fail_over_instance(ctx);
        if let Some(j) = self.readd
            && let Some(took) = begin_resync(ctx, &self.name, &self.members, &mut self.backups, j)
        {
            self.readd = None;
            self.jobs.schedule(
                ctx,
                took,
                Job::Sync {
                    member: j,
                    ticket: None,
                },
            );
        }
        let up = self.writer_up(ctx.health);
        if up != self.writer_was_up {
            let text = if up {
                "writer is back and takes writes"
            } else {
                "writer is down: writes fail"
            };
            ctx.log(
                &self.name,
                if up { Phase::Recovery } else { Phase::Info },
                || text.to_string(),
            );
        }
        self.writer_was_up = up;
    }

    fn on_wake(&mut self, ctx: &mut Ctx<'_>, token: u32) {
        let Some(job) = self.jobs.take(token) else {
            return;
        };
        match job {
            Job::InstanceFailover { to, ticket } => {
                self.writer_az = Some(to);
                let text = format!("writer instance now in {}", self.catalog.az_name(to));
                ctx.log(&self.name, Phase::Recovery, || text);
                if let Some(t) = ticket {
                    ctx.finish(t, Ok(()));
                }
            }
            Job::Switchover { to, ticket } => {
                let connected = ctx.health.connected(
                    self.members.writer_region(),
                    self.members.list[to].place.region,
                );
                if connected && self.members.list[to].following {
                    let changes = self.members.hand_over(to, ctx.now, ctx.health);
                    log_member_changes(ctx, &self.name, &self.members, changes);
                    self.writer_az = None;
                    let text = format!(
                        "switchover complete: {} is the primary",
                        self.members.list[to].label
                    );
                    ctx.log(&self.name, Phase::Recovery, || text);
                    ctx.finish(ticket, Ok(()));
                } else {
                    ctx.log(&self.name, Phase::Recovery, || {
                        "switchover failed: the regions lost contact".to_string()
                    });
                    ctx.finish(
                        ticket,
                        Err(ActionError::TargetDown("the secondary".to_string())),
                    );
                }
            }
            Job::Promote { to, detach, ticket } => {
                if ctx.health.region_up(self.members.list[to].place.region) {
                    let old = self.members.writer;
                    self.members.promote(to, ctx.now, &self.name, detach);
                    if !detach {
                        // A managed failover re-adds the old primary as a secondary once its Region is
                        // back, after a resync (C43); until then it does not follow.
                        self.members.list[old].syncing = true;
                        self.readd = Some(old);
                    }
                    self.backups.home = self.members.writer_region();
                    self.writer_az = None;
                    let changes = self.members.reconcile(ctx.now, ctx.health);
                    log_member_changes(ctx, &self.name, &self.members, changes);
                    let text =
                        format!("{} promoted: it is the writer", self.members.list[to].label);
                    ctx.log(&self.name, Phase::Recovery, || text);
                    ctx.finish(ticket, Ok(()));
                } else {
                    ctx.finish(
                        ticket,
                        Err(ActionError::TargetDown(self.members.list[to].label.clone())),
                    );
                }
            }
            Job::Sync { member, ticket } => {
                finish_sync(ctx, &self.name, &mut self.members, member);
                if let Some(t) = ticket {
                    ctx.finish(t, Ok(()));
                }
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
                self.writer_az = None;
            }
        }
        self.on_health_change(ctx);
    }

    fn begin(&mut self, ctx: &mut Ctx<'_>, ticket: Ticket, action: StoreAction) {
        let result = match begin_recovery(
            ctx,
            (&self.name, "cluster"),
            &self.catalog,
            &mut self.members,
            &mut self.backups,
            ticket,
            action,
        ) {
            Some(Ok((job, took))) => {
                self.jobs.schedule(ctx, took, Job::Recovery(job));
                Ok(())
            }
            Some(Err(e)) => Err(e),
            None if action == StoreAction::Repoint => {
                repoint(ctx, &self.name, &mut self.members, ticket);
                Ok(())
            }
            None if matches!(action, StoreAction::AddReplica { .. }) => {
                let StoreAction::AddReplica { region } = action else {
                    unreachable!()
                };
                let label = format!("secondary cluster in {}", self.catalog.region_name(region));
                let new = NewReplica {
                    rng: StreamName::of_resource(&self.name, &[&label, "lag"])
                        .stream(&self.streams),
                    label,
                    place: Place::region(region),
                    lag: self.new_lag.clone(),
                    snapshot_first: false,
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
                    let job = Job::Sync {
                        member,
                        ticket: Some(ticket),
                    };
                    self.jobs.schedule(ctx, took, job);
                })
            }
            None if action == StoreAction::ForceFailover => {
                control_plane(ctx.health, self.members.writer_region()).and_then(|()| {
                    // A forced failover is an instance failover, as if the writer's AZ were lost.
                    let region = self.members.writer_region();
                    let current = self.writer_az;
                    let to = self
                        .instance_azs
                        .iter()
                        .copied()
                        .find(|&a| Some(a) != current && ctx.health.az_up(region, a));
                    let to = to.ok_or_else(|| {
                        ActionError::NotApplicable("no replica instance is up".into())
                    })?;
                    let took = self.failover.sample(&mut self.rng);
                    ctx.log(&self.name, Phase::Recovery, || {
                        format!(
                            "forced failover to {} begins (takes {})",
                            self.catalog.az_name(to),
                            took.human()
                        )
                    });
                    let job = Job::InstanceFailover {
                        to,
                        ticket: Some(ticket),
                    };
                    self.jobs.schedule(ctx, took, job);
                    Ok(())
                })
            }
            None => self.begin_global(ctx, ticket, action),
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
                    "corrupting write reaches the cluster volume and every connected secondary"
                }
                DataLoss::Deletion => {
                    "the primary cluster is deleted; secondaries keep their data, and its backups remain"
                }
            }
            .to_string()
        });
    }

    fn data_loss(&self, _health: &Health, _from: RegionId) -> Option<DataLoss> {
        self.members.data_loss()
    }

    fn read_ok(&self, health: &Health, from: RegionId) -> f64 {
        // Secondaries serve reads locally without promotion; the primary serves reads from anywhere it is
        // reachable. Until a restored cluster is repointed to, clients read the old one.
        let current = self.members.endpoint_is_writer();
        let local = self.members.list.iter().any(|m| {
            (m.role == Role::Async || (current && m.role == Role::Writer))
                && m.place.region == from
                && health.region_up(from)
        });
        let endpoint = self.members.endpoint().place.region;
        let primary = if current {
            self.writer_instance_up(health)
        } else {
            health.region_up(endpoint)
        } && health.connected(from, endpoint);
        if local || primary { 1.0 } else { 0.0 }
    }

    fn write_route(&self, health: &Health, from: RegionId) -> Option<(CopyId, f64)> {
        // Compute next to a secondary writes through it only if it forwards writes.
        let local_secondary = self.forwarding.iter().find(|&&(m, _)| {
            self.members.list[m].role == Role::Async && self.members.list[m].place.region == from
        });
        match local_secondary {
            Some(&(_, false)) => None,
            _ => self
                .members
                .write_route(health, from, self.endpoint_up(health)),
        }
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
