//! Compute: EC2 launches and auto-recovery, an Auto Scaling group state machine, ALB target health checks,
//! and API Gateway + Lambda availability.
//!
//! The [`Asg`] is a plain state machine: its methods take `(now, health, rng)` and return the instants at
//! which its capacity may change, for the world to schedule a call to [`Asg::on_wake`] (and re-evaluate
//! flows) at each. **Assumption:** instances in a lost AZ or Region are lost for good (the group replaces
//! them); they do not come back when the place heals.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::edge::{ConfigError, Errors, consecutive_probes};
use crate::engine::rng::Stream;
use crate::engine::time::{SimDuration, SimTime};
use crate::world::api::{ActionError, Catalog};
use crate::world::place::{AzId, Health, RegionId};

/// An instance's operating system, which sets its default launch time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Os {
    /// Linux AMIs.
    #[default]
    Linux,
    /// Windows AMIs.
    Windows,
}

/// Time from `RunInstances` until the instance serves traffic.
///
/// - Linux: `LogNormal("60s", "2m")`. C24 measures ~16 s pending → running and ~26 s to SSH; the
///   application start on top (a Spring Boot service, as in the Unishop lab, ~30 s) is an assumption.
/// - Windows: `LogNormal("15m", "30m")`: C24 says "often ≥ 15 min"; the tail is an assumption.
pub fn default_launch(os: Os) -> Dist {
    match os {
        Os::Linux => Dist::log_normal("60s", "2m"),
        Os::Windows => Dist::log_normal("15m", "30m"),
    }
}

/// Checks that `az` is an AZ of `region` (or of any Region when `region` is `None`).
fn check_az(
    errors: &mut Errors,
    catalog: &Catalog,
    field: &'static str,
    az: &str,
    region: Option<RegionId>,
) -> Option<AzId> {
    match (catalog.az(az), region) {
        (Some((id, _)), None) => return Some(id),
        (Some((id, r)), Some(want)) if r == want => return Some(id),
        (_, Some(want)) => {
            let azs: Vec<&str> = catalog
                .azs_of(want)
                .into_iter()
                .map(|a| catalog.az_name(a))
                .collect();
            errors.check(
                false,
                field,
                az,
                format!(
                    "an AZ of {} ({})",
                    catalog.region_name(want),
                    azs.join(", ")
                ),
            );
        }
        (None, None) => errors.check(false, field, az, "an AZ listed in the topology"),
    }
    None
}

/// Resolves a Region name, recording an error naming the known Regions.
fn check_region(
    errors: &mut Errors,
    catalog: &Catalog,
    field: &'static str,
    region: &str,
) -> Option<RegionId> {
    let id = catalog.region(region);
    if id.is_none() {
        let known: Vec<&str> = catalog.regions().map(|(_, n)| n).collect();
        errors.check(false, field, region, format!("one of {}", known.join(", ")));
    }
    id
}

/// A single EC2 instance (e.g. the Unishop lab's one t3.small).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2Config {
    /// Its AZ.
    pub az: String,
    /// Its OS.
    #[serde(default)]
    pub os: Os,
    /// Launch time; `None`: [`default_launch`] of `os`.
    #[serde(default)]
    pub launch: Option<Dist>,
    /// Whether EC2 auto-recovery is on (it recovers the instance after a *hardware* failure; it does
    /// nothing for an AZ or Region outage).
    #[serde(default)]
    pub auto_recovery: bool,
    /// Instance type, for the cost model only (default `"m5.large"`; the Unishop lab uses `"t3.small"`).
    /// `crate::cost::validate` checks it against the price table.
    #[serde(default = "default_instance_type")]
    pub instance_type: String,
}

/// The instance type a scenario gets when it names none.
pub fn default_instance_type() -> String {
    "m5.large".to_string()
}

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

    /// Time from a hardware failure until auto-recovery has the instance serving again; `None` when
    /// auto-recovery is off. Assumption: the `StatusCheckFailed_System` alarm fires after 1–3 minutes
    /// (`Uniform("1m", "3m")`), then the instance boots on new hardware like a launch.
    pub fn recovery_time(&self, rng: &mut Stream) -> Option<SimDuration> {
        self.auto_recovery
            .then(|| Dist::uniform("1m", "3m").sample(rng) + self.launch_time(rng))
    }
}

