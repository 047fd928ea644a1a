//! The cost breakdown in `run`, `sweep` and `compare` (text, JSON, Markdown) sums to the total, every
//! commercial Region prices, and `--price-list` loads real prices from AWS Price List offer files.

use crate::{arg, drsim, fails, ok, ok_json, tmp};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/price-list");

/// A small eu-west-1 → eu-central-1 application: what used to be refused until six prices were typed.
const EU: &str = r#"(
    name: "eu-app",
    horizon: "1d",
    regions: [(name: "eu-west-1", azs: ["eu-west-1a", "eu-west-1b"]), (name: "eu-central-1", azs: ["eu-central-1a"])],
    resources: {
        "web": Asg(region: "eu-west-1", azs: ["eu-west-1a", "eu-west-1b"], desired: 4, max: 8, needed: 2),
        "db": Rds(deployment: SingleAz(az: "eu-west-1a"), size_gb: 50, read_replicas: [(az: "eu-central-1a")]),
        "dns": Record(policy: Simple(target: (endpoint: "web"))),
    },
    flows: [(name: "orders", kind: Write, rate_per_s: 5.0, entry: "dns", store: "db")],
    disasters: [(name: "az", kind: AzOutage(az: "eu-west-1a"), onset: At("2h"), duration: Fixed("1h"))],
)"#;

/// The sum of `cost.lines`, and `cost.monthly_usd`.
fn sums(json: &serde_json::Value) -> (f64, f64) {
    let lines = json["cost"]["lines"].as_array().expect("cost.lines");
    assert!(!lines.is_empty(), "{json}");
    let sum = lines
        .iter()
        .map(|l| l["monthly_usd"].as_f64().unwrap())
        .sum();
    (sum, json["cost"]["monthly_usd"].as_f64().unwrap())
}

fn line(json: &serde_json::Value, resource: &str, starts: &str) -> f64 {
    json["cost"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["resource"] == resource && l["what"].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("no {resource} line {starts:?}: {json}"))["monthly_usd"]
        .as_f64()
        .unwrap()
}

#[test]
fn the_breakdown_of_a_run_sums_to_its_total_in_json_and_text() {
    for name in ["backup-restore", "multi-site", "securecart-pitr"] {
        let json = ok_json(&drsim(&["run", name, "--json"]));
        let (sum, total) = sums(&json);
        assert_eq!(sum.to_bits(), total.to_bits(), "{name}");
        assert_eq!(
            total.to_bits(),
            json["cost_monthly_usd"].as_f64().unwrap().to_bits()
        );
        let by_region: f64 = json["cost"]["by_region"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_f64().unwrap())
            .sum();
        assert!((by_region - total).abs() < 1e-6, "{name}");
        assert!(
            json["cost"]["prices"]
                .as_str()
                .unwrap()
                .starts_with("example prices as of 2025-01"),
            "{json}"
        );
        let text = ok(&drsim(&["run", name]));
        assert!(
            text.contains("Cost (example prices as of 2025-01"),
            "{text}"
        );
        assert!(text.contains("steady state, per month"), "{text}");
        assert!(text.contains("per Region: "), "{text}");
        assert!(text.contains("recovery: $"), "{text}");
    }
}

#[test]
fn sweep_and_compare_show_the_breakdown_too() {
    let json = ok_json(&drsim(&["sweep", "pilot-light", "--runs", "4", "--json"]));
    let (sum, total) = sums(&json);
    assert_eq!(sum.to_bits(), total.to_bits());
    assert!(
        json["cost"]["recovery_usd_mean"].as_f64().unwrap() > 0.0,
        "{json}"
    );
    let text = ok(&drsim(&["sweep", "pilot-light", "--runs", "4"]));
    assert!(text.contains("web-east in all"), "{text}");
    let dir = tmp();
    let md = arg(dir.path(), "compare.md");
    let args = ["compare", "backup-restore", "multi-site", "--runs", "3"];
    let text = ok(&drsim(&args));
    for name in ["backup-restore", "multi-site"] {
        assert!(
            text.contains(&format!("Cost of {name}, per month")),
            "{text}"
        );
    }
    let json = ok_json(&drsim(&[&args[..], &["--json"]].concat()));
    for s in json["strategies"].as_array().unwrap() {
        let lines: f64 = s["cost"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["monthly_usd"].as_f64().unwrap())
            .sum();
        assert_eq!(
            lines.to_bits(),
            s["cost_monthly_usd"].as_f64().unwrap().to_bits()
        );
    }
    ok(&drsim(&[&args[..], &["--md", &md]].concat()));
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(
        text.contains("### Cost of `multi-site`, per month"),
        "{text}"
    );
    assert!(text.contains("| **total** |"), "{text}");
}

