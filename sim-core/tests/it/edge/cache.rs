//! The CloudFront edge cache while its origin is down: cached objects expire over the cache TTL, so the
//! share served from the edge drains from the hit ratio to zero in one TTL, and the measured timeline shows
//! it (with a bounded number of wake-ups).

use super::{flow, rto_s, run, scenario};

const CDN: &str = r#"
    "ui": S3(region: "us-east-1"),
    "cdn": CloudFront(origins: ["ui"], cache: (hit_ratio: 0.8, ttl: "10m")),
"#;

const REGION_FAILS: &str = r#"(name: "region", kind: RegionOutage(region: "us-east-1"), onset: At("10m"), duration: Fixed("1h"))"#;

/// Requests failed during a 1 h origin outage: all but the cached ones, which fall linearly from 80 % to 0
/// over the 10 min TTL — `rate × (3600 − 0.8 × 600 / 2)`. The staircase the world records takes the mean
/// of each step, so the integral over the whole drain is exact.
#[test]
fn the_cached_share_drains_over_the_ttl() {
    let sc = scenario(
        CDN,
        r#"(name: "browse", kind: Read, rate_per_s: 100.0, entry: "cdn")"#,
        REGION_FAILS,
    );
    let result = run(&sc, 0);
    let f = flow(&result, "browse");
    let expected = 100.0 * (3600.0 - 0.8 * 600.0 / 2.0);
    assert!(
        (f.failed_requests - expected).abs() < 1.0,
        "failed {}, expected {expected}",
        f.failed_requests
    );
    assert!(f.worst_window < 1e-9, "worst window {}", f.worst_window);
    // Bounded work: the drain costs at most 32 wake-ups, whatever the horizon.
    assert!(result.events <= 4 + 33, "{} events", result.events);
}

/// The drain shows in the RTO: with an SLO of 50 %, an 80 % cache alone would carry the flow through the
/// outage, but it drains below 50 % after 3 min 45 s and the flow is down until the origin is back.
#[test]
fn a_draining_cache_is_an_outage_once_it_falls_below_the_slo() {
    let sc = scenario(
        CDN,
        r#"(name: "browse", kind: Read, rate_per_s: 100.0, entry: "cdn", slo: 0.5)"#,
        REGION_FAILS,
    );
    let x = rto_s(&run(&sc, 0), "browse");
    assert!((3500.0..3600.0).contains(&x), "RTO {x}");
}

/// With a secondary origin that serves, misses are fetched from it and cached again: nothing drains,
/// nothing fails, and the distribution asks for no wake-ups.
#[test]
fn a_serving_secondary_keeps_the_cache_full() {
    let sc = scenario(
        r#"
        "ui": S3(region: "us-east-1"),
        "ui-west": S3(region: "us-west-2"),
        "cdn": CloudFront(origins: ["ui", "ui-west"], cache: (hit_ratio: 0.8, ttl: "10m")),
        "#,
        r#"(name: "browse", kind: Read, rate_per_s: 100.0, entry: "cdn")"#,
        REGION_FAILS,
    );
    let result = run(&sc, 0);
    assert_eq!(flow(&result, "browse").failed_requests, 0.0);
    assert!(result.events <= 4, "{} events", result.events);
}
