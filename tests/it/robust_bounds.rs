//! Bounded work: requests for absurd amounts of simulation are refused up front with exit 2, not
//! attempted.

use crate::drsim;

/// Runs `args`, expecting exit 2 and every fragment in the message.
fn refuse(args: &[&str], expect: &[&str]) {
    let out = drsim(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "drsim {args:?}:\n{stderr}");
    for fragment in expect {
        assert!(
            stderr.contains(fragment),
            "missing {fragment:?} in:\n{stderr}"
        );
    }
}

#[test]
fn a_ten_year_horizon_is_refused() {
    for command in ["run", "validate", "sweep"] {
        refuse(
            &[command, "securecart-multi-az", "--set", "horizon=3650d"],
            &["horizon", "longer than a year"],
        );
    }
}

#[test]
fn a_billion_runs_is_refused_before_any_run() {
    refuse(
        &["sweep", "securecart-multi-az", "--runs", "1000000000"],
        &["--runs 1000000000", "shard"],
    );
    refuse(
        &[
            "compare",
            "pilot-light",
            "warm-standby",
            "--runs",
            "1000000000",
        ],
        &["--runs 1000000000"],
    );
    refuse(
        &[
            "check",
            "securecart-multi-az",
            "--runs",
            "1000000000",
            "--budget",
            "rto:p99<=15m",
        ],
        &["--runs 1000000000"],
    );
    refuse(
        &["sweep", "securecart-multi-az", "--runs", "0"],
        &["at least 1"],
    );
}

#[test]
fn absurd_flag_values_are_usage_errors() {
    refuse(&["sweep", "securecart-multi-az", "--runs", "-1"], &[]);
    refuse(
        &[
            "sweep",
            "securecart-multi-az",
            "--runs",
            "99999999999999999999",
        ],
        &[],
    );
    refuse(
        &[
            "run",
            "securecart-multi-az",
            "--seed",
            "18446744073709551616",
        ],
        &[],
    );
    refuse(
        &[
            "sweep",
            "securecart-multi-az",
            "--shard",
            "9/8",
            "--out",
            "x.json",
        ],
        &["shard"],
    );
    refuse(
        &[
            "check",
            "securecart-multi-az",
            "--runs",
            "5",
            "--budget",
            "rto:p101<=1m",
        ],
        &[],
    );
    refuse(
        &[
            "check",
            "securecart-multi-az",
            "--runs",
            "5",
            "--max-regression",
            "NaN%",
        ],
        &[],
    );
}

