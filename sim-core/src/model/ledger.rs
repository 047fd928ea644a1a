//! The write ledger of one data store: which acknowledged writes exist in which copy.
//!
//! **Compact by construction.** Writes are a Poisson stream, so the ledger never stores individual writes.
//! It stores *acceptance segments* (writer copy, `[start, end)`, rate in writes/s: the periods in which
//! clients were told OK) and, per copy, the *holdings*: for each writer copy, the set of ack times whose
//! writes the copy holds ([`IntervalSet`]). Replication, snapshots, restores and corruption are operations on
//! holdings. Everything is interval arithmetic whose size follows the run's state changes, not its horizon.
//!
//! **Settling.** At the end of a run, [`Ledger::settle`] splits every acceptance segment at the boundaries of
//! the authoritative copy's holdings and draws the number of writes in each piece (Poisson, independent over
//! disjoint pieces — exactly the law of a Poisson stream). Pieces held are *surviving*, the rest *lost*; the
//! oldest lost write is drawn inside the earliest lost piece. Last-writer-wins overwrites (DynamoDB global
//! tables) move writes from surviving to lost. By construction and by assertion:
//! `lost + surviving == acknowledged`.
//!
//! **Writers.** A copy that acknowledges writes is a writer (a primary; a promoted replica; each Region of a
//! multi-writer global table). Each copy holds its own acknowledged writes from the moment it acknowledges
//! them: the caller records that with [`Ledger::hold`] when a copy starts taking writes.

use rand_distr::{Distribution, Poisson};
use serde::{Deserialize, Serialize};

use crate::engine::rng::{Stream, unit_f64};
use crate::engine::time::{SimDuration, SimTime};
use crate::model::interval::IntervalSet;

/// A copy of the store's data: a primary, a standby, a replica, a snapshot, a backup, a restored instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CopyId(pub u16);

#[derive(Clone, Debug)]
struct Acceptance {
    writer: CopyId,
    start: SimTime,
    end: SimTime,
    rate_per_s: f64,
}

#[derive(Clone, Debug)]
struct CopyRecord {
    name: String,
    /// `(writer, ack times of that writer's writes held here)`, sorted by writer.
    holds: Vec<(CopyId, IntervalSet)>,
}

/// What the ledger says at the end of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settlement {
    /// Writes clients were told succeeded.
    pub acknowledged: u64,
    /// Acknowledged writes the authoritative copy holds.
    pub surviving: u64,
    /// Acknowledged writes it does not hold, last-writer-wins overwrites included.
    pub lost: u64,
    /// Of `lost`, writes silently overwritten by a concurrent write elsewhere (last writer wins).
    pub overwritten: u64,
    /// Acknowledgement time of the oldest write lost from the authoritative copy (overwrites excluded).
    pub oldest_lost: Option<SimTime>,
    /// Disaster time minus `oldest_lost`, or zero when nothing was lost before the disaster.
    pub rpo: SimDuration,
}

/// The write ledger of one data store. See the module docs.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    accepted: Vec<Acceptance>,
    /// Open acceptance per writer: `(writer, since, rate)`.
    open: Vec<(CopyId, SimTime, f64)>,
    copies: Vec<CopyRecord>,
    /// `(time, count)` of writes overwritten by last-writer-wins conflicts.
    overwrites: Vec<(SimTime, u64)>,
}

/// The largest Poisson mean drawn exactly; beyond it (10^15 writes in one piece) the mean is used.
const MAX_POISSON_MEAN: f64 = 1e15;

impl Ledger {
    /// An empty ledger with no copies.
    pub fn new() -> Self {
        Ledger::default()
    }

    /// Adds a copy holding nothing yet.
    pub fn add_copy(&mut self, name: &str) -> CopyId {
        let id = CopyId(self.copies.len() as u16);
        self.copies.push(CopyRecord {
            name: name.to_string(),
            holds: Vec::new(),
        });
        id
    }

    /// The name a copy was added with.
    pub fn copy_name(&self, copy: CopyId) -> &str {
        &self.copies[copy.0 as usize].name
    }

