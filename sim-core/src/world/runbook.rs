//! Recovery runbooks as state machines in the spirit of Amazon States Language (ASL).
//!
//! A runbook is a named set of states with a `start_at`, like an ASL `StartAt` + `States`: `Task` (an action
//! on the world, with `Retry` and `Catch`), `Wait`, `Choice` (rules on world state), `Parallel` (branches,
//! each its own `start_at` + `states`), `Succeed` and `Fail`. A state without `next` ends its branch, as
//! `"End": true` does in ASL. Importing a Step Functions definition is therefore a translation of names, not
//! a redesign: ASL's `Type` becomes the enum variant, `Next`/`End` become `next`, `ErrorEquals` becomes
//! `errors` (with `States.ALL`), `IntervalSeconds`/`MaxAttempts`/`BackoffRate` keep their meaning.
//!
//! The interpreter ([`Execution`]) is independent of the world: it turns triggers, wake-ups and finished
//! actions into [`Command`]s (start this action, wake me then, log this) that the world carries out. Human
//! steps (`Page`, `Decide`) are timed here from each human's own random stream, so every strategy compared
//! on one seed faces the same people taking the same time.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::rng::{RngStreams, Stream};
use crate::engine::time::{SimDuration, SimTime};
use crate::model::{ActionError, Phase, Ticket};
use crate::spec::runbook::{Action, Catch, Cmp, Condition, Retry, RunbookConfig, State, Trigger};

impl Cmp {
    /// Applies the comparison.
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Cmp::Lt => left < right,
            Cmp::Le => left <= right,
            Cmp::Gt => left > right,
            Cmp::Ge => left >= right,
            Cmp::Eq => (left - right).abs() < 1e-9,
            Cmp::Ne => (left - right).abs() >= 1e-9,
        }
    }
}

impl Action {
    /// The recovery phase this action's time belongs to in the RTO breakdown.
    pub fn phase(&self) -> Phase {
        match self {
            Action::Page { .. } | Action::Decide { .. } => Phase::Decision,
            Action::UpdateDns { .. } | Action::UpdateCloudFront { .. } => Phase::Propagation,
            _ => Phase::Recovery,
        }
    }
}

/// Why a runbook does not compile. Messages name the runbook and the state.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunbookError {
    /// A `start_at`, `next`, `default` or `catch` names a state that does not exist.
    UnknownState {
        /// The runbook.
        runbook: String,
        /// Where the reference is (`start_at` or a state's name).
        from: String,
        /// The missing state.
        missing: String,
        /// The states that exist in that scope.
        known: Vec<String>,
    },
    /// A runbook or branch with no states.
    Empty {
        /// The runbook.
        runbook: String,
    },
    /// A `Parallel` with no branches, or a `Choice` with no rules.
    Degenerate {
        /// The runbook.
        runbook: String,
        /// The state.
        state: String,
        /// What is missing.
        what: &'static str,
    },
}

impl fmt::Display for RunbookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunbookError::UnknownState {
                runbook,
                from,
                missing,
                known,
            } => write!(
                f,
                "runbook {runbook:?}: {from} refers to state {missing:?}, which does not exist (states: {})",
                known.join(", ")
            ),
            RunbookError::Empty { runbook } => write!(f, "runbook {runbook:?} has no states"),
            RunbookError::Degenerate {
                runbook,
                state,
                what,
            } => {
                write!(f, "runbook {runbook:?}: state {state:?} has no {what}")
            }
        }
    }
}

impl std::error::Error for RunbookError {}

/// A compiled state: names resolved to indices.
#[derive(Clone, Debug)]
enum Node {
    Task {
        name: String,
        action: Action,
        next: Option<usize>,
        retry: Vec<Retry>,
        catch: Vec<(Vec<String>, usize)>,
    },
    Wait {
        name: String,
        duration: Dist,
        next: Option<usize>,
    },
    Choice {
        name: String,
        rules: Vec<(Condition, usize)>,
        default: Option<usize>,
    },
    Parallel {
        name: String,
        branches: Vec<usize>,
        next: Option<usize>,
        retry: Vec<Retry>,
        catch: Vec<(Vec<String>, usize)>,
    },
    Succeed,
    Fail {
        error: String,
        cause: String,
    },
}

