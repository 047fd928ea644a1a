//! Unit tests of `cost/mod.rs`.

use super::*;
use crate::engine::time::SimDuration;
use crate::spec::RegionConfig;
use crate::spec::Target;
use crate::spec::{FlowConfig, FlowKind, RecordConfig, Resource, RoutingPolicy};

fn flow(entry: &str, clients: Option<&str>) -> FlowConfig {
    FlowConfig {
        name: "f".to_string(),
        kind: FlowKind::Write,
        rate_per_s: 10.0,
        entry: entry.to_string(),
        store: Some("db".to_string()),
        slo: 0.99,
        critical: true,
        clients: clients.map(crate::spec::Clients::from),
        timeout: SimDuration::from_secs(60),
    }
}

fn scenario(resources: Vec<(&str, Resource)>, flows: Vec<FlowConfig>) -> Scenario {
    let region = |name: &str| RegionConfig {
        name: name.to_string(),
        azs: vec![format!("{name}a")],
        site: None,
    };
    Scenario {
        name: "t".to_string(),
        description: String::new(),
        course: None,
        seed: 1,
        horizon: SimDuration::from_hours(1),
        regions: vec![region("us-east-1"), region("us-west-2")],
        resources: resources
            .into_iter()
            .map(|(n, r)| (n.to_string(), r))
            .collect(),
        flows,
        disasters: Vec::new(),
        runbooks: Vec::new(),
        measure: Default::default(),
        prices: None,
        budgets: vec![],
        cost: Default::default(),
        policy: None,
    }
}

fn record(policy: RoutingPolicy) -> Resource {
    Resource::Record(RecordConfig::new(policy))
}

fn lambda(region: &str) -> Resource {
    Resource::Lambda(crate::spec::LambdaConfig {
        region: region.to_string(),
    })
}

#[test]
fn traffic_follows_the_steady_state_answer_of_each_record() {
    let latency = RoutingPolicy::Latency {
        targets: vec![
            ("us-east-1".to_string(), Target::new("east")),
            ("us-west-2".to_string(), Target::new("west")),
        ],
    };
    let weighted = RoutingPolicy::Weighted {
        targets: vec![(1, Target::new("east")), (3, Target::new("west"))],
    };
    let failover = RoutingPolicy::Failover {
        primary: Target::new("west"),
        secondary: Target::new("east"),
    };
    let s = scenario(
        vec![
            ("east", lambda("us-east-1")),
            ("west", lambda("us-west-2")),
            ("lat", record(latency)),
            ("wei", record(weighted)),
            ("fo", record(failover)),
        ],
        vec![
            flow("lat", Some("us-west-2")),
            flow("lat", None),
            flow("wei", None),
            flow("fo", None),
        ],
    );
    let t = SteadyTraffic::of(&s);
    let rates = |pairs: &[(&str, f64)]| -> BTreeMap<String, f64> {
        pairs.iter().map(|&(n, r)| (n.to_string(), r)).collect()
    };
    let expected = [
        ("lat", 20.0),
        ("wei", 10.0),
        ("fo", 10.0),
        ("east", 12.5),
        ("west", 27.5),
    ];
    assert_eq!(t.requests_per_s, rates(&expected));
    assert_eq!(t.writes_per_s, rates(&[("db", 40.0)]), "all reach compute");
}

#[test]
fn cloudfront_passes_only_cache_misses_to_its_first_origin() {
    let cdn = crate::spec::CloudFrontConfig {
        cache: Some(crate::spec::CacheConfig {
            hit_ratio: 0.75,
            ttl: SimDuration::from_mins(5),
        }),
        ..ron::from_str(r#"(origins: ["east", "west"])"#).unwrap()
    };
    let traffic = |kind: FlowKind| {
        let s = scenario(
            vec![
                ("east", lambda("us-east-1")),
                ("west", lambda("us-west-2")),
                ("cdn", Resource::CloudFront(cdn.clone())),
            ],
            vec![FlowConfig {
                kind,
                ..flow("cdn", None)
            }],
        );
        let t = SteadyTraffic::of(&s);
        let rates: Vec<(String, f64)> = t
            .requests_per_s
            .iter()
            .map(|(n, &r)| (n.clone(), r))
            .collect();
        (rates, t)
    };
    let (rates, t) = traffic(FlowKind::Read);
    let at = |rates: &[(String, f64)]| -> Vec<f64> { rates.iter().map(|r| r.1).collect() };
    assert_eq!(
        at(&rates),
        [10.0, 2.5],
        "west is the failover origin: {rates:?}"
    );
    assert_eq!(t.reads_per_s.values().copied().collect::<Vec<f64>>(), [2.5]);
    // Writes are never cache hits.
    let (rates, t) = traffic(FlowKind::Write);
    assert_eq!(at(&rates), [10.0, 10.0], "{rates:?}");
    assert_eq!(
        t.writes_per_s.values().copied().collect::<Vec<f64>>(),
        [10.0]
    );
}
