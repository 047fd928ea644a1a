//! EC2: one instance, its boot time and automatic recovery.
//!
//! **Boots.** An instance serves `launch` after it boots: when a stack creates it, and when its AZ or
//! Region comes back after an outage (it reboots). At time zero it has been running for a while.
//!
//! **Automatic recovery** (EC2 User Guide, *Automatic instance recovery*; simplified automatic recovery is
//! on by default for supported instances). After an outright failure of the instance's hardware (a
//! `ResourceFailure`), the `StatusCheckFailed_System` check fails; after 1–3 one-minute datapoints
//! (assumption: `Uniform("1m", "3m")`) EC2 moves the instance to healthy hardware, where it reboots
//! (`launch` again) and serves while the failure of the old host lasts. It does nothing while the
//! instance's AZ or Region is down ("doesn't take place during Service Health Dashboard events"): the
//! instance reboots when the place comes back.

use crate::engine::dist::Dist;
use crate::engine::rng::{RngStreams, Stream};
use crate::engine::time::{SimDuration, SimTime};
use crate::model::component::{Component, Route, Served};
use crate::model::ctx::{Ctx, Phase, Request};
use crate::model::place::Catalog;
use crate::model::place::{Health, Place};
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Forward, Placement, Service};
use crate::model::stream_name::StreamName;
use crate::services::checks::{ConfigError, Errors, check_az};
use crate::services::pricing::Bill;
use crate::spec::resources::ec2::{Ec2Config, default_launch};
use crate::spec::{FlowConfig, Scenario};

impl Ec2Config {
    /// Checks the AZ against the topology and the launch distribution.
    pub fn validate(&self, catalog: &Catalog) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        check_az(&mut errors, catalog, "ec2.az", &self.az, None);
        if let Some(launch) = &self.launch {
            errors.dist("ec2.launch", launch, false);
        }
        errors.finish()
    }

    /// The launch distribution in force.
    pub fn launch_dist(&self) -> Dist {
        self.launch
            .clone()
            .unwrap_or_else(|| default_launch(self.os))
    }

    /// Draws a launch time (from an AMI, e.g. a restore).
    pub fn launch_time(&self, rng: &mut Stream) -> SimDuration {
        self.launch_dist().sample(rng)
    }

    /// Time from a hardware failure until automatic recovery moves the instance to healthy hardware;
    /// `None` when it is off. Assumption: the `StatusCheckFailed_System` check fails for 1–3 one-minute
    /// datapoints first (`Uniform("1m", "3m")`).
    pub fn recovery_detection(&self) -> Option<Dist> {
        self.auto_recovery.then(|| Dist::uniform("1m", "3m"))
    }

    /// Time from a hardware failure until automatic recovery has the instance serving again (detection,
    /// then a boot on the new hardware); `None` when it is off.
    pub fn recovery_time(&self, rng: &mut Stream) -> Option<SimDuration> {
        self.recovery_detection()
            .map(|detect| detect.sample(rng) + self.launch_time(rng))
    }
}

