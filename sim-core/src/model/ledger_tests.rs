//! Unit tests of `model/ledger.rs`.

use super::*;
use crate::engine::rng::RngStreams;

fn secs(s: u64) -> SimTime {
    SimTime::at(SimDuration::from_secs(s))
}

fn rng() -> Stream {
    RngStreams::new(9, 0).named("ledger")
}

#[test]
fn async_replica_cut_off_loses_the_lag_window() {
    let mut l = Ledger::new();
    let primary = l.add_copy("primary");
    let replica = l.add_copy("replica");
    l.set_acceptance(primary, SimTime::ZERO, 100.0);
    l.hold(primary, primary, SimTime::ZERO, SimTime::MAX);
    l.hold(replica, primary, SimTime::ZERO, SimTime::MAX);
    // Region fails at 1000 s with 2 s of lag: the replica misses [998, 1000).
    let failure = secs(1000);
    l.set_acceptance(primary, failure, 0.0);
    l.release(replica, primary, secs(998), SimTime::MAX);
    // Promoted at 1300 s: the replica takes writes.
    l.set_acceptance(replica, secs(1300), 100.0);
    l.hold(replica, replica, secs(1300), SimTime::MAX);
    let s = l.settle(replica, secs(2000), failure, &mut rng());
    assert_eq!(s.lost + s.surviving, s.acknowledged);
    assert!((150..=250).contains(&s.lost), "{s:?}");
    let rpo = s.rpo.as_secs_f64();
    assert!(rpo <= 2.0 && rpo > 1.9, "{s:?}");
    // ~170,000 writes in 1,700 s at 100/s.
    assert!((165_000..175_000).contains(&s.acknowledged), "{s:?}");
}

#[test]
fn corruption_is_undone_only_by_a_copy_taken_before_it() {
    let mut l = Ledger::new();
    let primary = l.add_copy("primary");
    let standby = l.add_copy("standby");
    l.set_acceptance(primary, SimTime::ZERO, 10.0);
    l.hold(primary, primary, SimTime::ZERO, SimTime::MAX);
    l.hold(standby, primary, SimTime::ZERO, SimTime::MAX);
    let backup = l.derive(primary, "pitr", secs(3000));
    let corruption = secs(3600);
    l.destroy_before(primary, corruption);
    l.destroy_before(standby, corruption);
    // The synchronous standby copied the corruption: judged by it, every write before 3600 s is lost.
    let bad = l.settle(standby, secs(4000), corruption, &mut rng());
    assert!(
        bad.lost > 30_000 && bad.rpo >= SimDuration::from_secs(3590),
        "{bad:?}"
    );
    // Restored from the backup (to 3000 s), back in service at 4000 s: [3000, 4000) is lost.
    let restored = l.derive(backup, "restored", SimTime::MAX);
    l.set_acceptance(primary, secs(4000), 0.0);
    l.set_acceptance(restored, secs(4000), 10.0);
    l.hold(restored, restored, secs(4000), SimTime::MAX);
    let good = l.settle(restored, secs(5000), corruption, &mut rng());
    assert!((9_000..11_000).contains(&good.lost), "{good:?}");
    assert!(
        good.rpo >= SimDuration::from_secs(599) && good.rpo <= SimDuration::from_secs(600),
        "{good:?}"
    );
    assert_eq!(good.lost + good.surviving, good.acknowledged);
}

#[test]
fn nothing_lost_means_zero_rpo_and_overwrites_move_writes_to_lost() {
    let mut l = Ledger::new();
    let a = l.add_copy("us-east-1");
    l.set_acceptance(a, SimTime::ZERO, 5.0);
    l.hold(a, a, SimTime::ZERO, SimTime::MAX);
    l.record_overwrites(secs(10), 7);
    let s = l.settle(a, secs(100), secs(50), &mut rng());
    assert_eq!(
        (s.overwritten, s.lost, s.rpo, s.oldest_lost),
        (7, 7, SimDuration::ZERO, None)
    );
    assert_eq!(s.lost + s.surviving, s.acknowledged);
}

