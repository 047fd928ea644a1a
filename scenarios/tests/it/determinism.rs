//! Same scenario + seed ⇒ bit-identical results, whatever the thread count; common random numbers across
//! strategies.

use sim_core::sweep::run_replication;
use sim_core::sweep::{SweepSpec, sweep};

use crate::load;

#[test]
fn one_thread_and_two_threads_give_identical_results() {
    let sc = load("pilot-light", &[]);
    let spec = |threads| SweepSpec {
        seed: 7,
        replications: 0..200,
        disasters: None,
        threads,
        keep_logs: true,
    };
    let one = sweep(&sc, &spec(1), &|_| {}).unwrap();
    let two = sweep(&sc, &spec(2), &|_| {}).unwrap();
    assert_eq!(one, two);
}

#[test]
fn same_seed_twice_same_digest_different_seed_different_digest() {
    let sc = load("backup-restore", &[]);
    let a = run_replication(&sc, 3, 11, None).unwrap();
    let b = run_replication(&sc, 3, 11, None).unwrap();
    let c = run_replication(&sc, 4, 11, None).unwrap();
    assert_eq!(a, b);
    assert_ne!(a.digest, c.digest);
}

#[test]
fn strategies_share_the_disaster_onset_common_random_numbers() {
    let strategies = [
        "backup-restore",
        "pilot-light",
        "warm-standby",
        "multi-site",
    ]
    .map(|n| load(n, &[]));
    for replication in 0..20 {
        let onsets: Vec<_> = strategies
            .iter()
            .map(|sc| run_replication(sc, 1, replication, None).unwrap().onset)
            .collect();
        assert!(
            onsets.windows(2).all(|w| w[0] == w[1]),
            "replication {replication}: {onsets:?}"
        );
    }
}

#[test]
fn rto_changes_when_and_only_when_the_runbook_or_topology_changes() {
    let base = load("warm-standby", &[]);
    let same = load("warm-standby", &["description=only words changed"]);
    let slower = load(
        "warm-standby",
        &[
            r#"runbooks.scale-up-us-west-2.states.confirm.Task.action.Page.ack={"Fixed":"30m"}"#,
            "runbooks.scale-up-us-west-2.states.confirm.Task.timeout=null",
        ],
    );
    for r in 0..10 {
        let a = run_replication(&base, 1, r, None).unwrap();
        assert_eq!(a.rto, run_replication(&same, 1, r, None).unwrap().rto);
        assert!(run_replication(&slower, 1, r, None).unwrap().rto > a.rto);
    }
}

#[test]
fn quiet_runs_measure_exactly_what_narrated_runs_do() {
    for name in ["backup-restore", "securecart-pitr", "multi-site"] {
        let sc = load(name, &[]);
        for r in 0..5 {
            let loud = run_replication(&sc, 1, r, None).unwrap();
            let mut quiet = sim_core::sweep::run_replication_quiet(&sc, 1, r, None).unwrap();
            // A quiet log keeps no text, and only what the breakdown reads (a subset of the entries).
            assert!(quiet.log.iter().all(|e| e.text.is_empty()));
            let key = |e: &sim_core::model::LogEntry| (e.at, e.actor.clone(), e.phase);
            let loud_keys: Vec<_> = loud.log.iter().map(key).collect();
            assert!(quiet.log.iter().all(|e| loud_keys.contains(&key(e))));
            assert!(
                quiet.log.len() < loud.log.len(),
                "{name}: the quiet log keeps every step"
            );
            quiet.log = loud.log.clone();
            assert_eq!(quiet, loud, "{name} replication {r}");
        }
    }
}

#[test]
fn a_long_scenario_name_is_shared_by_every_result_not_copied() {
    // Finding: a 1 MB scenario name was copied into every replication (a thousand runs copied a gigabyte).
    let mut sc = load("securecart-multi-az", &[]);
    sc.name = "n".repeat(1 << 20);
    let spec = sim_core::sweep::SweepSpec {
        seed: 1,
        replications: 0..50,
        disasters: None,
        threads: 2,
        keep_logs: false,
    };
    let results = sim_core::sweep::sweep(&sc, &spec, &|_| {}).unwrap();
    assert!(
        results
            .iter()
            .all(|r| std::sync::Arc::ptr_eq(&r.scenario, &results[0].scenario))
    );
    assert_eq!(results[0].scenario.len(), 1 << 20);
}
