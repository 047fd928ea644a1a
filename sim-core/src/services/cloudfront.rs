//! CloudFront: per-request origin-group failover, the edge cache while the origin is down, and deploys.
//!
//! **Failover (C19; CloudFront Developer Guide, "Optimize high availability with CloudFront origin
//! failover" and "Request and response behavior for origin groups").** A cache miss goes to the primary
//! origin. If CloudFront cannot connect, it tries `connection_attempts` times, each waiting
//! `connection_timeout`; if the origin does not answer within `response_timeout`, it tries again, up to
//! `connection_attempts` times; then the request goes to the secondary. If the primary answers with a
//! status in `failover_status_codes`, the request goes to the secondary at once; any other error status is
//! returned to the client (a timeout without a secondary is a 504). The secondary's answer, good or bad,
//! is final. Only GET, HEAD and OPTIONS fail over: a write (POST, PUT, …) gets the primary's answer.
//!
//! **Time.** Every stall counts against the client's timeout (the route's budget): a request that fails
//! over after 3 × 10 s reaches the secondary with 30 s less to go, and fails if the client waits less.
//!
//! **Edge cache.** Reads hit the cache at `hit_ratio` (writes never do). While CloudFront has no origin
//! to fetch from — the primary does not answer well within `response_timeout` (or answers an error
//! status) and there is no secondary that does — cached objects expire at uniformly spread times over the
//! cache TTL and are not refreshed, so the cached share drains linearly from the hit ratio to zero in one
//! TTL. (While a secondary serves, misses are fetched from it and cached again: no drain.) The distribution records that drain as a staircase of
//! [`DRAIN_STEPS`] equal steps, asking for one wake-up per step: each step holds the drain's mean over
//! the step, so the integral over every whole step is exact, the value at any instant is within
//! `hit_ratio / (2 × DRAIN_STEPS)` of the line, and any window's mean within
//! `hit_ratio × TTL / (4 × DRAIN_STEPS² × window)` of it.

use serde::{Deserialize, Serialize};

use crate::engine::rng::Stream;
use crate::engine::time::SimDuration;
use crate::engine::time::SimTime;
use crate::model::action::ActionError;
use crate::model::component::{Begun, Component, ComponentAction, Route, Seen, Served, Watch};
use crate::model::ctx::{Ctx, Phase};
use crate::model::place::Catalog;
use crate::model::place::RegionId;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Forward, Placement, Reference, Service};
use crate::model::stream_name::StreamName;
use crate::services::checks::{ConfigError, Errors};
use crate::services::control_plane::global_edits_blocked;
use crate::services::pricing::{Bill, GLOBAL};
use crate::spec::resources::cloudfront::CloudFrontConfig;
use crate::spec::{FlowConfig, FlowKind, Scenario};

/// Status codes an origin group may fail over on (C19).
const FAILOVER_CODES_ALLOWED: [u16; 8] = [400, 403, 404, 416, 500, 502, 503, 504];

/// The status a degraded origin's failing requests answer with (assumption: an overloaded or partly
/// broken origin answers 503 Service Unavailable).
const DEGRADED_STATUS: u16 = 503;

/// The steps of the recorded edge-cache drain over one TTL (see the module documentation for the error
/// this leaves).
pub const DRAIN_STEPS: u64 = 32;

/// How an origin behaves right now, in the simple cases the unit tests name.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum OriginState {
    /// Answers every request, in time.
    Healthy,
    /// Connections fail or time out (its Region or AZ is down). Assumption: every attempt waits the full
    /// connection timeout, as when packets are dropped, rather than being refused at once.
    Unreachable,
    /// Answers every request with this HTTP status (e.g. the Unishop lab's 403 from a broken bucket policy).
    Status(u16),
    /// This fraction of requests succeed (clamped to `[0, 1]`); the rest answer 503.
    Degraded(f64),
    /// Answers every request, but only after the response timeout.
    Slow,
}

