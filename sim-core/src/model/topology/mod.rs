//! The topology graph: Regions contain AZs contain resources, linked by dependency, replication and routing.
//!
//! A [`TopologySpec`] is what a scenario writes; [`build`] checks it and returns a [`Topology`] (a
//! `petgraph` graph) or **every** problem found, in a stable order: duplicate names, then placements, then
//! edges (in spec order), then dependency cycles. Placement edges (Region → AZ → resource) are derived from
//! each node's `region`/`az`; a node with neither is global (Route 53, CloudFront). An edge `from → to`
//! reads "from depends on / replicates to / routes to `to`".

mod error;

pub use error::TopologyError;

use std::collections::{BTreeMap, VecDeque};
use std::fmt::{self, Write as _};

use petgraph::graph::{DiGraph, NodeIndex};
use serde::{Deserialize, Serialize};

use crate::model::Catalog;

/// A topology as a scenario writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopologySpec {
    /// Each Region and its AZs, e.g. `("us-east-1", ["use1-az1", "use1-az2"])`.
    pub regions: Vec<(String, Vec<String>)>,
    /// The resources.
    pub nodes: Vec<NodeSpec>,
    /// Links between resources.
    #[serde(default)]
    pub edges: Vec<EdgeSpec>,
}

/// One resource.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    /// Unique name.
    pub name: String,
    /// What it is (`"asg"`, `"aurora"`, `"route53-record"`, …): free text, shown in the DOT output.
    pub kind: String,
    /// Its Region (regional and zonal resources); inferred from `az` when omitted.
    #[serde(default)]
    pub region: Option<String>,
    /// Its AZ (zonal resources only).
    #[serde(default)]
    pub az: Option<String>,
}

/// A link between two resources.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeSpec {
    /// Source: the dependent, the primary, or the router.
    pub from: String,
    /// Destination: the dependency, the replica, or the routed-to endpoint.
    pub to: String,
    /// What the link means.
    pub kind: EdgeKind,
}

/// What a link means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EdgeKind {
    /// `from` needs `to` to serve (web → db). Must not form cycles.
    Dependency,
    /// `from` (a primary) replicates to `to` (a replica).
    Replication,
    /// `from` (a DNS record, an origin group) sends traffic to `to`.
    Routing,
}

impl fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EdgeKind::Dependency => "dependency",
            EdgeKind::Replication => "replication",
            EdgeKind::Routing => "routing",
        })
    }
}

/// What a graph vertex stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Vertex {
    Region(usize),
    /// Region index, AZ index within that Region's list.
    Az(usize, usize),
    Node(usize),
}

/// What a graph edge stands for: derived placement, or a spec edge (by index into `edges`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    Placement,
    Spec(EdgeKind),
}

/// A checked topology: the graph plus the resolved spec.
#[derive(Clone, Debug)]
pub struct Topology {
    graph: DiGraph<Vertex, Link>,
    regions: Vec<(String, Vec<String>)>,
    /// Nodes with their Region filled in when it was inferred from the AZ.
    nodes: Vec<NodeSpec>,
    node_vertex: Vec<NodeIndex>,
    by_name: BTreeMap<String, usize>,
    edges: Vec<EdgeSpec>,
}

