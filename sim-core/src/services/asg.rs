//! EC2 Auto Scaling: a group as a plain state machine. Its methods take `(now, health, rng)` and return the
//! instants at which its capacity may change, for the world to schedule a call to [`Asg::on_wake`] (and
//! re-evaluate flows) at each.
//!
//! Behaviours (EC2 Auto Scaling User Guide; rows in `docs/calibration.md`): instances are spread evenly
//! over the group's AZs that are up, launching in the one with the fewest; a lost instance is replaced
//! `replace_after` after the loss (assumption: the second one-minute status check), in AZs up then
//! ("balanced best effort"); nothing launches while the Region or its control plane is down. **Assumption:**
//! instances in a lost AZ or Region are lost for good (the group marks them unhealthy and replaces them);
//! they do not come back when the place heals. When an AZ comes back the group **rebalances** (the
//! `AZRebalance` process): it launches instances in the emptiest AZs first and terminates as many in the
//! fullest ones once they are ready, so capacity never dips. A group a stack creates starts empty and
//! launches its `desired` instances then; at time zero a group has been running for a while.

use crate::engine::dist::Dist;
use crate::engine::rng::Stream;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::action::ActionError;
use crate::model::component::{Begun, Component, ComponentAction, Route, Served};
use crate::model::ctx::{Ctx, Phase, Request};
use crate::model::place::{AzId, Catalog, Health, RegionId};
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Forward, Placement, Service};
use crate::model::stream_name::StreamName;
use crate::services::checks::{ConfigError, Errors, check_az, check_region};
use crate::services::pricing::Bill;
use crate::spec::limits::MAX_GROUP_SIZE;
use crate::spec::resources::asg::AsgConfig;
use crate::spec::resources::ec2::default_launch;
use crate::spec::{FlowConfig, Scenario};

impl AsgConfig {
    /// Checks places against the topology, `min ≤ desired ≤ max`, `needed ≥ 1` and the launch
    /// distribution; reports all problems.
    pub fn validate(&self, catalog: &Catalog) -> Result<(), Vec<ConfigError>> {
        self.resolve(catalog).map(|_| ())
    }

    fn resolve(&self, catalog: &Catalog) -> Result<(RegionId, Vec<AzId>), Vec<ConfigError>> {
        let mut errors = Errors::default();
        let region = check_region(&mut errors, catalog, "asg.region", &self.region);
        let mut azs = Vec::new();
        if let Some(region) = region {
            for az in &self.azs {
                azs.extend(check_az(&mut errors, catalog, "asg.azs", az, Some(region)));
            }
        }
        errors.check(!self.azs.is_empty(), "asg.azs", "empty", "at least one AZ");
        errors.check(
            self.min <= self.desired && self.desired <= self.max,
            "asg.desired",
            self.desired,
            format!("between min ({}) and max ({})", self.min, self.max),
        );
        errors.check(self.needed >= 1, "asg.needed", self.needed, "at least 1");
        errors.check(
            self.max <= MAX_GROUP_SIZE,
            "asg.max",
            self.max,
            format!("at most {MAX_GROUP_SIZE} instances"),
        );
        errors.check(
            self.needed <= MAX_GROUP_SIZE,
            "asg.needed",
            self.needed,
            format!("at most {MAX_GROUP_SIZE} instances"),
        );
        if let Some(launch) = &self.launch {
            errors.dist("asg.launch", launch, false);
        }
        errors.finish()?;
        Ok((region.unwrap_or(RegionId(0)), azs))
    }
}

/// One running (or launching) instance of a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instance {
    /// Where it runs.
    pub az: AzId,
    /// When it starts serving (in the past for a running one).
    pub ready_at: SimTime,
}

/// The runtime state of an Auto Scaling group.
#[derive(Clone, Debug, PartialEq)]
pub struct Asg {
    region: RegionId,
    azs: Vec<AzId>,
    desired: u32,
    min: u32,
    max: u32,
    needed: u32,
    launch: Dist,
    replace_after: SimDuration,
    instances: Vec<Instance>,
    replace_check_at: Option<SimTime>,
    /// Whether each AZ of `azs` was up when the group last looked (to see one come back).
    azs_up: Vec<bool>,
    /// Rebalancing in progress: `(when the new instance is ready, the AZ to terminate one in then)`.
    handovers: Vec<(SimTime, AzId)>,
}

impl Asg {
    /// A group from its config, with its place names resolved; no instances until [`start`](Self::start).
    pub fn new(config: &AsgConfig, catalog: &Catalog) -> Result<Asg, Vec<ConfigError>> {
        let (region, azs) = config.resolve(catalog)?;
        Ok(Asg {
            region,
            azs,
            desired: config.desired,
            min: config.min,
            max: config.max,
            needed: config.needed,
            launch: config
                .launch
                .clone()
                .unwrap_or_else(|| default_launch(config.os)),
            replace_after: config.replace_after,
            instances: Vec::new(),
            replace_check_at: None,
            azs_up: Vec::new(),
            handovers: Vec::new(),
        })
    }