/// What one origin does with the requests CloudFront sends it, as shares of them. What is not in one of
/// these shares fails for good: an error status not listed for failover, or an answer after the client
/// gave up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OriginAnswer {
    /// Answered well, in time for CloudFront and the client.
    pub ok: f64,
    /// Answered with a status in `failover_status_codes`: retried on the secondary at once.
    pub fail_over: f64,
    /// No connection: every attempt waits `connection_timeout`, then the secondary.
    pub unreachable: f64,
    /// No answer within `response_timeout`: every attempt waits it, then the secondary.
    pub timed_out: f64,
}

impl OriginAnswer {
    /// Every request fails for good.
    pub const FAILED: OriginAnswer = OriginAnswer {
        ok: 0.0,
        fail_over: 0.0,
        unreachable: 0.0,
        timed_out: 0.0,
    };
}

impl CloudFrontConfig {
    /// Checks every field against what CloudFront accepts; reports all problems.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        errors.check(
            (1..=2).contains(&self.origins.len()),
            "cloudfront.origins",
            format!("{} origins", self.origins.len()),
            "1 origin, or 2 (primary, secondary) for an origin group",
        );
        for &code in &self.failover_status_codes {
            errors.check(
                FAILOVER_CODES_ALLOWED.contains(&code),
                "cloudfront.failover_status_codes",
                code,
                "one of 400, 403, 404, 416, 500, 502, 503, 504",
            );
        }
        let secs = |d: SimDuration| d >= SimDuration::from_secs(1);
        errors.check(
            secs(self.connection_timeout) && self.connection_timeout <= SimDuration::from_secs(10),
            "cloudfront.connection_timeout",
            self.connection_timeout,
            "1s..=10s",
        );
        errors.check(
            (1..=3).contains(&self.connection_attempts),
            "cloudfront.connection_attempts",
            self.connection_attempts,
            "1..=3",
        );
        errors.check(
            secs(self.response_timeout) && self.response_timeout <= SimDuration::from_secs(180),
            "cloudfront.response_timeout",
            self.response_timeout,
            "1s..=180s",
        );
        if let Some(cache) = &self.cache {
            errors.check(
                (0.0..=1.0).contains(&cache.hit_ratio),
                "cloudfront.cache.hit_ratio",
                cache.hit_ratio,
                "0..=1",
            );
        }
        errors.dist("cloudfront.deploy", &self.deploy, false);
        errors.finish()
    }

    /// Time one request wastes on an unreachable origin: `connection_timeout × connection_attempts`.
    pub fn connect_give_up(&self) -> SimDuration {
        self.connection_timeout
            .saturating_mul(u64::from(self.connection_attempts))
    }

    /// Time one request wastes on an origin that does not answer in time:
    /// `response_timeout × connection_attempts` (the attempts count applies to response timeouts too).
    pub fn response_give_up(&self) -> SimDuration {
        self.response_timeout
            .saturating_mul(u64::from(self.connection_attempts))
    }

    /// The answer of an origin in one of the simple states.
    pub fn answer(&self, state: OriginState) -> OriginAnswer {
        let listed = |code: u16| self.failover_status_codes.contains(&code);
        match state {
            OriginState::Healthy => OriginAnswer {
                ok: 1.0,
                ..OriginAnswer::FAILED
            },
            OriginState::Unreachable => OriginAnswer {
                unreachable: 1.0,
                ..OriginAnswer::FAILED
            },
            OriginState::Status(code) => OriginAnswer {
                fail_over: if listed(code) { 1.0 } else { 0.0 },
                ..OriginAnswer::FAILED
            },
            OriginState::Degraded(ok) => {
                let ok = if ok.is_nan() { 0.0 } else { ok.clamp(0.0, 1.0) };
                OriginAnswer {
                    ok,
                    fail_over: if listed(DEGRADED_STATUS) {
                        1.0 - ok
                    } else {
                        0.0
                    },
                    ..OriginAnswer::FAILED
                }
            }
            OriginState::Slow => OriginAnswer {
                timed_out: 1.0,
                ..OriginAnswer::FAILED
            },
        }
    }

    /// The share of requests that succeed, from the primary's answer and `secondary(stall)`: the
    /// secondary's success for requests that reach it after `stall`. With one origin, or for writes
    /// (`writes`: only GET, HEAD and OPTIONS fail over), the primary's answer is final. Cache hits are not
    /// counted here: see [`cached_share`](Self::cached_share).
    pub fn request_success(
        &self,
        primary: OriginAnswer,
        secondary: &mut dyn FnMut(SimDuration) -> f64,
        writes: bool,
    ) -> f64 {
        if self.origins.len() < 2 || writes {
            return primary.ok.clamp(0.0, 1.0);
        }
        let mut success = primary.ok;
        for (share, stall) in [
            (primary.fail_over, SimDuration::ZERO),
            (primary.unreachable, self.connect_give_up()),
            (primary.timed_out, self.response_give_up()),
        ] {
            if share > 0.0 {
                success += share * secondary(stall);
            }
        }
        success.clamp(0.0, 1.0)
    }

    /// Share of all requests still served from the edge cache after the origin has been down for
    /// `origin_down_for`: cached objects expire uniformly over the TTL, so the hit ratio falls linearly to
    /// zero at one TTL. Zero without a cache.
    pub fn cached_share(&self, origin_down_for: SimDuration) -> f64 {
        let Some(cache) = &self.cache else {
            return 0.0;
        };
        let hit = if cache.hit_ratio.is_nan() {
            0.0
        } else {
            cache.hit_ratio.clamp(0.0, 1.0)
        };
        if origin_down_for >= cache.ttl {
            return 0.0;
        }
        let fresh = 1.0 - origin_down_for.as_micros() as f64 / cache.ttl.as_micros() as f64;
        hit * fresh
    }

    /// The length of one recorded step of the cache drain (zero without a cache).
    pub fn drain_step(&self) -> SimDuration {
        self.cache.as_ref().map_or(SimDuration::ZERO, |c| {
            SimDuration::from_micros(c.ttl.as_micros() / DRAIN_STEPS)
        })
    }

    /// The cached share as recorded after the origin has been down for `origin_down_for`: the drain's mean
    /// over the step that instant falls in ([`DRAIN_STEPS`] steps over the TTL), zero after the last.
    pub fn cached_step(&self, origin_down_for: SimDuration) -> f64 {
        let step = self.drain_step().as_micros();
        if step == 0 {
            return 0.0;
        }
        let i = origin_down_for.as_micros() / step;
        if i >= DRAIN_STEPS {
            return 0.0;
        }
        self.cached_share(SimDuration::from_micros(i * step + step / 2))
    }

    /// How long a config change (e.g. repointing an origin) takes to deploy to the edge.
    pub fn deploy_time(&self, rng: &mut Stream) -> SimDuration {
        self.deploy.sample(rng)
    }
}

