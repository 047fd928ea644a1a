//! Scenario files: a whole scenario, or one that `extends` a base and changes only what differs.
//!
//! A file that extends a base (a built-in name or a path relative to the file) overlays it: fields given
//! replace the base's; `resources` replace or add by name; `flows`, `disasters` and `runbooks` replace or
//! add by their `name`; `prices` overrides replace or add by key; `remove` drops resources, flows,
//! disasters or runbooks by name. This is how the four
//! strategies share the reference application without copy-paste.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sim_core::SimDuration;
use sim_core::budget::Budget;
use sim_core::cost::PriceOverrides;
use sim_core::spec::{
    CourseRef, DisasterConfig, FlowConfig, MeasureConfig, RegionConfig, Resource, RunbookConfig,
    Scenario,
};

use crate::source::SourceError;

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
}

impl ScenarioFile {
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
