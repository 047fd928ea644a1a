//! What a stack creates does not exist before it completes, and clients cannot be routed to it before:
//! Route 53 refuses an alias to a target that does not exist, at load (a record answering it) and at run
//! time (an edit to it), so a runbook in the wrong order fails visibly instead of succeeding early.

use crate::compute::SLACK;
use crate::e2e::{issues, logged, rto_s, run, scenario};

const WEST: &str = r#"
    "app": Ec2(az: "us-east-1a"),
    "west": Ec2(az: "us-west-2a", launch: Fixed("1m")),
    "restore": Stack(region: "us-west-2", kind: Custom, duration: Fixed("10m"), resources: ["west"]),"#;

fn with_runbook(record: &str, states: &str) -> sim_core::spec::Scenario {
    scenario(
        &format!(
            r#"{WEST} "dns": Record(ttl: "0s", propagation: Fixed("10s"), policy: {record}),"#
        ),
        &format!(
            r#"flows: [(name: "api", kind: Read, rate_per_s: 1.0, entry: "dns")],
               disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("1h"))],
               runbooks: [(name: "rb", trigger: Onset, start_at: "go", states: {{ {states} }})],"#
        ),
    )
}

const SIMPLE: &str = r#"Simple(target: (endpoint: "app"))"#;

#[test]
fn a_record_edit_to_what_no_stack_has_created_yet_fails() {
    // Creating the stack and repointing DNS at once: the edit comes before the endpoint exists.
    let at_once = r#""go": Parallel(branches: [
        (start_at: "s", states: { "s": Task(action: CreateStack(stack: "restore")) }),
        (start_at: "d", states: { "d": Task(action: UpdateDns(record: "dns", target: "west")) }),
    ])"#;
    let r = run(&with_runbook(SIMPLE, at_once), 0);
    assert!(
        logged(&r, "rb", "Route 53 refuses an alias").is_some(),
        "{:#?}",
        r.log
    );
    assert_eq!(rto_s(&r, "api"), None, "clients never reach us-west-2");
    // In order, it works: stack (10 min), then the edit, and the instance serves 1 min after the stack.
    let in_order = r#""go": Task(action: CreateStack(stack: "restore"), next: "d"),
                      "d": Task(action: UpdateDns(record: "dns", target: "west"))"#;
    assert_eq!(
        rto_s(&run(&with_runbook(SIMPLE, in_order), 0), "api"),
        Some(660.0 - SLACK)
    );
}

#[test]
fn a_record_cannot_answer_what_a_stack_creates() {
    let failover = r#"Failover(primary: (endpoint: "app"), secondary: (endpoint: "west"))"#;
    let s = with_runbook(
        failover,
        r#""go": Task(action: CreateStack(stack: "restore"))"#,
    );
    let found = issues(&s);
    assert!(
        found.iter().any(|m| m.contains(
            "record \"dns\" answers \"west\", which stack \"restore\" creates: Route 53 refuses an alias"
        )),
        "{found:?}"
    );
}