    /// The live instances (launching ones included), in launch order.
    pub fn instances(&self) -> &[Instance] {
        &self.instances
    }

    /// The desired count.
    pub fn desired(&self) -> u32 {
        self.desired
    }

    /// At the start of the run: the `desired` instances have been running for a while, so they are
    /// ready now, spread evenly over the AZs that are up. Returns no wake-ups.
    pub fn start(&mut self, now: SimTime, health: &Health, _rng: &mut Stream) -> Vec<SimTime> {
        self.instances.clear();
        self.azs_up = self.up_now(health);
        let mut counts = self.az_counts();
        while self.instances.len() < self.desired as usize {
            let Some(az) = self.next_az(health, &mut counts) else {
                break;
            };
            self.instances.push(Instance { az, ready_at: now });
        }
        Vec::new()
    }

    /// A stack created the group just now: it starts empty and launches its `desired` instances, each
    /// ready after its own launch draw. Returns their ready times.
    pub fn create(&mut self, now: SimTime, health: &Health, rng: &mut Stream) -> Vec<SimTime> {
        self.instances.clear();
        self.handovers.clear();
        self.azs_up = self.up_now(health);
        self.reconcile(now, health, rng)
    }

    /// Health changed: instances in a lost AZ or Region die; if the group is now short, it notices after
    /// `replace_after` (returned as a wake-up) and then launches replacements in the AZs up at that time.
    /// An AZ that came back starts a rebalancing (the ready times of the instances it launches are
    /// returned too).
    pub fn on_health_change(
        &mut self,
        now: SimTime,
        health: &Health,
        rng: &mut Stream,
    ) -> Vec<SimTime> {
        let region = self.region;
        self.instances.retain(|i| health.az_up(region, i.az));
        let up = self.up_now(health);
        let healed = up
            .iter()
            .zip(&self.azs_up)
            .any(|(&now_up, &was_up)| now_up && !was_up);
        self.azs_up = up;
        let mut wakes = Vec::new();
        if healed {
            wakes = self.rebalance(now, health, rng);
        }
        if self.instances.len() < self.desired as usize && self.replace_check_at.is_none() {
            let at = now + self.replace_after;
            self.replace_check_at = Some(at);
            wakes.push(at);
        }
        wakes
    }

    /// Launch-before-terminate moves from the fullest up AZ to the emptiest until no two differ by more
    /// than one instance (counting moves already under way). Returns the new instances' ready times.
    fn rebalance(&mut self, now: SimTime, health: &Health, rng: &mut Stream) -> Vec<SimTime> {
        if !(health.region_up(self.region) && health.control_plane_up(self.region)) {
            return Vec::new();
        }
        let mut counts = self.az_counts();
        for &(_, victim) in &self.handovers {
            if let Some(k) = self.azs.iter().position(|&az| az == victim) {
                counts[k] = counts[k].saturating_sub(1);
            }
        }
        let up: Vec<usize> = (0..self.azs.len())
            .filter(|&k| health.az_up(self.region, self.azs[k]))
            .collect();
        let mut ready_times = Vec::new();
        // Each move narrows the spread, so this ends within the group's size.
        while let (Some(&hi), Some(&lo)) = (
            up.iter()
                .max_by_key(|&&k| (counts[k], std::cmp::Reverse(k))),
            up.iter().min_by_key(|&&k| counts[k]),
        ) {
            if counts[hi] <= counts[lo] + 1 {
                break;
            }
            counts[hi] -= 1;
            counts[lo] += 1;
            let ready_at = now + self.launch.sample(rng);
            self.instances.push(Instance {
                az: self.azs[lo],
                ready_at,
            });
            self.handovers.push((ready_at, self.azs[hi]));
            ready_times.push(ready_at);
        }
        ready_times.sort_unstable();
        ready_times
    }

    /// Ends the rebalancing moves whose new instance is ready by `now`: one instance terminates in the
    /// AZ it leaves (the longest-running there), while the group is above its desired count.
    fn hand_over(&mut self, now: SimTime) {
        let mut k = 0;
        while k < self.handovers.len() {
            let (ready_at, victim) = self.handovers[k];
            if ready_at > now {
                k += 1;
                continue;
            }
            self.handovers.swap_remove(k);
            if self.instances.len() <= self.desired as usize {
                continue;
            }
            let oldest = (0..self.instances.len())
                .filter(|&i| self.instances[i].az == victim && self.instances[i].ready_at <= now)
                .min_by_key(|&i| (self.instances[i].ready_at, i));
            if let Some(i) = oldest {
                self.instances.remove(i);
            }
        }
    }

