//! A database in an on-premises site (issue 20, course modules 003–004): its writer runs in the site, and
//! its copies reach AWS only by the offsite paths the scenario gives it — Snowball shipments (days on a
//! truck, safe once shipped) or DataSync runs over the site's link (their transfer time is the data over
//! the link's bandwidth; a cut link or a lost site stops them). The copies rest in an S3 storage class; a
//! Glacier class is retrieved (Expedited, Standard, Bulk) before a restore into AWS can read it. The
//! restored database is new (a new endpoint): clients reach it after a `Repoint`.

use crate::engine::dist::Dist;
use crate::engine::rng::{RngStreams, Stream};
use crate::engine::time::SimTime;
use crate::model::ledger::{CopyId, Ledger, Settlement};
use crate::model::place::{Health, Place, RegionId};
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, CopyKind, DataCopy, Placement, Runtime, Service};
use crate::model::store::DataLoss;
use crate::model::stream_name::StreamName;
use crate::model::{ActionError, Catalog, Ctx, DataStore, Phase, StoreAction, Ticket};
use crate::services::backup::control_plane;
use crate::services::backup::{Backups, Schedule};
use crate::services::checks::{check_dist, region_named};
use crate::services::members::{Members, Role};
use crate::services::rds::{log_member_changes, probe_members};
use crate::services::recovery::{
    Endpoint, Jobs, RecoveryJob, begin_recovery, finish_recovery, repoint,
};
use crate::services::upload_buffer::UploadBuffer;
use crate::spec::resources::backup::default_first_copy;
use crate::spec::resources::onprem::{OffsiteConfig, OnPremDbConfig};
use crate::spec::runbook::Probe;

mod paths;
mod pricing;

pub use paths::transfer_time;

/// A job of an on-premises database: a restore, or mounting a Storage Gateway's copy in AWS.
#[derive(Debug)]
enum Job {
    Recovery(RecoveryJob),
    Activate { member: usize, ticket: Ticket },
}

/// An on-premises database at run time.
#[derive(Debug)]
pub struct OnPremDb {
    name: String,
    catalog: Catalog,
    members: Members,
    backups: Backups,
    jobs: Jobs<Job>,
    /// `(member, activation time, usable from)` of each live copy in AWS: a Storage Gateway's copy in S3
    /// (usable at once), a DMS target (usable once its full load is done).
    gateways: Vec<(usize, Dist, SimTime)>,
}

