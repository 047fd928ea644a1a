//! Restores as users live them, through the whole world: a restored database or table answers clients only
//! once the application is repointed at it; a restored DynamoDB table is single-Region until its replicas
//! are re-added; restoring the corruption back is not recovery; writes acknowledged on corrupt data are
//! lost. Sources: `docs/calibration.md` (data stores).

use sim_core::measure::RunResult;
use sim_core::spec::Scenario;
use sim_core::sweep::run_replication;

use crate::load;

const SEEDS: std::ops::RangeInclusive<u64> = 1..=12;

/// Loads RON text (which may extend a built-in), panicking with the loader's message.
fn scenario(text: &str) -> Scenario {
    scenarios::load_text("test.ron", text).unwrap_or_else(|e| panic!("{e}"))
}

fn run(sc: &Scenario, seed: u64) -> RunResult {
    run_replication(sc, seed, 0, None).unwrap_or_else(|e| panic!("{}: {e}", sc.name))
}

/// Seconds from the onset to the first log entry whose text contains `text`.
fn logged(r: &RunResult, text: &str) -> Option<f64> {
    let onset = r.onset.expect("a disaster").since_start().as_secs_f64();
    r.log
        .iter()
        .find(|e| e.text.contains(text))
        .map(|e| e.at.since_start().as_secs_f64() - onset)
}

fn rto_s(r: &RunResult, flow: &str) -> Option<f64> {
    let f = r.flows.iter().find(|f| f.name == flow).expect("flow");
    f.rto.map(|d| d.as_secs_f64())
}

fn texts(r: &RunResult) -> String {
    r.log
        .iter()
        .map(|e| format!("{} {}: {}", e.at, e.actor, e.text))
        .collect::<Vec<_>>()
        .join("\n")
}

// ---- 1. A restored instance has a new endpoint: recovery waits for the repoint ----

#[test]
fn securecart_pitr_recovers_when_the_application_is_repointed_not_when_the_instance_is_available() {
    let sc = load("securecart-pitr", &[]);
    for seed in SEEDS {
        let r = run(&sc, seed);
        let available = logged(&r, "available, now the writer").expect("restored");
        let repointed = logged(&r, "repoint done").unwrap_or_else(|| panic!("{}", texts(&r)));
        assert!(repointed > available + 1.0, "seed {seed}: {}", texts(&r));
        let rto = rto_s(&r, "catalog").expect("recovered");
        // The SLO window lets the last 1 % of a 60 s window be bad: recovery shows up to 0.6 s early.
        assert!(
            (repointed - 1.0..=repointed + 1.0).contains(&rto),
            "seed {seed}: catalog RTO {rto:.1} s, repointed at {repointed:.1} s\n{}",
            texts(&r)
        );
    }
}

#[test]
fn backup_restore_recovers_only_after_both_stores_are_repointed() {
    let sc = load("backup-restore", &[]);
    for seed in 1..=6 {
        let r = run(&sc, seed);
        let rto = r.rto.expect("recovered").as_secs_f64();
        for store in ["app-db", "cart"] {
            let done = r
                .log
                .iter()
                .filter(|e| {
                    e.text
                        .contains(&format!("clients now use the restored {store}"))
                })
                .map(|e| {
                    e.at.since_start().as_secs_f64()
                        - r.onset.expect("onset").since_start().as_secs_f64()
                })
                .next()
                .unwrap_or_else(|| panic!("seed {seed}: {store} never repointed\n{}", texts(&r)));
            assert!(
                rto >= done - 1.0,
                "seed {seed}: RTO {rto} before {store}'s repoint {done}"
            );
        }
    }
}

#[test]
fn a_restore_that_is_never_repointed_never_recovers() {
    let sc = scenario(
        r#"(
            extends: "securecart-pitr",
            runbooks: [(
                name: "restore-to-before-the-deploy",
                trigger: Human(Fixed("30m")),
                start_at: "restore",
                states: {
                    "restore": Task(action: RestoreToPoint(store: "orders-db", region: "us-east-1", point: BeforeCorruption)),
                },
            )],
        )"#,
    );
    for seed in 1..=4 {
        let r = run(&sc, seed);
        assert!(logged(&r, "available, now the writer").is_some());
        assert_eq!(rto_s(&r, "catalog"), None, "seed {seed}\n{}", texts(&r));
    }
}

