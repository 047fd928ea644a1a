//! DynamoDB: global tables (MREC with last writer wins, MRSC with RPO 0), PITR.

use proptest::prelude::*;
use sim_core::SimDuration;
use sim_core::model::{PointTarget, StoreAction};
use sim_core::spec::Consistency;
use sim_core::spec::DynamoDbConfig;
use sim_core::spec::Resource;

use super::harness::{EAST, EU, Harness, WEST, cases, mins, percentile, secs};

fn mrec() -> DynamoDbConfig {
    DynamoDbConfig::new("us-east-1", &["us-west-2"], Consistency::Eventual)
}

/// us-east-1 fails at `failure_s` and never returns; west clients keep writing.
fn east_lost(seed: u64, failure_s: u64) -> (Harness, sim_core::Settlement) {
    let mut h = Harness::new(
        Resource::DynamoDb(mrec()),
        seed,
        &[(EAST, 100.0), (WEST, 100.0)],
    );
    let failure = secs(failure_s);
    h.at(failure, |health| health.set_region(EAST, false, true));
    assert!(
        h.store.write_route(&h.health, WEST).is_some(),
        "west keeps writing without any action"
    );
    let s = h.settle(failure + SimDuration::from_mins(30), failure);
    (h, s)
}

#[test]
fn calibration_c12_mrec_region_loss_costs_about_a_second() {
    let mut rpos: Vec<f64> = (0..1000)
        .map(|seed| east_lost(seed, 1000 + seed).1.rpo.as_secs_f64())
        .collect();
    let (p50, p99) = (percentile(&mut rpos, 50), percentile(&mut rpos, 99));
    println!("C12 DynamoDB MREC region loss: RPO p50 {p50:.2}s p99 {p99:.2}s");
    assert!(p50 <= 1.0 && p99 < 5.0, "{p50} {p99}");
}

#[test]
fn partition_with_concurrent_writes_to_few_items_overwrites_some() {
    let mut config = mrec();
    config.items = 1000;
    let mut h = Harness::new(Resource::DynamoDb(config), 1, &[(EAST, 5.0), (WEST, 5.0)]);
    h.at(mins(10), |health| health.set_partition(EAST, WEST, true));
    h.at(mins(20), |health| health.set_partition(EAST, WEST, false));
    let s = h.settle(mins(30), mins(10));
    assert!(s.overwritten > 100, "{s:?}");
    assert_eq!(
        s.lost, s.overwritten,
        "after healing, only conflicts are lost: {s:?}"
    );
    assert!(
        h.entries()
            .iter()
            .any(|e| e.text.contains("last writer wins"))
    );
}

#[test]
fn mrsc_minority_cannot_write_and_nothing_is_lost() {
    let config = DynamoDbConfig::new(
        "us-east-1",
        &["us-west-2", "eu-west-1"],
        Consistency::Strong,
    );
    let mut h = Harness::new(Resource::DynamoDb(config), 1, &[(EAST, 10.0), (WEST, 10.0)]);
    h.at(mins(10), |health| {
        health.set_partition(EAST, WEST, true);
        health.set_partition(EAST, EU, true);
    });
    assert!(
        h.store.write_route(&h.health, EAST).is_none(),
        "east is cut off from the majority"
    );
    assert!(h.store.write_route(&h.health, WEST).is_some());
    h.at(mins(11), |health| health.set_region(EAST, false, true));
    assert!(h.store.write_route(&h.health, WEST).is_some());
    let s = h.settle(mins(60), mins(10));
    assert_eq!((s.lost, s.rpo), (0, SimDuration::ZERO), "{s:?}");
}

#[test]
fn mrsc_config_needs_three_members() {
    let config = DynamoDbConfig::new("us-east-1", &["us-west-2"], Consistency::Strong);
    let err = config.validate().unwrap_err();
    assert!(err.contains("3 replicas, or 2 and a witness"), "{err}");
}

#[test]
fn calibration_c14_pitr_restores_to_five_minutes_ago_at_latest() {
    let mut config = DynamoDbConfig::new("us-east-1", &[], Consistency::Eventual);
    config.pitr = true;
    let mut h = Harness::new(Resource::DynamoDb(config), 1, &[(EAST, 10.0)]);
    h.corrupt_at(mins(60));
    let t = h.begin_at(
        mins(62),
        StoreAction::RestoreToPoint {
            region: EAST,
            target: PointTarget::BeforeCorruption,
        },
    );
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()));
    let s = h.settle(done + SimDuration::from_mins(5), mins(60));
    // Latest restorable at 62 min is 57 min: 3 minutes before the corruption are lost.
    assert!((s.rpo.as_secs_f64() - 180.0).abs() < 2.0, "{s:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]
    #[test]
    fn lost_plus_surviving_is_acknowledged_after_region_loss(seed in 0u64..10_000, failure_s in 1u64..50_000) {
        let (_, s) = east_lost(seed, failure_s);
        prop_assert_eq!(s.lost + s.surviving, s.acknowledged);
    }
}

#[test]
fn a_region_that_comes_back_replicates_its_lag_window_and_collides_little() {
    let mut config = mrec();
    config.items = 1000;
    let mut h = Harness::new(Resource::DynamoDb(config), 1, &[(EAST, 5.0), (WEST, 5.0)]);
    h.at(mins(10), |health| health.set_region(EAST, false, true));
    h.at(mins(20), |health| health.set_region(EAST, true, true));
    let s = h.settle(mins(30), mins(10));
    // East wrote only in its last lag window (~0.5 s, ~2-3 writes) before going down: few collisions.
    assert!(s.overwritten <= 3, "{s:?}");
    assert_eq!(s.lost, s.overwritten, "{s:?}");
}
