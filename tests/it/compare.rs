//! `drsim compare`: paired comparison under common random numbers, JSON, HTML and Markdown.

use crate::{arg, drsim, fails, leftover_temps, ok, ok_json, tmp};

#[test]
fn json_html_and_markdown() {
    let dir = tmp();
    let (html, md) = (arg(dir.path(), "c.html"), arg(dir.path(), "c.md"));
    let json = ok_json(&drsim(&[
        "compare",
        "backup-restore",
        "pilot-light",
        "--runs",
        "60",
        "--json",
        "--html",
        &html,
        "--md",
        &md,
    ]));
    assert_eq!(json["baseline"], "backup-restore");
    let names: Vec<&str> = json["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["backup-restore", "pilot-light"]);
    for s in json["strategies"].as_array().unwrap() {
        assert_eq!(s["sweep"]["runs"], 60, "{s}");
        assert!(s["cost_monthly_usd"].as_f64().unwrap() > 0.0, "{s}");
    }
    let paired = &json["paired"][0];
    assert_eq!(paired["strategy"], "pilot-light");
    assert_eq!(paired["rto_s"]["pairs"], 60);
    // Pilot light recovers faster than restoring from backups in every paired replication.
    assert_eq!(paired["rto_s"]["lower"], 60, "{paired}");
    assert!(
        paired["rto_s"]["diff"]["p50"].as_f64().unwrap() < 0.0,
        "{paired}"
    );

    let html = std::fs::read_to_string(&html).unwrap();
    for id in [
        "chart-rto-cdf",
        "chart-rpo-cdf",
        "chart-cost-rto",
        "chart-timeline",
        "chart-topology",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"));
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(
        md.contains("| strategy |") && md.contains("| pilot-light |"),
        "{md}"
    );
    assert!(md.contains("Paired differences"), "{md}");
    assert!(leftover_temps(dir.path()).is_empty());
}

#[test]
fn text_table_is_deterministic() {
    let args = ["compare", "warm-standby", "multi-site", "--runs", "40"];
    let first = ok(&drsim(&args));
    assert_eq!(first, ok(&drsim(&args)));
    assert!(
        first.contains("warm-standby") && first.contains("multi-site"),
        "{first}"
    );
}

#[test]
fn bad_inputs() {
    let err = fails(
        &drsim(&["compare", "pilot-light", "nope", "--runs", "10"]),
        2,
    );
    assert!(err.contains("nope"), "{err}");
    let err = fails(
        &drsim(&["compare", "pilot-light", "multi-site", "--runs", "0"]),
        2,
    );
    assert!(err.contains("--runs"), "{err}");
    let dir = tmp();
    let err = fails(
        &drsim(&[
            "compare",
            "pilot-light",
            "multi-site",
            "--runs",
            "10",
            "--html",
            &arg(dir.path(), "missing/c.html"),
        ]),
        3,
    );
    assert!(err.contains("does not exist"), "{err}");
}
