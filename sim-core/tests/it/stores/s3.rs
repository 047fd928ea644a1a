//! S3: replication lag with and without RTC, the bucket as a static-site origin, versioning.

use sim_core::SimDuration;
use sim_core::model::store::DataLoss;
use sim_core::model::{PointTarget, StoreAction};
use sim_core::spec::ReplicationConfig;
use sim_core::spec::Resource;
use sim_core::spec::S3Config;

use super::harness::{EAST, Harness, WEST, mins, percentile, secs};

fn replicated(rtc: bool) -> Resource {
    let mut config = S3Config::new("us-east-1");
    config.replication = Some(ReplicationConfig {
        region: "us-west-2".into(),
        rtc,
        lag: None,
    });
    Resource::S3(config)
}

fn lag_at_region_loss(rtc: bool, seed: u64) -> f64 {
    let mut h = Harness::new(replicated(rtc), seed, &[(EAST, 1.0)]);
    h.at(secs(600 + seed), |health| {
        health.set_region(EAST, false, true)
    });
    h.probe("replica_lag_s")
}

#[test]
fn calibration_c15_c16_replication_lag_over_1000_seeds() {
    let mut rtc: Vec<f64> = (0..1000).map(|s| lag_at_region_loss(true, s)).collect();
    let mut crr: Vec<f64> = (0..1000).map(|s| lag_at_region_loss(false, s)).collect();
    let (rtc50, rtc_max) = (percentile(&mut rtc, 50), percentile(&mut rtc, 100));
    let (crr50, crr99) = (percentile(&mut crr, 50), percentile(&mut crr, 99));
    println!(
        "C15 S3 RTC lag: p50 {rtc50:.1}s max {rtc_max:.0}s; C16 CRR lag: p50 {crr50:.0}s p99 {crr99:.0}s"
    );
    assert!(rtc50 < 10.0 && rtc_max < 900.0, "{rtc50} {rtc_max}");
    assert!(crr50 >= 30.0 && crr99 > 3600.0, "{crr50} {crr99}");
}

#[test]
fn static_site_origin_is_up_iff_its_region_is() {
    let mut h = Harness::new(replicated(true), 1, &[(EAST, 1.0)]);
    assert_eq!(h.store.read_ok(&h.health, WEST), 1.0);
    h.at(mins(5), |health| health.set_region(EAST, false, true));
    assert_eq!(h.store.read_ok(&h.health, WEST), 0.0);
    let t = h.begin_at(mins(6), StoreAction::Promote { region: WEST });
    assert_eq!(h.wait(t).0, Ok(()));
    assert_eq!(h.store.read_ok(&h.health, WEST), 1.0);
}

#[test]
fn versioning_undoes_a_bad_overwrite() {
    let mut config = S3Config::new("us-east-1");
    config.versioning = true;
    let mut h = Harness::new(Resource::S3(config), 1, &[(EAST, 1.0)]);
    h.corrupt_at(mins(100));
    let target = PointTarget::BeforeCorruption;
    let t = h.begin_at(
        mins(120),
        StoreAction::RestoreToPoint {
            region: EAST,
            target,
        },
    );
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()));
    let s = h.settle(done + SimDuration::from_mins(1), mins(100));
    assert_eq!(s.rpo, SimDuration::ZERO, "{s:?}");
}

#[test]
fn a_bucket_restores_in_place_and_needs_no_repoint() {
    let mut config = S3Config::new("us-east-1");
    config.versioning = true;
    let mut h = Harness::new(Resource::S3(config), 1, &[(EAST, 1.0)]);
    h.corrupt_at(mins(100));
    assert_eq!(h.data_loss(EAST), Some(DataLoss::Corruption));
    let target = PointTarget::BeforeCorruption;
    let t = h.begin_at(
        mins(120),
        StoreAction::RestoreToPoint {
            region: EAST,
            target,
        },
    );
    assert_eq!(h.wait(t).0, Ok(()));
    assert_eq!(
        h.data_loss(EAST),
        None,
        "same bucket, same name: clients see it at once"
    );
    let t = h.begin_at(mins(130), StoreAction::Repoint);
    assert!(h.wait(t).0.is_err());
}

#[test]
fn deletes_are_not_replicated_but_overwrites_are() {
    let mut h = Harness::new(replicated(true), 1, &[(EAST, 1.0)]);
    h.delete_at(mins(60));
    let t = h.begin_at(mins(61), StoreAction::Promote { region: WEST });
    assert_eq!(h.wait(t).0, Ok(()));
    assert_eq!(
        h.data_loss(WEST),
        None,
        "the delete markers stayed in the source bucket"
    );
    let mut h = Harness::new(replicated(true), 1, &[(EAST, 1.0)]);
    h.corrupt_at(mins(60));
    let t = h.begin_at(mins(61), StoreAction::Promote { region: WEST });
    assert_eq!(h.wait(t).0, Ok(()));
    assert_eq!(h.data_loss(WEST), Some(DataLoss::Corruption));
}

#[test]
fn a_restore_of_earlier_versions_is_logged_as_the_bucket_not_an_instance() {
    // S3 restores earlier object versions into the bucket itself: no instance is created.
    let s = crate::e2e::scenario(
        r#""assets": S3(region: "us-east-1", versioning: true), "fn": Lambda(region: "us-east-1"),"#,
        r#"flows: [(name: "reads", kind: Read, rate_per_s: 1.0, entry: "fn", store: "assets")],
           disasters: [(name: "bad", kind: Corruption(store: "assets"), onset: At("1h"))],
           runbooks: [(name: "rb", trigger: Onset, start_at: "r", states: {
               "r": Task(action: RestoreToPoint(store: "assets", region: "us-east-1", point: BeforeCorruption)) })],"#,
    );
    let r = crate::e2e::run(&s, 0);
    let texts: Vec<&str> = r
        .log
        .iter()
        .filter(|e| e.actor == "assets")
        .map(|e| e.text.as_str())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("bucket restored to 01:00:00 in us-east-1")),
        "{texts:#?}"
    );
    assert!(!texts.iter().any(|t| t.contains("instance")), "{texts:#?}");
}
