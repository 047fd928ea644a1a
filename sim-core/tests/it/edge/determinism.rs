//! The edge models draw only from their own streams: a scenario with ALB health-check phases, a draining
//! edge cache, a failover stall and clients in two Regions gives identical results on one and two threads.

use sim_core::sweep::{SweepSpec, sweep};

use super::scenario;

#[test]
fn one_thread_and_two_threads_give_identical_results() {
    let sc = scenario(
        r#"
        "web-a": Ec2(az: "us-east-1a"),
        "web-b": Ec2(az: "us-east-1b"),
        "web-west": Ec2(az: "us-west-2a"),
        "alb": Alb(region: "us-east-1", targets: ["web-a", "web-b"]),
        "ui": S3(region: "us-east-1"),
        "cdn": CloudFront(origins: ["ui"], cache: (hit_ratio: 0.8, ttl: "10m")),
        "api": CloudFront(origins: ["alb", "web-west"]),
        "dns": Record(policy: Latency(targets: [("us-east-1", (endpoint: "alb")), ("us-west-2", (endpoint: "web-west"))])),
        "#,
        r#"
        (name: "browse", kind: Read, rate_per_s: 10.0, entry: "cdn"),
        (name: "api", kind: Read, rate_per_s: 10.0, entry: "api", timeout: "20s"),
        (name: "shop", kind: Read, rate_per_s: 10.0, entry: "dns", clients: {"us-east-1": 0.5, "us-west-2": 0.5}),
        "#,
        r#"
        (name: "az", kind: AzOutage(az: "us-east-1a"), onset: Uniform("5m", "30m"), duration: Fixed("20m")),
        (name: "region", kind: RegionOutage(region: "us-east-1"), onset: Uniform("1h", "2h"), duration: Fixed("10m")),
        "#,
    );
    let spec = |threads| SweepSpec {
        seed: 5,
        replications: 0..100,
        disasters: None,
        threads,
        keep_logs: true,
    };
    let one = sweep(&sc, &spec(1), &|_| {}).unwrap();
    let two = sweep(&sc, &spec(2), &|_| {}).unwrap();
    assert_eq!(one, two);
}
