//! The interpreter against a stand-in world: order, retries with backoff, exhausted retries, references.

use crate::engine::rng::RngStreams;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::{ActionError, Phase, Ticket};
use crate::runbook::{Command, Execution, Outcome, Runbook};
use crate::spec::runbook::{Action, Condition, RunbookConfig};

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
                    self.exec.on_finished(
                        &self.book,
                        ticket,
                        result.map_err(|e: ActionError| (e.code(), e.to_string())),
                        at,
                        &eval,
                        &mut out,
                    );
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

#[test]
fn the_log_says_who_is_paged_who_decides_and_what_a_run_step_does() {
    // `Run.what` is "what it does, for the log", and the people of `Page` and `Decide` are who a student
    // reads about: each task's first step logs a line naming them.
    let mut h = Harness::new(
        r#"(name: "rb", trigger: Onset, start_at: "page", states: {
            "page": Task(action: Page(who: "oncall", ack: Fixed("1m")), next: Some("decide")),
            "decide": Task(action: Decide(who: "lead", delay: Fixed("1m")), next: Some("check")),
            "check": Task(action: Run(what: "smoke-test the shop", duration: Fixed("1m"))),
        })"#,
        0,
    );
    h.run();
    for line in [
        "rb: page: page oncall",
        "rb: decide: lead decides",
        "rb: check: smoke-test the shop",
    ] {
        assert!(h.log.iter().any(|l| l == line), "{line:?} in {:#?}", h.log);
    }
}

#[test]
fn a_choice_names_the_branch_it_takes_and_the_rule_that_held() {
    let mut h = Harness::new(PROMOTE, 0);
    h.run();
    assert!(
        h.log
            .iter()
            .any(|l| l == "failover: region? goes to recover because Region us-west-2 is up"),
        "{:#?}",
        h.log
    );
}

#[test]
fn an_action_error_names_its_region() {
    let mut catalog = crate::model::place::Catalog::default();
    let r = catalog.add_region("us-east-1");
    let e = ActionError::ControlPlaneDown(r);
    assert_eq!(e.describe(&catalog), "control plane of us-east-1 is down");
}

/// A page with a timeout: after `limit` without an acknowledgement the state fails with `States.Timeout`,
/// which the catch sends to the recovery; `ack` is the on-call's (fixed) acknowledgement time.
fn paged_with_timeout(ack: &str, limit: &str) -> Harness {
    let mut h = Harness::new(
        &format!(
            r#"(name: "rb", trigger: Onset, start_at: "confirm", states: {{
                "confirm": Task(action: Page(who: "oncall", ack: Fixed("{ack}")), timeout: Some("{limit}"),
                                catch: [(errors: ["States.Timeout"], next: "recover")], next: Some("recover")),
                "recover": Task(action: Promote(store: "db", region: "us-west-2")),
            }})"#
        ),
        0,
    );
    h.run();
    h
}

#[test]
fn a_task_past_its_timeout_fails_with_states_timeout_and_the_catch_goes_on() {
    // ack 15 min, timeout 5 min: the promotion starts at 5 min and ends at 6 min; the late ack is ignored.
    let h = paged_with_timeout("15m", "5m");
    assert_eq!(h.exec.outcome, Outcome::Succeeded, "{:#?}", h.log);
    let promote = h.exec.spans.iter().find(|s| s.state == "recover").unwrap();
    assert_eq!(promote.start, SimTime::at(SimDuration::from_mins(5)));
    assert_eq!(promote.end, SimTime::at(SimDuration::from_mins(6)));
    assert!(
        h.log
            .iter()
            .any(|l| l == "rb: confirm failed (confirm did not finish within 5m 00s); caught"),
        "{:#?}",
        h.log
    );
    // The wait still counts as decision time, and only one promotion ran.
    assert_eq!(h.exec.spans[0].phase, Phase::Decision);
    assert_eq!(h.exec.spans[0].end, SimTime::at(SimDuration::from_mins(5)));
    assert_eq!(h.log.iter().filter(|l| l.starts_with("start ")).count(), 1);
}

#[test]
fn a_task_within_its_timeout_is_unaffected() {
    // ack 2 min, timeout 5 min: the promotion starts at 2 min; the later timeout wake-up does nothing.
    let h = paged_with_timeout("2m", "5m");
    assert_eq!(h.exec.outcome, Outcome::Succeeded, "{:#?}", h.log);
    let promote = h.exec.spans.iter().find(|s| s.state == "recover").unwrap();
    assert_eq!(promote.start, SimTime::at(SimDuration::from_mins(2)));
    assert!(!h.log.iter().any(|l| l.contains("caught")), "{:#?}", h.log);
}

#[test]
fn an_uncaught_timeout_fails_the_runbook() {
    let mut h = Harness::new(
        r#"(name: "rb", trigger: Onset, start_at: "wait", states: {
            "wait": Task(action: Promote(store: "db", region: "us-west-2"), timeout: Some("30s")),
        })"#,
        0,
    );
    h.run();
    assert_eq!(h.exec.outcome, Outcome::Failed("States.Timeout".into()));
}
