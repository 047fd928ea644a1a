//! Budgets as a user writes them, through the loader and a real sweep: lost writes, the data-loss window
//! and the pre-onset RPO by name, one-decimal percentiles, case-insensitive keywords, and scenario files
//! whose percentile or limit cannot be judged refused with a position.

use sim_core::budget::{Status, check_budget};

use crate::load;

/// A scenario extending securecart-pitr with these budgets (RON).
fn with_budgets(budgets: &str) -> Result<sim_core::spec::Scenario, String> {
    let text = format!(r#"(extends: "securecart-pitr", name: "mine", budgets: [{budgets}])"#);
    scenarios::load_text("mine.ron", &text).map_err(|e| e.to_string())
}

#[test]
fn a_scenario_file_refuses_percentiles_that_cannot_be_judged() {
    for (percentile, why) in [
        ("0", "outside 0.1 to 100"),
        ("255", "outside 0.1 to 100"),
        ("100.5", "outside 0.1 to 100"),
        ("99.95", "more than one decimal"),
        ("-1", "outside 0.1 to 100"),
    ] {
        let err = with_budgets(&format!(
            r#"(metric: Rto, percentile: {percentile}, max: "15m")"#
        ))
        .unwrap_err();
        assert!(err.contains(why), "percentile {percentile}: {err}");
        assert!(err.contains("mine.ron:1:"), "with its position: {err}");
    }
    let sc = with_budgets(r#"(metric: Rpo, percentile: 99.9, max: "1h")"#).unwrap();
    assert_eq!(sc.budgets[0].to_string(), "rpo:p99.9<=1h");
}

#[test]
fn a_scenario_file_refuses_a_limit_of_the_wrong_kind() {
    for (budget, why) in [
        (
            r#"(metric: LostWrites, percentile: 99, max: "15m")"#,
            "count of writes",
        ),
        (
            r#"(metric: Rto, percentile: 99, max: 100)"#,
            "is a duration",
        ),
        (
            r#"(metric: Rto, percentile: 99, max: "15m", store: "orders-db")"#,
            "flows have an RTO",
        ),
    ] {
        let err = with_budgets(budget).unwrap_err();
        assert!(err.contains(why), "{budget}: {err}");
    }
    let sc = with_budgets(
        r#"(metric: LostWrites, percentile: 99, max: 100), (metric: PreOnsetRpo, percentile: 50, max: "5m", store: "orders-db")"#,
    )
    .unwrap();
    let texts: Vec<String> = sc.budgets.iter().map(|b| b.to_string()).collect();
    assert_eq!(
        texts,
        [
            "lost_writes:p99<=100",
            "store.orders-db.pre_onset_rpo:p50<=5m"
        ]
    );
}

#[test]
fn lost_writes_and_one_decimal_percentiles_are_judged_on_a_real_sweep() {
    let sc = load("securecart-pitr", &[]);
    // Tens of thousands of orders are thrown away in every run.
    let lost = check_budget(&sc, 40, 1, "lost_writes:p99<=100").unwrap();
    assert_eq!(lost.status, Status::Breached, "{}", lost.message);
    assert!(lost.message.contains("writes"), "{}", lost.message);
    let generous = check_budget(&sc, 40, 1, "lost_writes:p50<=100000000").unwrap();
    assert_eq!(generous.status, Status::Holds, "{}", generous.message);
    // p99.9 of 40 runs is their maximum; the upper bound of its interval too.
    let p999 = check_budget(&sc, 40, 1, "rto:p99.9<=1d").unwrap();
    assert_eq!(p999.status, Status::Holds, "{}", p999.message);
    assert!(
        p999.message.starts_with("rto:p99.9<=1d holds"),
        "{}",
        p999.message
    );
}

#[test]
fn keywords_are_case_insensitive() {
    let sc = load("securecart-multi-az", &[]);
    let upper = check_budget(&sc, 20, 1, "RTO:P99<=15m").unwrap();
    let lower = check_budget(&sc, 20, 1, "rto:p99<=15m").unwrap();
    assert_eq!(upper.status, Status::Holds, "{}", upper.message);
    assert_eq!(upper.measured, lower.measured);
    let store = check_budget(&sc, 20, 1, "Store.orders-db.RPO:p50<=1s").unwrap();
    assert_eq!(store.status, Status::Holds, "{}", store.message);
    // A name keeps its case: `Orders-DB` is not `orders-db`.
    let err = check_budget(&sc, 20, 1, "store.Orders-DB.rpo:p50<=1s").unwrap_err();
    assert!(err.to_string().contains("no data store"), "{err}");
}
