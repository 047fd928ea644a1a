//! The run loop: a [`Model`] handles one event at a time, scheduling follow-ups through a [`Scheduler`].
//!
//! The model's event type is a closed `enum` (usually `Copy`) matched in one place, [`Model::handle`]; the
//! engine stores events by value in the queue, so handling an event allocates nothing. The public verbs are
//! [`Engine::step`], [`Engine::step_until`] and [`Engine::run`].
//!
//! For finding *where* two runs diverge, [`Engine::record_trace`] keeps every handled event's
//! `(time, trace word)`; off by default, it costs one well-predicted branch per event when off.

pub mod digest;
pub mod dist;
pub mod queue;
pub mod rng;
pub mod time;
pub mod trace;

use std::fmt;

use crate::engine::digest::TraceDigest;
use crate::engine::queue::{EventKey, EventQueue};
use crate::engine::time::{SimDuration, SimTime};

/// An event type the engine can fold into its [`TraceDigest`].
pub trait TraceEvent {
    /// A stable 64-bit word identifying this event: its variant and payload, never an address or a
    /// value that depends on hash or iteration order. Two runs that handle the same events in the same order must see the same
    /// words.
    fn trace_word(&self) -> u64;
}

/// A simulation model: the world whose state the events change.
pub trait Model {
    /// The closed set of things that can happen.
    type Event: TraceEvent;

    /// Handles one event at `scheduler.now()`, scheduling follow-ups. This is the one place events are
    /// dispatched.
    fn handle(&mut self, event: Self::Event, scheduler: &mut Scheduler<Self::Event>);
}

/// The clock and the pending events, as a model sees them while handling an event.
pub struct Scheduler<E> {
    now: SimTime,
    queue: EventQueue<E>,
}

impl<E> Scheduler<E> {
    fn new() -> Self {
        Scheduler {
            now: SimTime::ZERO,
            queue: EventQueue::new(),
        }
    }

    /// The current simulated time.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at `at`. Events at equal times are handled in the order they were scheduled.
    ///
    /// # Panics
    /// If `at` is before [`now`](Self::now): a model that schedules into the past has a bug, and letting it
    /// through would break the time-order guarantee.
    #[inline]
    pub fn schedule_at(&mut self, at: SimTime, event: E) -> EventKey {
        assert!(
            at >= self.now,
            "event scheduled at {at} before now ({})",
            self.now
        );
        self.queue.push(at.as_micros(), event)
    }

    /// Schedules `event` after `delay` (saturating at the end of time).
    #[inline]
    pub fn schedule_in(&mut self, delay: SimDuration, event: E) -> EventKey {
        self.queue.push((self.now + delay).as_micros(), event)
    }

    /// Cancels a pending event; it will not be handled. Returns `false` if it was already cancelled.
    pub fn cancel(&mut self, key: EventKey) -> bool {
        self.queue.cancel(key)
    }

    /// Number of pending (not cancelled) events.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }
}

/// Why a run stopped early. The model's state is left as it was at the stop, so it can be inspected.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EngineError {
    /// The run handled its limit of events: the model probably schedules without end. Raise the limit with
    /// [`Engine::with_event_limit`] if the model really needs more.
    EventLimit {
        /// The limit that was reached.
        limit: u64,
        /// The simulated time when it was reached.
        at: SimTime,
    },
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::EventLimit { limit, at } => {
                write!(
                    f,
                    "stopped after {limit} events at {at}: the model schedules without end, or needs a higher event limit"
                )
            }
        }
    }
}

impl std::error::Error for EngineError {}

/// The discrete-event engine: a model, its clock and pending events, and the trace digest of what happened.
pub struct Engine<M: Model> {
    scheduler: Scheduler<M::Event>,
    model: M,
    digest: TraceDigest,
    handled: u64,
    event_limit: u64,
    /// Every handled event's `(time, trace word)`, when recording (see [`Engine::record_trace`]).
    trace: Option<Vec<(SimTime, u64)>>,
}

/// Default bound on the events one run may handle (see [`Engine::with_event_limit`]).
pub const DEFAULT_EVENT_LIMIT: u64 = 1 << 32;