/// Checks `spec` and builds its graph, or returns every problem found (see the module doc for the order).
pub fn build(spec: &TopologySpec) -> Result<Topology, Vec<TopologyError>> {
    let mut errors = Vec::new();
    let mut graph = DiGraph::new();

    // Regions and AZs: names unique within their kind.
    let mut region_vertex: BTreeMap<&str, NodeIndex> = BTreeMap::new();
    let mut az_region: BTreeMap<&str, (usize, NodeIndex)> = BTreeMap::new();
    for (r, (region, azs)) in spec.regions.iter().enumerate() {
        if region_vertex.contains_key(region.as_str()) {
            errors.push(duplicate("region", region));
            continue;
        }
        let rv = graph.add_node(Vertex::Region(r));
        region_vertex.insert(region, rv);
        for (k, az) in azs.iter().enumerate() {
            if az_region.contains_key(az.as_str()) {
                errors.push(duplicate("AZ", az));
                continue;
            }
            let av = graph.add_node(Vertex::Az(r, k));
            graph.add_edge(rv, av, Link::Placement);
            az_region.insert(az, (r, av));
        }
    }

    // Nodes: unique names, known places, AZ inside the node's Region.
    let mut nodes = Vec::with_capacity(spec.nodes.len());
    let mut node_vertex = Vec::with_capacity(spec.nodes.len());
    let mut by_name = BTreeMap::new();
    for node in &spec.nodes {
        if by_name.contains_key(&node.name) {
            errors.push(duplicate("node", &node.name));
            continue;
        }
        let mut resolved = node.clone();
        let mut parent = None;
        if let Some(region) = &node.region {
            match region_vertex.get(region.as_str()) {
                Some(&rv) => parent = Some(rv),
                None => errors.push(TopologyError::UnknownRegion {
                    node: node.name.clone(),
                    region: region.clone(),
                }),
            }
        }
        if let Some(az) = &node.az {
            match az_region.get(az.as_str()) {
                None => errors.push(TopologyError::UnknownAz {
                    node: node.name.clone(),
                    az: az.clone(),
                }),
                Some(&(r, av)) => {
                    let az_region_name = &spec.regions[r].0;
                    match &node.region {
                        Some(region) if region != az_region_name => {
                            errors.push(TopologyError::AzInOtherRegion {
                                node: node.name.clone(),
                                az: az.clone(),
                                az_region: az_region_name.clone(),
                                region: region.clone(),
                            });
                        }
                        _ => {
                            resolved.region = Some(az_region_name.clone());
                            parent = Some(av);
                        }
                    }
                }
            }
        }
        let v = graph.add_node(Vertex::Node(nodes.len()));
        if let Some(p) = parent {
            graph.add_edge(p, v, Link::Placement);
        }
        by_name.insert(node.name.clone(), nodes.len());
        nodes.push(resolved);
        node_vertex.push(v);
    }

    // Edges: both ends must exist; a replica without its primary gets its own message.
    let mut edges = Vec::with_capacity(spec.edges.len());
    let mut deps: DiGraph<(), ()> = DiGraph::with_capacity(nodes.len(), spec.edges.len());
    for _ in 0..nodes.len() {
        deps.add_node(());
    }
    let mut routes: DiGraph<(), ()> = DiGraph::with_capacity(nodes.len(), spec.edges.len());
    for _ in &nodes {
        routes.add_node(());
    }
    for edge in &spec.edges {
        let (from, to) = (by_name.get(&edge.from), by_name.get(&edge.to));
        match (from, to) {
            (Some(&f), Some(&t)) => {
                graph.add_edge(node_vertex[f], node_vertex[t], Link::Spec(edge.kind));
                if edge.kind == EdgeKind::Dependency {
                    deps.add_edge(NodeIndex::new(f), NodeIndex::new(t), ());
                }
                if edge.kind == EdgeKind::Routing {
                    routes.add_edge(NodeIndex::new(f), NodeIndex::new(t), ());
                }
                edges.push(edge.clone());
            }
            (None, _) if edge.kind == EdgeKind::Replication => {
                errors.push(TopologyError::MissingPrimary {
                    primary: edge.from.clone(),
                    replica: edge.to.clone(),
                });
            }
            _ => {
                let missing = [(from, &edge.from), (to, &edge.to)]
                    .iter()
                    .filter(|(found, _)| found.is_none())
                    .map(|(_, name)| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                errors.push(TopologyError::Dangling {
                    from: edge.from.clone(),
                    to: edge.to.clone(),
                    kind: edge.kind,
                    missing,
                });
            }
        }
    }

    for cycle in dependency_cycles(&deps) {
        errors.push(TopologyError::DependencyCycle {
            cycle: cycle.iter().map(|&i| nodes[i].name.clone()).collect(),
        });
    }

    // Without this, evaluating a flow through a loop recursed to the depth guard with fan-out at every
    // level: a run that never finished.
    for cycle in dependency_cycles(&routes) {
        errors.push(TopologyError::RoutingCycle {
            cycle: cycle.iter().map(|&i| nodes[i].name.clone()).collect(),
        });
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Topology {
        graph,
        regions: spec.regions.clone(),
        nodes,
        node_vertex,
        by_name,
        edges,
    })
}

fn duplicate(what: &'static str, name: &str) -> TopologyError {
    TopologyError::DuplicateName {
        what,
        name: name.to_string(),
    }
}

/// One cycle per strongly connected component of the dependency graph (or self-loop), each starting at
/// the component's first-declared node and closed by repeating it; the shortest such cycle, ordered by
/// that node.
fn dependency_cycles(deps: &DiGraph<(), ()>) -> Vec<Vec<usize>> {
    let mut cycles = Vec::new();
    for component in petgraph::algo::tarjan_scc(deps) {
        let start = component.iter().map(|v| v.index()).min().unwrap_or(0);
        let self_loop = deps.contains_edge(NodeIndex::new(start), NodeIndex::new(start));
        if component.len() == 1 && !self_loop {
            continue;
        }
        let inside: Vec<usize> = component.iter().map(|v| v.index()).collect();
        cycles.push(shortest_cycle_through(deps, start, &inside));
    }
    cycles.sort_by_key(|c| c[0]);
    cycles
}

/// Breadth-first search from `start` back to itself within `inside`, successors in declaration order.
fn shortest_cycle_through(deps: &DiGraph<(), ()>, start: usize, inside: &[usize]) -> Vec<usize> {
    let successors = |v: usize| {
        let mut next: Vec<usize> = deps
            .neighbors(NodeIndex::new(v))
            .map(|n| n.index())
            .filter(|n| inside.contains(n))
            .collect();
        next.sort_unstable();
        next.dedup();
        next
    };
    let mut parent: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for n in successors(v) {
            if n == start {
                let mut path = vec![v];
                while let Some(&p) = parent.get(path.last().unwrap_or(&start)) {
                    path.push(p);
                }
                path.reverse();
                path.push(start);
                return path;
            }
            if let std::collections::btree_map::Entry::Vacant(slot) = parent.entry(n) {
                slot.insert(v);
                queue.push_back(n);
            }
        }
    }
    vec![start, start]
}

