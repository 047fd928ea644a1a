//! DynamoDB: global tables (MREC with last writer wins, MRSC with RPO 0), PITR.

use proptest::prelude::*;
use sim_core::SimDuration;
use sim_core::model::store::DataLoss;
use sim_core::model::{ActionError, PointTarget, StoreAction};
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

/// A global table with PITR, corrupted at 60 min, restored in us-east-1 to just before it at 70 min.
fn restored_global(consistency: Consistency) -> (Harness, sim_core::SimTime) {
    let mut config = DynamoDbConfig::new("us-east-1", &["us-west-2"], consistency);
    if consistency == Consistency::Strong {
        config.replicas.push("eu-west-1".into());
    }
    config.pitr = true;
    let mut h = Harness::new(Resource::DynamoDb(config), 2, &[(WEST, 10.0)]);
    h.corrupt_at(mins(60));
    assert_eq!(h.data_loss(WEST), Some(DataLoss::Corruption));
    let target = PointTarget::BeforeCorruption;
    let t = h.begin_at(
        mins(70),
        StoreAction::RestoreToPoint {
            region: EAST,
            target,
        },
    );
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()), "{:#?}", h.entries());
    (h, done)
}

#[test]
fn a_restored_table_is_used_once_repointed_and_replicates_once_a_replica_is_added() {
    let (mut h, done) = restored_global(Consistency::Eventual);
    // Clients still use the old, corrupt table.
    assert_eq!(h.data_loss(WEST), Some(DataLoss::Corruption));
    let t = h.begin_at(done, StoreAction::Repoint);
    assert_eq!(h.wait(t).0, Ok(()));
    assert_eq!(h.data_loss(WEST), None);
    // Single-Region: writes from us-west-2 cross to us-east-1, and losing us-east-1 leaves no table.
    assert_eq!(h.probe("writer_region"), 0.0);
    let t = h.begin_at(done, StoreAction::AddReplica { region: WEST });
    let (result, added) = h.wait(t);
    assert_eq!(result, Ok(()));
    // Twice is refused; so is adding to a Region that is down.
    let again = h.begin_at(added, StoreAction::AddReplica { region: WEST });
    assert!(matches!(
        h.wait(again).0,
        Err(ActionError::NotApplicable(_))
    ));
    // The 10 GB default adds 100 s to a base of minutes.
    let took = added.saturating_since(done).as_secs_f64();
    assert!(took > 100.0, "{took}");
    let failure = added + SimDuration::from_mins(30);
    h.at(failure, |health| health.set_region(EAST, false, true));
    assert!(h.store.write_route(&h.health, WEST).is_some());
    let s = h.settle(failure + SimDuration::from_mins(30), failure);
    // Lost: writes on the corrupt table (60 min to the repoint) plus the lag at the failure.
    let expect = 10.0 * done.saturating_since(mins(60)).as_secs_f64();
    assert!(
        (s.lost as f64 - expect).abs() < 5.0 * expect.sqrt() + 50.0,
        "{s:?} ≈ {expect}"
    );
}

#[test]
fn a_restored_strong_table_becomes_eventual_and_an_mrsc_table_takes_no_replica() {
    let config = {
        let mut c = DynamoDbConfig::new(
            "us-east-1",
            &["us-west-2", "eu-west-1"],
            Consistency::Strong,
        );
        c.pitr = true;
        c
    };
    let mut h = Harness::new(Resource::DynamoDb(config), 1, &[(EAST, 1.0)]);
    let t = h.begin_at(mins(10), StoreAction::AddReplica { region: EU });
    assert!(matches!(h.wait(t).0, Err(ActionError::NotApplicable(_))));
    let (mut h, done) = restored_global(Consistency::Strong);
    let t = h.begin_at(done, StoreAction::AddReplica { region: WEST });
    assert_eq!(h.wait(t).0, Ok(()), "{:#?}", h.entries());
}

#[test]
fn a_bad_write_made_while_apart_reaches_the_other_replica_when_contact_returns() {
    let mut h = Harness::new(Resource::DynamoDb(mrec()), 1, &[(EAST, 1.0)]);
    h.at(mins(10), |health| health.set_partition(EAST, WEST, true));
    h.corrupt_at(mins(20));
    assert_eq!(h.data_loss(EAST), Some(DataLoss::Corruption));
    assert_eq!(h.data_loss(WEST), None, "us-west-2 is apart");
    h.at(mins(30), |health| health.set_partition(EAST, WEST, false));
    assert_eq!(h.data_loss(WEST), Some(DataLoss::Corruption));
}

#[test]
fn a_deleted_table_takes_no_writes_and_restores_to_just_before_the_delete() {
    let mut config = DynamoDbConfig::new("us-east-1", &[], Consistency::Eventual);
    config.pitr = true;
    let mut h = Harness::new(Resource::DynamoDb(config), 1, &[(EAST, 10.0)]);
    h.delete_at(mins(60));
    assert_eq!(h.store.write_route(&h.health, EAST), None);
    let t = h.begin_at(
        mins(120),
        StoreAction::RestoreToPoint {
            region: EAST,
            target: PointTarget::Latest,
        },
    );
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()));
    let t = h.begin_at(done, StoreAction::Repoint);
    assert_eq!(h.wait(t).0, Ok(()));
    assert_eq!(h.data_loss(EAST), None);
    let s = h.settle(done + SimDuration::from_mins(5), mins(60));
    assert_eq!(
        s.rpo,
        SimDuration::ZERO,
        "the latest point is the delete itself: {s:?}"
    );
}

#[test]
fn deleting_a_global_table_replica_leaves_the_others() {
    let mut h = Harness::new(Resource::DynamoDb(mrec()), 1, &[(WEST, 1.0)]);
    h.delete_at(mins(60));
    assert_eq!(h.data_loss(EAST), Some(DataLoss::Deletion));
    assert_eq!(h.data_loss(WEST), None);
    assert!(h.store.write_route(&h.health, WEST).is_some());
}
