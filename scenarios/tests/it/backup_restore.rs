//! The backup-restore built-in routes clients to us-west-2 only once what answers there exists: its record
//! cannot answer a load balancer a stack creates (Route 53 refuses an alias to a target that does not
//! exist), so the runbook repoints DNS after CloudFormation has created the stack and the restored
//! application has passed its smoke test.

use sim_core::sweep::run_replication;

use crate::load;

#[test]
fn clients_reach_us_west_2_only_after_the_stack_exists_and_is_verified() {
    let s = load("backup-restore", &[]);
    for replication in 0..100 {
        let r = run_replication(&s, s.seed, replication, None).unwrap();
        let at = |actor: &str, text: &str| {
            r.log
                .iter()
                .find(|e| e.actor == actor && e.text.contains(text))
                .map(|e| e.at)
        };
        let created = at("west-stack", "stack west-stack created").expect("the stack is created");
        let verified = at("restore-in-us-west-2", "verify done").expect("the smoke test ends");
        let answered = at("app-dns", "answers alb-west").expect("DNS moves to us-west-2");
        assert!(
            created <= verified && verified <= answered,
            "replication {replication}"
        );
        let rto = r.rto.expect("recovers");
        let onset = r.onset.expect("a disaster");
        assert!(
            onset + rto >= answered,
            "recovery cannot precede the DNS change"
        );
    }
}
