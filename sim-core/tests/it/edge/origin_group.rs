//! CloudFront origin groups fail over only for GET, HEAD and OPTIONS requests (CloudFront Developer Guide,
//! "Request and response behavior for origin groups"): a write flow through a group whose primary is down
//! fails; a read flow on the same path fails over.

use super::{allowance_s, rto_s, run, scenario};

#[test]
fn writes_through_an_origin_group_do_not_fail_over() {
    let sc = scenario(
        r#"
        "api-east": Lambda(region: "us-east-1"),
        "api-west": Lambda(region: "us-west-2"),
        "cdn": CloudFront(origins: ["api-east", "api-west"]),
        "cart": DynamoDb(region: "us-east-1", replicas: ["us-west-2"]),
        "#,
        r#"
        (name: "add", kind: Write, rate_per_s: 10.0, entry: "cdn", store: "cart"),
        (name: "view", kind: Read, rate_per_s: 10.0, entry: "cdn", store: "cart"),
        "#,
        r#"(name: "region", kind: RegionOutage(region: "us-east-1"), onset: At("10m"), duration: Fixed("10m"))"#,
    );
    let result = run(&sc, 0);
    let expected = 600.0 - allowance_s(0.99, 1.0, 60.0);
    let add = rto_s(&result, "add");
    assert!(
        (add - expected).abs() < 1e-3,
        "write RTO {add}, expected {expected}"
    );
    assert_eq!(rto_s(&result, "view"), 0.0);
}
