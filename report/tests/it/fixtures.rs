//! Real inputs for the renderers: built-in scenarios swept through the libraries, as the CLI does.

use report::{Comparison, Report, StrategyReport};
use sim_core::model::topology::build;
use sim_core::sweep::run_replication;
use sim_core::sweep::{SweepSpec, SweepSummary, sweep_samples};
use sim_core::validate::topology_spec;

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
    }
}

/// A full report over two Region-outage strategies, with a replay and a topology. The costs are made-up
/// test inputs (the cost model lives elsewhere); they only give the scatter something to draw.
pub fn report(runs: u64) -> Report {
    let strategies = vec![
        strategy("pilot-light", runs, Some(1850.0)),
        strategy("warm-standby", runs, Some(4200.0)),
    ];
    let scenario = scenarios::load("pilot-light", &[]).expect("built-in scenario loads");
    let run = run_replication(&scenario, scenario.seed, 0, None).expect("replication runs");
    let topology = build(&topology_spec(&scenario)).expect("topology builds");
    Report {
        title: "drsim: pilot light vs warm standby <Region outage>".to_string(),
        comparison: Comparison { strategies },
        replay: Some(("pilot-light, replication 0".to_string(), run)),
        topology: Some(("pilot-light".to_string(), topology)),
    }
}
