//! Everything that can happen in a world, as one closed enum with typed indices.

use crate::engine::TraceEvent;

/// A data store, by index among the world's stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoreIx(pub u16);

/// A component, by index among the world's components.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CompIx(pub u16);

/// A runbook, by its position in the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BookIx(pub u16);

/// An injected disaster, by its position among this replication's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FaultIx(pub u16);

/// Everything that can happen in a world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Time zero: stores and components start.
    Start,
    /// A disaster begins.
    DisasterBegins(FaultIx),
    /// A disaster heals.
    DisasterEnds(FaultIx),
    /// A data store's wake-up, with its token.
    Store(StoreIx, u32),
    /// A component's wake-up (verdict timers, instance launches), with its token.
    Component(CompIx, u32),
    /// A runbook's wake-up (human steps, waits, retries), with the execution's sequence number.
    Runbook(BookIx, u32),
    /// A runbook is triggered (a human noticed, or the onset itself).
    Trigger(BookIx),
    /// A timed action (stack, DNS edit, CDN deploy, generic step) finishes.
    Finish(u32),
    /// Re-evaluate (the end of a DNS cache ramp).
    Refresh,
}

impl TraceEvent for Event {
    /// `kind | a << 8 | b << 24`. A runbook wake-up's `b` packs the runbook and its sequence number as
    /// `book << 20 | seq`: the encoding every golden digest was recorded with.
    fn trace_word(&self) -> u64 {
        let (kind, a, b): (u64, u64, u64) = match *self {
            Event::Start => (1, 0, 0),
            Event::DisasterBegins(i) => (2, i.0.into(), 0),
            Event::DisasterEnds(i) => (3, i.0.into(), 0),
            Event::Store(i, t) => (4, i.0.into(), t.into()),
            Event::Component(i, t) => (5, i.0.into(), t.into()),
            Event::Runbook(b, seq) => (6, b.0.into(), u64::from(b.0) << 20 | u64::from(seq)),
            Event::Trigger(b) => (7, b.0.into(), 0),
            Event::Finish(t) => (8, 0, t.into()),
            Event::Refresh => (9, 0, 0),
        };
        kind | a << 8 | b << 24
    }
}
