//! Amazon RDS for MySQL: Single-AZ, Multi-AZ instance and Multi-AZ cluster deployments, read replicas,
//! automated backups (PITR and daily snapshots), snapshot copies and restores.

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
use crate::services::checks::{az_named, check_dist};
use crate::services::members::{Change, Members, Role};
use crate::services::pricing::Bill;
use crate::services::recovery::{
    Endpoint, Jobs, RecoveryJob, begin_recovery, finish_recovery, human, repoint,
};
use crate::spec::resources::rds::{RdsConfig, RdsDeployment};
use crate::spec::runbook::Probe;

/// The longest backup retention RDS allows.
const MAX_RETENTION: SimDuration = SimDuration::from_hours(35 * 24);

impl RdsConfig {
    /// Checks values that do not need the catalog.
    pub fn validate(&self) -> Result<(), String> {
        if let RdsDeployment::MultiAzCluster { reader_azs, .. } = &self.deployment
            && reader_azs.len() != 2
        {
            return Err(format!(
                "deployment.reader_azs has {} AZs; a Multi-AZ DB cluster has exactly 2 reader standbys",
                reader_azs.len()
            ));
        }
        // A Multi-AZ DB cluster's three instances are in three different AZs, and a Multi-AZ instance's
        // standby is in another AZ than its primary (RDS User Guide, "Multi-AZ DB cluster deployments",
        // "Multi-AZ DB instance deployments"): a copy sharing its writer's AZ is no standby at all.
        match &self.deployment {
            RdsDeployment::MultiAzCluster {
                writer_az,
                reader_azs,
            } => {
                if reader_azs.contains(writer_az) {
                    return Err(format!(
                        "deployment.reader_azs includes the writer's AZ {writer_az}; a Multi-AZ DB cluster has its writer and two readers in three different AZs"
                    ));
                }
                if reader_azs.len() == 2 && reader_azs[0] == reader_azs[1] {
                    return Err(format!(
                        "deployment.reader_azs names {} twice; a Multi-AZ DB cluster has its writer and two readers in three different AZs",
                        reader_azs[0]
                    ));
                }
            }
            RdsDeployment::MultiAzInstance {
                primary_az,
                standby_az,
            } if primary_az == standby_az => {
                return Err(format!(
                    "deployment.standby_az is the primary's AZ {primary_az}; a Multi-AZ standby is in another AZ"
                ));
            }
            _ => {}
        }
        check_dist("multi_az_failover", &self.multi_az_failover)?;
        check_dist("cluster_failover", &self.cluster_failover)?;
        check_dist("promotion", &self.promotion)?;
        check_dist("restore.base", &self.restore.base)?;
        check_dist("snapshot_copy", &self.snapshot_copy)?;
        for (i, r) in self.read_replicas.iter().enumerate() {
            if let Some(lag) = &r.lag {
                check_dist(&format!("read_replicas[{i}].lag"), lag)?;
            }
        }
        if self.backup_retention < SimDuration::from_hours(24)
            || self.backup_retention > MAX_RETENTION
        {
            return Err(format!(
                "backup_retention is {}; RDS keeps automated backups 1 to 35 days (\"1d\" to \"35d\")",
                self.backup_retention
            ));
        }
        self.automated_snapshots.validate("automated_snapshots")?;
        if let Some(plan) = &self.backup_plan {
            plan.validate("backup_plan")?;
        }
        Ok(())
    }
}

/// A job in flight.
#[derive(Debug)]
enum Job {
    /// Multi-AZ failover to member `to`.
    Failover { to: usize, ticket: Option<Ticket> },
    /// Promotion of replica member `member`.
    Promote { member: usize, ticket: Ticket },
    /// A restore or snapshot copy.
    Recovery(RecoveryJob),
}

/// An RDS for MySQL database at run time.
#[derive(Debug)]
pub struct Rds {
    name: String,
    catalog: Catalog,
    members: Members,
    backups: Backups,
    /// Sync standbys are readable (a Multi-AZ cluster) and fail over faster.
    cluster: bool,
    multi_az_failover: Dist,
    cluster_failover: Dist,
    promotion: Dist,
    failover_rng: Stream,
    jobs: Jobs<Job>,
    writer_was_up: bool,
    /// The world's index of this database's instance resource, once the world assigns one.
    resource: Option<u16>,
}

impl Rds {
    /// Tells the database its resource index in the world, so that `fail(resource)` disasters
    /// (`Health::resource_failed`) fail its writer instance and trigger a Multi-AZ failover.
    pub fn set_resource(&mut self, index: u16) {
        self.resource = Some(index);
    }

