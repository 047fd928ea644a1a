//! `drsim sweep`: the JSON summary, independence from the thread count, `--runs` bounds, output files.

use crate::{arg, drsim, fails, leftover_temps, ok, ok_json, tmp};

#[test]
fn json_has_percentiles_and_non_recoveries() {
    let json = ok_json(&drsim(&["sweep", "pilot-light", "--runs", "100", "--json"]));
    assert_eq!(json["scenario"], "pilot-light");
    assert_eq!(json["seed"], 1);
    assert_eq!(json["runs"], 100);
    for metric in ["rto_s", "rpo_s"] {
        let m = &json[metric];
        assert_eq!(m["n"], 100, "{m}");
        for key in ["p50", "p90", "p99", "max", "mean"] {
            assert!(m[key].is_number(), "{metric}.{key}: {m}");
        }
        let (p50, p90, p99, max) = (
            m["p50"].as_f64().unwrap(),
            m["p90"].as_f64().unwrap(),
            m["p99"].as_f64().unwrap(),
            m["max"].as_f64().unwrap(),
        );
        assert!(p50 <= p90 && p90 <= p99 && p99 <= max, "{m}");
        let ci = m["p99_ci"].as_array().unwrap();
        assert!(ci[0].as_f64().unwrap() <= p99, "{m}");
    }
    assert_eq!(json["rto_s"]["not_recovered"], 0);
    assert!(json["rto_s"]["p50"].as_f64().unwrap() > 60.0);
    assert_eq!(json["flows"].as_array().unwrap().len(), 4);
    assert_eq!(json["stores"].as_array().unwrap().len(), 4);
}

#[test]
fn non_recoveries_are_counted_and_percentiles_beyond_them_are_null() {
    let json = ok_json(&drsim(&[
        "sweep",
        "backup-restore",
        "--runs",
        "50",
        "--set",
        r#"disasters.region-outage.onset={"At":"1h"}"#,
        "--set",
        "horizon=2h",
        "--json",
    ]));
    assert_eq!(json["rto_s"]["not_recovered"], 50, "{json}");
    assert!(json["rto_s"]["p50"].is_null(), "{json}");
}

#[test]
fn one_thread_and_two_threads_give_the_same_bytes() {
    let run = |threads: &str| {
        ok(&drsim(&[
            "sweep",
            "warm-standby",
            "--runs",
            "120",
            "--seed",
            "5",
            "--threads",
            threads,
            "--json",
        ]))
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert!(one.contains("\"runs\":120"), "{one}");
}

#[test]
fn runs_must_be_between_one_and_the_limit() {
    let err = fails(&drsim(&["sweep", "pilot-light", "--runs", "0"]), 2);
    assert!(err.contains("--runs must be at least 1"), "{err}");
    let err = fails(
        &drsim(&["sweep", "pilot-light", "--runs", "99999999999"]),
        2,
    );
    assert!(err.contains("shard the sweep"), "{err}");
    fails(&drsim(&["sweep", "pilot-light", "--runs", "-3"]), 2);
}

#[test]
fn markdown_and_results_files_are_written() {
    let dir = tmp();
    let (md, out) = (arg(dir.path(), "s.md"), arg(dir.path(), "s.json"));
    let text = ok(&drsim(&[
        "sweep",
        "pilot-light",
        "--runs",
        "50",
        "--md",
        &md,
        "--out",
        &out,
    ]));
    assert!(
        text.contains("not recovered within the horizon: 0 of 50"),
        "{text}"
    );
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("| --") || md.contains("|---"), "{md}");
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(file["format"], "drsim-sweep/4");
    assert_eq!(file["samples"].as_array().unwrap().len(), 50);
    assert!(leftover_temps(dir.path()).is_empty());
}

#[test]
fn an_unwritable_output_fails_before_the_work_and_leaves_nothing() {
    let dir = tmp();
    let missing = arg(dir.path(), "no/such/dir/out.json");
    let err = fails(
        &drsim(&["sweep", "pilot-light", "--runs", "50", "--out", &missing]),
        3,
    );
    assert!(err.contains("does not exist"), "{err}");
    let err = fails(
        &drsim(&[
            "sweep",
            "pilot-light",
            "--runs",
            "50",
            "--md",
            dir.path().to_str().unwrap(),
        ]),
        2,
    );
    assert!(err.contains("not a file path"), "{err}");
    assert!(leftover_temps(dir.path()).is_empty());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_closed_stdout_is_not_a_crash() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // The reader goes away at once; drsim must still exit 0 (not 101 from a panicking println!).
    let mut child = Command::new(env!("CARGO_BIN_EXE_drsim"))
        .args(["sweep", "pilot-light", "--runs", "20"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
