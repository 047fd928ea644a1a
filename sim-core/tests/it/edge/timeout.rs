//! Latency and client timeouts: a gray failure's added latency, CloudFront's connection stall before it
//! fails over and its origin response timeout, API Gateway's integration timeout, and Route 53's probe
//! timeouts, each against the flow's client timeout (60 s by default).

use super::{allowance_s, rto_s, run, scenario};

fn slow_web(latency: &str) -> String {
    format!(
        r#"(name: "slow", kind: GrayFailure(resource: "web", error_rate: 0.0, latency: "{latency}"), onset: At("10m"), duration: Fixed("10m"))"#
    )
}

/// Requests slower than the client's timeout fail: 90 s of added latency is an outage for the default 60 s
/// timeout; 10 s is not.
#[test]
fn latency_beyond_the_client_timeout_is_an_outage() {
    let flows = r#"(name: "shop", kind: Read, rate_per_s: 10.0, entry: "web")"#;
    let web = r#""web": Ec2(az: "us-east-1a"),"#;
    let down = 600.0 - allowance_s(0.99, 1.0, 60.0);
    let x = rto_s(&run(&scenario(web, flows, &slow_web("90s")), 0), "shop");
    assert!((x - down).abs() < 1e-3, "RTO {x}");
    let x = rto_s(&run(&scenario(web, flows, &slow_web("10s")), 0), "shop");
    assert_eq!(x, 0.0);
}

/// An origin group whose primary Region is down: each request waits `connection_timeout ×
/// connection_attempts` (30 s by default) before going to the secondary. A client waiting 60 s gets its
/// answer; one waiting 20 s has given up — unless the stall is cut to 3 × 5 s.
#[test]
fn cloudfront_s_failover_stall_counts_against_the_client_timeout() {
    let resources = |extra: &str| {
        format!(
            r#"
            "web-east": Ec2(az: "us-east-1a", launch: Fixed("30s")),
            "web-west": Ec2(az: "us-west-2a"),
            "cdn": CloudFront(origins: ["web-east", "web-west"]{extra}),
            "#
        )
    };
    let flow = |timeout: &str| {
        format!(r#"(name: "shop", kind: Read, rate_per_s: 10.0, entry: "cdn"{timeout})"#)
    };
    let region = r#"(name: "region", kind: RegionOutage(region: "us-east-1"), onset: At("10m"), duration: Fixed("10m"))"#;
    // The primary answers again once it has booted after its Region's return (30 s).
    let down = 630.0 - allowance_s(0.99, 1.0, 60.0);
    for (extra, timeout, expected) in [
        ("", "", 0.0),
        ("", r#", timeout: "20s""#, down),
        (r#", connection_timeout: "5s""#, r#", timeout: "20s""#, 0.0),
        (r#", connection_timeout: "5s""#, r#", timeout: "15s""#, down),
    ] {
        let sc = scenario(&resources(extra), &flow(timeout), region);
        let x = rto_s(&run(&sc, 0), "shop");
        assert!(
            (x - expected).abs() < 1e-3,
            "{extra} {timeout}: RTO {x}, expected {expected}"
        );
    }
}

/// An origin slower than `response_timeout` is a failure CloudFront answers 504 to (one origin) or fails
/// over on (an origin group, after `response_timeout × connection_attempts`).
#[test]
fn cloudfront_s_response_timeout_takes_effect() {
    let slow = r#"(name: "slow", kind: GrayFailure(resource: "web-east", error_rate: 0.0, latency: "35s"), onset: At("10m"), duration: Fixed("10m"))"#;
    let flow = r#"(name: "shop", kind: Read, rate_per_s: 10.0, entry: "cdn")"#;
    let down = 600.0 - allowance_s(0.99, 1.0, 60.0);
    for (cdn, expected) in [
        // One origin: 35 s is past the default 30 s response timeout (a 504), within 40 s.
        (r#"CloudFront(origins: ["web-east"])"#, down),
        (
            r#"CloudFront(origins: ["web-east"], response_timeout: "40s")"#,
            0.0,
        ),
        // A group: 3 × 5 s and the secondary answers within the client's 60 s; 3 × 30 s does not.
        (
            r#"CloudFront(origins: ["web-east", "web-west"], response_timeout: "5s")"#,
            0.0,
        ),
        (r#"CloudFront(origins: ["web-east", "web-west"])"#, down),
    ] {
        let sc = scenario(
            &format!(
                r#""web-east": Ec2(az: "us-east-1a"), "web-west": Ec2(az: "us-west-2a"), "cdn": {cdn},"#
            ),
            flow,
            slow,
        );
        let x = rto_s(&run(&sc, 0), "shop");
        assert!(
            (x - expected).abs() < 1e-3,
            "{cdn}: RTO {x}, expected {expected}"
        );
    }
}

/// API Gateway waits at most 29 s for its Lambda integration: a data store 40 s slow fails the flow even
/// for clients who would wait 2 minutes, while the same store behind EC2 serves them.
#[test]
fn api_gateway_s_integration_timeout_is_29_s() {
    let sc = scenario(
        r#"
        "api": Lambda(region: "us-east-1"),
        "web": Ec2(az: "us-east-1a"),
        "cart": DynamoDb(region: "us-east-1"),
        "#,
        r#"
        (name: "via-api", kind: Read, rate_per_s: 10.0, entry: "api", store: "cart", timeout: "2m"),
        (name: "via-web", kind: Read, rate_per_s: 10.0, entry: "web", store: "cart", timeout: "2m"),
        "#,
        r#"(name: "slow", kind: GrayFailure(resource: "cart", error_rate: 0.0, latency: "40s"), onset: At("10m"), duration: Fixed("10m"))"#,
    );
    let result = run(&sc, 0);
    let down = 600.0 - allowance_s(0.99, 1.0, 60.0);
    assert!((rto_s(&result, "via-api") - down).abs() < 1e-3);
    assert_eq!(rto_s(&result, "via-web"), 0.0);
}

/// Route 53's HTTP checks wait 2 s for the status (C17): an endpoint 3 s slow fails them, so a failover
/// record moves its clients (who wait 2.5 s) to the secondary after the check's 60–90 s and one TTL.
#[test]
fn a_slow_endpoint_fails_route_53_s_probe_timeout() {
    let sc = scenario(
        r#"
        "web-east": Ec2(az: "us-east-1a"),
        "web-west": Ec2(az: "us-west-2a"),
        "hc": HealthCheck(target: "web-east"),
        "dns": Record(ttl: "60s", policy: Failover(primary: (endpoint: "web-east", health_check: "hc"), secondary: (endpoint: "web-west"))),
        "#,
        r#"(name: "shop", kind: Read, rate_per_s: 10.0, entry: "dns", timeout: "2500ms")"#,
        r#"(name: "slow", kind: GrayFailure(resource: "web-east", error_rate: 0.0, latency: "3s"), onset: At("10m"), duration: Fixed("2h"))"#,
    );
    for r in 0..50 {
        let result = run(&sc, r);
        let x = rto_s(&result, "shop");
        // Detection in [60, 90) s, then resolvers move linearly over the 60 s TTL.
        assert!((60.0..150.0).contains(&x), "replication {r}: RTO {x}");
        assert!(
            result
                .log
                .iter()
                .any(|e| e.actor == "hc" && e.text.contains("unhealthy")),
            "the check fails"
        );
    }
}
