//! RDS: Multi-AZ failover, read replica promotion, PITR after corruption, snapshot restore elsewhere.

use proptest::prelude::*;
use sim_core::SimDuration;
use sim_core::model::store::DataLoss;
use sim_core::model::{ActionError, PointTarget, StoreAction};
use sim_core::spec::Resource;
use sim_core::spec::{RdsConfig, RdsDeployment, ReadReplicaConfig};

use super::harness::{EAST, Harness, WEST, az, cases, mins, percentile, secs};

fn multi_az() -> RdsConfig {
    RdsConfig::new(RdsDeployment::MultiAzInstance {
        primary_az: "us-east-1a".into(),
        standby_az: "us-east-1b".into(),
    })
}

fn with_west_replica(mut config: RdsConfig) -> RdsConfig {
    config.read_replicas.push(ReadReplicaConfig {
        az: "us-west-2a".into(),
        lag: None,
    });
    config
}

/// Fails the writer's AZ at 1 h and returns how long writes were unavailable and the settlement.
fn az_failover(config: RdsConfig, seed: u64) -> (f64, sim_core::Settlement) {
    let mut h = Harness::new(Resource::Rds(config), seed, &[(EAST, 10.0)]);
    let failure = mins(60);
    h.at(failure, |health| health.set_az(az("us-east-1a"), false));
    assert_eq!(h.probe("writer_up"), 0.0);
    let back = h.writes_resume(EAST).expect("failover completes");
    let s = h.settle(mins(120), failure);
    (back.saturating_since(failure).as_secs_f64(), s)
}

#[test]
fn multi_az_failover_loses_nothing_and_takes_c6_time() {
    let (outage_s, s) = az_failover(multi_az(), 1);
    assert!((60.0..=120.0).contains(&outage_s), "{outage_s}");
    assert_eq!((s.lost, s.rpo), (0, SimDuration::ZERO), "{s:?}");
    assert!(s.acknowledged > 60_000);
}

#[test]
fn calibration_c6_multi_az_instance_failover_over_1000_seeds() {
    let mut xs: Vec<f64> = (0..1000)
        .map(|seed| az_failover(multi_az(), seed).0)
        .collect();
    let (p50, p99) = (percentile(&mut xs, 50), percentile(&mut xs, 99));
    println!("C6 Multi-AZ instance failover: p50 {p50:.1}s p99 {p99:.1}s");
    assert!(
        (60.0..=120.0).contains(&p50) && (60.0..=120.0).contains(&p99),
        "{p50} {p99}"
    );
}

#[test]
fn calibration_c7_multi_az_cluster_failover_over_1000_seeds() {
    let cluster = || {
        RdsConfig::new(RdsDeployment::MultiAzCluster {
            writer_az: "us-east-1a".into(),
            reader_azs: vec!["us-east-1b".into(), "us-east-1c".into()],
        })
    };
    let mut xs: Vec<f64> = (0..1000)
        .map(|seed| {
            let (t, s) = az_failover(cluster(), seed);
            assert_eq!(s.lost, 0);
            t
        })
        .collect();
    let (p50, max) = (percentile(&mut xs, 50), percentile(&mut xs, 100));
    println!("C7 Multi-AZ cluster failover: p50 {p50:.1}s max {max:.1}s");
    assert!(max < 35.0, "{max}");
}

#[test]
fn single_az_waits_for_its_az() {
    let config = RdsConfig::new(RdsDeployment::SingleAz {
        az: "us-east-1a".into(),
    });
    let mut h = Harness::new(Resource::Rds(config), 1, &[(EAST, 1.0)]);
    h.at(mins(10), |health| health.set_az(az("us-east-1a"), false));
    assert!(h.writes_resume(EAST).is_none());
    h.at(mins(40), |health| health.set_az(az("us-east-1a"), true));
    assert_eq!(h.writes_resume(EAST), Some(mins(40)));
    assert_eq!(h.settle(mins(60), mins(10)).lost, 0);
}

