//! Semantic validation, in one place: what parses but cannot run — references to missing things, misplaced
//! resources, dependency and routing cycles, routing chains past the limit, values out of range, runbooks
//! that name what does not exist, prices the table lacks. Every problem is reported (not just the first) as
//! an [`Issue`] naming what to point at; the `scenarios` crate turns that name into a file, line and column.
//!
//! Each resource's own fields are checked by its service ([`Service::check`](crate::model::Service)), its
//! references generically from [`Service::references`](crate::model::Service); every bound comes from
//! [`crate::spec::limits`]. The work is linear in the size of the scenario: names are looked up in maps
//! built once, and suggestions ("did you mean …?") are computed for a bounded number of issues.
//!
//! **Warnings** ([`warnings`]) are the other channel: what runs, but probably not as meant — a disaster
//! whose onset can fall after the horizon, so that some runs have no disaster at all. They never stop a
//! scenario from loading; the CLI shows them.

pub mod graph;
pub mod suggest;

use std::collections::BTreeSet;

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;
use crate::model::place::Catalog;
use crate::model::service::{Expect, Placement, Reference};
use crate::model::topology::{self, TopologyError};
use crate::runbook::Runbook;
use crate::spec::disaster::{DisasterKind, Onset};
use crate::spec::limits::{
    MAX_AZS, MAX_GROUP_SIZE, MAX_HORIZON, MAX_REGIONS, MAX_RESOURCES, MAX_RETRY_ATTEMPTS,
    MAX_ROUTING_DEPTH,
};
use crate::spec::runbook::{Action, Condition, Trigger};
use crate::spec::{FlowKind, Resource, ResourceKind, Scenario};
use crate::world::World;

pub use graph::topology_spec;
pub use suggest::closest;

/// One problem found in a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// The name (a resource, Region, flow, field …) the problem is best shown at; the loader locates its
    /// first quoted occurrence in the scenario's files.
    pub near: Option<String>,
    /// What is wrong and what would be valid.
    pub message: String,
}

/// How many issues get a "did you mean" suggestion: each costs a pass over the names, and past this many a
/// scenario has a bigger problem than a typo.
const MAX_SUGGESTIONS: usize = 50;

/// Checks `scenario`; every problem found (empty: it can run).
pub fn validate(scenario: &Scenario) -> Vec<Issue> {
    let mut v = Validator {
        scenario,
        names: scenario.resources.keys().map(String::as_str).collect(),
        flows: scenario.flows.iter().map(|f| f.name.as_str()).collect(),
        suggestions: 0,
        issues: Vec::new(),
    };
    v.basics();
    v.resources();
    v.alarms();
    v.created_endpoints();
    v.stack_regions();
    v.topology();
    v.flows();
    v.disasters();
    v.runbooks();
    v.budgets();
    v.prices();
    if v.issues.is_empty() {
        // The last line of defence: building the world must succeed too.
        let active: Vec<usize> = (0..scenario.disasters.len()).collect();
        if let Err(e) = World::build(scenario, scenario.seed, 0, &active) {
            v.issue(None, e.to_string());
        }
    }
    v.issues
}