    /// Whether each AZ of the group is up now.
    fn up_now(&self, health: &Health) -> Vec<bool> {
        self.azs
            .iter()
            .map(|&az| health.az_up(self.region, az))
            .collect()
    }

    /// A wake-up is due: rebalancing moves whose new instance is ready end; if the replacement check is
    /// due, launch what is missing. Returns the ready times of new instances.
    pub fn on_wake(&mut self, now: SimTime, health: &Health, rng: &mut Stream) -> Vec<SimTime> {
        self.hand_over(now);
        match self.replace_check_at {
            Some(at) if at <= now => {
                self.replace_check_at = None;
                self.reconcile(now, health, rng)
            }
            _ => Vec::new(),
        }
    }

    /// A runbook sets the desired count (SetDesiredCapacity). New instances launch now, each ready after its
    /// own launch draw; surplus ones (the newest first) terminate at once. Returns the ready times of new
    /// instances.
    ///
    /// # Errors
    /// [`ActionError::ControlPlaneDown`] when the group's Region cannot take API calls;
    /// [`ActionError::NotApplicable`] for a count outside the group's `min..=max`, which Amazon EC2 Auto
    /// Scaling refuses with a `ValidationError` (it never widens the bounds itself; validation refuses
    /// such a runbook at load, this guards the model).
    pub fn set_desired(
        &mut self,
        now: SimTime,
        health: &Health,
        rng: &mut Stream,
        desired: u32,
    ) -> Result<Vec<SimTime>, ActionError> {
        if !health.control_plane_up(self.region) {
            return Err(ActionError::ControlPlaneDown(self.region));
        }
        if desired > MAX_GROUP_SIZE {
            return Err(ActionError::NotApplicable(format!(
                "desired capacity {desired} is above the {MAX_GROUP_SIZE} instances drsim models"
            )));
        }
        if desired < self.min || desired > self.max {
            return Err(ActionError::NotApplicable(format!(
                "ValidationError: desired capacity {desired} must be between the group's min ({}) and max ({})",
                self.min, self.max
            )));
        }
        self.desired = desired;
        Ok(self.reconcile(now, health, rng))
    }

    /// Share of the full load the group can carry now: ready instances in places that are up over
    /// `needed`, capped at 1. Below 1, that fraction of requests succeeds.
    pub fn capacity(&self, now: SimTime, health: &Health) -> f64 {
        let ready = self
            .instances
            .iter()
            .filter(|i| i.ready_at <= now && health.az_up(self.region, i.az))
            .count();
        (ready as f64 / f64::from(self.needed.max(1))).min(1.0)
    }

    /// Launches up to `desired` (if the Region can launch) and terminates down to it.
    fn reconcile(&mut self, now: SimTime, health: &Health, rng: &mut Stream) -> Vec<SimTime> {
        let mut ready_times = Vec::new();
        let can_launch = health.region_up(self.region) && health.control_plane_up(self.region);
        let mut counts = self.az_counts();
        while can_launch && self.instances.len() < self.desired as usize {
            let Some(az) = self.next_az(health, &mut counts) else {
                break;
            };
            let ready_at = now + self.launch.sample(rng);
            self.instances.push(Instance { az, ready_at });
            ready_times.push(ready_at);
        }
        if self.instances.len() > self.desired as usize {
            // Terminate the instances furthest from serving (latest ready time; the newest on ties).
            let excess = self.instances.len() - self.desired as usize;
            let mut order: Vec<usize> = (0..self.instances.len()).collect();
            order.sort_unstable_by_key(|&k| std::cmp::Reverse((self.instances[k].ready_at, k)));
            let mut doomed = vec![false; self.instances.len()];
            for &k in &order[..excess] {
                doomed[k] = true;
            }
            let mut k = 0;
            self.instances.retain(|_| {
                k += 1;
                !doomed[k - 1]
            });
        }
        ready_times.sort_unstable();
        ready_times
    }

    /// Instances per AZ of the group, in config order.
    fn az_counts(&self) -> Vec<usize> {
        self.azs
            .iter()
            .map(|&az| self.instances.iter().filter(|i| i.az == az).count())
            .collect()
    }

    /// The up AZ with the fewest instances (config order on ties), counted in `counts`: the group balances
    /// across AZs. Counting once per fill keeps filling a group linear in its size.
    fn next_az(&self, health: &Health, counts: &mut [usize]) -> Option<AzId> {
        let k = (0..self.azs.len())
            .filter(|&k| health.az_up(self.region, self.azs[k]))
            .min_by_key(|&k| counts[k])?;
        counts[k] += 1;
        Some(self.azs[k])
    }
}

