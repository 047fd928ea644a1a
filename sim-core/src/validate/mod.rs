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
//!
//! Files: this one (the entry points, [`Issue`], and the lookups every check shares: names, Regions,
//! distributions); `values.rs` (bounds, flows, disasters); `resources.rs` (each resource's fields and
//! references, alarms, stacks, the topology); `runbooks.rs`; `budgets.rs` (budgets and prices); `graph.rs`
//! (the topology graph); `suggest.rs` ("did you mean …?").

mod budgets;
pub mod graph;
mod resources;
mod runbooks;
mod sites;
pub mod suggest;
mod values;

use std::collections::BTreeSet;

use crate::engine::dist::Dist;
use crate::model::service::Expect;
use crate::spec::disaster::Onset;
use crate::spec::{Resource, ResourceKind, Scenario};
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
    v.sites();
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
            Expect::Verdict => matches!(
                r.kind(),
                ResourceKind::HealthCheck | ResourceKind::RoutingControl
            ),
        };
        match resource {
            Some(r) if fits(r) => true,
            Some(r) => {
                let wanted = match want {
                    Expect::Kind(kind) => kind.as_str().to_string(),
                    Expect::Verdict => "HealthCheck or RoutingControl".to_string(),
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
