//! Route 53 health checks (C17): checker quorum, interval and threshold.
//!
//! **Health checks (C17).** `checkers` health checkers probe the endpoint every `interval`, each at its own
//! uniformly random phase (they do not coordinate). A checker changes its verdict after `failure_threshold`
//! consecutive probes that disagree with it, in either direction: the Route 53 guide defines the threshold
//! as the number of consecutive checks an endpoint "must pass or fail" to change status. Route 53 calls
//! the endpoint healthy while **more than 18 %** of checkers report healthy.
//!
//! **Probe timeouts (C17).** An HTTP check must connect within 4 s and get a 2xx or 3xx status within
//! 2 s after connecting. Endpoints accept connections at once here (a dead one refuses or drops them and
//! fails at probe time), so what a probe waits for is the answer: an endpoint whose requests take
//! [`RESPONSE_TIMEOUT`] or more (a gray failure's latency, CloudFront's stall before failing over) fails
//! the check although it would answer later.
//!

use crate::engine::rng::Stream;
use crate::engine::time::SimDuration;
use crate::model::component::{Component, Seen, Watch};
use crate::model::ctx::{Ctx, Phase};
use crate::model::place::Catalog;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Placement, Reference, Service};
use crate::model::stream_name::StreamName;
use crate::services::checks::{ConfigError, Errors};
use crate::services::pricing::{Bill, GLOBAL};
use crate::services::probes::consecutive_probes;
use crate::services::verdict::Verdict;
use crate::spec::resources::health_check::HealthCheckConfig;

/// How long a Route 53 HTTP check waits for the status after connecting (C17).
pub const RESPONSE_TIMEOUT: SimDuration = SimDuration::from_secs(2);

/// Route 53's published quorum: the endpoint is healthy while more than this percentage of checkers say so.
const HEALTHY_ABOVE_PERCENT: u32 = 18;

impl HealthCheckConfig {
    /// Checks every field against what Route 53 accepts; reports all problems.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        let interval_s = self.interval.as_micros();
        errors.check(
            interval_s == 10_000_000 || interval_s == 30_000_000,
            "health_check.interval",
            self.interval,
            "10s or 30s",
        );
        errors.check(
            (1..=10).contains(&self.failure_threshold),
            "health_check.failure_threshold",
            self.failure_threshold,
            "1..=10",
        );
        errors.check(
            (1..=256).contains(&self.checkers),
            "health_check.checkers",
            self.checkers,
            "1..=256",
        );
        errors.finish()
    }

    /// The most checkers that can report healthy while Route 53 still calls the endpoint unhealthy.
    fn healthy_max(&self) -> usize {
        (self.checkers.max(1) * HEALTHY_ABOVE_PERCENT / 100) as usize
    }

    /// Each checker's time to flip its verdict after the endpoint changes, sorted.
    fn flip_times(&self, rng: &mut Stream) -> Vec<SimDuration> {
        let mut flips: Vec<SimDuration> = (0..self.checkers.max(1))
            .map(|_| consecutive_probes(self.interval, self.failure_threshold, rng))
            .collect();
        flips.sort_unstable();
        flips
    }

    /// Time from the endpoint starting to fail until Route 53's verdict turns unhealthy, assuming every
    /// checker saw it healthy before. With 30 s and threshold 3 this is in `[60 s, 90 s)`.
    pub fn time_to_unhealthy(&self, rng: &mut Stream) -> SimDuration {
        let flips = self.flip_times(rng);
        // Unhealthy once at most `healthy_max` checkers still say healthy.
        flips[flips.len() - 1 - self.healthy_max()]
    }

    /// Time from the endpoint recovering until Route 53's verdict turns healthy, assuming every checker saw
    /// it unhealthy before: `failure_threshold` consecutive passes per checker, then the 18 % quorum.
    pub fn time_to_healthy(&self, rng: &mut Stream) -> SimDuration {
        let flips = self.flip_times(rng);
        flips[self.healthy_max()]
    }
}

impl Service for HealthCheckConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate().map_err(|e| cx.invalid(&e))?;
        Ok(Runtime::Component(Box::new(HealthCheck {
            name: cx.name,
            cfg: self,
            target: cx.index_of(&self.target, "endpoint")?,
            verdict: Verdict::new(),
            rng: StreamName::resource(cx.name).stream(cx.streams),
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Global
    }

    fn references(&self) -> Vec<Reference<'_>> {
        vec![Reference::dependency(&self.target, "endpoint")]
    }

    fn check(&self, _name: &str, _catalog: &Catalog) -> Vec<String> {
        self.validate()
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn price(&self, name: &str, _home: &str, book: &mut dyn PriceBook) {
        let mut bill = Bill::new(book, name, "HealthCheck");
        let mut monthly = bill.price("target", "route53", GLOBAL, "health-check-month");
        if self.interval <= SimDuration::from_secs(10) {
            monthly += bill.price("interval", "route53", GLOBAL, "fast-interval-month");
        }
        bill.add(format!("health check every {}", self.interval), monthly);
    }
}

/// A health check at run time: what it probes and its verdict.
pub struct HealthCheck<'s> {
    name: &'s str,
    cfg: &'s HealthCheckConfig,
    target: u16,
    verdict: Verdict,
    rng: Stream,
}

impl Component for HealthCheck<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn monitors(&self) -> Option<Watch> {
        Some(Watch::Probe {
            node: self.target,
            min_ok: 0.5,
            timeout: RESPONSE_TIMEOUT,
        })
    }

    fn see(&mut self, cx: &mut Ctx<'_>, seen: Seen) {
        let Seen::Good(good) = seen else { return };
        let (cfg, rng) = (self.cfg, &mut self.rng);
        let timer = self.verdict.see(good, || {
            if good {
                cfg.time_to_healthy(rng)
            } else {
                cfg.time_to_unhealthy(rng)
            }
        });
        if let Some((delay, generation)) = timer {
            cx.wake_in(delay, generation);
        }
    }

    fn on_wake(&mut self, cx: &mut Ctx<'_>, token: u32) -> bool {
        let Some(went_bad) = self.verdict.fire(token) else {
            return false;
        };
        let (name, threshold) = (self.name, self.cfg.failure_threshold);
        let (target, every) = (&self.cfg.target, self.cfg.interval.human());
        cx.log(name, Phase::Detection, || {
            if went_bad {
                format!(
                    "Route 53 health check {name} fails {threshold}/{threshold} → unhealthy: \
                     {threshold} probes of {target} in a row (every {every}) got no answer in time or an error status"
                )
            } else {
                format!(
                    "Route 53 health check {name} passes again → healthy: probes of {target} succeed"
                )
            }
        });
        went_bad
    }

    fn verdict(&self) -> Option<bool> {
        Some(self.verdict.good)
    }
}
