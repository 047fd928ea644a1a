//! ALB target health (ELB target groups): a dead target stops getting traffic `interval × unhealthy_threshold`
//! after it dies (the first failed check at a random phase), a new one gets traffic only after
//! `interval × healthy_threshold` of passed checks, and with no healthy target the ALB fails open.

use super::{allowance_s, rto_s, run, scenario, scenario_with};

const TWO_INSTANCES: &str = r#"
    "web-a": Ec2(az: "us-east-1a"),
    "web-b": Ec2(az: "us-east-1b"),
"#;

const AZ_A_FAILS: &str =
    r#"(name: "az", kind: AzOutage(az: "us-east-1a"), onset: At("10m"), duration: Fixed("1h"))"#;

/// RTOs of `flow` over `runs` replications.
fn rtos(sc: &sim_core::spec::Scenario, flow: &str, runs: u64) -> Vec<f64> {
    (0..runs).map(|r| rto_s(&run(sc, r), flow)).collect()
}

/// One of two instances is lost with its AZ: half the requests fail until the ALB marks it unhealthy, after
/// `unhealthy_threshold` failed checks, the first at a random phase: RTO in
/// `[interval × (threshold − 1), interval × threshold)`, less the SLO window's allowance for a 50 % deficit.
#[test]
fn a_dead_target_is_dropped_after_interval_times_unhealthy_threshold() {
    for (alb, interval, threshold) in [
        (
            r#"Alb(region: "us-east-1", targets: ["web-a", "web-b"])"#,
            30.0,
            2.0,
        ),
        (
            r#"Alb(region: "us-east-1", targets: ["web-a", "web-b"], health_check_interval: "10s", unhealthy_threshold: 4)"#,
            10.0,
            4.0,
        ),
    ] {
        let sc = scenario(
            &format!(r#"{TWO_INSTANCES} "alb": {alb},"#),
            r#"(name: "shop", kind: Read, rate_per_s: 10.0, entry: "alb")"#,
            AZ_A_FAILS,
        );
        let early = allowance_s(0.99, 0.5, 60.0);
        let (lo, hi) = (
            interval * (threshold - 1.0) - early,
            interval * threshold - early,
        );
        let xs = rtos(&sc, "shop", 200);
        for &x in &xs {
            assert!(
                x >= lo - 1e-3 && x < hi + 1e-3,
                "RTO {x} outside [{lo}, {hi})"
            );
        }
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let expected = (lo + hi) / 2.0;
        assert!(
            (mean - expected).abs() < interval * 0.1,
            "mean {mean}, expected ≈ {expected}"
        );
    }
}

/// A replacement instance gets traffic only once it passes `healthy_threshold` checks: the flow through the
/// ALB recovers that much later than the same group reached directly, in `[interval × (h − 1), interval × h)`.
#[test]
fn replacements_get_traffic_only_after_healthy_threshold_passes() {
    let sc = scenario(
        r#"
        "web": Asg(region: "us-east-1", azs: ["us-east-1a", "us-east-1b"], desired: 2, min: 2, max: 4, needed: 2),
        "alb": Alb(region: "us-east-1", targets: ["web"]),
        "#,
        r#"
        (name: "via-alb", kind: Read, rate_per_s: 10.0, entry: "alb"),
        (name: "direct", kind: Read, rate_per_s: 10.0, entry: "web"),
        "#,
        AZ_A_FAILS,
    );
    for r in 0..100 {
        let result = run(&sc, r);
        let lag = rto_s(&result, "via-alb") - rto_s(&result, "direct");
        assert!(
            (120.0 - 1e-3..150.0 + 1e-3).contains(&lag),
            "replication {r}: lag {lag}"
        );
    }
}

/// With every target unhealthy the ALB routes to all of them (fails open): when the only instance comes
/// back (after its boot), it serves at once instead of after `healthy_threshold` checks.
#[test]
fn with_no_healthy_target_the_alb_fails_open() {
    let sc = scenario(
        r#""web-a": Ec2(az: "us-east-1a", auto_recovery: false, launch: Fixed("30s")), "alb": Alb(region: "us-east-1", targets: ["web-a"]),"#,
        r#"(name: "shop", kind: Read, rate_per_s: 10.0, entry: "alb")"#,
        r#"(name: "down", kind: ResourceFailure(resource: "web-a"), onset: At("10m"), duration: Fixed("10m"))"#,
    );
    for r in 0..20 {
        let x = rto_s(&run(&sc, r), "shop");
        // Its 10 minutes down, then a 30 s boot; no wait for health checks.
        let expected = 630.0 - allowance_s(0.99, 1.0, 60.0);
        assert!((x - expected).abs() < 1e-3, "RTO {x}, expected {expected}");
    }
}

/// A group scaled up from zero has never had a target pass its checks: the ALB has nothing to fail open
/// to and answers 503 until the first instance passes `healthy_threshold` checks after it is ready.
#[test]
fn capacity_that_never_passed_a_check_gets_no_traffic() {
    let sc = scenario_with(
        r#"
        "web": Asg(region: "us-east-1", azs: ["us-east-1a", "us-east-1b"], desired: 0, min: 0, max: 2, needed: 1),
        "alb": Alb(region: "us-east-1", targets: ["web"]),
        "#,
        r#"
        (name: "via-alb", kind: Read, rate_per_s: 10.0, entry: "alb"),
        (name: "direct", kind: Read, rate_per_s: 10.0, entry: "web"),
        "#,
        r#"(name: "go-live", kind: Planned(what: "launch"), onset: At("10m"))"#,
        r#"(name: "scale", trigger: Onset, start_at: "up", states: {"up": Task(action: SetCapacity(group: "web", desired: 1))})"#,
    );
    for r in 0..50 {
        let result = run(&sc, r);
        let lag = rto_s(&result, "via-alb") - rto_s(&result, "direct");
        assert!(
            (120.0 - 1e-3..150.0 + 1e-3).contains(&lag),
            "replication {r}: lag {lag}"
        );
    }
}
