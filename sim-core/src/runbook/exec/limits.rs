//! The limits of one execution: a Task's `timeout` (ASL `TimeoutSeconds`, failing the state with
//! `States.Timeout`) and the per-replication step bound that stops a runaway execution.

use super::{Command, Execution, Span, Waiting};
use crate::engine::time::SimTime;
use crate::runbook::{Node, Runbook};
use crate::spec::limits::MAX_RUNBOOK_STEPS;
use crate::spec::runbook::Condition;

impl Execution {
    /// Stops the whole execution at `node`: it took more than [`MAX_RUNBOOK_STEPS`] steps in one
    /// replication (a loop that waits — `Wait 0s` back to itself, a `Retry` with a huge `max_attempts` —
    /// or a poll far longer than any recovery). The world turns this into an error naming the state.
    pub(super) fn stop_runaway(
        &mut self,
        book: &Runbook,
        node: usize,
        now: SimTime,
        eval: &dyn Fn(&Condition) -> bool,
        out: &mut Vec<Command>,
    ) {
        self.runaway = Some(book.nodes[node].name().unwrap_or("?").to_string());
        for thread in &mut self.threads[1..] {
            thread.live = false;
        }
        self.end_thread(
            book,
            0,
            now,
            Err((
                "States.Runaway".into(),
                format!("more than {MAX_RUNBOOK_STEPS} steps in one replication"),
            )),
            eval,
            out,
        );
    }

    /// Thread `t`'s Task ran past its `timeout`: it fails with `States.Timeout` (ASL), whatever it waited
    /// for is abandoned (a late acknowledgement or action result is ignored; the action itself goes on in
    /// the world). The time waited counts in the action's phase.
    pub(super) fn time_out(
        &mut self,
        book: &Runbook,
        t: usize,
        now: SimTime,
        eval: &dyn Fn(&Condition) -> bool,
        out: &mut Vec<Command>,
    ) {
        let Node::Task {
            name,
            action,
            timeout: Some(limit),
            ..
        } = &book.nodes[self.threads[t].node]
        else {
            return;
        };
        self.spans.push(Span {
            phase: action.phase(),
            start: self.threads[t].started,
            end: now,
            state: name.clone(),
        });
        let cause = format!("{name} did not finish within {}", limit.human());
        self.threads[t].waiting = Waiting::Nothing;
        self.complete(
            book,
            t,
            now,
            Err(("States.Timeout".into(), cause)),
            eval,
            out,
        );
    }
}
