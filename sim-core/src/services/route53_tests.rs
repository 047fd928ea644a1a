//! Tests of the Route 53 services (records, health checks) together.

use proptest::prelude::*;

use crate::engine::time::{SimDuration, SimTime};
use crate::services::record::client_shares;
use crate::services::testing::{cases, messages, rng};
use crate::spec::*;

fn secs(s: u64) -> SimTime {
    SimTime::at(SimDuration::from_secs(s))
}

#[test]
fn default_check_turns_unhealthy_60_to_90_s_after_the_endpoint_dies() {
    let check = HealthCheckConfig::new("alb-east");
    assert_eq!(check.validate(), Ok(()));
    let (mut lo, mut hi, mut sum) = (f64::MAX, 0.0f64, 0.0);
    for seed in 0..1_000 {
        let d = check.time_to_unhealthy(&mut rng(seed)).as_secs_f64();
        assert!((60.0..90.0).contains(&d), "seed {seed}: {d}s");
        (lo, hi, sum) = (lo.min(d), hi.max(d), sum + d);
    }
    // 14 of 16 checkers must flip, so the verdict sits near the late end of the window.
    let mean = sum / 1_000.0;
    assert!(
        (80.0..90.0).contains(&mean),
        "mean {mean} (min {lo}, max {hi})"
    );
}

#[test]
fn fast_check_with_threshold_one_decides_within_one_interval() {
    let check = HealthCheckConfig {
        interval: SimDuration::from_secs(10),
        failure_threshold: 1,
        ..HealthCheckConfig::new("x")
    };
    for seed in 0..200 {
        let mut r = rng(seed);
        assert!(check.time_to_unhealthy(&mut r) < SimDuration::from_secs(10));
        assert!(check.time_to_healthy(&mut r) < SimDuration::from_secs(10));
    }
}

#[test]
fn recovery_needs_only_the_quorum_so_it_comes_early_in_the_window() {
    let check = HealthCheckConfig::new("x");
    let mean = (0..1_000)
        .map(|s| check.time_to_healthy(&mut rng(s)).as_secs_f64())
        .sum::<f64>()
        / 1_000.0;
    // 3 of 16 checkers must flip back: the 3rd order statistic of 16 phases, ~5 s into the window.
    assert!((60.0..70.0).contains(&mean), "mean {mean}");
}

#[test]
fn validation_names_field_and_range() {
    let check = HealthCheckConfig {
        interval: SimDuration::from_secs(45),
        failure_threshold: 11,
        ..HealthCheckConfig::new("x")
    };
    assert_eq!(
        messages(check.validate()),
        [
            "health_check.interval is 45s, but must be 10s or 30s",
            "health_check.failure_threshold is 11, but must be 1..=10"
        ]
    );
    let record = RecordConfig::new(RoutingPolicy::Weighted {
        targets: vec![(300, Target::new("a"))],
    });
    assert_eq!(
        messages(record.validate()),
        ["record.weight is 300, but must be 0..=255"]
    );
}

fn failover() -> RecordConfig {
    RecordConfig::new(RoutingPolicy::Failover {
        primary: Target::checked("alb-east", "hc-east"),
        secondary: Target::checked("alb-west", "hc-west"),
    })
}

fn order(_client: &str, region: &str) -> u32 {
    match region {
        "us-east-1" => 0,
        "us-west-2" => 1,
        _ => 2,
    }
}

fn answer_with(record: &RecordConfig, down: &[&str]) -> Vec<(usize, f64)> {
    record.answer(&|c| !down.contains(&c), "us-east-1", &order)
}

#[test]
fn failover_answers_primary_then_secondary_then_fails_open() {
    let r = failover();
    assert_eq!(answer_with(&r, &[]), [(0, 1.0)]);
    assert_eq!(answer_with(&r, &["hc-east"]), [(1, 1.0)]);
    assert_eq!(answer_with(&r, &["hc-east", "hc-west"]), [(0, 1.0)]);
    let unchecked = RecordConfig::new(RoutingPolicy::Failover {
        primary: Target::new("alb-east"),
        secondary: Target::checked("alb-west", "hc-west"),
    });
    assert_eq!(answer_with(&unchecked, &["hc-west"]), [(0, 1.0)]);
}