/// What runs but probably not as meant, as [`Issue`]s (not errors: the scenario is valid). Today: every
/// disaster whose onset can fall after the horizon, with the share of runs it misses.
pub fn warnings(scenario: &Scenario) -> Vec<Issue> {
    let horizon = scenario.horizon;
    let h = horizon.as_secs_f64();
    let mut out = Vec::new();
    for d in &scenario.disasters {
        let (onset, share) = match &d.onset {
            Onset::At(t) if *t > horizon => (format!("At(\"{t}\")"), 1.0),
            Onset::Uniform(lo, hi) if *hi > horizon => {
                let (lo_s, hi_s) = (lo.as_secs_f64(), hi.as_secs_f64());
                let share = if hi_s > lo_s {
                    (hi_s - lo_s.max(h)) / (hi_s - lo_s)
                } else {
                    1.0
                };
                (format!("Uniform(\"{lo}\", \"{hi}\")"), share)
            }
            Onset::Rate(mean) if !mean.is_zero() => {
                (format!("Rate(\"{mean}\")"), (-h / mean.as_secs_f64()).exp())
            }
            _ => continue,
        };
        if share < 1e-6 {
            continue;
        }
        let how_often = if share >= 1.0 {
            "always: it never happens".to_string()
        } else {
            let pct = share * 100.0;
            let pct = if pct >= 1.0 {
                format!("{pct:.0}")
            } else {
                format!("{pct:.2}")
            };
            format!("in about {pct} % of runs")
        };
        out.push(Issue {
            near: Some(d.name.clone()),
            message: format!(
                "disaster {:?}: onset {onset} can start after the {horizon} horizon ({how_often}); runs without a disaster are counted apart (\"no disaster in N runs\") and left out of RTO and RPO percentiles",
                d.name
            ),
        });
    }
    out
}

struct Validator<'a> {
    scenario: &'a Scenario,
    names: Vec<&'a str>,
    flows: BTreeSet<&'a str>,
    suggestions: usize,
    issues: Vec<Issue>,
}

impl<'a> Validator<'a> {
    fn issue(&mut self, near: Option<&str>, message: String) {
        self.issues.push(Issue {
            near: near.map(str::to_string),
            message,
        });
    }

    /// `", did you mean X?"` for a misspelt name among `candidates`, while suggestions last.
    fn hint(&mut self, name: &str, candidates: &[&str]) -> String {
        if self.suggestions >= MAX_SUGGESTIONS {
            return String::new();
        }
        self.suggestions += 1;
        closest(name, candidates).map_or(String::new(), |n| format!(", did you mean {n:?}?"))
    }

    /// Checks that `name` is a resource meeting `want`, naming `what` in the message.
    fn expect(&mut self, name: &str, want: Expect, what: &str, by: &str) -> bool {
        let resource = self.scenario.resources.get(name);
        let fits = |r: &Resource| match want {
            Expect::Any | Expect::ResourceOrFlow => true,
            Expect::Kind(kind) => r.kind() == kind,
            Expect::Store => r.kind().is_store(),
        };
        match resource {
            Some(r) if fits(r) => true,
            Some(r) => {
                let wanted = match want {
                    Expect::Kind(kind) => kind.as_str().to_string(),
                    _ => stores_list(),
                };
                let message = format!("{by} needs {what} ({wanted}), but {name:?} is {}", r.kind());
                self.issue(Some(name), message);
                false
            }
            None if want == Expect::ResourceOrFlow && self.flows.contains(name) => true,
            None => {
                let names = self.names.clone();
                let hint = self.hint(name, &names);
                self.issue(
                    Some(name),
                    format!("{by} refers to {what} {name:?}, which does not exist{hint}"),
                );
                false
            }
        }
    }

    fn region(&mut self, name: &str, by: &str) -> bool {
        if self.scenario.regions.iter().any(|r| r.name == name) {
            return true;
        }
        let regions: Vec<&str> = self
            .scenario
            .regions
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        let hint = self.hint(name, &regions);
        self.issue(
            Some(name),
            format!(
                "{by} refers to Region {name:?}, which the scenario does not list{hint} (regions: {})",
                regions.join(", ")
            ),
        );
        false
    }

    fn dist(&mut self, dist: &Dist, field: &str, near: &str) {
        if let Err(e) = dist.validate() {
            self.issue(Some(near), format!("{field}: {e}"));
        }
    }

