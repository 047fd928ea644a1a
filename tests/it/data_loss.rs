//! Data loss as the CLI shows it: the data-loss window as RPO beside the pre-onset figure and each
//! disaster's share, "not determined" instead of 0, runs with no disaster counted apart and warned about,
//! and budgets on lost writes, one-decimal percentiles and upper-case keywords.

use crate::{arg, drsim, fails, ok, ok_json, stderr, tmp};

/// A securecart-read-replica whose Region outage has a failure rate: within 12 h in about 39 % of runs.
const RARE: &str = r#"(extends: "securecart-read-replica", name: "rare",
 disasters: [(name: "region-outage", kind: RegionOutage(region: "us-east-1"), onset: Rate("1d"))])"#;

#[test]
fn run_shows_the_data_loss_window_and_the_pre_onset_rpo() {
    let text = ok(&drsim(&["run", "securecart-pitr"]));
    assert!(text.contains("data-loss window"), "{text}");
    assert!(text.contains("pre-onset RPO 0 s"), "{text}");
    assert!(text.contains("lost to"), "{text}");
    assert!(text.contains("bad-deploy 1h 26m"), "{text}");
    let json = ok_json(&drsim(&["run", "securecart-pitr", "--json"]));
    assert!(json["rpo_s"].as_f64().unwrap() > 1800.0, "{json}");
    assert_eq!(json["pre_onset_rpo_s"].as_f64(), Some(0.0));
    let store = &json["stores"][0];
    assert_eq!(store["losses"][0]["disaster"], "bad-deploy");
    assert_eq!(store["losses"][0]["writes"], store["lost"]);
}

#[test]
fn a_store_never_back_in_service_has_its_rpo_not_determined() {
    let args = ["run", "securecart-read-replica", "--set", "runbooks=[]"];
    let text = ok(&drsim(&args));
    assert!(text.contains("RPO          not determined"), "{text}");
    assert!(!text.contains("RPO          0 s"), "{text}");
    let json = ok_json(&drsim(&[&args[..], &["--json"]].concat()));
    assert!(
        json["rpo_s"].is_null() && json["stores"][0]["rpo_s"].is_null(),
        "{json}"
    );
    let sweep = ok(&drsim(&[
        "sweep",
        "securecart-read-replica",
        "--set",
        "runbooks=[]",
        "--runs",
        "10",
    ]));
    assert!(
        sweep.contains("RPO not determined (a store not back in service at the horizon): 10 of 10"),
        "{sweep}"
    );
}

#[test]
fn runs_with_no_disaster_are_counted_apart_and_warned_about() {
    let dir = tmp();
    let file = arg(dir.path(), "rare.ron");
    std::fs::write(&file, RARE).unwrap();
    let out = drsim(&["validate", &file]);
    ok(&out);
    let err = stderr(&out);
    assert!(
        err.contains("drsim: warning: disaster \"region-outage\": onset Rate(\"1d\") can start after the 12h horizon (in about 61 % of runs)"),
        "{err}"
    );
    let quiet = drsim(&["validate", "securecart-read-replica"]);
    assert_eq!(stderr(&quiet), "", "no warning without a reason");
    let text = ok(&drsim(&["sweep", &file, "--runs", "100"]));
    assert!(
        text.contains("runs (its onset fell past the horizon): left out of the figures above"),
        "{text}"
    );
    let json = ok_json(&drsim(&["sweep", &file, "--runs", "100", "--json"]));
    let none = json["no_disaster"].as_u64().unwrap();
    assert!((40..80).contains(&none), "{json}");
    assert_eq!(json["rto_s"]["n"].as_u64().unwrap() + none, 100);
    let md = arg(dir.path(), "sweep.md");
    ok(&drsim(&["sweep", &file, "--runs", "100", "--md", &md]));
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(
        md.contains(&format!("no disaster in {none} of 100 runs")),
        "{md}"
    );
    assert!(md.contains("pre-onset RPO (service)"), "{md}");
}

#[test]
fn budgets_bound_lost_writes_the_window_and_take_any_case() {
    let check = |budget: &str| {
        drsim(&[
            "check",
            "securecart-pitr",
            "--runs",
            "30",
            "--budget",
            budget,
        ])
    };
    // The old figure passed while an hour of orders was thrown away; the window does not.
    let rpo = ok_or_failed(&check("rpo:p99<=15m"), 1);
    assert!(rpo.contains("FAIL  rpo:p99<=15m is breached"), "{rpo}");
    let pre = ok(&check("pre_onset_rpo:p99<=15m"));
    assert!(pre.contains("PASS  pre_onset_rpo:p99<=15m holds"), "{pre}");
    let lost = ok_or_failed(&check("lost_writes:p99<=100"), 1);
    assert!(lost.contains("writes (95 % CI"), "{lost}");
    let upper = ok(&check("RTO:P99.9<=1d"));
    assert!(upper.contains("PASS  rto:p99.9<=1d holds"), "{upper}");
    let err = fails(&check("rto:p99.95<=1d"), 2);
    assert!(err.contains("more than one decimal"), "{err}");
}

/// Stdout of a run that exited with `code`.
fn ok_or_failed(out: &std::process::Output, code: i32) -> String {
    assert_eq!(out.status.code(), Some(code), "stderr: {}", stderr(out));
    String::from_utf8(out.stdout.clone()).unwrap()
}
