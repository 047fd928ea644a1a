//! Amazon States Language into a drsim runbook: Task, Wait, Choice, Parallel, Succeed and Fail map to
//! their namesakes; Pass and Map have no equivalent and are translated (a Pass is skipped, a Map runs its
//! iterator once as a one-branch Parallel), and the report says so. AWS SDK integrations map to actions;
//! `.waitForTaskToken` is a human approval; a Lambda task is mapped by `--task STATE=ACTION` or becomes a
//! timed step listed in the report; a poll loop (Wait → describe → Choice back to the Wait) is the action
//! waiting for itself, written as one Wait for the poll's granularity.

use std::collections::{BTreeMap, BTreeSet};

use super::doc::{Node, error_at};
use super::ron::{Fields, Item, Ron};
use super::{Report, dist, secs};
use crate::source::{EXTENSIONS, SourceError};

/// How state machine identifiers are matched to scenario resources.
pub trait Resolve {
    /// The scenario resource an identifier, ARN or DNS name names, if it is one of `kinds` (resource kinds
    /// as the format spells them: `Aurora`, `Rds`, `Asg`, …).
    fn resource(&self, id: &str, kinds: &[&str]) -> Option<String>;
    /// The Region an identifier or ARN is in, if known.
    fn region_of(&self, id: &str) -> Option<String>;
    /// The Region the state machine runs in (restores land there).
    fn home_region(&self) -> String;
}

/// A translated state machine.
#[derive(Clone, Debug)]
pub struct Translated {
    /// The first state.
    pub start_at: String,
    /// The states, a RON map.
    pub states: Ron,
    /// What the translation could not say in the format.
    pub report: Report,
}

/// Checks a `--task` action: RON the format reads as a runbook action.
pub fn check_action(state: &str, action: &str) -> Result<(), String> {
    ron::Options::default()
        .with_default_extension(EXTENSIONS)
        .from_str::<sim_core::spec::Action>(action)
        .map(|_| ())
        .map_err(|e| {
            format!(
                "--task {state}={action}: not a runbook action ({e}); e.g. `Promote(store: \"orders-db\", region: \"us-west-2\")` or `Run(what: \"verify\", duration: Fixed(\"2m\"))`"
            )
        })
}

/// Translates an ASL definition (`label` names its file in errors; `name` is the runbook's).
pub fn translate(
    def: &Node,
    label: &str,
    name: &str,
    tasks: &BTreeMap<String, String>,
    resolve: &dyn Resolve,
) -> Result<Translated, SourceError> {
    let mut t = Translator {
        results: Vec::new(),
        label,
        name,
        tasks,
        resolve,
        report: Report::default(),
    };
    let (start_at, states) = t.machine(def, 0)?;
    Ok(Translated {
        start_at,
        states,
        report: t.report,
    })
}

struct Translator<'a> {
    /// Where describe/get tasks put what they read: (ResultPath, resource, its kind).
    results: Vec<(String, String, &'static str)>,
    label: &'a str,
    name: &'a str,
    tasks: &'a BTreeMap<String, String>,
    resolve: &'a dyn Resolve,
    report: Report,
}

/// An SDK call a Task makes: `rds:failoverGlobalCluster`, with `.waitForTaskToken`/`.sync` suffixes.
struct Call {
    service: String,
    api: String,
    token: bool,
    sync: bool,
}

fn call_of(resource: &str) -> Call {
    let (base, token, sync) = {
        let token = resource.contains(".waitForTaskToken");
        let sync = resource.contains(".sync");
        let base = resource
            .split(".waitForTaskToken")
            .next()
            .unwrap_or(resource);
        let base = base.split(".sync").next().unwrap_or(base);
        (base, token, sync)
    };
    if let Some(rest) = base.strip_prefix("arn:aws:states:::") {
        let rest = rest.strip_prefix("aws-sdk:").unwrap_or(rest);
        let mut parts = rest.splitn(2, ':');
        let service = parts.next().unwrap_or("").to_string();
        let api = parts.next().unwrap_or("").to_string();
        return Call {
            service,
            api,
            token,
            sync,
        };
    }
    if base.starts_with("arn:aws:lambda:")
        || base.starts_with("arn:aws-") && base.contains(":lambda:")
    {
        return Call {
            service: "lambda".into(),
            api: "invoke".into(),
            token,
            sync,
        };
    }
    if base.contains(":activity:") {
        return Call {
            service: "activity".into(),
            api: String::new(),
            token: true,
            sync,
        };
    }
    Call {
        service: String::new(),
        api: base.to_string(),
        token,
        sync,
    }
}

/// A parameter of a Task (`Parameters` or `Arguments`), case-insensitively; a `Key.$` path is unknown.
fn param<'n>(state: &'n Node, key: &str) -> Option<&'n Node> {
    let params = state.get("Parameters").or_else(|| state.get("Arguments"))?;
    find_ci(params, key)
}

