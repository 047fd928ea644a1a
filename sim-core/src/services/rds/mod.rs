//! Amazon RDS for MySQL: Single-AZ, Multi-AZ instance and Multi-AZ cluster deployments, read replicas,
//! automated backups (PITR and daily snapshots), snapshot copies and restores.
//!
//! Files: this one (the configuration's checks, the database at run time and how it is built, failover
//! helpers); `store.rs` (the database as a `DataStore`: failures, failovers, promotions, restores, reads,
//! writes and probes, and the member helpers Aurora and S3 share); `service.rs` (its `Service` hooks:
//! building, placement, copies, checks and pricing).

mod service;
mod store;

pub(crate) use store::{log_member_changes, probe_members};

use crate::engine::dist::Dist;
use crate::engine::rng::{RngStreams, Stream};
use crate::engine::time::SimDuration;
use crate::model::place::{AzId, Health, Place, RegionId};
use crate::model::stream_name::StreamName;
use crate::model::{Catalog, Ctx, Phase, Ticket};
use crate::services::backup::Backups;
use crate::services::checks::{az_named, check_dist};
use crate::services::members::{Change, Members, Role};
use crate::services::recovery::{Jobs, RecoveryJob};
use crate::spec::resources::rds::{RdsConfig, RdsDeployment};

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
    /// The initial copy of a read replica a runbook added (`AddReplica`).
    Sync { member: usize, ticket: Ticket },
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
    streams: RngStreams,
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
            streams: streams.clone(),
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
            || format!("automatic Multi-AZ failover to the standby {target} begins (takes {}); writes fail meanwhile", took.human()),
        );
        self.jobs.schedule(ctx, took, Job::Failover { to, ticket });
    }

    fn log_changes(&self, ctx: &mut Ctx<'_>, changes: Vec<Change>) {
        log_member_changes(ctx, &self.name, &self.members, changes);
    }
}
