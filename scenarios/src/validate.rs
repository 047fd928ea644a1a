//! Semantic validation: what parses but cannot run — references to missing things, misplaced resources,
//! dependency cycles, values out of range, runbooks that name what does not exist. Every problem is reported
//! (not just the first), each at the file, line and column of the offending name when it can be found.
//!
//! Positions: serde reports positions only for syntax and type errors. For semantic errors the offending
//! name is looked up in the sources (the file, then the bases it extends): the first quoted occurrence of
//! the name, which is where a misspelt reference or a resource's definition is written.

use sim_core::engine::dist::Dist;
use sim_core::model::Catalog;
use sim_core::model::topology::{self, TopologyError};
use sim_core::services::Store;
use sim_core::spec::disaster::{DisasterKind, Onset};
use sim_core::spec::runbook::{Action, Condition, Trigger};
use sim_core::spec::{FlowKind, Resource, Scenario};
use sim_core::world::graph::topology_spec;
use sim_core::world::run::World;
use sim_core::world::runbook::Runbook;
use sim_core::{RngStreams, SimDuration};

use crate::source::{SourceError, closest};

/// The texts a scenario was read from: `(label, text)`, the file first, then its bases.
pub type Sources = [(String, String)];

/// Checks `scenario`; returns every problem found (empty: it can run).
pub fn validate(scenario: &Scenario, sources: &Sources) -> Vec<SourceError> {
    let mut v = Validator {
        scenario,
        sources,
        issues: Vec::new(),
    };
    v.basics();
    v.resources();
    v.topology();
    v.flows();
    v.disasters();
    v.runbooks();
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

struct Validator<'a> {
    scenario: &'a Scenario,
    sources: &'a Sources,
    issues: Vec<SourceError>,
}