/// A runbook compiled for execution.
#[derive(Clone, Debug)]
pub struct Runbook {
    /// Its name.
    pub name: String,
    /// Its trigger.
    pub trigger: Trigger,
    nodes: Vec<Node>,
    start: usize,
}

impl Runbook {
    /// Compiles a runbook, checking every state reference.
    pub fn compile(config: &RunbookConfig) -> Result<Runbook, RunbookError> {
        let mut nodes = Vec::new();
        let start = compile_scope(&config.name, &config.start_at, &config.states, &mut nodes)?;
        Ok(Runbook {
            name: config.name.clone(),
            trigger: config.trigger.clone(),
            nodes,
            start,
        })
    }

    /// Every action the runbook can perform (for validation of the names it uses).
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Task { action, .. } => Some(action),
            _ => None,
        })
    }

    /// Every condition the runbook can test.
    pub fn conditions(&self) -> impl Iterator<Item = &Condition> {
        self.nodes.iter().flat_map(|n| match n {
            Node::Choice { rules, .. } => rules.iter().map(|(c, _)| c).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    }
}

/// Compiles one scope (the runbook or a branch); returns the index of its start state.
fn compile_scope(
    runbook: &str,
    start_at: &str,
    states: &BTreeMap<String, State>,
    nodes: &mut Vec<Node>,
) -> Result<usize, RunbookError> {
    if states.is_empty() {
        return Err(RunbookError::Empty {
            runbook: runbook.to_string(),
        });
    }
    let base = nodes.len();
    let names: Vec<&String> = states.keys().collect();
    let index = |from: &str, name: &str| -> Result<usize, RunbookError> {
        names
            .iter()
            .position(|n| *n == name)
            .map(|i| base + i)
            .ok_or_else(|| RunbookError::UnknownState {
                runbook: runbook.to_string(),
                from: from.to_string(),
                missing: name.to_string(),
                known: names.iter().map(|n| n.to_string()).collect(),
            })
    };
    let next_of =
        |from: &str, next: &Option<String>| next.as_deref().map(|n| index(from, n)).transpose();
    let catches =
        |from: &str, catch: &[Catch]| -> Result<Vec<(Vec<String>, usize)>, RunbookError> {
            catch
                .iter()
                .map(|c| Ok((c.errors.clone(), index(from, &c.next)?)))
                .collect()
        };
    // Reserve this scope's slots first so branch scopes go after it.
    nodes.extend(states.iter().map(|_| Node::Succeed));
    for (i, (name, state)) in states.iter().enumerate() {
        let from = format!("state {name:?}");
        nodes[base + i] = match state {
            State::Task {
                action,
                next,
                retry,
                catch,
            } => Node::Task {
                name: name.clone(),
                action: action.clone(),
                next: next_of(&from, next)?,
                retry: retry.clone(),
                catch: catches(&from, catch)?,
            },
            State::Wait { duration, next } => Node::Wait {
                name: name.clone(),
                duration: duration.clone(),
                next: next_of(&from, next)?,
            },
            State::Choice { choices, default } => {
                if choices.is_empty() {
                    return Err(RunbookError::Degenerate {
                        runbook: runbook.into(),
                        state: name.clone(),
                        what: "choices",
                    });
                }
                let rules = choices
                    .iter()
                    .map(|c| Ok((c.when.clone(), index(&from, &c.next)?)))
                    .collect::<Result<_, _>>()?;
                Node::Choice {
                    name: name.clone(),
                    rules,
                    default: next_of(&from, default)?,
                }
            }
            State::Parallel {
                branches,
                next,
                retry,
                catch,
            } => {
                if branches.is_empty() {
                    return Err(RunbookError::Degenerate {
                        runbook: runbook.into(),
                        state: name.clone(),
                        what: "branches",
                    });
                }
                let mut starts = Vec::new();
                for branch in branches {
                    starts.push(compile_scope(
                        runbook,
                        &branch.start_at,
                        &branch.states,
                        nodes,
                    )?);
                }
                Node::Parallel {
                    name: name.clone(),
                    branches: starts,
                    next: next_of(&from, next)?,
                    retry: retry.clone(),
                    catch: catches(&from, catch)?,
                }
            }
            State::Succeed => Node::Succeed,
            State::Fail { error, cause } => Node::Fail {
                error: error.clone(),
                cause: cause.clone(),
            },
        };
    }
    index("start_at", start_at)
}

/// What the world must do for a runbook.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Start `action`; report its end with [`Execution::on_finished`] and this ticket.
    Start {
        /// The ticket.
        ticket: Ticket,
        /// The action (never `Page` or `Decide`, which the runbook times itself).
        action: Action,
    },
    /// Call [`Execution::on_wake`] with `token` after `delay`.
    Wake {
        /// The token.
        token: u32,
        /// The delay.
        delay: SimDuration,
    },
    /// Log a step.
    Log {
        /// The phase.
        phase: Phase,
        /// The text.
        text: String,
    },
}