impl Service for CloudFrontConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate().map_err(|e| cx.invalid(&e))?;
        Ok(Runtime::Component(Box::new(Distribution {
            name: cx.name,
            cfg: self,
            origins: self
                .origins
                .iter()
                .map(|o| cx.index_of(o, "origin"))
                .collect::<Result<_, _>>()?,
            primary: 0,
            bad_since: None,
            drain: 0,
            seen: None,
            rng: StreamName::resource(cx.name).stream(cx.streams),
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Global
    }

    fn references(&self) -> Vec<Reference<'_>> {
        self.origins
            .iter()
            .map(|o| Reference::routing(o, "origin"))
            .collect()
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
        let mut bill = Bill::new(book, name, "CloudFront");
        let requests = bill.requests_per_month();
        let per_10k = bill.price("flows", "cloudfront", GLOBAL, "10k-requests");
        let what = format!("{:.1} M requests", requests / 1e6);
        bill.add_used(requests, what, requests / 1e4 * per_10k);
        let gb = requests * bill.assume("cloudfront-kb-per-request") / 1e6;
        let out = bill.price("flows", "cloudfront", GLOBAL, "gb-out");
        bill.add_used(gb, format!("{gb:.0} GB out"), gb * out);
    }

    fn forward(&self, flow: &FlowConfig, _scenario: &Scenario) -> Forward<'_> {
        // Writes are never cache hits.
        let hit = match flow.kind {
            FlowKind::Write => 0.0,
            FlowKind::Read => self
                .cache
                .as_ref()
                .map_or(0.0, |c| c.hit_ratio.clamp(0.0, 1.0)),
        };
        match self.origins.first() {
            Some(origin) => Forward::To(vec![(origin.as_str(), 1.0 - hit)]),
            None => Forward::To(Vec::new()),
        }
    }
}