impl OnPremDb {
    /// Builds the store `name` in its site, whose link carries `mbps` (`None`: not known yet, as when a
    /// resource is checked on its own; the world is built with it).
    pub fn build(
        name: &str,
        config: &OnPremDbConfig,
        catalog: &Catalog,
        streams: &RngStreams,
        mbps: Option<u32>,
    ) -> Result<OnPremDb, String> {
        let site = region_named(catalog, "site", &config.site)?;
        if !catalog.is_site(site) {
            return Err(format!(
                "site names {:?}, an AWS Region; an OnPremDb runs in an on-premises site (an entry of \
                 regions with a site: (link: ...))",
                config.site
            ));
        }
        check_dist("restore.base", &config.restore.base)?;
        let archive = config.archive.retrieval()?;
        let lag_stream =
            |label: &str| StreamName::of_resource(name, &[label, "lag"]).stream(streams);
        let label = format!("database in {}", config.site);
        let mut members = Members::new(name, &label, Place::region(site), lag_stream(&label));
        let mut gateways = Vec::new();
        let mut backups = Backups::new(
            name,
            streams,
            site,
            vec![site],
            &config.restore,
            config.size_gb,
            &default_first_copy(),
        );
        for (k, path) in config.offsite.iter().enumerate() {
            let field = format!("offsite[{k}]");
            path.check(&field)?;
            let to = region_named(catalog, &format!("{field}.to"), path.to())?;
            if catalog.is_site(to) {
                return Err(format!(
                    "{field}.to names {:?}, an on-premises site; offsite copies go to an AWS Region",
                    path.to()
                ));
            }
            let what = format!("offsite-{k}");
            if let OffsiteConfig::StorageGateway {
                mode,
                upload_lag,
                bursts,
                activate,
                ..
            } = path
            {
                let l = format!("gateway copy in S3 in {}", path.to());
                let i = members.add(
                    &l,
                    Place::region(to),
                    Role::Async,
                    upload_lag.clone(),
                    lag_stream(&l),
                );
                let bursts = bursts.iter().map(|b| (SimTime::at(b.at), f64::from(b.gb)));
                let buffer = UploadBuffer::new(bursts.collect(), mbps.unwrap_or(1_000));
                members.list[i].buffer = Some(buffer);
                let activate = activate.clone().unwrap_or_else(|| mode.default_activate());
                gateways.push((i, activate, SimTime::ZERO));
                continue;
            }
            if let OffsiteConfig::Dms {
                cdc_lag, cutover, ..
            } = path
            {
                let l = format!("DMS target (RDS) in {}", path.to());
                let i = members.add(
                    &l,
                    Place::region(to),
                    Role::Async,
                    cdc_lag.clone(),
                    lag_stream(&l),
                );
                let full_load = transfer_time(config.size_gb, mbps.unwrap_or(1_000));
                gateways.push((i, cutover.clone(), SimTime::at(full_load)));
                continue;
            }
            let onward = match path {
                OffsiteConfig::StoredVolume {
                    copy_to: Some(c), ..
                } => {
                    let field = format!("{field}.copy_to.region");
                    let r = region_named(catalog, &field, &c.region)?;
                    if catalog.is_site(r) || r == to {
                        return Err(format!(
                            "{field} names {:?}; snapshots are copied to another AWS Region than {:?}",
                            c.region,
                            path.to()
                        ));
                    }
                    Some(r)
                }
                _ => None,
            };
            let cx = paths::PathCx {
                copy_to: to,
                onward,
                size_gb: config.size_gb,
                mbps: mbps.unwrap_or(1_000),
                archive: archive.clone(),
            };
            let Some(offsite) = path.offsite(cx) else {
                continue;
            };
            if let (Some(mbps), Some(every)) = (mbps, path.every())
                && path.per_run_gb(config.size_gb).is_some()
            {
                let takes = offsite.transfer.1;
                if takes >= every {
                    return Err(format!(
                        "{field}: each run moves its data in {} over the site's {mbps} Mbit/s link, longer \
                         than every ({every}): runs would queue without end. Raise the link's \
                         bandwidth_mbps, move less each time, or ship the data by Snowball",
                        takes.human()
                    ));
                }
            }
            let schedule = Schedule::offsite(offsite, site, streams, (name, &what));
            backups.add_offsite(schedule);
        }
        Ok(OnPremDb {
            name: name.to_string(),
            catalog: catalog.clone(),
            members,
            backups,
            jobs: Jobs::default(),
            gateways,
        })
    }

    /// `Promote(region)`: mounts the Storage Gateway copy, or cuts over to the DMS target, in `region` after
    /// its activation time.
    fn activate(
        &mut self,
        ctx: &mut Ctx<'_>,
        ticket: Ticket,
        action: StoreAction,
    ) -> Result<(), ActionError> {
        let StoreAction::Promote { region } = action else {
            return Ok(());
        };
        control_plane(ctx.health, region)?;
        let found = self
            .gateways
            .iter()
            .find(|(i, _, _)| self.members.list[*i].place.region == region);
        let Some((member, dist, ready)) = found.cloned() else {
            return Err(ActionError::NotApplicable(format!(
                "{} has no Storage Gateway copy or DMS target in {}",
                self.name,
                self.catalog.region_name(region)
            )));
        };
        // A DMS target holds a consistent copy only once its full load has finished before the task
        // stopped (the site's loss stops it).
        let stopped = self.members.writer_down_since.unwrap_or(ctx.now);
        if stopped < ready {
            return Err(ActionError::NotApplicable(format!(
                "the {}'s full load had not finished when the task stopped (it would have at {ready})",
                self.members.list[member].label
            )));
        }
        let took = dist.sample(&mut self.backups.rng);
        let label = self.members.list[member].label.clone();
        ctx.log(&self.name, Phase::Recovery, || {
            format!("mounting the {label} begins (takes {})", took.human())
        });
        self.jobs
            .schedule(ctx, took, Job::Activate { member, ticket });
        Ok(())
    }

    fn endpoint_up(&self, health: &Health) -> bool {
        health.place_up(self.members.endpoint().place)
    }
}

