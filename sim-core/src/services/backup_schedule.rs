//! A periodic backup schedule at run time (AWS Backup plans, RDS automated snapshots, and an on-premises
//! store's offsite paths): when backup `i` is usable in its home, in the Region it is copied to, and in the
//! Region that copy is copied on to. Nothing ticks: each answer is computed from per-index draws and the
//! outage history when a restore asks (module doc of `services/backup.rs`).

use crate::engine::dist::Dist;
use crate::engine::rng::RngStreams;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::Catalog;
use crate::model::place::RegionId;
use crate::model::stream_name::StreamName;
use crate::services::checks::region_named;
use crate::spec::resources::backup::BackupPlanConfig;

use super::{LOOKBACK_PERIODS, Outages};

/// A backup schedule at run time, with its durations drawn per backup index.
#[derive(Clone, Debug)]
pub(crate) struct Schedule {
    pub(super) first: SimTime,
    pub(super) every: SimDuration,
    job: Dist,
    pub(super) home: RegionId,
    pub(super) copy_to: Option<RegionId>,
    first_copy: Dist,
    copy: Dist,
    streams: RngStreams,
    /// The store and the plan whose per-backup streams these are (`"{store}/{plan}/…"`).
    stream: (String, String),
    /// How copies travel, which decides what an outage does to one in flight.
    pub(super) leg: Leg,
    /// Fixed time added to the first copy and to later ones (a transfer's size over a link's bandwidth).
    transfer: (SimDuration, SimDuration),
    /// A second drawn part of every copy (`"{store}/{plan}/then/{i}"`), if any.
    then: Option<Dist>,
    /// Time to bring a copy back before a restore can read it (a Glacier retrieval, a tape retrieved from
    /// the shelf or recalled from a vault); `None`: readable at once.
    pub(super) retrieval: Option<Retrieval>,
    /// A copy of each copy on to a further Region (an EBS snapshot or AMI copied across Regions).
    pub(super) onward: Option<Onward>,
}

/// How a schedule's copies travel to the copy Region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Leg {
    /// An AWS copy job between Regions: both must stay up while it runs.
    Aws,
    /// Over an on-premises site's link: the site, the Region and the link between them must stay up.
    Link,
    /// Shipped on a device (Snowball): once it has left the site, only the Region importing it matters.
    Shipped,
    /// Physical media picked up by a courier on its own schedule and taken to a vault outside AWS: a copy
    /// waits in the site for the first pickup at which the site is up (a lost site's never leave), and
    /// once picked up nothing can take it.
    Courier(Courier),
}

/// A courier's pickups: at `first`, then every `every`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Courier {
    pub first: SimTime,
    pub every: SimDuration,
}

/// Copies of each landed copy to a further Region by AWS copy jobs (the first full, later incremental).
#[derive(Clone, Debug)]
pub(crate) struct Onward {
    pub to: RegionId,
    pub first_copy: Dist,
    pub copy: Dist,
}

/// A schedule of offsite copies from an on-premises site (Snowball shipments, DataSync runs, tapes,
/// stored-volume snapshots).
#[derive(Clone, Debug)]
pub(crate) struct Offsite {
    pub first_at: SimDuration,
    pub every: SimDuration,
    /// Work in the site before the copy leaves (loading a device, writing a tape); `Fixed(0)` for none.
    pub job: Dist,
    pub copy_to: RegionId,
    /// The first copy's drawn part, and later copies'.
    pub first_copy: Dist,
    pub copy: Dist,
    /// A second drawn part of every copy (a Snowball's import after its transit).
    pub then: Option<Dist>,
    pub leg: Leg,
    pub transfer: (SimDuration, SimDuration),
    pub retrieval: Option<Retrieval>,
    pub onward: Option<Onward>,
}

