//! Data loss as users mean it, through whole built-in scenarios: the data-loss window counts every
//! acknowledged write lost (before or after the onset, overwrites included), is the RPO budgets check,
//! is attributed to the disaster that caused it, and is never a made-up 0.

use sim_core::budget::{Status, check_budget};
use sim_core::sweep::run_replication;

use crate::{load, summarise};

const MIN: f64 = 60.0;

/// securecart-pitr: the restore goes back to just before the bad deploy, so every order taken on the
/// corrupt database until the restored instance takes writes is thrown away — tens of minutes of orders.
/// Before the data-loss window, RPO was 0 s here and `rpo:p99<=15m` held.
#[test]
fn pitr_rpo_counts_the_orders_thrown_away_after_the_onset() {
    let sc = load("securecart-pitr", &[]);
    let run = run_replication(&sc, 1, 0, None).unwrap();
    let rpo = run.rpo.expect("determined").as_secs_f64();
    assert!(rpo > 30.0 * MIN, "data-loss window {rpo} s: {run:?}");
    // The restore lands just before the bad deploy: almost nothing is missing from before it.
    assert!(run.pre_onset_rpo.expect("determined").as_secs_f64() <= 300.0);
    let losses = &run.stores[0].losses;
    assert_eq!(losses.len(), 1, "{losses:?}");
    assert_eq!(losses[0].disaster.as_deref(), Some("bad-deploy"));
    // Lost writes ≈ the write rate × the window (Poisson: within 5 sd).
    let expected = 10.0 * rpo;
    let lost = run.lost_writes as f64;
    assert!(
        (lost - expected).abs() < 5.0 * expected.sqrt(),
        "{lost} lost, {expected} expected"
    );
    let verdict = check_budget(&sc, 60, 1, "rpo:p99<=15m").unwrap();
    assert_eq!(verdict.status, Status::Breached, "{}", verdict.message);
    // The old figure stays available, by name.
    let pre = check_budget(&sc, 60, 1, "pre_onset_rpo:p99<=15m").unwrap();
    assert_eq!(pre.status, Status::Holds, "{}", pre.message);
}

/// securecart-dynamodb-global: the partition's last-writer-wins overwrites lose writes from across its
/// 20 minutes; the later Region outage loses about a second of unreplicated writes. The store's window is
/// the partition's 20 minutes plus that second — not the hours from the first overwritten write to the
/// Region outage that "the first disaster after the oldest lost write" would give.
#[test]
fn partition_overwrites_are_attributed_to_the_partition() {
    let sc = load("securecart-dynamodb-global", &[]);
    for replication in 0..5 {
        let run = run_replication(&sc, 1, replication, None).unwrap();
        let rpo = run.rpo.expect("determined").as_secs_f64();
        assert!(
            (19.0 * MIN..=21.0 * MIN).contains(&rpo),
            "replication {replication}: window {rpo} s"
        );
        let cart = &run.stores[0];
        let [partition, outage] = cart.losses.as_slice() else {
            panic!("a loss per disaster: {:?}", cart.losses);
        };
        assert_eq!(partition.disaster.as_deref(), Some("partition"));
        assert_eq!(partition.overwritten, cart.overwritten);
        assert!(partition.overwritten > 1000, "{partition:?}");
        let w = partition.window.as_secs_f64();
        assert!((19.9 * MIN..=20.1 * MIN).contains(&w), "{partition:?}");
        assert_eq!(outage.disaster.as_deref(), Some("region-outage"));
        assert_eq!(outage.overwritten, 0);
        assert!(outage.window.as_secs_f64() < 10.0, "{outage:?}");
        // The pre-onset figure: the Region outage's replication lag, about a second.
        assert!(run.pre_onset_rpo.unwrap().as_secs_f64() < 10.0, "{run:?}");
    }
}

/// securecart-read-replica with no runbook: the replica is never promoted and the Region never returns,
/// so nothing serves the data at the horizon. Judged by the dead primary nothing is lost, but that is not
/// an RPO of 0.
#[test]
fn a_run_that_never_recovers_has_no_rpo_of_0() {
    let sc = load("securecart-read-replica", &["runbooks=[]"]);
    let run = run_replication(&sc, 1, 0, None).unwrap();
    assert_eq!(run.rto, None, "{run:?}");
    assert_eq!((run.rpo, run.pre_onset_rpo), (None, None), "{run:?}");
    assert_eq!(
        (run.stores[0].rpo, run.stores[0].pre_onset_rpo),
        (None, None)
    );
    // In a sweep they are left out of the RPO percentiles and counted.
    let s = summarise(&sc, 20, None);
    assert_eq!((s.rpo_s.n, s.rpo_s.not_determined), (0, 20), "{s:?}");
    assert_eq!(s.rpo_s.p99.value, None);
    // With the runbook, the same runs recover and their RPO is the replica's lag.
    let recovered = run_replication(&load("securecart-read-replica", &[]), 1, 0, None).unwrap();
    let lag = recovered.rpo.expect("determined").as_secs_f64();
    assert!(lag > 0.0 && lag < 60.0, "{recovered:?}");
}

/// A disaster with a failure rate: in most replications it does not happen within the horizon. Those
/// runs are counted apart and left out of the percentiles.
#[test]
fn runs_with_no_disaster_in_the_horizon_are_counted_apart() {
    let sc = load(
        "securecart-read-replica",
        &[r#"disasters.region-outage.onset={"Rate":"24h"}"#],
    );
    let s = summarise(&sc, 100, None);
    // P(onset within 12 h) = 1 − e^(−1/2) ≈ 39 %.
    assert!(
        s.no_disaster > 40 && s.no_disaster < 80,
        "{} of 100 runs with no disaster",
        s.no_disaster
    );
    assert_eq!(s.rto_s.n + s.no_disaster, 100);
    // A disaster late in the horizon may leave the store unrecovered: not determined, counted.
    assert_eq!(s.rpo_s.n + s.rpo_s.not_determined, s.rto_s.n);
    assert_eq!(s.lost_writes.n, s.rto_s.n);
    // A promotion after paging and deciding takes minutes: the runs without a disaster no longer pull
    // the median to 0.
    assert!(s.rto_s.p50.value.unwrap() > 5.0 * MIN, "{s:?}");
    assert!(s.rpo_s.p50.value.unwrap() > 0.0, "{s:?}");
    // Included on request, they do.
    let spec = sim_core::sweep::SweepSpec {
        seed: sc.seed,
        replications: 0..100,
        disasters: None,
        threads: 0,
        keep_logs: false,
    };
    let samples = sim_core::sweep::sweep_samples(&sc, &spec, &|_| {}).unwrap();
    let all = sim_core::sweep::SweepSummary::including_no_disaster(&sc.name, sc.seed, &samples);
    assert_eq!((all.rto_s.n, all.rto_s.p50.value), (100, Some(0.0)));
    // Validation warns that the disaster can start after the horizon.
    let warnings = sim_core::validate::warnings(&sc);
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("after the 12h horizon")),
        "{warnings:?}"
    );
    assert!(sim_core::validate::warnings(&load("securecart-read-replica", &[])).is_empty());
}