    fn basics(&mut self) {
        let s = self.scenario;
        if s.horizon.is_zero() {
            self.issue(
                Some("horizon"),
                "horizon is 0s; give how long each replication runs, e.g. \"12h\"".into(),
            );
        }
        if s.horizon > MAX_HORIZON {
            self.issue(
                Some("horizon"),
                format!(
                    "horizon {} is longer than a year; drsim bounds a replication to 366 days",
                    s.horizon
                ),
            );
        }
        if s.measure.window.is_zero() {
            self.issue(
                Some("window"),
                "measure.window is 0s; the SLO window must be positive (default 60s)".into(),
            );
        }
        if s.regions.is_empty() {
            self.issue(
                Some("regions"),
                "regions is empty; list at least one Region and its AZs".into(),
            );
        }
        if s.regions.len() > MAX_REGIONS {
            self.issue(Some("regions"), format!("more than {MAX_REGIONS} Regions"));
        }
        let azs: usize = s.regions.iter().map(|r| r.azs.len()).sum();
        if azs > MAX_AZS {
            self.issue(
                Some("azs"),
                format!("{azs} AZs in all; drsim supports at most {MAX_AZS}"),
            );
        }
        if s.resources.len() > MAX_RESOURCES {
            self.issue(
                None,
                format!(
                    "{} resources; drsim supports at most {}",
                    s.resources.len(),
                    thousands(MAX_RESOURCES)
                ),
            );
        }
    }

    fn resources(&mut self) {
        let mut catalog = Catalog::new();
        for region in &self.scenario.regions {
            let id = catalog.add_region(&region.name);
            for az in &region.azs {
                catalog.add_az(az, id);
            }
        }
        for (name, resource) in &self.scenario.resources {
            let service = resource.service();
            for problem in service.check(name, &catalog) {
                self.issue(Some(name), format!("resource {name:?}: {problem}"));
            }
            // Drawn references are checked with the topology (dangling ends, cycles); the others here.
            let by = format!("resource {name:?}");
            for Reference {
                to, role, expects, ..
            } in service
                .references()
                .into_iter()
                .filter(|r| r.edge.is_none() || r.expects != Expect::Any)
            {
                self.expect(to, expects, role, &by);
            }
        }
    }

    /// What each alarm watches resolves to one flow or one resource.
    fn alarms(&mut self) {
        for (name, resource) in &self.scenario.resources {
            if let Resource::Alarm(alarm) = resource
                && let Some(problem) = alarm.watch_problem(self.scenario)
            {
                self.issue(Some(name), format!("resource {name:?}: alarm {problem}"));
            }
        }
    }

    /// No record answers an endpoint a stack creates: Route 53 refuses an alias to a target that does not
    /// exist, so such a record could not be there before the stack. A runbook points the record at it
    /// (`UpdateDns`) once the stack is created.
    fn created_endpoints(&mut self) {
        let s = self.scenario;
        let mut created_by: std::collections::BTreeMap<&str, &str> =
            std::collections::BTreeMap::new();
        for (stack, resource) in &s.resources {
            if let Resource::Stack(config) = resource {
                for created in &config.resources {
                    created_by.entry(created.as_str()).or_insert(stack.as_str());
                }
            }
        }
        for (record, resource) in &s.resources {
            let Resource::Record(config) = resource else {
                continue;
            };
            for target in config.targets() {
                let created = target.endpoint.as_str();
                if let Some(stack) = created_by.get(created) {
                    self.issue(
                        Some(record),
                        format!(
                            "record {record:?} answers {created:?}, which stack {stack:?} creates: Route 53 \
                             refuses an alias to a target that does not exist yet; leave it out of the \
                             record and point the record at it with UpdateDns after CreateStack"
                        ),
                    );
                }
            }
        }
    }

