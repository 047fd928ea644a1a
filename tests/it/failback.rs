//! Failback and exposure through the binary (issue 19): `run` and `sweep --json` carry them, `check`
//! budgets judge them, and the HTML reports show them.

use crate::{arg, drsim, fails, ok, ok_json, tmp};

#[test]
fn run_json_has_the_exposure_and_the_failback() {
    let v = ok_json(&drsim(&["run", "warm-standby-failback", "--json"]));
    // The resync after the managed failover ends the exposure hours later.
    assert!(v["exposure_s"].as_f64().unwrap() > 3600.0, "{v}");
    let f = &v["failback"];
    assert!(f["healed_s"].as_f64().is_some(), "{v}");
    // Automatic failback to a read-only secondary: never back, checkout's writes fail.
    assert!(f["time_s"].is_null(), "{f}");
    assert!(f["failed_requests"].as_f64().unwrap() > 1000.0, "{f}");
    let text = ok(&drsim(&["run", "warm-standby-failback"]));
    assert!(text.contains("  exposure     "), "{text}");
    assert!(
        text.contains("clients not served from the primary again within the horizon"),
        "{text}"
    );
}

#[test]
fn sweep_json_summarises_them_over_the_healed_runs() {
    let v = ok_json(&drsim(&[
        "sweep",
        "warm-standby-failback-planned",
        "--runs",
        "30",
        "--json",
    ]));
    assert_eq!(v["failback"]["healed"], 30, "{v}");
    assert_eq!(v["failback"]["time_s"]["n"], 30);
    assert_eq!(v["failback"]["time_s"]["not_recovered"], 0);
    assert_eq!(v["failback"]["lost_writes"]["max"], 0.0);
    assert!(v["exposure_s"]["p50"].as_f64().unwrap() > 3600.0, "{v}");
    // A warm standby that never heals is still exposed at the horizon in every run.
    let w = ok_json(&drsim(&["sweep", "warm-standby", "--runs", "20", "--json"]));
    assert_eq!(w["exposure_s"]["not_recovered"], 20, "{w}");
    assert_eq!(w["failback"]["healed"], 0);
}

#[test]
fn check_budgets_judge_exposure_and_failback() {
    let budget = |b: &str| {
        drsim(&[
            "check",
            "warm-standby-failback-planned",
            "--runs",
            "40",
            "--budget",
            b,
        ])
    };
    ok(&budget("exposure:p99<=24h"));
    // The failback waits for the resync (tens of minutes): 5 minutes is breached.
    let out = budget("failback:p99<=5m");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        crate::stdout(&out).contains("FAIL  failback:p99<=5m is breached"),
        "{}",
        crate::stdout(&out)
    );
    ok(&budget("failback_lost_writes:p99<=0"));
    ok(&budget("failback_downtime:p99<=15m"));
    // The pitfall: automatic failback to a read-only secondary never completes.
    let pitfall = drsim(&[
        "check",
        "warm-standby-failback",
        "--runs",
        "20",
        "--budget",
        "failback:p99<=1h",
    ]);
    assert_eq!(pitfall.status.code(), Some(1));
    let bad = fails(&budget("store.app-db.exposure:p99<=1h"), 2);
    assert!(bad.contains("whole service"), "{bad}");
}

#[test]
fn the_html_reports_show_them() {
    let dir = tmp();
    let (cmp, run) = (arg(dir.path(), "c.html"), arg(dir.path(), "r.html"));
    ok(&drsim(&[
        "compare",
        "warm-standby-failback",
        "warm-standby-failback-planned",
        "--runs",
        "20",
        "--html",
        &cmp,
    ]));
    let page = std::fs::read_to_string(&cmp).unwrap();
    assert!(page.contains("id=\"after-table\""), "no failback table");
    assert!(page.contains("<th>exposure <abbr") && page.contains("<th>failback <abbr"));
    ok(&drsim(&[
        "replay",
        "warm-standby-failback-planned",
        "--html",
        &run,
    ]));
    let page = std::fs::read_to_string(&run).unwrap();
    assert!(page.contains("<dt>exposure</dt>") && page.contains("<dt>failback</dt>"));
    assert!(
        page.contains("served from the primary"),
        "the replay's failback line"
    );
}