impl Topology {
    /// The resources, in spec order, with `region` filled in where it was inferred from the AZ.
    pub fn nodes(&self) -> &[NodeSpec] {
        &self.nodes
    }

    /// The resource called `name`.
    pub fn node(&self, name: &str) -> Option<&NodeSpec> {
        self.by_name.get(name).map(|&i| &self.nodes[i])
    }

    /// The spec's edges, in spec order.
    pub fn edges(&self) -> &[EdgeSpec] {
        &self.edges
    }

    /// The Regions and their AZs, in spec order.
    pub fn regions(&self) -> &[(String, Vec<String>)] {
        &self.regions
    }

    /// The destinations of `name`'s edges of `kind`, in spec order (empty for an unknown name).
    pub fn targets_of(&self, name: &str, kind: EdgeKind) -> Vec<&str> {
        self.edges
            .iter()
            .filter(|e| e.from == name && e.kind == kind)
            .map(|e| e.to.as_str())
            .collect()
    }

    /// What `name` directly depends on, in spec order.
    pub fn dependencies_of(&self, name: &str) -> Vec<&str> {
        self.targets_of(name, EdgeKind::Dependency)
    }

    /// The longest chain of routing edges (hops) and the resource it starts at; `None` without routing
    /// edges. Linear in the graph (routing cycles are refused by [`build`], so it is a DAG).
    pub fn longest_routing_chain(&self) -> Option<(usize, String)> {
        let n = self.nodes.len();
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut incoming = vec![0usize; n];
        for e in self.edges.iter().filter(|e| e.kind == EdgeKind::Routing) {
            let (from, to) = (self.by_name[&e.from], self.by_name[&e.to]);
            next[from].push(to);
            incoming[to] += 1;
        }
        let mut order = Vec::with_capacity(n);
        let mut ready: VecDeque<usize> = (0..n).filter(|&v| incoming[v] == 0).collect();
        while let Some(v) = ready.pop_front() {
            order.push(v);
            for &w in &next[v] {
                incoming[w] -= 1;
                if incoming[w] == 0 {
                    ready.push_back(w);
                }
            }
        }
        let mut longest = vec![0usize; n];
        for &v in order.iter().rev() {
            longest[v] = next[v].iter().map(|&w| longest[w] + 1).max().unwrap_or(0);
        }
        (0..n)
            .max_by_key(|&v| (longest[v], std::cmp::Reverse(v)))
            .filter(|&v| longest[v] > 0)
            .map(|v| (longest[v], self.nodes[v].name.clone()))
    }

