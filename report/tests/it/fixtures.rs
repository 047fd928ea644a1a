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