/// A span of time one task took, for the RTO breakdown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// The phase.
    pub phase: Phase,
    /// Start.
    pub start: SimTime,
    /// End.
    pub end: SimTime,
    /// The state's name.
    pub state: String,
}

#[derive(Clone, Debug)]
enum Waiting {
    Nothing,
    /// An action the world runs.
    Ticket(Ticket),
    /// A timed step (human, `Wait`): the wake-up ends it.
    Timer(u32),
    /// A retry interval: the wake-up runs the state again.
    Retry(u32),
    /// A `Parallel` waiting for this many branches.
    Children(u32),
}

#[derive(Clone, Debug)]
struct Thread {
    node: usize,
    attempt: u32,
    parent: Option<usize>,
    waiting: Waiting,
    started: SimTime,
    live: bool,
}

/// How a runbook execution ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Still running (or never triggered).
    Running,
    /// Reached `Succeed` or the end of its last state.
    Succeeded,
    /// Failed with an uncaught error.
    Failed(String),
}

/// One run of one runbook.
pub struct Execution {
    index: u32,
    threads: Vec<Thread>,
    next_id: u32,
    streams: RngStreams,
    rngs: BTreeMap<String, Stream>,
    /// Time spent per task, for the RTO breakdown.
    pub spans: Vec<Span>,
    /// How it ended.
    pub outcome: Outcome,
    /// When it was triggered.
    pub triggered_at: Option<SimTime>,
}

const MAX_STEPS_PER_CALL: u32 = 10_000;

impl Execution {
    /// A not-yet-triggered execution of runbook number `index`.
    pub fn new(index: usize, streams: &RngStreams) -> Self {
        Execution {
            index: index as u32,
            threads: Vec::new(),
            next_id: 0,
            streams: streams.clone(),
            rngs: BTreeMap::new(),
            spans: Vec::new(),
            outcome: Outcome::Running,
            triggered_at: None,
        }
    }

    /// Whether the runbook has been triggered.
    pub fn triggered(&self) -> bool {
        self.triggered_at.is_some()
    }

    fn rng(&mut self, name: &str) -> &mut Stream {
        let streams = &self.streams;
        self.rngs
            .entry(name.to_string())
            .or_insert_with(|| streams.named(name))
    }

    fn fresh_id(&mut self) -> u32 {
        self.next_id += 1;
        (self.index << 20) | (self.next_id & 0xF_FFFF)
    }

