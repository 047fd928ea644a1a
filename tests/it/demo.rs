//! `drsim demo`: runs, is deterministic, prints JSON with the documented keys, rejects bad flags with exit 2.

use crate::drsim;

#[test]
fn json_has_the_measured_fields_and_is_deterministic() {
    let first = drsim(&["demo", "--seed", "7", "--json"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let second = drsim(&["demo", "--seed", "7", "--json"]);
    assert_eq!(first.stdout, second.stdout);
    let json: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    for key in [
        "scenario",
        "seed",
        "rpo_s",
        "rto_s",
        "lost_writes",
        "digest",
    ] {
        assert!(json.get(key).is_some(), "missing {key} in {json}");
    }
    assert_eq!(json["seed"], 7);
    assert_eq!(json["digest"].as_str().map(str::len), Some(16));
}

#[test]
fn summary_is_readable() {
    let out = drsim(&["demo"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("RPO (measured)") && text.contains("RTO (measured)"),
        "{text}"
    );
}

#[test]
fn bad_flags_exit_2_with_a_message() {
    for args in [
        &["demo", "--seed", "-1"][..],
        &["demo", "--sed", "1"],
        &["nonsense"],
    ] {
        let out = drsim(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
}
