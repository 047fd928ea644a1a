//! CloudFront: per-request origin-group failover, the edge cache while the origin is down, and deploys.
//!
//! **Failover (C19).** A request goes to the primary origin. If CloudFront cannot connect, it tries
//! `connection_attempts` times, each waiting `connection_timeout`, then sends the request to the secondary.
//! If the primary answers with a status in `failover_status_codes`, the request goes to the secondary at
//! once; any other error status is returned to the client. The secondary's answer, good or bad, is final.

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
use crate::spec::{FlowConfig, Scenario};

/// Status codes an origin group may fail over on (C19).
const FAILOVER_CODES_ALLOWED: [u16; 8] = [400, 403, 404, 416, 500, 502, 503, 504];

/// The status a degraded origin's failing requests answer with (assumption: an overloaded or partly
/// broken origin answers 503 Service Unavailable).
const DEGRADED_STATUS: u16 = 503;

/// How an origin behaves right now.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum OriginState {
    /// Answers every request.
    Healthy,
    /// Connections fail or time out (its Region or AZ is down). Assumption: every attempt waits the full
    /// connection timeout, as when packets are dropped, rather than being refused at once.
    Unreachable,
    /// Answers every request with this HTTP status (e.g. the Unishop lab's 403 from a broken bucket policy).
    Status(u16),
    /// This fraction of requests succeed (clamped to `[0, 1]`); the rest answer 503.
    Degraded(f64),
}

/// What clients see of one request path, averaged over requests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// Fraction of requests that succeed, in `[0, 1]`.
    pub success: f64,
    /// Mean latency the failover adds per request (connection timeouts waited before going to the
    /// secondary, or before giving up), over all requests.
    pub added_latency: SimDuration,
}

/// One origin's answer split into shares: succeeded, failed over (immediately), and failed to connect.
struct Split {
    ok: f64,
    fail_over: f64,
    unreachable: f64,
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

    fn split(&self, origin: OriginState) -> Split {
        let fails_over = |code: u16| self.failover_status_codes.contains(&code);
        match origin {
            OriginState::Healthy => Split {
                ok: 1.0,
                fail_over: 0.0,
                unreachable: 0.0,
            },
            OriginState::Unreachable => Split {
                ok: 0.0,
                fail_over: 0.0,
                unreachable: 1.0,
            },
            OriginState::Status(code) => Split {
                ok: 0.0,
                fail_over: if fails_over(code) { 1.0 } else { 0.0 },
                unreachable: 0.0,
            },
            OriginState::Degraded(ok) => {
                let ok = if ok.is_nan() { 0.0 } else { ok.clamp(0.0, 1.0) };
                Split {
                    ok,
                    fail_over: if fails_over(DEGRADED_STATUS) {
                        1.0 - ok
                    } else {
                        0.0
                    },
                    unreachable: 0.0,
                }
            }
        }
    }

    /// Per-request outcome with the primary and secondary origins in these states (with a single origin,
    /// `secondary` is ignored and a request the primary fails is a failure). Cache hits are not counted
    /// here: see [`cached_share`](Self::cached_share).
    pub fn request_outcome(&self, primary: OriginState, secondary: OriginState) -> Outcome {
        let give_up = self.connect_give_up().as_secs_f64();
        let first = self.split(primary);
        if self.origins.len() < 2 {
            return Outcome {
                success: first.ok,
                added_latency: SimDuration::from_secs_f64(first.unreachable * give_up),
            };
        }
        let second = self.split(secondary);
        // Requests that reach the secondary: immediate failovers plus connection give-ups.
        let moved = first.fail_over + first.unreachable;
        let success = (first.ok + moved * second.ok).clamp(0.0, 1.0);
        let added_s = first.unreachable * give_up + moved * second.unreachable * give_up;
        Outcome {
            success,
            added_latency: SimDuration::from_secs_f64(added_s),
        }
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

    fn forward(&self, _flow: &FlowConfig, _scenario: &Scenario) -> Forward<'_> {
        let hit = self
            .cache
            .as_ref()
            .map_or(0.0, |c| c.hit_ratio.clamp(0.0, 1.0));
        match self.origins.first() {
            Some(origin) => Forward::To(vec![(origin.as_str(), 1.0 - hit)]),
            None => Forward::To(Vec::new()),
        }
    }
}

