//! Aurora: in-Region failover, Global Database lag, switchover, unplanned failover, reads and forwarding.

use proptest::prelude::*;
use sim_core::model::store::DataLoss;
use sim_core::model::{ActionError, PointTarget, StoreAction};
use sim_core::spec::AuroraConfig;
use sim_core::spec::Resource;
use sim_core::{SimDuration, SimTime};

use super::harness::{EAST, Harness, WEST, az, cases, mins, percentile, secs};

fn global(forwarding: bool) -> Resource {
    Resource::Aurora(
        AuroraConfig::new(&["us-east-1a", "us-east-1b"]).with_secondary("us-west-2", forwarding),
    )
}

#[test]
fn calibration_c5_in_region_failover_over_1000_seeds() {
    let mut xs: Vec<f64> = (0..1000)
        .map(|seed| {
            let mut h = Harness::new(global(false), seed, &[(EAST, 5.0)]);
            h.at(mins(30), |health| health.set_az(az("us-east-1a"), false));
            let back = h.writes_resume(EAST).unwrap();
            let s = h.settle(mins(60), mins(30));
            assert_eq!(s.lost, 0, "the cluster volume survives an AZ");
            back.saturating_since(mins(30)).as_secs_f64()
        })
        .collect();
    let (p50, p90) = (percentile(&mut xs, 50), percentile(&mut xs, 90));
    println!("C5 Aurora in-Region failover: p50 {p50:.1}s p90 {p90:.1}s");
    assert!(p50 < 30.0 && p90 < 60.0, "{p50} {p90}");
}

/// Primary Region fails at `failure_s`; unplanned global failover to us-west-2 5 min later.
fn failover_after_outage(
    seed: u64,
    failure_s: u64,
) -> (Harness, sim_core::Settlement, f64, SimTime) {
    let mut h = Harness::new(global(true), seed, &[(EAST, 50.0), (WEST, 10.0)]);
    let failure = secs(failure_s);
    h.at(failure, |health| health.set_region(EAST, false, true));
    let lag = h.probe("replica_lag_s");
    let t = h.begin_at(
        failure + SimDuration::from_mins(5),
        StoreAction::FailoverGlobal { region: WEST },
    );
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()), "{:#?}", h.entries());
    let s = h.settle(failure + SimDuration::from_hours(1), failure);
    (h, s, lag, done)
}

#[test]
fn calibration_c1_c2_global_failover_rpo_is_the_lag_over_1000_seeds() {
    let mut lags = Vec::new();
    let mut promotions = Vec::new();
    for seed in 0..1000 {
        let (h, s, lag, done) = failover_after_outage(seed, 3600 + seed);
        assert!(s.rpo.as_secs_f64() <= lag + 1e-6, "{s:?} {lag}");
        assert_eq!(h.probe("writer_region"), f64::from(WEST.0));
        lags.push(lag);
        promotions.push(
            done.saturating_since(secs(3600 + seed) + SimDuration::from_mins(5))
                .as_secs_f64(),
        );
    }
    let (p50, p99) = (percentile(&mut lags, 50), percentile(&mut lags, 99));
    let max_promotion = percentile(&mut promotions, 100);
    println!(
        "C1 Aurora Global lag at failure: p50 {p50:.2}s p99 {p99:.2}s; C2 promotion max {max_promotion:.0}s"
    );
    assert!(p50 < 1.0, "{p50}");
    assert!(max_promotion < 60.0);
}

#[test]
fn switchover_loses_nothing_and_needs_both_regions() {
    let mut h = Harness::new(global(false), 2, &[(EAST, 20.0)]);
    let t = h.begin_at(mins(10), StoreAction::SwitchoverGlobal { region: WEST });
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()));
    assert!(done.saturating_since(mins(10)) < SimDuration::from_mins(3));
    assert_eq!(h.probe("writer_region"), f64::from(WEST.0));
    let s = h.settle(mins(30), mins(10));
    assert_eq!(s.lost, 0, "{s:?}");
    // Back again, then try while the other side is down.
    h.at(mins(40), |health| health.set_region(EAST, false, false));
    let t = h.begin_at(mins(41), StoreAction::SwitchoverGlobal { region: EAST });
    assert!(matches!(h.wait(t).0, Err(ActionError::TargetDown(_))));
}