#[test]
fn the_window_counts_writes_lost_after_the_onset_too() {
    // Corruption at 3600 s, restored to 3000 s, the restored copy takes writes from 4000 s: the writes
    // of [3000, 4000) are lost, 600 s of them before the onset and 400 s after.
    let mut l = Ledger::new();
    let primary = l.add_copy("primary");
    l.set_acceptance(primary, SimTime::ZERO, 10.0);
    l.hold(primary, primary, SimTime::ZERO, SimTime::MAX);
    let backup = l.derive(primary, "pitr", secs(3000));
    l.destroy_before(primary, secs(3600));
    let restored = l.derive(backup, "restored", SimTime::MAX);
    l.set_acceptance(primary, secs(4000), 0.0);
    l.set_acceptance(restored, secs(4000), 10.0);
    l.hold(restored, restored, secs(4000), SimTime::MAX);
    let s = l.settle(restored, secs(5000), secs(3600), &mut rng());
    assert!(s.rpo <= SimDuration::from_secs(600), "{s:?}");
    assert_eq!(s.stretches.len(), 1, "{s:?}");
    let stretch = &s.stretches[0];
    assert_eq!(
        (stretch.kind, stretch.start, stretch.end),
        (LossKind::Missing, secs(3000), secs(4000))
    );
    assert_eq!(stretch.writes, s.lost);
    assert!(
        s.window > SimDuration::from_secs(999) && s.window <= SimDuration::from_secs(1000),
        "{s:?}"
    );
}

#[test]
fn overwrites_span_the_time_the_writers_were_apart() {
    let mut l = Ledger::new();
    let (a, b) = (l.add_copy("us-east-1"), l.add_copy("us-west-2"));
    for (c, other) in [(a, b), (b, a)] {
        l.set_acceptance(c, SimTime::ZERO, 20.0);
        l.hold(c, c, SimTime::ZERO, SimTime::MAX);
        l.hold(other, c, SimTime::ZERO, SimTime::MAX);
    }
    // Apart from 1000 s (each misses 1 s of the other's writes) to 2200 s, then caught up.
    l.release(b, a, secs(999), SimTime::MAX);
    l.release(a, b, secs(999), SimTime::MAX);
    l.hold(b, a, SimTime::ZERO, SimTime::MAX);
    l.hold(a, b, SimTime::ZERO, SimTime::MAX);
    l.record_overwrites(secs(2200), 500);
    let s = l.settle(a, secs(3000), secs(2500), &mut rng());
    assert_eq!((s.lost, s.overwritten), (500, 500), "{s:?}");
    assert_eq!(s.stretches.len(), 1, "{s:?}");
    let o = &s.stretches[0];
    assert_eq!(
        (o.kind, o.start, o.end),
        (LossKind::Overwritten, secs(999), secs(2200))
    );
    // The oldest of 500 writes spread over 1,201 s lies within a few seconds of the start.
    assert!(o.oldest < secs(1020), "{o:?}");
    assert!(s.window > SimDuration::from_secs(1180), "{s:?}");
    // Overwrites leave the pre-onset figure alone: nothing is missing from `a`.
    assert_eq!((s.rpo, s.oldest_lost), (SimDuration::ZERO, None));
}

#[test]
fn the_window_is_the_length_of_a_union() {
    let u = |spans: &[(u64, u64)]| union_length(spans.iter().map(|&(a, b)| (secs(a), secs(b))));
    assert_eq!(u(&[]), SimDuration::ZERO);
    assert_eq!(
        u(&[(10, 20), (15, 30), (40, 41), (5, 5)]),
        SimDuration::from_secs(21)
    );
}

#[test]
fn split_covers_the_segment_exactly() {
    let held = IntervalSet::span(secs(10), secs(20)).union(&IntervalSet::span(secs(30), secs(40)));
    let pieces = split(secs(15), secs(35), &held);
    assert_eq!(
        pieces,
        [
            (secs(15), secs(20), true),
            (secs(20), secs(30), false),
            (secs(30), secs(35), true)
        ]
    );
}
