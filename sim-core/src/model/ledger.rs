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
//! **Where the loss lies in time.** Settling also says *which* acknowledgement times were lost: contiguous
//! lost pieces form [`LostStretch`]es (writes the authoritative copy lacks), and each batch of overwrites
//! is a stretch over the time the writers could not see each other's writes. The **data-loss window** is
//! the total length of acknowledgement time, from each stretch's oldest lost write to its end, whose writes
//! are lost — before or after any disaster's onset (see `docs/measurement.md`). The draws this needs come
//! after all the others, so counts do not depend on it.
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

/// A batch of last-writer-wins overwrites: recorded at `at`, `count` writes acknowledged in `[from, at)`.
#[derive(Clone, Debug)]
struct Overwrites {
    at: SimTime,
    count: u64,
    from: SimTime,
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
    /// The name of the copy judged authoritative (the writer at the horizon: `"secondary cluster in
    /// us-west-2"`, `"instance restored to 1d 05:00:00 in us-west-2"`).
    pub authoritative: String,
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
    /// Disaster time minus `oldest_lost`, or zero when nothing was lost before the disaster: the
    /// *pre-onset* RPO against the one disaster given to [`Ledger::settle`].
    pub rpo: SimDuration,
    /// Where the lost writes lie in acknowledgement time, ordered by start (overwrites included).
    pub stretches: Vec<LostStretch>,
    /// The data-loss window: the length of the union of `[oldest, end)` over the stretches.
    pub window: SimDuration,
}

/// How the writes of a [`LostStretch`] were lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LossKind {
    /// The authoritative copy does not hold them (never replicated, destroyed by a corruption, or after
    /// the point a restore went back to).
    Missing,
    /// Overwritten by a concurrent write elsewhere when the writers saw each other again.
    Overwritten,
}

/// A stretch of acknowledgement time in which acknowledged writes were lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostStretch {
    /// How.
    pub kind: LossKind,
    /// Where it starts: the first acknowledgement time the authoritative copy lacks, or (overwrites) when
    /// the writers stopped seeing each other's writes. Attribution to a disaster starts from here.
    pub start: SimTime,
    /// The acknowledgement time of the oldest write lost in it (`start ≤ oldest < end`).
    pub oldest: SimTime,
    /// Where it ends: writes acknowledged from here on are not lost this way.
    pub end: SimTime,
    /// How many writes it lost (at least one).
    pub writes: u64,
}

