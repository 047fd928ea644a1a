//! The cost model on the built-in scenarios: every one prices in full, and the four strategies order by
//! cost as the course teaches.

use scenarios::{builtin_names, load};
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
        eprintln!("{name}: {:.2} USD/month", report.monthly_usd);
        for l in &report.lines {
            eprintln!("    {:<14} {:>10.2}  {}", l.resource, l.monthly_usd, l.what);
        }
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
