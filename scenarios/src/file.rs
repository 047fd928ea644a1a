//! Scenario files: a whole scenario, or one that `extends` a base and changes only what differs.
//!
//! A file that extends a base (a built-in name or a path relative to the file) overlays it: fields given
//! replace the base's; `resources` replace or add by name; `flows`, `disasters` and `runbooks` replace or
//! add by their `name`; `prices` overrides replace or add by key; a `policy` replaces the base's; `remove` drops resources, flows,
//! disasters or runbooks by name. This is how the four
//! strategies share the reference application without copy-paste.
//!
//! Because items are matched by name, a name or map key given twice in one file has no meaning: the
//! parser would silently keep the last. [`ScenarioFile::check_text`] refuses it, naming both places.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sim_core::SimDuration;
use sim_core::budget::Budget;
use sim_core::cost::PriceOverrides;
use sim_core::spec::{
    CostConfig, CourseRef, DisasterConfig, FlowConfig, MeasureConfig, Policy, RegionConfig,
    Resource, RunbookConfig, Scenario,
};

use crate::scan::{self, Pos};
use crate::source::SourceError;

/// The fields of a scenario file, as [`ScenarioFile`] declares them (a test holds the two together). A
/// text whose first field is none of these is not treated as a scenario (see `crate::scan::looks_like_struct`).
pub const FIELDS: &[&str] = &[
    "extends",
    "remove",
    "name",
    "description",
    "course",
    "seed",
    "horizon",
    "regions",
    "resources",
    "flows",
    "disasters",
    "runbooks",
    "measure",
    "budgets",
    "prices",
    "policy",
    "cost",
];

/// The lists whose items are matched by `name`: `(field, what one item is called)`.
const NAMED_LISTS: [(&str, &str); 3] = [
    ("flows", "flow"),
    ("disasters", "disaster"),
    ("runbooks", "runbook"),
];

/// A scenario file as written: everything optional so that an extending file can be short.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// The base this file extends: a built-in scenario name, or a path relative to this file.
    #[serde(default)]
    pub extends: Option<String>,
    /// Names of resources, flows, disasters or runbooks of the base to drop.
    #[serde(default)]
    pub remove: Vec<String>,
    /// Short name.
    #[serde(default)]
    pub name: Option<String>,
    /// What it shows, for students.
    #[serde(default)]
    pub description: Option<String>,
    /// Course reference and expectation.
    #[serde(default)]
    pub course: Option<CourseRef>,
    /// Seed of replication 0.
    #[serde(default)]
    pub seed: Option<u64>,
    /// How long each replication runs.
    #[serde(default)]
    pub horizon: Option<SimDuration>,
    /// Regions and AZs.
    #[serde(default)]
    pub regions: Option<Vec<RegionConfig>>,
    /// Resources by name.
    #[serde(default)]
    pub resources: BTreeMap<String, Resource>,
    /// Client traffic.
    #[serde(default)]
    pub flows: Vec<FlowConfig>,
    /// Disasters.
    #[serde(default)]
    pub disasters: Vec<DisasterConfig>,
    /// Runbooks.
    #[serde(default)]
    pub runbooks: Vec<RunbookConfig>,
    /// Measurement settings.
    #[serde(default)]
    pub measure: Option<MeasureConfig>,
    /// RTO/RPO budgets (an extending file's list replaces the base's).
    #[serde(default)]
    pub budgets: Option<Vec<Budget>>,
    /// Price overrides for the cost model (`service/region/item` → USD); an extending file's keys
    /// replace the base's and add to them.
    #[serde(default)]
    pub prices: Option<PriceOverrides>,
    /// The resilience policy `drsim assess` holds the scenario to (an extending file's replaces the
    /// base's).
    #[serde(default)]
    pub policy: Option<Policy>,
    /// How recovery is billed (an extending file's replaces the base's).
    #[serde(default)]
    pub cost: Option<CostConfig>,
}

