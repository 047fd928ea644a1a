//! The scenarios crate's integration tests: one binary, a module per behaviour.

mod arc;
mod backup_restore;
mod budgets;
mod calibration;
mod cost;
mod course;
mod data_loss;
mod determinism;
mod divergence;
mod failback;
mod field_effects;
mod fuzz;
mod golden;
mod horizon;
mod hybrid;
mod import;
mod invariants;
mod loading;
mod multi_site;
mod restores;
mod snapshots;

use proptest::test_runner::{Config, RngSeed};
use sim_core::spec::Scenario;
use sim_core::sweep::{SweepSpec, SweepSummary, sweep_samples};

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
    let samples = sweep_samples(scenario, &spec, &|_| {})
        .unwrap_or_else(|e| panic!("{}: {e}", scenario.name));
    SweepSummary::of(&scenario.name, scenario.seed, &samples)
}

/// A proptest configuration with `default` cases, or as many as the environment variable `var` says
/// (`DRSIM_FUZZ_CASES`, `DRSIM_PROPTEST_CASES`) for long runs; failures are not persisted to files.
///
/// The cases are drawn from a fixed seed, so `cargo test` (and CI) runs the same inputs every time and a
/// failure reproduces; `DRSIM_FUZZ_SEED=N` picks another seed and `DRSIM_FUZZ_SEED=random` a fresh one,
/// for exploration (a failure prints its minimal input either way).
pub fn cases(var: &str, default: u32) -> Config {
    let cases = std::env::var(var)
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default);
    let rng_seed = match std::env::var("DRSIM_FUZZ_SEED").ok().as_deref() {
        Some("random") => RngSeed::Random,
        Some(n) => RngSeed::Fixed(n.parse().expect("DRSIM_FUZZ_SEED: a number or `random`")),
        None => RngSeed::Fixed(0x00d7_5eed),
    };
    Config {
        cases,
        failure_persistence: None,
        rng_seed,
        ..Config::default()
    }
}