#[test]
fn latency_picks_the_closest_healthy_region() {
    let r = RecordConfig::new(RoutingPolicy::Latency {
        targets: vec![
            ("us-west-2".into(), Target::checked("w", "hc-w")),
            ("us-east-1".into(), Target::checked("e", "hc-e")),
        ],
    });
    assert_eq!(answer_with(&r, &[]), [(1, 1.0)]);
    assert_eq!(answer_with(&r, &["hc-e"]), [(0, 1.0)]);
    assert_eq!(answer_with(&r, &["hc-e", "hc-w"]), [(1, 1.0)]);
}

#[test]
fn weighted_splits_healthy_targets_by_weight() {
    let r = RecordConfig::new(RoutingPolicy::Weighted {
        targets: vec![
            (3, Target::checked("a", "hc-a")),
            (1, Target::checked("b", "hc-b")),
            (0, Target::checked("c", "hc-c")),
        ],
    });
    assert_eq!(answer_with(&r, &[]), [(0, 0.75), (1, 0.25)]);
    assert_eq!(answer_with(&r, &["hc-a"]), [(1, 1.0)]);
    assert_eq!(answer_with(&r, &["hc-a", "hc-b"]), [(2, 1.0)]);
    assert_eq!(
        answer_with(&r, &["hc-a", "hc-b", "hc-c"]),
        [(0, 0.75), (1, 0.25)]
    );
}

#[test]
fn clients_shift_linearly_over_one_ttl() {
    let ttl = SimDuration::from_secs(60);
    let history = vec![(secs(0), vec![(0, 1.0)]), (secs(100), vec![(1, 1.0)])];
    assert_eq!(client_shares(&history, ttl, secs(100)), [(0, 1.0)]);
    assert_eq!(
        client_shares(&history, ttl, secs(130)),
        [(0, 0.5), (1, 0.5)]
    );
    assert_eq!(
        client_shares(&history, ttl, secs(145)),
        [(0, 0.25), (1, 0.75)]
    );
    assert_eq!(client_shares(&history, ttl, secs(160)), [(1, 1.0)]);
    assert_eq!(
        client_shares(&history, SimDuration::ZERO, secs(100)),
        [(1, 1.0)]
    );
    // Before the first entry, the first answer is assumed to have always held.
    assert_eq!(client_shares(&history, ttl, secs(10)), [(0, 1.0)]);
    assert!(client_shares(&[], ttl, secs(10)).is_empty());
}

#[test]
fn edit_propagation_is_generally_within_60_s() {
    let record = failover();
    let mut r = rng(7);
    let late = (0..10_000)
        .filter(|_| record.edit_propagation(&mut r) > SimDuration::from_secs(60))
        .count();
    assert!(late < 200, "{late} of 10000 edits took over 60 s");
}