/// An Auto Scaling group spread over AZs of one Region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AsgConfig {
    /// Its Region.
    pub region: String,
    /// Its AZs, all in `region`.
    pub azs: Vec<String>,
    /// Instances it keeps running (0 for a pilot light).
    pub desired: u32,
    /// Lower bound on `desired`.
    #[serde(default)]
    pub min: u32,
    /// Upper bound on `desired`.
    pub max: u32,
    /// Ready instances needed to carry the full load; with fewer, that fraction of requests succeeds.
    pub needed: u32,
    /// Instance OS.
    #[serde(default)]
    pub os: Os,
    /// Launch time; `None`: [`default_launch`] of `os`.
    #[serde(default)]
    pub launch: Option<Dist>,
    /// How long the group takes to notice lost instances and start replacements. Default 2 min,
    /// assumption: EC2 status checks run every minute and the group acts on the second failed one.
    #[serde(default = "default_replace_after")]
    pub replace_after: SimDuration,
    /// Instance type of the group's instances, for the cost model only (default `"m5.large"`).
    #[serde(default = "default_instance_type")]
    pub instance_type: String,
}

fn default_replace_after() -> SimDuration {
    SimDuration::from_mins(2)
}

/// The largest Auto Scaling group drsim models (a bound on work per replication, far above the course's
/// groups; AWS's own limits are per-account quotas).
pub const MAX_GROUP_SIZE: u32 = 10_000;

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
        let mut counts = self.az_counts();
        while self.instances.len() < self.desired as usize {
            let Some(az) = self.next_az(health, &mut counts) else {
                break;
            };
            self.instances.push(Instance { az, ready_at: now });
        }
        Vec::new()
    }

    /// Health changed: instances in a lost AZ or Region die; if the group is now short, it notices after
    /// `replace_after` (returned as a wake-up) and then launches replacements in the AZs up at that time.
    pub fn on_health_change(
        &mut self,
        now: SimTime,
        health: &Health,
        _rng: &mut Stream,
    ) -> Vec<SimTime> {
        let region = self.region;
        self.instances.retain(|i| health.az_up(region, i.az));
        if self.instances.len() < self.desired as usize && self.replace_check_at.is_none() {
            let at = now + self.replace_after;
            self.replace_check_at = Some(at);
            return vec![at];
        }
        Vec::new()
    }

    /// A wake-up is due: if the replacement check is, launch what is missing. Returns the ready times of
    /// new instances.
    pub fn on_wake(&mut self, now: SimTime, health: &Health, rng: &mut Stream) -> Vec<SimTime> {
        match self.replace_check_at {
            Some(at) if at <= now => {
                self.replace_check_at = None;
                self.reconcile(now, health, rng)
            }
            _ => Vec::new(),
        }
    }

    /// A runbook sets the desired count (UpdateAutoScalingGroup widens min/max to include it, as a runbook
    /// setting all three would). New instances launch now, each ready after its own launch draw; surplus
    /// ones (the newest first) terminate at once. Returns the ready times of new instances.
    ///
    /// # Errors
    /// [`ActionError::ControlPlaneDown`] when the group's Region cannot take API calls.
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
        self.desired = desired;
        self.min = self.min.min(desired);
        self.max = self.max.max(desired);
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

/// An Application Load Balancer in front of targets (instances or a group).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlbConfig {
    /// Its Region (it spans the Region's AZs, so it survives the loss of one).
    pub region: String,
    /// Its targets, by resource name.
    pub targets: Vec<String>,
    /// Target health check interval: 30 s default, 5..=300 s (ELB target group defaults).
    #[serde(default = "default_alb_interval")]
    pub health_check_interval: SimDuration,
    /// Failed checks before a target is unhealthy: 2 default, 2..=10.
    #[serde(default = "default_unhealthy")]
    pub unhealthy_threshold: u32,
    /// Passed checks before a target is healthy again: 5 default, 2..=10.
    #[serde(default = "default_healthy")]
    pub healthy_threshold: u32,
}

