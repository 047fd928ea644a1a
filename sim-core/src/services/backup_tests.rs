//! Unit tests of `services/backup.rs`.

use super::*;
use crate::model::store::DataLoss;

fn hours(h: u64) -> SimTime {
    SimTime::at(SimDuration::from_hours(h))
}

fn plan(copy_to: Option<&str>) -> (Schedule, RegionId, RegionId) {
    let mut catalog = Catalog::new();
    let (east, west) = (
        catalog.add_region("us-east-1"),
        catalog.add_region("us-west-2"),
    );
    let config = BackupPlanConfig {
        copy_to: copy_to.map(str::to_string),
        ..BackupPlanConfig::default()
    };
    let streams = RngStreams::new(3, 0);
    let s = Schedule::build(
        &config,
        east,
        &catalog,
        &streams,
        ("db", "backup"),
        "backup",
    )
    .unwrap();
    (s, east, west)
}

#[test]
fn latest_backup_is_computed_not_ticked() {
    let (s, east, west) = plan(Some("us-west-2"));
    let none = Outages::default();
    let max = SimTime::MAX;
    assert_eq!(s.latest_in(east, hours(0), max, &none), None);
    // Thirty days in: the latest is from day 29 or 30, found without any event.
    let (point, usable) = s.latest_in(east, hours(30 * 24 + 2), max, &none).unwrap();
    assert_eq!(point, hours(30 * 24 + 1));
    assert!(usable > point);
    // None taken after `until` (a deleted store's).
    let (before, _) = s
        .latest_in(east, hours(30 * 24 + 2), hours(50), &none)
        .unwrap();
    assert_eq!(before, hours(49));
    let (copied, at) = s.latest_in(west, hours(30 * 24 + 2), max, &none).unwrap();
    assert!(copied <= point && at > copied);
}

#[test]
fn outages_spoil_backups_taken_during_them() {
    let (s, east, _) = plan(None);
    let mut out = Outages::default();
    let mut h = Health::new();
    h.set_region(east, false, true);
    out.observe(hours(48), &h, &[east]);
    h.set_region(east, true, true);
    out.observe(hours(50), &h, &[east]);
    let (point, _) = s.latest_in(east, hours(60), SimTime::MAX, &out).unwrap();
    assert_eq!(
        point,
        hours(25),
        "the day-2 backup at 49h fell in the outage"
    );
}

#[test]
fn a_restore_brings_back_the_damage_before_its_point_and_a_delete_ends_the_data() {
    let mut h = DamageHistory::default();
    let bad = |at: u64, loss| Damage {
        at: hours(at),
        loss,
    };
    h.record(bad(2, DataLoss::Corruption));
    assert_eq!(h.restorable(hours(1)), (hours(1), None));
    // The instant of the bad write itself is the state just before it.
    assert_eq!(h.restorable(hours(2)), (hours(2), None));
    assert_eq!(h.at(hours(3)), Some(bad(2, DataLoss::Corruption)));
    // Restored at 5 h to 1 h: clean from then on, and a later point stays clean.
    h.replace(hours(5), None);
    assert_eq!(h.at(hours(6)), None);
    assert_eq!(h.last_bad(hours(6)), Some(hours(2)));
    h.record(bad(8, DataLoss::Deletion));
    assert_eq!(h.deleted(hours(9)), Some(hours(8)));
    assert_eq!(h.restorable(hours(9)), (hours(8), None));
}

#[test]
fn shipped_logs_lag_by_at_most_the_period() {
    let lag = PitrLag::Shipped {
        every: SimDuration::from_mins(5),
        phase: SimDuration::from_secs(30),
    };
    let now = SimTime::at(SimDuration::from_secs(1000));
    let latest = lag.latest(now);
    assert_eq!(latest, SimTime::at(SimDuration::from_secs(930)));
    assert_eq!(
        PitrLag::Behind(SimDuration::from_mins(5))
            .latest(now)
            .as_micros(),
        700_000_000
    );
}