impl ScenarioFile {
    /// What serde does not see in `text`, the file this was parsed from (labelled `file`): a map key given
    /// twice (`resources`, runbook `states`, `prices`, any map), two flows, disasters or runbooks of one
    /// name, and `remove` in a file that extends nothing. Each problem is placed at its second occurrence
    /// and names the first.
    pub fn check_text(&self, file: &str, text: &str) -> Vec<SourceError> {
        let found = scan::scan(text);
        let at = |pos: Pos| format!("{file}:{}:{}", pos.line, pos.col);
        let located = |pos: Pos, message: String| SourceError {
            file: file.to_string(),
            line: Some(pos.line),
            col: Some(pos.col),
            message,
        };
        let mut problems = Vec::new();
        for d in &found.duplicate_keys {
            let map = d
                .field
                .as_deref()
                .map_or_else(|| "a map".to_string(), |f| format!("`{f}`"));
            problems.push(located(
                d.again,
                format!(
                    "key {:?} is given twice in {map} (the first at {}); RON would keep only the last: remove or rename one",
                    d.key,
                    at(d.first)
                ),
            ));
        }
        let lists: [Vec<&str>; 3] = [
            self.flows.iter().map(|f| f.name.as_str()).collect(),
            self.disasters.iter().map(|d| d.name.as_str()).collect(),
            self.runbooks.iter().map(|r| r.name.as_str()).collect(),
        ];
        for ((field, what), names) in NAMED_LISTS.iter().zip(lists) {
            let mut seen = BTreeMap::new();
            for name in names {
                *seen.entry(name).or_insert(0usize) += 1;
            }
            for (name, _) in seen.into_iter().filter(|&(_, count)| count > 1) {
                let places: Vec<Pos> = found
                    .item_names
                    .iter()
                    .filter(|(list, n, _)| list == field && n == name)
                    .map(|&(_, _, pos)| pos)
                    .collect();
                let message = |first: &str| {
                    format!(
                        "two {what}s are named {name:?}{first}; {what} names must be unique (an extending file replaces a base's {what} by its name)"
                    )
                };
                match places.as_slice() {
                    [first, again @ ..] if !again.is_empty() => {
                        for &pos in again {
                            problems.push(located(
                                pos,
                                message(&format!(" (the first at {})", at(*first))),
                            ));
                        }
                    }
                    _ => problems.push(SourceError::whole(file, message(""))),
                }
            }
        }
        if self.extends.is_none() && !self.remove.is_empty() {
            let message = "`remove` drops items of the base a file extends, but this file has no `extends`: add `extends: \"BASE\"` or delete `remove`".to_string();
            problems.push(match found.fields.iter().find(|(f, _)| f == "remove") {
                Some(&(_, pos)) => located(pos, message),
                None => SourceError::whole(file, message),
            });
        }
        problems
    }

    /// The complete scenario of a file that extends nothing.
    pub fn into_scenario(self, file: &str) -> Result<Scenario, SourceError> {
        let missing = |field: &str| {
            SourceError::whole(
                file,
                format!("missing field `{field}` (required unless the file `extends` a base)"),
            )
        };
        Ok(Scenario {
            name: self.name.ok_or_else(|| missing("name"))?,
            description: self.description.unwrap_or_default(),
            course: self.course,
            seed: self.seed.unwrap_or(1),
            horizon: self.horizon.ok_or_else(|| missing("horizon"))?,
            regions: self.regions.ok_or_else(|| missing("regions"))?,
            resources: self.resources,
            flows: self.flows,
            disasters: self.disasters,
            runbooks: self.runbooks,
            measure: self.measure.unwrap_or_default(),
            budgets: self.budgets.unwrap_or_default(),
            prices: self.prices,
            policy: self.policy,
            cost: self.cost.unwrap_or_default(),
        })
    }

    /// This file laid over `base`.
    pub fn overlay(self, mut base: Scenario, file: &str) -> Result<Scenario, SourceError> {
        for name in &self.remove {
            let before = base.resources.len()
                + base.flows.len()
                + base.disasters.len()
                + base.runbooks.len();
            base.resources.remove(name);
            base.flows.retain(|f| &f.name != name);
            base.disasters.retain(|d| &d.name != name);
            base.runbooks.retain(|r| &r.name != name);
            let after = base.resources.len()
                + base.flows.len()
                + base.disasters.len()
                + base.runbooks.len();
            if before == after {
                return Err(SourceError::whole(
                    file,
                    format!("`remove` names {name:?}, which the base does not have"),
                ));
            }
        }
        if let Some(v) = self.name {
            base.name = v;
        }
        if let Some(v) = self.description {
            base.description = v;
        }
        if self.course.is_some() {
            base.course = self.course;
        }
        if let Some(v) = self.seed {
            base.seed = v;
        }
        if let Some(v) = self.horizon {
            base.horizon = v;
        }
        if let Some(v) = self.regions {
            base.regions = v;
        }
        if let Some(v) = self.measure {
            base.measure = v;
        }
        if let Some(v) = self.budgets {
            base.budgets = v;
        }
        if self.policy.is_some() {
            base.policy = self.policy;
        }
        if let Some(v) = self.cost {
            base.cost = v;
        }
        if let Some(prices) = self.prices {
            base.prices
                .get_or_insert_with(PriceOverrides::new)
                .extend(prices);
        }
        base.resources.extend(self.resources);
        replace_by_name(&mut base.flows, self.flows, |f| &f.name);
        replace_by_name(&mut base.disasters, self.disasters, |d| &d.name);
        replace_by_name(&mut base.runbooks, self.runbooks, |r| &r.name);
        Ok(base)
    }
}

/// Replaces items of `base` that share a name with one of `new`, in place; appends the others in order.
fn replace_by_name<T>(base: &mut Vec<T>, new: Vec<T>, name: impl Fn(&T) -> &String) {
    for item in new {
        match base.iter().position(|b| name(b) == name(&item)) {
            Some(i) => base[i] = item,
            None => base.push(item),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_the_fields_of_a_scenario_file() {
        // The parser lists the valid fields when it meets an unknown one.
        let e = crate::source::parse_ron::<ScenarioFile>("f", "(zzz: 1)").unwrap_err();
        assert!(
            e.message
                .ends_with(&format!("(valid: {})", FIELDS.join(", "))),
            "{}",
            e.message
        );
    }
}