fn default_alb_interval() -> SimDuration {
    SimDuration::from_secs(30)
}
fn default_unhealthy() -> u32 {
    2
}
fn default_healthy() -> u32 {
    5
}

impl AlbConfig {
    /// An ALB with the default health check.
    pub fn new(region: &str, targets: &[&str]) -> Self {
        AlbConfig {
            region: region.to_string(),
            targets: targets.iter().map(|t| t.to_string()).collect(),
            health_check_interval: default_alb_interval(),
            unhealthy_threshold: default_unhealthy(),
            healthy_threshold: default_healthy(),
        }
    }

    /// Checks the Region and the health-check settings against ELB's ranges.
    pub fn validate(&self, catalog: &Catalog) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        check_region(&mut errors, catalog, "alb.region", &self.region);
        let interval = self.health_check_interval;
        errors.check(
            interval >= SimDuration::from_secs(5) && interval <= SimDuration::from_secs(300),
            "alb.health_check_interval",
            interval,
            "5s..=300s",
        );
        for (field, value) in [
            ("alb.unhealthy_threshold", self.unhealthy_threshold),
            ("alb.healthy_threshold", self.healthy_threshold),
        ] {
            errors.check((2..=10).contains(&value), field, value, "2..=10");
        }
        errors.finish()
    }

    /// Time from a target dying until the ALB stops routing to it (`unhealthy_threshold` consecutive failed
    /// checks at a random phase). Until then, that target's share of requests fails.
    pub fn detection_delay(&self, rng: &mut Stream) -> SimDuration {
        consecutive_probes(self.health_check_interval, self.unhealthy_threshold, rng)
    }

    /// Time from a target becoming ready until the ALB routes to it (`healthy_threshold` passes).
    pub fn recovery_delay(&self, rng: &mut Stream) -> SimDuration {
        consecutive_probes(self.health_check_interval, self.healthy_threshold, rng)
    }
}

/// API Gateway + Lambda in one Region: spread over its AZs by AWS, so it survives an AZ loss but not a
/// Region loss.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LambdaConfig {
    /// Its Region.
    pub region: String,
}

impl LambdaConfig {
    /// Resolves the Region against the topology.
    pub fn region_id(&self, catalog: &Catalog) -> Result<RegionId, Vec<ConfigError>> {
        let mut errors = Errors::default();
        let id = check_region(&mut errors, catalog, "lambda.region", &self.region);
        errors.finish()?;
        Ok(id.unwrap_or(RegionId(0)))
    }