impl Validator<'_> {
    /// Records an issue, located at the first quoted occurrence of `near` in the sources.
    fn issue(&mut self, near: Option<&str>, message: String) {
        let located = near.and_then(|needle| locate(self.sources, needle));
        let file = self
            .sources
            .first()
            .map_or("scenario", |(label, _)| label.as_str());
        self.issues.push(match located {
            Some((file, line, col)) => SourceError {
                file,
                line: Some(line),
                col: Some(col),
                message,
            },
            None => SourceError::whole(file, message),
        });
    }

    fn names(&self) -> Vec<&str> {
        self.scenario.resources.keys().map(String::as_str).collect()
    }

    /// Checks that `name` is a resource (of one of `kinds`, when given), naming `what` in the message.
    fn expect(&mut self, name: &str, kinds: &[&str], what: &str, by: &str) -> bool {
        match self.scenario.resources.get(name) {
            Some(r) if kinds.is_empty() || kinds.contains(&r.kind().as_str()) => true,
            Some(r) => {
                let message = format!(
                    "{by} needs {what} ({}), but {name:?} is {}",
                    kinds.join(" or "),
                    r.kind().as_str()
                );
                self.issue(Some(name), message);
                false
            }
            None => {
                let names = self.names();
                let hint = closest(name, &names)
                    .map_or(String::new(), |n| format!(", did you mean {n:?}?"));
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
        let hint =
            closest(name, &regions).map_or(String::new(), |n| format!(", did you mean {n:?}?"));
        self.issue(Some(name), format!("{by} refers to Region {name:?}, which the scenario does not list{hint} (regions: {})", regions.join(", ")));
        false
    }

    fn dist(&mut self, dist: &Dist, field: &str, near: &str) {
        if let Err(e) = dist.validate() {
            self.issue(Some(near), format!("{field}: {e}"));
        }
    }

    fn basics(&mut self) {
        if self.scenario.horizon.is_zero() {
            self.issue(
                Some("horizon"),
                "horizon is 0s; give how long each replication runs, e.g. \"12h\"".into(),
            );
        }
        if self.scenario.horizon > SimDuration::from_hours(24 * 366) {
            self.issue(
                Some("horizon"),
                format!(
                    "horizon {} is longer than a year; drsim bounds a replication to 366 days",
                    self.scenario.horizon
                ),
            );
        }
        if self.scenario.measure.window.is_zero() {
            self.issue(
                Some("window"),
                "measure.window is 0s; the SLO window must be positive (default 60s)".into(),
            );
        }
        if self.scenario.regions.is_empty() {
            self.issue(
                Some("regions"),
                "regions is empty; list at least one Region and its AZs".into(),
            );
        }
        if self.scenario.regions.len() > 64 {
            self.issue(Some("regions"), "more than 64 Regions".into());
        }
        let azs: usize = self.scenario.regions.iter().map(|r| r.azs.len()).sum();
        if azs > 64 {
            self.issue(
                Some("azs"),
                format!("{azs} AZs in all; drsim supports at most 64"),
            );
        }
        if self.scenario.resources.len() > 10_000 {
            self.issue(
                None,
                format!(
                    "{} resources; drsim supports at most 10,000",
                    self.scenario.resources.len()
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
        let streams = RngStreams::new(0, 0);
        for (name, resource) in &self.scenario.resources {
            let problems: Vec<String> = match resource {
                Resource::Ec2(c) => c.validate(&catalog).err().map(strings).unwrap_or_default(),
                Resource::Asg(c) => c.validate(&catalog).err().map(strings).unwrap_or_default(),
                Resource::Alb(c) => c.validate(&catalog).err().map(strings).unwrap_or_default(),
                Resource::CloudFront(c) => c.validate().err().map(strings).unwrap_or_default(),
                Resource::Record(c) => c.validate().err().map(strings).unwrap_or_default(),
                Resource::HealthCheck(c) => c.validate().err().map(strings).unwrap_or_default(),
                Resource::Stack(c) => c.validate().err().map(strings).unwrap_or_default(),
                Resource::Alarm(c) => c.validate().err().map(strings).unwrap_or_default(),
                Resource::Lambda(c) => c.region_id(&catalog).err().map(strings).unwrap_or_default(),
                store => match store.store() {
                    Some(config) => match Store::build(name, &config, &catalog, &streams) {
                        Ok(_) => Vec::new(),
                        Err(e) => vec![e.to_string()],
                    },
                    None => Vec::new(),
                },
            };
            for problem in problems {
                self.issue(Some(name), format!("resource {name:?}: {problem}"));
            }
        }
    }

    fn topology(&mut self) {
        if let Err(errors) = topology::build(&topology_spec(self.scenario)) {
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
                    let names = self.names();
                    if let Some(best) = closest(name, &names) {
                        message.push_str(&format!("; did you mean {best:?}?"));
                    }
                }
                self.issue(near.as_deref(), message);
            }
        }
    }

    fn flows(&mut self) {
        let mut seen: Vec<&str> = Vec::new();
        for flow in &self.scenario.flows {
            let by = format!("flow {:?}", flow.name);
            if seen.contains(&flow.name.as_str()) {
                self.issue(
                    Some(&flow.name),
                    format!(
                        "two flows are named {:?}; flow names must be unique",
                        flow.name
                    ),
                );
            }
            seen.push(&flow.name);
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
            self.expect(&flow.entry, &[], "entry point", &by);
            match &flow.store {
                Some(store) => {
                    self.expect(
                        store,
                        &["Rds", "Aurora", "DynamoDb", "S3"],
                        "a data store",
                        &by,
                    );
                }
                None if flow.kind == FlowKind::Write => {
                    self.issue(
                        Some(&flow.name),
                        format!("{by} writes but names no store; add store: \"…\""),
                    );
                }
                None => {}
            }
            if let Some(region) = &flow.clients {
                self.region(region, &by);
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
                    self.expect(resource, &[], "resource", &by);
                    if !(0.0..=1.0).contains(error_rate) {
                        self.issue(
                            Some(&d.name),
                            format!("{by}: error_rate is {error_rate}, but must be in [0, 1]"),
                        );
                    }
                }
                DisasterKind::ResourceFailure { resource }
                | DisasterKind::OriginError { resource, .. } => {
                    self.expect(resource, &[], "resource", &by);
                }
                DisasterKind::Corruption { store } | DisasterKind::Delete { store } => {
                    self.expect(
                        store,
                        &["Rds", "Aurora", "DynamoDb", "S3"],
                        "a data store",
                        &by,
                    );
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
                    self.expect(check, &["HealthCheck"], "a health check", &by);
                }
                Trigger::Alarm(alarm) => {
                    self.expect(alarm, &["Alarm"], "an alarm", &by);
                }
                Trigger::Human(notice) => {
                    self.dist(notice, &format!("{by}: trigger"), &config.name)
                }
                Trigger::Onset => {}
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
    fn prices(&mut self) {
        let (table, mut problems) = sim_core::cost::table_for(self.scenario);
        problems.extend(sim_core::cost::validate(self.scenario, &table));
        for problem in problems {
            // Messages quote the offending key or resource; point at the first quoted name.
            let near = problem.split('"').nth(1).map(str::to_string);
            self.issue(near.as_deref(), problem);
        }
    }

    fn action(&mut self, action: &Action, by: &str) {
        const STORES: &[&str] = &["Rds", "Aurora", "DynamoDb", "S3"];
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
                self.expect(store, STORES, "a data store", by);
                self.region(region, by);
            }
            Action::ForceFailover { store } => {
                self.expect(store, STORES, "a data store", by);
            }
            Action::CreateStack { stack } => {
                self.expect(stack, &["Stack"], "a CloudFormation stack", by);
            }
            Action::SetCapacity { group, desired, .. } => {
                self.expect(group, &["Asg"], "an Auto Scaling group", by);
                if *desired > sim_core::spec::limits::MAX_GROUP_SIZE {
                    self.issue(
                        Some(group),
                        format!("{by}: SetCapacity desired {desired} is above the {} instances drsim models", sim_core::spec::limits::MAX_GROUP_SIZE),
                    );
                }
            }
            Action::UpdateDns { record, target } => {
                self.expect(record, &["Record"], "a Route 53 record", by);
                self.expect(target, &[], "endpoint", by);
            }
            Action::UpdateCloudFront {
                distribution,
                primary,
            } => {
                let known = self.expect(
                    distribution,
                    &["CloudFront"],
                    "a CloudFront distribution",
                    by,
                );
                if let (true, Some(Resource::CloudFront(c))) =
                    (known, self.scenario.resources.get(distribution))
                    && !c.origins.contains(primary)
                {
                    let origins = c.origins.join(", ");
                    self.issue(Some(primary), format!("{by}: {primary:?} is not an origin of {distribution:?} (origins: {origins})"));
                }
            }
        }
    }

    fn condition(&mut self, condition: &Condition, by: &str) {
        match condition {
            Condition::Probe { store, .. } => {
                self.expect(
                    store,
                    &["Rds", "Aurora", "DynamoDb", "S3"],
                    "a data store",
                    by,
                );
            }
            Condition::Healthy(check) => {
                self.expect(check, &["HealthCheck"], "a health check", by);
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

fn strings<E: ToString>(errors: Vec<E>) -> Vec<String> {
    errors.into_iter().map(|e| e.to_string()).collect()
}

/// The first quoted occurrence of `needle` in the sources, as `(file, line, column)` (1-based).
fn locate(sources: &Sources, needle: &str) -> Option<(String, usize, usize)> {
    let quoted = format!("\"{needle}\"");
    sources.iter().find_map(|(label, text)| {
        let at = text.find(&quoted).or_else(|| text.find(needle))?;
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rfind('\n').map_or(at, |nl| at - nl - 1) + 1;
        Some((label.clone(), line, col))
    })
}
