//! The pending-event queue: a monotone radix heap on time, FIFO among equal times, with lazy cancellation.
//!
//! **Order.** Entries come out by `(time, seq)`, where `seq` is the order of [`EventQueue::push`] calls: equal
//! times come out first-scheduled, first-out.
//!
//! **Why a radix heap.** A simulation never schedules before the instant it last popped, so keys are
//! monotone and a radix heap applies (Ahuja, Mehlhorn, Orlin & Tarjan 1990). Times are read as 8 digits of
//! 8 bits. Bucket `(level, digit)` holds the entries whose time first differs from `last` (the time last
//! popped) in digit `level`, where their digit is `digit`; the `now` bucket holds entries at exactly `last`.
//! Bucket order is time order, so the lowest non-empty bucket holds the minimum. Pushing appends to one
//! `Vec`; popping takes from `now`, or first empties the lowest non-empty bucket into lower levels around its
//! minimum (known without a scan: each bucket keeps its minimum). Appends and linear drains are
//! cache-friendly, and 256-way digits mean an entry is moved about `log256 n` times; this beats
//! `std::collections::BinaryHeap` from 16 pending events up (figures in `docs/architecture.md`).
//!
//! **FIFO proof sketch.** Every bucket is kept in `seq` order: pushes append larger `seq`s, and a bucket is
//! only ever filled by redistribution while it is empty (all buckets below the one being drained are empty),
//! from a drain that walks in order. So `now` is in `seq` order and is consumed from the front.
//!
//! **Cost of each operation** (n pending):
//! - [`push`](EventQueue::push): O(1) amortised (one `Vec` append, a min update, two bit sets);
//! - [`pop_until`](EventQueue::pop_until): O(1) amortised when `now` is non-empty; otherwise one linear pass
//!   over the lowest non-empty bucket (found with two `trailing_zeros`). Each entry moves to a strictly lower
//!   level at each pass, so it is moved at most 8 times over its life, and about `log256 n` times typically;
//! - [`cancel`](EventQueue::cancel): O(log k) for k cancelled-but-pending entries (a `BTreeSet` insert); the
//!   entry is dropped when it would have been popped;
//! - [`len`](EventQueue::len): O(1).
//!
//! A new queue allocates its 2,048 bucket headers and minima (64 KiB) once; after that no operation
//! allocates once the buckets have grown to the run's working size.

use std::collections::{BTreeSet, VecDeque};

/// Identifies a scheduled entry, for [`EventQueue::cancel`]. Keys are never reused within a queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventKey(u64);

/// Bits per radix digit. Measured with the `hold` binary: 8 beat 2, 3, 4, 5 and 6 at every queue size.
const DIGIT_BITS: u32 = 8;
const RADIX: usize = 1 << DIGIT_BITS;
const BUCKETS: usize = 64 / DIGIT_BITS as usize * RADIX;

struct Entry<E> {
    time: u64,
    seq: u64,
    event: E,
}

/// A monotone priority queue of events keyed by `(time, seq)`. See the module docs for the guarantees.
pub struct EventQueue<E> {
    /// Entries at exactly `last`, in `seq` order.
    now: VecDeque<Entry<E>>,
    /// `buckets[level * RADIX + digit]` holds entries whose time first differs from `last` in digit `level`
    /// (digits of `DIGIT_BITS` bits, least significant first), where their digit is `digit`.
    buckets: Box<[Vec<Entry<E>>]>,
    /// `mins[i]` is the earliest time in `buckets[i]` (meaningless when it is empty).
    mins: Box<[u64]>,
    /// Bit `i % 64` of word `i / 64` is set when `buckets[i]` is non-empty.
    occupied: [u64; BUCKETS / 64],
    /// Bit `w` is set when `occupied[w]` is non-zero.
    summary: u64,
    /// The time of the last pop (or of the last redistribution); no entry may be earlier.
    last: u64,
    next_seq: u64,
    /// Pending entries, cancelled ones included.
    stored: usize,
    cancelled: BTreeSet<u64>,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue whose earliest admissible time is 0.
    pub fn new() -> Self {
        EventQueue {
            now: VecDeque::new(),
            // Built on the heap directly: `Box::new([..; BUCKETS])` would build 48 KiB on the stack and
            // copy it, which profiling showed as a third of a short replication's instructions.
            buckets: (0..BUCKETS).map(|_| Vec::new()).collect(),
            mins: vec![u64::MAX; BUCKETS].into_boxed_slice(),
            occupied: [0; BUCKETS / 64],
            summary: 0,
            last: 0,
            next_seq: 0,
            stored: 0,
            cancelled: BTreeSet::new(),
        }
    }

    /// Number of live (not cancelled) pending entries.
    pub fn len(&self) -> usize {
        self.stored - self.cancelled.len()
    }

    /// Whether no live entry is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The earliest time a new entry may have: the time of the last pop.
    pub fn floor(&self) -> u64 {
        self.last
    }

