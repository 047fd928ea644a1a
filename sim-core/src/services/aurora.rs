//! Amazon Aurora MySQL: a cluster volume shared by its instances (in-Region failover to a replica), and a
//! Global Database with storage-level replication to secondary Regions, switchover, unplanned failover,
//! detach-and-promote and write forwarding.
//!
//! The ledger copy of a cluster is its *volume* (six copies over three AZs), so an AZ loss costs no data;
//! instances only decide whether the cluster can take writes.

use crate::engine::dist::Dist;
use crate::engine::rng::{RngStreams, Stream};
use crate::engine::time::{SimDuration, SimTime};
use crate::model::ledger::{CopyId, Ledger, Settlement};
use crate::model::place::{AzId, Health, Place, RegionId};
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, CopyKind, DataCopy, Placement, Runtime, Service};
use crate::model::store::DataLoss;
use crate::model::stream_name::StreamName;
use crate::model::{ActionError, Catalog, Ctx, DataStore, Phase, StoreAction, Ticket};
use crate::services::backup::{Backups, control_plane};
use crate::services::checks::{az_named, check_dist, region_named};
use crate::services::members::{Members, Role};
use crate::services::pricing::{Bill, SECONDS_PER_MONTH};
use crate::services::rds::{log_member_changes, probe_members};
use crate::services::recovery::{
    Endpoint, Jobs, RecoveryJob, begin_recovery, finish_recovery, human, repoint,
};
use crate::spec::resources::aurora::AuroraConfig;
use crate::spec::runbook::Probe;

impl AuroraConfig {
    /// Checks values that do not need the catalog.
    pub fn validate(&self) -> Result<(), String> {
        if self.instance_azs.is_empty() {
            return Err("instance_azs is empty; list at least the writer's AZ".to_string());
        }
        for (field, dist) in [
            ("failover", &self.failover),
            ("instance_replace", &self.instance_replace),
            ("global_failover", &self.global_failover),
            ("switchover", &self.switchover),
            ("restore.base", &self.restore.base),
            ("snapshot_copy", &self.snapshot_copy),
        ] {
            check_dist(field, dist)?;
        }
        for (i, s) in self.secondaries.iter().enumerate() {
            check_dist(&format!("secondaries[{i}].lag"), &s.lag)?;
        }
        if self.backup_retention < SimDuration::from_hours(24)
            || self.backup_retention > SimDuration::from_hours(35 * 24)
        {
            return Err(format!(
                "backup_retention is {}; Aurora keeps continuous backups 1 to 35 days (\"1d\" to \"35d\")",
                self.backup_retention
            ));
        }
        if let Some(plan) = &self.backup_plan {
            plan.validate("backup_plan")?;
        }
        Ok(())
    }
}

/// A job in flight.
#[derive(Debug)]
enum Job {
    /// The writer instance moves to AZ `to` (a replica, or a re-created instance).
    InstanceFailover { to: AzId, ticket: Option<Ticket> },
    /// Managed switchover to member `to`.
    Switchover { to: usize, ticket: Ticket },
    /// Unplanned failover (`detach: false`) or detach-and-promote (`detach: true`) to member `to`.
    Promote {
        to: usize,
        detach: bool,
        ticket: Ticket,
    },
    /// A restore or snapshot copy.
    Recovery(RecoveryJob),
}

/// An Aurora MySQL cluster or Global Database at run time.
#[derive(Debug)]
pub struct Aurora {
    name: String,
    catalog: Catalog,
    members: Members,
    backups: Backups,
    /// AZs of the primary Region's instances; the writer instance's AZ is `writer_az`.
    instance_azs: Vec<AzId>,
    /// The writer instance's AZ while the writer is the original primary cluster (`None` after a global
    /// failover: the new writer is treated as regional).
    writer_az: Option<AzId>,
    /// `(member index, forwards writes)` per secondary.
    forwarding: Vec<(usize, bool)>,
    failover: Dist,
    instance_replace: Dist,
    global_failover: Dist,
    switchover: Dist,
    rng: Stream,
    jobs: Jobs<Job>,
    writer_was_up: bool,
    /// The world's index of the writer instance resource, once assigned.
    resource: Option<u16>,
    /// The AZ of the instance that failed outright (a resource failure), while it is failed.
    failed_az: Option<AzId>,
}

