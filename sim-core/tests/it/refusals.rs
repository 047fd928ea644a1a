//! What a scenario can say but the world cannot do is refused at load, naming the field: budgets on a
//! flow, store or disaster that does not exist, a `SetCapacity` outside the group's bounds (Auto Scaling's
//! `ValidationError`), a stack creating resources outside its Region, an AZ no Region lists.

use crate::e2e::{issues, scenario};

/// The validation issues of `resources` and `rest`, joined.
fn refused(resources: &str, rest: &str) -> String {
    issues(&scenario(resources, rest)).join("\n")
}

const DB: &str =
    r#""db": Rds(deployment: SingleAz(az: "us-east-1a")), "fn": Lambda(region: "us-east-1"),"#;
const FLOW: &str = r#"flows: [(name: "orders", kind: Write, rate_per_s: 1.0, entry: "fn", store: "db")],
    disasters: [(name: "az", kind: AzOutage(az: "us-east-1a"), onset: At("1h"))],"#;

#[test]
fn a_budget_on_a_flow_store_or_disaster_that_does_not_exist_is_refused() {
    assert_eq!(
        refused(
            DB,
            &format!(
                "{FLOW} budgets: [(metric: Rto, percentile: 99, max: \"15m\", flow: \"orders\", disaster: \"az\")],"
            )
        ),
        ""
    );
    for (budget, expect) in [
        (
            r#"(metric: Rto, percentile: 99, max: "15m", flow: "order")"#,
            r#"flow "order" does not exist, did you mean "orders"?"#,
        ),
        (
            r#"(metric: Rpo, percentile: 99, max: "0s", store: "db2")"#,
            r#"refers to the store "db2", which does not exist"#,
        ),
        (
            r#"(metric: Rpo, percentile: 99, max: "0s", store: "fn")"#,
            r#"needs the store"#,
        ),
        (
            r#"(metric: Rto, percentile: 99, max: "15m", disaster: "region")"#,
            r#"disaster "region" does not exist"#,
        ),
    ] {
        let text = refused(DB, &format!("{FLOW} budgets: [{budget}],"));
        assert!(text.contains(expect), "{budget}: {text:?}");
        assert!(text.contains("budget"), "{text}");
    }
}

const GROUP: &str = r#""web": Asg(region: "us-east-1", azs: ["us-east-1a", "us-east-1b"], desired: 2, min: 2, max: 4, needed: 2),"#;

fn scaled_to(desired: u32) -> String {
    format!(
        r#"runbooks: [(name: "rb", trigger: Onset, start_at: "s", states: {{
            "s": Task(action: SetCapacity(group: "web", desired: {desired})) }})],
           disasters: [(name: "az", kind: AzOutage(az: "us-east-1a"), onset: At("1h"))],"#
    )
}

#[test]
fn set_capacity_outside_the_groups_min_and_max_is_refused_not_widened() {
    assert_eq!(refused(GROUP, &scaled_to(4)), "");
    assert_eq!(refused(GROUP, &scaled_to(2)), "");
    for desired in [5, 1] {
        let text = refused(GROUP, &scaled_to(desired));
        assert!(
            text.contains(&format!(
                "SetCapacity desired {desired} is outside group \"web\"'s min (2) … max (4)"
            )),
            "{text}"
        );
    }
}

#[test]
fn a_stack_creates_resources_only_in_its_own_region() {
    let stack = |region: &str| {
        format!(
            r#""web-west": Asg(region: "us-west-2", azs: ["us-west-2a"], desired: 1, max: 2, needed: 1),
               "dns": Record(policy: Simple(target: (endpoint: "web-west"))),
               "s": Stack(region: "{region}", kind: Web, resources: ["web-west"]),"#
        )
    };
    // The record is global: a stack anywhere may create one; the group is in us-west-2.
    let record_only = r#""web-west": Asg(region: "us-west-2", azs: ["us-west-2a"], desired: 1, max: 2, needed: 1),
        "dns": Record(policy: Simple(target: (endpoint: "web-west"))),
        "s": Stack(region: "us-east-1", kind: Web, resources: []),"#;
    assert_eq!(refused(record_only, ""), "");
    assert!(!refused(&stack("us-west-2"), "").contains("its own Region"));
    let text = refused(&stack("us-east-1"), "");
    assert!(
        text.contains(
            r#"stack "s" is in region us-east-1, but creates "web-west", which is in us-west-2"#
        ),
        "{text}"
    );
}

#[test]
fn an_az_no_region_lists_names_the_regions_azs() {
    let text = refused(r#""app": Ec2(az: "us-east-1z"),"#, "");
    assert!(text.contains("`azs`"), "{text}");
}