/// What brings a copy back before a restore can read it.
#[derive(Clone, Debug)]
pub(crate) struct Retrieval {
    pub took: Dist,
    /// What it is, for the restore's log line (`"the tape's recall from the vault"`); `None`: not named
    /// (an S3 archive class's retrieval, whose log text predates the naming).
    pub named: Option<&'static str>,
}

/// How many pickups a copy waiting in its site is looked after for (bounds the walk).
const MAX_PICKUPS_WAITED: u64 = 64;

impl Schedule {
    /// Resolves a plan for a store whose data lives in `home`.
    pub fn build(
        config: &BackupPlanConfig,
        home: RegionId,
        catalog: &Catalog,
        streams: &RngStreams,
        stream: (&str, &str),
        field: &str,
    ) -> Result<Schedule, String> {
        let copy_to = match &config.copy_to {
            Some(name) => Some(region_named(catalog, &format!("{field}.copy_to"), name)?),
            None => None,
        };
        Ok(Schedule {
            first: SimTime::at(config.first_at),
            every: config.every,
            job: config.job.clone(),
            home,
            copy_to,
            first_copy: config.first_copy.clone(),
            copy: config.copy.clone(),
            streams: streams.clone(),
            stream: (stream.0.to_string(), stream.1.to_string()),
            leg: Leg::Aws,
            transfer: (SimDuration::ZERO, SimDuration::ZERO),
            then: None,
            retrieval: None,
            onward: None,
        })
    }

    /// A schedule of offsite copies of a store in the site `home` (streams `"{store}/{what}/…"`).
    pub fn offsite(
        o: Offsite,
        home: RegionId,
        streams: &RngStreams,
        stream: (&str, &str),
    ) -> Schedule {
        Schedule {
            first: SimTime::at(o.first_at),
            every: o.every,
            job: o.job,
            home,
            copy_to: Some(o.copy_to),
            first_copy: o.first_copy,
            copy: o.copy,
            streams: streams.clone(),
            stream: (stream.0.to_string(), stream.1.to_string()),
            leg: o.leg,
            transfer: o.transfer,
            then: o.then,
            retrieval: o.retrieval,
            onward: o.onward,
        }
    }

    /// The Region copies go to.
    pub fn copy_to(&self) -> Option<RegionId> {
        self.copy_to
    }

    /// The Region copies are copied on to, if any.
    pub fn onward_to(&self) -> Option<RegionId> {
        self.onward.as_ref().map(|o| o.to)
    }

    pub(super) fn start_of(&self, i: u64) -> SimTime {
        self.first + self.every.saturating_mul(i)
    }

    fn draw(&self, what: &str, i: u64, dist: &Dist) -> SimDuration {
        let mut rng =
            StreamName::of_resource(&self.stream.0, &[&self.stream.1, what, &i.to_string()])
                .stream(&self.streams);
        dist.sample(&mut rng)
    }

    /// When backup `i` is usable in the home Region, if its job ran with the Region up.
    pub(super) fn done_at(&self, i: u64, outages: &Outages) -> Option<SimTime> {
        let start = self.start_of(i);
        let done = start + self.draw("job", i, &self.job);
        (!outages.down_during(self.home, start, done)).then_some(done)
    }

    /// The first pickup at or after `ready` at which the site is up, if one comes within
    /// [`MAX_PICKUPS_WAITED`] pickups.
    fn picked_up(&self, courier: Courier, ready: SimTime, outages: &Outages) -> Option<SimTime> {
        let every = courier.every.as_micros().max(1);
        let waited = ready.saturating_since(courier.first).as_micros();
        let k0 = waited.div_ceil(every);
        (k0..k0 + MAX_PICKUPS_WAITED)
            .map(|k| courier.first + courier.every.saturating_mul(k))
            .find(|&p| !outages.down_during(self.home, p, p))
    }

