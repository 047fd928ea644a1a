//! Unit tests of `services/cloudfront.rs`.

use proptest::prelude::*;

use super::*;

use crate::engine::time::SimDuration;

use crate::spec::*;

use crate::services::testing::{cases, messages, rng};

fn group() -> CloudFrontConfig {
    CloudFrontConfig::new(&["ui-east", "ui-west"])
}

/// The request success with the secondary in `secondary`, each request reaching it after its stall
/// (recorded), for a client that waits `patience`.
fn success(
    cdn: &CloudFrontConfig,
    primary: OriginState,
    secondary: OriginState,
    patience: SimDuration,
    writes: bool,
) -> (f64, Vec<SimDuration>) {
    let mut stalls = Vec::new();
    let answer = cdn.answer(secondary);
    let mut second = |stall: SimDuration| {
        stalls.push(stall);
        if stall >= patience { 0.0 } else { answer.ok }
    };
    let ok = cdn.request_success(cdn.answer(primary), &mut second, writes);
    (ok, stalls)
}

const FOREVER: SimDuration = SimDuration::MAX;

#[test]
fn unreachable_primary_costs_each_request_three_times_ten_seconds() {
    let (ok, stalls) = success(
        &group(),
        OriginState::Unreachable,
        OriginState::Healthy,
        FOREVER,
        false,
    );
    assert_eq!((ok, stalls), (1.0, vec![SimDuration::from_secs(30)]));
    let quick = CloudFrontConfig {
        connection_timeout: SimDuration::from_secs(2),
        connection_attempts: 1,
        ..group()
    };
    let (_, stalls) = success(
        &quick,
        OriginState::Unreachable,
        OriginState::Healthy,
        FOREVER,
        false,
    );
    assert_eq!(stalls, vec![SimDuration::from_secs(2)]);
    // A client that waits less than the stall gives up before the secondary answers.
    let (ok, _) = success(
        &group(),
        OriginState::Unreachable,
        OriginState::Healthy,
        SimDuration::from_secs(20),
        false,
    );
    assert_eq!(ok, 0.0);
    let (ok, _) = success(
        &group(),
        OriginState::Unreachable,
        OriginState::Unreachable,
        FOREVER,
        false,
    );
    assert_eq!(ok, 0.0);
}

#[test]
fn a_slow_primary_fails_over_after_the_response_timeout_times_the_attempts() {
    let cdn = CloudFrontConfig {
        response_timeout: SimDuration::from_secs(5),
        ..group()
    };
    let (ok, stalls) = success(
        &cdn,
        OriginState::Slow,
        OriginState::Healthy,
        FOREVER,
        false,
    );
    assert_eq!((ok, stalls), (1.0, vec![SimDuration::from_secs(15)]));
    let single = CloudFrontConfig::new(&["only"]);
    let (ok, _) = success(
        &single,
        OriginState::Slow,
        OriginState::Healthy,
        FOREVER,
        false,
    );
    assert_eq!(ok, 0.0, "a timeout without a secondary is a 504");
}

#[test]
fn writes_never_fail_over() {
    for primary in [
        OriginState::Unreachable,
        OriginState::Status(503),
        OriginState::Slow,
    ] {
        let (ok, stalls) = success(&group(), primary, OriginState::Healthy, FOREVER, true);
        assert_eq!((ok, stalls.len()), (0.0, 0), "{primary:?}");
    }
    let (ok, _) = success(
        &group(),
        OriginState::Degraded(0.7),
        OriginState::Healthy,
        FOREVER,
        true,
    );
    assert!((ok - 0.7).abs() < 1e-12);
}

#[test]
fn status_403_fails_over_only_when_listed() {
    let listed = CloudFrontConfig {
        failover_status_codes: vec![403, 500, 502, 503, 504],
        ..group()
    };
    let (ok, stalls) = success(
        &listed,
        OriginState::Status(403),
        OriginState::Healthy,
        FOREVER,
        false,
    );
    assert_eq!((ok, stalls), (1.0, vec![SimDuration::ZERO]));
    let (ok, _) = success(
        &group(),
        OriginState::Status(403),
        OriginState::Healthy,
        FOREVER,
        false,
    );
    assert_eq!(ok, 0.0);
}

#[test]
fn degraded_primary_sends_its_failures_to_the_secondary() {
    let (ok, _) = success(
        &group(),
        OriginState::Degraded(0.9),
        OriginState::Healthy,
        FOREVER,
        false,
    );
    assert!((ok - 1.0).abs() < 1e-12);
    let no_5xx = CloudFrontConfig {
        failover_status_codes: vec![404],
        ..group()
    };
    let (ok, _) = success(
        &no_5xx,
        OriginState::Degraded(0.9),
        OriginState::Healthy,
        FOREVER,
        false,
    );
    assert!((ok - 0.9).abs() < 1e-12);
    let single = CloudFrontConfig::new(&["only"]);
    let (ok, _) = success(
        &single,
        OriginState::Unreachable,
        OriginState::Healthy,
        FOREVER,
        false,
    );
    assert_eq!(ok, 0.0);
}

#[test]
fn the_recorded_drain_is_a_staircase_of_step_means() {
    let cdn = CloudFrontConfig {
        cache: Some(CacheConfig {
            hit_ratio: 0.8,
            ttl: SimDuration::from_secs(320),
        }),
        ..group()
    };
    assert_eq!(cdn.drain_step(), SimDuration::from_secs(10));
    // The first step holds the drain's mean over [0, 10 s): its value at 5 s.
    let first = cdn.cached_share(SimDuration::from_secs(5));
    assert_eq!(cdn.cached_step(SimDuration::ZERO), first);
    assert_eq!(cdn.cached_step(SimDuration::from_millis(9_999)), first);
    // Within half a step's drop of the line everywhere; zero after the TTL.
    for s in 0..400 {
        let at = SimDuration::from_secs(s);
        let gap = (cdn.cached_step(at) - cdn.cached_share(at)).abs();
        assert!(
            gap <= 0.8 / (2.0 * DRAIN_STEPS as f64) + 1e-12,
            "{s} s: {gap}"
        );
    }
    assert_eq!(cdn.cached_step(SimDuration::from_secs(320)), 0.0);
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
        Just(OriginState::Slow),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    /// Success is a probability; a healthy primary always means full success and no stall; stalls never
    /// exceed the longest give-up.
    #[test]
    fn outcomes_are_probabilities(p in state(), s in state(), codes in prop::collection::vec(prop::sample::select(FAILOVER_CODES_ALLOWED.to_vec()), 0..8), down_s in 0u64..2000, writes in any::<bool>()) {
        let cdn = CloudFrontConfig {
            failover_status_codes: codes,
            cache: Some(CacheConfig { hit_ratio: 0.5, ttl: SimDuration::from_secs(600) }),
            ..group()
        };
        let (ok, stalls) = success(&cdn, p, s, FOREVER, writes);
        prop_assert!((0.0..=1.0).contains(&ok));
        prop_assert!(stalls.iter().all(|&d| d <= cdn.connect_give_up().max(cdn.response_give_up())));
        let (healthy, _) = success(&cdn, OriginState::Healthy, s, FOREVER, writes);
        prop_assert_eq!(healthy, 1.0);
        prop_assert!((0.0..=1.0).contains(&cdn.cached_share(SimDuration::from_secs(down_s))));
        prop_assert!((0.0..=1.0).contains(&cdn.cached_step(SimDuration::from_secs(down_s))));
    }
}
