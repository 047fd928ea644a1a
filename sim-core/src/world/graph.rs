//! A scenario as a topology graph: Regions ⊃ AZs ⊃ resources, with routing, dependency and replication
//! edges, for validation (dangling references, cycles, misplaced resources) and for the report's picture.

use crate::model::topology::{EdgeKind, EdgeSpec, NodeSpec, TopologySpec};
use crate::spec::{RdsDeployment, Resource, Scenario};

/// The topology of `scenario`: every resource placed where its config says, and an edge for every
/// reference between resources (routing: records, distributions, load balancers; dependency: compute on
/// the stores its flows use, health checks and alarms on what they watch, stacks on what they create).
pub fn topology_spec(scenario: &Scenario) -> TopologySpec {
    let regions = scenario
        .regions
        .iter()
        .map(|r| (r.name.clone(), r.azs.clone()))
        .collect();
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let mut edge = |from: &str, to: &str, kind: EdgeKind| {
        edges.push(EdgeSpec {
            from: from.to_string(),
            to: to.to_string(),
            kind,
        });
    };
    for (name, resource) in &scenario.resources {
        let (region, az): (Option<&str>, Option<&str>) = match resource {
            Resource::Rds(c) => match &c.deployment {
                RdsDeployment::SingleAz { az } => (None, Some(az)),
                RdsDeployment::MultiAzInstance { primary_az, .. } => (None, Some(primary_az)),
                RdsDeployment::MultiAzCluster { writer_az, .. } => (None, Some(writer_az)),
            },
            Resource::Aurora(c) => (None, c.instance_azs.first().map(String::as_str)),
            Resource::DynamoDb(c) => (Some(&c.region), None),
            Resource::S3(c) => (Some(&c.region), None),
            Resource::Ec2(c) => (None, Some(&c.az)),
            Resource::Asg(c) => (Some(&c.region), None),
            Resource::Alb(c) => (Some(&c.region), None),
            Resource::Lambda(c) => (Some(&c.region), None),
            Resource::Stack(c) => (Some(&c.region), None),
            Resource::CloudFront(_)
            | Resource::Record(_)
            | Resource::HealthCheck(_)
            | Resource::Alarm(_) => (None, None),
        };
        nodes.push(NodeSpec {
            name: name.clone(),
            kind: resource.kind().to_string(),
            region: region.map(str::to_string),
            az: az.map(str::to_string),
        });
        match resource {
            Resource::Alb(c) => c
                .targets
                .iter()
                .for_each(|t| edge(name, t, EdgeKind::Routing)),
            Resource::CloudFront(c) => c
                .origins
                .iter()
                .for_each(|o| edge(name, o, EdgeKind::Routing)),
            Resource::Record(c) => c
                .targets()
                .iter()
                .for_each(|t| edge(name, &t.endpoint, EdgeKind::Routing)),
            Resource::HealthCheck(c) => edge(name, &c.target, EdgeKind::Dependency),
            Resource::Stack(c) => c
                .resources
                .iter()
                .for_each(|r| edge(name, r, EdgeKind::Dependency)),
            Resource::Alarm(c) if scenario.resources.contains_key(&c.watches) => {
                edge(name, &c.watches, EdgeKind::Dependency)
            }
            _ => {}
        }
    }
    // Compute depends on the stores its flows use: every compute node reachable from a flow's entry.
    for flow in &scenario.flows {
        let Some(store) = &flow.store else { continue };
        let mut stack = vec![flow.entry.clone()];
        let mut seen: Vec<String> = Vec::new();
        while let Some(name) = stack.pop() {
            if seen.contains(&name) || seen.len() > scenario.resources.len() {
                continue;
            }
            seen.push(name.clone());
            match scenario.resources.get(&name) {
                Some(Resource::Asg(_) | Resource::Ec2(_) | Resource::Lambda(_))
                    if !edges.iter().any(|e| e.from == name && e.to == *store) =>
                {
                    edges.push(EdgeSpec {
                        from: name.clone(),
                        to: store.clone(),
                        kind: EdgeKind::Dependency,
                    });
                }
                Some(Resource::Alb(c)) => stack.extend(c.targets.iter().cloned()),
                Some(Resource::CloudFront(c)) => stack.extend(c.origins.iter().cloned()),
                Some(Resource::Record(c)) => {
                    stack.extend(c.targets().iter().map(|t| t.endpoint.clone()))
                }
                _ => {}
            }
        }
    }
    TopologySpec {
        regions,
        nodes,
        edges,
    }
}