fn answer_strategy() -> impl Strategy<Value = Vec<(usize, f64)>> {
    prop::collection::vec((0usize..4, 0.01f64..1.0), 1..4).prop_map(|raw| {
        let total: f64 = raw.iter().map(|r| r.1).sum();
        raw.into_iter().map(|(i, s)| (i, s / total)).collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    /// Any threshold and interval: the verdict lands within the last of the `threshold` probe intervals.
    #[test]
    fn verdict_lands_in_the_threshold_window(
        seed in any::<u64>(), threshold in 1u32..=10, fast in any::<bool>(), checkers in 1u32..=32,
    ) {
        let interval = SimDuration::from_secs(if fast { 10 } else { 30 });
        let check = HealthCheckConfig { interval, failure_threshold: threshold, checkers, ..HealthCheckConfig::new("x") };
        let lo = interval.saturating_mul(u64::from(threshold - 1));
        let mut r = rng(seed);
        for d in [check.time_to_unhealthy(&mut r), check.time_to_healthy(&mut r)] {
            prop_assert!(d >= lo && d < lo + interval, "{d} for {threshold} x {interval}");
        }
    }

    /// Shares stay in [0, 1], sum to 1, and are linear within one TTL of a single change.
    #[test]
    fn client_shares_are_a_distribution_and_complete_at_change_plus_ttl(
        changes in prop::collection::vec((0u64..600, answer_strategy()), 1..6),
        ttl_s in 0u64..300, t_s in 0u64..1200,
    ) {
        let mut history: Vec<(SimTime, Vec<(usize, f64)>)> =
            changes.into_iter().map(|(at, a)| (secs(at), a)).collect();
        history.sort_by_key(|h| h.0);
        let ttl = SimDuration::from_secs(ttl_s);
        let shares = client_shares(&history, ttl, secs(t_s));
        let total: f64 = shares.iter().map(|s| s.1).sum();
        prop_assert!((total - 1.0).abs() < 1e-9, "sum {total}");
        prop_assert!(shares.iter().all(|s| (0.0..=1.0).contains(&s.1)));
        let (last_at, last) = history.last().unwrap().clone();
        let settled = client_shares(&history, ttl, last_at + ttl);
        for (i, share) in &last {
            let got = settled.iter().find(|s| s.0 == *i).map_or(0.0, |s| s.1);
            let want = last.iter().filter(|s| s.0 == *i).map(|s| s.1).sum::<f64>();
            prop_assert!((got - want).abs() < 1e-9, "index {i}: {got} vs {want} ({share})");
        }
    }

    /// With every check healthy the answer is a distribution over healthy targets.
    #[test]
    fn answers_are_distributions(weights in prop::collection::vec(0u32..=255, 1..5), down in prop::collection::vec(any::<bool>(), 5)) {
        let targets: Vec<(u32, Target)> = weights.iter().enumerate()
            .map(|(i, &w)| (w, Target::checked(&format!("t{i}"), &format!("hc{i}")))).collect();
        let r = RecordConfig::new(RoutingPolicy::Weighted { targets });
        let healthy = |c: &str| !down[c[2..].parse::<usize>().unwrap()];
        let answer = r.answer(&healthy, "us-east-1", &order);
        let total: f64 = answer.iter().map(|a| a.1).sum();
        prop_assert!((total - 1.0).abs() < 1e-9);
        prop_assert!(answer.iter().all(|a| (0.0..=1.0).contains(&a.1) && a.0 < weights.len()));
    }
}

#[test]
fn scenario_ron_reads_with_defaults() {
    let record: RecordConfig = ron::from_str(
        r#"(policy: Failover(
            primary: (endpoint: "alb-east", health_check: Some("hc-east")),
            secondary: (endpoint: "alb-west"),
        ))"#,
    )
    .unwrap();
    assert_eq!(record, failover_unchecked_secondary());
    let check: HealthCheckConfig =
        ron::from_str(r#"(target: "alb-east", interval: "10s")"#).unwrap();
    assert_eq!((check.failure_threshold, check.checkers), (3, 16));
    assert!(ron::from_str::<HealthCheckConfig>(r#"(target: "x", intervall: "10s")"#).is_err());
}

fn failover_unchecked_secondary() -> RecordConfig {
    RecordConfig::new(RoutingPolicy::Failover {
        primary: Target::checked("alb-east", "hc-east"),
        secondary: Target::new("alb-west"),
    })
}

#[test]
fn two_switches_within_one_ttl_blend_all_three_answers() {
    let ttl = SimDuration::from_secs(60);
    let history = vec![
        (secs(0), vec![(0, 1.0)]),
        (secs(100), vec![(1, 1.0)]),
        (secs(120), vec![(0, 0.5), (1, 0.5)]),
    ];
    let shares = client_shares(&history, ttl, secs(150));
    // [90,100): 0; [100,120): 1; [120,150): half each ⇒ 0: (10+15)/60, 1: (20+15)/60.
    let want = [(0, 25.0 / 60.0), (1, 35.0 / 60.0)];
    for (got, want) in shares.iter().zip(want) {
        assert_eq!(got.0, want.0);
        assert!((got.1 - want.1).abs() < 1e-12);
    }
}