/// A distribution at run time: its origins, which is primary, and since when the primary has been bad
/// (the edge cache drains from then).
pub struct Distribution<'s> {
    name: &'s str,
    cfg: &'s CloudFrontConfig,
    origins: Vec<u16>,
    primary: usize,
    bad_since: Option<SimTime>,
    rng: Stream,
}

impl Distribution<'_> {
    /// How origin `origin` answers now, and the Region serving it.
    fn origin_state(origin: Option<u16>, route: &mut dyn Route) -> (OriginState, Option<RegionId>) {
        let Some(o) = origin else {
            return (OriginState::Unreachable, None);
        };
        if let Some(code) = route.health().status(o) {
            return (OriginState::Status(code), None);
        }
        let served = route.next(o);
        let state = if served.ok >= 0.999_999 {
            OriginState::Healthy
        } else if served.ok <= 0.0 {
            OriginState::Unreachable
        } else {
            OriginState::Degraded(served.ok)
        };
        (state, served.region)
    }
}

impl Component for Distribution<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        let (p, pr) = Self::origin_state(self.origins.get(self.primary).copied(), route);
        let secondary = self.origins.get(1 - self.primary.min(1)).copied();
        let (s, sr) = Self::origin_state(secondary, route);
        let outcome = self.cfg.request_outcome(p, s);
        let now = route.now();
        let cached = self.bad_since.map_or(0.0, |since| {
            self.cfg.cached_share(now.saturating_since(since))
        });
        let served_by = if matches!(p, OriginState::Healthy) {
            pr
        } else {
            sr.or(pr)
        };
        Served {
            ok: cached + (1.0 - cached) * outcome.success,
            region: served_by,
        }
    }

    fn observes(&self) -> Option<Watch> {
        self.origins.get(self.primary).map(|&node| Watch::Node {
            node,
            min_ok: 0.999_999,
            error_status_fails: true,
        })
    }

    fn see(&mut self, cx: &mut Ctx<'_>, seen: Seen) {
        let Seen::Good(good) = seen else { return };
        self.bad_since = match (self.bad_since, !good) {
            (None, true) => Some(cx.now),
            (since, true) => since,
            (_, false) => None,
        };
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
                "CloudFront {distribution} deploys with {name} as primary origin (takes {took})"
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
mod tests {
    use proptest::prelude::*;

    use super::*;

    use crate::engine::time::SimDuration;

    use crate::spec::*;

    use crate::services::testing::{cases, messages, rng};

    fn group() -> CloudFrontConfig {
        CloudFrontConfig::new(&["ui-east", "ui-west"])
    }

    #[test]
    fn unreachable_primary_costs_each_request_three_times_ten_seconds() {
        let out = group().request_outcome(OriginState::Unreachable, OriginState::Healthy);
        assert_eq!(
            out,
            Outcome {
                success: 1.0,
                added_latency: SimDuration::from_secs(30)
            }
        );
        let quick = CloudFrontConfig {
            connection_timeout: SimDuration::from_secs(2),
            connection_attempts: 1,
            ..group()
        };
        let out = quick.request_outcome(OriginState::Unreachable, OriginState::Healthy);
        assert_eq!(out.added_latency, SimDuration::from_secs(2));
        let both = group().request_outcome(OriginState::Unreachable, OriginState::Unreachable);
        assert_eq!(
            both,
            Outcome {
                success: 0.0,
                added_latency: SimDuration::from_secs(60)
            }
        );
    }

    #[test]
    fn status_403_fails_over_only_when_listed() {
        let listed = CloudFrontConfig {
            failover_status_codes: vec![403, 500, 502, 503, 504],
            ..group()
        };
        let out = listed.request_outcome(OriginState::Status(403), OriginState::Healthy);
        assert_eq!(
            out,
            Outcome {
                success: 1.0,
                added_latency: SimDuration::ZERO
            }
        );
        let out = group().request_outcome(OriginState::Status(403), OriginState::Healthy);
        assert_eq!(
            out,
            Outcome {
                success: 0.0,
                added_latency: SimDuration::ZERO
            }
        );
    }

    #[test]
    fn degraded_primary_sends_its_failures_to_the_secondary() {
        let out = group().request_outcome(OriginState::Degraded(0.9), OriginState::Healthy);
        assert!((out.success - 1.0).abs() < 1e-12);
        let no_5xx = CloudFrontConfig {
            failover_status_codes: vec![404],
            ..group()
        };
        let out = no_5xx.request_outcome(OriginState::Degraded(0.9), OriginState::Healthy);
        assert!((out.success - 0.9).abs() < 1e-12);
        let single = CloudFrontConfig::new(&["only"]);
        let out = single.request_outcome(OriginState::Unreachable, OriginState::Healthy);
        assert_eq!(
            out,
            Outcome {
                success: 0.0,
                added_latency: SimDuration::from_secs(30)
            }
        );
    }

    #[test]
    fn cache_drains_linearly_over_its_ttl() {
        let cdn = CloudFrontConfig {
            cache: Some(CacheConfig {
                hit_ratio: 0.8,
                ttl: SimDuration::from_mins(10),
            }),
            ..group()
        };
        assert!((cdn.cached_share(SimDuration::ZERO) - 0.8).abs() < 1e-12);
        assert!((cdn.cached_share(SimDuration::from_mins(5)) - 0.4).abs() < 1e-12);
        assert!(cdn.cached_share(SimDuration::from_mins(10)) <= 0.0);
        assert!(group().cached_share(SimDuration::ZERO) <= 0.0);
    }

    #[test]
    fn validation_names_field_and_range() {
        let bad = CloudFrontConfig {
            failover_status_codes: vec![500, 418],
            connection_timeout: SimDuration::from_secs(11),
            connection_attempts: 4,
            cache: Some(CacheConfig {
                hit_ratio: 1.5,
                ttl: SimDuration::from_mins(1),
            }),
            ..group()
        };
        let text = messages(bad.validate());
        assert_eq!(
            text,
            [
                "cloudfront.failover_status_codes is 418, but must be one of 400, 403, 404, 416, 500, 502, 503, 504",
                "cloudfront.connection_timeout is 11s, but must be 1s..=10s",
                "cloudfront.connection_attempts is 4, but must be 1..=3",
                "cloudfront.cache.hit_ratio is 1.5, but must be 0..=1",
            ]
        );
        assert_eq!(group().validate(), Ok(()));
    }

    #[test]
    fn deploy_takes_about_ten_minutes() {
        let cdn = group();
        let mut r = rng(3);
        let mut xs: Vec<SimDuration> = (0..2_001).map(|_| cdn.deploy_time(&mut r)).collect();
        xs.sort_unstable();
        let median = xs[1_000].as_secs_f64() / 60.0;
        assert!((9.0..11.0).contains(&median), "median {median} min");
    }

    fn state() -> impl Strategy<Value = OriginState> {
        prop_oneof![
            Just(OriginState::Healthy),
            Just(OriginState::Unreachable),
            prop::sample::select(vec![400u16, 403, 404, 416, 418, 500, 502, 503, 504])
                .prop_map(OriginState::Status),
            (-0.5f64..1.5).prop_map(OriginState::Degraded),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(256)))]

        /// Success is a probability; a healthy primary always means full success with no added latency;
        /// latency never exceeds two origins' worth of connection give-ups.
        #[test]
        fn outcomes_are_probabilities(p in state(), s in state(), codes in prop::collection::vec(prop::sample::select(FAILOVER_CODES_ALLOWED.to_vec()), 0..8), down_s in 0u64..2000) {
            let cdn = CloudFrontConfig {
                failover_status_codes: codes,
                cache: Some(CacheConfig { hit_ratio: 0.5, ttl: SimDuration::from_secs(600) }),
                ..group()
            };
            let out = cdn.request_outcome(p, s);
            prop_assert!((0.0..=1.0).contains(&out.success));
            prop_assert!(out.added_latency <= SimDuration::from_secs(60));
            let healthy = cdn.request_outcome(OriginState::Healthy, s);
            prop_assert_eq!(healthy, Outcome { success: 1.0, added_latency: SimDuration::ZERO });
            prop_assert!((0.0..=1.0).contains(&cdn.cached_share(SimDuration::from_secs(down_s))));
        }
    }
}
