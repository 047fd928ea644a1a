//! Small scenarios from RON text, run through the whole world: the helpers the end-to-end modules share.

use sim_core::measure::RunResult;
use sim_core::spec::Scenario;
use sim_core::sweep::run_replication;
use sim_core::{SimDuration, SimTime};

/// A scenario over us-east-1 (three AZs) and us-west-2 (two), six hours long, with these resources (RON
/// map entries) and `rest` (flows, disasters, runbooks …). Panics on a parse error.
pub fn scenario(resources: &str, rest: &str) -> Scenario {
    let text = format!(
        r#"(
            name: "e2e",
            horizon: "6h",
            regions: [
                (name: "us-east-1", azs: ["us-east-1a", "us-east-1b", "us-east-1c"]),
                (name: "us-west-2", azs: ["us-west-2a", "us-west-2b"]),
            ],
            resources: {{ {resources} }},
            {rest}
        )"#
    );
    crate::parse_scenario(&text)
}

/// The validation issues of `s`, as messages.
pub fn issues(s: &Scenario) -> Vec<String> {
    sim_core::validate::validate(s)
        .into_iter()
        .map(|i| i.message)
        .collect()
}

/// Replication `replication` of a scenario that must validate.
pub fn run(s: &Scenario, replication: u64) -> RunResult {
    assert_eq!(issues(s), Vec::<String>::new(), "scenario must validate");
    run_replication(s, s.seed, replication, None).unwrap_or_else(|e| panic!("{e}"))
}

/// When `actor` first logged a line containing `text`, if it did.
pub fn logged(r: &RunResult, actor: &str, text: &str) -> Option<SimTime> {
    r.log
        .iter()
        .find(|e| e.actor == actor && e.text.contains(text))
        .map(|e| e.at)
}

/// Seconds from the onset to `t`.
pub fn after_onset(r: &RunResult, t: SimTime) -> f64 {
    let onset = r.onset.expect("a disaster");
    t.saturating_since(onset).as_secs_f64()
}

/// The RTO of flow `flow` in seconds (`None`: not recovered).
pub fn rto_s(r: &RunResult, flow: &str) -> Option<f64> {
    r.flows
        .iter()
        .find(|f| f.name == flow)
        .unwrap_or_else(|| panic!("no flow {flow}"))
        .rto
        .map(SimDuration::as_secs_f64)
}