impl Service for Ec2Config {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate(cx.catalog).map_err(|e| cx.invalid(&e))?;
        let (az, region) = cx.catalog.az(&self.az).ok_or_else(|| BuildError::Unknown {
            what: "AZ",
            name: self.az.clone(),
            referenced_by: cx.by(),
        })?;
        Ok(Runtime::Component(Box::new(Ec2 {
            name: cx.name,
            cfg: self,
            node: cx.index,
            place: Place::zonal(region, az),
            streams: cx.streams.clone(),
            rng: None,
            ready_at: None,
            recovering: false,
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Az(&self.az)
    }

    fn check(&self, _name: &str, catalog: &Catalog) -> Vec<String> {
        self.validate(catalog)
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn price(&self, name: &str, home: &str, book: &mut dyn PriceBook) {
        Bill::new(book, name, "Ec2").instances("instance_type", home, &self.instance_type, 1);
    }

    fn hourly(&self, name: &str, region: &str, book: &mut dyn PriceBook) -> f64 {
        Bill::new(book, name, "Ec2").instance_hourly("instance_type", region, &self.instance_type)
    }

    fn forward(&self, _flow: &FlowConfig, _scenario: &Scenario) -> Forward<'_> {
        Forward::Serves
    }
}

/// Wake-up tokens of an instance.
const BOOTED: u32 = 0;
const RECOVER: u32 = 1;

/// One EC2 instance at run time: up while its place is and its hardware works, serving once booted.
pub struct Ec2<'s> {
    name: &'s str,
    cfg: &'s Ec2Config,
    node: u16,
    place: Place,
    /// The replication's streams, to open its own (`rng`) at its first draw: most instances never
    /// boot or recover in a run, so building one stays cheap.
    streams: RngStreams,
    rng: Option<Stream>,
    /// When it serves from; `None` while it is down (or not created yet).
    ready_at: Option<SimTime>,
    /// Whether automatic recovery is under way (its wake-up pending).
    recovering: bool,
}

impl Ec2<'_> {
    /// Its own random stream (`StreamName::resource`), opened on first use.
    fn rng(&mut self) -> &mut Stream {
        let (streams, name) = (&self.streams, self.name);
        self.rng
            .get_or_insert_with(|| StreamName::resource(name).stream(streams))
    }

    fn hardware_failed(&self, health: &Health) -> bool {
        health.resource_failed(self.node)
    }

    /// Boots now: serves after a launch draw.
    fn boot(&mut self, cx: &mut Ctx<'_>) {
        let took = self.cfg.launch_dist().sample(self.rng());
        let ready = cx.now + took;
        self.ready_at = Some(ready);
        cx.wake_at(ready, BOOTED);
        let name = self.name;
        cx.log(name, Phase::Recovery, || {
            format!("EC2 instance {name} boots (serves in {})", took.human())
        });
    }

    /// Health changed or it was just created: it goes down, boots, or starts automatic recovery.
    fn follow(&mut self, cx: &mut Ctx<'_>) {
        let place_up = cx.health.place_up(self.place);
        let failed = self.hardware_failed(cx.health);
        match (self.ready_at.is_some(), place_up && !failed) {
            (true, false) => self.ready_at = None,
            (false, true) => self.boot(cx),
            _ => {}
        }
        if failed
            && place_up
            && !self.recovering
            && let Some(detection) = self.cfg.recovery_detection()
        {
            self.recovering = true;
            let after = detection.sample(self.rng());
            cx.wake_in(after, RECOVER);
        }
    }
}

impl Component for Ec2<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn start(&mut self, cx: &mut Ctx<'_>) {
        let up = cx.health.place_up(self.place) && !self.hardware_failed(cx.health);
        self.ready_at = up.then_some(cx.now);
    }

    fn created(&mut self, cx: &mut Ctx<'_>) {
        self.ready_at = None;
        self.follow(cx);
    }

    fn on_health_change(&mut self, cx: &mut Ctx<'_>) {
        self.follow(cx);
    }

    fn on_wake(&mut self, cx: &mut Ctx<'_>, token: u32) -> bool {
        if token == RECOVER {
            self.recovering = false;
            if self.hardware_failed(cx.health) && cx.health.place_up(self.place) {
                let name = self.name;
                cx.log(name, Phase::Detection, || {
                    format!(
                        "StatusCheckFailed_System on {name}: EC2 automatic recovery moves it to healthy hardware"
                    )
                });
                cx.request(Request::Recover(self.node));
            }
        }
        false
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        let ready = self.ready_at.is_some_and(|t| t <= route.now());
        if ready && route.health().place_up(self.place) {
            Served {
                ok: route.backend(self.place.region),
                region: Some(self.place.region),
            }
        } else {
            Served::DOWN
        }
    }
}