/// Region outage at `failure`, promotion of the us-west-2 replica at `failure + 10 min`.
fn promote_after_outage(seed: u64, failure_s: u64) -> (Harness, sim_core::Settlement, f64) {
    let config = with_west_replica(multi_az());
    let mut h = Harness::new(Resource::Rds(config), seed, &[(EAST, 20.0), (WEST, 5.0)]);
    let failure = secs(failure_s);
    h.at(failure, |health| health.set_region(EAST, false, true));
    let lag = h.probe("replica_lag_s");
    let t = h.begin_at(
        failure + SimDuration::from_mins(10),
        StoreAction::Promote { region: WEST },
    );
    let (result, _) = h.wait(t);
    assert_eq!(result, Ok(()));
    assert_eq!(h.probe("writer_region"), f64::from(WEST.0));
    let s = h.settle(failure + SimDuration::from_hours(2), failure);
    (h, s, lag)
}

#[test]
fn promoted_replica_loses_its_lag_at_the_failure() {
    let (h, s, lag) = promote_after_outage(7, 3600);
    assert!(s.rpo.as_secs_f64() <= lag + 1e-6, "rpo {} lag {lag}", s.rpo);
    assert!(
        h.entries().iter().any(|e| e.text.contains("cut off")),
        "{:#?}",
        h.entries()
    );
    assert!(h.entries().iter().any(|e| e.text.contains("promoted")));
}

#[test]
fn actions_fail_when_the_control_plane_is_down() {
    let config = with_west_replica(multi_az());
    let mut h = Harness::new(Resource::Rds(config), 1, &[(EAST, 1.0)]);
    h.at(mins(5), |health| health.set_region(WEST, false, true));
    let t = h.begin_at(mins(6), StoreAction::Promote { region: WEST });
    assert_eq!(h.wait(t).0, Err(ActionError::ControlPlaneDown(WEST)));
}

#[test]
fn corruption_reaches_standby_and_replica_and_only_pitr_undoes_it() {
    let config = with_west_replica(multi_az());
    let mut h = Harness::new(Resource::Rds(config), 3, &[(EAST, 10.0)]);
    let corruption = mins(200);
    h.corrupt_at(corruption);
    // Promoting the replica does not help: it copied the corruption.
    let t = h.begin_at(mins(230), StoreAction::Promote { region: WEST });
    assert_eq!(h.wait(t).0, Ok(()));
    let bad = h.settle(mins(260), corruption);
    assert!(bad.rpo >= SimDuration::from_mins(199), "{bad:?}");
}

/// PITR to just before a corruption at `c`, decided 30 min later; returns the RPO and the lost writes.
fn pitr_after_corruption(seed: u64, c_s: u64) -> (SimDuration, sim_core::Settlement) {
    let mut h = Harness::new(
        Resource::Rds(with_west_replica(multi_az())),
        seed,
        &[(EAST, 10.0)],
    );
    let corruption = secs(c_s);
    h.corrupt_at(corruption);
    let target = PointTarget::BeforeCorruption;
    let t = h.begin_at(
        corruption + SimDuration::from_mins(30),
        StoreAction::RestoreToPoint {
            region: EAST,
            target,
        },
    );
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()), "{:#?}", h.entries());
    // Clients still use the old, corrupt instance until they are repointed.
    assert_eq!(h.data_loss(EAST), Some(DataLoss::Corruption));
    let t = h.begin_at(done, StoreAction::Repoint);
    assert_eq!(h.wait(t).0, Ok(()));
    assert_eq!(h.data_loss(EAST), None);
    let s = h.settle(done + SimDuration::from_mins(30), corruption);
    (done.saturating_since(corruption), s)
}