#[test]
fn a_problem_caused_by_a_set_names_the_set() {
    // Finding: a `--set` value that broke validation was blamed on a line of the scenario file.
    let set = "flows.checkout.entry=nosuch";
    let out = drsim(&["validate", "securecart-multi-az", "--set", set]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "drsim: --set {set}: flow \"checkout\" refers to entry point \"nosuch\", which does not exist"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("builtin:"), "{stderr}");
    // Of two sets, the one whose value is quoted; a problem the sets did not cause keeps its line.
    let out = drsim(&[
        "validate",
        "securecart-multi-az",
        "--set",
        "horizon=4h",
        "--set",
        "disasters.az-outage.kind.AzOutage.az=us-east-1z",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("drsim: --set disasters.az-outage.kind.AzOutage.az=us-east-1z: "),
        "{stderr}"
    );
    let dir = crate::robust_input::scratch("bounds-set-blame");
    let path = dir.join("bad.ron");
    std::fs::write(
        &path,
        include_str!("../../scenarios/securecart-multi-az.ron")
            .replace("entry: \"alb\"", "entry: \"alb2\""),
    )
    .unwrap();
    let out = drsim(&["validate", path.to_str().unwrap(), "--set", "horizon=4h"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(&format!("drsim: {}:17:", path.display())),
        "{stderr}"
    );
}

/// A scenario whose runbook, triggered at the onset, has these `states` starting at "a".
fn runbook_scenario(dir: &std::path::Path, horizon: &str, states: &str) -> String {
    let path = crate::arg(dir, "loop.ron");
    std::fs::write(
        &path,
        format!(
            r#"(
    name: "loop",
    horizon: "{horizon}",
    regions: [(name: "us-east-1", azs: ["us-east-1a"])],
    resources: {{ "fn": Lambda(region: "us-east-1") }},
    flows: [(name: "api", kind: Read, rate_per_s: 1.0, entry: "fn")],
    disasters: [(name: "drill", kind: Planned(what: "a drill"), onset: At("1h"))],
    runbooks: [(
        name: "poll",
        trigger: Onset,
        start_at: "a",
        states: {{
{states}
        }},
    )],
)"#
        ),
    )
    .unwrap();
    path
}

#[test]
fn runbook_loops_that_take_no_time_are_refused_at_their_position() {
    // Finding: `Wait 0s → itself` validated, then a replication spun for half a minute and gigabytes.
    let dir = crate::tmp();
    let path = runbook_scenario(
        dir.path(),
        "1d",
        r#"            "a": Wait(duration: Fixed("0s"), next: "b"),
            "b": Choice(choices: [(when: RegionUp("us-east-1"), next: "a")], default: "end"),
            "end": Succeed,"#,
    );
    refuse(
        &["validate", &path],
        &["loop.ron:", "loop without any time passing", "a → b"],
    );
}

#[test]
fn retries_past_the_state_language_bounds_are_refused() {
    // Finding: `Retry` with max_attempts 4294967295 and a 1 µs interval validated.
    let dir = crate::tmp();
    let path = runbook_scenario(
        dir.path(),
        "1d",
        r#"            "a": Task(action: Run(what: "x", duration: Fixed("1s")), retry: [(interval: "1us", max_attempts: 4294967295)]),"#,
    );
    refuse(
        &["run", &path],
        &[
            "max_attempts 4294967295",
            "at most 99999999",
            "retries after 1us",
            "at least 1",
        ],
    );
}

#[test]
fn a_timeout_under_a_second_is_refused() {
    let dir = crate::tmp();
    let path = runbook_scenario(
        dir.path(),
        "1d",
        r#"            "a": Task(action: Run(what: "x", duration: Fixed("1m")), timeout: "0s"),"#,
    );
    refuse(
        &["run", &path],
        &["state \"a\" times out after 0s", "at least 1"],
    );
}

#[test]
fn a_poll_for_a_year_stops_at_the_step_bound_naming_its_state() {
    // Finding: a 1 s poll for 366 days took half a minute and gigabytes per replication. Now the run stops
    // at the per-replication step bound with exit 2, naming the runbook and the state.
    let dir = crate::tmp();
    let path = runbook_scenario(
        dir.path(),
        "366d",
        r#"            "a": Wait(duration: Fixed("1s"), next: "b"),
            "b": Choice(choices: [(when: RegionUp("us-east-1"), next: "a")], default: "end"),
            "end": Succeed,"#,
    );
    crate::ok(&drsim(&["validate", &path]));
    for command in ["run", "sweep"] {
        let mut args = vec![command, path.as_str()];
        if command == "sweep" {
            args.extend(["--runs", "3"]);
        }
        refuse(&args, &["runbook \"poll\" loops at state", "100000 steps"]);
    }
}

#[test]
fn a_sweep_whose_samples_cannot_fit_in_memory_is_refused_with_a_suggestion() {
    // Finding: sweeps kept every result (1 KB a run); a sweep that cannot fit must be refused up front.
    // Samples now take 48 + 8 × (flows + stores) bytes a run: 10 million runs of a scenario with 60 flows
    // would keep about 4.5 GiB.
    let dir = crate::tmp();
    let path = crate::arg(dir.path(), "wide.ron");
    let flows: String = (0..60)
        .map(|i| format!(r#"(name: "f{i}", kind: Read, rate_per_s: 1.0, entry: "fn"),"#))
        .collect();
    std::fs::write(
        &path,
        format!(
            r#"(name: "wide", horizon: "1h", regions: [(name: "us-east-1", azs: ["us-east-1a"])],
                resources: {{ "fn": Lambda(region: "us-east-1") }}, flows: [{flows}])"#
        ),
    )
    .unwrap();
    refuse(
        &["sweep", &path, "--runs", "10000000"],
        &["GiB of samples in memory", "--shard K/N"],
    );
}
