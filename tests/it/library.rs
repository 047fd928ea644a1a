//! The library entry point for Rust users (issue [budgets]): a budget asserted in an ordinary `#[test]`,
//! with no binary involved. This is the pattern `docs/ci.md` shows.

use sim_core::budget::{Status, check_budget, evaluate};
use sim_core::sweep::{SweepSpec, sweep_samples};

#[test]
fn a_budget_in_a_users_own_test() {
    let scenario = scenarios::load("warm-standby", &[]).expect("the scenario loads");
    let verdict = check_budget(&scenario, 100, 1, "rto:p99<=12h").expect("the budget evaluates");
    assert!(verdict.holds(), "{}", verdict.message);
    let breached = check_budget(&scenario, 100, 1, "rto:p50<=1s").unwrap();
    assert_eq!(breached.status, Status::Breached, "{}", breached.message);
    assert!(breached.breaching_replication.is_some());
    assert!(check_budget(&scenario, 100, 1, "flow.nope.rto:p50<=1s").is_err());
}

#[test]
fn the_same_verdict_step_by_step() {
    // What check_budget does, for users who sweep once and evaluate many budgets.
    let scenario = scenarios::load("warm-standby", &[]).unwrap();
    let spec = SweepSpec {
        seed: 1,
        replications: 0..100,
        disasters: None,
        threads: 0,
        keep_logs: false,
    };
    let samples = sweep_samples(&scenario, &spec, &|_| {}).unwrap();
    let budget = "rto:p99<=12h".parse().unwrap();
    let verdict = evaluate(&budget, &samples).unwrap();
    assert!(verdict.holds(), "{}", verdict.message);
    assert_eq!(
        verdict,
        check_budget(&scenario, 100, 1, "rto:p99<=12h").unwrap()
    );
}