#[test]
fn until_repointed_clients_write_to_the_old_instance_and_those_writes_are_lost() {
    let mut h = Harness::new(Resource::Rds(multi_az()), 4, &[(EAST, 10.0)]);
    let corruption = mins(120);
    h.corrupt_at(corruption);
    let target = PointTarget::BeforeCorruption;
    let t = h.begin_at(
        mins(150),
        StoreAction::RestoreToPoint {
            region: EAST,
            target,
        },
    );
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()));
    // A second repoint has nothing to point at.
    let repoint = done + SimDuration::from_mins(20);
    let t = h.begin_at(repoint, StoreAction::Repoint);
    assert_eq!(h.wait(t).0, Ok(()));
    let t = h.begin_at(repoint, StoreAction::Repoint);
    assert!(matches!(h.wait(t).0, Err(ActionError::NotApplicable(_))));
    let s = h.settle(mins(300), corruption);
    let expect = 10.0 * repoint.saturating_since(corruption).as_secs_f64();
    assert!(
        (s.lost as f64 - expect).abs() < 5.0 * expect.sqrt() + 5.0,
        "{s:?}: every write from the bad one to the repoint is lost"
    );
}

#[test]
fn pitr_before_a_corruption_loses_only_the_writes_after_it() {
    for seed in 0..50 {
        let (restore_window, s) = pitr_after_corruption(seed, 7200 + seed * 37);
        assert_eq!(
            s.rpo,
            SimDuration::ZERO,
            "the point is just before the corruption: {s:?}"
        );
        // Lost: the writes made to the corrupted database until the restore completed (10/s).
        let expect = 10.0 * restore_window.as_secs_f64();
        assert!(
            (s.lost as f64 - expect).abs() < 5.0 * expect.sqrt() + 5.0,
            "{s:?} {restore_window}"
        );
    }
}

#[test]
fn calibration_c9_pitr_latest_restorable_lags_by_up_to_five_minutes_over_1000_seeds() {
    let mut rpos: Vec<f64> = (0..1000)
        .map(|seed| {
            let config = RdsConfig::new(RdsDeployment::SingleAz {
                az: "us-east-1a".into(),
            });
            let mut h = Harness::new(Resource::Rds(config), seed, &[(EAST, 10.0)]);
            let failure = secs(3600 + seed * 17);
            h.at(failure, |health| health.set_az(az("us-east-1a"), false));
            let target = PointTarget::Latest;
            let t = h.begin_at(
                failure + SimDuration::from_mins(10),
                StoreAction::RestoreToPoint {
                    region: EAST,
                    target,
                },
            );
            let (result, done) = h.wait(t);
            assert_eq!(result, Ok(()));
            let s = h.settle(done + SimDuration::from_mins(10), failure);
            assert!(s.rpo <= SimDuration::from_mins(5), "{s:?}");
            s.rpo.as_secs_f64()
        })
        .collect();
    let (p50, max) = (percentile(&mut rpos, 50), percentile(&mut rpos, 100));
    println!(
        "C9 RDS PITR to latest after losing a Single-AZ instance: RPO p50 {p50:.0}s max {max:.0}s"
    );
    assert!((100.0..200.0).contains(&p50) && max <= 300.0, "{p50} {max}");
}

#[test]
fn snapshot_copied_to_another_region_restores_there_with_hours_of_rpo() {
    let mut config = multi_az();
    config.automated_snapshots.copy_to = Some("us-west-2".into());
    let mut h = Harness::new(Resource::Rds(config), 5, &[(EAST, 1.0)]);
    let failure = SimTime::at(SimDuration::from_hours(50));
    h.at(failure, |health| health.set_region(EAST, false, true));
    let t = h.begin_at(
        failure + SimDuration::from_mins(30),
        StoreAction::RestoreSnapshot { region: WEST },
    );
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()), "{:#?}", h.entries());
    assert!(done.saturating_since(failure) >= SimDuration::from_mins(40));
    let s = h.settle(done + SimDuration::from_hours(1), failure);
    // The day-2 snapshot at 27 h (03:00), copied within hours: RPO is about 23 hours.
    let rpo_h = s.rpo.as_secs_f64() / 3600.0;
    assert!((22.0..=24.0).contains(&rpo_h), "{s:?}");
    assert_eq!(h.probe("writer_region"), f64::from(WEST.0));
}

