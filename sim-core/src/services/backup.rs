//! Backups: AWS Backup plans (and RDS daily automated snapshots) with cross-Region copy jobs, point-in-time
//! recovery windows, the Region outage history both depend on, and the damage history that decides what a
//! restore brings back (a bad write before the restored point comes back with it).
//!
//! **No ticking.** A periodic schedule never schedules events. Its state at any instant is computed when
//! asked: backup `i` starts at `first + i · every`, finishes after a job duration drawn from a stream named
//! after the store and `i` (so a draw never depends on how often it was asked), and its copy lands in the
//! other Region after a copy duration drawn the same way. "Latest backup usable in us-west-2 at `t`" walks
//! back from the last start before `t`. A 30-day horizon costs nothing until someone restores.

use crate::engine::dist::Dist;
use crate::engine::rng::RngStreams;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::place::{Health, Place, RegionId};
use crate::model::service::{CopyKind, DataCopy, Placement};
use crate::model::stream_name::StreamName;
use crate::model::{ActionError, Catalog, PointTarget};
use crate::services::checks::check_dist;
use crate::spec::resources::backup::{BackupPlanConfig, RestoreConfig};

/// How far back a restore looks for a finished backup or copy, in schedule periods. Bounds the walk; a copy
/// that takes longer than this many periods never counts (it would be superseded anyway).
const LOOKBACK_PERIODS: u64 = 64;

/// The copy a backup plan keeps in another Region, if it copies there (for [`Service::copies`]).
///
/// [`Service::copies`]: crate::model::Service::copies
pub(crate) fn backup_copy(plan: Option<&BackupPlanConfig>) -> Option<DataCopy<'_>> {
    let region = plan?.copy_to.as_deref()?;
    Some(DataCopy {
        kind: CopyKind::BackupCopy,
        at: Placement::Region(region),
    })
}

impl BackupPlanConfig {
    /// Checks the plan; `field` prefixes messages (`"backup"`, `"automated_snapshots"`).
    pub fn validate(&self, field: &str) -> Result<(), String> {
        if self.every < SimDuration::from_hours(1) {
            return Err(format!(
                "{field}.every is {}; AWS Backup schedules run at most hourly, so use \"1h\" or more",
                self.every
            ));
        }
        if let Some(retention) = self.retention {
            let most = SimDuration::from_hours(100 * 365 * 24);
            if retention < self.every || retention > most {
                return Err(format!(
                    "{field}.retention is {retention}; keep backups at least one interval ({}) and at \
                     most 100 years",
                    self.every
                ));
            }
        }
        check_dist(&format!("{field}.job"), &self.job)?;
        check_dist(&format!("{field}.first_copy"), &self.first_copy)?;
        check_dist(&format!("{field}.copy"), &self.copy)
    }
}

pub(crate) use crate::services::outages::Outages;

pub(crate) use crate::services::damage::{Damage, DamageHistory, restored_copy};

#[path = "backup_schedule.rs"]
mod schedule;
pub(crate) use schedule::{Courier, Leg, Offsite, Onward, Retrieval, Schedule};

/// How a store's continuous backup bounds its latest restorable time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PitrLag {
    /// Logs shipped every `every`, at instants offset by `phase` (RDS, C9): latest = last ship ≤ now.
    Shipped {
        /// Shipping period.
        every: SimDuration,
        /// Offset of the first shipment.
        phase: SimDuration,
    },
    /// Restorable up to a fixed distance behind now (DynamoDB, C14).
    Behind(SimDuration),
}

impl PitrLag {
    /// The latest restorable instant at `now`.
    pub fn latest(self, now: SimTime) -> SimTime {
        match self {
            PitrLag::Shipped { every, phase } => {
                let since = now.saturating_since(SimTime::at(phase)).as_micros();
                let every = every.as_micros().max(1);
                if now < SimTime::at(phase) {
                    SimTime::ZERO
                } else {
                    SimTime::at(phase) + SimDuration::from_micros(since / every * every)
                }
            }
            PitrLag::Behind(by) => now.saturating_sub(by),
        }
    }
}

/// Where a restore should land, given the latest restorable instant and the store's corruptions.
pub(crate) fn restore_point(
    target: PointTarget,
    latest: SimTime,
    last_corruption: Option<SimTime>,
    earliest: SimTime,
) -> Result<SimTime, String> {
    let point = match target {
        PointTarget::Latest => latest,
        PointTarget::BeforeCorruption => match last_corruption {
            // Just before the bad write: the operator picks the instant before it.
            Some(c) => c.min(latest),
            None => return Err("no corruption to restore before".to_string()),
        },
        PointTarget::At(t) => t.min(latest),
    };
    if point < earliest {
        return Err(format!(
            "restore point {point} is before the earliest restorable time {earliest}"
        ));
    }
    Ok(point)
}

