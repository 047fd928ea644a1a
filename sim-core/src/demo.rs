//! A small, complete model that shows the engine at work: the `drsim demo` command and the crate quickstart.
//!
//! A primary database in one Region takes writes (a Poisson stream); each acknowledged write reaches a
//! cross-Region replica after an exponentially distributed lag. The primary's Region fails at a uniformly
//! drawn moment. A health check probing every 30 s declares it dead after 3 failures; an operator is paged,
//! answers after a drawn delay and promotes the replica, which takes a drawn time; writes then resume on the
//! replica. Writes acknowledged but still in flight when the Region failed are lost.
//!
//! RPO and RTO here are *measured* from what happened: RPO from the acknowledgement time of the oldest lost
//! write, RTO from the moment writes succeed again. The parameters are illustrative, not calibrated; the
//! calibrated service models live in their own modules.

use serde::Serialize;

use crate::engine::digest::TraceDigest;
use crate::engine::rng::{RngStreams, Stream, below, unit_f64};
use crate::engine::time::{SimDuration, SimTime};
use crate::engine::{Engine, EngineError, Model, Scheduler, TraceEvent};

/// The things that happen in the demo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoEvent {
    /// A client write arrives.
    Write,
    /// Write number `.0` reaches the replica.
    Replicated(u32),
    /// The primary's Region goes down.
    RegionFails,
    /// The health checker probes the primary.
    HealthCheck,
    /// The operator has promoted the replica.
    Promoted,
}

impl TraceEvent for DemoEvent {
    fn trace_word(&self) -> u64 {
        match *self {
            DemoEvent::Write => 1,
            DemoEvent::Replicated(i) => 2 | u64::from(i) << 8,
            DemoEvent::RegionFails => 3,
            DemoEvent::HealthCheck => 4,
            DemoEvent::Promoted => 5,
        }
    }
}

/// What one demo run measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DemoResult {
    /// The seed the run used.
    pub seed: u64,
    /// When the Region failed.
    pub onset: SimTime,
    /// Writes acknowledged to clients.
    pub acknowledged: u64,
    /// Acknowledged writes that no surviving copy holds.
    pub lost: u64,
    /// Onset minus the acknowledgement time of the oldest lost write (zero when nothing was lost).
    pub rpo: SimDuration,
    /// Onset until writes succeed again; `None` if they did not within the horizon.
    pub rto: Option<SimDuration>,
    /// Events the engine handled.
    pub events: u64,
    /// The run's trace digest.
    pub digest: TraceDigest,
}

const HORIZON: SimDuration = SimDuration::from_hours(2);
const WRITES_PER_S: f64 = 20.0;
const LAG_MEAN_S: f64 = 0.8;
const CHECK_INTERVAL: SimDuration = SimDuration::from_secs(30);
const FAILURE_THRESHOLD: u32 = 3;

struct Demo {
    arrivals: Stream,
    lags: Stream,
    operator: Stream,
    /// Acknowledgement time of every write, by index; `replicated[i]` says whether it reached the replica.
    acked_at: Vec<SimTime>,
    replicated: Vec<bool>,
    primary_up: bool,
    promoted_at: Option<SimTime>,
    onset: SimTime,
    failed_checks: u32,
}

fn exponential(rng: &mut Stream, mean_s: f64) -> SimDuration {
    SimDuration::from_secs_f64(-mean_s * (1.0 - unit_f64(rng)).ln())
}

fn uniform(rng: &mut Stream, low: SimDuration, high: SimDuration) -> SimDuration {
    low + SimDuration::from_micros(below(rng, (high - low).as_micros().max(1)))
}

impl Model for Demo {
    type Event = DemoEvent;

    fn handle(&mut self, event: DemoEvent, s: &mut Scheduler<DemoEvent>) {
        let now = s.now();
        match event {
            DemoEvent::Write => {
                if self.primary_up || self.promoted_at.is_some() {
                    let index = self.acked_at.len() as u32;
                    self.acked_at.push(now);
                    // After promotion the replica is the primary: the write is durable where it lands.
                    self.replicated.push(!self.primary_up);
                    if self.primary_up {
                        s.schedule_in(
                            exponential(&mut self.lags, LAG_MEAN_S),
                            DemoEvent::Replicated(index),
                        );
                    }
                }
                let next = now + exponential(&mut self.arrivals, 1.0 / WRITES_PER_S);
                if next < SimTime::at(HORIZON) {
                    s.schedule_at(next, DemoEvent::Write);
                }
            }
            DemoEvent::Replicated(index) => {
                // A write still in flight when the Region failed never arrives.
                if self.primary_up {
                    self.replicated[index as usize] = true;
                }
            }
            DemoEvent::RegionFails => self.primary_up = false,
            DemoEvent::HealthCheck => {
                if self.primary_up {
                    self.failed_checks = 0;
                } else {
                    self.failed_checks += 1;
                }
                if self.failed_checks == FAILURE_THRESHOLD {
                    let respond = uniform(
                        &mut self.operator,
                        SimDuration::from_mins(5),
                        SimDuration::from_mins(15),
                    );
                    let promote = uniform(
                        &mut self.operator,
                        SimDuration::from_mins(3),
                        SimDuration::from_mins(8),
                    );
                    s.schedule_in(respond + promote, DemoEvent::Promoted);
                } else if self.failed_checks < FAILURE_THRESHOLD {
                    s.schedule_in(CHECK_INTERVAL, DemoEvent::HealthCheck);
                }
            }
            DemoEvent::Promoted => self.promoted_at = Some(now),
        }
    }
}

/// Runs the demo once with `seed` and returns what it measured.
pub fn run_demo(seed: u64) -> Result<DemoResult, EngineError> {
    let streams = RngStreams::new(seed, 0);
    let mut onset_rng = streams.named("region-outage");
    let onset = SimTime::at(uniform(
        &mut onset_rng,
        SimDuration::from_mins(10),
        SimDuration::from_mins(50),
    ));
    let demo = Demo {
        arrivals: streams.named("writes"),
        lags: streams.named("replica-lag"),
        operator: streams.named("operator"),
        acked_at: Vec::new(),
        replicated: Vec::new(),
        primary_up: true,
        promoted_at: None,
        onset,
        failed_checks: 0,
    };
    let mut engine = Engine::new(demo).with_event_limit(10_000_000);
    let s = engine.scheduler();
    s.schedule_at(SimTime::ZERO, DemoEvent::Write);
    s.schedule_at(SimTime::ZERO + CHECK_INTERVAL, DemoEvent::HealthCheck);
    s.schedule_at(onset, DemoEvent::RegionFails);
    let events = engine.run()?;
    let digest = engine.digest();
    let demo = engine.into_model();

    let lost: Vec<SimTime> = demo
        .acked_at
        .iter()
        .zip(&demo.replicated)
        .filter(|(_, r)| !**r)
        .map(|(t, _)| *t)
        .collect();
    let rpo = lost.iter().min().map_or(SimDuration::ZERO, |&oldest| {
        demo.onset.saturating_since(oldest)
    });
    Ok(DemoResult {
        seed,
        onset: demo.onset,
        acknowledged: demo.acked_at.len() as u64,
        lost: lost.len() as u64,
        rpo,
        rto: demo.promoted_at.map(|t| t.saturating_since(demo.onset)),
        events,
        digest,
    })
}
