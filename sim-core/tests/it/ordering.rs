//! The engine handles events in `(time, sequence)` order, FIFO on ties, and honours cancellation.

use proptest::prelude::*;
use sim_core::{Engine, Model, Scheduler, SimDuration, SimTime, TraceEvent};

/// An event that may schedule follow-ups (by index into the model's plans), so ordering is also checked for
/// events added mid-run, including at the current instant.
#[derive(Clone, Copy, Debug)]
struct Tagged {
    id: u32,
    plan: Option<usize>,
}

impl TraceEvent for Tagged {
    fn trace_word(&self) -> u64 {
        u64::from(self.id)
    }
}

/// Records `(time, scheduling sequence, id)` of every handled event.
#[derive(Default)]
struct Recorder {
    /// The scheduling sequence number of each id.
    seq_of: Vec<u64>,
    handled: Vec<(SimTime, u64, u32)>,
    /// Follow-up delays (µs) per plan.
    plans: Vec<Vec<u64>>,
}

impl Recorder {
    fn next_id(&mut self) -> u32 {
        let id = self.seq_of.len() as u32;
        self.seq_of.push(u64::from(id));
        id
    }
}

impl Model for Recorder {
    type Event = Tagged;
    fn handle(&mut self, event: Tagged, s: &mut Scheduler<Tagged>) {
        self.handled
            .push((s.now(), self.seq_of[event.id as usize], event.id));
        if let Some(plan) = event.plan {
            for delay in self.plans[plan].clone() {
                let id = self.next_id();
                s.schedule_in(SimDuration::from_micros(delay), Tagged { id, plan: None });
            }
        }
    }
}

/// Schedules `(time, cancel?)` events (each running plan `i % plans.len()` when handled), runs, and returns
/// the handled log and the ids cancelled.
fn run(initial: &[(u64, bool)], plans: Vec<Vec<u64>>) -> (Recorder, Vec<u32>) {
    let n_plans = plans.len();
    let mut engine = Engine::new(Recorder {
        plans,
        ..Recorder::default()
    });
    let mut keys = Vec::new();
    for (i, &(t, cancel)) in initial.iter().enumerate() {
        let id = engine.model_mut().next_id();
        let plan = (n_plans > 0).then(|| i % n_plans);
        let key = engine
            .scheduler()
            .schedule_at(SimTime::from_micros(t), Tagged { id, plan });
        if cancel {
            keys.push((id, key));
        }
    }
    let mut cancelled = Vec::new();
    for (id, key) in keys {
        assert!(engine.scheduler().cancel(key));
        cancelled.push(id);
    }
    engine.run().unwrap();
    assert_eq!(engine.scheduler().pending(), 0);
    (engine.into_model(), cancelled)
}

#[test]
fn equal_times_are_fifo_including_events_scheduled_at_now() {
    // Three events at t=5, the first of which schedules two more at t=5 (delay 0) and one at t=6.
    let (log, _) = run(
        &[(5, false), (5, false), (5, false)],
        vec![vec![0, 1, 0], vec![], vec![]],
    );
    let ids: Vec<u32> = log.handled.iter().map(|&(_, _, id)| id).collect();
    assert_eq!(ids, [0, 1, 2, 3, 5, 4]);
}

#[test]
fn cancelled_events_are_not_handled() {
    let (log, cancelled) = run(&[(1, false), (2, true), (2, false)], vec![]);
    assert_eq!(cancelled, [1]);
    let ids: Vec<u32> = log.handled.iter().map(|&(_, _, id)| id).collect();
    assert_eq!(ids, [0, 2]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("DRSIM_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
    ))]

    /// Any schedule comes out in (time, seq) order, time never goes backwards, every live event is handled
    /// exactly once and no cancelled one is.
    #[test]
    fn any_schedule_comes_out_in_time_seq_order(
        // Small time ranges force many ties; occasional large times exercise high radix buckets.
        initial in prop::collection::vec((prop_oneof![0u64..20, 0u64..1_000_000, any::<u32>().prop_map(u64::from), any::<u64>()], any::<bool>()), 0..200),
        plans in prop::collection::vec(prop::collection::vec(prop_oneof![Just(0u64), 0u64..50, 0u64..10_000_000], 0..4), 0..5),
    ) {
        let (log, cancelled) = run(&initial, plans);
        for pair in log.handled.windows(2) {
            let (a, b) = ((pair[0].0, pair[0].1), (pair[1].0, pair[1].1));
            prop_assert!(a < b, "out of order: {:?} then {:?}", pair[0], pair[1]);
        }
        let mut handled: Vec<u32> = log.handled.iter().map(|&(_, _, id)| id).collect();
        handled.sort_unstable();
        let expected: Vec<u32> = (0..log.seq_of.len() as u32).filter(|id| !cancelled.contains(id)).collect();
        prop_assert_eq!(handled, expected);
    }
}