    /// Schedules `event` at `time` and returns its key.
    ///
    /// # Panics
    /// If `time` is before [`floor`](Self::floor): the queue is monotone, and the engine checks this first.
    #[inline]
    pub fn push(&mut self, time: u64, event: E) -> EventKey {
        assert!(
            time >= self.last,
            "event scheduled at {time} before the queue floor {}",
            self.last
        );
        let seq = self.next_seq;
        self.next_seq += 1;
        self.stored += 1;
        self.place(Entry { time, seq, event });
        EventKey(seq)
    }

    /// Marks the entry `key` as cancelled; it will never be popped. Returns `false` when the key was already
    /// cancelled. Cancelling an entry that was already popped is a logic error the queue cannot detect cheaply:
    /// do not do it (the engine's models use generation counters for timers that may have fired).
    pub fn cancel(&mut self, key: EventKey) -> bool {
        key.0 < self.next_seq && self.cancelled.insert(key.0)
    }

    /// Removes and returns the earliest live entry as `(time, key, event)` if its time is at most `limit`.
    /// Leaves the queue untouched (floor included) when the earliest entry is later than `limit`.
    #[inline]
    pub fn pop_until(&mut self, limit: u64) -> Option<(u64, EventKey, E)> {
        loop {
            if self.now.is_empty() {
                if !self.refill(limit) {
                    return None;
                }
            } else if self.last > limit {
                return None;
            }
            let entry = self.now.pop_front()?;
            self.stored -= 1;
            if !self.cancelled.is_empty() && self.cancelled.remove(&entry.seq) {
                continue;
            }
            return Some((entry.time, EventKey(entry.seq), entry.event));
        }
    }

    /// Removes and returns the earliest live entry.
    #[inline]
    pub fn pop(&mut self) -> Option<(u64, EventKey, E)> {
        self.pop_until(u64::MAX)
    }

    #[inline]
    fn place(&mut self, entry: Entry<E>) {
        let diff = entry.time ^ self.last;
        if diff == 0 {
            self.now.push_back(entry);
        } else {
            let level = (63 - diff.leading_zeros()) / DIGIT_BITS;
            let digit = (entry.time >> (level * DIGIT_BITS)) as usize & (RADIX - 1);
            let bucket = level as usize * RADIX + digit;
            let (word, bit) = (bucket / 64, 1u64 << (bucket % 64));
            if self.occupied[word] & bit == 0 || entry.time < self.mins[bucket] {
                self.mins[bucket] = entry.time;
            }
            self.occupied[word] |= bit;
            self.summary |= 1 << word;
            self.buckets[bucket].push(entry);
        }
    }

    /// Empties the lowest non-empty bucket into lower ones around its minimum, if that minimum is at most
    /// `limit`. Returns whether `now` was refilled.
    #[cold]
    fn refill(&mut self, limit: u64) -> bool {
        if self.summary == 0 {
            return false;
        }
        let word = self.summary.trailing_zeros() as usize;
        let bucket = word * 64 + self.occupied[word].trailing_zeros() as usize;
        let min = self.mins[bucket];
        if min > limit {
            return false;
        }
        let mut drained = std::mem::take(&mut self.buckets[bucket]);
        self.occupied[word] &= !(1 << (bucket % 64));
        if self.occupied[word] == 0 {
            self.summary &= !(1 << word);
        }
        self.last = min;
        for entry in drained.drain(..) {
            self.place(entry);
        }
        // Keep the allocation: this bucket will fill again.
        self.buckets[bucket] = drained;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_times_come_out_in_insertion_order() {
        let mut q = EventQueue::new();
        for (i, t) in [5, 3, 5, 3, 5, 0, 64, 5].into_iter().enumerate() {
            q.push(t, i);
        }
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(t, _, i)| (t, i))).collect();
        assert_eq!(
            order,
            [
                (0, 5),
                (3, 1),
                (3, 3),
                (5, 0),
                (5, 2),
                (5, 4),
                (5, 7),
                (64, 6)
            ]
        );
    }

    #[test]
    fn cancelled_entries_never_come_out() {
        let mut q = EventQueue::new();
        let a = q.push(1, 'a');
        q.push(1, 'b');
        assert!(q.cancel(a));
        assert!(!q.cancel(a));
        assert_eq!(q.len(), 1);
        assert_eq!(q.pop().map(|(_, _, e)| e), Some('b'));
        assert!(q.is_empty());
        assert_eq!(q.pop().map(|(_, _, e)| e), None);
    }

    #[test]
    fn pop_until_leaves_later_entries_alone() {
        let mut q = EventQueue::new();
        q.push(100, ());
        assert!(q.pop_until(50).is_none());
        assert_eq!(q.floor(), 0);
        q.push(60, ());
        assert_eq!(q.pop_until(99).map(|(t, _, _)| t), Some(60));
        assert_eq!(q.pop_until(100).map(|(t, _, _)| t), Some(100));
    }
}