    /// Starts the runbook at `now`.
    pub fn trigger(
        &mut self,
        book: &Runbook,
        now: SimTime,
        eval: &dyn Fn(&Condition) -> bool,
        out: &mut Vec<Command>,
    ) {
        if self.triggered() {
            return;
        }
        self.triggered_at = Some(now);
        out.push(Command::Log {
            phase: Phase::Info,
            text: format!("runbook {} starts", book.name),
        });
        self.threads.push(Thread {
            node: book.start,
            attempt: 0,
            parent: None,
            waiting: Waiting::Nothing,
            started: now,
            live: true,
        });
        self.run(book, 0, now, eval, out);
    }

    /// A wake-up asked for with [`Command::Wake`] is due.
    pub fn on_wake(
        &mut self,
        book: &Runbook,
        token: u32,
        now: SimTime,
        eval: &dyn Fn(&Condition) -> bool,
        out: &mut Vec<Command>,
    ) {
        let found = self.threads.iter().position(|th| {
            th.live && matches!(th.waiting, Waiting::Timer(k) | Waiting::Retry(k) if k == token)
        });
        let Some(t) = found else {
            return;
        };
        let retry = matches!(self.threads[t].waiting, Waiting::Retry(_));
        self.threads[t].waiting = Waiting::Nothing;
        if retry {
            self.run(book, t, now, eval, out)
        } else {
            self.complete(book, t, now, Ok(()), eval, out)
        }
    }

    /// The action started with `ticket` ended.
    pub fn on_finished(
        &mut self,
        book: &Runbook,
        ticket: Ticket,
        result: Result<(), ActionError>,
        now: SimTime,
        eval: &dyn Fn(&Condition) -> bool,
        out: &mut Vec<Command>,
    ) {
        let Some(t) = self
            .threads
            .iter()
            .position(|th| th.live && matches!(th.waiting, Waiting::Ticket(k) if k == ticket))
        else {
            return;
        };
        self.threads[t].waiting = Waiting::Nothing;
        self.complete(
            book,
            t,
            now,
            result.map_err(|e| (e.code().to_string(), e.to_string())),
            eval,
            out,
        );
    }

    /// Enters thread `t`'s current node and runs until it blocks.
    fn run(
        &mut self,
        book: &Runbook,
        t: usize,
        now: SimTime,
        eval: &dyn Fn(&Condition) -> bool,
        out: &mut Vec<Command>,
    ) {
        for _ in 0..MAX_STEPS_PER_CALL {
            let node = self.threads[t].node;
            self.threads[t].started = now;
            match &book.nodes[node] {
                Node::Task { name, action, .. } => {
                    out.push(Command::Log {
                        phase: action.phase(),
                        text: format!("{}: {name} begins", book.name),
                    });
                    match action {
                        Action::Page { who, ack } | Action::Decide { who, delay: ack } => {
                            let delay = ack.sample(self.rng(&format!("human/{who}")));
                            let token = self.fresh_id();
                            self.threads[t].waiting = Waiting::Timer(token);
                            out.push(Command::Wake { token, delay });
                        }
                        _ => {
                            let ticket = Ticket(self.fresh_id());
                            self.threads[t].waiting = Waiting::Ticket(ticket);
                            out.push(Command::Start {
                                ticket,
                                action: action.clone(),
                            });
                        }
                    }
                    return;
                }
                Node::Wait { name, duration, .. } => {
                    let delay = duration.sample(self.rng(&format!("runbook/{}", book.name)));
                    out.push(Command::Log {
                        phase: Phase::Recovery,
                        text: format!("{}: {name} waits {delay}", book.name),
                    });
                    let token = self.fresh_id();
                    self.threads[t].waiting = Waiting::Timer(token);
                    out.push(Command::Wake { token, delay });
                    return;
                }
                Node::Choice {
                    name,
                    rules,
                    default,
                } => {
                    match rules
                        .iter()
                        .find(|(c, _)| eval(c))
                        .map(|&(_, n)| n)
                        .or(*default)
                    {
                        Some(next) => {
                            out.push(Command::Log {
                                phase: Phase::Decision,
                                text: format!("{}: {name} chooses", book.name),
                            });
                            self.threads[t].node = next;
                        }
                        None => {
                            return self.complete(
                                book,
                                t,
                                now,
                                Err(("States.NoChoiceMatched".into(), name.clone())),
                                eval,
                                out,
                            );
                        }
                    }
                }
                Node::Parallel { branches, .. } => {
                    let branches = branches.clone();
                    self.threads[t].waiting = Waiting::Children(branches.len() as u32);
                    for start in branches {
                        self.threads.push(Thread {
                            node: start,
                            attempt: 0,
                            parent: Some(t),
                            waiting: Waiting::Nothing,
                            started: now,
                            live: true,
                        });
                        let child = self.threads.len() - 1;
                        self.run(book, child, now, eval, out);
                        if !self.threads[t].live
                            || !matches!(self.threads[t].waiting, Waiting::Children(_))
                        {
                            return;
                        }
                    }
                    return;
                }
                Node::Succeed => return self.end_thread(book, t, now, Ok(()), eval, out),
                Node::Fail { error, cause } => {
                    return self.end_thread(
                        book,
                        t,
                        now,
                        Err((error.clone(), cause.clone())),
                        eval,
                        out,
                    );
                }
            }
        }
        self.end_thread(
            book,
            t,
            now,
            Err((
                "States.Runaway".into(),
                "too many steps without waiting".into(),
            )),
            eval,
            out,
        );
    }