    /// Every resource, dependencies before their dependents (the order to create or start them); among
    /// resources free to go next, spec order.
    pub fn topological_order(&self) -> Vec<&str> {
        let n = self.nodes.len();
        // Count, for each node, the dependencies it still waits for.
        let mut waiting = vec![0usize; n];
        for e in self.edges.iter().filter(|e| e.kind == EdgeKind::Dependency) {
            waiting[self.by_name[&e.from]] += 1;
        }
        let mut done = vec![false; n];
        let mut order = Vec::with_capacity(n);
        // Quadratic in the worst case, but topologies are tens of nodes and this keeps the order obvious.
        while let Some(next) = (0..n).find(|&i| !done[i] && waiting[i] == 0) {
            done[next] = true;
            order.push(self.nodes[next].name.as_str());
            for e in self.edges.iter().filter(|e| e.kind == EdgeKind::Dependency) {
                if e.to == self.nodes[next].name {
                    waiting[self.by_name[&e.from]] -= 1;
                }
            }
        }
        order
    }

    /// A [`Catalog`] of the Regions and AZs, in spec order (Region ids are spec positions).
    pub fn catalog(&self) -> Catalog {
        let mut catalog = Catalog::new();
        for (region, azs) in &self.regions {
            let id = catalog.add_region(region);
            for az in azs {
                catalog.add_az(az, id);
            }
        }
        catalog
    }

    /// Graphviz DOT: Regions and AZs as nested clusters, global resources outside, edges styled by kind
    /// (dependency solid, replication dashed blue, routing bold green). Same topology ⇒ same text.
    pub fn to_dot(&self) -> String {
        let mut dot = String::from("digraph topology {\n  rankdir=LR;\n  node [shape=box];\n");
        let node_line = |dot: &mut String, indent: &str, i: usize| {
            let n = &self.nodes[i];
            let _ = writeln!(
                dot,
                "{indent}{} [label={}];",
                quote(&n.name),
                quote(&format!("{}\n{}", n.name, n.kind))
            );
        };
        // Walk placement edges from each Region vertex so the nesting mirrors the graph.
        let children = |v: NodeIndex| {
            let mut out: Vec<NodeIndex> = self
                .graph
                .edges(v)
                .filter(|e| *e.weight() == Link::Placement)
                .map(|e| petgraph::visit::EdgeRef::target(&e))
                .collect();
            out.sort_unstable();
            out
        };
        for rv in self.graph.node_indices() {
            let Vertex::Region(r) = self.graph[rv] else {
                continue;
            };
            let _ = writeln!(
                dot,
                "  subgraph cluster_r{r} {{\n    label={};",
                quote(&self.regions[r].0)
            );
            for child in children(rv) {
                match self.graph[child] {
                    Vertex::Az(_, k) => {
                        let _ = writeln!(
                            dot,
                            "    subgraph cluster_r{r}_az{k} {{\n      label={};",
                            quote(&self.regions[r].1[k])
                        );
                        for grandchild in children(child) {
                            if let Vertex::Node(i) = self.graph[grandchild] {
                                node_line(&mut dot, "      ", i);
                            }
                        }
                        dot.push_str("    }\n");
                    }
                    Vertex::Node(i) => node_line(&mut dot, "    ", i),
                    Vertex::Region(_) => {}
                }
            }
            dot.push_str("  }\n");
        }
        for (i, n) in self.nodes.iter().enumerate() {
            if n.region.is_none() {
                node_line(&mut dot, "  ", i);
            }
        }
        for e in &self.edges {
            let style = match e.kind {
                EdgeKind::Dependency => "label=\"depends on\"",
                EdgeKind::Replication => "label=\"replicates to\", style=dashed, color=blue",
                EdgeKind::Routing => "label=\"routes to\", style=bold, color=darkgreen",
            };
            let _ = writeln!(dot, "  {} -> {} [{style}];", quote(&e.from), quote(&e.to));
        }
        dot.push_str("}\n");
        dot
    }

