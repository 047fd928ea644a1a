//! Budgets and prices: the flow, store and disaster each budget names exist, the price table knows every
//! instance type and class, and `prices` overrides are well formed.

use crate::model::service::Expect;

use super::Validator;

impl Validator<'_> {
    /// Each budget's flow, store and disaster exist: a budget on nothing could never be judged (and was
    /// once only refused when `drsim check` ran it).
    pub(super) fn budgets(&mut self) {
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

    /// Instance types and classes the price table knows, and well-formed `prices` overrides.
    pub(super) fn prices(&mut self) {
        let (table, mut problems) = crate::cost::table_for(self.scenario);
        problems.extend(crate::cost::validate(self.scenario, &table));
        for problem in problems {
            // Messages quote the offending key or resource; point at the first quoted name.
            let near = problem.split('"').nth(1).map(str::to_string);
            self.issue(near.as_deref(), problem);
        }
    }
}