#[test]
fn a_month_of_daily_backups_schedules_no_events() {
    let mut config = multi_az();
    config.backup_plan = Some(sim_core::spec::BackupPlanConfig {
        every: SimDuration::from_hours(1),
        copy_to: Some("us-west-2".into()),
        ..Default::default()
    });
    let mut h = Harness::new(Resource::Rds(config), 1, &[(EAST, 1.0)]);
    assert_eq!(h.pending(), 0);
    h.run_until(SimTime::at(SimDuration::from_hours(30 * 24)));
    let t = h.begin_at(h.now, StoreAction::RestoreSnapshot { region: WEST });
    assert_eq!(h.wait(t).0, Ok(()));
}

use sim_core::SimTime;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]
    #[test]
    fn lost_plus_surviving_is_acknowledged_for_any_failure_time(seed in 0u64..1000, failure_s in 60u64..20_000) {
        let (_, s, lag) = promote_after_outage(seed, failure_s);
        prop_assert_eq!(s.lost + s.surviving, s.acknowledged);
        prop_assert!(s.rpo.as_secs_f64() <= lag + 1e-6);
    }
}

/// A whole incident, narrated: AZ loss, Region loss, promotion, corruption, PITR in the new Region.
#[test]
fn the_log_tells_the_story_in_order() {
    let mut h = Harness::new(
        Resource::Rds(with_west_replica(multi_az())),
        1,
        &[(EAST, 10.0)],
    );
    h.at(mins(60), |health| health.set_az(az("us-east-1a"), false));
    h.run_until(mins(70));
    h.at(mins(80), |health| health.set_region(EAST, false, true));
    let t = h.begin_at(mins(90), StoreAction::Promote { region: WEST });
    assert_eq!(h.wait(t).0, Ok(()));
    h.corrupt_at(mins(120));
    let target = PointTarget::BeforeCorruption;
    let t = h.begin_at(
        mins(130),
        StoreAction::RestoreToPoint {
            region: WEST,
            target,
        },
    );
    assert_eq!(h.wait(t).0, Ok(()));
    let texts: Vec<String> = h
        .entries()
        .iter()
        .map(|e| format!("{} {}", e.at, e.text))
        .collect();
    let expect = [
        "01:00:00 replica in us-west-2a cut off from the writer; 3.9s of writes not replicated",
        "01:00:00 automatic Multi-AZ failover to the standby instance in us-east-1b begins (takes 1m 01s)",
        "01:01:01.348 failover complete: the instance in us-east-1b is the writer",
        "01:01:01.348 replica in us-west-2a catches up with the writer",
        "01:20:00 replica in us-west-2a cut off from the writer; 397 ms of writes not replicated",
        "01:20:00 instance in us-east-1b is down and no standby can take over",
        "01:30:00 promotion of the replica in us-west-2a begins (takes 1m 50s)",
        "01:31:49.704 replica in us-west-2a promoted: it is now a standalone writer",
        "02:00:00 corrupting write reaches the writer",
        "02:10:00 point-in-time restore to 02:00:00 begins in us-west-2",
        "instance restored to 02:00:00 in us-west-2: available, now the writer",
    ];
    assert_eq!(texts.len(), expect.len(), "{texts:#?}");
    for (text, expect) in texts.iter().zip(expect) {
        assert!(text.contains(expect), "{text:?} should contain {expect:?}");
    }
}