/// A distribution at run time: its origins, which is primary, and since when it has had no origin to fetch
/// from (the edge cache drains from then).
pub struct Distribution<'s> {
    name: &'s str,
    cfg: &'s CloudFrontConfig,
    origins: Vec<u16>,
    primary: usize,
    bad_since: Option<SimTime>,
    /// Counts bad spells: the token of the drain's wake-ups, so those of an earlier spell do nothing.
    drain: u32,
    /// What the last observation said of the origins (primary good, secondary good), for narration.
    seen: Option<(bool, bool)>,
    rng: Stream,
}

impl Distribution<'_> {
    /// What origin `origin` does with requests that reach it after `spent` of the client's budget, and
    /// the Region serving it.
    fn origin_answer(
        &self,
        origin: Option<u16>,
        spent: SimDuration,
        route: &mut dyn Route,
    ) -> (OriginAnswer, Option<RegionId>) {
        let Some(o) = origin else {
            return (self.cfg.answer(OriginState::Unreachable), None);
        };
        if let Some(code) = route.health().status(o) {
            return (self.cfg.answer(OriginState::Status(code)), None);
        }
        let budget = route.budget();
        if spent >= budget {
            return (OriginAnswer::FAILED, None);
        }
        let left = budget.saturating_sub(spent);
        let timeout = self.cfg.response_timeout;
        // Whether it answers at all, within CloudFront's response timeout, and in time for the client.
        let eventually = route.next_with(o, SimDuration::MAX);
        if eventually.ok <= 0.0 {
            return (self.cfg.answer(OriginState::Unreachable), eventually.region);
        }
        let within = route.next_with(o, timeout).ok;
        let in_time = route.next_with(o, timeout.min(left)).ok;
        let errors = self
            .cfg
            .answer(OriginState::Degraded(eventually.ok))
            .fail_over;
        let answer = OriginAnswer {
            ok: in_time,
            fail_over: errors,
            unreachable: 0.0,
            timed_out: (eventually.ok - within).max(0.0),
        };
        (answer, eventually.region)
    }
}

impl Distribution<'_> {
    /// Logs what clients see when the origins' state changes: the primary failing and requests failing
    /// over (how, and what each costs), no origin answering, the primary answering again. The first
    /// observation only sets the state.
    fn narrate(&mut self, cx: &mut Ctx<'_>, now: (bool, bool)) {
        let before = self.seen.replace(now);
        let Some(before) = before.filter(|&b| b != now) else {
            return;
        };
        let name = |k: usize| self.cfg.origins.get(k).map_or("?", String::as_str);
        let primary = self.primary.min(self.origins.len().saturating_sub(1));
        let (p, s) = (name(primary), name(1 - primary.min(1)));
        let group = self.origins.len() > 1;
        let status = self.origins.get(primary).and_then(|&o| cx.health.status(o));
        let why = match status {
            Some(code) => format!("answers HTTP {code}"),
            None => "does not answer".to_string(),
        };
        let text = match (now, before) {
            ((true, _), (false, _)) => {
                format!("primary origin {p} answers again: requests go to it")
            }
            ((false, true), _) if group => match status {
                Some(code) if self.cfg.failover_status_codes.contains(&code) => format!(
                    "primary origin {p} {why}: requests fail over to {s} at once ({code} is a failover status)"
                ),
                Some(code) => format!(
                    "primary origin {p} {why}, not a failover status: clients get the {code}"
                ),
                None => format!(
                    "primary origin {p} {why}: each cache miss fails over to {s} after {} of connection attempts ({} × {})",
                    self.cfg.connect_give_up().human(),
                    self.cfg.connection_attempts,
                    self.cfg.connection_timeout.human()
                ),
            },
            ((false, false), _) => {
                let cache = self.cfg.cache.as_ref().map_or(String::new(), |c| {
                    format!(
                        "; cached objects are served until they expire (TTL {})",
                        c.ttl.human()
                    )
                });
                if group {
                    format!("neither origin answers ({p} {why}, {s} too){cache}")
                } else {
                    format!("origin {p} {why}{cache}")
                }
            }
            _ => return,
        };
        let distribution = self.name;
        cx.log(distribution, Phase::Info, || {
            format!("CloudFront {distribution}: {text}")
        });
    }
}

