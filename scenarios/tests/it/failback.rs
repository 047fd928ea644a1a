//! After the disaster (issue 19): Route 53's automatic failback to a Region whose database is no longer
//! the writer (writes refused by a re-added secondary, or split-brain writes to a detached copy, lost), the
//! exposure window a managed failover's resync or a failback runbook's new replica ends, and a planned
//! failback (manual DNS failback, a runbook on `RegionRecovered`).

use sim_core::engine::time::SimTime;
use sim_core::measure::RunResult;
use sim_core::spec::Scenario;
use sim_core::sweep::run_replication;

use crate::load;

const RUNS: u64 = 12;

fn runs(sc: &Scenario) -> Vec<RunResult> {
    (0..RUNS)
        .map(|r| run_replication(sc, sc.seed, r, None).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The time of the first log line by `actor` containing `text`.
fn at(run: &RunResult, actor: &str, text: &str) -> SimTime {
    run.log
        .iter()
        .find(|e| e.actor == actor && e.text.contains(text))
        .unwrap_or_else(|| {
            let log: Vec<String> = run
                .log
                .iter()
                .map(|e| format!("{} {} {}", e.at, e.actor, e.text))
                .collect();
            panic!("no {actor:?} line with {text:?}:\n{}", log.join("\n"))
        })
        .at
}

fn secs(a: SimTime, b: SimTime) -> f64 {
    b.since_start().as_secs_f64() - a.since_start().as_secs_f64()
}

/// warm-standby-failback with Aurora's detach-and-promote instead of the managed failover: the us-east-1
/// cluster is left standalone (and writable) behind; `extra` adds resources or runbooks.
fn detached(extra: &str) -> Scenario {
    let text = format!(
        r#"(
        extends: "warm-standby-failback",
        name: "detached",
        runbooks: [(
            name: "scale-up-us-west-2",
            trigger: HealthCheck("hc-east"),
            start_at: "recover",
            states: {{
                "recover": Parallel(branches: [
                    (start_at: "db", states: {{ "db": Task(action: Promote(store: "app-db", region: "us-west-2")) }}),
                    (start_at: "web", states: {{ "web": Task(action: SetCapacity(group: "web-west", desired: 6, wait: true)) }}),
                ]),
            }},
        ){extra}],
    )"#
    );
    scenarios::load_text("detached.ron", &text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn automatic_failback_to_a_region_whose_database_is_a_secondary_fails_the_writes() {
    let sc = load("warm-standby-failback", &[]);
    let horizon = SimTime::at(sc.horizon);
    for run in runs(&sc) {
        let f = run
            .failback
            .clone()
            .expect("the outage heals within the horizon");
        // Route 53 fails back by itself once hc-east passes: clients return to us-east-1 ...
        let back = at(&run, "app-dns", "now answers alb-east");
        assert!(back >= f.healed, "{back} before the heal {}", f.healed);
        // ... whose cluster is now a read-only secondary: checkout (5 writes/s) fails from then on, so
        // the failback never completes and the failed requests are those of the rest of the run.
        assert_eq!(f.time, None, "{f:?}");
        let rest = secs(back, horizon);
        assert!(
            f.failed_requests >= 5.0 * (rest - 120.0),
            "{} failed requests for {rest} s after the failback",
            f.failed_requests
        );
        assert!(f.downtime.as_secs_f64() >= rest - 120.0, "{f:?}");
        // No write is acknowledged by the read-only copy, so none is lost to it.
        assert_eq!(f.lost_writes, 0);
        // The disaster's own RTO is unchanged: minutes, measured before the heal.
        assert!(run.rto.unwrap().as_secs_f64() < 1_200.0, "{:?}", run.rto);
    }
}

#[test]
fn automatic_failback_to_a_detached_primary_loses_the_split_brain_writes() {
    let sc = detached("");
    let horizon = SimTime::at(sc.horizon);
    for run in runs(&sc) {
        let f = run.failback.clone().expect("healed");
        let back = at(&run, "app-dns", "now answers alb-east");
        // The old us-east-1 cluster takes checkout's writes (clients see success) but it is not the
        // writer's lineage: every one of them is lost.
        let rest = secs(back, horizon);
        let expected = 5.0 * rest;
        let lost = f.lost_writes as f64;
        assert!(
            (lost - expected).abs() <= 0.05 * expected + 600.0,
            "{lost} writes lost after the failback, {expected} expected"
        );
        let store = run.stores.iter().find(|s| s.name == "app-db").unwrap();
        assert!(store.lost >= f.lost_writes);
        assert_eq!(store.authoritative, "secondary cluster in us-west-2");
        // Its data-loss window runs from the failback to the horizon.
        assert!(
            run.rpo.unwrap().as_secs_f64() >= rest - 120.0,
            "{:?}",
            run.rpo
        );
    }
}

#[test]
fn the_resync_after_a_managed_failover_ends_the_exposure_window() {
    let sc = load("warm-standby-failback", &[]);
    for run in runs(&sc) {
        let promoted = at(&run, "app-db", "promoted: it is the writer");
        let ready = at(&run, "app-db", "primary cluster in us-east-1 is ready");
        let exposure = run.exposure.expect("the exposure ended").as_secs_f64();
        assert!(
            (exposure - secs(promoted, ready)).abs() < 1e-3,
            "exposure {exposure} s, promoted {promoted}, ready {ready}"
        );
        let f = run.failback.clone().unwrap();
        assert!(ready > f.healed, "the resync starts at the heal");
        let store = run.stores.iter().find(|s| s.name == "app-db").unwrap();
        assert!(store.exposure.as_ref().is_some_and(|e| !e.open));
    }
}

#[test]
fn a_failback_runbook_with_a_new_replica_ends_the_exposure_window_after_the_copy_time() {
    // Without re-protection the detached cluster leaves us-west-2 alone to the horizon.
    for run in runs(&detached("")) {
        assert_eq!(run.exposure, None, "still exposed at the horizon");
    }
    // A failback runbook adds a new secondary in us-east-1 when the Region is back; the record stays on
    // us-west-2 (manual failback), so nothing writes to the old cluster.
    let sc = detached(
        r#",
        (name: "reprotect", trigger: RegionRecovered("us-east-1"), start_at: "add",
         states: { "add": Task(action: AddReplica(store: "app-db", region: "us-east-1")) })"#,
    );
    let sc = {
        let mut sc = sc;
        if let Some(sim_core::spec::Resource::Record(r)) = sc.resources.get_mut("app-dns") {
            r.failback = sim_core::spec::resources::record::FailbackMode::Manual;
        }
        sc
    };
    for run in runs(&sc) {
        let f = run.failback.clone().unwrap();
        let promoted = at(&run, "app-db", "promoted: it is the writer");
        let started = at(&run, "app-db", "creating secondary cluster in us-east-1");
        let ready = at(&run, "app-db", "secondary cluster in us-east-1 is ready");
        assert_eq!(started, f.healed, "the runbook starts at the heal");
        // The copy of 100 GB takes the restore's base plus 3 s a GB: at least 5 minutes.
        assert!(secs(started, ready) >= 300.0, "{started} → {ready}");
        let exposure = run
            .exposure
            .expect("ended by the new replica")
            .as_secs_f64();
        assert!(
            (exposure - secs(promoted, ready)).abs() < 1e-3,
            "exposure {exposure} s, promoted {promoted}, ready {ready}"
        );
        // Manual failback: clients stay on us-west-2, nothing is written to the detached cluster.
        assert_eq!(f.lost_writes, 0);
        assert_eq!(f.time, None, "nobody points the record back");
    }
}

#[test]
fn a_planned_failback_returns_without_losing_writes() {
    let sc = load("warm-standby-failback-planned", &[]);
    for run in runs(&sc) {
        let f = run.failback.clone().unwrap();
        assert!(
            run.log
                .iter()
                .any(|e| e.text.contains("failback is manual")),
            "the record stays on the secondary"
        );
        let switched = at(&run, "app-db", "switchover complete");
        let ready = at(&run, "app-db", "primary cluster in us-east-1 is ready");
        assert!(switched >= ready, "the switchover waits for the resync");
        let time = f.time.expect("served from us-east-1 again").as_secs_f64();
        let dns = at(&run, "app-dns", "now answers alb-east");
        // Back when the edited answer has reached every client: one TTL after Route 53 answers it.
        assert!(
            time >= secs(f.healed, dns) && time <= secs(f.healed, dns) + 61.0,
            "failback {time} s, DNS at {dns}"
        );
        assert_eq!(f.lost_writes, 0, "{f:?}");
        // The brief write pause of the switchover and the DNS move cost a few minutes at most.
        assert!(f.downtime.as_secs_f64() < 600.0, "{f:?}");
        assert!(run.exposure.is_some());
    }
}