#[test]
fn instance_failure_fails_over_and_the_old_primary_rejoins_as_standby() {
    let mut h = Harness::at_index(Resource::Rds(multi_az()), 2, &[(EAST, 10.0)], 7);
    h.at(mins(10), |health| health.set_resource_failed(7, true));
    let back = h.writes_resume(EAST).unwrap();
    assert!((60.0..=120.0).contains(&back.saturating_since(mins(10)).as_secs_f64()));
    h.at(mins(30), |health| health.set_resource_failed(7, false));
    // The standby (old primary) is back: losing the new writer's AZ fails over again, losing nothing.
    h.at(mins(40), |health| health.set_az(az("us-east-1b"), false));
    assert!(h.writes_resume(EAST).is_some());
    let s = h.settle(mins(60), mins(10));
    assert_eq!(s.lost, 0, "{s:?}");
    assert!(
        h.entries()
            .iter()
            .any(|e| e.text == "instance in us-east-1a fails")
    );
}

#[test]
fn a_manual_snapshot_is_restorable_in_its_region() {
    let mut config = RdsConfig::new(RdsDeployment::SingleAz {
        az: "us-east-1a".into(),
    });
    config.automated_backups = false;
    config.manual_snapshots = vec![SimDuration::from_mins(30)];
    let mut h = Harness::new(Resource::Rds(config), 1, &[(EAST, 1.0)]);
    let t = h.begin_at(mins(10), StoreAction::RestoreSnapshot { region: EAST });
    assert!(
        matches!(h.wait(t).0, Err(ActionError::NotApplicable(_))),
        "nothing taken yet"
    );
    let t = h.begin_at(
        mins(120),
        StoreAction::RestoreToPoint {
            region: EAST,
            target: PointTarget::Latest,
        },
    );
    assert!(
        matches!(h.wait(t).0, Err(ActionError::NotApplicable(_))),
        "no PITR without automated backups"
    );
    let t = h.begin_at(mins(121), StoreAction::RestoreSnapshot { region: EAST });
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()));
    let s = h.settle(done + SimDuration::from_mins(1), mins(121));
    assert!((s.rpo.as_secs_f64() - 91.0 * 60.0).abs() < 30.0, "{s:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]
    /// Replication copies a corruption (promotion keeps it); PITR to before it loses at most the 5 minutes
    /// of logs not yet shipped, whenever the operator acts.
    #[test]
    fn corruption_is_undone_by_pitr_only(seed in 0u64..1000, c_s in 600u64..50_000, decide_s in 1u64..3600) {
        let corruption = secs(c_s);
        let decided = corruption + SimDuration::from_secs(decide_s);
        let mut h = Harness::new(Resource::Rds(with_west_replica(multi_az())), seed, &[(EAST, 5.0)]);
        h.corrupt_at(corruption);
        let t = h.begin_at(decided, StoreAction::Promote { region: WEST });
        prop_assert_eq!(h.wait(t).0, Ok(()));
        let s = h.settle(decided + SimDuration::from_hours(1), corruption);
        prop_assert!(s.rpo >= SimDuration::from_secs(c_s - 60), "{:?}", s);

        let mut h = Harness::new(Resource::Rds(with_west_replica(multi_az())), seed, &[(EAST, 5.0)]);
        h.corrupt_at(corruption);
        let target = PointTarget::BeforeCorruption;
        let t = h.begin_at(decided, StoreAction::RestoreToPoint { region: EAST, target });
        let (result, done) = h.wait(t);
        prop_assert_eq!(result, Ok(()));
        let s = h.settle(done + SimDuration::from_mins(10), corruption);
        prop_assert!(s.rpo <= SimDuration::from_mins(5), "{:?}", s);
        prop_assert_eq!(s.lost + s.surviving, s.acknowledged);
    }
}

#[test]
fn a_delete_takes_the_standby_but_read_replicas_keep_their_data() {
    let mut h = Harness::new(
        Resource::Rds(with_west_replica(multi_az())),
        5,
        &[(EAST, 10.0)],
    );
    h.delete_at(mins(60));
    assert_eq!(h.data_loss(EAST), Some(DataLoss::Deletion));
    assert_eq!(h.store.write_route(&h.health, EAST), None);
    // RDS promotes the read replicas of a deleted source; here a runbook promotes it.
    let t = h.begin_at(mins(70), StoreAction::Promote { region: WEST });
    assert_eq!(h.wait(t).0, Ok(()));
    assert_eq!(h.data_loss(WEST), None);
    let s = h.settle(mins(120), mins(60));
    assert!(
        s.rpo < SimDuration::from_mins(2),
        "only the replica's lag: {s:?}"
    );
}