#[test]
fn a_repoint_before_the_restore_has_nothing_to_point_at() {
    let sc = scenario(
        r#"(
            extends: "securecart-pitr",
            runbooks: [(
                name: "restore-to-before-the-deploy",
                trigger: Human(Fixed("30m")),
                start_at: "repoint",
                states: {
                    "repoint": Task(action: Repoint(store: "orders-db", duration: Fixed("1m")), next: "restore"),
                    "restore": Task(action: RestoreToPoint(store: "orders-db", region: "us-east-1", point: BeforeCorruption)),
                },
            )],
        )"#,
    );
    let r = run(&sc, 1);
    assert!(
        r.log
            .iter()
            .any(|e| e.text.contains("fails: NotApplicable") && e.text.contains("restored copy")),
        "{}",
        texts(&r)
    );
    assert_eq!(r.rto, None);
}

// ---- 2. A restored DynamoDB table is single-Region until its replicas are re-added ----

/// A global table read and written from us-west-2; a bad write at 2 h, restored in us-east-1 to just before
/// it, repointed; us-east-1 is lost at `outage`. `then` follows the repoint (a state or nothing).
fn cart(size_gb: u32, outage: &str, replica: bool) -> Scenario {
    let then = if replica {
        r#", next: "replica"), "replica": Task(action: AddReplica(store: "cart", region: "us-west-2"))"#
    } else {
        ")"
    };
    scenario(&format!(
        r#"(
            name: "cart-restore",
            horizon: "3d",
            regions: [
                (name: "us-east-1", azs: ["us-east-1a", "us-east-1b"]),
                (name: "us-west-2", azs: ["us-west-2a", "us-west-2b"]),
            ],
            resources: {{
                "cart": DynamoDb(region: "us-east-1", replicas: ["us-west-2"], pitr: true, size_gb: {size_gb}),
                "web": Asg(region: "us-west-2", azs: ["us-west-2a", "us-west-2b"], desired: 2, min: 2, max: 4, needed: 1),
                "alb": Alb(region: "us-west-2", targets: ["web"]),
            }},
            flows: [
                (name: "add", kind: Write, rate_per_s: 10.0, entry: "alb", store: "cart"),
                (name: "view", kind: Read, rate_per_s: 10.0, entry: "alb", store: "cart"),
            ],
            disasters: [
                (name: "bad-write", kind: Corruption(store: "cart"), onset: At("2h")),
                (name: "east-outage", kind: RegionOutage(region: "us-east-1"), onset: At("{outage}")),
            ],
            runbooks: [(
                name: "restore",
                trigger: Human(Fixed("30m")),
                start_at: "restore",
                states: {{
                    "restore": Task(action: RestoreToPoint(store: "cart", region: "us-east-1", point: BeforeCorruption), next: "repoint"),
                    "repoint": Task(action: Repoint(store: "cart", duration: Fixed("10m")){then},
                }},
            )],
        )"#
    ))
}

#[test]
fn a_restored_global_table_lives_in_one_region_until_its_replica_is_re_added() {
    for seed in 1..=4 {
        // Without re-adding the replica, losing us-east-1 leaves the table nowhere: never recovered.
        let alone = run(&cart(10, "20h", false), seed);
        assert!(logged(&alone, "restored table in us-east-1 is active").is_some());
        assert_eq!(alone.rto, None, "seed {seed}\n{}", texts(&alone));
        // Re-added: the us-west-2 replica takes the traffic when us-east-1 fails; only the lag is lost
        // to the outage (the writes acknowledged on the corrupt table are lost to the restore).
        let again = run(&cart(10, "20h", true), seed);
        let active = logged(&again, "replica in us-west-2 is active").expect("re-added");
        assert!(active < 18.0 * 3600.0, "{}", texts(&again));
        assert!(again.rto.is_some(), "seed {seed}\n{}", texts(&again));
        let outage = |r: &RunResult| {
            r.log
                .iter()
                .any(|e| e.text.contains("lose contact") || e.text.contains("not replicated"))
        };
        assert!(outage(&again), "{}", texts(&again));
    }
}

