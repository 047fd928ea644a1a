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
