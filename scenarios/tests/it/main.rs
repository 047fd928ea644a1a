//! The scenarios crate's integration tests: one binary, a module per behaviour.

mod cost;
mod course;
mod determinism;
mod horizon;
mod loading;

use sim_core::sweep::{Sample, SweepSpec, SweepSummary, sweep};
use sim_core::world::config::Scenario;

/// Loads a built-in (or a file) with `--set` overrides, panicking with the loader's message on failure.
pub fn load(name: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    scenarios::load(name, &sets).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Sweeps `runs` replications of the enabled disasters (or `disasters`) and summarises them.
pub fn summarise(scenario: &Scenario, runs: u64, disasters: Option<Vec<usize>>) -> SweepSummary {
    let spec = SweepSpec {
        seed: scenario.seed,
        replications: 0..runs,
        disasters,
        threads: 0,
        keep_logs: false,
    };
    let results =
        sweep(scenario, &spec, &|_| {}).unwrap_or_else(|e| panic!("{}: {e}", scenario.name));
    let samples: Vec<Sample> = results.iter().map(Sample::of).collect();
    SweepSummary::of(scenario, scenario.seed, &samples)
}
