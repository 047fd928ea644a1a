//! Amazon DynamoDB: a regional table (survives an AZ loss), global tables with multi-Region eventual
//! consistency (MREC: every Region writes, asynchronous replication, last writer wins) or strong consistency
//! (MRSC: a write is acknowledged by a majority, RPO 0), PITR, on-demand backups and copies.
//!
//! **MREC in the ledger.** Each Region's replica is a writer copy holding its own writes, and holding
//! another Region's writes while the two are connected. When they lose contact at `F`, each releases the
//! other's `[F − lag, MAX)` (lag drawn at that moment); when contact returns, they catch up and the writes
//! both sides made to the same items while apart collide: last writer wins, and the losers are recorded as
//! overwrites. Writes acknowledged in a Region that never comes back, within its lag window, are lost.
//!
//! **Restores.** PITR and backups restore to a *new*, single-Region table (DynamoDB Developer Guide, *Point-in-
//! time recovery*: "the backup restores to an independent table that is not part of the global table"):
//! replication stops until a runbook re-adds replicas (`AddReplica`, taking longer for a larger table), and
//! clients keep using the old table until the application is repointed at the new one (`Repoint`). A
//! restored table is multi-Region eventually consistent once replicas are added: MRSC needs an empty table.
//!
//! Files: this one (the table, its configuration checks and backups); `store.rs` (the table as a
//! `DataStore`: writes, failures, restores and probes); `service.rs` (building it from its config);
//! `global.rs` (which Regions are connected, and the collisions when they reconnect).

mod global;
mod service;
mod store;

use global::Split;

use rand_distr::{Distribution, Poisson};

use crate::engine::dist::Dist;
use crate::engine::rng::{RngStreams, Stream};
use crate::engine::time::{SimDuration, SimTime};
use crate::model::ledger::{CopyId, Ledger, Settlement};
use crate::model::place::{Health, RegionId};
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, CopyKind, DataCopy, Placement, Runtime, Service};
use crate::model::store::DataLoss;
use crate::model::stream_name::StreamName;
use crate::model::{ActionError, Catalog, Ctx, DataStore, Phase, StoreAction, Ticket};
use crate::services::backup::{
    Backups, Damage, DamageHistory, PitrLag, control_plane, restored_copy,
};
use crate::services::checks::{check_dist, region_named};
use crate::services::pricing::{Bill, HOURS_PER_MONTH, SECONDS_PER_MONTH};
use crate::services::recovery::usable_region;
use crate::spec::limits::MAX_PITR_RETENTION;
use crate::spec::resources::dynamodb::{Consistency, DynamoDbConfig, ReplicaAddConfig};
use crate::spec::runbook::Probe;

/// How far PITR's latest restorable time trails now (C14).
const PITR_BEHIND: SimDuration = SimDuration::from_mins(5);

impl DynamoDbConfig {
    /// Checks values that do not need the catalog.
    pub fn validate(&self) -> Result<(), String> {
        check_dist("replication_lag", &self.replication_lag)?;
        check_dist("restore.base", &self.restore.base)?;
        check_dist("backup_copy", &self.backup_copy)?;
        check_dist("add_replica.base", &self.add_replica.base)?;
        if self.items == 0 {
            return Err(
                "items is 0; give the number of distinct items written (at least 1)".to_string(),
            );
        }
        if self.pitr_retention < SimDuration::from_hours(24)
            || self.pitr_retention > MAX_PITR_RETENTION
        {
            return Err(format!(
                "pitr_retention is {}; use \"1d\" to \"35d\"",
                self.pitr_retention
            ));
        }
        if self.consistency == Consistency::Strong {
            let members = 1 + self.replicas.len() + usize::from(self.witness.is_some());
            if members != 3 || (self.witness.is_some() && self.replicas.len() != 1) {
                return Err(format!(
                    "a strongly consistent global table needs 3 replicas, or 2 and a witness; this one has {} replica(s){}",
                    1 + self.replicas.len(),
                    if self.witness.is_some() {
                        " and a witness"
                    } else {
                        ""
                    }
                ));
            }
        } else if self.witness.is_some() {
            return Err("witness applies only to consistency: Strong".to_string());
        }
        if let Some(plan) = &self.backup_plan {
            plan.validate("backup_plan")?;
        }
        Ok(())
    }
}

