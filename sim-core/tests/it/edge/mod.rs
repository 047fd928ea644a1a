//! Edge, compute and DNS behaviour measured through the whole world: small scenarios written as RON text,
//! run with `sweep::run_replication`, their measured RTO and failed requests checked against closed forms
//! (`docs/calibration.md`, "Edge, compute and DNS").

// Shares and ratios compared here are exact small values (0, 1) where exact comparison is intended.
#![allow(clippy::float_cmp)]

mod alb;
mod cache;
mod clients;
mod determinism;
mod origin_group;
mod store_failure;
mod timeout;

use sim_core::measure::{FlowResult, RunResult};
use sim_core::spec::Scenario;
use sim_core::sweep::run_replication;

/// A scenario over `us-east-1` (AZs a, b) and `us-west-2` (AZs a, b) with these resources, flows and
/// disasters (RON list and map bodies), checked by `sim_core::validate`.
pub fn scenario(resources: &str, flows: &str, disasters: &str) -> Scenario {
    scenario_with(resources, flows, disasters, "")
}

/// [`scenario`] with these runbooks (a RON list body).
pub fn scenario_with(resources: &str, flows: &str, disasters: &str, runbooks: &str) -> Scenario {
    let text = format!(
        r#"(
            name: "edge",
            horizon: "4h",
            regions: [
                (name: "us-east-1", azs: ["us-east-1a", "us-east-1b"]),
                (name: "us-west-2", azs: ["us-west-2a", "us-west-2b"]),
            ],
            resources: {{ {resources} }},
            flows: [ {flows} ],
            disasters: [ {disasters} ],
            runbooks: [ {runbooks} ],
        )"#
    );
    let sc: Scenario = crate::parse_scenario(&text);
    let issues = sim_core::validate::validate(&sc);
    assert!(issues.is_empty(), "{issues:?}\n{text}");
    sc
}

/// Replication `rep` of `sc` (seed 1).
pub fn run(sc: &Scenario, rep: u64) -> RunResult {
    run_replication(sc, 1, rep, None).expect("runs")
}

/// Flow `name` of `result`.
pub fn flow<'r>(result: &'r RunResult, name: &str) -> &'r FlowResult {
    result
        .flows
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no flow {name}"))
}

/// Flow `name`'s RTO in seconds (`f64::INFINITY` when not recovered).
pub fn rto_s(result: &RunResult, name: &str) -> f64 {
    flow(result, name)
        .rto
        .map_or(f64::INFINITY, |d| d.as_secs_f64())
}

/// The SLO window's allowance: a window of `w` seconds meets an SLO of `slo` while a deficit of `deficit`
/// (1 − success) covers at most this many seconds of it, so recovery is measured that much early.
pub fn allowance_s(slo: f64, deficit: f64, w: f64) -> f64 {
    (1.0 - slo) * w / deficit
}