impl Service for AsgConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate(cx.catalog).map_err(|e| cx.invalid(&e))?;
        let region = cx.region(&self.region)?;
        let asg = Asg::new(self, cx.catalog).map_err(|e| cx.invalid(&e))?;
        Ok(Runtime::Component(Box::new(Group {
            name: cx.name.to_string(),
            node: cx.index,
            asg,
            region,
            rng: StreamName::resource(cx.name).stream(cx.streams),
            steady: self.desired,
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Region(&self.region)
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
        Bill::new(book, name, "Asg").instances(
            "instance_type",
            home,
            &self.instance_type,
            self.desired,
        );
    }

    fn hourly(&self, name: &str, region: &str, book: &mut dyn PriceBook) -> f64 {
        Bill::new(book, name, "Asg").instance_hourly("instance_type", region, &self.instance_type)
    }

    fn units(&self) -> u32 {
        self.desired
    }

    fn forward(&self, _flow: &FlowConfig, _scenario: &Scenario) -> Forward<'_> {
        Forward::Serves
    }
}

/// An Auto Scaling group at run time: the [`Asg`] state machine, its Region and random stream.
pub struct Group {
    name: String,
    node: u16,
    asg: Asg,
    region: RegionId,
    rng: Stream,
    /// The desired capacity the scenario configures (recovery capacity above it bills).
    steady: u32,
}

impl Group {
    fn schedule(cx: &mut Ctx<'_>, wakes: Vec<SimTime>) {
        for at in wakes {
            cx.wake_at(at, 0);
        }
    }

    /// Instances in service now.
    fn in_service(&self, now: SimTime, health: &Health) -> u32 {
        self.asg
            .instances()
            .iter()
            .filter(|i| i.ready_at <= now && health.az_up(self.region, i.az))
            .count() as u32
    }
}

impl Component for Group {
    fn name(&self) -> &str {
        &self.name
    }

    fn start(&mut self, cx: &mut Ctx<'_>) {
        let wakes = self.asg.start(cx.now, cx.health, &mut self.rng);
        Group::schedule(cx, wakes);
    }

    fn created(&mut self, cx: &mut Ctx<'_>) {
        let wakes = self.asg.create(cx.now, cx.health, &mut self.rng);
        let (name, n) = (&self.name, wakes.len());
        cx.log(name, Phase::Recovery, || {
            format!("Auto Scaling group {name} launches {n} instances")
        });
        Group::schedule(cx, wakes);
    }

    fn on_health_change(&mut self, cx: &mut Ctx<'_>) {
        let moving = self.asg.handovers.len();
        let wakes = self.asg.on_health_change(cx.now, cx.health, &mut self.rng);
        let moves = self.asg.handovers.len() - moving;
        if moves > 0 {
            let name = &self.name;
            cx.log(name, Phase::Recovery, || {
                format!(
                    "Auto Scaling group {name} rebalances across AZs: launches {moves}, then terminates as many"
                )
            });
        }
        Group::schedule(cx, wakes);
    }

    fn on_wake(&mut self, cx: &mut Ctx<'_>, _token: u32) -> bool {
        let wakes = self.asg.on_wake(cx.now, cx.health, &mut self.rng);
        Group::schedule(cx, wakes);
        false
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        let capacity = self.asg.capacity(route.now(), route.health());
        Served {
            ok: capacity * route.backend(self.region),
            region: Some(self.region),
        }
    }

    fn begin(
        &mut self,
        cx: &mut Ctx<'_>,
        action: ComponentAction<'_>,
    ) -> Result<Begun, ActionError> {
        let ComponentAction::SetCapacity { desired, wait } = action else {
            return Err(ActionError::Unsupported(
                "not an action of an Auto Scaling group".into(),
            ));
        };
        if !cx.exists(self.node) {
            let name = &self.name;
            return Err(ActionError::NotApplicable(format!(
                "Auto Scaling group {name} does not exist yet (the stack that creates it has not completed)"
            )));
        }
        if !cx.health.control_plane_up(self.region) {
            return Err(ActionError::ControlPlaneDown(self.region));
        }
        let wakes = self
            .asg
            .set_desired(cx.now, cx.health, &mut self.rng, desired)?;
        Group::schedule(cx, wakes);
        let name = &self.name;
        cx.log(name, Phase::Recovery, || {
            format!("Auto Scaling group {name} desired capacity set to {desired}")
        });
        if desired > self.steady {
            cx.request(Request::Usage {
                resource: name.clone(),
                instances: desired - self.steady,
                region: None,
            });
        }
        Ok(if wait {
            Begun::UntilReady(desired)
        } else {
            Begun::Done
        })
    }

    fn ready(&self, now: SimTime, health: &Health, desired: u32) -> bool {
        self.in_service(now, health) >= desired
    }
}
