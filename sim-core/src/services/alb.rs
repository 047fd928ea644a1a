//! Application Load Balancer: per-target health checks, routing by registered capacity, fail-open.
//!
//! **Target health (ELB target groups).** The ALB checks each target every `health_check_interval`, each
//! check waiting [`HEALTH_CHECK_TIMEOUT`]. It keeps a *registered level* per target — the capacity it
//! believes healthy and routes to — that follows the target's actual level with the checks' delays:
//! capacity that dies leaves it `unhealthy_threshold` failed checks later (the first at a random phase,
//! [`consecutive_probes`]), capacity that comes up (a recovered or new instance) joins it after
//! `healthy_threshold` passed checks. Each change is its own timer, so an instance that recovers before
//! it is marked unhealthy never leaves, and one that dies before it passes never joins.
//!
//! **Routing.** Requests split over targets in proportion to their registered levels. A target reached
//! with registered level `ρ` and actual level `c` serves `served × min(1, ρ / c)`: requests the ALB sends to
//! capacity that is gone fail, and capacity it has not registered yet gets none (for an Auto Scaling group,
//! whose level is its capacity over `needed`, overload stays overload). With every target unhealthy the
//! ALB routes to all its registered targets regardless (fail open): here, to the capacity that has passed
//! its checks before (the most each target ever had registered). Capacity that never passed a check — a
//! new group scaling from zero, the targets of an ALB a stack just created — gets no traffic until it
//! does: such an ALB answers 503.

use crate::engine::rng::Stream;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::component::{Component, Route, Seen, Served, Watch};
use crate::model::ctx::{Ctx, Phase};
use crate::model::place::Catalog;
use crate::model::place::RegionId;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Forward, Placement, Reference, Service};
use crate::model::stream_name::StreamName;
use crate::services::checks::{ConfigError, Errors, check_region};
use crate::services::pricing::{Bill, HOURS_PER_MONTH};
use crate::services::probes::consecutive_probes;
use crate::spec::resources::alb::AlbConfig;
use crate::spec::{FlowConfig, Scenario};

/// How long each target health check waits for an answer: the ELB default `HealthCheckTimeoutSeconds`
/// for instance and IP targets (5 s). A target slower than this fails its checks.
pub const HEALTH_CHECK_TIMEOUT: SimDuration = SimDuration::from_secs(5);

impl AlbConfig {
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
    /// checks, the first at a random phase). Until then, that target's share of requests fails.
    pub fn detection_delay(&self, rng: &mut Stream) -> SimDuration {
        consecutive_probes(self.health_check_interval, self.unhealthy_threshold, rng)
    }

    /// Time from a target becoming ready until the ALB routes to it (`healthy_threshold` passes).
    pub fn recovery_delay(&self, rng: &mut Stream) -> SimDuration {
        consecutive_probes(self.health_check_interval, self.healthy_threshold, rng)
    }
}

impl Service for AlbConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate(cx.catalog).map_err(|e| cx.invalid(&e))?;
        let targets: Vec<u16> = self
            .targets
            .iter()
            .map(|t| cx.index_of(t, "target"))
            .collect::<Result<_, _>>()?;
        Ok(Runtime::Component(Box::new(LoadBalancer {
            name: cx.name,
            cfg: self,
            region: cx.region(&self.region)?,
            target_names: self.targets.iter().map(String::as_str).collect(),
            registered: vec![0.0; targets.len()],
            known: vec![0.0; targets.len()],
            seen: vec![0.0; targets.len()],
            targets,
            sight: Sight::NotStarted,
            checks: Vec::new(),
            next_token: 0,
            rng: StreamName::resource(cx.name).stream(cx.streams),
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Region(&self.region)
    }

    fn references(&self) -> Vec<Reference<'_>> {
        self.targets
            .iter()
            .map(|t| Reference::routing(t, "target"))
            .collect()
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
        let requests = book.traffic(name).requests;
        let mut bill = Bill::new(book, name, "Alb");
        let hourly = bill.price("region", "alb", home, "hour");
        bill.add("load balancer, 730 h".to_string(), hourly * HOURS_PER_MONTH);
        let lcus = requests / bill.assume("alb-requests-per-s-per-lcu").max(1e-9);
        let lcu = bill.price("region", "alb", home, "lcu-hour");
        bill.add_used(
            lcus,
            format!("{lcus:.2} LCU, 730 h"),
            lcus * lcu * HOURS_PER_MONTH,
        );
    }

    fn hourly(&self, name: &str, region: &str, book: &mut dyn PriceBook) -> f64 {
        Bill::new(book, name, "Alb").price("region", "alb", region, "hour")
    }

    fn forward(&self, _flow: &FlowConfig, _scenario: &Scenario) -> Forward<'_> {
        Forward::Serves
    }
}

