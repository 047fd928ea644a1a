//! # sim-core: drsim's deterministic discrete-event engine
//!
//! drsim simulates disaster-recovery strategies and *measures* the RPO and RTO they achieve. This crate is its
//! core: integer simulated time, the event queue, the run loop, seeded random streams and the trace digest;
//! the world models (topology, services, disasters, runbooks, measurement) build on it.
//!
//! ## The model of computation
//! A [`Model`] owns the world's state and a closed `enum` of events. The [`Engine`] pops the earliest pending
//! event, advances the clock to it, folds it into the run's [`TraceDigest`], and hands it to
//! [`Model::handle`], which changes state and schedules follow-ups through the [`Scheduler`].
//!
//! ## Guarantees
//! - **Integer time.** [`SimTime`] and [`SimDuration`] are microseconds in a `u64`; no float touches the clock.
//! - **Ordering.** Events are handled in `(time, sequence)` order, where the sequence is the order in which
//!   they were scheduled: *events at equal times are handled first-scheduled, first-handled (FIFO)*. Time
//!   never goes backwards; scheduling before `now` is a bug and panics.
//! - **Determinism.** All randomness comes from [`RngStreams`]: one `rand_chacha` stream per
//!   (seed, replication, component name). Same model + same seed ⇒ same events in the same order ⇒ same
//!   digest, on any machine and with any thread count.
//! - **No hidden allocation.** Events are stored by value; handling one allocates nothing in the engine.
//!
//! ## Quickstart
//! ```
//! use sim_core::{Engine, Model, Scheduler, SimDuration, SimTime, TraceEvent};
//!
//! /// A ping that reschedules itself every 90 s until it has run five times.
//! #[derive(Clone, Copy)]
//! enum Event { Ping }
//!
//! impl TraceEvent for Event {
//!     fn trace_word(&self) -> u64 { 1 }
//! }
//!
//! struct Pinger { pings: u32 }
//!
//! impl Model for Pinger {
//!     type Event = Event;
//!     fn handle(&mut self, event: Event, s: &mut Scheduler<Event>) {
//!         match event {
//!             Event::Ping => {
//!                 self.pings += 1;
//!                 if self.pings < 5 {
//!                     s.schedule_in("90s".parse::<SimDuration>().unwrap(), Event::Ping);
//!                 }
//!             }
//!         }
//!     }
//! }
//!
//! let mut engine = Engine::new(Pinger { pings: 0 });
//! engine.scheduler().schedule_at(SimTime::ZERO, Event::Ping);
//! assert_eq!(engine.run().unwrap(), 5);
//! assert_eq!(engine.now().to_string(), "00:06:00");
//! assert_eq!(engine.model().pings, 5);
//! ```
//!
//! The [`demo`] module is a complete small model (a replicated database losing its Region) that measures RPO
//! and RTO from what happened in the run.

pub mod advise;
pub mod budget;
pub mod cost;
pub mod demo;
pub mod engine;
pub mod measure;
pub mod model;
pub mod runbook;
pub mod services;
pub mod spec;
pub mod sweep;
pub mod validate;
pub mod world;

pub use engine::digest::TraceDigest;
pub use engine::dist::{Dist, DistError};
pub use engine::queue::{EventKey, EventQueue};
pub use engine::rng::{RngStreams, Stream, StreamId};
pub use engine::time::{DurationParseError, SimDuration, SimTime};
pub use engine::{Engine, EngineError, Model, Scheduler, TraceEvent};
pub use model::interval::IntervalSet;
pub use model::ledger::{CopyId, Ledger, Settlement};