impl Aurora {
    /// Builds the cluster `name` from its configuration.
    pub fn build(
        name: &str,
        config: &AuroraConfig,
        catalog: &Catalog,
        streams: &RngStreams,
    ) -> Result<Aurora, String> {
        config.validate()?;
        let mut instance_azs = Vec::new();
        let mut home = None;
        for (i, az) in config.instance_azs.iter().enumerate() {
            let (az, region) = az_named(catalog, &format!("instance_azs[{i}]"), az)?;
            if *home.get_or_insert(region) != region {
                return Err(format!(
                    "instance_azs[{i}] is in {}, but a cluster's instances share one region",
                    catalog.region_name(region)
                ));
            }
            instance_azs.push(az);
        }
        let home = home.ok_or("instance_azs is empty")?;
        let lag_stream =
            |label: &str| StreamName::of_resource(name, &[label, "lag"]).stream(streams);
        let label = format!("primary cluster in {}", catalog.region_name(home));
        let mut members = Members::new(name, &label, Place::region(home), lag_stream(&label));
        let mut regions = vec![home];
        let mut forwarding = Vec::new();
        for (i, s) in config.secondaries.iter().enumerate() {
            let region = region_named(catalog, &format!("secondaries[{i}].region"), &s.region)?;
            if regions.contains(&region) {
                return Err(format!(
                    "secondaries[{i}].region is {}, which already has a cluster of this global database",
                    s.region
                ));
            }
            let l = format!("secondary cluster in {}", s.region);
            let m = members.add(
                &l,
                Place::region(region),
                Role::Async,
                s.lag.clone(),
                lag_stream(&l),
            );
            forwarding.push((m, s.write_forwarding));
            regions.push(region);
        }
        let mut backups = Backups::new(
            name,
            streams,
            home,
            regions,
            &config.restore,
            config.size_gb,
            &config.snapshot_copy,
        );
        // Aurora's latest restorable time trails now by up to 5 minutes, like RDS's (C9).
        backups.ship_logs(name, streams, config.backup_retention);
        if let Some(plan) = &config.backup_plan {
            backups.add_plan(plan, catalog, streams, name, "backup", "backup_plan")?;
        }
        Ok(Aurora {
            name: name.to_string(),
            catalog: catalog.clone(),
            members,
            backups,
            writer_az: instance_azs.first().copied(),
            instance_azs,
            forwarding,
            failover: config.failover.clone(),
            instance_replace: config.instance_replace.clone(),
            global_failover: config.global_failover.clone(),
            switchover: config.switchover.clone(),
            rng: StreamName::of_resource(name, &["failover"]).stream(streams),
            jobs: Jobs::default(),
            writer_was_up: true,
            resource: None,
            failed_az: None,
        })
    }

    /// Whether writes stop for a job in flight (instance failover, switchover, global failover).
    fn writes_paused(&self) -> bool {
        self.jobs.any(|j| {
            matches!(j, Job::InstanceFailover { .. } | Job::Switchover { .. })
                || matches!(j, Job::Promote { detach: false, .. })
        })
    }

    fn writer_instance_up(&self, health: &Health) -> bool {
        let region = self.members.writer_region();
        match self.writer_az {
            Some(az) => health.az_up(region, az) && self.failed_az != Some(az),
            None => health.region_up(region),
        }
    }

    /// Tells the cluster its resource index in the world, so that `fail(resource)` disasters
    /// (`Health::resource_failed`) fail its writer instance and trigger an in-Region failover.
    pub fn set_resource(&mut self, index: u16) {
        self.resource = Some(index);
    }

    fn writer_up(&self, health: &Health) -> bool {
        self.writer_instance_up(health) && !self.writes_paused()
    }

    /// Whether the cluster clients use takes requests: the writer, or the old cluster a restore left
    /// behind (up with its Region).
    fn endpoint_up(&self, health: &Health) -> bool {
        if self.members.endpoint_is_writer() {
            self.writer_up(health)
        } else {
            health.region_up(self.members.endpoint().place.region)
        }
    }

    /// Starts an in-Region failover if the writer instance's AZ is down and its Region is up.
    fn maybe_fail_over_instance(&mut self, ctx: &mut Ctx<'_>) {
        let region = self.members.writer_region();
        let Some(az) = self.writer_az else { return };
        if self.writer_instance_up(ctx.health)
            || !ctx.health.region_up(region)
            || self.writes_paused()
        {
            return;
        }
        let replica = self
            .instance_azs
            .iter()
            .copied()
            .find(|&a| a != az && ctx.health.az_up(region, a) && self.failed_az != Some(a));
        let (to, took, what) = match replica {
            Some(to) => (
                to,
                self.failover.sample(&mut self.rng),
                "failover to the replica in",
            ),
            None => match self
                .catalog
                .azs_of(region)
                .into_iter()
                .find(|&a| ctx.health.az_up(region, a))
            {
                Some(to) => (
                    to,
                    self.instance_replace.sample(&mut self.rng),
                    "no replica: re-creating the writer in",
                ),
                None => return,
            },
        };
        let text = format!(
            "{what} {} begins (takes {}); the cluster volume keeps every write",
            self.catalog.az_name(to),
            human(took)
        );
        ctx.log(&self.name, Phase::Recovery, || text);
        self.jobs
            .schedule(ctx, took, Job::InstanceFailover { to, ticket: None });
    }

    fn secondary_in(&self, region: RegionId) -> Result<usize, ActionError> {
        self.members.replica_in(region).ok_or_else(|| {
            ActionError::NotApplicable(format!(
                "no secondary cluster in {}",
                self.catalog.region_name(region)
            ))
        })
    }