/// One Region's replica.
#[derive(Debug)]
struct Replica {
    region: RegionId,
    copy: CopyId,
    /// The bad write or delete in effect on its items, if any.
    damage: Option<Damage>,
}

/// A job in flight.
#[derive(Debug)]
enum Job {
    Restore {
        region: RegionId,
        restored: (CopyId, Option<Damage>),
        ticket: Ticket,
    },
    AddReplica {
        region: RegionId,
        ticket: Ticket,
    },
    Copy {
        region: RegionId,
        point: SimTime,
        ticket: Ticket,
    },
}

/// A DynamoDB table or global table at run time.
#[derive(Debug)]
pub struct DynamoDb {
    name: String,
    catalog: Catalog,
    ledger: Ledger,
    replicas: Vec<Replica>,
    /// The table clients still use after a restore, until the application is repointed at the restored
    /// one (empty otherwise). Its replicas take writes that the restored table never sees.
    old: Vec<Replica>,
    /// Whether each replica's Region was up at the last health change (for settling).
    up: Vec<bool>,
    witness: Option<RegionId>,
    consistency: Consistency,
    lag: Dist,
    items: u64,
    /// Holds every acknowledged write; never corrupted (what PITR and backups read).
    archive: CopyId,
    lineage_start: SimTime,
    /// What bad writes and deletes did to the table's items over time (what restores bring back).
    history: DamageHistory,
    splits: Vec<Split>,
    last_lag: SimDuration,
    backups: Backups,
    lag_rng: Stream,
    conflict_rng: Stream,
    add_replica: ReplicaAddConfig,
    size_gb: u32,
    add_rng: Stream,
    jobs: crate::services::recovery::Jobs<Job>,
    /// The world's index of this table's resource: a `ResourceFailure` of it fails every replica.
    resource: Option<u16>,
}