#[test]
fn re_adding_a_replica_takes_longer_for_a_larger_table() {
    let took = |size_gb: u32| {
        let r = run(&cart(size_gb, "60h", true), 1);
        let begins = logged(&r, "adding a replica in us-west-2 begins").expect("begins");
        let active = logged(&r, "replica in us-west-2 is active").expect("active");
        active - begins
    };
    let (small, large) = (took(1), took(2000));
    // The default is a base of minutes plus 10 s per GB (docs/calibration.md): 2 TB adds 5.6 h.
    assert!(
        large - small > 5.0 * 3600.0,
        "small {small} s, large {large} s"
    );
    // An outage while the large table's replica is still being built finds it not ready.
    let r = run(&cart(2000, "7h", true), 1);
    assert_eq!(r.rto, None, "{}", texts(&r));
    assert!(
        r.log
            .iter()
            .any(|e| e.text.contains("adding a replica in us-west-2 failed")),
        "{}",
        texts(&r)
    );
}

// ---- 3. Restoring the corruption back is not recovery ----

#[test]
fn restoring_to_the_latest_point_brings_the_corruption_back() {
    let sc = scenario(
        r#"(
            extends: "securecart-pitr",
            runbooks: [(
                name: "restore-to-before-the-deploy",
                trigger: Human(Fixed("30m")),
                start_at: "restore",
                states: {
                    "restore": Task(action: RestoreToPoint(store: "orders-db", region: "us-east-1", point: Latest), next: "repoint"),
                    "repoint": Task(action: Repoint(store: "orders-db", duration: Fixed("5m"))),
                },
            )],
        )"#,
    );
    for seed in 1..=4 {
        let r = run(&sc, seed);
        assert!(
            logged(&r, "available, now the writer").is_some(),
            "{}",
            texts(&r)
        );
        assert_eq!(rto_s(&r, "catalog"), None, "seed {seed}\n{}", texts(&r));
        assert_eq!(r.rto, None);
    }
}

/// securecart-pitr's database with manual snapshots at `snapshots` and no automated backups, corrupted
/// at 2 h, restored from its latest snapshot and repointed.
fn from_snapshot(snapshots: &str) -> Scenario {
    scenario(&format!(
        r#"(
            extends: "securecart-pitr",
            resources: {{
                "orders-db": Rds(deployment: MultiAzInstance(primary_az: "us-east-1a", standby_az: "us-east-1b"), automated_backups: false, manual_snapshots: {snapshots}),
            }},
            disasters: [(name: "bad-deploy", kind: Corruption(store: "orders-db"), onset: At("2h"))],
            runbooks: [(
                name: "restore-to-before-the-deploy",
                trigger: Human(Fixed("2h")),
                start_at: "restore",
                states: {{
                    "restore": Task(action: RestoreSnapshot(store: "orders-db", region: "us-east-1"), next: "repoint"),
                    "repoint": Task(action: Repoint(store: "orders-db", duration: Fixed("5m"))),
                }},
            )],
        )"#
    ))
}

