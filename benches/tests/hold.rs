//! The `hold` binary prints one JSON line with the documented keys (a smoke test, not a timing).

use std::process::Command;

#[test]
fn hold_prints_one_json_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_hold"))
        .args(["--pending", "100", "--events", "2000", "--rounds", "1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The documented order, as printed (serde_json's Value would sort the keys).
    let keys = [
        "pending",
        "events",
        "engine_ns_per_event",
        "baseline_ns_per_event",
        "ratio",
    ];
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| text.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert_eq!(json["pending"], 100);
    assert!(json["ratio"].as_f64().unwrap() > 0.0);
}

#[test]
fn hold_rejects_bad_flags_with_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_hold"))
        .args(["--pending", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