/// A store's backups at run time: schedules, continuous backup (PITR), copies made on request, the outage
/// history they depend on, and how long restores and copies take.
#[derive(Debug)]
pub(crate) struct Backups {
    pub schedules: Vec<Schedule>,
    /// Continuous backup: how the latest restorable time trails now, and the retention.
    pub pitr: Option<(PitrLag, SimDuration)>,
    /// `(region, point, usable at)` of backups copied by a `CopyBackup` action.
    pub copies: Vec<(RegionId, SimTime, SimTime)>,
    /// `(region, ends at)` of requested copy jobs, for the concurrent-copy limit (C11).
    pub in_flight: Vec<(RegionId, SimTime)>,
    /// `(point, usable at)` of manual snapshots in the home Region, usable if it stayed up meanwhile.
    pub manual: Vec<(SimTime, SimTime)>,
    pub outages: Outages,
    /// Regions whose outages matter (home, copy targets, replicas).
    pub regions: Vec<RegionId>,
    pub home: RegionId,
    pub restore: RestoreConfig,
    pub size_gb: u32,
    pub copy: Dist,
    pub rng: crate::engine::rng::Stream,
    /// Whether a restored copy runs in one AZ (an RDS instance) rather than regionally.
    pub zonal_restores: bool,
    /// `(site, Region)` links whose cuts matter (offsite copies over a site's link).
    pub links: Vec<(RegionId, RegionId)>,
}

/// Snapshot copies in progress to one destination Region at a time (C11: "up to 20"; counted per store,
/// not per account: `docs/calibration.md`).
pub(crate) const MAX_CONCURRENT_COPIES: usize = 20;

/// RDS and Aurora ship transaction logs every 5 minutes (C9).
const LOG_SHIP_PERIOD: SimDuration = SimDuration::from_mins(5);

impl Backups {
    /// No backups yet for the store `name` in `home`; outages of `regions` are watched.
    pub fn new(
        name: &str,
        streams: &RngStreams,
        home: RegionId,
        regions: Vec<RegionId>,
        restore: &RestoreConfig,
        size_gb: u32,
        copy: &Dist,
    ) -> Backups {
        Backups {
            schedules: Vec::new(),
            pitr: None,
            copies: Vec::new(),
            in_flight: Vec::new(),
            manual: Vec::new(),
            outages: Outages::default(),
            regions,
            home,
            restore: restore.clone(),
            size_gb,
            copy: copy.clone(),
            rng: StreamName::of_resource(name, &["restore"]).stream(streams),
            zonal_restores: false,
            links: Vec::new(),
        }
    }

    /// Adds a schedule of offsite copies; its Region's outages (and, over a link, the link's cuts) are
    /// watched too.
    pub fn add_offsite(&mut self, s: Schedule) {
        if let Some(r) = s.onward_to().filter(|r| !self.regions.contains(r)) {
            self.regions.push(r);
        }
        if let Some(r) = s.copy_to() {
            if !self.regions.contains(&r) {
                self.regions.push(r);
            }
            if s.leg == Leg::Link && !self.links.contains(&(s.home, r)) {
                self.links.push((s.home, r));
            }
        }
        self.schedules.push(s);
    }

    /// Adds a backup schedule (streams `"{name}/{what}/…"`); its copy Region's outages are watched too.
    pub fn add_plan(
        &mut self,
        plan: &BackupPlanConfig,
        catalog: &Catalog,
        streams: &RngStreams,
        name: &str,
        what: &str,
        field: &str,
    ) -> Result<(), String> {
        let s = Schedule::build(plan, self.home, catalog, streams, (name, what), field)?;
        if let Some(r) = s.copy_to().filter(|r| !self.regions.contains(r)) {
            self.regions.push(r);
        }
        self.schedules.push(s);
        Ok(())
    }

    /// Manual snapshots taken at `at` (offsets from time zero), each usable after a `job` duration drawn
    /// from its own stream `"{name}/manual/{i}"`.
    pub fn add_manual(&mut self, name: &str, streams: &RngStreams, at: &[SimDuration], job: &Dist) {
        for (i, &offset) in at.iter().enumerate() {
            let mut rng =
                StreamName::of_resource(name, &["manual", &i.to_string()]).stream(streams);
            let point = SimTime::at(offset);
            self.manual.push((point, point + job.sample(&mut rng)));
        }
    }

    /// Continuous backup by log shipping every 5 minutes (RDS, Aurora; C9), kept for `retention`.
    pub fn ship_logs(&mut self, name: &str, streams: &RngStreams, retention: SimDuration) {
        // The shipping instants are offset by a per-store phase: where "now" falls in the 5-minute cycle is
        // what makes the PITR gap vary between 0 and 5 minutes from run to run.
        let mut rng = StreamName::of_resource(name, &["log-phase"]).stream(streams);
        let phase = Dist::Uniform(SimDuration::ZERO, LOG_SHIP_PERIOD).sample(&mut rng);
        let lag = PitrLag::Shipped {
            every: LOG_SHIP_PERIOD,
            phase,
        };
        self.pitr = Some((lag, retention));
    }

