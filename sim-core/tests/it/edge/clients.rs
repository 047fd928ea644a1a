//! Clients split across Regions: a flow's clients may be one Region (`clients: "us-east-1"`, as before) or
//! shares per Region; each client Region is evaluated on its own (its latency-record answer, its path) and
//! weighted by its share.

use super::{allowance_s, flow, rto_s, run, scenario};

// An instance boots again when its Region comes back: a fixed 30 s here, so the outage its clients see is
// 10 min + 30 s.
const LATENCY: &str = r#"
    "web-east": Ec2(az: "us-east-1a", launch: Fixed("30s")),
    "web-west": Ec2(az: "us-west-2a"),
    "dns": Record(ttl: "60s", policy: Latency(targets: [
        ("us-east-1", (endpoint: "web-east")),
        ("us-west-2", (endpoint: "web-west")),
    ])),
"#;

const EAST_FAILS: &str = r#"(name: "region", kind: RegionOutage(region: "us-east-1"), onset: At("10m"), duration: Fixed("10m"))"#;

/// The outage us-east-1's clients see: the Region's 10 minutes and the instance's boot.
const OUTAGE_S: f64 = 630.0;

fn shop(clients: &str) -> String {
    format!(r#"(name: "shop", kind: Read, rate_per_s: 100.0, entry: "dns", clients: {clients})"#)
}

/// Without health checks, a latency record keeps answering each client Region with its own Region: when
/// us-east-1 fails, only its clients fail — a quarter of the requests here.
#[test]
fn each_client_region_gets_its_own_answer_and_its_share_of_the_traffic() {
    let split = scenario(
        LATENCY,
        &shop(r#"{"us-east-1": 0.25, "us-west-2": 0.75}"#),
        EAST_FAILS,
    );
    let result = run(&split, 0);
    let failed = flow(&result, "shop").failed_requests;
    assert!(
        (failed - 0.25 * 100.0 * OUTAGE_S).abs() < 1e-6,
        "failed {failed}"
    );
    let x = rto_s(&result, "shop");
    let expected = OUTAGE_S - allowance_s(0.99, 0.25, 60.0);
    assert!((x - expected).abs() < 1e-3, "RTO {x}, expected {expected}");
    // The one-Region form is still valid, and means all clients there.
    for (clients, share) in [(r#""us-east-1""#, 1.0), (r#""us-west-2""#, 0.0)] {
        let one = scenario(LATENCY, &shop(clients), EAST_FAILS);
        let failed = flow(&run(&one, 0), "shop").failed_requests;
        assert!(
            (failed - share * 100.0 * OUTAGE_S).abs() < 1e-6,
            "{clients}: failed {failed}"
        );
    }
}

/// Shares must name Regions of the scenario and sum to 1.
#[test]
fn client_shares_are_checked() {
    let text = |clients: &str| {
        let mut sc = scenario(LATENCY, &shop(r#""us-east-1""#), EAST_FAILS);
        sc.flows[0].clients =
            Some(ron::from_str(clients).unwrap_or_else(|e| panic!("{e}: {clients}")));
        sim_core::validate::validate(&sc)
            .into_iter()
            .map(|i| i.message)
            .collect::<Vec<_>>()
            .join("; ")
    };
    assert!(text(r#"{"us-east-1": 0.5, "us-west-2": 0.4}"#).contains("sum to 0.9"));
    assert!(text(r#"{"us-east-1": 0.5, "eu-west-1": 0.5}"#).contains("eu-west-1"));
    assert!(text(r#"{"us-east-1": 1.5, "us-west-2": -0.5}"#).contains("must be in (0, 1]"));
    assert_eq!(text(r#"{"us-east-1": 0.5, "us-west-2": 0.5}"#), "");
}