#[test]
fn a_scenario_in_europe_prices_without_overrides_and_with_a_price_list() {
    let dir = tmp();
    let path = arg(dir.path(), "eu.ron");
    std::fs::write(&path, EU).unwrap();
    ok(&drsim(&["validate", &path]));
    let example = ok_json(&drsim(&["run", &path, "--json"]));
    let hours = 4.0 * 730.0;
    let web = line(&example, "web", "4 × m5.large");
    assert!(
        (web - hours * 0.10704).abs() < 1e-6,
        "the example level: {web}"
    );
    let json_file = format!("{FIXTURES}/ec2-eu-west-1.json");
    let csv_file = format!("{FIXTURES}/rds-eu-west-1.csv");
    let out = drsim(&[
        "run",
        &path,
        "--json",
        "--price-list",
        &json_file,
        "--price-list",
        &csv_file,
    ]);
    let real = ok_json(&out);
    let err = crate::stderr(&out);
    assert!(
        err.contains("ec2-eu-west-1.json: 3 prices for this scenario"),
        "{err}"
    );
    assert!(err.contains("published 2025-01-15"), "{err}");
    let web = line(&real, "web", "4 × m5.large");
    assert!(
        (web - hours * 0.107).abs() < 1e-6,
        "the offer file's: {web}"
    );
    let db = line(&real, "db", "1 × db.r6g.large");
    assert!((db - 730.0 * 0.24).abs() < 1e-6, "the CSV's: {db}");
    let storage = line(&real, "db", "50 GB storage in eu-west-1");
    assert!((storage - 50.0 * 0.127).abs() < 1e-6, "{storage}");
    let (sum, total) = sums(&real);
    assert_eq!(sum.to_bits(), total.to_bits());
    assert!(
        real["cost"]["prices"]
            .as_str()
            .unwrap()
            .contains("set by the scenario's prices or a price list"),
        "{real}"
    );
}

#[test]
fn a_bad_price_list_is_refused_with_exit_2_naming_the_file() {
    let dir = tmp();
    let cases = [
        ("broken.json", "{\"products\": {", "invalid JSON"),
        (
            "other.json",
            "{\"offerCode\": \"AmazonEC2\"}",
            "no `products` and `terms`",
        ),
        ("empty.csv", "", "neither JSON nor a CSV"),
        (
            "nothing.json",
            "{\"products\": {}, \"terms\": {\"OnDemand\": {}}}",
            "nothing in it is a price drsim uses",
        ),
    ];
    for (name, text, expected) in cases {
        let path = arg(dir.path(), name);
        std::fs::write(&path, text).unwrap();
        let err = fails(&drsim(&["run", "warm-standby", "--price-list", &path]), 2);
        assert!(
            err.contains(name) && err.contains(expected),
            "{name}: {err}"
        );
    }
    let missing = arg(dir.path(), "missing.json");
    let err = fails(
        &drsim(&["run", "warm-standby", "--price-list", &missing]),
        2,
    );
    assert!(err.contains("no such file"), "{err}");
    let bin = arg(dir.path(), "binary.json");
    std::fs::write(&bin, [0xff, 0xfe, 0x00]).unwrap();
    let err = fails(
        &drsim(&["sweep", "warm-standby", "--runs", "2", "--price-list", &bin]),
        2,
    );
    assert!(err.contains("not UTF-8"), "{err}");
}