    /// A CloudFormation stack creates its resources in its own Region: a regional or zonal resource it
    /// lists must be placed there (global ones, records and distributions, may be created from any).
    fn stack_regions(&mut self) {
        let s = self.scenario;
        let region_of_az = |az: &str| {
            s.regions
                .iter()
                .find(|r| r.azs.iter().any(|a| a == az))
                .map(|r| r.name.as_str())
        };
        for (stack, resource) in &s.resources {
            let Resource::Stack(config) = resource else {
                continue;
            };
            for created in &config.resources {
                let Some(target) = s.resources.get(created) else {
                    continue;
                };
                let region = match target.service().placement() {
                    Placement::Region(r) => Some(r),
                    Placement::Az(az) => region_of_az(az),
                    Placement::Global | Placement::Nowhere => None,
                };
                if let Some(region) = region
                    && region != config.region
                {
                    self.issue(
                        Some(stack),
                        format!(
                            "stack {stack:?} is in region {}, but creates {created:?}, which is in {region}: a \
                             CloudFormation stack creates resources in its own Region (set the stack's region \
                             to {region}, or use a stack per Region)",
                            config.region
                        ),
                    );
                }
            }
        }
    }

    fn topology(&mut self) {
        let spec = topology_spec(self.scenario);
        match topology::build(&spec) {
            Err(errors) => {
                for e in errors {
                    let near = match &e {
                        // `missing` names the absent end(s) in backquotes; point at the first.
                        TopologyError::Dangling { missing, .. } => {
                            missing.split('`').nth(1).map(str::to_string)
                        }
                        TopologyError::UnknownRegion { region, .. } => Some(region.clone()),
                        TopologyError::UnknownAz { az, .. } => Some(az.clone()),
                        TopologyError::AzInOtherRegion { node, .. }
                        | TopologyError::DuplicateName { name: node, .. } => Some(node.clone()),
                        TopologyError::RoutingCycle { cycle }
                        | TopologyError::DependencyCycle { cycle } => cycle.first().cloned(),
                        _ => None,
                    };
                    let mut message = e.to_string();
                    if let (TopologyError::Dangling { .. }, Some(name)) = (&e, &near) {
                        let names = self.names.clone();
                        let hint = self.hint(name, &names);
                        if let Some(best) = hint.strip_prefix(", did you mean ") {
                            message.push_str(&format!("; did you mean {best}"));
                        }
                    }
                    self.issue(near.as_deref(), message);
                }
            }
            Ok(graph) => {
                // Without cycles the routing graph is a DAG: its longest chain, in linear time.
                if let Some((chain, from)) = graph.longest_routing_chain()
                    && chain > MAX_ROUTING_DEPTH
                {
                    self.issue(
                        Some(&from),
                        format!(
                            "routing from {from:?} passes through {chain} hops; drsim follows at most \
                             {MAX_ROUTING_DEPTH} (a record, a distribution, load balancers, compute)"
                        ),
                    );
                }
            }
        }
    }

    fn flows(&mut self) {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for flow in &self.scenario.flows {
            let by = format!("flow {:?}", flow.name);
            if !seen.insert(&flow.name) {
                self.issue(
                    Some(&flow.name),
                    format!(
                        "two flows are named {:?}; flow names must be unique",
                        flow.name
                    ),
                );
            }
            if !(flow.rate_per_s.is_finite() && flow.rate_per_s >= 0.0 && flow.rate_per_s <= 1e9) {
                self.issue(
                    Some(&flow.name),
                    format!(
                        "{by}: rate_per_s is {}, but must be a number from 0 to 1e9",
                        flow.rate_per_s
                    ),
                );
            }
            if !(flow.slo > 0.0 && flow.slo <= 1.0) {
                self.issue(
                    Some(&flow.name),
                    format!(
                        "{by}: slo is {}, but must be in (0, 1], e.g. 0.99",
                        flow.slo
                    ),
                );
            }
            self.expect(&flow.entry, Expect::Any, "entry point", &by);
            match &flow.store {
                Some(store) => {
                    self.expect(store, Expect::Store, "a data store", &by);
                }
                None if flow.kind == FlowKind::Write => {
                    self.issue(
                        Some(&flow.name),
                        format!("{by} writes but names no store; add store: \"…\""),
                    );
                }
                None => {}
            }
            let shares = flow.client_shares();
            for &(region, share) in &shares {
                self.region(region, &by);
                if !(share > 0.0 && share <= 1.0) {
                    self.issue(
                        Some(&flow.name),
                        format!("{by}: the share of clients in {region} is {share}, but must be in (0, 1]"),
                    );
                }
            }
            let total: f64 = shares.iter().map(|&(_, s)| s).sum();
            if flow.clients.is_some() && (total - 1.0).abs() > 1e-6 {
                self.issue(
                    Some(&flow.name),
                    format!("{by}: client shares sum to {total}, but must sum to 1"),
                );
            }
            if flow.timeout.is_zero() {
                self.issue(
                    Some(&flow.name),
                    format!("{by}: timeout is 0s; a client must wait for an answer, e.g. \"60s\""),
                );
            }
        }
    }