/// When the load balancer first sees its targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sight {
    /// Not started (a stack has not created it yet).
    NotStarted,
    /// Started at time zero: its targets have been registered for a while (steady state).
    Steady,
    /// Created during the run: every target must pass its checks first.
    New,
    /// It has seen its targets.
    Seen,
}

/// A pending change of one target's registered level: `healthy_threshold` passes or
/// `unhealthy_threshold` failures after the target's level moved to `level`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Check {
    token: u32,
    target: usize,
    level: f64,
    up: bool,
}

/// A load balancer at run time: its targets, the level it has registered for each (what it routes by), the
/// level each showed at the last refresh, and the health-check timers in flight.
pub struct LoadBalancer<'s> {
    name: &'s str,
    cfg: &'s AlbConfig,
    region: RegionId,
    targets: Vec<u16>,
    target_names: Vec<&'s str>,
    registered: Vec<f64>,
    /// The most each target ever had registered: where the ALB fails open to.
    known: Vec<f64>,
    seen: Vec<f64>,
    sight: Sight,
    checks: Vec<Check>,
    next_token: u32,
    rng: Stream,
}

impl LoadBalancer<'_> {
    /// Starts a health-check timer for target `k`, whose level just moved to `level`.
    fn check(&mut self, cx: &mut Ctx<'_>, k: usize, level: f64, up: bool) {
        let delay = if up {
            self.cfg.recovery_delay(&mut self.rng)
        } else {
            self.cfg.detection_delay(&mut self.rng)
        };
        let token = self.next_token;
        self.next_token = self.next_token.wrapping_add(1);
        self.checks.push(Check {
            token,
            target: k,
            level,
            up,
        });
        cx.wake_in(delay, token);
    }
}

impl Component for LoadBalancer<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn start(&mut self, cx: &mut Ctx<'_>) {
        self.sight = if cx.now == SimTime::ZERO {
            Sight::Steady
        } else {
            Sight::New
        };
    }

    fn observes(&self) -> Option<Watch> {
        Some(Watch::Targets {
            timeout: HEALTH_CHECK_TIMEOUT,
        })
    }

    fn targets(&self) -> &[u16] {
        &self.targets
    }

    fn see(&mut self, cx: &mut Ctx<'_>, seen: Seen) {
        let Seen::Levels(levels) = seen else { return };
        match self.sight {
            Sight::NotStarted => return,
            Sight::Steady => {
                self.registered.clone_from(&levels);
                self.known.clone_from(&levels);
                self.seen = levels;
                self.sight = Sight::Seen;
                return;
            }
            Sight::New | Sight::Seen => self.sight = Sight::Seen,
        }
        for (k, &level) in levels.iter().enumerate() {
            let before = self.seen[k];
            if level.to_bits() != before.to_bits() {
                self.seen[k] = level;
                self.check(cx, k, level, level > before);
            }
        }
    }

    fn on_wake(&mut self, cx: &mut Ctx<'_>, token: u32) -> bool {
        let Some(i) = self.checks.iter().position(|c| c.token == token) else {
            return false;
        };
        let check = self.checks.remove(i);
        let k = check.target;
        let (before, now) = (self.registered[k], self.seen[k]);
        // Capacity that died leaves unless it came back meanwhile; capacity that came up joins unless it
        // went away meanwhile.
        self.registered[k] = if check.up {
            before.max(check.level.min(now))
        } else {
            before.min(check.level.max(now))
        };
        let after = self.registered[k];
        self.known[k] = self.known[k].max(after);
        if after.to_bits() != before.to_bits() && cx.health.region_up(self.region) {
            let (name, target) = (self.name, self.target_names[k]);
            let (phase, verb) = if after < before {
                (Phase::Detection, "fails its health checks")
            } else {
                (Phase::Propagation, "passes its health checks")
            };
            cx.log(name, phase, || {
                format!(
                    "ALB {name}: target {target} {verb} (registered {:.0} %)",
                    after * 100.0
                )
            });
        }
        false
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        if !route.health().region_up(self.region) || self.targets.is_empty() {
            return Served::DOWN;
        }
        // Requests go to the registered capacity; with none, to all capacity ever registered (fail open).
        let by = if self.registered.iter().any(|&r| r > 0.0) {
            &self.registered
        } else {
            &self.known
        };
        let total: f64 = by.iter().sum();
        if total <= 0.0 {
            return Served {
                ok: 0.0,
                region: Some(self.region),
            };
        }
        let mut ok = 0.0;
        for (k, &t) in self.targets.iter().enumerate() {
            let (rho, c) = (by[k], self.seen[k]);
            if rho > 0.0 {
                // Capacity above what is registered gets no requests.
                let reached = if c > rho { rho / c } else { 1.0 };
                ok += rho / total * route.next(t).ok * reached;
            }
        }
        Served {
            ok: ok.clamp(0.0, 1.0),
            region: Some(self.region),
        }
    }
}
