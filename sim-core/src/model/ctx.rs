//! What a model sees while the world calls it: the clock, health and names ([`Ctx`]), and the step log it
//! writes to, each entry tagged with the recovery [`Phase`] it belongs to (the RTO breakdown sums them).
//!
//! **How a model runs.** Models are plain state machines. They never touch the engine: when they need time
//! to pass they ask the world for a wake-up ([`Ctx::wake_at`]) with a `u32` token of their choosing, and the
//! world calls them back with it. They draw durations from random streams they own (created from their
//! *name*, so common random numbers hold).

use serde::{Deserialize, Serialize};

use crate::engine::time::{SimDuration, SimTime};
use crate::model::action::{ActionError, Ticket};
use crate::model::place::{Catalog, Health};

/// Which part of a recovery a logged step belongs to: the RTO breakdown sums these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// A disaster begins or heals.
    Disaster,
    /// Something notices: a health check verdict, an alarm, a human noticing.
    Detection,
    /// A human acknowledges a page or decides.
    Decision,
    /// A recovery action runs or completes (automatic failover included).
    Recovery,
    /// Clients shift: DNS caches expire, CDN config deploys.
    Propagation,
    /// Anything else worth narrating (backups taken, copies made).
    Info,
}

/// One line of a run's step log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// When it happened.
    pub at: SimTime,
    /// Who did it: a component, store, runbook or disaster name.
    pub actor: String,
    /// The recovery phase.
    pub phase: Phase,
    /// What happened, in words a student reads (`"failover record switches to us-west-2"`).
    pub text: String,
}

/// The run's step log, in time order.
///
/// Entries (time, actor, phase) are always kept: the RTO breakdown is computed from them. Their text is
/// only formatted when the log *narrates* (replays, single runs); sweeps run quiet, since formatting was a
/// sixth of a short replication's cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepLog {
    entries: Vec<LogEntry>,
    narrate: bool,
    /// For a quiet log: the actors whose recovery steps are kept (the stores); `None` keeps everything.
    keep: Option<Vec<String>>,
}

impl Default for StepLog {
    fn default() -> Self {
        StepLog::new()
    }
}

impl StepLog {
    /// An empty log that narrates (formats each entry's text).
    pub fn new() -> Self {
        StepLog {
            entries: Vec::new(),
            narrate: true,
            keep: None,
        }
    }

    /// An empty log that keeps entries but not their text.
    pub fn quiet() -> Self {
        StepLog {
            entries: Vec::new(),
            narrate: false,
            keep: None,
        }
    }

    /// A quiet log that keeps only what the RTO breakdown reads: detections, and the recovery steps of
    /// the actors `stores`. A sweep's replications keep no per-step log beyond that, so a runbook that
    /// loops costs no memory per step.
    pub fn for_breakdown(stores: Vec<String>) -> Self {
        StepLog {
            entries: Vec::new(),
            narrate: false,
            keep: Some(stores),
        }
    }

    /// Appends an entry; `text` is only called when the log narrates.
    pub fn push(&mut self, at: SimTime, actor: &str, phase: Phase, text: impl FnOnce() -> String) {
        if let Some(keep) = &self.keep {
            let wanted = phase == Phase::Detection
                || (phase == Phase::Recovery && keep.iter().any(|s| s == actor));
            if !wanted {
                return;
            }
        }
        let text = if self.narrate { text() } else { String::new() };
        self.entries.push(LogEntry {
            at,
            actor: actor.to_string(),
            phase,
            text,
        });
    }

    /// The entries, in the order they were logged (which is time order).
    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }

    /// Ends the log and returns its entries.
    pub fn into_entries(self) -> Vec<LogEntry> {
        self.entries
    }
}

/// What a model asks the world to do beyond its own state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// The resource with this index exists now (a stack created it): it starts and can serve.
    Provision(u16),
    /// The resource with this index no longer suffers its outright failure, which lasts on elsewhere (EC2
    /// automatic recovery moved the instance to healthy hardware): the world clears the failure and tells
    /// every model that health changed.
    Recover(u16),
    /// Capacity beyond steady state bills from now until the incident ends (`crate::cost::recovery`).
    Usage {
        /// The resource (scenario name).
        resource: String,
        /// How many of it.
        instances: u32,
        /// The Region it runs in, when not its own.
        region: Option<String>,
    },
}

/// What models hand back while the world calls them: wake-ups, finished actions and requests. The world
/// drains it after each call.
#[derive(Debug, Default)]
pub struct Outbox {
    /// `(when, token)` wake-ups asked for.
    pub wakeups: Vec<(SimTime, u32)>,
    /// Actions that finished.
    pub finished: Vec<(Ticket, Result<(), ActionError>)>,
    /// Requests to the world.
    pub requests: Vec<Request>,
}

/// What a model may do while the world is calling it: read the clock, health and names, ask for
/// wake-ups, log, report finished actions and make requests.
pub struct Ctx<'a> {
    /// The current time.
    pub now: SimTime,
    /// The health of Regions, AZs and resources right now.
    pub health: &'a Health,
    /// The names of Regions and AZs.
    pub catalog: &'a Catalog,
    out: &'a mut Outbox,
    log: &'a mut StepLog,
    /// Per resource index: whether it exists now (`None`: everything does).
    existing: Option<&'a [bool]>,
}

impl<'a> Ctx<'a> {
    /// A context over the world's buffers.
    pub fn new(
        now: SimTime,
        health: &'a Health,
        catalog: &'a Catalog,
        out: &'a mut Outbox,
        log: &'a mut StepLog,
    ) -> Self {
        Ctx {
            now,
            health,
            catalog,
            out,
            log,
            existing: None,
        }
    }

    /// The same context, told which resources exist now (by resource index): the resources a stack
    /// creates do not exist until it completes.
    pub fn with_existing(self, existing: &'a [bool]) -> Self {
        Ctx {
            existing: Some(existing),
            ..self
        }
    }

    /// Whether the resource with this index exists now (a stack's resources exist once it is created;
    /// everything exists when the world did not say otherwise).
    pub fn exists(&self, resource: u16) -> bool {
        self.existing
            .is_none_or(|e| e.get(usize::from(resource)).copied().unwrap_or(true))
    }

    /// Asks to be called back (`on_wake(token)`) at `at` (not before now).
    pub fn wake_at(&mut self, at: SimTime, token: u32) {
        self.out.wakeups.push((at.max(self.now), token));
    }

    /// Asks to be called back after `delay`.
    pub fn wake_in(&mut self, delay: SimDuration, token: u32) {
        self.out.wakeups.push((self.now + delay, token));
    }

    /// Reports that the action `ticket` finished (successfully or not).
    pub fn finish(&mut self, ticket: Ticket, result: Result<(), ActionError>) {
        self.out.finished.push((ticket, result));
    }

    /// Asks the world for an effect beyond this model's own state.
    pub fn request(&mut self, request: Request) {
        self.out.requests.push(request);
    }

    /// Logs a step at the current time; `text` is only formatted when the log narrates.
    pub fn log(&mut self, actor: &str, phase: Phase, text: impl FnOnce() -> String) {
        self.log.push(self.now, actor, phase, text);
    }
}