#[test]
fn a_restored_instance_is_single_az() {
    let mut h = Harness::new(Resource::Rds(multi_az()), 6, &[(EAST, 10.0)]);
    h.corrupt_at(mins(60));
    let target = PointTarget::BeforeCorruption;
    let t = h.begin_at(
        mins(70),
        StoreAction::RestoreToPoint {
            region: EAST,
            target,
        },
    );
    let (result, done) = h.wait(t);
    assert_eq!(result, Ok(()));
    let t = h.begin_at(done, StoreAction::Repoint);
    assert_eq!(h.wait(t).0, Ok(()));
    // RestoreDBInstanceFromDBSnapshot creates a Single-AZ instance by default: losing its AZ stops writes
    // until the AZ returns, with no failover. (It runs in the Region's first AZ that is up.)
    h.at(done + SimDuration::from_mins(5), |health| {
        health.set_az(az("us-east-1a"), false)
    });
    h.run_until(done + SimDuration::from_mins(60));
    assert_eq!(h.probe("writer_up"), 0.0, "{:#?}", h.entries());
    let t = h.begin_at(
        done + SimDuration::from_mins(61),
        StoreAction::ForceFailover,
    );
    assert!(matches!(h.wait(t).0, Err(ActionError::NotApplicable(_))));
}

/// Seconds of writes lost when us-east-1 fails at 3h20m and the database is restored in us-west-2 from
/// its hourly AWS Backup copies (backups at 30m + k h, 5 min jobs, later copies 10 min), with the first,
/// full copy taking `first_copy`; `None` when no copy is usable there yet.
fn restored_from_copies(first_copy: &str) -> Option<f64> {
    let s = crate::e2e::scenario(
        &format!(
            r#""db": Rds(deployment: SingleAz(az: "us-east-1a"),
                   backup_plan: (every: "1h", first_at: "30m", job: Fixed("5m"), copy_to: "us-west-2",
                                 first_copy: Fixed("{first_copy}"), copy: Fixed("10m"))),
               "fn": Lambda(region: "us-west-2"),"#
        ),
        r#"flows: [(name: "orders", kind: Write, rate_per_s: 5.0, entry: "fn", store: "db")],
           disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("3h20m"))],
           runbooks: [(name: "rb", trigger: Onset, start_at: "r", states: {
               "r": Task(action: RestoreSnapshot(store: "db", region: "us-west-2"), next: "p"),
               "p": Task(action: Repoint(store: "db", duration: Fixed("1m"))) })],"#,
    );
    let r = crate::e2e::run(&s, 0);
    crate::e2e::rto_s(&r, "orders")?;
    r.rpo.map(SimDuration::as_secs_f64)
}

#[test]
fn incremental_backup_copies_are_not_usable_before_the_first_full_copy_lands() {
    // The 2:30 backup's copy lands at 2:45: 50 min of writes are lost.
    let rpo = restored_from_copies("20m").expect("restored");
    assert!((rpo - 3000.0).abs() < 1.0, "{rpo}");
    // The first copy is full and takes 2h50m (lands at 3:25): the 1:30 and 2:30 copies, incremental,
    // build on it and are not usable at 3:20 either; nothing can be restored in us-west-2 yet.
    assert_eq!(restored_from_copies("2h50m"), None);
    // It lands at 3:05: from then the later copies are usable too, the 2:30 one included.
    let rpo = restored_from_copies("2h30m").expect("restored");
    assert!((rpo - 3000.0).abs() < 1.0, "{rpo}");
}