    /// Builds the database `name` from its configuration.
    pub fn build(
        name: &str,
        config: &RdsConfig,
        catalog: &Catalog,
        streams: &RngStreams,
    ) -> Result<Rds, String> {
        config.validate()?;
        let lag_stream =
            |label: &str| StreamName::of_resource(name, &[label, "lag"]).stream(streams);
        let (writer_az, sync_azs, cluster) = match &config.deployment {
            RdsDeployment::SingleAz { az } => {
                (az_named(catalog, "deployment.az", az)?, vec![], false)
            }
            RdsDeployment::MultiAzInstance {
                primary_az,
                standby_az,
            } => (
                az_named(catalog, "deployment.primary_az", primary_az)?,
                vec![az_named(catalog, "deployment.standby_az", standby_az)?],
                false,
            ),
            RdsDeployment::MultiAzCluster {
                writer_az,
                reader_azs,
            } => {
                let readers = reader_azs
                    .iter()
                    .map(|az| az_named(catalog, "deployment.reader_azs", az))
                    .collect::<Result<Vec<_>, _>>()?;
                (
                    az_named(catalog, "deployment.writer_az", writer_az)?,
                    readers,
                    true,
                )
            }
        };
        let home = writer_az.1;
        for &(az, region) in &sync_azs {
            if region != home {
                return Err(format!(
                    "standby AZ {} is not in the writer's region {}",
                    catalog.az_name(az),
                    catalog.region_name(home)
                ));
            }
        }
        let label = |(az, _): (AzId, RegionId)| format!("instance in {}", catalog.az_name(az));
        let mut members = Members::new(
            name,
            &label(writer_az),
            Place::zonal(home, writer_az.0),
            lag_stream("writer"),
        );
        for &az in &sync_azs {
            let l = format!("instance in {}", catalog.az_name(az.0));
            members.add(
                &l,
                Place::zonal(home, az.0),
                Role::Sync,
                Dist::Fixed(SimDuration::ZERO),
                lag_stream(&l),
            );
        }
        let mut regions = vec![home];
        for (i, replica) in config.read_replicas.iter().enumerate() {
            let (az, region) = az_named(catalog, &format!("read_replicas[{i}].az"), &replica.az)?;
            let lag = replica.lag.clone().unwrap_or_else(|| {
                if region == home {
                    Dist::log_normal("100ms", "2s")
                } else {
                    Dist::log_normal("1s", "15s")
                }
            });
            let l = format!("replica in {}", catalog.az_name(az));
            members.add(
                &l,
                Place::zonal(region, az),
                Role::Async,
                lag,
                lag_stream(&l),
            );
            if !regions.contains(&region) {
                regions.push(region);
            }
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
        backups.zonal_restores = true;
        if config.automated_backups {
            let plan = &config.automated_snapshots;
            backups.add_plan(
                plan,
                catalog,
                streams,
                name,
                "snapshots",
                "automated_snapshots",
            )?;
            backups.ship_logs(name, streams, config.backup_retention);
        }
        if let Some(plan) = &config.backup_plan {
            backups.add_plan(plan, catalog, streams, name, "backup", "backup_plan")?;
        }
        let job = &config.automated_snapshots.job;
        backups.add_manual(name, streams, &config.manual_snapshots, job);
        Ok(Rds {
            name: name.to_string(),
            catalog: catalog.clone(),
            members,
            backups,
            cluster,
            multi_az_failover: config.multi_az_failover.clone(),
            cluster_failover: config.cluster_failover.clone(),
            promotion: config.promotion.clone(),
            failover_rng: StreamName::of_resource(name, &["failover"]).stream(streams),
            jobs: Jobs::default(),
            writer_was_up: true,
            resource: None,
        })
    }

    fn failing_over(&self) -> bool {
        self.jobs.any(|j| matches!(j, Job::Failover { .. }))
    }

    fn writer_up(&self, health: &Health) -> bool {
        self.members.is_up(self.members.writer, health) && !self.failing_over()
    }

    /// Whether the instance clients use is up: the writer, or the old instance a restore left behind.
    fn endpoint_up(&self, health: &Health) -> bool {
        if self.members.endpoint_is_writer() {
            self.writer_up(health)
        } else {
            self.members.is_up(self.members.endpoint, health)
        }
    }

    /// The first standby that is up and could take over.
    fn standby_up(&self, health: &Health) -> Option<usize> {
        self.members
            .list
            .iter()
            .enumerate()
            .position(|(i, m)| m.role == Role::Sync && self.members.is_up(i, health))
    }

    fn begin_failover(&mut self, ctx: &mut Ctx<'_>, to: usize, ticket: Option<Ticket>) {
        let dist = if self.cluster {
            &self.cluster_failover
        } else {
            &self.multi_az_failover
        };
        let took = dist.sample(&mut self.failover_rng);
        let target = self.members.list[to].label.clone();
        ctx.log(
            &self.name,
            Phase::Recovery,
            || format!("automatic Multi-AZ failover to the standby {target} begins (takes {}); writes fail meanwhile", human(took)),
        );
        self.jobs.schedule(ctx, took, Job::Failover { to, ticket });
    }

    fn log_changes(&self, ctx: &mut Ctx<'_>, changes: Vec<Change>) {
        log_member_changes(ctx, &self.name, &self.members, changes);
    }
}

/// Logs replicas cut off or caught up, in a student's words.
pub(crate) fn log_member_changes(
    ctx: &mut Ctx<'_>,
    store: &str,
    members: &Members,
    changes: Vec<Change>,
) {
    for change in changes {
        let text = match change {
            Change::CutOff(i, lag) if members.list[i].role == Role::Async => format!(
                "{} cut off from the writer; {} of writes not replicated",
                members.list[i].label,
                human(lag)
            ),
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
                    human(took)
                );
                ctx.log(&self.name, Phase::Recovery, || text);
                self.jobs
                    .schedule(ctx, took, Job::Promote { member, ticket });
            }),
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

impl Service for RdsConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        let mut store = Rds::build(cx.name, self, cx.catalog, cx.streams).map_err(|reason| {
            BuildError::Invalid {
                resource: cx.name.to_string(),
                reason: format!("store {:?}: {reason}", cx.name),
            }
        })?;
        store.set_resource(cx.index);
        Ok(Runtime::Store(Box::new(store)))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Az(match &self.deployment {
            RdsDeployment::SingleAz { az } => az,
            RdsDeployment::MultiAzInstance { primary_az, .. } => primary_az,
            RdsDeployment::MultiAzCluster { writer_az, .. } => writer_az,
        })
    }

    fn copies(&self) -> Vec<DataCopy<'_>> {
        fn at(kind: CopyKind, az: &str) -> DataCopy<'_> {
            DataCopy {
                kind,
                at: Placement::Az(az),
            }
        }
        let mut copies: Vec<DataCopy<'_>> = match &self.deployment {
            RdsDeployment::SingleAz { .. } => Vec::new(),
            RdsDeployment::MultiAzInstance { standby_az, .. } => {
                vec![at(CopyKind::Standby, standby_az)]
            }
            RdsDeployment::MultiAzCluster { reader_azs, .. } => reader_azs
                .iter()
                .map(|az| at(CopyKind::Standby, az))
                .collect(),
        };
        copies.extend(
            self.read_replicas
                .iter()
                .map(|r| at(CopyKind::ReadReplica, &r.az)),
        );
        copies.extend(crate::services::backup::backup_copy(
            self.backup_plan.as_ref(),
        ));
        // Automated snapshots copied to the same Region draw one box, not two.
        let automated = self.automated_backups.then_some(&self.automated_snapshots);
        if let Some(c) = crate::services::backup::backup_copy(automated)
            && !copies.contains(&c)
        {
            copies.push(c);
        }
        copies
    }

    fn check(&self, name: &str, catalog: &Catalog) -> Vec<String> {
        match Rds::build(name, self, catalog, &RngStreams::new(0, 0)) {
            Ok(_) => Vec::new(),
            Err(reason) => vec![format!("store {name:?}: {reason}")],
        }
    }

    fn price(&self, name: &str, home: &str, book: &mut dyn PriceBook) {
        let mut bill = Bill::new(book, name, "Rds");
        let (copies, deployment) = match self.deployment {
            RdsDeployment::SingleAz { .. } => (1.0, "Single-AZ"),
            RdsDeployment::MultiAzInstance { .. } => (2.0, "Multi-AZ instance (2×)"),
            RdsDeployment::MultiAzCluster { .. } => (3.0, "Multi-AZ cluster (3×)"),
        };
        let class = &self.instance_class;
        bill.db_instances("instance_class", ("rds", home), class, copies, deployment);
        bill.storage("size_gb", ("rds", home), self.size_gb, copies);
        for replica in &self.read_replicas {
            let at = bill.at("read_replicas");
            let Some(region) = bill.book.region_of_az(at, &replica.az) else {
                continue;
            };
            let what = &format!("read replica in {region}");
            bill.db_instances("instance_class", ("rds", &region), class, 1.0, what);
            bill.storage("size_gb", ("rds", &region), self.size_gb, 1.0);
        }
        if self.automated_backups {
            let plan = &self.automated_snapshots;
            bill.backups(
                "automated_snapshots",
                ("rds", home),
                self.size_gb,
                plan,
                false,
            );
        }
        if let Some(plan) = &self.backup_plan {
            bill.backups("backup_plan", ("rds", home), self.size_gb, plan, true);
        }
    }

    fn hourly(&self, name: &str, region: &str, book: &mut dyn PriceBook) -> f64 {
        let mut bill = Bill::new(book, name, "Rds");
        let class = bill.price("instance_class", "rds", region, &self.instance_class);
        let storage = bill.price("size_gb", "rds", region, "gb-month");
        class + f64::from(self.size_gb) * storage / crate::services::pricing::HOURS_PER_MONTH
    }
}
