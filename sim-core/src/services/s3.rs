//! Amazon S3: a bucket (regional: survives an AZ loss), versioning, Cross-Region Replication with or
//! without Replication Time Control, and the bucket as a static-site origin.

use crate::engine::dist::Dist;
use crate::engine::rng::{RngStreams, Stream};
use crate::engine::time::{SimDuration, SimTime};
use crate::model::ledger::{CopyId, Ledger, Settlement};
use crate::model::place::{Health, Place, RegionId};
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, CopyKind, DataCopy, Placement, Runtime, Service};
use crate::model::store::DataLoss;
use crate::model::stream_name::StreamName;
use crate::model::{ActionError, Catalog, Ctx, DataStore, Phase, StoreAction, Ticket};
use crate::services::backup::{Backups, PitrLag, control_plane};
use crate::services::checks::{check_dist, region_named};
use crate::services::members::{Members, Role};
use crate::services::pricing::Bill;
use crate::services::rds::{log_member_changes, probe_members};
use crate::services::recovery::{Endpoint, Jobs, RecoveryJob, begin_recovery, finish_recovery};
use crate::spec::resources::backup::default_first_copy;
use crate::spec::resources::s3::S3Config;
use crate::spec::runbook::Probe;

impl S3Config {
    /// Checks values that do not need the catalog.
    pub fn validate(&self) -> Result<(), String> {
        check_dist("restore.base", &self.restore.base)?;
        if let Some(Some(lag)) = self.replication.as_ref().map(|r| &r.lag) {
            check_dist("replication.lag", lag)?;
        }
        if self
            .replication
            .as_ref()
            .is_some_and(|r| r.region == self.region)
        {
            return Err(
                "replication.region is the bucket's own region; replicate to another region"
                    .to_string(),
            );
        }
        Ok(())
    }
}

/// An S3 bucket (and its replica bucket) at run time.
#[derive(Debug)]
pub struct S3Bucket {
    name: String,
    catalog: Catalog,
    members: Members,
    backups: Backups,
    jobs: Jobs<RecoveryJob>,
    /// The world's index of this bucket's resource: a `ResourceFailure` of it fails the bucket.
    resource: Option<u16>,
}

impl S3Bucket {
    /// Builds the bucket `name` from its configuration.
    pub fn build(
        name: &str,
        config: &S3Config,
        catalog: &Catalog,
        streams: &RngStreams,
    ) -> Result<S3Bucket, String> {
        config.validate()?;
        let home = region_named(catalog, "region", &config.region)?;
        let lag_stream =
            |label: &str| StreamName::of_resource(name, &[label, "lag"]).stream(streams);
        let label = format!("bucket in {}", config.region);
        let mut members = Members::new(name, &label, Place::region(home), lag_stream(&label));
        let mut regions = vec![home];
        if let Some(r) = &config.replication {
            let region = region_named(catalog, "replication.region", &r.region)?;
            let lag = r.lag.clone().unwrap_or_else(|| {
                if r.rtc {
                    Dist::log_normal("5s", "2m")
                } else {
                    Dist::log_normal("1m", "2h")
                }
            });
            let l = format!("replica bucket in {}", r.region);
            members.add(&l, Place::region(region), Role::Async, lag, lag_stream(&l));
            regions.push(region);
        }
        let mut backups = Backups::new(
            name,
            streams,
            home,
            regions,
            &config.restore,
            config.size_gb,
            &default_first_copy(),
        );
        if config.versioning || config.replication.is_some() {
            // Versions are kept until deleted: any earlier instant is restorable.
            backups.pitr = Some((PitrLag::Behind(SimDuration::ZERO), SimDuration::MAX));
        }
        Ok(S3Bucket {
            name: name.to_string(),
            catalog: catalog.clone(),
            members,
            backups,
            jobs: Jobs::default(),
            resource: None,
        })
    }

    fn writer_up(&self, health: &Health) -> bool {
        health.place_up(self.members.writer().place)
    }
}

