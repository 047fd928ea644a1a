//! Running a replication to its horizon, and what it leaves for measurement.

use crate::engine::digest::TraceDigest;
use crate::engine::rng::RngStreams;
use crate::engine::time::SimTime;
use crate::engine::trace::TracedEvent;
use crate::engine::{Engine, EngineError};
use crate::model::{DataStore, StepLog, Usage};
use crate::runbook::Span;
use crate::spec::Scenario;
use crate::spec::limits::MAX_EVENTS;
use crate::world::handle::{begins, ends};
use crate::world::timeline::FlowTimeline;
use crate::world::{Event, World};

/// What a finished replication leaves for [`crate::measure`]: what happened, not what it means.
pub struct Finished<'s> {
    /// The scenario.
    pub scenario: &'s Scenario,
    /// The horizon.
    pub horizon: SimTime,
    /// Each flow's scenario index and timeline, in scenario order.
    pub flows: Vec<(usize, FlowTimeline)>,
    /// The stores, with their ledgers.
    pub stores: Vec<Box<dyn DataStore>>,
    /// Onsets of the disasters that began within the horizon, `(onset, disaster index)`, sorted.
    pub onsets: Vec<(SimTime, usize)>,
    /// When each injected disaster heals, `(disaster index, when)`, as drawn (past the horizon too): the
    /// recovery cost bills to it.
    pub heals: Vec<(usize, SimTime)>,
    /// The step log.
    pub log: StepLog,
    /// Time each runbook task took, for the breakdown.
    pub spans: Vec<Span>,
    /// Capacity provisioned beyond steady state.
    pub usage: Vec<Usage>,
    /// The replication's streams (settlement draws from `ledger/<store>`).
    pub streams: RngStreams,
    /// Events handled.
    pub events: u64,
    /// The trace digest.
    pub digest: TraceDigest,
    /// Every handled event's `(time, trace word)`, when recorded.
    pub trace: Option<Vec<TracedEvent>>,
    /// `(runbook, state)` of a runbook stopped for taking too many steps, if one was.
    pub runaway: Option<(String, String)>,
    /// Per store that had a copy outside its writer's Region at time zero, `(store index, exposed)`: 1
    /// while its data had no current copy outside the writer's Region, else 0.
    pub exposure: Vec<(usize, crate::world::timeline::Steps)>,
}

impl<'s> World<'s> {
    /// Runs the replication to its horizon (recording its event trace when `record`).
    pub fn run(self, record: bool) -> Result<Finished<'s>, EngineError> {
        let horizon = self.horizon;
        let starts: Vec<(SimTime, Option<SimTime>)> = self
            .faults
            .drawn
            .iter()
            .map(|(d, _)| (d.onset, d.end))
            .collect();
        let mut engine = Engine::new(self).with_event_limit(MAX_EVENTS);
        engine.record_trace(record);
        let s = engine.scheduler();
        s.schedule_at(SimTime::ZERO, Event::Start);
        for (i, (onset, end)) in starts.into_iter().enumerate() {
            if onset <= horizon {
                s.schedule_at(onset, begins(i));
            }
            if let Some(end) = end.filter(|&e| e <= horizon) {
                s.schedule_at(end, ends(i));
            }
        }
        let events = engine.step_until(horizon)?;
        let digest = engine.digest();
        let trace = engine.take_trace();
        Ok(engine.into_model().finish(events, digest, trace))
    }

    fn finish(
        self,
        events: u64,
        digest: TraceDigest,
        trace: Option<Vec<TracedEvent>>,
    ) -> Finished<'s> {
        let mut onsets: Vec<(SimTime, usize)> = self
            .faults
            .drawn
            .iter()
            .map(|(d, _)| (d.onset, d.index))
            .filter(|&(onset, _)| onset <= self.horizon)
            .collect();
        onsets.sort();
        let heals = self
            .faults
            .drawn
            .iter()
            .filter_map(|(d, _)| d.end.map(|end| (d.index, end)))
            .collect();
        let runaway = self
            .books
            .execs
            .iter()
            .zip(self.books.books.iter())
            .find_map(|(e, b)| e.runaway.clone().map(|state| (b.name.clone(), state)));
        Finished {
            runaway,
            exposure: self.exposure,
            scenario: self.sc,
            horizon: self.horizon,
            flows: self
                .flows
                .list
                .into_iter()
                .map(|f| (f.index, f.timeline))
                .collect(),
            stores: self.nodes.stores,
            onsets,
            heals,
            log: self.log,
            spans: self.books.execs.into_iter().flat_map(|e| e.spans).collect(),
            usage: self.usage,
            streams: self.streams,
            events,
            digest,
            trace,
        }
    }
}
