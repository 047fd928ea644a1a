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

/// `(us-east-1, us-west-2, global)` monthly USD of a built-in's steady-state lines.
fn by_region(name: &str) -> (f64, f64, f64) {
    let scenario = load(name, &[]).unwrap();
    let report = steady_state(&scenario, &PriceTable::example());
    let sum = |region: &str| -> f64 {
        report
            .lines
            .iter()
            .filter(|l| l.region == region)
            .map(|l| l.monthly_usd)
            .sum()
    };
    let (east, west, global) = (sum("us-east-1"), sum("us-west-2"), sum("global"));
    assert!(
        (east + west + global - report.monthly_usd).abs() < 1e-6,
        "{name}: every line bills in one of the three"
    );
    (east, west, global)
}

/// The ratios `docs/course.md` states (cost ÷ backup-restore's), to two decimals: the whitepaper's
/// ordering, and multi-site paying for a second full Region.
#[test]
fn the_four_strategies_cost_ratios_are_the_ones_the_course_states() {
    let names = [
        "backup-restore",
        "pilot-light",
        "warm-standby",
        "multi-site",
    ];
    let base = monthly_usd(names[0]);
    let ratios: Vec<f64> = names
        .iter()
        .map(|n| (monthly_usd(n) / base * 100.0).round() / 100.0)
        .collect();
    assert_eq!(
        ratios,
        [1.0, 1.02, 1.07, 1.26],
        "docs/course.md states these"
    );
    // Without the CloudFront and Route 53 bill all four share, the Regions' own costs.
    let regional: Vec<f64> = names
        .iter()
        .map(|n| {
            let (east, west, _) = by_region(n);
            east + west
        })
        .collect();
    let ratios: Vec<f64> = regional
        .iter()
        .map(|r| (r / regional[0] * 100.0).round() / 100.0)
        .collect();
    assert_eq!(
        ratios,
        [1.0, 1.04, 1.16, 1.58],
        "docs/course.md states these"
    );
}

#[test]
fn multi_site_costs_two_full_regions_and_the_others_less_in_the_second() {
    let share = |name: &str| {
        let (east, west, _) = by_region(name);
        west / east
    };
    let multi = share("multi-site");
    assert!(
        (0.97..=1.03).contains(&multi),
        "multi-site runs the same capacity in us-west-2 as in us-east-1: {multi}"
    );
    let shares: Vec<f64> = ["backup-restore", "pilot-light", "warm-standby"]
        .into_iter()
        .map(share)
        .collect();
    assert!(
        shares.windows(2).all(|w| w[0] < w[1]) && shares[2] < multi * 0.6,
        "{shares:?}"
    );
}

#[test]
fn a_runs_recovery_cost_does_not_depend_on_the_horizon() {
    for name in ["warm-standby", "pilot-light", "backup-restore"] {
        let costs: Vec<f64> = ["2d", "7d", "30d"]
            .into_iter()
            .map(|h| {
                let scenario = load(name, &[format!("horizon={h}")]).unwrap();
                sim_core::sweep::run_replication(&scenario, scenario.seed, 0, None)
                    .unwrap()
                    .recovery_usd
            })
            .collect();
        assert!(costs[0] > 0.0, "{name}: recovery adds capacity");
        assert_eq!(costs, [costs[0]; 3], "{name}: 2, 7 and 30 days");
    }
}

#[test]
fn recovery_bills_until_the_disaster_heals_or_the_stated_incident_ends() {
    let run = |sets: &[&str]| {
        let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
        let scenario = load("warm-standby", &sets).unwrap();
        sim_core::sweep::run_replication(&scenario, scenario.seed, 0, None).unwrap()
    };
    let day = run(&[]);
    let half = run(&["cost.incident=12h"]);
    assert!(day.heals.is_none(), "the Region outage does not heal");
    let onset = day.onset.unwrap();
    // The capacity's hourly rate: its usage billed for one hour each.
    let scenario = load("warm-standby", &[]).unwrap();
    let hour: Vec<sim_core::cost::Usage> = day
        .usage
        .iter()
        .map(|u| sim_core::cost::Usage {
            to: u.from + sim_core::SimDuration::from_hours(1),
            ..u.clone()
        })
        .collect();
    let hourly = sim_core::cost::recovery_cost(&scenario, &PriceTable::example(), &hour);
    assert!(hourly > 0.0);
    let extra = day.recovery_usd - half.recovery_usd;
    assert!(
        (extra - 12.0 * hourly).abs() < 1e-9 * extra.max(1.0),
        "the second 12 h cost {extra}, not 12 × {hourly}"
    );
    for u in &day.usage {
        assert_eq!(u.to, onset + sim_core::SimDuration::from_hours(24));
    }
}