impl DataStore for S3Bucket {
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
    }

    fn on_wake(&mut self, ctx: &mut Ctx<'_>, token: u32) {
        if let Some(job) = self.jobs.take(token) {
            // Earlier versions are restored into the bucket itself: its name, and clients, stay.
            finish_recovery(
                ctx,
                (&self.name, Endpoint::Same),
                &self.catalog,
                &mut self.members,
                &mut self.backups,
                job,
            );
        }
    }

    fn begin(&mut self, ctx: &mut Ctx<'_>, ticket: Ticket, action: StoreAction) {
        let result = match action {
            // Writing to the replica bucket instead is a configuration change of the writers: immediate.
            StoreAction::Promote { region } => control_plane(ctx.health, region).and_then(|()| {
                let i = self.members.replica_in(region).ok_or_else(|| {
                    ActionError::NotApplicable(format!(
                        "no replica bucket in {}",
                        self.catalog.region_name(region)
                    ))
                })?;
                self.members.promote(i, ctx.now, &self.name, true);
                self.backups.home = self.members.writer_region();
                let text = format!("writes now go to the {}", self.members.list[i].label);
                ctx.log(&self.name, Phase::Recovery, || text);
                ctx.finish(ticket, Ok(()));
                Ok(())
            }),
            StoreAction::RestoreToPoint { .. }
            | StoreAction::CopyBackup { .. }
            | StoreAction::RestoreSnapshot { .. } => {
                match begin_recovery(
                    ctx,
                    (&self.name, "bucket"),
                    &self.catalog,
                    &mut self.members,
                    &mut self.backups,
                    ticket,
                    action,
                ) {
                    Some(Ok((job, took))) => {
                        self.jobs.schedule(ctx, took, job);
                        Ok(())
                    }
                    Some(Err(e)) => Err(e),
                    None => Err(ActionError::Unsupported(format!(
                        "S3 does not support {action:?}"
                    ))),
                }
            }
            other => Err(ActionError::Unsupported(format!(
                "S3 does not support {other:?}"
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
                DataLoss::Corruption => "objects overwritten; replication copies the change",
                DataLoss::Deletion => {
                    "objects deleted; the delete markers are not replicated (the S3 default)"
                }
            }
            .to_string()
        });
    }

    fn data_loss(&self, _health: &Health, _from: RegionId) -> Option<DataLoss> {
        self.members.data_loss()
    }

    fn read_ok(&self, health: &Health, _from: RegionId) -> f64 {
        // A static-site origin: served from the Internet while its Region is up.
        let failed = self.resource.is_some_and(|r| health.resource_failed(r));
        if self.writer_up(health) && !failed {
            1.0
        } else {
            0.0
        }
    }

    fn write_route(&self, health: &Health, from: RegionId) -> Option<(CopyId, f64)> {
        if self.resource.is_some_and(|r| health.resource_failed(r)) {
            return None;
        }
        self.members
            .write_route(health, from, self.writer_up(health))
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

impl Service for S3Config {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        let mut store =
            S3Bucket::build(cx.name, self, cx.catalog, cx.streams).map_err(|reason| {
                BuildError::Invalid {
                    resource: cx.name.to_string(),
                    reason: format!("store {:?}: {reason}", cx.name),
                }
            })?;
        store.resource = Some(cx.index);
        Ok(Runtime::Store(Box::new(store)))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Region(&self.region)
    }

    fn copies(&self) -> Vec<DataCopy<'_>> {
        self.replication
            .iter()
            .map(|r| DataCopy {
                kind: CopyKind::BucketReplica,
                at: Placement::Region(&r.region),
            })
            .collect()
    }

    fn check(&self, name: &str, catalog: &Catalog) -> Vec<String> {
        match S3Bucket::build(name, self, catalog, &RngStreams::new(0, 0)) {
            Ok(_) => Vec::new(),
            Err(reason) => vec![format!("store {name:?}: {reason}")],
        }
    }

    fn price(&self, name: &str, home: &str, book: &mut dyn PriceBook) {
        let mut bill = Bill::new(book, name, "S3");
        bill.storage("size_gb", ("s3", home), self.size_gb, 1.0);
        if let Some(replication) = &self.replication {
            // What is written replicates: the flows' writes, or the bucket's monthly changes when no
            // flow writes to it (static content updated out of band).
            let written = bill.written_gb_per_month();
            let changed = if written > 0.0 {
                written
            } else {
                f64::from(self.size_gb) * bill.assume("monthly-change-fraction")
            };
            let to = replication.region.as_str();
            bill.transfer("replication", (home, to), changed, "replication");
            if replication.rtc {
                let rtc = bill.price("replication.rtc", "s3", home, "rtc-gb");
                bill.add("Replication Time Control".to_string(), changed * rtc);
            }
        }
    }
}