/// The length of the union of the half-open intervals `spans`.
pub fn union_length(spans: impl IntoIterator<Item = (SimTime, SimTime)>) -> SimDuration {
    let mut spans: Vec<(SimTime, SimTime)> = spans.into_iter().filter(|(a, b)| a < b).collect();
    spans.sort();
    let mut total = SimDuration::ZERO;
    let mut current: Option<(SimTime, SimTime)> = None;
    for (a, b) in spans {
        current = match current {
            Some((s, e)) if a <= e => Some((s, e.max(b))),
            Some((s, e)) => {
                total += e.saturating_since(s);
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    if let Some((s, e)) = current {
        total += e.saturating_since(s);
    }
    total
}

/// The write ledger of one data store. See the module docs.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    accepted: Vec<Acceptance>,
    /// Open acceptance per writer: `(writer, since, rate)`.
    open: Vec<(CopyId, SimTime, f64)>,
    copies: Vec<CopyRecord>,
    /// Writes overwritten by last-writer-wins conflicts.
    overwrites: Vec<Overwrites>,
    /// The earliest acknowledgement time a writer caught up on from another writer since the last
    /// [`Ledger::record_overwrites`]: where the writes that can collide begin.
    catch_up_from: Option<SimTime>,
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

    /// Whether any copy has ever acknowledged writes (a store only read from has nothing to lose).
    pub fn takes_writes(&self) -> bool {
        !self.accepted.is_empty() || !self.open.is_empty()
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
    ///
    /// When `copy` is itself a writer and already held some of `writer`'s writes, this is a catch-up
    /// between writers (global-table replicas back in contact): the ledger notes where the writes it had
    /// missed begin, which is where the writes that can collide begin (see [`Ledger::record_overwrites`]).
    pub fn hold(&mut self, copy: CopyId, writer: CopyId, start: SimTime, end: SimTime) {
        if copy != writer {
            let peer = !self.holdings(copy, copy).is_empty();
            let held = self.holdings(copy, writer);
            if peer && !held.is_empty() {
                let mut missed = IntervalSet::span(start, end);
                for &(s, e) in held.spans() {
                    missed.remove(s, e);
                }
                if let Some(&(first, _)) = missed.spans().first() {
                    self.catch_up_from = Some(self.catch_up_from.map_or(first, |f| f.min(first)));
                }
            }
        }
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

    /// `count` acknowledged writes were silently overwritten at `at` by concurrent writes elsewhere (last
    /// writer wins). They count as lost; settling caps them at the writes that survived otherwise.
    ///
    /// Which writes: those acknowledged while the writers could not see each other, i.e. from the earliest
    /// write a writer just caught up on with [`Ledger::hold`] (call it first) to `at`; settling draws the
    /// oldest of them uniformly over that span. Without a catch-up the span is empty (at `at`).
    pub fn record_overwrites(&mut self, at: SimTime, count: u64) {
        let from = self.catch_up_from.take().map_or(at, |f| f.min(at));
        if count > 0 {
            self.overwrites.push(Overwrites { at, count, from });
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
        // Lost pieces, to be joined into stretches.
        let mut pieces: Vec<Piece> = Vec::new();
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
                } else {
                    let mut oldest = None;
                    if n > 0 {
                        lost += n;
                        let first = first_arrival(start, stop, n, rng);
                        oldest_lost = Some(oldest_lost.map_or(first, |o| o.min(first)));
                        oldest = Some(first);
                    }
                    pieces.push(Piece {
                        start,
                        stop,
                        writes: n,
                        oldest,
                    });
                }
            }
        }
        let mut stretches = missing_stretches(pieces);
        // Overwrites, capped at the writes that survived otherwise; their draws come last so that the
        // counts above do not depend on them.
        let mut left = surviving;
        for o in self.overwrites.iter().filter(|o| o.at < until) {
            let n = o.count.min(left);
            left -= n;
            if n > 0 {
                stretches.push(LostStretch {
                    kind: LossKind::Overwritten,
                    start: o.from,
                    oldest: first_arrival(o.from, o.at, n, rng),
                    end: o.at,
                    writes: n,
                });
            }
        }
        stretches.sort_by_key(|s| (s.start, s.end));
        let overwritten = surviving - left;
        surviving -= overwritten;
        lost += overwritten;
        let acknowledged = surviving + lost;
        debug_assert_eq!(lost + surviving, acknowledged);
        debug_assert_eq!(stretches.iter().map(|s| s.writes).sum::<u64>(), lost);
        let rpo = oldest_lost.map_or(SimDuration::ZERO, |oldest| {
            disaster.saturating_since(oldest)
        });
        let window = union_length(stretches.iter().map(|s| (s.oldest, s.end)));
        Settlement {
            authoritative: self.copy_name(authoritative).to_string(),
            acknowledged,
            surviving,
            lost,
            overwritten,
            oldest_lost,
            rpo,
            stretches,
            window,
        }
    }
}

/// The first of `n ≥ 1` uniform arrivals in `[start, stop)`: `start + len · (1 − U^(1/n))`.
fn first_arrival(start: SimTime, stop: SimTime, n: u64, rng: &mut Stream) -> SimTime {
    let len = stop.saturating_since(start).as_secs_f64();
    let first =
        start + SimDuration::from_secs_f64(len * (1.0 - unit_f64(rng).powf(1.0 / n as f64)));
    first.min(stop)
}

/// A piece of an acceptance segment the authoritative copy does not hold.
#[derive(Clone, Copy)]
struct Piece {
    start: SimTime,
    stop: SimTime,
    writes: u64,
    /// The oldest lost write in it, when it has one.
    oldest: Option<SimTime>,
}

/// Joins lost pieces that touch or overlap into stretches, keeping those that lost at least one write.
fn missing_stretches(mut pieces: Vec<Piece>) -> Vec<LostStretch> {
    pieces.sort_by_key(|p| (p.start, p.stop));
    let mut joined: Vec<Piece> = Vec::new();
    for p in pieces {
        match joined.last_mut() {
            Some(c) if p.start <= c.stop => {
                c.stop = c.stop.max(p.stop);
                c.writes += p.writes;
                c.oldest = match (c.oldest, p.oldest) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            _ => joined.push(p),
        }
    }
    joined
        .into_iter()
        .filter_map(|c| {
            c.oldest.map(|oldest| LostStretch {
                kind: LossKind::Missing,
                start: c.start,
                oldest,
                end: c.stop,
                writes: c.writes,
            })
        })
        .collect()
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
#[path = "ledger_tests.rs"]
mod tests;
