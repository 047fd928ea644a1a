//! Runbook `Choice` rules evaluated against the world: store probes, health-check verdicts, Regions up.

use crate::spec::runbook::Condition;
use crate::world::{Nodes, Places, Slot};

impl Places {
    /// Whether `c` holds now.
    pub(crate) fn eval(&self, nodes: &Nodes<'_>, c: &Condition) -> bool {
        match c {
            Condition::Probe {
                store,
                what,
                op,
                value,
            } => {
                let probe = nodes
                    .node(store)
                    .and_then(|i| match nodes.slots[usize::from(i)] {
                        Slot::Store(k) => nodes.stores[k].probe(&self.health, *what),
                        Slot::Comp(_) => None,
                    });
                probe.is_some_and(|v| op.holds(v, *value))
            }
            Condition::Healthy(check) => nodes.node(check).is_none_or(|i| nodes.verdict(i)),
            Condition::RegionUp(region) => self
                .catalog
                .region(region)
                .is_some_and(|r| self.health.region_up(r)),
            Condition::And(all) => all.iter().all(|c| self.eval(nodes, c)),
            Condition::Or(any) => any.iter().any(|c| self.eval(nodes, c)),
            Condition::Not(inner) => !self.eval(nodes, inner),
        }
    }
}
