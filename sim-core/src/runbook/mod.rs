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
//!
//! Layout: this file compiles a [`RunbookConfig`] into indexed states; [`exec`] runs one execution.

pub mod exec;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;
use crate::model::Phase;
use crate::spec::runbook::{Action, Catch, Cmp, Condition, Retry, RunbookConfig, State, Trigger};

pub use exec::{Command, Execution, Outcome, Span};

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
            Action::UpdateDns { .. }
            | Action::UpdateCloudFront { .. }
            | Action::SetRoutingControl { .. } => Phase::Propagation,
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
pub(crate) enum Node {
    Task {
        name: String,
        action: Action,
        next: Option<usize>,
        retry: Vec<Retry>,
        catch: Vec<(Vec<String>, usize)>,
        timeout: Option<SimDuration>,
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

impl Node {
    /// The state's name (`Succeed` and `Fail` states carry none).
    pub(crate) fn name(&self) -> Option<&str> {
        match self {
            Node::Task { name, .. }
            | Node::Wait { name, .. }
            | Node::Choice { name, .. }
            | Node::Parallel { name, .. } => Some(name),
            Node::Succeed | Node::Fail { .. } => None,
        }
    }
}

/// A runbook compiled for execution.
#[derive(Clone, Debug)]
pub struct Runbook {
    /// Its name.
    pub name: String,
    /// Its trigger.
    pub trigger: Trigger,
    pub(crate) nodes: Vec<Node>,
    pub(crate) start: usize,
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

impl Runbook {
    /// A cycle of states that takes no time at all — `Choice`s and `Wait`s that always wait zero — which
    /// would spin without simulated time passing; `None` when there is none. Cycles through a `Task` or a
    /// `Parallel` are not reported (an action may take time); the per-replication step bound stops those.
    pub fn zero_time_cycle(&self) -> Option<Vec<String>> {
        let instant = |n: &Node| -> Vec<usize> {
            match n {
                Node::Choice { rules, default, .. } => {
                    rules.iter().map(|&(_, to)| to).chain(*default).collect()
                }
                Node::Wait { duration, next, .. } if always_zero(duration) => {
                    next.iter().copied().collect()
                }
                _ => Vec::new(),
            }
        };
        // Depth-first search for a back edge over instantaneous successors (iterative: bounded stack).
        let n = self.nodes.len();
        let mut state = vec![0u8; n]; // 0 unseen, 1 on the path, 2 done
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            let mut path: Vec<(usize, Vec<usize>)> = vec![(root, instant(&self.nodes[root]))];
            state[root] = 1;
            while let Some((v, next)) = path.last_mut() {
                let v = *v;
                match next.pop() {
                    Some(w) if state[w] == 1 => {
                        let from = path.iter().position(|&(u, _)| u == w).unwrap_or(0);
                        return Some(
                            path[from..]
                                .iter()
                                .map(|&(u, _)| self.nodes[u].name().unwrap_or("?").to_string())
                                .collect(),
                        );
                    }
                    Some(w) if state[w] == 0 => {
                        state[w] = 1;
                        path.push((w, instant(&self.nodes[w])));
                    }
                    Some(_) => {}
                    None => {
                        state[v] = 2;
                        path.pop();
                    }
                }
            }
        }
        None
    }

    /// The `timeout` of every Task that has one.
    pub fn timeouts(&self) -> impl Iterator<Item = (&str, SimDuration)> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Task {
                name,
                timeout: Some(t),
                ..
            } => Some((name.as_str(), *t)),
            _ => None,
        })
    }

    /// The `Retry` rules of every state.
    pub fn retries(&self) -> impl Iterator<Item = (&str, &Retry)> {
        self.nodes.iter().flat_map(|n| match n {
            Node::Task { name, retry, .. } | Node::Parallel { name, retry, .. } => {
                retry.iter().map(|r| (name.as_str(), r)).collect::<Vec<_>>()
            }
            _ => Vec::new(),
        })
    }
}

/// Whether a duration distribution can only give zero.
fn always_zero(d: &Dist) -> bool {
    match d {
        Dist::Fixed(x) | Dist::Uniform(_, x) | Dist::Exponential(x) | Dist::LogNormal(_, x) => {
            x.is_zero()
        }
        Dist::Empirical(xs) => xs.iter().all(|x| x.is_zero()),
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
    // State names to slots, once: resolving every reference is then logarithmic, not linear (a runbook of
    // 70,000 states took 16 s to validate with a linear search).
    let slots: BTreeMap<&str, usize> = states
        .keys()
        .enumerate()
        .map(|(i, n)| (n.as_str(), base + i))
        .collect();
    let index = |from: &str, name: &str| -> Result<usize, RunbookError> {
        slots
            .get(name)
            .copied()
            .ok_or_else(|| RunbookError::UnknownState {
                runbook: runbook.to_string(),
                from: from.to_string(),
                missing: name.to_string(),
                known: states.keys().cloned().collect(),
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
                timeout,
            } => Node::Task {
                name: name.clone(),
                action: action.clone(),
                next: next_of(&from, next)?,
                retry: retry.clone(),
                catch: catches(&from, catch)?,
                timeout: *timeout,
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