    /// Thread `t`'s current Task/Wait/Parallel node finished with `result`.
    fn complete(
        &mut self,
        book: &Runbook,
        t: usize,
        now: SimTime,
        result: Result<(), (String, String)>,
        eval: &dyn Fn(&Condition) -> bool,
        out: &mut Vec<Command>,
    ) {
        let node = self.threads[t].node;
        match (&book.nodes[node], result) {
            (
                Node::Task {
                    name, action, next, ..
                },
                Ok(()),
            ) => {
                self.spans.push(Span {
                    phase: action.phase(),
                    start: self.threads[t].started,
                    end: now,
                    state: name.clone(),
                });
                out.push(Command::Log {
                    phase: action.phase(),
                    text: format!("{}: {name} done", book.name),
                });
                self.go(book, t, *next, now, eval, out);
            }
            (Node::Wait { next, .. } | Node::Parallel { next, .. }, Ok(())) => {
                self.go(book, t, *next, now, eval, out)
            }
            (
                Node::Task {
                    name, retry, catch, ..
                }
                | Node::Parallel {
                    name, retry, catch, ..
                },
                Err((code, cause)),
            ) => {
                let matches =
                    |errors: &[String]| errors.iter().any(|e| e == "States.ALL" || *e == code);
                let attempt = self.threads[t].attempt;
                if let Some(rule) = retry
                    .iter()
                    .find(|r| matches(&r.errors))
                    .filter(|r| attempt < r.max_attempts)
                {
                    let factor = rule.backoff_rate.max(1.0).powi(attempt as i32);
                    let delay = SimDuration::from_secs_f64(rule.interval.as_secs_f64() * factor);
                    out.push(Command::Log {
                        phase: Phase::Recovery,
                        text: format!("{}: {name} failed ({cause}); retry in {delay}", book.name),
                    });
                    self.threads[t].attempt = attempt + 1;
                    let token = self.fresh_id();
                    self.threads[t].waiting = Waiting::Retry(token);
                    out.push(Command::Wake { token, delay });
                } else if let Some(&(_, next)) = catch.iter().find(|(errors, _)| matches(errors)) {
                    out.push(Command::Log {
                        phase: Phase::Recovery,
                        text: format!("{}: {name} failed ({cause}); caught", book.name),
                    });
                    self.threads[t].attempt = 0;
                    self.go(book, t, Some(next), now, eval, out);
                } else {
                    self.end_thread(book, t, now, Err((code, cause)), eval, out);
                }
            }
            (_, result) => self.end_thread(book, t, now, result, eval, out),
        }
    }

