//! `drsim run`: one replication; JSON shape, determinism, `null` for not recovered, bad disasters.

use crate::{drsim, fails, ok, ok_json};

#[test]
fn json_has_the_measured_fields() {
    let json = ok_json(&drsim(&["run", "pilot-light", "--seed", "3", "--json"]));
    assert_eq!(json["scenario"], "pilot-light");
    assert_eq!(json["seed"], 3);
    assert_eq!(json["replication"], 0);
    assert_eq!(json["disaster"], "region-outage");
    for key in ["rpo_s", "rto_s", "cost_monthly_usd", "recovery_usd"] {
        assert!(
            json[key].as_f64().is_some_and(|v| v >= 0.0),
            "{key}: {json}"
        );
    }
    // pilot-light must promote and scale from zero: it takes minutes, never nothing.
    assert!(json["rto_s"].as_f64().unwrap() > 60.0, "{json}");
    assert!(json["cost_monthly_usd"].as_f64().unwrap() > 100.0, "{json}");
    assert!(json["lost_writes"].as_u64().is_some(), "{json}");
    assert_eq!(json["digest"].as_str().map(str::len), Some(16), "{json}");
    let flows: Vec<&str> = json["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(flows, ["browse", "catalog", "cart", "checkout"]);
    for f in json["flows"].as_array().unwrap() {
        assert!(
            f.get("rto_s").is_some() && f["availability"].is_number(),
            "{f}"
        );
    }
    let stores: Vec<&str> = json["stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        stores.contains(&"app-db") && stores.contains(&"cart"),
        "{stores:?}"
    );
    for s in json["stores"].as_array().unwrap() {
        assert!(s["rpo_s"].is_number() && s["lost"].is_u64(), "{s}");
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_run() {
    let args = ["run", "warm-standby", "--seed", "11", "--json"];
    let a = drsim(&args);
    let b = drsim(&args);
    assert_eq!(ok(&a), ok(&b));
    let c = ok_json(&drsim(&["run", "warm-standby", "--seed", "12", "--json"]));
    let a: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_ne!(a["digest"], c["digest"]);
}

#[test]
fn not_recovered_is_null() {
    // Backup & restore with the Region lost 1 h in and only 1 h left: the restore cannot finish.
    let args = [
        "run",
        "backup-restore",
        "--set",
        r#"disasters.region-outage.onset={"At":"1h"}"#,
        "--set",
        "horizon=2h",
    ];
    let json = ok_json(&drsim(&[&args[..], &["--json"]].concat()));
    assert_eq!(json["onset_s"], 3600.0, "{json}");
    assert!(json["rto_s"].is_null(), "{json}");
    let checkout = json["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "checkout")
        .unwrap();
    assert!(checkout["rto_s"].is_null(), "{checkout}");
    // The text summary says so in words.
    let text = ok(&drsim(&args));
    assert!(text.contains("not recovered"), "{text}");
}

#[test]
fn a_chosen_disaster_is_the_one_injected() {
    let json = ok_json(&drsim(&[
        "run",
        "unishop-hot-standby",
        "--disaster",
        "ui-403",
        "--json",
    ]));
    assert_eq!(json["disaster"], "ui-403");
}

#[test]
fn an_unknown_disaster_lists_the_disasters() {
    let err = fails(
        &drsim(&["run", "unishop-hot-standby", "--disaster", "meteor"]),
        2,
    );
    assert!(err.contains("\"meteor\""), "{err}");
    assert!(err.contains("region-outage, ui-403"), "{err}");
}

#[test]
fn text_summary_has_rpo_rto_and_cost() {
    let text = ok(&drsim(&["run", "pilot-light"]));
    for needle in ["RPO", "RTO", "steady state", "per month"] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}