    fn begin_global(
        &mut self,
        ctx: &mut Ctx<'_>,
        ticket: Ticket,
        action: StoreAction,
    ) -> Result<(), ActionError> {
        let health = ctx.health;
        let (region, planned, detach) = match action {
            StoreAction::SwitchoverGlobal { region } => (region, true, false),
            StoreAction::FailoverGlobal { region } => (region, false, false),
            StoreAction::Promote { region } => (region, false, true),
            other => {
                return Err(ActionError::Unsupported(format!(
                    "Aurora does not support {other:?}"
                )));
            }
        };
        control_plane(health, region)?;
        let to = self.secondary_in(region)?;
        if !health.region_up(region) {
            return Err(ActionError::TargetDown(self.members.list[to].label.clone()));
        }
        let name = self.catalog.region_name(region).to_string();
        if planned {
            // A switchover waits for the secondary to catch up: both Regions must be up and connected.
            let primary = self.members.writer_region();
            control_plane(health, primary)?;
            if !self.writer_instance_up(health) || !health.connected(primary, region) {
                return Err(ActionError::TargetDown(format!(
                    "the primary in {} (a switchover needs both regions; use FailoverGlobal)",
                    self.catalog.region_name(primary)
                )));
            }
            let took = self.switchover.sample(&mut self.rng);
            ctx.log(&self.name, Phase::Recovery, || {
                format!(
                    "managed switchover to {name} begins (writes pause for {}; no data loss)",
                    human(took)
                )
            });
            self.jobs
                .schedule(ctx, took, Job::Switchover { to, ticket });
        } else {
            let took = self.global_failover.sample(&mut self.rng);
            let what = if detach {
                "detach-and-promote of"
            } else {
                "unplanned global failover to"
            };
            ctx.log(&self.name, Phase::Recovery, || format!("{what} the secondary in {name} begins (takes {}); writes not yet replicated are lost", human(took)));
            self.jobs
                .schedule(ctx, took, Job::Promote { to, detach, ticket });
        }
        Ok(())
    }
}

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
                    self.members.promote(to, ctx.now, &self.name, detach);
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
                            human(took)
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

    fn probe(&self, health: &Health, what: Probe) -> Option<f64> {
        probe_members(&self.members, self.writer_up(health), what)
    }
}

impl Service for AuroraConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        let mut store = Aurora::build(cx.name, self, cx.catalog, cx.streams).map_err(|reason| {
            BuildError::Invalid {
                resource: cx.name.to_string(),
                reason: format!("store {:?}: {reason}", cx.name),
            }
        })?;
        store.set_resource(cx.index);
        Ok(Runtime::Store(Box::new(store)))
    }

    fn placement(&self) -> Placement<'_> {
        self.instance_azs
            .first()
            .map_or(Placement::Nowhere, |az| Placement::Az(az))
    }

    fn copies(&self) -> Vec<DataCopy<'_>> {
        let mut copies: Vec<DataCopy<'_>> = self
            .secondaries
            .iter()
            .map(|s| DataCopy {
                kind: CopyKind::GlobalSecondary,
                at: Placement::Region(&s.region),
            })
            .collect();
        copies.extend(crate::services::backup::backup_copy(
            self.backup_plan.as_ref(),
        ));
        copies
    }

    fn check(&self, name: &str, catalog: &Catalog) -> Vec<String> {
        match Aurora::build(name, self, catalog, &RngStreams::new(0, 0)) {
            Ok(_) => Vec::new(),
            Err(reason) => vec![format!("store {name:?}: {reason}")],
        }
    }

    fn price(&self, name: &str, home: &str, book: &mut dyn PriceBook) {
        let writes = book.traffic(name).writes * SECONDS_PER_MONTH;
        let mut bill = Bill::new(book, name, "Aurora");
        let class = &self.instance_class;
        let n = self.instance_azs.len() as f64;
        bill.db_instances(
            "instance_class",
            ("aurora", home),
            class,
            n,
            "primary cluster",
        );
        bill.storage("size_gb", ("aurora", home), self.size_gb, 1.0);
        bill.per_million(
            "writes",
            ("aurora", home, "million-io"),
            writes,
            "write I/Os",
        );
        for secondary in &self.secondaries {
            let region = secondary.region.as_str();
            let k = bill.assume("aurora-secondary-instances");
            let what = &format!("secondary cluster in {region}");
            bill.db_instances("instance_class", ("aurora", region), class, k, what);
            bill.storage("size_gb", ("aurora", region), self.size_gb, 1.0);
            let io = ("aurora", region, "million-replicated-write-io");
            let what = format!("replicated write I/Os to {region}");
            bill.per_million("secondaries", io, writes, &what);
        }
        if let Some(plan) = &self.backup_plan {
            bill.backups("backup_plan", ("aurora", home), self.size_gb, plan, true);
        }
    }

    fn hourly(&self, name: &str, region: &str, book: &mut dyn PriceBook) -> f64 {
        Bill::new(book, name, "Aurora").price(
            "instance_class",
            "aurora",
            region,
            &self.instance_class,
        )
    }
}