impl DynamoDb {
    /// Builds the table `name` from its configuration.
    pub fn build(
        name: &str,
        config: &DynamoDbConfig,
        catalog: &Catalog,
        streams: &RngStreams,
    ) -> Result<DynamoDb, String> {
        config.validate()?;
        let mut ledger = Ledger::new();
        let mut replicas = Vec::new();
        let names = std::iter::once(("region".to_string(), &config.region)).chain(
            config
                .replicas
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("replicas[{i}]"), r)),
        );
        for (field, region_name) in names {
            let region = region_named(catalog, &field, region_name)?;
            if replicas.iter().any(|r: &Replica| r.region == region) {
                return Err(format!(
                    "{field} repeats region {region_name:?}; a table has one replica per region"
                ));
            }
            let copy = ledger.add_copy(&format!("replica in {region_name}"));
            replicas.push(Replica {
                region,
                copy,
                damage: None,
            });
        }
        let witness = match &config.witness {
            Some(w) => Some(region_named(catalog, "witness", w)?),
            None => None,
        };
        if witness.is_some_and(|w| replicas.iter().any(|r| r.region == w)) {
            return Err(
                "witness is in a region that already holds a replica; put it in a third region"
                    .into(),
            );
        }
        let archive = ledger.add_copy(&format!("{name} backups"));
        let home = replicas[0].region;
        let regions = replicas.iter().map(|r| r.region).collect();
        let mut backups = Backups::new(
            name,
            streams,
            home,
            regions,
            &config.restore,
            config.size_gb,
            &config.backup_copy,
        );
        if config.pitr {
            backups.pitr = Some((PitrLag::Behind(PITR_BEHIND), config.pitr_retention));
        }
        if let Some(plan) = &config.backup_plan {
            backups.add_plan(plan, catalog, streams, name, "backup", "backup_plan")?;
        }
        Ok(DynamoDb {
            name: name.to_string(),
            catalog: catalog.clone(),
            up: vec![true; replicas.len()],
            ledger,
            replicas,
            old: Vec::new(),
            witness,
            consistency: config.consistency,
            lag: config.replication_lag.clone(),
            items: config.items,
            archive,
            lineage_start: SimTime::ZERO,
            history: DamageHistory::default(),
            splits: Vec::new(),
            last_lag: SimDuration::ZERO,
            backups,
            lag_rng: StreamName::of_resource(name, &["lag"]).stream(streams),
            conflict_rng: StreamName::of_resource(name, &["conflicts"]).stream(streams),
            add_replica: config.add_replica.clone(),
            size_gb: config.size_gb,
            add_rng: StreamName::of_resource(name, &["add-replica"]).stream(streams),
            jobs: Default::default(),
            resource: None,
        })
    }

    /// The replica the ledger is judged by: the first whose Region was up last, else the first.
    fn authoritative(&self) -> usize {
        self.up.iter().position(|&u| u).unwrap_or(0)
    }

    fn begin_action(
        &mut self,
        ctx: &mut Ctx<'_>,
        ticket: Ticket,
        action: StoreAction,
    ) -> Result<(), ActionError> {
        let now = ctx.now;
        // No backup of a deleted table is taken after its deletion.
        let deleted = self.history.deleted(now).unwrap_or(SimTime::MAX);
        // What a restore restores, for the log.
        let mut source = String::new();
        let (job, took) = match action {
            StoreAction::RestoreToPoint { region, target } => {
                usable_region(ctx.health, region, &self.catalog)?;
                let corruption = self.history.last_bad(now);
                let point =
                    self.backups
                        .pitr_point(target, now, now, self.lineage_start, corruption)?;
                let restored = self.copy_at(point, "restored to");
                source = format!(" to {point}");
                (
                    Job::Restore {
                        region,
                        restored,
                        ticket,
                    },
                    self.backups.restore_duration(None).0,
                )
            }
            StoreAction::RestoreSnapshot { region } => {
                usable_region(ctx.health, region, &self.catalog)?;
                let found = self
                    .backups
                    .latest_in(region, now, deleted)
                    .ok_or_else(|| {
                        ActionError::NotApplicable(format!(
                            "no backup usable in {}",
                            self.catalog.region_name(region)
                        ))
                    })?;
                source = format!(
                    " from the backup of {} ({})",
                    found.0,
                    self.backups
                        .why_used(region, now, deleted, found, &self.catalog)
                );
                let restored = self.copy_at(found.0, "restored from the backup of");
                (
                    Job::Restore {
                        region,
                        restored,
                        ticket,
                    },
                    self.backups.restore_duration(None).0,
                )
            }
            StoreAction::AddReplica { region } => {
                self.can_add_replica(ctx.health, region)?;
                let took = self.add_replica.base.sample(&mut self.add_rng)
                    + self
                        .add_replica
                        .per_gb
                        .saturating_mul(u64::from(self.size_gb));
                (Job::AddReplica { region, ticket }, took)
            }
            StoreAction::Repoint => {
                if self.old.is_empty() {
                    return Err(ActionError::NotApplicable(
                        "clients already use the current table: no restored table to point at"
                            .to_string(),
                    ));
                }
                self.old.clear();
                let region = self
                    .catalog
                    .region_name(self.replicas[0].region)
                    .to_string();
                let text = format!(
                    "clients now use the restored {} (table in {region})",
                    self.name
                );
                ctx.log(&self.name, Phase::Recovery, || text);
                ctx.finish(ticket, Ok(()));
                return Ok(());
            }
            StoreAction::CopyBackup { region } => {
                usable_region(ctx.health, region, &self.catalog)?;
                let (point, _) = self
                    .backups
                    .latest_in(self.backups.home, now, deleted)
                    .ok_or_else(|| {
                        ActionError::NotApplicable("no backup to copy yet".to_string())
                    })?;
                (
                    Job::Copy {
                        region,
                        point,
                        ticket,
                    },
                    self.backups.copy_duration(),
                )
            }
            other => {
                return Err(ActionError::Unsupported(format!(
                    "DynamoDB does not support {other:?} (global tables need no promotion)"
                )));
            }
        };
        let text = match &job {
            Job::Restore {
                region, restored, ..
            } => format!(
                "restore{source} to a new table in {} begins (takes {}){}",
                self.catalog.region_name(*region),
                took.human(),
                restored.1.map_or(String::new(), |d| format!(
                    "; the data restored carries the bad write of {}, which comes back with it",
                    d.at
                ))
            ),
            Job::AddReplica { region, .. } => format!(
                "adding a replica in {} begins (takes {}: {} GB to copy first)",
                self.catalog.region_name(*region),
                took.human(),
                self.size_gb
            ),
            Job::Copy { region, point, .. } => format!(
                "copy of the backup of {point} to {} begins (takes {})",
                self.catalog.region_name(*region),
                took.human()
            ),
        };
        ctx.log(&self.name, Phase::Recovery, || text);
        self.jobs.schedule(ctx, took, job);
        Ok(())
    }

    /// A copy of the table as it was at `point` (a bad write before it included; a point after a delete
    /// restores the items as they were just before it), labelled `"{what} {point}"`.
    fn copy_at(&mut self, point: SimTime, what: &str) -> (CopyId, Option<Damage>) {
        let (point, _) = self.history.restorable(point);
        let label = format!("{what} {point}");
        restored_copy(&mut self.ledger, self.archive, &self.history, point, &label)
    }

    /// Why a replica cannot be added in `region` now, if it cannot.
    fn can_add_replica(&self, health: &Health, region: RegionId) -> Result<(), ActionError> {
        control_plane(health, self.replicas[0].region)?;
        usable_region(health, region, &self.catalog)?;
        let name = self.catalog.region_name(region);
        if self.consistency == Consistency::Strong {
            return Err(ActionError::NotApplicable(
                "a strongly consistent (MRSC) table's Regions are set when it is created"
                    .to_string(),
            ));
        }
        if self.replicas.iter().any(|r| r.region == region)
            || self
                .jobs
                .any(|j| matches!(j, Job::AddReplica { region: r, .. } if *r == region))
        {
            return Err(ActionError::NotApplicable(format!(
                "the table already has a replica in {name}, or one being added"
            )));
        }
        Ok(())
    }

    /// The table clients use now: the old one after a restore until they are repointed.
    fn serving(&self) -> &[Replica] {
        if self.old.is_empty() {
            &self.replicas
        } else {
            &self.old
        }
    }

    /// The replica of the table clients use that serves clients in `from`: the local one while its
    /// Region is up, else the first reachable.
    fn reader(&self, health: &Health, from: RegionId) -> Option<&Replica> {
        let table = self.serving();
        table
            .iter()
            .find(|r| r.region == from && health.region_up(from))
            .or_else(|| {
                table
                    .iter()
                    .find(|r| health.region_up(r.region) && health.connected(from, r.region))
            })
    }

    /// A replica added in `region` at `ctx.now` from the first replica in contact: it holds what that one
    /// holds (the items copied first), then replicates with every replica.
    fn finish_add(&mut self, ctx: &mut Ctx<'_>, region: RegionId, ticket: Ticket) {
        let name = self.catalog.region_name(region).to_string();
        let source = (0..self.replicas.len()).find(|&i| {
            let r = self.replicas[i].region;
            ctx.health.region_up(r) && ctx.health.connected(r, region)
        });
        let Some(source) = source.filter(|_| ctx.health.region_up(region)) else {
            ctx.log(&self.name, Phase::Recovery, || {
                format!("adding a replica in {name} failed: no replica in contact to copy from")
            });
            ctx.finish(ticket, Err(ActionError::TargetDown(name)));
            return;
        };
        let now = ctx.now;
        let from = &self.replicas[source];
        let damage = from.damage;
        let copy = self
            .ledger
            .derive(from.copy, &format!("replica in {name}"), SimTime::MAX);
        for r in &self.replicas {
            self.ledger.hold(copy, r.copy, now, SimTime::MAX);
            self.ledger.hold(r.copy, copy, now, SimTime::MAX);
        }
        self.ledger.hold(copy, copy, now, SimTime::MAX);
        self.ledger.hold(self.archive, copy, now, SimTime::MAX);
        self.replicas.push(Replica {
            region,
            copy,
            damage,
        });
        self.up.push(true);
        ctx.log(&self.name, Phase::Recovery, || {
            format!("replica in {name} is active: the table replicates to it again")
        });
        ctx.finish(ticket, Ok(()));
        self.on_health_change(ctx);
    }
}