    /// Number of copies.
    pub fn copies(&self) -> usize {
        self.copies.len()
    }

    /// From `now` on, `writer` acknowledges writes at `rate_per_s` (0 to stop). Call it whenever the
    /// writer's success rate changes.
    pub fn set_acceptance(&mut self, writer: CopyId, now: SimTime, rate_per_s: f64) {
        if let Some(i) = self.open.iter().position(|&(w, _, _)| w == writer) {
            let (_, since, rate) = self.open.swap_remove(i);
            if now > since {
                self.accepted.push(Acceptance {
                    writer,
                    start: since,
                    end: now,
                    rate_per_s: rate,
                });
            }
        }
        if rate_per_s > 0.0 && rate_per_s.is_finite() {
            self.open.push((writer, now, rate_per_s));
            self.open.sort_by_key(|&(w, _, _)| w);
        }
    }

    /// The rate at which `writer` currently acknowledges writes.
    pub fn acceptance(&self, writer: CopyId) -> f64 {
        self.open
            .iter()
            .find(|&&(w, _, _)| w == writer)
            .map_or(0.0, |&(_, _, rate)| rate)
    }

    fn holdings_mut(&mut self, copy: CopyId, writer: CopyId) -> &mut IntervalSet {
        let holds = &mut self.copies[copy.0 as usize].holds;
        let at = match holds.binary_search_by_key(&writer, |&(w, _)| w) {
            Ok(at) => at,
            Err(at) => {
                holds.insert(at, (writer, IntervalSet::new()));
                at
            }
        };
        &mut holds[at].1
    }

    /// `copy` holds `writer`'s writes acknowledged in `[start, end)`. Use `end = SimTime::MAX` for "from
    /// `start` on" (a live primary, a synchronous standby, an async replica until it is cut off).
    pub fn hold(&mut self, copy: CopyId, writer: CopyId, start: SimTime, end: SimTime) {
        self.holdings_mut(copy, writer).insert(start, end);
    }

    /// `copy` no longer holds `writer`'s writes acknowledged in `[start, end)`: an async replica cut off
    /// from its primary at `F` with lag `L` releases `[F − L, MAX)`.
    pub fn release(&mut self, copy: CopyId, writer: CopyId, start: SimTime, end: SimTime) {
        self.holdings_mut(copy, writer).remove(start, end);
    }

    /// A corrupting write or a delete acknowledged at `at` has reached `copy`: every write acknowledged
    /// before it, from every writer, is destroyed there. Writes after it (to the emptied or damaged store)
    /// are unaffected.
    pub fn destroy_before(&mut self, copy: CopyId, at: SimTime) {
        for (_, held) in &mut self.copies[copy.0 as usize].holds {
            held.remove(SimTime::ZERO, at);
        }
    }

    /// A new copy holding what `source` holds of writes acknowledged before `up_to`: a snapshot, a
    /// backup, a cross-Region copy of one, the base of a point-in-time restore.
    pub fn derive(&mut self, source: CopyId, name: &str, up_to: SimTime) -> CopyId {
        let holds = self.copies[source.0 as usize]
            .holds
            .iter()
            .map(|(w, held)| (*w, held.before(up_to)))
            .collect();
        let id = CopyId(self.copies.len() as u16);
        self.copies.push(CopyRecord {
            name: name.to_string(),
            holds,
        });
        id
    }

    /// Whether `copy` holds `writer`'s write acknowledged at `t`.
    pub fn holds(&self, copy: CopyId, writer: CopyId, t: SimTime) -> bool {
        self.copies[copy.0 as usize]
            .holds
            .iter()
            .any(|(w, held)| *w == writer && held.contains(t))
    }

    /// The ack times of `writer`'s writes that `copy` holds.
    pub fn holdings(&self, copy: CopyId, writer: CopyId) -> IntervalSet {
        self.copies[copy.0 as usize]
            .holds
            .iter()
            .find(|(w, _)| *w == writer)
            .map_or_else(IntervalSet::new, |(_, held)| held.clone())
    }