    /// Share of requests served now: 1 while its Region's data plane is up, else 0.
    pub fn capacity(region: RegionId, health: &Health) -> f64 {
        if health.region_up(region) { 1.0 } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::edge::testing::{cases, messages, rng};

    fn catalog() -> Catalog {
        let mut c = Catalog::new();
        let east = c.add_region("us-east-1");
        for az in ["use1-az1", "use1-az2", "use1-az3"] {
            c.add_az(az, east);
        }
        let west = c.add_region("us-west-2");
        c.add_az("usw2-az1", west);
        c
    }

    fn asg(desired: u32, needed: u32, launch: Option<Dist>) -> AsgConfig {
        AsgConfig {
            region: "us-east-1".into(),
            azs: vec!["use1-az1".into(), "use1-az2".into(), "use1-az3".into()],
            desired,
            min: 0,
            max: 6,
            needed,
            os: Os::Linux,
            launch,
            replace_after: SimDuration::from_mins(2),
            instance_type: default_instance_type(),
        }
    }

    fn at(s: u64) -> SimTime {
        SimTime::at(SimDuration::from_secs(s))
    }

    #[test]
    fn scaling_from_zero_takes_at_least_one_launch() {
        let (c, h, mut r) = (catalog(), Health::new(), rng(1));
        let mut g = Asg::new(&asg(0, 2, Some(Dist::fixed("90s"))), &c).unwrap();
        assert!(g.start(at(0), &h, &mut r).is_empty());
        assert!(g.capacity(at(0), &h) <= 0.0);
        let wakes = g.set_desired(at(100), &h, &mut r, 2).unwrap();
        assert_eq!(wakes, [at(190), at(190)]);
        assert!(g.capacity(at(189), &h) <= 0.0);
        assert!((g.capacity(at(190), &h) - 1.0).abs() < 1e-12);
        let azs: Vec<u8> = g.instances().iter().map(|i| i.az.0).collect();
        assert_eq!(azs, [0, 1], "spread over AZs");
    }

    #[test]
    fn az_loss_is_replaced_in_surviving_azs_after_notice_and_launch() {
        let (c, mut h, mut r) = (catalog(), Health::new(), rng(2));
        let mut g = Asg::new(&asg(3, 3, Some(Dist::fixed("60s"))), &c).unwrap();
        g.start(at(0), &h, &mut r);
        assert!((g.capacity(at(0), &h) - 1.0).abs() < 1e-12);
        h.set_az(AzId(0), false);
        // Capacity drops at once (the world calls on_health_change; capacity also reads health).
        assert!((g.capacity(at(10), &h) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(g.on_health_change(at(10), &h, &mut r), [at(130)]);
        assert!(g.on_wake(at(100), &h, &mut r).is_empty(), "not yet due");
        assert_eq!(g.on_wake(at(130), &h, &mut r), [at(190)]);
        assert_ne!(g.instances()[2].az, AzId(0));
        assert!((g.capacity(at(190), &h) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn nothing_launches_in_a_lost_region_until_it_heals() {
        let (c, mut h, mut r) = (catalog(), Health::new(), rng(3));
        let mut g = Asg::new(&asg(2, 2, Some(Dist::fixed("60s"))), &c).unwrap();
        g.start(at(0), &h, &mut r);
        h.set_region(RegionId(0), false, true);
        assert_eq!(g.on_health_change(at(0), &h, &mut r), [at(120)]);
        assert!(g.on_wake(at(120), &h, &mut r).is_empty());
        assert_eq!(
            g.set_desired(at(130), &h, &mut r, 4),
            Err(ActionError::ControlPlaneDown(RegionId(0)))
        );
        h.set_region(RegionId(0), true, true);
        assert_eq!(g.on_health_change(at(1000), &h, &mut r), [at(1120)]);
        assert_eq!(g.on_wake(at(1120), &h, &mut r), [at(1180), at(1180)]);
    }

    #[test]
    fn scale_in_terminates_the_newest_first() {
        let (c, h, mut r) = (catalog(), Health::new(), rng(4));
        let mut g = Asg::new(&asg(1, 1, Some(Dist::fixed("60s"))), &c).unwrap();
        g.start(at(0), &h, &mut r);
        g.set_desired(at(10), &h, &mut r, 3).unwrap();
        g.set_desired(at(20), &h, &mut r, 1).unwrap();
        assert_eq!(
            g.instances(),
            [Instance {
                az: AzId(0),
                ready_at: at(0)
            }]
        );
    }

    #[test]
    fn validation_names_field_and_range() {
        let c = catalog();
        let bad = AsgConfig {
            azs: vec!["use1-az1".into(), "usw2-az1".into()],
            desired: 9,
            needed: 0,
            ..asg(1, 1, None)
        };
        let text = messages(bad.validate(&c));
        assert_eq!(
            text,
            [
                "asg.azs is usw2-az1, but must be an AZ of us-east-1 (use1-az1, use1-az2, use1-az3)",
                "asg.desired is 9, but must be between min (0) and max (6)",
                "asg.needed is 0, but must be at least 1",
            ]
        );
        let alb = AlbConfig {
            unhealthy_threshold: 1,
            ..AlbConfig::new("eu-west-9", &["web"])
        };
        let text = messages(alb.validate(&c));
        assert_eq!(
            text,
            [
                "alb.region is eu-west-9, but must be one of us-east-1, us-west-2",
                "alb.unhealthy_threshold is 1, but must be 2..=10",
            ]
        );
        let ec2 = Ec2Config {
            az: "nowhere".into(),
            os: Os::Linux,
            launch: None,
            auto_recovery: true,
            instance_type: default_instance_type(),
        };
        assert_eq!(ec2.validate(&c).unwrap_err().len(), 1);
        assert!(
            LambdaConfig {
                region: "us-west-2".into()
            }
            .region_id(&c)
            .is_ok()
        );
    }

    #[test]
    fn defaults_match_calibration() {
        let mut r = rng(5);
        let median = |dist: Dist, r: &mut Stream| {
            let mut xs: Vec<SimDuration> = (0..2_001).map(|_| dist.sample(r)).collect();
            xs.sort_unstable();
            xs[1_000].as_secs_f64()
        };
        let linux = median(default_launch(Os::Linux), &mut r);
        assert!(
            (55.0..65.0).contains(&linux) && linux > 26.0,
            "linux {linux}"
        );
        assert!(median(default_launch(Os::Windows), &mut r) >= 14.0 * 60.0);
        let alb = AlbConfig::new("us-east-1", &["web"]);
        for _ in 0..1_000 {
            let d = alb.detection_delay(&mut r);
            assert!(d >= SimDuration::from_secs(30) && d < SimDuration::from_secs(60));
        }
        let ec2 = Ec2Config {
            az: "use1-az1".into(),
            os: Os::Linux,
            launch: None,
            auto_recovery: false,
            instance_type: default_instance_type(),
        };
        assert_eq!(ec2.recovery_time(&mut r), None);
        let on = Ec2Config {
            auto_recovery: true,
            ..ec2
        };
        assert!(on.recovery_time(&mut r).unwrap() >= SimDuration::from_mins(1));
        let mut h = Health::new();
        assert!((LambdaConfig::capacity(RegionId(0), &h) - 1.0).abs() < 1e-12);
        h.set_az(AzId(0), false);
        assert!(
            (LambdaConfig::capacity(RegionId(0), &h) - 1.0).abs() < 1e-12,
            "survives an AZ"
        );
        h.set_region(RegionId(0), false, false);
        assert!(LambdaConfig::capacity(RegionId(0), &h) <= 0.0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(128)))]

        /// Capacity is always in [0, 1]; from zero it stays 0 until the first launch completes and is 1
        /// once every launch has, when the Region is healthy and desired ≥ needed.
        #[test]
        fn capacity_is_a_share_and_scale_up_completes(
            seed in any::<u64>(), desired in 1u32..6, needed in 1u32..6, az_down in prop::option::of(0u8..3),
        ) {
            let (c, mut h, mut r) = (catalog(), Health::new(), rng(seed));
            let mut g = Asg::new(&asg(0, needed, None), &c).unwrap();
            g.start(at(0), &h, &mut r);
            let wakes = g.set_desired(at(50), &h, &mut r, desired).unwrap();
            let (first, last) = (wakes[0], wakes[wakes.len() - 1]);
            prop_assert!(first > at(50));
            prop_assert!(g.capacity(first.saturating_sub(SimDuration::from_micros(1)), &h) <= 0.0);
            let full = g.capacity(last, &h);
            prop_assert!((0.0..=1.0).contains(&full));
            if desired >= needed {
                prop_assert!((full - 1.0).abs() < 1e-12);
            }
            if let Some(az) = az_down {
                h.set_az(AzId(az), false);
                let mut wakes = g.on_health_change(last, &h, &mut r);
                while let Some(w) = wakes.pop() {
                    prop_assert!((0.0..=1.0).contains(&g.capacity(w, &h)));
                    wakes.extend(g.on_wake(w, &h, &mut r));
                }
                prop_assert_eq!(g.instances().len(), desired as usize);
            }
        }
    }
}