impl Component for Distribution<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        let writes = route.writes();
        let (p, pr) = self.origin_answer(
            self.origins.get(self.primary).copied(),
            SimDuration::ZERO,
            route,
        );
        let secondary = self.origins.get(1 - self.primary.min(1)).copied();
        let mut sr = None;
        let mut second = |stall: SimDuration| {
            let (answer, region) = self.origin_answer(secondary, stall, route);
            sr = sr.or(region);
            answer.ok
        };
        let success = self.cfg.request_success(p, &mut second, writes);
        let cached = match (self.bad_since, writes) {
            (Some(since), false) => self.cfg.cached_step(route.now().saturating_since(since)),
            _ => 0.0,
        };
        let served_by = if p.ok >= 0.999_999 { pr } else { sr.or(pr) };
        Served {
            ok: cached + (1.0 - cached) * success,
            region: served_by,
        }
    }

    fn observes(&self) -> Option<Watch> {
        Some(Watch::Targets {
            timeout: self.cfg.response_timeout,
        })
    }

    fn targets(&self) -> &[u16] {
        &self.origins
    }

    fn see(&mut self, cx: &mut Ctx<'_>, seen: Seen) {
        let Seen::Levels(levels) = seen else { return };
        let good = |k: usize| levels.get(k).is_some_and(|&l| l >= 0.999_999);
        let secondary = 1 - self.primary.min(1);
        let fetches = good(self.primary) || (self.origins.len() > 1 && good(secondary));
        self.narrate(cx, (good(self.primary), good(secondary)));
        match (self.bad_since, fetches) {
            (None, false) => {
                self.bad_since = Some(cx.now);
                self.drain = self.drain.wrapping_add(1);
                let step = self.cfg.drain_step();
                if !step.is_zero() {
                    cx.wake_in(step, self.drain);
                }
            }
            (Some(_), true) => self.bad_since = None,
            _ => {}
        }
    }

    fn on_wake(&mut self, cx: &mut Ctx<'_>, token: u32) -> bool {
        // The next step of the cache drain, while the same bad spell lasts.
        if let Some(since) = self.bad_since.filter(|_| token == self.drain) {
            let step = self.cfg.drain_step();
            let next = since
                + step.saturating_mul(
                    cx.now.saturating_since(since).as_micros() / step.as_micros().max(1) + 1,
                );
            if next.saturating_since(since) <= step.saturating_mul(DRAIN_STEPS) {
                cx.wake_at(next, token);
            }
        }
        false
    }

    fn begin(
        &mut self,
        cx: &mut Ctx<'_>,
        action: ComponentAction<'_>,
    ) -> Result<Begun, ActionError> {
        let ComponentAction::UpdateCloudFront { primary, name } = action else {
            return Err(ActionError::Unsupported(
                "not an action of a distribution".into(),
            ));
        };
        if let Some(r) = global_edits_blocked(cx) {
            return Err(ActionError::ControlPlaneDown(r));
        }
        let Some(o) = primary else {
            return Err(ActionError::NotApplicable(format!("no origin {name:?}")));
        };
        let Some(k) = self.origins.iter().position(|&x| x == o) else {
            return Err(ActionError::NotApplicable(format!(
                "no origin of the distribution {name:?}"
            )));
        };
        let took = self.cfg.deploy_time(&mut self.rng);
        let distribution = self.name;
        cx.log(distribution, Phase::Propagation, || {
            format!(
                "CloudFront {distribution} deploys with {name} as primary origin (takes {})",
                took.human()
            )
        });
        Ok(Begun::After {
            delay: took,
            token: k as u32,
        })
    }

    fn complete(&mut self, _cx: &mut Ctx<'_>, token: u32) {
        self.primary = token as usize;
    }
}

#[cfg(test)]
// The shares compared here are exact small values (0, 1, a step's value): exact comparison is intended.
#[allow(clippy::float_cmp)]
#[path = "cloudfront_tests.rs"]
mod tests;
