//! Golden snapshots of whole results: for every built-in scenario, the complete `RunResult` JSON (flows,
//! stores, breakdown, usage and recovery cost, step log with its text, digest) of several seeds,
//! replications and disaster choices, the steady-state cost report, and a 40-run sweep summary.
//!
//! The trace digest (`golden.rs`) only covers engine events: measurement, settlement draws, cost and the
//! narration can change without it noticing. These files catch all of that, as a readable diff in review.
//!
//! The files live in `scenarios/tests/snapshots/NAME.json` and are compared byte for byte. To refresh them
//! on purpose (a behaviour change you intend), run
//! `DRSIM_BLESS=1 cargo test -p scenarios --test it snapshots` and review `git diff scenarios/tests/snapshots`.

use std::path::PathBuf;

use serde_json::{Value, json};
use sim_core::cost::{steady_state, table_for};
use sim_core::sweep::run_replication;

use crate::{load, summarise};

/// Seeds and replications of every case: two of each, so per-seed and per-replication streams both show.
const SEEDS: [u64; 2] = [1, 2];
const REPLICATIONS: [u64; 2] = [0, 3];
const SWEEP_RUNS: u64 = 40;

fn snapshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// The snapshot document of one built-in.
fn snapshot(name: &str) -> Value {
    let scenario = load(name, &[]);
    // The enabled disasters (what `drsim run` injects), then each disaster on its own.
    let mut choices: Vec<(String, Option<Vec<usize>>)> = vec![("enabled".into(), None)];
    for (i, d) in scenario.disasters.iter().enumerate() {
        choices.push((d.name.clone(), Some(vec![i])));
    }
    let mut runs = Vec::new();
    for (label, active) in &choices {
        for seed in SEEDS {
            for replication in REPLICATIONS {
                let result = run_replication(&scenario, seed, replication, active.as_deref())
                    .unwrap_or_else(|e| panic!("{name} {label} seed {seed}: {e}"));
                runs.push(json!({
                    "disasters": label,
                    "seed": seed,
                    "replication": replication,
                    "result": result,
                }));
            }
        }
    }
    let (table, _) = table_for(&scenario);
    json!({
        "scenario": name,
        "steady_cost": steady_state(&scenario, &table),
        "sweep": summarise(&scenario, SWEEP_RUNS, None),
        "runs": runs,
    })
}

/// The first line where two texts differ, with a little context, for the failure message.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let at = (0..e.len().max(a.len()))
        .find(|&i| e.get(i) != a.get(i))
        .unwrap_or(0);
    let from = at.saturating_sub(3);
    let show = |lines: &[&str]| {
        lines
            .iter()
            .enumerate()
            .skip(from)
            .take(at - from + 4)
            .map(|(i, l)| format!("{:>6} {l}", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "first difference at line {}:\n--- snapshot\n{}\n+++ now\n{}",
        at + 1,
        show(&e),
        show(&a)
    )
}

#[test]
fn every_builtin_result_matches_its_snapshot() {
    let bless = std::env::var_os("DRSIM_BLESS").is_some();
    let dir = snapshot_dir();
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let names = scenarios::builtin_names();
    let mut failures = Vec::new();
    for name in &names {
        let path = dir.join(format!("{name}.json"));
        let actual = serde_json::to_string_pretty(&snapshot(name)).unwrap() + "\n";
        if bless {
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => {
                failures.push(format!("{name}: {}", first_difference(&expected, &actual)))
            }
            Err(e) => failures.push(format!("{name}: cannot read {}: {e}", path.display())),
        }
    }
    // A snapshot of a scenario that no longer exists is stale.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().to_string();
            let stem = file.trim_end_matches(".json");
            if !names.contains(&stem) {
                failures.push(format!("{file}: no built-in of that name; delete it"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "\n{}\n\nA built-in's results changed. If the change is intended, refresh with \
         `DRSIM_BLESS=1 cargo test -p scenarios --test it snapshots`, review `git diff scenarios/tests/snapshots` \
         and name each changed snapshot and why in your commit.\n",
        failures.join("\n\n")
    );
}

/// The comparison itself can fail: a one-byte change is reported with its line.
#[test]
fn a_changed_result_is_reported_at_its_line() {
    let expected = "{\n  \"a\": 1,\n  \"b\": 2\n}\n";
    let actual = "{\n  \"a\": 1,\n  \"b\": 3\n}\n";
    let message = first_difference(expected, actual);
    assert!(message.contains("line 3"), "{message}");
    assert!(message.contains("\"b\": 3"), "{message}");
}