fn find_ci<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    node.entries()
        .iter()
        .find(|(k, _)| k.text.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn param_text(state: &Node, key: &str) -> Option<String> {
    param(state, key).and_then(|n| n.text().map(str::to_string))
}

/// Whether a parameter is given only as a path into the input (`Key.$`): its value is not in the file.
fn param_dynamic(state: &Node, key: &str) -> bool {
    param(state, &format!("{key}.$")).is_some()
}

#[derive(Clone, Debug)]
struct Loop {
    wait: String,
    interval_s: Option<u64>,
    exit: Option<String>,
    members: BTreeSet<String>,
}

impl Translator<'_> {
    fn err(&self, node: &Node, message: impl Into<String>) -> SourceError {
        error_at(self.label, node.pos, message)
    }

    fn text<'n>(
        &self,
        state: &'n Node,
        key: &str,
        sname: &str,
    ) -> Result<Option<&'n str>, SourceError> {
        match state.get(key) {
            None => Ok(None),
            Some(n) => n
                .text()
                .map(Some)
                .ok_or_else(|| self.err(n, format!("state {sname:?}: `{key}` must be a string"))),
        }
    }

    /// One (sub-)machine: `StartAt` and `States`.
    fn machine(&mut self, def: &Node, depth: usize) -> Result<(String, Ron), SourceError> {
        if depth > 32 {
            return Err(self.err(def, "state machines nested more than 32 deep"));
        }
        if !def.is_map() {
            return Err(self.err(
                def,
                "a state machine is an object with `StartAt` and `States`",
            ));
        }
        let start = def
            .get("StartAt")
            .ok_or_else(|| self.err(def, "a state machine needs `StartAt`"))?;
        let start_at = start
            .text()
            .ok_or_else(|| self.err(start, "`StartAt` must be a state's name"))?
            .to_string();
        let states = def
            .get("States")
            .ok_or_else(|| self.err(def, "a state machine needs `States`"))?;
        if !states.is_map() || states.entries().is_empty() {
            return Err(self.err(states, "`States` must be an object of states"));
        }
        let by_name: BTreeMap<&str, &Node> = states
            .entries()
            .iter()
            .map(|(k, v)| (k.text.as_str(), v))
            .collect();
        for (k, v) in states.entries() {
            if !v.is_map() {
                return Err(self.err(v, format!("state {:?} must be an object", k.text)));
            }
            let ty = v
                .get("Type")
                .ok_or_else(|| self.err(v, format!("state {:?} needs a `Type`", k.text)))?;
            let ty = ty
                .text()
                .ok_or_else(|| self.err(ty, "`Type` must be a string"))?;
            if !matches!(
                ty,
                "Task" | "Pass" | "Wait" | "Choice" | "Parallel" | "Map" | "Succeed" | "Fail"
            ) {
                return Err(self.err(
                    v.get("Type").unwrap_or(v),
                    format!("state {:?}: unknown Type {ty:?} (Task, Pass, Wait, Choice, Parallel, Map, Succeed or Fail)", k.text),
                ));
            }
            for target in targets(v) {
                if !by_name.contains_key(target.0.as_str()) {
                    return Err(self.err(
                        target.1,
                        format!(
                            "state {:?}: `{}` names no state {:?}",
                            k.text, target.2, target.0
                        ),
                    ));
                }
            }
        }
        if !by_name.contains_key(start_at.as_str()) {
            return Err(self.err(start, format!("`StartAt` names no state {start_at:?}")));
        }
        // What reading tasks put where, for Choice rules on world state.
        for (_, v) in states.entries() {
            let Some(resource) = v.get("Resource").and_then(Node::text) else {
                continue;
            };
            let call = call_of(resource);
            let path = v
                .get("ResultPath")
                .and_then(Node::text)
                .unwrap_or("$")
                .to_string();
            let found = match (call.service.as_str(), call.api.as_str()) {
                ("route53", "getHealthCheckStatus" | "getHealthCheck") => {
                    param_text(v, "HealthCheckId")
                        .and_then(|id| self.resolve.resource(&id, &["HealthCheck"]))
                        .map(|r| (r, "hc"))
                }
                ("rds" | "dynamodb", api) if api.starts_with("describe") => [
                    "GlobalClusterIdentifier",
                    "DBClusterIdentifier",
                    "DbClusterIdentifier",
                    "DBInstanceIdentifier",
                    "DbInstanceIdentifier",
                    "TableName",
                ]
                .iter()
                .find_map(|k| param_text(v, k))
                .and_then(|id| self.resolve.resource(&id, &["Aurora", "Rds", "DynamoDb"]))
                .map(|r| (r, "store")),
                _ => None,
            };
            if let Some((r, kind)) = found {
                self.results.push((path, r, kind));
            }
        }
        // Pass states are skipped: a reference to one goes where it goes.
        let mut redirect: BTreeMap<String, Option<String>> = BTreeMap::new();
        for (k, v) in states.entries() {
            if v.get("Type").and_then(Node::text) == Some("Pass") {
                let next = v.get("Next").and_then(Node::text).map(str::to_string);
                self.report.translated.push(format!(
                    "{}:{} runbook {}, Pass state {:?}: no effect on the world; {}",
                    self.label,
                    v.pos.line,
                    self.name,
                    k.text,
                    match &next {
                        Some(n) => format!("skipped (its references go to {n:?})"),
                        None => "it ends the branch, written as Succeed".to_string(),
                    }
                ));
                redirect.insert(k.text.clone(), next);
            }
        }
        // Poll loops.
        let loops = self.poll_loops(&by_name);
        let mut removed: BTreeMap<String, String> = BTreeMap::new();
        for l in &loops {
            for m in &l.members {
                if *m != l.wait {
                    removed.insert(m.clone(), l.wait.clone());
                }
            }
        }
        let follow = |name: &str| -> String {
            let mut at = name.to_string();
            for _ in 0..=by_name.len() {
                if let Some(w) = removed.get(&at) {
                    at = w.clone();
                    continue;
                }
                match redirect.get(&at) {
                    Some(Some(next)) if *next != at => at = next.clone(),
                    _ => break,
                }
            }
            at
        };
        let mut out: Vec<(String, Item)> = Vec::new();
        for (k, v) in states.entries() {
            let sname = k.text.as_str();
            if removed.contains_key(sname) {
                continue;
            }
            if matches!(redirect.get(sname), Some(Some(_))) {
                continue;
            }
            let state = if let Some(l) = loops.iter().find(|l| l.wait == sname) {
                self.loop_wait(v, l, &follow)
            } else {
                let waits_in_loop = loops.iter().any(|l| {
                    v.get("Next")
                        .and_then(Node::text)
                        .is_some_and(|n| l.members.contains(n))
                });
                self.state(sname, v, &follow, waits_in_loop, depth)?
            };
            out.push((k.text.clone(), state));
        }
        Ok((follow(&start_at), Ron::Map(out)))
    }

    /// Finds Wait → describe/get Task → Choice cycles.
    fn poll_loops(&mut self, by_name: &BTreeMap<&str, &Node>) -> Vec<Loop> {
        let mut loops = Vec::new();
        for (&cname, &c) in by_name {
            if c.get("Type").and_then(Node::text) != Some("Choice") {
                continue;
            }
            let mut exits: Vec<String> = Vec::new();
            let mut found: Option<Loop> = None;
            for (target, _, _) in targets(c) {
                // Follow up to three Next steps through Waits and reading Tasks back to the Choice.
                let mut members = BTreeSet::from([cname.to_string()]);
                let mut at = target.clone();
                let mut wait = None;
                let mut reads = 0;
                let mut back = false;
                for _ in 0..3 {
                    let Some(&s) = by_name.get(at.as_str()) else {
                        break;
                    };
                    match s.get("Type").and_then(Node::text) {
                        Some("Wait") => {
                            wait = Some((at.clone(), s.get("Seconds").and_then(Node::as_u64)));
                        }
                        Some("Task") if reads_only(s) => reads += 1,
                        _ => break,
                    }
                    members.insert(at.clone());
                    match s.get("Next").and_then(Node::text) {
                        Some(n) if n == cname => {
                            back = true;
                            break;
                        }
                        Some(n) => at = n.to_string(),
                        None => break,
                    }
                }
                match (back, wait) {
                    (true, Some((w, interval))) if reads > 0 && found.is_none() => {
                        found = Some(Loop {
                            wait: w,
                            interval_s: interval,
                            exit: None,
                            members,
                        });
                    }
                    _ => exits.push(target),
                }
            }
            if let Some(mut l) = found {
                exits.retain(|e| !l.members.contains(e));
                let fail = |e: &String| {
                    by_name
                        .get(e.as_str())
                        .and_then(|s| s.get("Type"))
                        .and_then(Node::text)
                        == Some("Fail")
                };
                l.exit = exits.iter().find(|e| !fail(e)).cloned();
                self.report.translated.push(format!(
                    "{}:{} runbook {}: the poll loop {} is the task before it waiting for its action; written as one Wait of Uniform(0, {}) for the poll's granularity{}",
                    self.label,
                    c.pos.line,
                    self.name,
                    l.members.iter().cloned().collect::<Vec<_>>().join(" → "),
                    secs(l.interval_s.unwrap_or(30)),
                    if exits.iter().any(fail) {
                        "; its failure exit is dropped (in drsim the action itself fails, and Retry/Catch see it)"
                    } else {
                        ""
                    }
                ));
                loops.push(l);
            }
        }
        loops
    }

    fn loop_wait(&mut self, v: &Node, l: &Loop, follow: &dyn Fn(&str) -> String) -> Item {
        let interval = l.interval_s.unwrap_or(30).max(1);
        let mut comment = vec![format!(
            "{}:{}: the poll loop ({}) waits for the action before it; this Wait is the time to the next poll",
            self.label,
            v.pos.line,
            l.members.iter().cloned().collect::<Vec<_>>().join(", ")
        )];
        if l.interval_s.is_none() {
            comment.push(
                "assumption: a 30 s poll (the Wait's seconds come from the input)".to_string(),
            );
        }
        let f = Fields::new().set("duration", dist("Uniform", &["0s", &secs(interval)]));
        let f = f.maybe("next", l.exit.as_deref().map(|n| Ron::s(follow(n))));
        Item {
            value: f.variant("Wait"),
            comment,
        }
    }

    fn state(
        &mut self,
        sname: &str,
        v: &Node,
        follow: &dyn Fn(&str) -> String,
        waits_in_loop: bool,
        depth: usize,
    ) -> Result<Item, SourceError> {
        let ty = v.get("Type").and_then(Node::text).unwrap_or("");
        let next = self.text(v, "Next", sname)?.map(|n| Ron::s(follow(n)));
        let mut comment = Vec::new();
        let value = match ty {
            "Task" => {
                let (action, notes) = self.task(sname, v, waits_in_loop)?;
                comment.extend(notes);
                let mut f = Fields::new().set("action", action).maybe("next", next);
                let retry = self.retries(sname, v)?;
                if !retry.is_empty() {
                    f = f.set("retry", Ron::list(retry));
                }
                let catch = self.catches(sname, v, follow)?;
                if !catch.is_empty() {
                    f = f.set("catch", Ron::list(catch));
                }
                if let Some(t) = v.get("TimeoutSeconds") {
                    let t = t.as_u64().filter(|&t| t > 0).ok_or_else(|| {
                        self.err(
                            t,
                            format!(
                                "state {sname:?}: `TimeoutSeconds` must be a positive whole number"
                            ),
                        )
                    })?;
                    f = f.set("timeout", Ron::s(secs(t)));
                }
                for key in ["HeartbeatSeconds", "TimeoutSecondsPath"] {
                    if v.get(key).is_some() {
                        self.report.not_understood.push(format!(
                            "{}:{} runbook {}, state {sname:?}: {key} is not modelled (a drsim action ends when it is done)",
                            self.label, v.pos.line, self.name
                        ));
                    }
                }
                f.variant("Task")
            }
            "Wait" => {
                let duration = if let Some(s) = v.get("Seconds") {
                    let s = s.as_u64().ok_or_else(|| {
                        self.err(
                            s,
                            format!("state {sname:?}: `Seconds` must be a whole number"),
                        )
                    })?;
                    Ron::call("Fixed", &[&secs(s)])
                } else {
                    let how = ["SecondsPath", "Timestamp", "TimestampPath"]
                        .into_iter()
                        .find(|k| v.get(k).is_some())
                        .ok_or_else(|| self.err(v, format!("state {sname:?}: a Wait needs Seconds, SecondsPath, Timestamp or TimestampPath")))?;
                    self.report.translated.push(format!(
                        "{}:{} runbook {}, Wait {sname:?}: `{how}` is not known before the run (drsim's clock has no dates); written as a 1-minute wait",
                        self.label, v.pos.line, self.name
                    ));
                    comment.push(format!("assumption: one minute (the ASL waits by `{how}`)"));
                    Ron::call("Fixed", &["1m"])
                };
                Fields::new()
                    .set("duration", duration)
                    .maybe("next", next)
                    .variant("Wait")
            }
            "Choice" => self.choice(sname, v, follow, &mut comment)?,
            "Parallel" => {
                let branches = v
                    .get("Branches")
                    .filter(|b| !b.items().is_empty())
                    .ok_or_else(|| {
                        self.err(v, format!("state {sname:?}: a Parallel needs `Branches`"))
                    })?;
                let mut out = Vec::new();
                for b in branches.items() {
                    let (start, states) = self.machine(b, depth + 1)?;
                    out.push(
                        Fields::new()
                            .set("start_at", Ron::s(start))
                            .set("states", states)
                            .tuple(),
                    );
                }
                let mut f = Fields::new()
                    .set("branches", Ron::list(out))
                    .maybe("next", next);
                let retry = self.retries(sname, v)?;
                if !retry.is_empty() {
                    f = f.set("retry", Ron::list(retry));
                }
                let catch = self.catches(sname, v, follow)?;
                if !catch.is_empty() {
                    f = f.set("catch", Ron::list(catch));
                }
                f.variant("Parallel")
            }
            "Map" => {
                let inner = v
                    .get("ItemProcessor")
                    .or_else(|| v.get("Iterator"))
                    .ok_or_else(|| {
                        self.err(
                            v,
                            format!("state {sname:?}: a Map needs `ItemProcessor` (or `Iterator`)"),
                        )
                    })?;
                let (start, states) = self.machine(inner, depth + 1)?;
                self.report.translated.push(format!(
                    "{}:{} runbook {}, Map {sname:?}: the items are not known before the run; its iterator runs once, as a Parallel with one branch",
                    self.label, v.pos.line, self.name
                ));
                comment.push(
                    "a Map: its iterator, run once (the items are not known before the run)"
                        .to_string(),
                );
                let branch = Fields::new()
                    .set("start_at", Ron::s(start))
                    .set("states", states)
                    .tuple();
                let mut f = Fields::new()
                    .set("branches", Ron::list(vec![branch]))
                    .maybe("next", next);
                let retry = self.retries(sname, v)?;
                if !retry.is_empty() {
                    f = f.set("retry", Ron::list(retry));
                }
                let catch = self.catches(sname, v, follow)?;
                if !catch.is_empty() {
                    f = f.set("catch", Ron::list(catch));
                }
                f.variant("Parallel")
            }
            "Succeed" | "Pass" => Ron::ident("Succeed"),
            "Fail" => {
                let error = self.text(v, "Error", sname)?.unwrap_or("States.Fail");
                let cause = self.text(v, "Cause", sname)?.unwrap_or("");
                Fields::new()
                    .set("error", Ron::s(error))
                    .set("cause", Ron::s(cause))
                    .variant("Fail")
            }
            _ => return Err(self.err(v, format!("state {sname:?}: unknown Type"))),
        };
        comment.insert(0, format!("{}:{} {sname} ({ty})", self.label, v.pos.line));
        Ok(Item { value, comment })
    }

    /// A Task's action and the comments it needs.
    fn task(
        &mut self,
        sname: &str,
        v: &Node,
        waits_in_loop: bool,
    ) -> Result<(Ron, Vec<String>), SourceError> {
        if let Some(action) = self.tasks.get(sname) {
            return Ok((
                Ron::Ident(action.clone()),
                vec!["mapped by --task".to_string()],
            ));
        }
        let resource = self
            .text(v, "Resource", sname)?
            .ok_or_else(|| self.err(v, format!("state {sname:?}: a Task needs `Resource`")))?;
        let call = call_of(resource);
        let line = v.pos.line;
        let here = format!(
            "{}:{line} runbook {}, state {sname:?}",
            self.label, self.name
        );
        let mut notes = Vec::new();
        let timed = |what: String, d: Ron, why: &str, notes: &mut Vec<String>| {
            notes.push(format!("assumption: {why}"));
            Fields::new()
                .set("what", Ron::s(what))
                .set("duration", d)
                .variant("Run")
        };
        if call.token {
            self.report.assumptions.push(format!(
                "{here}: `.waitForTaskToken` is a human approval, LogNormal(15m, 1h)"
            ));
            notes.push("a `.waitForTaskToken` step: a person approves".to_string());
            notes.push("assumption: approval takes LogNormal(15m, 1h)".to_string());
            return Ok((
                Fields::new()
                    .set("who", Ron::s("approver"))
                    .set("delay", dist("LogNormal", &["15m", "1h"]))
                    .variant("Decide"),
                notes,
            ));
        }
        let api = call.api.as_str();
        let id = |keys: &[&str]| -> Option<String> { keys.iter().find_map(|k| param_text(v, k)) };
        let dynamic = |keys: &[&str]| keys.iter().any(|k| param_dynamic(v, k));
        let unresolved = |me: &mut Self,
                          what: &str,
                          id: Option<String>,
                          dynamic: bool,
                          notes: &mut Vec<String>|
         -> Ron {
            let why = if dynamic {
                "its identifier comes from the execution's input".to_string()
            } else {
                match &id {
                    Some(id) => format!("{id:?} is not a resource of the scenario"),
                    None => "it names no resource".to_string(),
                }
            };
            me.report.not_understood.push(format!(
                "{here}: {}:{} — {why}; written as a timed step (map it with --task {sname}=ACTION)",
                call.service, call.api
            ));
            timed(
                format!("{what} ({}:{})", call.service, call.api),
                dist("LogNormal", &["1m", "5m"]),
                "an unmapped call takes LogNormal(1m, 5m)",
                notes,
            )
        };
        let action = match (call.service.as_str(), api) {
            ("rds", "failoverGlobalCluster" | "switchoverGlobalCluster") => {
                let keys = ["GlobalClusterIdentifier"];
                let store = id(&keys).and_then(|g| self.resolve.resource(&g, &["Aurora"]));
                let region = id(&["TargetDbClusterIdentifier", "TargetDBClusterIdentifier"])
                    .and_then(|t| self.resolve.region_of(&t));
                let switchover = api == "switchoverGlobalCluster"
                    || param(v, "Switchover").and_then(Node::as_bool) == Some(true);
                match (store, region) {
                    (Some(store), Some(region)) => Fields::new()
                        .set("store", Ron::s(store))
                        .set("region", Ron::s(region))
                        .variant(if switchover {
                            "SwitchoverGlobal"
                        } else {
                            "FailoverGlobal"
                        }),
                    (store, _) => {
                        let missing = if store.is_some() {
                            id(&["TargetDbClusterIdentifier"])
                        } else {
                            id(&keys)
                        };
                        unresolved(
                            self,
                            "fail over the global cluster",
                            missing,
                            dynamic(&["GlobalClusterIdentifier", "TargetDbClusterIdentifier"]),
                            &mut notes,
                        )
                    }
                }
            }
            (
                "rds",
                "promoteReadReplica" | "promoteReadReplicaDBCluster" | "removeFromGlobalCluster",
            ) => {
                let keys = [
                    "DbInstanceIdentifier",
                    "DBInstanceIdentifier",
                    "DbClusterIdentifier",
                    "DBClusterIdentifier",
                ];
                let who = id(&keys);
                let store = who
                    .as_ref()
                    .and_then(|r| self.resolve.resource(r, &["Rds", "Aurora"]))
                    .or_else(|| {
                        id(&["GlobalClusterIdentifier"])
                            .and_then(|g| self.resolve.resource(&g, &["Aurora"]))
                    });
                let region = who.as_ref().and_then(|r| self.resolve.region_of(r));
                match (store, region) {
                    (Some(store), Some(region)) => Fields::new()
                        .set("store", Ron::s(store))
                        .set("region", Ron::s(region))
                        .variant("Promote"),
                    _ => unresolved(self, "promote the replica", who, dynamic(&keys), &mut notes),
                }
            }
            ("rds", "failoverDBCluster" | "rebootDBInstance" | "rebootDBCluster") => {
                let keys = [
                    "DbClusterIdentifier",
                    "DBClusterIdentifier",
                    "DbInstanceIdentifier",
                    "DBInstanceIdentifier",
                ];
                let who = id(&keys);
                match who
                    .as_ref()
                    .and_then(|r| self.resolve.resource(r, &["Rds", "Aurora"]))
                {
                    Some(store) => Fields::new()
                        .set("store", Ron::s(store))
                        .variant("ForceFailover"),
                    None => unresolved(
                        self,
                        "fail over the database",
                        who,
                        dynamic(&keys),
                        &mut notes,
                    ),
                }
            }
            ("rds", "restoreDBInstanceToPointInTime" | "restoreDBClusterToPointInTime") => {
                let keys = [
                    "SourceDBInstanceIdentifier",
                    "SourceDbInstanceIdentifier",
                    "SourceDBClusterIdentifier",
                    "SourceDbClusterIdentifier",
                    "SourceDBInstanceAutomatedBackupsArn",
                ];
                let who = id(&keys);
                match who
                    .as_ref()
                    .and_then(|r| self.resolve.resource(r, &["Rds", "Aurora"]))
                {
                    Some(store) => {
                        let latest = param(v, "UseLatestRestorableTime").and_then(Node::as_bool)
                            == Some(true);
                        if !latest {
                            notes.push(
                                "a chosen RestoreTime: written as just before the corruption"
                                    .to_string(),
                            );
                        }
                        Fields::new()
                            .set("store", Ron::s(store))
                            .set("region", Ron::s(self.resolve.home_region()))
                            .set(
                                "point",
                                Ron::ident(if latest { "Latest" } else { "BeforeCorruption" }),
                            )
                            .variant("RestoreToPoint")
                    }
                    None => unresolved(
                        self,
                        "restore to a point in time",
                        who,
                        dynamic(&keys),
                        &mut notes,
                    ),
                }
            }
            ("rds", "restoreDBInstanceFromDBSnapshot" | "restoreDBClusterFromSnapshot")
            | ("backup", "startRestoreJob") => {
                let who = self.any_store(v);
                match who {
                    Some(store) => Fields::new()
                        .set("store", Ron::s(store))
                        .set("region", Ron::s(self.resolve.home_region()))
                        .variant("RestoreSnapshot"),
                    None => unresolved(self, "restore from a backup", None, false, &mut notes),
                }
            }
            ("rds", "copyDBSnapshot" | "copyDBClusterSnapshot") | ("backup", "startCopyJob") => {
                let region = id(&["DestinationBackupVaultArn", "DestinationRegion"])
                    .and_then(|d| {
                        self.resolve
                            .region_of(&d)
                            .or(Some(d).filter(|d| !d.contains(':')))
                    })
                    .unwrap_or_else(|| self.resolve.home_region());
                match self.any_store(v) {
                    Some(store) => Fields::new()
                        .set("store", Ron::s(store))
                        .set("region", Ron::s(region))
                        .variant("CopyBackup"),
                    None => unresolved(self, "copy a backup", None, false, &mut notes),
                }
            }
            ("route53", "changeResourceRecordSets") => {
                let set = param(v, "ChangeBatch")
                    .and_then(|b| find_ci(b, "Changes"))
                    .and_then(|c| c.items().first())
                    .and_then(|c| find_ci(c, "ResourceRecordSet"));
                let record = set
                    .and_then(|s| find_ci(s, "Name"))
                    .and_then(Node::text)
                    .map(str::to_string);
                let target = set.and_then(|s| {
                    find_ci(s, "AliasTarget")
                        .and_then(|a| find_ci(a, "DNSName"))
                        .or_else(|| {
                            find_ci(s, "ResourceRecords")
                                .and_then(|r| r.items().first())
                                .and_then(|r| find_ci(r, "Value"))
                        })
                        .and_then(Node::text)
                        .map(str::to_string)
                });
                let r = record
                    .as_ref()
                    .and_then(|r| self.resolve.resource(r, &["Record"]));
                let t = target.as_ref().and_then(|t| {
                    self.resolve
                        .resource(t, &["Alb", "CloudFront", "Lambda", "Ec2", "Asg", "S3"])
                });
                match (r, t) {
                    (Some(r), Some(t)) => Fields::new()
                        .set("record", Ron::s(r))
                        .set("target", Ron::s(t))
                        .variant("UpdateDns"),
                    (r, _) => unresolved(
                        self,
                        "change the DNS record",
                        if r.is_none() { record } else { target },
                        false,
                        &mut notes,
                    ),
                }
            }
            ("autoscaling", "setDesiredCapacity" | "updateAutoScalingGroup") => {
                let who = id(&["AutoScalingGroupName"]);
                let desired = param(v, "DesiredCapacity")
                    .or_else(|| param(v, "MinSize"))
                    .and_then(Node::as_u64);
                match (
                    who.as_ref()
                        .and_then(|g| self.resolve.resource(g, &["Asg"])),
                    desired,
                ) {
                    (Some(group), Some(d)) => {
                        if waits_in_loop {
                            notes.push(
                                "wait: true — the poll loop after it waits for the instances"
                                    .to_string(),
                            );
                        }
                        Fields::new()
                            .set("group", Ron::s(group))
                            .set("desired", Ron::int(d.min(u64::from(u32::MAX))))
                            .set("wait", Ron::Bool(waits_in_loop))
                            .variant("SetCapacity")
                    }
                    _ => unresolved(
                        self,
                        "set the group's capacity",
                        who,
                        dynamic(&["AutoScalingGroupName", "DesiredCapacity"]),
                        &mut notes,
                    ),
                }
            }
            ("cloudformation", "createStack" | "updateStack") => {
                let who = id(&["StackName"]);
                match who
                    .as_ref()
                    .and_then(|s| self.resolve.resource(s, &["Stack"]))
                {
                    Some(stack) => Fields::new()
                        .set("stack", Ron::s(stack))
                        .variant("CreateStack"),
                    None => {
                        self.report.not_understood.push(format!(
                            "{here}: cloudformation:{api} of {:?}: the scenario has no Stack resource of that name; written as a timed step (a stack's resources should be a `Stack` for the step to create them)",
                            who.clone().unwrap_or_default()
                        ));
                        timed(
                            format!("create stack {}", who.unwrap_or_default()),
                            dist("LogNormal", &["5m", "10m"]),
                            "a stack takes LogNormal(5m, 10m) (C26, a web stack)",
                            &mut notes,
                        )
                    }
                }
            }
            ("lambda", _) => {
                let function = id(&["FunctionName"]).unwrap_or_else(|| resource.to_string());
                self.report.not_understood.push(format!(
                    "{here}: Lambda {function:?} — what it does is in its code; written as a timed step (map it with --task {sname}=ACTION)"
                ));
                timed(
                    format!("Lambda {}", super::infra::arn_tail(&function)),
                    dist("LogNormal", &["10s", "1m"]),
                    "the function runs LogNormal(10s, 1m)",
                    &mut notes,
                )
            }
            (_, _) if call.sync => {
                self.report.not_understood.push(format!(
                    "{here}: {}:{} runs a job to completion (.sync); written as a timed step",
                    call.service, call.api
                ));
                timed(
                    format!("{}:{} (to completion)", call.service, call.api),
                    dist("LogNormal", &["5m", "30m"]),
                    "the job takes LogNormal(5m, 30m)",
                    &mut notes,
                )
            }
            ("sns", "publish") | ("sqs", "sendMessage") | ("events", "putEvents") => timed(
                format!("notify ({}:{})", call.service, call.api),
                Ron::call("Fixed", &["1s"]),
                "a notification takes a second and waits for nobody",
                &mut notes,
            ),
            _ if reads_only(v) => timed(
                format!("read {}:{}", call.service, call.api),
                Ron::call("Fixed", &["1s"]),
                "a read-only call takes a second",
                &mut notes,
            ),
            _ => {
                self.report.not_understood.push(format!(
                    "{here}: {resource:?} has no drsim action; written as a timed step (map it with --task {sname}=ACTION)"
                ));
                timed(
                    format!("{}:{}", call.service, call.api),
                    dist("LogNormal", &["10s", "1m"]),
                    "an unmapped call takes LogNormal(10s, 1m)",
                    &mut notes,
                )
            }
        };
        Ok((action, notes))
    }

    /// The store a restore or copy names in any of its string parameters (identifiers, ARNs, metadata).
    fn any_store(&self, v: &Node) -> Option<String> {
        let params = v.get("Parameters").or_else(|| v.get("Arguments"))?;
        let mut stack = vec![params];
        let mut n = 0;
        while let Some(node) = stack.pop() {
            n += 1;
            if n > 1000 {
                break;
            }
            if let Some(t) = node.text()
                && let Some(s) = self
                    .resolve
                    .resource(t, &["Rds", "Aurora", "DynamoDb", "S3"])
            {
                return Some(s);
            }
            stack.extend(node.entries().iter().map(|(_, v)| v));
            stack.extend(node.items());
        }
        None
    }

    fn errors(&mut self, sname: &str, v: &Node, list: Option<&Node>) -> Vec<String> {
        let mut out = Vec::new();
        let names: Vec<&str> = list.map_or(vec!["States.ALL"], |l| {
            l.items().iter().filter_map(Node::text).collect()
        });
        for e in names {
            let mapped = match e {
                "States.ALL" | "States.TaskFailed" => Some("States.ALL"),
                "States.Timeout" => Some("States.Timeout"),
                "States.HeartbeatTimeout" => None,
                _ if e.contains("Throttl")
                    || e.contains("ServiceUnavailable")
                    || e.contains("ServiceException")
                    || e.contains("InternalServerError")
                    || e.contains("InternalFailure") =>
                {
                    Some("ControlPlaneDown")
                }
                _ if e.contains("State") || e.contains("NotFound") => Some("NotApplicable"),
                _ => None,
            };
            match mapped {
                Some(m) => {
                    if m != e {
                        self.report.translated.push(format!(
                            "{}:{} runbook {}, state {sname:?}: error {e:?} matched as drsim's {m}",
                            self.label, v.pos.line, self.name
                        ));
                    }
                    if !out.iter().any(|o: &String| o == m) {
                        out.push(m.to_string());
                    }
                }
                None => self.report.not_understood.push(format!(
                    "{}:{} runbook {}, state {sname:?}: error {e:?} never happens in drsim (its errors: ControlPlaneDown, TargetDown, NotApplicable, Unsupported, States.Timeout); dropped from the rule",
                    self.label, v.pos.line, self.name
                )),
            }
        }
        out
    }

    fn retries(&mut self, sname: &str, v: &Node) -> Result<Vec<Ron>, SourceError> {
        let mut out = Vec::new();
        for r in v.get("Retry").map(Node::items).unwrap_or_default() {
            let errors = self.errors(sname, r, r.get("ErrorEquals"));
            if errors.is_empty() {
                continue;
            }
            let mut f = Fields::new().set("errors", Ron::strs(&errors));
            if let Some(i) = r.get("IntervalSeconds") {
                let i = i
                    .as_u64()
                    .ok_or_else(|| self.err(i, "`IntervalSeconds` must be a whole number"))?;
                f = f.set("interval", Ron::s(secs(i.max(1))));
            }
            if let Some(m) = r.get("MaxAttempts") {
                let m = m
                    .as_u64()
                    .ok_or_else(|| self.err(m, "`MaxAttempts` must be a whole number"))?;
                if m == 0 {
                    continue;
                }
                f = f.set(
                    "max_attempts",
                    Ron::int(m.min(u64::from(sim_core::spec::limits::MAX_RETRY_ATTEMPTS))),
                );
            }
            if let Some(b) = r.get("BackoffRate") {
                let b = b
                    .as_f64()
                    .ok_or_else(|| self.err(b, "`BackoffRate` must be a number"))?;
                f = f.set("backoff_rate", Ron::float(b.max(1.0)));
            }
            for key in ["MaxDelaySeconds", "JitterStrategy"] {
                if r.get(key).is_some() {
                    self.report.not_understood.push(format!(
                        "{}:{} runbook {}, state {sname:?}: Retry's {key} is not modelled",
                        self.label, r.pos.line, self.name
                    ));
                }
            }
            out.push(f.tuple());
        }
        Ok(out)
    }

    fn catches(
        &mut self,
        sname: &str,
        v: &Node,
        follow: &dyn Fn(&str) -> String,
    ) -> Result<Vec<Ron>, SourceError> {
        let mut out = Vec::new();
        for c in v.get("Catch").map(Node::items).unwrap_or_default() {
            let errors = self.errors(sname, c, c.get("ErrorEquals"));
            let next = c
                .get("Next")
                .and_then(Node::text)
                .ok_or_else(|| self.err(c, format!("state {sname:?}: a Catch needs `Next`")))?;
            if errors.is_empty() {
                continue;
            }
            out.push(
                Fields::new()
                    .set("errors", Ron::strs(&errors))
                    .set("next", Ron::s(follow(next)))
                    .tuple(),
            );
        }
        Ok(out)
    }

    fn choice(
        &mut self,
        sname: &str,
        v: &Node,
        follow: &dyn Fn(&str) -> String,
        comment: &mut Vec<String>,
    ) -> Result<Ron, SourceError> {
        let rules = v
            .get("Choices")
            .filter(|c| !c.items().is_empty())
            .ok_or_else(|| self.err(v, format!("state {sname:?}: a Choice needs `Choices`")))?;
        let mut out = Vec::new();
        let mut first_next = None;
        for rule in rules.items() {
            let next = rule.get("Next").and_then(Node::text).ok_or_else(|| {
                self.err(rule, format!("state {sname:?}: a Choice rule needs `Next`"))
            })?;
            first_next.get_or_insert(next.to_string());
            match self.condition(rule, 0)? {
                Some(cond) => out.push(
                    Fields::new()
                        .set("when", cond)
                        .set("next", Ron::s(follow(next)))
                        .tuple(),
                ),
                None => self.report.not_understood.push(format!(
                    "{}:{} runbook {}, Choice {sname:?}: this rule reads the execution's data, which drsim does not have; dropped",
                    self.label, rule.pos.line, self.name
                )),
            }
        }
        let default = v.get("Default").and_then(Node::text).map(follow);
        if out.is_empty() {
            // No rule maps to world state: the branch the first rule takes (the action path) is kept.
            let next = follow(first_next.as_deref().unwrap_or(""));
            self.report.translated.push(format!(
                "{}:{} runbook {}, Choice {sname:?}: no rule can be evaluated on the world; it always goes to {next:?} (its first rule's branch)",
                self.label, v.pos.line, self.name
            ));
            comment.push(format!("assumption: always {next:?}, the first rule's branch (the rules read the execution's data)"));
            // Both ways lead there: the format's Choice needs a rule, and this one reads only the home Region.
            let rule = Fields::new()
                .set(
                    "when",
                    Ron::call("RegionUp", &[&self.resolve.home_region()]),
                )
                .set("next", Ron::s(&next))
                .tuple();
            return Ok(Fields::new()
                .set("choices", Ron::list(vec![rule]))
                .set("default", Ron::s(next))
                .variant("Choice"));
        }
        Ok(Fields::new()
            .set("choices", Ron::list(out))
            .maybe("default", default.map(Ron::s))
            .variant("Choice"))
    }

    /// An ASL condition as a drsim condition when it reads world state drsim has (a health check's
    /// status, a replica's lag); `None` otherwise. Every operator is parsed.
    fn condition(&mut self, rule: &Node, depth: usize) -> Result<Option<Ron>, SourceError> {
        if depth > 32 {
            return Err(self.err(rule, "conditions nested more than 32 deep"));
        }
        if let Some(list) = rule.get("And").or_else(|| rule.get("Or")) {
            let op = if rule.get("And").is_some() {
                "And"
            } else {
                "Or"
            };
            let mut parts = Vec::new();
            for c in list.items() {
                match self.condition(c, depth + 1)? {
                    Some(p) => parts.push(p),
                    None => return Ok(None),
                }
            }
            return Ok(Some(Ron::Call(op.into(), vec![Ron::list(parts)])));
        }
        if let Some(inner) = rule.get("Not") {
            return Ok(self
                .condition(inner, depth + 1)?
                .map(|c| Ron::Call("Not".into(), vec![c])));
        }
        if let Some(jsonata) = rule.get("Condition") {
            let _ = jsonata;
            return Ok(None);
        }
        let variable = rule.get("Variable").and_then(Node::text).ok_or_else(|| {
            self.err(
                rule,
                "a Choice rule needs `Variable` (or And, Or, Not, Condition)",
            )
        })?;
        let op = rule
            .entries()
            .iter()
            .find(|(k, _)| OPERATORS.contains(&k.text.as_str()))
            .ok_or_else(|| {
                self.err(
                    rule,
                    format!(
                        "a Choice rule needs a comparison operator ({} …)",
                        OPERATORS[..6].join(", ")
                    ),
                )
            })?;
        let (opname, value) = (op.0.text.as_str(), &op.1);
        // Health checks: a variable from a Route 53 health check status read.
        if (variable.contains("HealthCheck")
            || variable.contains("Healthy")
            || variable.contains("Status"))
            && let Some(hc) = self.health_check_in(variable)
        {
            let good = value.text().is_some_and(|t| {
                t.starts_with("Success") || t.eq_ignore_ascii_case("healthy") || t == "true"
            });
            let cond = Ron::call("Healthy", &[&hc]);
            return Ok(Some(if good {
                cond
            } else {
                Ron::Call("Not".into(), vec![cond])
            }));
        }
        if variable.to_ascii_lowercase().contains("lag") {
            let cmp = match opname {
                "NumericLessThan" => Some("Lt"),
                "NumericLessThanEquals" => Some("Le"),
                "NumericGreaterThan" => Some("Gt"),
                "NumericGreaterThanEquals" => Some("Ge"),
                "NumericEquals" => Some("Eq"),
                _ => None,
            };
            if let (Some(cmp), Some(x), Some(store)) =
                (cmp, value.as_f64(), self.store_in(variable))
            {
                let lag_s = if variable.to_ascii_lowercase().contains("millis")
                    || variable.contains("Ms")
                {
                    x / 1000.0
                } else {
                    x
                };
                return Ok(Some(
                    Fields::new()
                        .set("store", Ron::s(store))
                        .set("what", Ron::s("replica_lag_s"))
                        .set("op", Ron::ident(cmp))
                        .set("value", Ron::float(lag_s))
                        .variant("Probe"),
                ));
            }
        }
        Ok(None)
    }

    /// The resource of `kind` a reading task put under the variable's path (the longest ResultPath that is
    /// a prefix of it), or one named in the path itself.
    fn read_into(&self, variable: &str, kind: &str) -> Option<String> {
        let by_path = self
            .results
            .iter()
            .filter(|(p, _, k)| {
                *k == kind
                    && (variable == p
                        || p == "$"
                        || variable.starts_with(&format!("{p}."))
                        || variable.starts_with(&format!("{p}[")))
            })
            .max_by_key(|(p, _, _)| p.len())
            .map(|(_, r, _)| r.clone());
        let kinds: &[&str] = if kind == "hc" {
            &["HealthCheck"]
        } else {
            &["Aurora", "Rds", "DynamoDb"]
        };
        by_path.or_else(|| {
            variable
                .split(['.', '[', ']', '$'])
                .find_map(|part| self.resolve.resource(part, kinds))
        })
    }

    fn health_check_in(&self, variable: &str) -> Option<String> {
        self.read_into(variable, "hc")
    }

    fn store_in(&self, variable: &str) -> Option<String> {
        self.read_into(variable, "store")
    }
}

