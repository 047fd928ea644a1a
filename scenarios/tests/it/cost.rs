//! The cost model on the built-in scenarios: every one prices in full, and the four strategies order by
//! cost as the course teaches.

use scenarios::file::ScenarioFile;
use scenarios::{builtin_names, load, load_text};
use sim_core::cost::{PriceTable, steady_state, validate};

fn monthly_usd(name: &str) -> f64 {
    let scenario = load(name, &[]).unwrap();
    steady_state(&scenario, &PriceTable::example()).monthly_usd
}

#[test]
fn every_builtin_prices_in_full_and_costs_something() {
    let table = PriceTable::example();
    for name in builtin_names() {
        let scenario = load(name, &[]).unwrap();
        assert_eq!(validate(&scenario, &table), Vec::<String>::new(), "{name}");
        let report = steady_state(&scenario, &table);
        assert!(report.unpriced.is_empty(), "{name}: {:?}", report.unpriced);
        assert!(report.monthly_usd > 0.0, "{name}");
        assert_eq!(
            report,
            steady_state(&scenario, &table),
            "{name}: same report every time"
        );
    }
}

#[test]
fn the_four_strategies_order_by_cost_as_the_course_teaches() {
    let costs: Vec<f64> = [
        "backup-restore",
        "pilot-light",
        "warm-standby",
        "multi-site",
    ]
    .into_iter()
    .map(monthly_usd)
    .collect();
    assert!(costs.windows(2).all(|w| w[0] < w[1]), "{costs:?}");
}

#[test]
fn an_extending_file_overrides_prices_and_the_bill_moves_by_exactly_that() {
    let child = r#"(extends: "pilot-light", prices: {"aurora/us-east-1/db.r6g.large": 0.30})"#;
    let cheaper = steady_state(
        &load_text("child.ron", child).unwrap(),
        &PriceTable::example(),
    );
    let expected = 2.0 * (0.30 - 0.26) * 730.0;
    let moved = cheaper.monthly_usd - monthly_usd("pilot-light");
    assert!((moved - expected).abs() < 1e-6, "{moved} ≠ {expected}");
}

#[test]
fn overlay_prices_replace_and_extend_the_base_by_key() {
    let base = load_text(
        "base.ron",
        r#"(name: "b", horizon: "1h", regions: [(name: "us-east-1", azs: ["us-east-1a"])], prices: {"ec2/us-east-1/m5.large": 0.1, "s3/us-east-1/gb-month": 0.02})"#,
    )
    .unwrap();
    let file: ScenarioFile = ron::from_str(
        r#"(prices: Some({"ec2/us-east-1/m5.large": 0.2, "ec2/us-east-1/r5.large": 0.126}))"#,
    )
    .unwrap();
    let prices = file.overlay(base, "child.ron").unwrap().prices.unwrap();
    let prices: Vec<(&str, f64)> = prices.iter().map(|(k, &v)| (k.as_str(), v)).collect();
    assert_eq!(
        prices,
        [
            ("ec2/us-east-1/m5.large", 0.2),
            ("ec2/us-east-1/r5.large", 0.126),
            ("s3/us-east-1/gb-month", 0.02),
        ]
    );
}