    fn disasters(&mut self) {
        for d in &self.scenario.disasters {
            let by = format!("disaster {:?}", d.name);
            match &d.kind {
                DisasterKind::AzOutage { az } => {
                    if !self.scenario.regions.iter().any(|r| r.azs.contains(az)) {
                        self.issue(
                            Some(az),
                            format!("{by} takes down AZ {az:?}, which no Region lists"),
                        );
                    }
                }
                DisasterKind::RegionOutage { region, .. } => {
                    self.region(region, &by);
                }
                DisasterKind::Partition { a, b } => {
                    if self.region(a, &by) && self.region(b, &by) && a == b {
                        self.issue(
                            Some(a),
                            format!(
                                "{by} partitions {a:?} from itself; name two different Regions"
                            ),
                        );
                    }
                }
                DisasterKind::GrayFailure {
                    resource,
                    error_rate,
                    ..
                } => {
                    self.expect(resource, Expect::Any, "resource", &by);
                    if !(0.0..=1.0).contains(error_rate) {
                        self.issue(
                            Some(&d.name),
                            format!("{by}: error_rate is {error_rate}, but must be in [0, 1]"),
                        );
                    }
                }
                DisasterKind::ResourceFailure { resource }
                | DisasterKind::OriginError { resource, .. } => {
                    self.expect(resource, Expect::Any, "resource", &by);
                }
                DisasterKind::Corruption { store } | DisasterKind::Delete { store } => {
                    self.expect(store, Expect::Store, "a data store", &by);
                }
                DisasterKind::Planned { .. } => {}
            }
            match &d.onset {
                Onset::Uniform(lo, hi) if lo > hi => {
                    self.issue(
                        Some(&d.name),
                        format!("{by}: onset Uniform(\"{lo}\", \"{hi}\") has its bounds reversed"),
                    );
                }
                Onset::Rate(mean) if mean.is_zero() => {
                    self.issue(
                        Some(&d.name),
                        format!(
                            "{by}: onset Rate(\"0s\") needs a positive mean time between failures"
                        ),
                    );
                }
                _ => {}
            }
            if let Some(duration) = &d.duration {
                self.dist(duration, &format!("{by}: duration"), &d.name);
            }
        }
    }