/// The ASL comparison operators.
const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringEqualsPath",
    "StringLessThan",
    "StringLessThanPath",
    "StringGreaterThan",
    "StringGreaterThanPath",
    "StringLessThanEquals",
    "StringLessThanEqualsPath",
    "StringGreaterThanEquals",
    "StringGreaterThanEqualsPath",
    "StringMatches",
    "NumericEquals",
    "NumericEqualsPath",
    "NumericLessThan",
    "NumericLessThanPath",
    "NumericGreaterThan",
    "NumericGreaterThanPath",
    "NumericLessThanEquals",
    "NumericLessThanEqualsPath",
    "NumericGreaterThanEquals",
    "NumericGreaterThanEqualsPath",
    "BooleanEquals",
    "BooleanEqualsPath",
    "TimestampEquals",
    "TimestampEqualsPath",
    "TimestampLessThan",
    "TimestampLessThanPath",
    "TimestampGreaterThan",
    "TimestampGreaterThanPath",
    "TimestampLessThanEquals",
    "TimestampLessThanEqualsPath",
    "TimestampGreaterThanEquals",
    "TimestampGreaterThanEqualsPath",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

/// Whether a Task only reads (`describe*`, `get*`, `list*`): a poll's probe.
fn reads_only(task: &Node) -> bool {
    let Some(resource) = task.get("Resource").and_then(Node::text) else {
        return false;
    };
    let api = call_of(resource).api;
    ["describe", "get", "list"]
        .iter()
        .any(|p| api.starts_with(p))
}

