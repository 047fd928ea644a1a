//! The hold model, on the drsim engine and on a bare `BinaryHeap`, shared by the `hold` binary and the
//! criterion benches.
//!
//! The classic hold model (Vaucher & Duval 1975; Jones 1986) keeps `pending` events in the queue: each step
//! pops the earliest and schedules one new event at `now + increment`, so the queue size stays constant. The
//! increment is uniform in `[0, 2 × MEAN_INCREMENT_US)`, drawn from the same `rand_chacha` stream in both
//! implementations, so the two differ only in their queue and loop.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::Instant;

use sim_core::engine::rng::below;
use sim_core::{Engine, Model, RngStreams, Scheduler, SimDuration, SimTime, Stream, TraceEvent};

/// Mean time between an event and the one it schedules: one simulated second.
pub const MEAN_INCREMENT_US: u64 = 1_000_000;

/// A hold-model event: the id of the "process" that holds.
#[derive(Clone, Copy, Debug)]
pub struct Hold(pub u32);

impl TraceEvent for Hold {
    #[inline]
    fn trace_word(&self) -> u64 {
        u64::from(self.0)
    }
}

/// The hold model as a drsim [`Model`].
pub struct HoldModel {
    rng: Stream,
}

#[inline]
fn increment(rng: &mut Stream) -> u64 {
    below(rng, 2 * MEAN_INCREMENT_US)
}

impl Model for HoldModel {
    type Event = Hold;
    #[inline]
    fn handle(&mut self, event: Hold, s: &mut Scheduler<Hold>) {
        let delay = SimDuration::from_micros(increment(&mut self.rng));
        s.schedule_in(delay, event);
    }
}

fn stream(seed: u64) -> Stream {
    RngStreams::new(seed, 0).named("hold")
}

/// A drsim engine holding `pending` events, ready to step.
pub fn engine_with(pending: usize, seed: u64) -> Engine<HoldModel> {
    let mut rng = stream(seed);
    let initial: Vec<u64> = (0..pending).map(|_| increment(&mut rng)).collect();
    let mut engine = Engine::new(HoldModel { rng }).with_event_limit(u64::MAX);
    for (id, t) in initial.into_iter().enumerate() {
        engine
            .scheduler()
            .schedule_at(SimTime::from_micros(t), Hold(id as u32));
    }
    engine
}

/// The baseline: a bare binary heap of `(time, seq, id)` and the same increments.
pub struct Baseline {
    heap: BinaryHeap<Reverse<(u64, u64, u32)>>,
    rng: Stream,
    seq: u64,
}

impl Baseline {
    /// A heap holding `pending` events, ready to step.
    pub fn with(pending: usize, seed: u64) -> Self {
        let mut rng = stream(seed);
        let mut heap = BinaryHeap::with_capacity(pending + 1);
        for id in 0..pending {
            heap.push(Reverse((increment(&mut rng), id as u64, id as u32)));
        }
        Baseline {
            heap,
            rng,
            seq: pending as u64,
        }
    }

    /// One hold step: pop the earliest, schedule one new event. Returns the popped time.
    #[inline]
    pub fn step(&mut self) -> Option<u64> {
        let Reverse((now, _seq, id)) = self.heap.pop()?;
        let at = now + increment(&mut self.rng);
        self.heap.push(Reverse((at, self.seq, id)));
        self.seq += 1;
        Some(now)
    }
}

/// `steps` hold steps on the engine. The `hold` binary and the criterion benches both time this function,
/// so they measure the same machine code.
#[inline(never)]
pub fn run_engine(engine: &mut Engine<HoldModel>, steps: u64) {
    for _ in 0..steps {
        black_box(engine.step());
    }
}

/// `steps` hold steps on the baseline heap (see [`run_engine`]).
#[inline(never)]
pub fn run_baseline(baseline: &mut Baseline, steps: u64) {
    for _ in 0..steps {
        black_box(baseline.step());
    }
}

/// Runs `events` hold steps on the drsim engine and returns nanoseconds per event.
pub fn time_engine(pending: usize, events: u64, seed: u64) -> f64 {
    let mut engine = engine_with(pending, seed);
    let start = Instant::now();
    run_engine(&mut engine, events);
    let elapsed = start.elapsed();
    black_box(engine.digest());
    elapsed.as_nanos() as f64 / events as f64
}

/// Runs `events` hold steps on the baseline heap and returns nanoseconds per event.
pub fn time_baseline(pending: usize, events: u64, seed: u64) -> f64 {
    let mut baseline = Baseline::with(pending, seed);
    let start = Instant::now();
    run_baseline(&mut baseline, events);
    start.elapsed().as_nanos() as f64 / events as f64
}