impl DataStore for OnPremDb {
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
        match self.jobs.take(token) {
            Some(Job::Recovery(job)) => finish_recovery(
                ctx,
                (&self.name, Endpoint::New),
                &self.catalog,
                &mut self.members,
                &mut self.backups,
                job,
            ),
            Some(Job::Activate { member, ticket }) => {
                let m = &self.members.list[member];
                if !ctx.health.place_up(m.place) {
                    let label = m.label.clone();
                    ctx.finish(ticket, Err(ActionError::TargetDown(label)));
                    return;
                }
                self.members.promote(member, ctx.now, &self.name, true);
                self.backups.home = self.members.writer_region();
                let text = format!(
                    "the {} is mounted in AWS and takes the writes",
                    self.members.list[member].label
                );
                ctx.log(&self.name, Phase::Recovery, || text);
                ctx.finish(ticket, Ok(()));
            }
            None => {}
        }
    }

    fn begin(&mut self, ctx: &mut Ctx<'_>, ticket: Ticket, action: StoreAction) {
        // Only a restore from an offsite copy: the site keeps no logs in AWS (no point-in-time restore),
        // and copies are made by the offsite paths, not on request.
        let restore = matches!(action, StoreAction::RestoreSnapshot { .. });
        let started = restore.then(|| {
            let (members, backups) = (&mut self.members, &mut self.backups);
            begin_recovery(
                ctx,
                (&self.name, "database"),
                &self.catalog,
                members,
                backups,
                ticket,
                action,
            )
        });
        let result = match started.flatten() {
            Some(Ok((job, took))) => {
                self.jobs.schedule(ctx, took, Job::Recovery(job));
                Ok(())
            }
            Some(Err(e)) => Err(e),
            None if matches!(action, StoreAction::Promote { .. }) => {
                self.activate(ctx, ticket, action)
            }
            None if action == StoreAction::Repoint => {
                repoint(ctx, &self.name, &mut self.members, ticket);
                Ok(())
            }
            None => Err(ActionError::Unsupported(format!(
                "an on-premises database supports RestoreSnapshot (from its offsite copies), Promote (a \
                 Storage Gateway's copy) and Repoint, not {action:?}"
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
                DataLoss::Corruption => "a bad write corrupts the database; later copies carry it",
                DataLoss::Deletion => "the database is deleted; its offsite copies survive",
            }
            .to_string()
        });
    }

    fn data_loss(&self, _health: &Health, _from: RegionId) -> Option<DataLoss> {
        self.members.data_loss()
    }

    fn read_ok(&self, health: &Health, from: RegionId) -> f64 {
        let up = self.endpoint_up(health)
            && health.connected(from, self.members.endpoint().place.region);
        if up { 1.0 } else { 0.0 }
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
        probe_members(
            &self.members,
            health.place_up(self.members.writer().place),
            what,
        )
    }
}

/// The bandwidth of the link of the site called `site`, in Mbit/s (the kind's default when unnamed).
fn link_mbps(cx: &BuildCx<'_, '_>, site: &str) -> u32 {
    cx.scenario
        .regions
        .iter()
        .find(|r| r.name == site)
        .and_then(|r| r.site.as_ref())
        .map_or(1, |s| s.link.bandwidth_mbps())
}

impl Service for OnPremDbConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        let mbps = Some(link_mbps(cx, &self.site));
        let store =
            OnPremDb::build(cx.name, self, cx.catalog, cx.streams, mbps).map_err(|reason| {
                BuildError::Invalid {
                    resource: cx.name.to_string(),
                    reason: format!("store {:?}: {reason}", cx.name),
                }
            })?;
        Ok(Runtime::Store(Box::new(store)))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Region(&self.site)
    }

    fn copies(&self) -> Vec<DataCopy<'_>> {
        fn onward(o: &OffsiteConfig) -> Option<&str> {
            match o {
                OffsiteConfig::StoredVolume {
                    copy_to: Some(c), ..
                } => Some(c.region.as_str()),
                _ => None,
            }
        }
        self.offsite
            .iter()
            .flat_map(|o| [Some(o.to()), onward(o)])
            .flatten()
            .map(|at| DataCopy {
                kind: CopyKind::BackupCopy,
                at: Placement::Region(at),
            })
            .collect()
    }

    fn check(&self, name: &str, catalog: &Catalog) -> Vec<String> {
        // Without the scenario the link is unknown: the world's build checks the runs against it.
        match OnPremDb::build(name, self, catalog, &RngStreams::new(0, 0), None) {
            Ok(_) => Vec::new(),
            Err(reason) => vec![format!("store {name:?}: {reason}")],
        }
    }

    /// The site's own hardware is not priced (a company's capital cost, outside AWS's bill); what each
    /// path stores and moves in AWS is (`pricing.rs`).
    fn price(&self, name: &str, _home: &str, book: &mut dyn PriceBook) {
        pricing::price(self, name, book);
    }
}