    /// The latest backup usable in `region` at `now` whose point is at or before `until` (the data's
    /// deletion: no backup of a deleted store is taken after it): `(point, usable at)`.
    pub fn latest_in(
        &self,
        region: RegionId,
        now: SimTime,
        until: SimTime,
    ) -> Option<(SimTime, SimTime)> {
        let scheduled = self
            .schedules
            .iter()
            .filter_map(|s| s.latest_in(region, now, until, &self.outages));
        let copied = self
            .copies
            .iter()
            .filter(|&&(r, point, usable)| r == region && usable <= now && point <= until)
            .map(|&(_, point, usable)| (point, usable));
        let manual = self.manual.iter().copied().filter(|&(point, usable)| {
            region == self.home
                && usable <= now
                && point <= until
                && !self.outages.down_during(self.home, point, usable)
        });
        scheduled.chain(copied).chain(manual).max()
    }

    /// Admits a requested copy job to `region` ending at `ends` (C11: at most
    /// [`MAX_CONCURRENT_COPIES`] in progress to one destination Region).
    pub fn admit_copy(
        &mut self,
        region: RegionId,
        now: SimTime,
        ends: SimTime,
    ) -> Result<(), String> {
        self.in_flight.retain(|&(_, end)| end > now);
        let busy = self.in_flight.iter().filter(|&&(r, _)| r == region).count();
        if busy >= MAX_CONCURRENT_COPIES {
            return Err(format!(
                "{busy} snapshot copies to this Region are already in progress (at most \
                 {MAX_CONCURRENT_COPIES} at a time, C11)"
            ));
        }
        self.in_flight.push((region, ends));
        Ok(())
    }

    /// The point a point-in-time restore at `now` lands on, or why it cannot be done; logs were shipped
    /// until `shipped_until` (now, or when the writer went down).
    pub fn pitr_point(
        &self,
        target: PointTarget,
        now: SimTime,
        shipped_until: SimTime,
        lineage_start: SimTime,
        last_corruption: Option<SimTime>,
    ) -> Result<SimTime, ActionError> {
        let Some((lag, retention)) = self.pitr else {
            return Err(ActionError::NotApplicable(
                "point-in-time recovery is not enabled".to_string(),
            ));
        };
        let earliest = lineage_start.max(now.saturating_sub(retention));
        restore_point(target, lag.latest(shipped_until), last_corruption, earliest)
            .map_err(ActionError::NotApplicable)
    }

    /// Where a copy restored in `region` runs: its first AZ that is up, for zonal stores.
    pub fn restore_place(&self, region: RegionId, catalog: &Catalog, health: &Health) -> Place {
        let up = catalog
            .azs_of(region)
            .into_iter()
            .find(|&az| health.az_up(region, az));
        match up {
            Some(az) if self.zonal_restores => Place::zonal(region, az),
            _ => Place::region(region),
        }
    }

    /// What must happen before a restore can read the backup `found` (`latest_in`'s answer for `region`
    /// at `now`): the retrieval of the schedule that made it (an archive class, a tape shelf, a vault).
    pub fn retrieval_of(
        &self,
        region: RegionId,
        now: SimTime,
        until: SimTime,
        found: (SimTime, SimTime),
    ) -> Option<Retrieval> {
        self.schedules
            .iter()
            .find(|s| s.latest_in(region, now, until, &self.outages) == Some(found))
            .and_then(|s| s.retrieval.clone())
    }

    /// How long a restore takes (base + per-GB term), after `retrieval` of an archived copy if it is one:
    /// `(in all, of which the retrieval)`.
    pub fn restore_duration(&mut self, retrieval: Option<&Dist>) -> (SimDuration, SimDuration) {
        let restore = self.restore.base.sample(&mut self.rng)
            + self.restore.per_gb.saturating_mul(u64::from(self.size_gb));
        let retrieved = retrieval.map_or(SimDuration::ZERO, |r| r.sample(&mut self.rng));
        (restore + retrieved, retrieved)
    }

    /// How long a requested copy job takes.
    pub fn copy_duration(&mut self) -> SimDuration {
        self.copy.sample(&mut self.rng)
    }

    /// Records Region state after a health change.
    pub fn observe(&mut self, now: SimTime, health: &Health) {
        self.outages.observe(now, health, &self.regions);
        self.outages.observe_links(now, health, &self.links);
    }
}

/// Fails with `ControlPlaneDown` when `region`'s control plane is down.
pub(crate) fn control_plane(health: &Health, region: RegionId) -> Result<(), ActionError> {
    if health.control_plane_up(region) {
        Ok(())
    } else {
        Err(ActionError::ControlPlaneDown(region))
    }
}

#[path = "backup_explain.rs"]
mod explain;

#[cfg(test)]
#[path = "backup_tests.rs"]
mod tests;