    /// `count` acknowledged writes at about `at` were silently overwritten by concurrent writes elsewhere
    /// (last writer wins). They count as lost; settling caps them at the writes that survived otherwise.
    pub fn record_overwrites(&mut self, at: SimTime, count: u64) {
        if count > 0 {
            self.overwrites.push((at, count));
        }
    }

    /// Counts acknowledged, surviving and lost writes as of `until`, judged by what `authoritative` holds;
    /// RPO is measured from `disaster`. Draws from `rng` (the store's ledger stream) in a fixed order.
    pub fn settle(
        &self,
        authoritative: CopyId,
        until: SimTime,
        disaster: SimTime,
        rng: &mut Stream,
    ) -> Settlement {
        let mut segments: Vec<Acceptance> = self.accepted.clone();
        segments.extend(
            self.open
                .iter()
                .filter(|&&(_, since, _)| until > since)
                .map(|&(writer, since, rate)| Acceptance {
                    writer,
                    start: since,
                    end: until,
                    rate_per_s: rate,
                }),
        );
        let (mut surviving, mut lost) = (0u64, 0u64);
        let mut oldest_lost: Option<SimTime> = None;
        for seg in segments.iter().filter(|s| s.start < until) {
            let end = seg.end.min(until);
            let held = self.holdings(authoritative, seg.writer);
            for (start, stop, is_held) in split(seg.start, end, &held) {
                let n = draw_poisson(
                    seg.rate_per_s * stop.saturating_since(start).as_secs_f64(),
                    rng,
                );
                if is_held {
                    surviving += n;
                } else if n > 0 {
                    lost += n;
                    // The first of n uniform arrivals in [start, stop): start + len · (1 − U^(1/n)).
                    let len = stop.saturating_since(start).as_secs_f64();
                    let first = start
                        + SimDuration::from_secs_f64(
                            len * (1.0 - unit_f64(rng).powf(1.0 / n as f64)),
                        );
                    oldest_lost = Some(oldest_lost.map_or(first, |o| o.min(first)));
                }
            }
        }
        let wanted: u64 = self
            .overwrites
            .iter()
            .filter(|&&(t, _)| t < until)
            .map(|&(_, n)| n)
            .sum();
        let overwritten = wanted.min(surviving);
        surviving -= overwritten;
        lost += overwritten;
        let acknowledged = surviving + lost;
        debug_assert_eq!(lost + surviving, acknowledged);
        let rpo = oldest_lost.map_or(SimDuration::ZERO, |oldest| {
            disaster.saturating_since(oldest)
        });
        Settlement {
            acknowledged,
            surviving,
            lost,
            overwritten,
            oldest_lost,
            rpo,
        }
    }
}

/// Splits `[start, end)` into consecutive pieces, each wholly inside or outside `held`.
fn split(start: SimTime, end: SimTime, held: &IntervalSet) -> Vec<(SimTime, SimTime, bool)> {
    let mut pieces = Vec::new();
    let mut cursor = start;
    for &(s, e) in held.spans() {
        if e <= cursor || s >= end {
            continue;
        }
        if s > cursor {
            pieces.push((cursor, s, false));
        }
        let stop = e.min(end);
        pieces.push((s.max(cursor), stop, true));
        cursor = stop;
    }
    if cursor < end {
        pieces.push((cursor, end, false));
    }
    pieces
}

fn draw_poisson(mean: f64, rng: &mut Stream) -> u64 {
    if mean.is_nan() || mean <= 0.0 {
        return 0;
    }
    if mean > MAX_POISSON_MEAN {
        return mean as u64;
    }
    match Poisson::new(mean) {
        Ok(poisson) => {
            let n: f64 = poisson.sample(rng);
            n as u64
        }
        Err(_) => mean.round() as u64,
    }
}

#[cfg(test)]
mod tests {
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
    fn split_covers_the_segment_exactly() {
        let held =
            IntervalSet::span(secs(10), secs(20)).union(&IntervalSet::span(secs(30), secs(40)));
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
}