impl<M: Model> Engine<M> {
    /// An engine at time zero with no pending events.
    pub fn new(model: M) -> Self {
        Engine {
            scheduler: Scheduler::new(),
            model,
            digest: TraceDigest::new(),
            handled: 0,
            event_limit: DEFAULT_EVENT_LIMIT,
            trace: None,
        }
    }

    /// Bounds the number of events [`run`](Self::run) and [`step_until`](Self::step_until) may handle in total.
    pub fn with_event_limit(mut self, limit: u64) -> Self {
        self.event_limit = limit;
        self
    }

    /// Starts (`true`) or stops (`false`) recording the trace: each handled event's time and
    /// [`TraceEvent::trace_word`], in order, the pairs the [`TraceDigest`] folds. Stopping discards what was
    /// recorded. Memory grows by 16 bytes per event, bounded by the event limit; for debugging divergences
    /// (see [`crate::engine::trace`]), not for sweeps.
    pub fn record_trace(&mut self, on: bool) {
        self.trace = on.then(|| self.trace.take().unwrap_or_default());
    }

    /// The recorded trace so far (`None` when not recording).
    pub fn trace(&self) -> Option<&[(SimTime, u64)]> {
        self.trace.as_deref()
    }

    /// Takes the recorded trace, leaving recording on with an empty trace (`None` when not recording).
    pub fn take_trace(&mut self) -> Option<Vec<(SimTime, u64)>> {
        self.trace.as_mut().map(std::mem::take)
    }

    /// The scheduler, to seed the initial events or inject events between steps.
    pub fn scheduler(&mut self) -> &mut Scheduler<M::Event> {
        &mut self.scheduler
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.scheduler.now
    }

    /// The model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The model, mutably (e.g. to inject a state change between steps).
    pub fn model_mut(&mut self) -> &mut M {
        &mut self.model
    }

    /// Ends the run and returns the model.
    pub fn into_model(self) -> M {
        self.model
    }

    /// The digest of every event handled so far, in order.
    pub fn digest(&self) -> TraceDigest {
        self.digest
    }

    /// How many events have been handled.
    pub fn events_handled(&self) -> u64 {
        self.handled
    }

    /// Handles the earliest pending event, if any, and returns its time.
    #[inline]
    pub fn step(&mut self) -> Option<SimTime> {
        self.step_at_most(u64::MAX)
    }

    /// Handles every event at or before `limit`, then sets the clock to `limit` (if it is later than now).
    /// Returns the number of events handled.
    pub fn step_until(&mut self, limit: SimTime) -> Result<u64, EngineError> {
        let before = self.handled;
        while self
            .step_at_most(self.budget_limit(limit.as_micros())?)
            .is_some()
        {}
        if limit > self.scheduler.now {
            self.scheduler.now = limit;
        }
        Ok(self.handled - before)
    }

    /// Handles events until none are pending. Returns the number of events handled.
    pub fn run(&mut self) -> Result<u64, EngineError> {
        let before = self.handled;
        while self.step_at_most(self.budget_limit(u64::MAX)?).is_some() {}
        Ok(self.handled - before)
    }

    /// `limit` if the event budget allows one more event, else the error.
    #[inline]
    fn budget_limit(&self, limit: u64) -> Result<u64, EngineError> {
        if self.handled < self.event_limit || self.scheduler.queue.is_empty() {
            Ok(limit)
        } else {
            Err(EngineError::EventLimit {
                limit: self.event_limit,
                at: self.scheduler.now,
            })
        }
    }

    /// The one step: pop, advance the clock, record, dispatch.
    #[inline]
    fn step_at_most(&mut self, limit: u64) -> Option<SimTime> {
        // 1. Take the earliest live event, if it is due.
        let (time, _key, event) = self.scheduler.queue.pop_until(limit)?;
        // 2. Advance the clock; the queue guarantees time never goes backwards.
        let now = SimTime::from_micros(time);
        debug_assert!(now >= self.scheduler.now);
        self.scheduler.now = now;
        // 3. Record it in the trace digest (and the trace, when recording) before the model can react.
        let word = event.trace_word();
        self.digest.record(time, word);
        if let Some(trace) = &mut self.trace {
            trace.push((now, word));
        }
        self.handled += 1;
        // 4. Dispatch to the model, which schedules follow-ups.
        self.model.handle(event, &mut self.scheduler);
        Some(now)
    }
}
