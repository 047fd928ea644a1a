//! Bounded work and the trace recorder: a model that schedules without end stops at the event limit with
//! an error (never a hang), and the recorded trace is exactly what the digest folded.

use sim_core::{
    Engine, EngineError, Model, Scheduler, SimDuration, SimTime, TraceDigest, TraceEvent,
};

#[derive(Clone, Copy)]
struct Tick(u64);

impl TraceEvent for Tick {
    fn trace_word(&self) -> u64 {
        self.0
    }
}

/// An event-runaway model: every event schedules another `delay_us` later, forever.
struct Runaway {
    delay_us: u64,
}

impl Model for Runaway {
    type Event = Tick;
    fn handle(&mut self, event: Tick, s: &mut Scheduler<Tick>) {
        s.schedule_in(SimDuration::from_micros(self.delay_us), Tick(event.0 + 1));
    }
}

fn runaway(delay_us: u64, limit: u64) -> Engine<Runaway> {
    let mut engine = Engine::new(Runaway { delay_us }).with_event_limit(limit);
    engine.scheduler().schedule_at(SimTime::ZERO, Tick(0));
    engine
}

#[test]
fn a_runaway_model_stops_at_the_event_limit_in_run() {
    let mut engine = runaway(1, 10_000);
    let err = engine.run().unwrap_err();
    assert_eq!(
        err,
        EngineError::EventLimit {
            limit: 10_000,
            at: SimTime::from_micros(9_999)
        }
    );
    assert_eq!(engine.events_handled(), 10_000);
    assert!(
        err.to_string().contains("stopped after 10000 events"),
        "{err}"
    );
}

#[test]
fn a_zero_delay_storm_stops_at_the_event_limit_in_step_until() {
    // Time never advances: without the limit, step_until would never reach its horizon.
    let mut engine = runaway(0, 5_000);
    let horizon = SimTime::at(SimDuration::from_hours(1));
    let err = engine.step_until(horizon).unwrap_err();
    assert!(matches!(err, EngineError::EventLimit { limit: 5_000, at } if at == SimTime::ZERO));
    assert_eq!(engine.events_handled(), 5_000);
}

#[test]
fn a_finite_model_exactly_at_the_limit_is_not_an_error() {
    struct Five(u64);
    impl Model for Five {
        type Event = Tick;
        fn handle(&mut self, _: Tick, s: &mut Scheduler<Tick>) {
            self.0 += 1;
            if self.0 < 5 {
                s.schedule_in(SimDuration::from_secs(1), Tick(self.0));
            }
        }
    }
    let mut engine = Engine::new(Five(0)).with_event_limit(5);
    engine.scheduler().schedule_at(SimTime::ZERO, Tick(0));
    assert_eq!(engine.run(), Ok(5));
}

#[test]
fn the_recorded_trace_is_what_the_digest_folded() {
    let mut engine = runaway(3, 100);
    assert_eq!(engine.trace(), None, "recording is off by default");
    engine.record_trace(true);
    let _ = engine.run();
    let trace = engine.take_trace().unwrap();
    assert_eq!(trace.len(), 100);
    let mut digest = TraceDigest::new();
    for (i, &(t, word)) in trace.iter().enumerate() {
        assert_eq!((t, word), (SimTime::from_micros(3 * i as u64), i as u64));
        digest.record(t.as_micros(), word);
    }
    assert_eq!(digest, engine.digest());
    engine.record_trace(false);
    assert_eq!(engine.trace(), None);
}

#[test]
fn recording_does_not_change_the_digest() {
    let mut plain = runaway(7, 1_000);
    let mut recorded = runaway(7, 1_000);
    recorded.record_trace(true);
    let _ = (plain.run(), recorded.run());
    assert_eq!(plain.digest(), recorded.digest());
}
