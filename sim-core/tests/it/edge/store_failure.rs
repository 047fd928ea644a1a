//! A data store's gray failure (a share of calls failing) or outright failure reaches the flows that call
//! it, except where the store's own model handles an instance failure (RDS and Aurora fail over).

use super::{allowance_s, flow, rto_s, run, scenario};

const TABLE: &str = r#"
    "api": Lambda(region: "us-east-1"),
    "cart": DynamoDb(region: "us-east-1"),
"#;

const CART: &str = r#"(name: "cart", kind: Write, rate_per_s: 10.0, entry: "api", store: "cart")"#;

fn ten_minutes(kind: &str) -> String {
    format!(r#"(name: "bad", kind: {kind}, onset: At("10m"), duration: Fixed("10m"))"#)
}

#[test]
fn a_gray_table_fails_its_share_of_the_flow() {
    let sc = scenario(
        TABLE,
        CART,
        &ten_minutes(r#"GrayFailure(resource: "cart", error_rate: 0.5)"#),
    );
    let result = run(&sc, 0);
    let x = rto_s(&result, "cart");
    let expected = 600.0 - allowance_s(0.99, 0.5, 60.0);
    assert!((x - expected).abs() < 1e-3, "RTO {x}, expected {expected}");
    let failed = flow(&result, "cart").failed_requests;
    assert!(
        (failed - 0.5 * 10.0 * 600.0).abs() < 1e-6,
        "failed {failed}"
    );
    // Writes the table did not take are not acknowledged: nothing is lost.
    assert_eq!(result.lost_writes, 0);
}

#[test]
fn a_failed_table_fails_the_flow() {
    let sc = scenario(
        TABLE,
        CART,
        &ten_minutes(r#"ResourceFailure(resource: "cart")"#),
    );
    let result = run(&sc, 0);
    let x = rto_s(&result, "cart");
    let expected = 600.0 - allowance_s(0.99, 1.0, 60.0);
    assert!((x - expected).abs() < 1e-3, "RTO {x}, expected {expected}");
    assert!((flow(&result, "cart").failed_requests - 6000.0).abs() < 1e-6);
}

/// An RDS Multi-AZ instance failure is the model's to handle: it fails over to the standby in 60–120 s
/// (C6) and the flow recovers then, not when the failure "heals" an hour later.
#[test]
fn an_rds_instance_failure_fails_over_instead() {
    let sc = scenario(
        r#"
        "web": Ec2(az: "us-east-1b"),
        "db": Rds(deployment: MultiAzInstance(primary_az: "us-east-1a", standby_az: "us-east-1b")),
        "#,
        r#"(name: "orders", kind: Write, rate_per_s: 10.0, entry: "web", store: "db")"#,
        r#"(name: "bad", kind: ResourceFailure(resource: "db"), onset: At("10m"), duration: Fixed("1h"))"#,
    );
    for r in 0..20 {
        let x = rto_s(&run(&sc, r), "orders");
        assert!((59.0..=120.0).contains(&x), "RTO {x}");
    }
}

/// A gray failure's latency counts too: calls slower than the client's timeout fail.
#[test]
fn a_slow_table_times_its_callers_out() {
    let sc = scenario(
        r#""web": Ec2(az: "us-east-1a"), "cart": DynamoDb(region: "us-east-1"),"#,
        r#"(name: "cart", kind: Write, rate_per_s: 10.0, entry: "web", store: "cart")"#,
        &ten_minutes(r#"GrayFailure(resource: "cart", error_rate: 0.0, latency: "70s")"#),
    );
    let x = rto_s(&run(&sc, 0), "cart");
    let expected = 600.0 - allowance_s(0.99, 1.0, 60.0);
    assert!((x - expected).abs() < 1e-3, "RTO {x}, expected {expected}");
}
