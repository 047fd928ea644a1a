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

#[test]
fn cdk_json_long_forms_sam_and_their_edges() {
    let cdk = cloudformation::import(
        &[stack("us-east-1", "cdk.template.json", &[])],
        &options("cdk"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let s = scenarios::load_text("cdk.ron", &cdk.text).unwrap();
    let Resource::DynamoDb(cart) = &s.resources["cart"] else {
        panic!("{:?}", kinds(&s))
    };
    assert_eq!(cart.replicas, ["us-west-2"]);
    assert!(cart.pitr);
    assert!(
        cdk.text
            .contains("backup_plan: (every: \"4h\", copy_to: \"us-west-2\")"),
        "{}",
        cdk.text
    );
    // CDK's hash suffixes are dropped from names; the API joins its function (Fn::Join + Fn::GetAtt).
    assert_eq!(
        kinds(&s).get("cart-handler"),
        Some(&"Lambda"),
        "{:?}",
        kinds(&s)
    );
    let Resource::CloudFront(cdn) = &s.resources["ui-distribution"] else {
        panic!()
    };
    assert_eq!(cdn.origins, ["shop-ui", "shop-ui-replica"]);
    assert_eq!(cdn.failover_status_codes, [403, 500, 503]);
    assert!(
        s.flows
            .iter()
            .any(|f| f.entry == "cart-handler" && f.store.as_deref() == Some("cart"))
    );
    assert!(
        cdk.text
            .contains("Widget1234 (Custom::Widget) in us-east-1: unknown resource type"),
        "{}",
        cdk.text
    );
    assert!(
        cdk.text.contains("CDKMetadata (AWS::CDK::Metadata)"),
        "{}",
        cdk.text
    );

    let sam =
        cloudformation::import(&[stack("us-east-1", "sam.yaml", &[])], &options("sam")).unwrap();
    let s = scenarios::load_text("sam.ron", &sam.text).unwrap();
    let k = kinds(&s);
    assert_eq!(k.get("sam-cart"), Some(&"DynamoDb"), "{k:?}");
    assert_eq!(k.get("cart-function"), Some(&"Lambda"), "{k:?}");
    let Resource::Record(dns) = &s.resources["api.example.com"] else {
        panic!("{k:?}")
    };
    assert!(format!("{:?}", dns.policy).contains("cart-function"));
    assert!(
        sam.text
            .contains("ServerlessRestApi (implicit AWS::Serverless::Api)"),
        "{}",
        sam.text
    );
}

#[test]
fn a_lambda_driven_failover_state_machine_with_poll_loops_is_a_runbook() {
    let base = Base::load("pilot-light").unwrap();
    let tasks = BTreeMap::from([(
        "UpdateConfig".to_string(),
        "Run(what: \"update the app config\", duration: Fixed(\"2m\"))".to_string(),
    )]);
    let out = stepfunctions::import(
        "failover.asl.json",
        &fixture("failover.asl.json"),
        Some(&base),
        &tasks,
        Some("us-west-2"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let s =
        scenarios::load_text("sfn.ron", &out.text).unwrap_or_else(|e| panic!("{e}\n{}", out.text));
    let rb = s
        .runbooks
        .iter()
        .find(|r| r.name == "failover")
        .expect("the imported runbook");
    let text = &out.text;
    for want in [
        "choices: [(when: Not(Healthy(\"hc-east\")), next: \"Approve\")]",
        "action: Decide(who: \"approver\", delay: LogNormal(\"15m\", \"1h\"))",
        "action: FailoverGlobal(store: \"app-db\", region: \"us-west-2\")",
        "\"DbWait\": Wait(duration: Uniform(\"0s\", \"20s\"), next: \"DbDone\")",
        "action: SetCapacity(group: \"web-west\", desired: 6, wait: true)",
        "action: UpdateDns(record: \"app-dns\", target: \"alb-west\")",
        "action: Run(what: \"update the app config\", duration: Fixed(\"2m\"))",
        "catch: [(errors: [\"States.ALL\"], next: \"NotifyFailure\")]",
        "errors: [\"ControlPlaneDown\", \"States.Timeout\"]",
        "timeout: \"1h\"",
    ] {
        assert!(text.contains(want), "missing {want}\n{text}");
    }
    assert!(
        !rb.states.contains_key("RecordDrill"),
        "a Pass state is skipped"
    );
    assert!(
        text.contains("Map \"WarmCaches\": the items are not known"),
        "{text}"
    );
    assert!(
        text.contains("`SecondsPath` is not known before the run"),
        "{text}"
    );
    assert!(
        text.contains("Lambda \"arn:aws:lambda:us-west-2:123456789012:function:warm\""),
        "{text}"
    );
    // It runs against the base's architecture.
    let summary = summarise(&s, 50, None);
    assert_eq!(summary.rto_s.not_recovered, 0, "{summary:?}");
}

#[test]
fn fis_experiments_become_disasters() {
    let base = Base::load("pilot-light").unwrap();
    let out = fis::import(
        "az-power.fis.json",
        &fixture("az-power.fis.json"),
        Some(&base),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let s = scenarios::load_text("fis.ron", &out.text).unwrap();
    let d = s
        .disasters
        .iter()
        .find(|d| d.name == "az-power-interruption")
        .expect("one AZ outage");
    assert!(format!("{:?}", d.kind).contains("us-east-1a"));
    assert!(d.enabled);
    assert!(
        !s.disasters
            .iter()
            .find(|d| d.name == "region-outage")
            .unwrap()
            .enabled
    );
    let summary = summarise(&s, 50, None);
    assert_eq!(summary.runs, 50);

    let out = fis::import(
        "experiments.yaml",
        &fixture("experiments.yaml"),
        Some(&base),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let s = scenarios::load_text("fis2.ron", &out.text).unwrap();
    let names: Vec<&str> = s
        .disasters
        .iter()
        .filter(|d| d.enabled)
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(names, ["fail-writer-app-db", "pause-cart", "throttle-ec2"]);
    // startAfter: the throttling starts after the 15-minute pause.
    assert!(out.text.contains("onset: At(\"75m\")"), "{}", out.text);
    assert!(
        out.text
            .contains("Partition(a: \"us-east-1\", b: \"us-west-2\")"),
        "{}",
        out.text
    );
}

#[test]
fn a_terraform_plan_with_two_aliased_providers() {
    let out = terraform::import("plan.json", &fixture("plan.json"), &options("tf"))
        .unwrap_or_else(|e| panic!("{e}"));
    let s = scenarios::load_text("tf.ron", &out.text).unwrap_or_else(|e| panic!("{e}"));
    let Resource::Aurora(db) = &s.resources["tf-shop"] else {
        panic!("{:?}", kinds(&s))
    };
    assert_eq!(db.instance_azs, ["us-east-1a", "us-east-1b"]);
    assert_eq!(db.secondaries[0].region, "us-west-2");
    let Resource::Asg(west) = &s.resources["web-west"] else {
        panic!()
    };
    assert_eq!(west.region, "us-west-2");
    assert_eq!(west.azs, ["us-west-2a", "us-west-2b"]);
    let Resource::Alb(alb) = &s.resources["alb-west"] else {
        panic!()
    };
    assert_eq!(alb.targets, ["web-west"]);
    assert!(format!("{:?}", s.resources["tf.example.com"]).contains("Failover"));
    assert!(
        out.text
            .contains("backup_plan: (every: \"24h\", copy_to: \"us-west-2\")"),
        "{}",
        out.text
    );
    assert!(out.text.contains(
        "aws_elasticache_cluster.sessions (aws_elasticache_cluster): unknown resource type"
    ));
    assert!(s.flows.iter().any(
        |f| f.kind == sim_core::spec::FlowKind::Write && f.store.as_deref() == Some("tf-shop")
    ));
}

/// One line per malformed input: `(importer, input, expected "file:line:col" prefix)`.
fn refused(importer: &str, text: &str, at: &str) {
    let base = Base::load("pilot-light").unwrap();
    let e = match importer {
        "cfn" => cloudformation::import(
            &[StackInput {
                region: "us-east-1".into(),
                label: "t.yaml".into(),
                text: text.into(),
                params: Vec::new(),
            }],
            &options("t"),
        )
        .map(|_| ())
        .unwrap_err(),
        "sfn" => stepfunctions::import("t.json", text, Some(&base), &BTreeMap::new(), None)
            .map(|_| ())
            .unwrap_err(),
        "fis" => fis::import("t.json", text, Some(&base))
            .map(|_| ())
            .unwrap_err(),
        "tf" => terraform::import("t.json", text, &options("t"))
            .map(|_| ())
            .unwrap_err(),
        _ => unreachable!(),
    };
    let e = e.to_string();
    assert!(e.starts_with(at), "{importer} {text:?}: {e}");
}

#[test]
fn malformed_inputs_are_refused_with_positions() {
    refused("cfn", "Resources:\n  A: [1, 2\n", "t.yaml:3:");
    refused(
        "cfn",
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Reff x\n",
        "t.yaml:5:19: unknown tag !Reff",
    );
    refused(
        "cfn",
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n  A:\n    Type: AWS::S3::Bucket\n",
        "t.yaml:4:3: duplicate key",
    );
    refused(
        "cfn",
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Condition: Nope\n",
        "t.yaml:4:16: no condition \"Nope\"",
    );
    refused(
        "cfn",
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Select [9, [a]]\n",
        "t.yaml:5:",
    );
    refused(
        "cfn",
        "{\"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bucket\",}}}",
        "t.yaml:1:",
    );
    refused(
        "cfn",
        "Parameters:\n  P:\n    Type: String\nResources: {}\n",
        "t.yaml:2:3: parameter \"P\" has no Default",
    );
    refused(
        "sfn",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"x\", \"Next\": \"B\"}}}",
        "t.json:1:",
    );
    refused(
        "sfn",
        "{\"StartAt\": \"A\",\n \"States\": {\"A\": {\"Type\": \"Teleport\"}}}",
        "t.json:2:",
    );
    refused(
        "sfn",
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Wait\", \"Seconds\": -1, \"End\": true}}}",
        "t.json:1:",
    );
    refused(
        "fis",
        "{\"actions\": {\"a\": {\"actionId\": \"aws:ec2:stop-instances\", \"parameters\": {\"startInstancesAfterDuration\": \"30 minutes\"}}}}",
        "t.json:1:",
    );
    refused(
        "fis",
        "{\"actions\": {\"a\": {\"actionId\": \"aws:fis:wait\", \"startAfter\": [\"b\"]}}}",
        "t.json:1:",
    );
    refused(
        "fis",
        "{\"targets\": {}}",
        "t.json:1:1: not an experiment template",
    );
    refused(
        "tf",
        "{\"planned_values\": {\"root_module\": {\"resources\": [{\"type\": \"aws_instance\"}]}}}",
        "t.json:1:",
    );
    refused(
        "tf",
        "{\"format_version\": \"1.2\"}",
        "t.json:1:1: not the JSON of `terraform show -json`",
    );
    refused(
        "tf",
        &format!("{}1{}", "[".repeat(300), "]".repeat(300)),
        "t.json:1:",
    );
}

/// The importers through the robustness harness: the fixtures mutated token by token (and as raw
/// bytes); every importer answers with a scenario that validates or an error, never a panic.
/// `DRSIM_FUZZ_CASES` sets the case count (default 64, bounded for CI).
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn corpus() -> Vec<String> {
        [
            "app.yaml",
            "cdk.template.json",
            "sam.yaml",
            "failover.asl.json",
            "az-power.fis.json",
            "experiments.yaml",
            "plan.json",
            "statemachine.yaml",
        ]
        .iter()
        .map(|f| fixture(f))
        .collect()
    }

    /// Every importer on one text: `Ok` must validate (the importers check it), `Err` must name the file.
    fn all(text: &str) {
        let stack = |region: &str, p: &str| StackInput {
            region: region.into(),
            label: "f.yaml".into(),
            text: text.into(),
            params: if text.contains("IsPrimary") {
                vec![("IsPrimary".into(), p.into())]
            } else {
                Vec::new()
            },
        };
        let checks: Vec<Result<String, String>> = vec![
            cloudformation::import(
                &[stack("us-east-1", "yes"), stack("us-west-2", "no")],
                &options("f"),
            )
            .map(|i| i.text)
            .map_err(|e| e.to_string()),
            stepfunctions::import("f.yaml", text, None, &BTreeMap::new(), None)
                .map(|i| i.text)
                .map_err(|e| e.to_string()),
            fis::import("f.yaml", text, None)
                .map(|i| i.text)
                .map_err(|e| e.to_string()),
            terraform::import("f.yaml", text, &options("f"))
                .map(|i| i.text)
                .map_err(|e| e.to_string()),
        ];
        for c in checks {
            match c {
                Ok(t) => assert!(scenarios::load_text("out.ron", &t).is_ok()),
                Err(e) => assert!(e.starts_with("f.yaml"), "{e}"),
            }
        }
    }

    proptest! {
        #![proptest_config(crate::cases("DRSIM_FUZZ_CASES", 64))]

        #[test]
        fn importers_never_panic(
            file in 0usize..8,
            edits in proptest::collection::vec((0usize..4, any::<prop::sample::Index>(), "[A-Za-z0-9!:{}\\[\\]\"',\\- ]{0,6}"), 1..6),
        ) {
            let mut text = corpus()[file].clone();
            for (kind, at, insert) in edits {
                if text.is_empty() {
                    break;
                }
                let mut i = at.index(text.len());
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                match kind {
                    0 => text.insert_str(i, &insert),
                    1 => {
                        let mut end = (i + insert.len().max(1)).min(text.len());
                        while !text.is_char_boundary(end) {
                            end += 1;
                        }
                        text.replace_range(i..end, "");
                    }
                    2 => {
                        let mut end = (i + 3).min(text.len());
                        while !text.is_char_boundary(end) {
                            end += 1;
                        }
                        text.replace_range(i..end, &insert);
                    }
                    _ => text.truncate(i),
                }
            }
            all(&text);
        }
    }

    #[test]
    fn hostile_inputs() {
        all(&"[".repeat(100_000));
        all(&format!("a: {}", "[".repeat(10_000)));
        all(&"- ".repeat(5_000));
        all("Resources:\n  A: &a {Type: AWS::S3::Bucket, Properties: {Tags: [*a, *a]}}\n");
        all(
            "\u{feff}{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Wait\", \"Seconds\": 1, \"Next\": \"A\"}}}",
        );
        all(
            "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Parallel\", \"Branches\": [{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"A\"}}}]}}}",
        );
        all(
            "Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  X: {Type: AWS::S3::Bucket, Condition: A}\n",
        );
        all("");
        all("\0\0\0");
    }
}
