//! `scenarios::import`: realistic inputs (one template deployed twice by a parameter, CDK-style JSON, SAM, a
//! Lambda-driven failover state machine with a poll loop, an FIS AZ power interruption, a Terraform plan
//! with two aliased providers) imported, validated, swept and checked for the resources, edges and runbook
//! found; malformed inputs refused with positions; the imported two-Region template measured against a
//! hand-written scenario of the same architecture.

use std::collections::BTreeMap;

use scenarios::import::assemble::Options;
use scenarios::import::cloudformation::{self, StackInput};
use scenarios::import::{Base, fis, stepfunctions, terraform};
use sim_core::spec::{Resource, Scenario};

use crate::summarise;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/import");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn options(name: &str) -> Options {
    Options {
        name: name.to_string(),
        description: "test".to_string(),
        tasks: BTreeMap::new(),
    }
}

fn stack(region: &str, file: &str, params: &[(&str, &str)]) -> StackInput {
    StackInput {
        region: region.to_string(),
        label: file.to_string(),
        text: fixture(file),
        params: params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// Imports the shop template in two Regions; returns the text and the loaded scenario.
fn shop() -> (String, Scenario) {
    let stacks = [
        stack("us-east-1", "app.yaml", &[("IsPrimary", "yes")]),
        stack("us-west-2", "app.yaml", &[("IsPrimary", "no")]),
    ];
    let imported =
        cloudformation::import(&stacks, &options("shop")).unwrap_or_else(|e| panic!("{e}"));
    let scenario =
        scenarios::load_text("shop.ron", &imported.text).unwrap_or_else(|e| panic!("{e}"));
    (imported.text, scenario)
}

fn kinds(s: &Scenario) -> BTreeMap<String, &'static str> {
    s.resources
        .iter()
        .map(|(n, r)| (n.clone(), r.kind().as_str()))
        .collect()
}

#[test]
fn one_template_deployed_twice_is_one_global_architecture() {
    let (text, s) = shop();
    let k = kinds(&s);
    assert_eq!(k.get("shop-global"), Some(&"Aurora"), "{k:?}");
    let Resource::Aurora(db) = &s.resources["shop-global"] else {
        unreachable!()
    };
    assert_eq!(db.instance_azs, ["us-east-1a", "us-east-1b"]);
    assert_eq!(db.secondaries.len(), 1);
    assert_eq!(db.secondaries[0].region, "us-west-2");
    for name in ["web-group-us-east-1", "web-group-us-west-2"] {
        assert_eq!(k.get(name), Some(&"Asg"), "{k:?}");
    }
    assert_eq!(k.get("shop.example.com"), Some(&"Record"));
    assert_eq!(k.get("health-check"), Some(&"HealthCheck"));
    assert_eq!(k.get("shop-primary-unhealthy"), Some(&"Alarm"));
    // The report names what was left out and why; every resource names its source.
    assert!(text.starts_with("// Import report"), "{text}");
    assert!(
        text.contains("Vpc (AWS::EC2::VPC) in us-east-1: networking is not modelled"),
        "{text}"
    );
    assert!(text.contains("InstanceRole (AWS::IAM::Role)"), "{text}");
    assert!(
        text.contains("WebSecurityGroup (AWS::EC2::SecurityGroup)"),
        "{text}"
    );
    assert!(text.contains("GlobalCluster (AWS::RDS::GlobalCluster) in us-west-2: not deployed there (condition IsPrimaryRegion is false)"), "{text}");
    assert!(
        text.contains("// from app.yaml:60 DBCluster (AWS::RDS::DBCluster) in us-west-2"),
        "{text}"
    );
    assert!(
        text.contains("// from app.yaml:134 DnsRecord (AWS::Route53::RecordSet) in us-east-1"),
        "{text}"
    );
    // Flows and disasters are proposals; the runbook came through the ASL importer with its poll loop.
    assert!(
        text.contains("PROPOSAL: a write flow from shop.example.com to shop-global"),
        "{text}"
    );
    assert!(
        text.contains("PROPOSAL: the loss of the primary Region us-east-1"),
        "{text}"
    );
    assert_eq!(s.flows.len(), 2);
    assert_eq!(s.runbooks.len(), 1);
    let rb = &s.runbooks[0];
    assert_eq!(rb.start_at, "Approve");
    assert!(rb.states.contains_key("WaitForFailover") && !rb.states.contains_key("DescribeGlobal"));
    assert!(
        text.contains("FailoverGlobal(store: \"shop-global\", region: \"us-west-2\")"),
        "{text}"
    );
    assert!(
        text.contains("trigger: Alarm(\"shop-primary-unhealthy\")"),
        "{text}"
    );
    assert!(
        text.contains("assumption: approval takes LogNormal(15m, 1h)"),
        "{text}"
    );
}

/// The imported template and the hand-written scenario of the same architecture (other names, so other
/// random streams for lags and alarms; the same people and disaster streams), swept under the same seed.
/// Tolerance: p50 RTO within 5 %, p99 RTO within 15 %, p50 RPO within 0.2 s and p99 RPO within 2 s.
#[test]
fn the_imported_template_measures_like_the_hand_written_scenario() {
    let (_, imported) = shop();
    let hand = scenarios::load(&format!("{DIR}/shop-handwritten.ron"), &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let runs = 1000;
    let a = summarise(&imported, runs, Some(vec![0]));
    let b = summarise(&hand, runs, Some(vec![0]));
    let get = |e: &sim_core::sweep::stats::Estimate| e.value.expect("recovered");
    let (rto50, rto50h) = (get(&a.rto_s.p50), get(&b.rto_s.p50));
    let (rto99, rto99h) = (get(&a.rto_s.p99), get(&b.rto_s.p99));
    let (rpo50, rpo50h) = (get(&a.rpo_s.p50), get(&b.rpo_s.p50));
    let (rpo99, rpo99h) = (get(&a.rpo_s.p99), get(&b.rpo_s.p99));
    eprintln!(
        "imported: RTO p50 {rto50:.1} s p99 {rto99:.1} s, RPO p50 {rpo50:.3} s p99 {rpo99:.3} s; \
         hand-written: RTO p50 {rto50h:.1} s p99 {rto99h:.1} s, RPO p50 {rpo50h:.3} s p99 {rpo99h:.3} s"
    );
    assert_eq!(a.rto_s.not_recovered, 0);
    assert_eq!(b.rto_s.not_recovered, 0);
    assert!(
        (rto50 - rto50h).abs() <= 0.05 * rto50h,
        "p50 RTO {rto50} vs {rto50h}"
    );
    assert!(
        (rto99 - rto99h).abs() <= 0.15 * rto99h,
        "p99 RTO {rto99} vs {rto99h}"
    );
    assert!((rpo50 - rpo50h).abs() <= 0.2, "p50 RPO {rpo50} vs {rpo50h}");
    assert!((rpo99 - rpo99h).abs() <= 2.0, "p99 RPO {rpo99} vs {rpo99h}");
}
