//! Unit tests of `model/topology/mod.rs`.

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
