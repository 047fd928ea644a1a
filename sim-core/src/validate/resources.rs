//! Resources and what they name: each resource's own fields and references (checked by its service), what
//! alarms watch, records answering endpoints a stack creates, stacks creating resources outside their
//! Region, and the topology (dangling references, cycles, misplaced resources, routing depth).

use crate::model::place::Catalog;
use crate::model::service::{Expect, Placement, Reference};
use crate::model::topology::{self, TopologyError};
use crate::spec::Resource;
use crate::spec::limits::MAX_ROUTING_DEPTH;

use super::{Validator, topology_spec};

impl Validator<'_> {
    pub(super) fn resources(&mut self) {
        let catalog = Catalog::of(&self.scenario.regions);
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
    pub(super) fn alarms(&mut self) {
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
    pub(super) fn created_endpoints(&mut self) {
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
    pub(super) fn stack_regions(&mut self) {
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

    pub(super) fn topology(&mut self) {
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
}