    fn go(
        &mut self,
        book: &Runbook,
        t: usize,
        next: Option<usize>,
        now: SimTime,
        eval: &dyn Fn(&Condition) -> bool,
        out: &mut Vec<Command>,
    ) {
        self.threads[t].attempt = 0;
        match next {
            Some(n) => {
                self.threads[t].node = n;
                self.run(book, t, now, eval, out);
            }
            None => self.end_thread(book, t, now, Ok(()), eval, out),
        }
    }

    /// Thread `t` reached its end; propagate to its parent (a Parallel) or to the execution.
    fn end_thread(
        &mut self,
        book: &Runbook,
        t: usize,
        now: SimTime,
        result: Result<(), (String, String)>,
        eval: &dyn Fn(&Condition) -> bool,
        out: &mut Vec<Command>,
    ) {
        self.threads[t].live = false;
        match self.threads[t].parent {
            None => {
                self.outcome = match &result {
                    Ok(()) => Outcome::Succeeded,
                    Err((code, _)) => Outcome::Failed(code.clone()),
                };
                let text = match result {
                    Ok(()) => format!("runbook {} succeeds", book.name),
                    Err((code, cause)) => format!("runbook {} fails: {code} ({cause})", book.name),
                };
                out.push(Command::Log {
                    phase: Phase::Recovery,
                    text,
                });
            }
            Some(parent) if self.threads[parent].live => match result {
                Ok(()) => {
                    if let Waiting::Children(n) = self.threads[parent].waiting {
                        if n <= 1 {
                            self.threads[parent].waiting = Waiting::Nothing;
                            self.complete(book, parent, now, Ok(()), eval, out);
                        } else {
                            self.threads[parent].waiting = Waiting::Children(n - 1);
                        }
                    }
                }
                Err(error) => {
                    // One branch failed: the others are abandoned and the Parallel state fails.
                    for th in self
                        .threads
                        .iter_mut()
                        .filter(|th| th.parent == Some(parent))
                    {
                        th.live = false;
                    }
                    self.threads[parent].waiting = Waiting::Nothing;
                    self.complete(book, parent, now, Err(error), eval, out);
                }
            },
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pending wake-up, or an action finishing (and whether it is a `Promote`).
    enum Due {
        Wake(u32),
        Finish(Ticket, bool),
    }

    /// Plays the world for a runbook: actions take `durations[action kind]` and fail per `fail`.
    struct Harness {
        book: Runbook,
        exec: Execution,
        now: SimTime,
        pending: Vec<(SimTime, Due)>,
        log: Vec<String>,
        failures_left: u32,
    }

    impl Harness {
        fn new(ron_text: &str, failures: u32) -> Harness {
            let config: RunbookConfig = ron::from_str(ron_text).unwrap();
            let book = Runbook::compile(&config).unwrap();
            Harness {
                book,
                exec: Execution::new(0, &RngStreams::new(1, 0)),
                now: SimTime::ZERO,
                pending: Vec::new(),
                log: Vec::new(),
                failures_left: failures,
            }
        }

        fn absorb(&mut self, out: Vec<Command>) {
            for c in out {
                match c {
                    Command::Start { ticket, action } => {
                        self.log.push(format!("start {action:?}"));
                        let promote = matches!(action, Action::Promote { .. });
                        self.pending.push((
                            self.now + SimDuration::from_secs(60),
                            Due::Finish(ticket, promote),
                        ));
                    }
                    Command::Wake { token, delay } => {
                        self.pending.push((self.now + delay, Due::Wake(token)))
                    }
                    Command::Log { text, .. } => self.log.push(text),
                }
            }
        }

        fn run(&mut self) {
            let eval = |c: &Condition| matches!(c, Condition::RegionUp(r) if r == "us-west-2");
            let mut out = Vec::new();
            self.exec.trigger(&self.book, self.now, &eval, &mut out);
            self.absorb(out);
            while !self.pending.is_empty() {
                self.pending.sort_by_key(|p| p.0);
                let (at, what) = self.pending.remove(0);
                self.now = at;
                let mut out = Vec::new();
                match what {
                    Due::Wake(token) => self.exec.on_wake(&self.book, token, at, &eval, &mut out),
                    Due::Finish(ticket, promote) => {
                        let result = if promote && self.failures_left > 0 {
                            self.failures_left -= 1;
                            Err(ActionError::ControlPlaneDown(
                                crate::model::place::RegionId(0),
                            ))
                        } else {
                            Ok(())
                        };
                        self.exec
                            .on_finished(&self.book, ticket, result, at, &eval, &mut out);
                    }
                }
                self.absorb(out);
            }
        }
    }

    const PROMOTE: &str = r#"(
        name: "failover",
        trigger: HealthCheck("primary"),
        start_at: "page",
        states: {
            "page": Task(action: Page(who: "oncall", ack: Fixed("5m")), next: Some("region?")),
            "region?": Choice(choices: [(when: RegionUp("us-west-2"), next: "recover")], default: Some("give up")),
            "give up": Fail(error: "NoRegion"),
            "recover": Parallel(branches: [
                (start_at: "promote", states: {
                    "promote": Task(action: Promote(store: "db", region: "us-west-2"),
                                    retry: [(errors: ["ControlPlaneDown"], interval: "10s", max_attempts: 2)]),
                }),
                (start_at: "stack", states: { "stack": Task(action: CreateStack(stack: "web-west")) }),
            ], next: Some("dns")),
            "dns": Task(action: UpdateDns(record: "app", target: "alb-west")),
        },
    )"#;

    #[test]
    fn runs_page_choice_parallel_and_dns_in_order() {
        let mut h = Harness::new(PROMOTE, 0);
        h.run();
        assert_eq!(h.exec.outcome, Outcome::Succeeded, "{:#?}", h.log);
        // Page 5 min, then both branches (60 s each, concurrently), then DNS 60 s: done at 7 min.
        assert_eq!(h.now, SimTime::at(SimDuration::from_mins(7)));
        let phases: Vec<(Phase, &str)> = h
            .exec
            .spans
            .iter()
            .map(|s| (s.phase, s.state.as_str()))
            .collect();
        assert_eq!(phases[0], (Phase::Decision, "page"));
        assert_eq!(phases.last(), Some(&(Phase::Propagation, "dns")));
    }

    #[test]
    fn retry_then_success_adds_the_backoff() {
        // The promote fails twice (control plane down), retried after 10 s then 20 s.
        let mut h = Harness::new(PROMOTE, 2);
        h.run();
        assert_eq!(h.exec.outcome, Outcome::Succeeded, "{:#?}", h.log);
        // Page 5m; promote 60 s ×3 + 10 s + 20 s = 210 s (the stack finishes earlier); DNS 60 s.
        assert_eq!(h.now, SimTime::at(SimDuration::from_secs(300 + 210 + 60)));
    }

    #[test]
    fn exhausted_retries_fail_the_parallel_and_the_runbook() {
        let mut h = Harness::new(PROMOTE, 3);
        h.run();
        assert_eq!(
            h.exec.outcome,
            Outcome::Failed("ControlPlaneDown".into()),
            "{:#?}",
            h.log
        );
        assert!(h.log.iter().any(|l| l.contains("fails: ControlPlaneDown")));
    }

    #[test]
    fn unknown_states_are_named() {
        let config: RunbookConfig = ron::from_str(
            r#"(name: "rb", trigger: Onset, start_at: "a", states: { "a": Wait(duration: Fixed("1m"), next: Some("b")) })"#,
        )
        .unwrap();
        let err = Runbook::compile(&config).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"runbook "rb": state "a" refers to state "b", which does not exist (states: a)"#
        );
    }
}
