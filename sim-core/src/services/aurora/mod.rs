//! Amazon Aurora MySQL: a cluster volume shared by its instances (in-Region failover to a replica), and a
//! Global Database with storage-level replication to secondary Regions, switchover, unplanned failover,
//! detach-and-promote and write forwarding.
//!
//! The ledger copy of a cluster is its *volume* (six copies over three AZs), so an AZ loss costs no data;
//! instances only decide whether the cluster can take writes.
//!
//! Files: this one (the configuration's checks, the cluster at run time and how it is built, in-Region
//! failover and the Global Database's switchover, failover and detach); `store.rs` (the cluster as a
//! `DataStore`: failures, jobs finishing, restores, reads, writes and probes); `service.rs` (its `Service`
//! hooks: building, placement, copies, checks and pricing).

mod service;
mod store;

use crate::engine::dist::Dist;
use crate::engine::rng::{RngStreams, Stream};
use crate::engine::time::SimDuration;
use crate::model::place::{AzId, Health, Place, RegionId};
use crate::model::stream_name::StreamName;
use crate::model::{ActionError, Catalog, Ctx, Phase, StoreAction, Ticket};
use crate::services::backup::{Backups, control_plane};
use crate::services::checks::{az_named, check_dist, region_named};
use crate::services::members::{Members, Role};
use crate::services::recovery::{Jobs, RecoveryJob};
use crate::spec::resources::aurora::AuroraConfig;

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
    /// The initial copy of a new secondary, or the resync of an old primary re-added as one (`ticket`:
    /// the runbook's `AddReplica`, if it asked).
    Sync {
        member: usize,
        ticket: Option<Ticket>,
    },
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
    /// The old primary a managed unplanned failover left to be re-added as a secondary when its Region is
    /// back (C43), until its resync starts.
    readd: Option<usize>,
    /// The lag of a secondary added by a runbook (the first configured secondary's, or the default).
    new_lag: Dist,
    streams: RngStreams,
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
            readd: None,
            new_lag: config
                .secondaries
                .first()
                .map_or_else(|| Dist::log_normal("200ms", "3s"), |s| s.lag.clone()),
            streams: streams.clone(),
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
            took.human()
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
            if self.members.list[to].syncing {
                return Err(ActionError::TargetDown(format!(
                    "{} (resynchronising: not a usable secondary yet)",
                    self.members.list[to].label
                )));
            }
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
                    took.human()
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
            ctx.log(&self.name, Phase::Recovery, || format!("{what} the secondary in {name} begins (takes {}); writes not yet replicated are lost", took.human()));
            self.jobs
                .schedule(ctx, took, Job::Promote { to, detach, ticket });
        }
        Ok(())
    }
}