#[test]
fn secondary_serves_reads_through_a_primary_outage_and_forwards_writes() {
    let mut h = Harness::new(global(false), 1, &[(EAST, 1.0)]);
    assert!(
        h.store.write_route(&h.health, WEST).is_none(),
        "no forwarding: the secondary is read-only"
    );
    h.at(mins(5), |health| health.set_region(EAST, false, true));
    assert_eq!(h.store.read_ok(&h.health, WEST), 1.0);
    assert_eq!(h.store.read_ok(&h.health, EAST), 0.0);
    let h = Harness::new(global(true), 1, &[(EAST, 1.0)]);
    let (copy, _) = h.store.write_route(&h.health, WEST).expect("forwarded");
    assert_eq!(Some((copy, 1.0)), h.store.write_route(&h.health, EAST));
}

#[test]
fn corruption_replicates_to_the_secondary_and_pitr_undoes_it() {
    let mut h = Harness::new(global(false), 4, &[(EAST, 10.0)]);
    let corruption = mins(90);
    h.corrupt_at(corruption);
    let t = h.begin_at(mins(100), StoreAction::Promote { region: WEST });
    assert_eq!(h.wait(t).0, Ok(()));
    assert!(h.settle(mins(110), corruption).rpo >= SimDuration::from_mins(89));
    let mut h = Harness::new(global(false), 4, &[(EAST, 10.0)]);
    h.corrupt_at(corruption);
    let target = PointTarget::BeforeCorruption;
    let t = h.begin_at(
        mins(100),
        StoreAction::RestoreToPoint {
            region: EAST,
            target,
        },
    );
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()));
    let s = h.settle(done + SimDuration::from_mins(10), corruption);
    assert!(s.rpo <= SimDuration::from_mins(5), "{s:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]
    #[test]
    fn lost_plus_surviving_is_acknowledged_after_global_failover(seed in 0u64..10_000, failure_s in 1u64..50_000) {
        let (_, s, lag, _) = failover_after_outage(seed, failure_s);
        prop_assert_eq!(s.lost + s.surviving, s.acknowledged);
        prop_assert!(s.rpo.as_secs_f64() <= lag + 1e-6);
    }
}

#[test]
fn same_seed_same_run_different_seed_different_lag() {
    let run = |seed| {
        let (h, s, lag, done) = failover_after_outage(seed, 5000);
        (s, lag, done, h.entries().to_vec())
    };
    assert_eq!(run(11), run(11));
    assert_ne!(run(11).1, run(12).1);
}

#[test]
fn instance_failure_and_forced_failover_move_the_writer_instance() {
    let mut h = Harness::at_index(global(false), 3, &[(EAST, 10.0)], 2);
    h.at(mins(10), |health| health.set_resource_failed(2, true));
    assert_eq!(h.probe("writer_up"), 0.0);
    let back = h.writes_resume(EAST).unwrap();
    assert!(back > mins(10));
    h.at(mins(20), |health| health.set_resource_failed(2, false));
    let t = h.begin_at(mins(30), StoreAction::ForceFailover);
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()));
    assert!(done > mins(30), "finishes when the failover does");
    assert_eq!(h.settle(mins(60), mins(10)).lost, 0);
}

#[test]
fn a_restored_cluster_is_reached_once_repointed_and_a_latest_restore_keeps_the_corruption() {
    for (target, clean) in [
        (PointTarget::BeforeCorruption, true),
        (PointTarget::Latest, false),
    ] {
        let mut h = Harness::new(global(false), 4, &[(EAST, 10.0)]);
        h.corrupt_at(mins(90));
        let t = h.begin_at(
            mins(100),
            StoreAction::RestoreToPoint {
                region: EAST,
                target,
            },
        );
        let (result, done) = h.wait(t);
        assert_eq!(result, Ok(()));
        // The old cluster still answers and still carries the bad write.
        assert_eq!(h.data_loss(EAST), Some(DataLoss::Corruption));
        assert_eq!(h.store.read_ok(&h.health, EAST), 1.0);
        let t = h.begin_at(done, StoreAction::Repoint);
        assert_eq!(h.wait(t).0, Ok(()));
        let expected = if clean {
            None
        } else {
            Some(DataLoss::Corruption)
        };
        assert_eq!(h.data_loss(EAST), expected, "{target:?}");
    }
}