    fn runbooks(&mut self) {
        for config in &self.scenario.runbooks {
            let by = format!("runbook {:?}", config.name);
            let book = match Runbook::compile(config) {
                Ok(book) => book,
                Err(e) => {
                    self.issue(Some(&config.name), e.to_string());
                    continue;
                }
            };
            match &book.trigger {
                Trigger::HealthCheck(check) => {
                    self.expect(
                        check,
                        Expect::Kind(ResourceKind::HealthCheck),
                        "a health check",
                        &by,
                    );
                }
                Trigger::Alarm(alarm) => {
                    self.expect(alarm, Expect::Kind(ResourceKind::Alarm), "an alarm", &by);
                }
                Trigger::Human(notice) => {
                    self.dist(notice, &format!("{by}: trigger"), &config.name)
                }
                Trigger::Onset => {}
            }
            if let Some(cycle) = book.zero_time_cycle() {
                let first = cycle.first().cloned().unwrap_or_default();
                self.issue(
                    Some(&first),
                    format!(
                        "{by}: states {} loop without any time passing (only Choices and zero Waits); \
                         add a Wait or a Task to the loop",
                        cycle.join(" → ")
                    ),
                );
            }
            for (state, retry) in book.retries() {
                if retry.max_attempts > MAX_RETRY_ATTEMPTS {
                    self.issue(
                        Some(state),
                        format!(
                            "{by}: state {state:?} retries max_attempts {} times; Amazon States Language \
                             allows at most {MAX_RETRY_ATTEMPTS}",
                            retry.max_attempts
                        ),
                    );
                }
                if retry.interval < SimDuration::from_secs(1) {
                    self.issue(
                        Some(state),
                        format!(
                            "{by}: state {state:?} retries after {}; Amazon States Language's \
                             IntervalSeconds is a whole number of seconds, at least 1",
                            retry.interval
                        ),
                    );
                }
                if !(retry.backoff_rate.is_finite() && retry.backoff_rate >= 1.0) {
                    self.issue(
                        Some(state),
                        format!(
                            "{by}: state {state:?} has backoff_rate {}; Amazon States Language requires at \
                             least 1.0",
                            retry.backoff_rate
                        ),
                    );
                }
            }
            for action in book.actions() {
                self.action(action, &by);
            }
            for condition in book.conditions() {
                self.condition(condition, &by);
            }
        }
    }

    /// Instance types and classes the price table knows, and well-formed `prices` overrides.
    /// Each budget's flow, store and disaster exist: a budget on nothing could never be judged (and was
    /// once only refused when `drsim check` ran it).
    fn budgets(&mut self) {
        let s = self.scenario;
        for budget in &s.budgets {
            let by = format!("budget {budget}");
            if let Some(flow) = &budget.flow
                && !self.flows.contains(flow.as_str())
            {
                let flows: Vec<&str> = self.flows.iter().copied().collect();
                let hint = self.hint(flow, &flows);
                self.issue(
                    Some(flow),
                    format!(
                        "{by}: flow {flow:?} does not exist{hint} (flows: {})",
                        flows.join(", ")
                    ),
                );
            }
            if let Some(store) = &budget.store {
                self.expect(store, Expect::Store, "the store", &by);
            }
            if let Some(disaster) = &budget.disaster
                && !s.disasters.iter().any(|d| d.name == *disaster)
            {
                let names: Vec<&str> = s.disasters.iter().map(|d| d.name.as_str()).collect();
                let hint = self.hint(disaster, &names);
                self.issue(
                    Some(disaster),
                    format!(
                        "{by}: disaster {disaster:?} does not exist{hint} (disasters: {})",
                        names.join(", ")
                    ),
                );
            }
        }
    }

    fn prices(&mut self) {
        let (table, mut problems) = crate::cost::table_for(self.scenario);
        problems.extend(crate::cost::validate(self.scenario, &table));
        for problem in problems {
            // Messages quote the offending key or resource; point at the first quoted name.
            let near = problem.split('"').nth(1).map(str::to_string);
            self.issue(near.as_deref(), problem);
        }
    }

