//! One execution of a compiled runbook: threads (one per running branch), what each waits for, and the
//! commands (start an action, wake me, log) it hands the world. Human steps are timed here from each
//! human's own random stream.

mod limits;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::rng::{RngStreams, Stream};
use crate::engine::time::{SimDuration, SimTime};
use crate::model::stream_name::StreamName;
use crate::model::{Phase, Ticket};
use crate::runbook::{Node, Runbook};
use crate::spec::limits::{MAX_RUNBOOK_STEPS, MAX_STEPS_PER_CALL};
use crate::spec::runbook::{Action, Condition};

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
    /// The wake-up token of the current Task's `timeout`, while it runs.
    deadline: Option<u32>,
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
    index: u16,
    threads: Vec<Thread>,
    next_id: u32,
    streams: RngStreams,
    rngs: BTreeMap<StreamName, Stream>,
    /// Time spent per task, for the RTO breakdown.
    pub spans: Vec<Span>,
    /// How it ended.
    pub outcome: Outcome,
    /// When it was triggered.
    pub triggered_at: Option<SimTime>,
    /// States entered so far in this replication (bounded by [`MAX_RUNBOOK_STEPS`]).
    steps: u64,
    /// The state where the execution was stopped for taking too many steps, if it was.
    pub runaway: Option<String>,
}

impl Execution {
    /// A not-yet-triggered execution of runbook number `index`.
    pub fn new(index: usize, streams: &RngStreams) -> Self {
        Execution {
            index: index as u16,
            threads: Vec::new(),
            next_id: 0,
            streams: streams.clone(),
            rngs: BTreeMap::new(),
            spans: Vec::new(),
            outcome: Outcome::Running,
            triggered_at: None,
            steps: 0,
            runaway: None,
        }
    }

    /// Whether the runbook has been triggered.
    pub fn triggered(&self) -> bool {
        self.triggered_at.is_some()
    }

    fn rng(&mut self, name: StreamName) -> &mut Stream {
        let streams = &self.streams;
        self.rngs
            .entry(name)
            .or_insert_with(|| name.stream(streams))
    }

    /// A fresh sequence number for a wake-up token or a ticket. Twenty bits, because the trace word packs
    /// it with the runbook's index ([`crate::world::Event`]); the per-replication step bound keeps an
    /// execution far below 2^20 steps.
    fn fresh_seq(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id & 0xF_FFFF
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
            deadline: None,
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
        if let Some(t) = self
            .threads
            .iter()
            .position(|th| th.live && th.deadline == Some(token))
        {
            return self.time_out(book, t, now, eval, out);
        }
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

    /// The action started with `ticket` ended: `Ok`, or its error code and cause in words.
    pub fn on_finished(
        &mut self,
        book: &Runbook,
        ticket: Ticket,
        result: Result<(), (&'static str, String)>,
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
            result.map_err(|(code, cause)| (code.to_string(), cause)),
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
        if self.runaway.is_some() {
            return;
        }
        for _ in 0..MAX_STEPS_PER_CALL {
            let node = self.threads[t].node;
            self.steps += 1;
            if self.steps > MAX_RUNBOOK_STEPS {
                return self.stop_runaway(book, node, now, eval, out);
            }
            self.threads[t].started = now;
            match &book.nodes[node] {
                Node::Task {
                    name,
                    action,
                    timeout,
                    ..
                } => {
                    if let Some(limit) = *timeout {
                        let token = self.fresh_seq();
                        self.threads[t].deadline = Some(token);
                        out.push(Command::Wake {
                            token,
                            delay: limit,
                        });
                    }
                    out.push(Command::Log {
                        phase: action.phase(),
                        text: format!("{}: {name} begins", book.name),
                    });
                    // Human steps and `Run` steps say who acts and what they do (a line of its own:
                    // "<book>: <step> begins" pairs with "… done" in reports); the other actions are
                    // narrated by the services they act on.
                    let what = match action {
                        Action::Page { who, .. } => Some(format!("page {who}")),
                        Action::Decide { who, .. } => Some(format!("{who} decides")),
                        Action::Run { what, .. } => Some(what.clone()),
                        _ => None,
                    };
                    if let Some(what) = what {
                        out.push(Command::Log {
                            phase: action.phase(),
                            text: format!("{}: {name}: {what}", book.name),
                        });
                    }
                    match action {
                        Action::Page { who, ack } | Action::Decide { who, delay: ack } => {
                            let delay = ack.sample(self.rng(StreamName::human(who)));
                            let token = self.fresh_seq();
                            self.threads[t].waiting = Waiting::Timer(token);
                            out.push(Command::Wake { token, delay });
                        }
                        _ => {
                            let ticket = Ticket {
                                book: self.index,
                                seq: self.fresh_seq(),
                            };
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
                    let delay = duration.sample(self.rng(StreamName::runbook(&book.name)));
                    out.push(Command::Log {
                        phase: Phase::Recovery,
                        text: format!("{}: {name} waits {}", book.name, delay.human()),
                    });
                    let token = self.fresh_seq();
                    self.threads[t].waiting = Waiting::Timer(token);
                    out.push(Command::Wake { token, delay });
                    return;
                }
                Node::Choice {
                    name,
                    rules,
                    default,
                } => {
                    let chosen = rules.iter().find(|(c, _)| eval(c));
                    match chosen.map(|&(_, n)| n).or(*default) {
                        Some(next) => {
                            let to = book.nodes[next].name().map_or_else(
                                || "ends the runbook".to_string(),
                                |n| format!("goes to {n}"),
                            );
                            let why = match chosen {
                                Some((c, _)) => format!("because {c}"),
                                None if rules.is_empty() => "(its default)".to_string(),
                                None => "by default: no rule holds".to_string(),
                            };
                            out.push(Command::Log {
                                phase: Phase::Decision,
                                text: format!("{}: {name} {to} {why}", book.name),
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
                            deadline: None,
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
        self.threads[t].deadline = None;
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
                        text: format!(
                            "{}: {name} failed ({cause}); retry in {}",
                            book.name,
                            delay.human()
                        ),
                    });
                    self.threads[t].attempt = attempt + 1;
                    let token = self.fresh_seq();
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
