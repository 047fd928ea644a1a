//! Real inputs for the renderers: built-in scenarios swept through the libraries, as the CLI does.

use report::{Comparison, Replay, Report, StrategyReport};
use sim_core::cost::{steady_state, table_for};
use sim_core::sweep::run_replication_with_series;
use sim_core::sweep::{SweepSpec, SweepSummary, sweep_samples};

/// Sweeps `name` for `runs` replications with its own seed (logs dropped, as in a real sweep).
pub fn strategy(name: &str, runs: u64, monthly_cost: Option<f64>) -> StrategyReport {
    let scenario = scenarios::load(name, &[]).expect("built-in scenario loads");
    let spec = SweepSpec {
        seed: scenario.seed,
        replications: 0..runs,
        disasters: None,
        threads: 0,
        keep_logs: false,
    };
    let samples = sweep_samples(&scenario, &spec, &|_| {}).expect("sweep runs");
    StrategyReport {
        name: name.to_string(),
        description: scenario.description.clone(),
        summary: SweepSummary::of(&scenario.name, scenario.seed, &samples),
        samples,
        monthly_cost,
        cost_lines: steady_state(&scenario, &table_for(&scenario).0).lines,
        price_label: "example prices as of 2025-01".to_string(),
        course: scenario.course.clone(),
    }
}

/// Replication 0 of built-in `name` with its success-ratio series, injecting only the disasters named
/// (`None`: the enabled ones).
pub fn replay(name: &str, disaster: Option<&str>) -> Replay {
    let scenario = scenarios::load(name, &[]).expect("built-in scenario loads");
    let active: Option<Vec<usize>> = disaster.map(|d| {
        vec![
            scenario
                .disasters
                .iter()
                .position(|x| x.name == d)
                .expect("the disaster exists"),
        ]
    });
    let (run, series) = run_replication_with_series(&scenario, scenario.seed, 0, active.as_deref())
        .expect("replication runs");
    Replay {
        label: format!("{name}, replication 0"),
        run,
        series,
        scenario: Some(scenario),
    }
}

/// A full report over two Region-outage strategies, with a replay and a topology. The costs are made-up
/// test inputs (the cost model lives elsewhere); they only give the scatter something to draw.
pub fn report(runs: u64) -> Report {
    let strategies = vec![
        strategy("pilot-light", runs, Some(1850.0)),
        strategy("warm-standby", runs, Some(4200.0)),
    ];
    Report {
        title: "drsim: pilot light vs warm standby <Region outage>".to_string(),
        comparison: Comparison { strategies },
        replay: Some(replay("pilot-light", None)),
    }
}

/// `warm-standby` with each `(path, value)` of `settings` applied, as a variant.
fn variant(settings: &[(&str, &str)]) -> sim_core::advise::explore::Candidate {
    let sets: Vec<String> = settings.iter().map(|(p, v)| format!("{p}={v}")).collect();
    sim_core::advise::explore::Candidate {
        settings: settings
            .iter()
            .map(|(p, v)| (p.to_string(), v.to_string()))
            .collect(),
        scenario: scenarios::load("warm-standby", &sets).expect("the variant loads"),
    }
}

/// An optimisation of `warm-standby` over standby capacity × health-check interval, and a sensitivity
/// analysis of the same knobs, with `runs` per variant.
pub fn advice(
    runs: u64,
) -> (
    sim_core::advise::explore::Optimization,
    sim_core::advise::explore::Sensitivity,
) {
    use sim_core::advise::Effort;
    use sim_core::advise::explore::{Objective, optimize, sensitivity};
    let effort = Effort {
        seed: 1,
        runs,
        threads: 0,
    };
    let capacity = ["2", "4", "6"];
    let interval = ["10s", "30s"];
    let mut grid = Vec::new();
    for c in capacity {
        for i in interval {
            grid.push(variant(&[
                ("resources.web-west.desired", c),
                ("resources.hc-east.interval", i),
            ]));
        }
    }
    let budget: sim_core::budget::Budget = "rto:p99<=20m".parse().expect("a budget");
    let o = optimize("warm-standby", &grid, &[budget], Objective::Cost, effort).expect("optimizes");
    let knobs = vec![
        (
            "resources.web-west.desired".to_string(),
            capacity
                .iter()
                .map(|c| variant(&[("resources.web-west.desired", c)]))
                .collect(),
        ),
        (
            "resources.hc-east.interval".to_string(),
            interval
                .iter()
                .map(|i| variant(&[("resources.hc-east.interval", i)]))
                .collect(),
        ),
    ];
    let s = sensitivity(&variant(&[]), &knobs, effort).expect("sensitivity runs");
    (o, s)
}