    /// The number of graph vertices (Regions + AZs + resources), for sanity checks.
    pub fn vertex_count(&self) -> usize {
        debug_assert_eq!(self.node_vertex.len(), self.nodes.len());
        self.graph.node_count()
    }
}

/// A DOT string literal.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A spec over two Regions with two AZs each. Nodes: `name:kind`, then optionally `@region`,
    /// `@region/az` or `@/az`. Edges: `a -> b` (dependency), `a => b` (replication), `a ~> b` (routing).
    fn spec(nodes: &[&str], edges: &[&str]) -> TopologySpec {
        let region = |r: &str, azs: [&str; 2]| (r.to_string(), azs.map(String::from).to_vec());
        let nodes = nodes
            .iter()
            .map(|n| {
                let (head, place) = n.split_once('@').unwrap_or((n, ""));
                let (name, kind) = head.split_once(':').unwrap_or((head, "svc"));
                let (region, az) = place.split_once('/').unwrap_or((place, ""));
                let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
                NodeSpec {
                    name: name.into(),
                    kind: kind.into(),
                    region: some(region),
                    az: some(az),
                }
            })
            .collect();
        let edges = edges
            .iter()
            .map(|e| {
                let (kind, arrow) = [
                    (EdgeKind::Dependency, "->"),
                    (EdgeKind::Replication, "=>"),
                    (EdgeKind::Routing, "~>"),
                ]
                .into_iter()
                .find(|(_, a)| e.contains(a))
                .unwrap();
                let (from, to) = e.split_once(arrow).unwrap();
                EdgeSpec {
                    from: from.trim().into(),
                    to: to.trim().into(),
                    kind,
                }
            })
            .collect();
        TopologySpec {
            regions: vec![
                region("us-east-1", ["use1-az1", "use1-az2"]),
                region("us-west-2", ["usw2-az1", "usw2-az2"]),
            ],
            nodes,
            edges,
        }
    }

    /// Builds `spec` and compares the error messages with `expect` (empty: it must build).
    fn check(spec: TopologySpec, expect: &[&str]) {
        let got: Vec<String> = match build(&spec) {
            Ok(_) => vec![],
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn a_sound_topology_builds() {
        check(
            spec(
                &[
                    "dns:route53",
                    "web:asg@/use1-az1",
                    "db:aurora@us-east-1",
                    "db2:aurora@us-west-2",
                ],
                &["dns ~> web", "web -> db", "db => db2"],
            ),
            &[],
        );
    }

    #[test]
    fn duplicate_names() {
        let mut s = spec(&["web", "web"], &[]);
        s.regions
            .push(("us-east-1".into(), vec!["use1-az1".into()]));
        check(
            s,
            &[
                "region name `us-east-1` is used twice; rename one",
                "node name `web` is used twice; rename one",
            ],
        );
    }

    #[test]
    fn unknown_region_and_az() {
        check(
            spec(&["web@eu-west-1", "db@/use1-az9"], &[]),
            &[
                "node `web` is in region `eu-west-1`, which is not listed in `regions`",
                "node `db` is in AZ `use1-az9`, which no region in `regions` lists in its `azs`",
            ],
        );
    }

    #[test]
    fn az_of_another_region() {
        check(
            spec(&["web@us-east-1/usw2-az1"], &[]),
            &[
                "node `web` is in region `us-east-1` but AZ `usw2-az1` belongs to region `us-west-2`; \
               pick an AZ of `us-east-1`",
            ],
        );
    }

    #[test]
    fn dangling_edges_name_both_ends_and_kind() {
        check(
            spec(
                &["web", "dns"],
                &["web -> dbx", "cdn ~> nowhere", "dns ~> web"],
            ),
            &[
                "dependency edge `web` → `dbx`: no node named `dbx`",
                "routing edge `cdn` → `nowhere`: no node named `cdn` and `nowhere`",
            ],
        );
    }

    #[test]
    fn replica_of_missing_primary() {
        check(
            spec(
                &["replica@us-west-2"],
                &["primary => replica", "replica => gone"],
            ),
            &[
                "replication edge `primary` → `replica`: the primary `primary` does not exist; \
                 a replica needs its primary",
                "replication edge `replica` → `gone`: no node named `gone`",
            ],
        );
    }

    #[test]
    fn dependency_cycles_are_named_in_order() {
        check(
            spec(
                &["web", "api", "db", "solo", "x"],
                &[
                    "web -> api",
                    "api -> db",
                    "db -> web",
                    "solo -> solo",
                    "x -> web",
                ],
            ),
            &[
                "dependency cycle: web → api → db → web; remove one of these edges",
                "dependency cycle: solo → solo; remove one of these edges",
            ],
        );
        // Replication loops are not dependency cycles (nor errors).
        check(spec(&["a", "b"], &["a => b", "b => a"]), &[]);
        // Routing loops are not dependency cycles, but are errors of their own: requests would loop.
        check(
            spec(&["a", "b", "c"], &["a ~> b", "b ~> a", "c ~> c"]),
            &[
                "routing loop: a → b → a; requests would never reach a server, so route to compute or a store",
                "routing loop: c → c; requests would never reach a server, so route to compute or a store",
            ],
        );
    }

    #[test]
    fn order_dot_and_accessors() {
        let s = spec(
            &[
                "dns:route53",
                "web:asg@/use1-az1",
                "db:aurora@us-east-1",
                "db2:aurora@us-west-2",
                "cache@us-east-1",
            ],
            &["dns ~> web", "web -> db", "web -> cache", "db => db2"],
        );
        let t = build(&s).unwrap();
        assert_eq!(t.topological_order(), ["dns", "db", "db2", "cache", "web"]);
        assert_eq!(t.dependencies_of("web"), ["db", "cache"]);
        assert_eq!(t.node("web").unwrap().region.as_deref(), Some("us-east-1"));
        assert_eq!(t.catalog().az("usw2-az2").map(|(_, r)| r.0), Some(1));
        assert_eq!(t.vertex_count(), 2 + 4 + 5);
        let dot = t.to_dot();
        assert_eq!(dot, build(&s).unwrap().to_dot());
        for needle in [
            "subgraph cluster_r0 {\n    label=\"us-east-1\";\n    subgraph cluster_r0_az0 {\n      label=\"use1-az1\";\n      \"web\" [label=\"web\\nasg\"];\n    }",
            "\"db\" -> \"db2\" [label=\"replicates to\", style=dashed, color=blue];",
            "\"dns\" -> \"web\" [label=\"routes to\", style=bold, color=darkgreen];",
            "\n  \"dns\" [label=\"dns\\nroute53\"];",
        ] {
            assert!(dot.contains(needle), "missing {needle:?} in\n{dot}");
        }
    }

    /// Proptest case count: `DRSIM_PROPTEST_CASES`, else `default`.
    fn cases(default: u32) -> u32 {
        std::env::var("DRSIM_PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(256)))]

        /// Any random graph either builds, and then its topological order lists every node once with each
        /// dependency before its dependent, or fails with at least one error; never panics.
        #[test]
        fn build_never_panics_and_orders_dependencies(edges in prop::collection::vec((0usize..7, 0usize..7, 0u8..3), 0..14)) {
            let names = ["a", "b", "c", "d", "e", "f", "ghost"];
            let nodes: Vec<String> = names[..6].iter().map(|n| format!("{n}@us-east-1")).collect();
            let arrows = ["->", "=>", "~>"];
            let edges: Vec<String> = edges.iter().map(|&(f, t, k)| format!("{} {} {}", names[f], arrows[k as usize], names[t])).collect();
            let node_refs: Vec<&str> = nodes.iter().map(String::as_str).collect();
            let edge_refs: Vec<&str> = edges.iter().map(String::as_str).collect();
            match build(&spec(&node_refs, &edge_refs)) {
                Ok(t) => {
                    let order = t.topological_order();
                    prop_assert_eq!(order.len(), 6);
                    for e in t.edges().iter().filter(|e| e.kind == EdgeKind::Dependency) {
                        let pos = |n: &str| order.iter().position(|o| *o == n).unwrap();
                        prop_assert!(pos(&e.to) < pos(&e.from));
                    }
                }
                Err(errors) => prop_assert!(!errors.is_empty()),
            }
        }
    }
}