    fn action(&mut self, action: &Action, by: &str) {
        match action {
            Action::Page { ack: d, .. }
            | Action::Decide { delay: d, .. }
            | Action::Run { duration: d, .. } => {
                self.dist(d, &format!("{by}: step duration"), by);
            }
            Action::Promote { store, region }
            | Action::FailoverGlobal { store, region }
            | Action::SwitchoverGlobal { store, region }
            | Action::RestoreSnapshot { store, region }
            | Action::RestoreToPoint { store, region, .. }
            | Action::CopyBackup { store, region } => {
                self.expect(store, Expect::Store, "a data store", by);
                self.region(region, by);
            }
            Action::ForceFailover { store } => {
                self.expect(store, Expect::Store, "a data store", by);
            }
            Action::Repoint { store, duration } => {
                self.dist(duration, &format!("{by}: Repoint duration"), by);
                if self.expect(store, Expect::Store, "a data store", by)
                    && let Some(Resource::S3(_)) = self.scenario.resources.get(store)
                {
                    self.issue(
                        Some(store),
                        format!(
                            "{by}: Repoint of {store:?}, an S3 bucket: a bucket is restored in place and \
                             keeps its name, so there is nothing to repoint (remove the step)"
                        ),
                    );
                }
            }
            Action::AddReplica { store, region } => {
                self.expect(
                    store,
                    Expect::Kind(ResourceKind::DynamoDb),
                    "a DynamoDB table",
                    by,
                );
                self.region(region, by);
            }
            Action::CreateStack { stack } => {
                self.expect(
                    stack,
                    Expect::Kind(ResourceKind::Stack),
                    "a CloudFormation stack",
                    by,
                );
            }
            Action::SetCapacity { group, desired, .. } => {
                self.expect(
                    group,
                    Expect::Kind(ResourceKind::Asg),
                    "an Auto Scaling group",
                    by,
                );
                if *desired > MAX_GROUP_SIZE {
                    self.issue(
                        Some(group),
                        format!(
                            "{by}: SetCapacity desired {desired} is above the {MAX_GROUP_SIZE} instances drsim models"
                        ),
                    );
                } else if let Some(Resource::Asg(asg)) = self.scenario.resources.get(group)
                    && !(asg.min..=asg.max).contains(desired)
                {
                    // Auto Scaling answers a desired capacity outside the group's bounds with a
                    // ValidationError; it never widens them.
                    self.issue(
                        Some(group),
                        format!(
                            "{by}: SetCapacity desired {desired} is outside group {group:?}'s min ({}) … max ({}); Auto Scaling refuses it (ValidationError): change the group's min or max",
                            asg.min, asg.max
                        ),
                    );
                }
            }
            Action::UpdateDns { record, target } => {
                self.expect(
                    record,
                    Expect::Kind(ResourceKind::Record),
                    "a Route 53 record",
                    by,
                );
                self.expect(target, Expect::Any, "endpoint", by);
            }
            Action::UpdateCloudFront {
                distribution,
                primary,
            } => {
                let known = self.expect(
                    distribution,
                    Expect::Kind(ResourceKind::CloudFront),
                    "a CloudFront distribution",
                    by,
                );
                if let (true, Some(Resource::CloudFront(c))) =
                    (known, self.scenario.resources.get(distribution))
                    && !c.origins.contains(primary)
                {
                    let origins = c.origins.join(", ");
                    self.issue(
                        Some(primary),
                        format!(
                            "{by}: {primary:?} is not an origin of {distribution:?} (origins: {origins})"
                        ),
                    );
                }
            }
        }
    }

    fn condition(&mut self, condition: &Condition, by: &str) {
        match condition {
            Condition::Probe { store, .. } => {
                self.expect(store, Expect::Store, "a data store", by);
            }
            Condition::Healthy(check) => {
                self.expect(
                    check,
                    Expect::Kind(ResourceKind::HealthCheck),
                    "a health check",
                    by,
                );
            }
            Condition::RegionUp(region) => {
                self.region(region, by);
            }
            Condition::And(all) | Condition::Or(all) => {
                all.iter().for_each(|c| self.condition(c, by))
            }
            Condition::Not(inner) => self.condition(inner, by),
        }
    }
}

/// The store kinds, as a message lists them (`Rds or Aurora or DynamoDb or S3`).
fn stores_list() -> String {
    ResourceKind::all()
        .into_iter()
        .filter(|k| k.is_store())
        .map(ResourceKind::as_str)
        .collect::<Vec<_>>()
        .join(" or ")
}

/// `10000` as `10,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