    /// When backup `i` is usable in the copy Region, if both Regions stayed up while it was copied. The
    /// first copy is a full one (`first_copy`); later ones are incremental (`copy`) and build on it, so
    /// none is usable in the copy Region before the first has landed there (C21: "the first copy is a
    /// full copy; subsequent copies are incremental"). Simplification: the first copy is taken to land
    /// even if an outage interrupted it. Couriered media are each a full copy and wait for a pickup.
    pub(super) fn copied_at(&self, i: u64, outages: &Outages) -> Option<SimTime> {
        let to = self.copy_to?;
        let mut from = self.done_at(i, outages)?;
        if let Leg::Courier(courier) = self.leg {
            from = self.picked_up(courier, from, outages)?;
        }
        let (dist, extra) = if i == 0 {
            (&self.first_copy, self.transfer.0)
        } else {
            (&self.copy, self.transfer.1)
        };
        let then = |i: u64| {
            self.then
                .as_ref()
                .map_or(SimDuration::ZERO, |d| self.draw("then", i, d))
        };
        let mut done = from + self.draw("copy", i, dist) + extra + then(i);
        if i > 0 && !matches!(self.leg, Leg::Courier(_)) {
            let first = self.start_of(0)
                + self.draw("job", 0, &self.job)
                + self.draw("copy", 0, &self.first_copy)
                + self.transfer.0
                + then(0);
            done = done.max(first);
        }
        let home_up = !outages.down_during(self.home, from, done);
        let to_up = !outages.down_during(to, from, done);
        let ok = match self.leg {
            Leg::Aws => home_up && to_up,
            Leg::Link => home_up && to_up && !outages.cut_during(self.home, to, from, done),
            Leg::Shipped => to_up,
            // The vault is outside AWS: nothing in the scenario reaches a tape once it left.
            Leg::Courier(_) => true,
        };
        ok.then_some(done)
    }

    /// When backup `i` is usable in the onward Region: its copy landed in the copy Region, then an AWS
    /// copy job ran with both Regions up. As in [`Schedule::copied_at`], the first onward copy is full and
    /// later ones land no earlier than it (taken to land even if an outage interrupted it).
    pub(super) fn onward_at(&self, i: u64, outages: &Outages) -> Option<SimTime> {
        let onward = self.onward.as_ref()?;
        let from = self.copied_at(i, outages)?;
        let dist = if i == 0 {
            &onward.first_copy
        } else {
            &onward.copy
        };
        let mut done = from + self.draw("onward", i, dist);
        if i > 0 {
            let none = Outages::default();
            if let Some(first) = self.copied_at(0, &none) {
                done = done.max(first + self.draw("onward", 0, &onward.first_copy));
            }
        }
        let via = self.copy_to?;
        let up =
            !outages.down_during(via, from, done) && !outages.down_during(onward.to, from, done);
        up.then_some(done)
    }

    /// The point in time (backup start) of the latest backup usable in `region` at `t` whose point is at
    /// or before `until`, and when it became usable there.
    pub fn latest_in(
        &self,
        region: RegionId,
        t: SimTime,
        until: SimTime,
        outages: &Outages,
    ) -> Option<(SimTime, SimTime)> {
        let t_points = t.min(until);
        if t_points < self.first {
            return None;
        }
        let every = self.every.as_micros().max(1);
        let last = t_points.saturating_since(self.first).as_micros() / every;
        // Couriered copies also wait in the site for a pickup: look back over the periods of one more.
        let waiting = match self.leg {
            Leg::Courier(c) => c.every.as_micros().div_ceil(every),
            _ => 0,
        };
        (last.saturating_sub(LOOKBACK_PERIODS + waiting)..=last)
            .rev()
            .find_map(|i| {
                let usable = if region == self.home {
                    self.done_at(i, outages)
                } else if Some(region) == self.copy_to {
                    self.copied_at(i, outages)
                } else if Some(region) == self.onward_to() {
                    self.onward_at(i, outages)
                } else {
                    None
                }?;
                (usable <= t).then_some((self.start_of(i), usable))
            })
    }
}
