//! A scenario as a topology graph: Regions ⊃ AZs ⊃ resources, with the routing and dependency edges each
//! service declares ([`Service::references`](crate::model::Service::references)), for validation (dangling
//! references, cycles, misplaced resources, routing depth) and for the report's picture.

use crate::model::service::{Expect, Forward, Placement};
use crate::model::topology::{EdgeKind, EdgeSpec, NodeSpec, TopologySpec};
use crate::spec::Scenario;

/// The topology of `scenario`: every resource placed where its config says, an edge for every drawn
/// reference between resources, and a dependency from each compute resource a flow reaches to the store
/// that flow uses.
pub fn topology_spec(scenario: &Scenario) -> TopologySpec {
    let regions = scenario
        .regions
        .iter()
        .map(|r| (r.name.clone(), r.azs.clone()))
        .collect();
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for (name, resource) in &scenario.resources {
        let service = resource.service();
        let (region, az) = match service.placement() {
            Placement::Region(r) => (Some(r), None),
            Placement::Az(a) => (None, Some(a)),
            Placement::Global | Placement::Nowhere => (None, None),
        };
        nodes.push(NodeSpec {
            name: name.clone(),
            kind: resource.kind().as_str().to_string(),
            region: region.map(str::to_string),
            az: az.map(str::to_string),
        });
        for reference in service.references() {
            let Some(kind) = reference.edge else { continue };
            // An alarm may watch a flow, which is not a vertex.
            if reference.expects == Expect::ResourceOrFlow
                && !scenario.resources.contains_key(reference.to)
            {
                continue;
            }
            edges.push(EdgeSpec {
                from: name.clone(),
                to: reference.to.to_string(),
                kind,
            });
        }
    }
    // Compute depends on the stores its flows use: every compute node reachable by routing from a flow's
    // entry (compute serves requests and routes them nowhere further).
    for flow in &scenario.flows {
        let Some(store) = &flow.store else { continue };
        let mut stack = vec![flow.entry.as_str()];
        let mut seen: Vec<&str> = Vec::new();
        while let Some(name) = stack.pop() {
            if seen.contains(&name) || seen.len() > scenario.resources.len() {
                continue;
            }
            seen.push(name);
            let Some(resource) = scenario.resources.get(name) else {
                continue;
            };
            let service = resource.service();
            let routes: Vec<&str> = service
                .references()
                .into_iter()
                .filter(|r| r.edge == Some(EdgeKind::Routing))
                .map(|r| r.to)
                .collect();
            let compute = routes.is_empty() && service.forward(flow, scenario) == Forward::Serves;
            if compute && !edges.iter().any(|e| e.from == name && e.to == *store) {
                edges.push(EdgeSpec {
                    from: name.to_string(),
                    to: store.clone(),
                    kind: EdgeKind::Dependency,
                });
            }
            stack.extend(routes);
        }
    }
    TopologySpec {
        regions,
        nodes,
        edges,
    }
}