/// The states a state names (`Next`, `Default`, Choice rules' and Catch's `Next`): (name, node, field).
fn targets(state: &Node) -> Vec<(String, &Node, &'static str)> {
    fn push<'n>(
        out: &mut Vec<(String, &'n Node, &'static str)>,
        n: Option<&'n Node>,
        field: &'static str,
    ) {
        if let Some(n) = n
            && let Some(t) = n.text()
        {
            out.push((t.to_string(), n, field));
        }
    }
    let mut out = Vec::new();
    push(&mut out, state.get("Next"), "Next");
    push(&mut out, state.get("Default"), "Default");
    for rule in state.get("Choices").map(Node::items).unwrap_or_default() {
        push(&mut out, rule.get("Next"), "Next");
    }
    for c in state.get("Catch").map(Node::items).unwrap_or_default() {
        push(&mut out, c.get("Next"), "Next");
    }
    out
}

/// `drsim import stepfunctions`: an ASL file (or the state machines of a template) into a scenario. With a
/// base (`--scenario`) the output extends it and identifiers are matched against its resources; without,
/// the runbook runs in a one-Region skeleton on a planned drill, every call a timed step.
pub fn import(
    label: &str,
    text: &str,
    base: Option<&super::Base>,
    tasks: &BTreeMap<String, String>,
    region: Option<&str>,
) -> Result<super::Imported, SourceError> {
    let (root, _) = super::doc::parse(label, text)?;
    let mut report = Report::default();
    let home = match (region, base) {
        (Some(r), _) => r.to_string(),
        (None, Some(b)) => {
            let r = b
                .scenario
                .regions
                .last()
                .map(|r| r.name.clone())
                .unwrap_or_default();
            report.assumptions.push(format!(
                "the state machine runs in {r}, the scenario's last Region (give --region to choose)"
            ));
            r
        }
        (None, None) => {
            report
                .assumptions
                .push("the state machine runs in us-east-1 (give --region to choose)".to_string());
            "us-east-1".to_string()
        }
    };
    let stem = label.rsplit('/').next().unwrap_or(label);
    let stem = super::kebab(stem.split('.').next().unwrap_or(stem));
    let mut defs: Vec<(Node, String, String)> = Vec::new();
    if root.get("Resources").is_some() {
        let stack = super::cloudformation::StackInput {
            region: home.clone(),
            label: label.to_string(),
            text: text.to_string(),
            params: Vec::new(),
        };
        for t in super::cloudformation::read(&[stack])?.things {
            if let super::infra::Kind::StateMachine {
                definition: Some((def, l)),
            } = t.kind
            {
                defs.push((def, l, super::kebab(&t.source.id)));
            }
        }
        if defs.is_empty() {
            return Err(error_at(
                label,
                root.pos,
                "no state machine with an inline Definition or DefinitionString in this template (with its parameters' defaults; one off by a condition is not deployed)",
            ));
        }
    } else {
        defs.push((root, label.to_string(), stem.clone()));
    }
    report
        .inputs
        .push(format!("state machine definition {label}"));
    let resolver = super::ScenarioResolve {
        base,
        home: home.clone(),
    };
    let mut draft = super::Draft {
        name: base.map_or(stem.clone(), |b| format!("{}-{stem}", b.scenario.name)),
        description: format!("The runbook of {label}, imported by drsim import stepfunctions."),
        ..super::Draft::default()
    };
    let trigger = if base.is_some() {
        report.assumptions.push(
            "the runbook starts when a person notices, LogNormal(15m, 2h) after the onset (edit: HealthCheck(\"…\") or Alarm(\"…\"))"
                .to_string(),
        );
        (
            Ron::Call("Human".into(), vec![dist("LogNormal", &["15m", "2h"])]),
            "assumption: a person notices and starts it, LogNormal(15m, 2h) after the onset; edit to HealthCheck(\"…\") or Alarm(\"…\")",
        )
    } else {
        (Ron::ident("Onset"), "it runs at the drill's onset")
    };
    for (def, l, name) in &defs {
        let rb = translate(def, l, name, tasks, &resolver)?;
        report.not_understood.extend(rb.report.not_understood);
        report.translated.extend(rb.report.translated);
        report.assumptions.extend(rb.report.assumptions);
        draft.runbooks.push(Item {
            value: Fields::new()
                .set("name", Ron::s(name))
                .set("trigger", trigger.0.clone())
                .set("start_at", Ron::s(&rb.start_at))
                .set("states", rb.states)
                .tuple(),
            comment: vec![format!("from {l}:{}", def.pos.line), trigger.1.to_string()],
        });
    }
    match base {
        Some(b) => draft.extends = Some(b.extends.clone()),
        None => {
            report
                .proposals
                .push("disaster drill: a planned event that runs the runbook".to_string());
            draft.horizon = Some(("12h".into(), "assumption: a 12-hour horizon".into()));
            draft.regions = vec![(
                home.clone(),
                super::assemble::default_azs(&home),
                vec!["assumption: one Region with AZs a, b and c; give --scenario FILE to run the runbook against your architecture".into()],
            )];
            draft.disasters.push(Item {
                value: Fields::new()
                    .set("name", Ron::s("drill"))
                    .set("kind", Fields::new().set("what", Ron::s("run the imported runbook")).variant("Planned"))
                    .set("onset", Ron::call("At", &["1h"]))
                    .tuple(),
                comment: vec!["PROPOSAL: a drill at 1 h that starts the runbook; without --scenario there is nothing to fail".into()],
            });
        }
    }
    draft.report = report;
    draft.finish(label)
}