#[test]
fn a_snapshot_taken_after_the_corruption_brings_it_back() {
    for seed in 1..=4 {
        let before = run(&from_snapshot(r#"["1h"]"#), seed);
        assert!(before.rto.is_some(), "seed {seed}\n{}", texts(&before));
        let after = run(&from_snapshot(r#"["1h", "3h"]"#), seed);
        assert!(logged(&after, "available, now the writer").is_some());
        assert_eq!(after.rto, None, "seed {seed}\n{}", texts(&after));
    }
}

#[test]
fn a_deleted_database_restores_to_just_before_the_delete() {
    let sc = scenario(
        r#"(
            extends: "securecart-pitr",
            disasters: [(name: "bad-deploy", kind: Delete(store: "orders-db"), onset: Uniform("2h", "6h"))],
            runbooks: [(
                name: "restore-to-before-the-deploy",
                trigger: Human(Fixed("30m")),
                start_at: "restore",
                states: {
                    "restore": Task(action: RestoreToPoint(store: "orders-db", region: "us-east-1", point: Latest), next: "repoint"),
                    "repoint": Task(action: Repoint(store: "orders-db", duration: Fixed("5m"))),
                },
            )],
        )"#,
    );
    for seed in 1..=6 {
        let r = run(&sc, seed);
        assert!(r.rto.is_some(), "seed {seed}\n{}", texts(&r));
        // The logs shipped before the delete are what the latest restorable time reaches (C9: ≤ 5 min).
        assert!(
            r.rpo.expect("determined").as_secs_f64() <= 300.0,
            "seed {seed}: {:?}\n{}",
            r.stores,
            texts(&r)
        );
    }
}

// ---- 4. Writes on corrupt data succeed for the client and are lost ----

#[test]
fn writes_on_corrupt_data_succeed_for_clients_and_are_all_lost() {
    let sc = load("securecart-pitr", &[]);
    for seed in SEEDS {
        let r = run(&sc, seed);
        let checkout = r.flows.iter().find(|f| f.name == "checkout").expect("flow");
        assert!(
            checkout.failed_requests < 1.0 && checkout.rto == Some(sim_core::SimDuration::ZERO),
            "seed {seed}: {checkout:?}"
        );
        // The restore lands on the bad write itself (logs trail by ≤ 5 min, noticing takes longer), so
        // every write from the onset until clients move to the restored instance is lost: 10 writes/s.
        let repointed = logged(&r, "repoint done").expect("repointed");
        let expected = 10.0 * repointed;
        let lost = r.stores[0].lost as f64;
        assert!(
            (lost - expected).abs() <= 5.0 * expected.sqrt() + 10.0,
            "seed {seed}: lost {lost}, expected ≈ {expected:.0}\n{}",
            texts(&r)
        );
        assert_eq!(
            r.pre_onset_rpo,
            Some(sim_core::SimDuration::ZERO),
            "nothing before the bad write is lost"
        );
        // The data-loss window is the time those writes span: from the bad write to the repoint.
        let window = r.rpo.expect("determined").as_secs_f64();
        assert!(
            (window - repointed).abs() <= 2.0,
            "seed {seed}: window {window} s, repointed after {repointed} s\n{}",
            texts(&r)
        );
    }
}

// ---- The new actions are checked at load ----

fn load_error(text: &str) -> String {
    match scenarios::load_text("test.ron", text) {
        Ok(_) => panic!("loaded"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn repoint_and_add_replica_name_what_they_can_act_on() {
    let with = |state: &str| {
        format!(
            r#"(
                extends: "securecart-pitr",
                resources: {{ "ui": S3(region: "us-east-1", versioning: true) }},
                runbooks: [(
                    name: "restore-to-before-the-deploy",
                    trigger: Human(Fixed("30m")),
                    start_at: "x",
                    states: {{ "x": Task(action: {state}) }},
                )],
            )"#
        )
    };
    let e = load_error(&with(r#"Repoint(store: "ui", duration: Fixed("1m"))"#));
    assert!(
        e.contains("S3 bucket") && e.contains("nothing to repoint"),
        "{e}"
    );
    let e = load_error(&with(
        r#"Repoint(store: "orders-dbb", duration: Fixed("1m"))"#,
    ));
    assert!(e.contains("did you mean \"orders-db\""), "{e}");
    let e = load_error(&with(
        r#"Repoint(store: "orders-db", duration: LogNormal("0s", "1m"))"#,
    ));
    assert!(e.contains("Repoint duration"), "{e}");
    let e = load_error(&with(r#"AddReplica(store: "ui", region: "us-west-2")"#));
    assert!(
        e.contains("a DynamoDB table, an RDS database or an Aurora cluster"),
        "{e}"
    );
    let e = load_error(&with(
        r#"AddReplica(store: "orders-db", region: "eu-west-1")"#,
    ));
    assert!(e.contains("eu-west-1"), "{e}");
}

// ---- 5. Audit: the concurrent snapshot-copy limit (C11) ----

/// securecart-pitr with a drill at 5 h that starts `n` snapshot copies to us-west-2 at once.
fn copies(n: usize) -> Scenario {
    let branches: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"(start_at: "c{i}", states: {{ "c{i}": Task(action: CopyBackup(store: "orders-db", region: "us-west-2")) }})"#
            )
        })
        .collect();
    scenario(&format!(
        r#"(
            extends: "securecart-pitr",
            disasters: [(name: "bad-deploy", kind: Planned(what: "copy drill"), onset: At("5h"))],
            runbooks: [(
                name: "restore-to-before-the-deploy",
                trigger: Onset,
                start_at: "copy",
                states: {{ "copy": Parallel(branches: [{}]) }},
            )],
        )"#,
        branches.join(", ")
    ))
}

#[test]
fn at_most_twenty_snapshot_copies_run_to_one_region_at_a_time() {
    let ok = run(&copies(20), 1);
    assert!(
        ok.log.iter().any(|e| e
            .text
            .contains("runbook restore-to-before-the-deploy succeeds")),
        "{}",
        texts(&ok)
    );
    let refused = run(&copies(21), 1);
    assert!(
        refused
            .log
            .iter()
            .any(|e| e.text.contains("fails: NotApplicable") && e.text.contains("at most 20")),
        "{}",
        texts(&refused)
    );
}
