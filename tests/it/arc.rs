//! ARC routing controls through the binary: the built-in `arc-failover` recovers in minutes during a
//! us-east-1 outage that takes its control plane, and the same scenario failed over by a Route 53 record
//! edit (`UpdateDns`) does not recover at all.

use crate::{drsim, ok, ok_json, tmp};

/// `arc-failover` with the routing controls removed and the flip replaced by a DNS edit.
const BY_DNS_EDIT: &str = r#"(
    extends: "arc-failover",
    name: "arc-failover-by-dns-edit",
    resources: {
        "app-dns": Record(ttl: "60s", policy: Failover(primary: (endpoint: "alb-east"), secondary: (endpoint: "alb-west"))),
    },
    remove: ["arc", "ctl-east", "ctl-west"],
    runbooks: [(
        name: "scale-up-us-west-2",
        trigger: HealthCheck("hc-east"),
        start_at: "shift",
        states: {
            "shift": Task(action: UpdateDns(record: "app-dns", target: "alb-west"),
                          retry: [(errors: ["ControlPlaneDown"], interval: "1m", max_attempts: 10, backoff_rate: 2.0)]),
        },
    )],
)"#;

#[test]
fn the_routing_control_flip_recovers_where_the_record_edit_cannot() {
    let arc = ok_json(&drsim(&["sweep", "arc-failover", "--runs", "40", "--json"]));
    assert_eq!(arc["rto_s"]["not_recovered"], 0, "{arc}");
    let p50 = arc["rto_s"]["p50"].as_f64().unwrap();
    assert!((60.0..=15.0 * 60.0).contains(&p50), "{p50}");

    let dir = tmp();
    let path = dir.path().join("by-dns-edit.ron");
    std::fs::write(&path, BY_DNS_EDIT).unwrap();
    let path = path.to_str().unwrap();
    let dns = ok_json(&drsim(&["sweep", path, "--runs", "40", "--json"]));
    assert_eq!(dns["rto_s"]["not_recovered"], 40, "{dns}");

    let story = ok(&drsim(&["replay", path]));
    assert!(
        story.contains("control plane of us-east-1 is down"),
        "{story}"
    );
    let story = ok(&drsim(&["replay", "arc-failover"]));
    for line in [
        "UpdateRoutingControlState ctl-east → Off through cluster arc's us-west-2 endpoint after us-east-1 timed out",
        "Route 53's routing control health check of ctl-east now reports Off",
        "Route 53 now answers alb-west",
    ] {
        assert!(story.contains(line), "{line:?} in:\n{story}");
    }
}
