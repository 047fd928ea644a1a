//! `drsim assess`, `optimize` and `sensitivity` through the real binary: verdicts per disruption type,
//! the cheapest variant a separate `check` confirms, the frontier, and the knobs' effects.

use crate::{arg, drsim, fails, ok, ok_json, stdout, tmp};

/// Writes `text` to `name` in `dir` and returns its path as an argument.
fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = arg(dir, name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn assess_reports_the_four_disruption_types_with_generated_disasters() {
    let dir = tmp();
    // Only AZ targets: the other types are measured, not judged.
    let policy = write(
        dir.path(),
        "az.ron",
        r#"(name: "az-only", az: (rto: "5m", rpo: "1m"))"#,
    );
    let junit = arg(dir.path(), "assess.xml");
    let md = arg(dir.path(), "assess.md");
    let out = drsim(&[
        "assess",
        "securecart-multi-az",
        "--policy",
        &policy,
        "--runs",
        "200",
        "--json",
        "--junit",
        &junit,
        "--md",
        &md,
    ]);
    let v = ok_json(&out);
    let types = v["types"].as_array().unwrap();
    let kinds: Vec<&str> = types.iter().map(|t| t["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["Software", "Hardware", "AZ", "Region"]);
    // The scenario's own AZ outage stands for the AZ type: automatic Multi-AZ failover in 60–120 s, no loss.
    let az = &types[2];
    assert_eq!(az["compliance"], "PolicyMet", "{az}");
    assert_eq!(az["disasters"][0]["generated"], false);
    let rto = az["disasters"][0]["rto"]["value"].as_f64().unwrap();
    assert!((59.0..=125.0).contains(&rto), "{rto}");
    // The Region type has none in the scenario: one generated outage of the primary Region.
    let region = &types[3];
    assert_eq!(
        region["disasters"][0]["disaster"],
        "assess-region-us-east-1"
    );
    assert_eq!(region["disasters"][0]["generated"], true);
    assert_eq!(region["compliance"], "NoTarget");
    assert_eq!(v["compliance"], "PolicyMet");
    // JUnit: a suite per type, a case per disaster, valid XML.
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("JUnit is well-formed XML");
    let suites = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .count();
    assert_eq!(suites, 4);
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .contains("| Availability Zone |")
    );
}

#[test]
fn a_breached_policy_fails_and_a_resilience_hub_policy_is_read() {
    let dir = tmp();
    // Resilience Hub's describe-resiliency-policy output: a 1-minute Region RTO warm standby cannot meet.
    let policy = write(
        dir.path(),
        "rh.json",
        r#"{"policy": {"policyName": "mission-critical", "tier": "MissionCritical", "policy": {
            "Software": {"rtoInSecs": 86400, "rpoInSecs": 86400},
            "Hardware": {"rtoInSecs": 3600, "rpoInSecs": 3600},
            "AZ": {"rtoInSecs": 3600, "rpoInSecs": 3600},
            "Region": {"rtoInSecs": 60, "rpoInSecs": 3600}}}}"#,
    );
    let out = drsim(&[
        "assess",
        "warm-standby",
        "--policy",
        &policy,
        "--runs",
        "100",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("policy mission-critical"), "{text}");
    let region = text
        .lines()
        .find(|l| l.trim_start().starts_with("Region "))
        .unwrap();
    assert!(region.contains("PolicyBreached"), "{text}");
    // Same seed, one thread or two: the same assessment.
    let one = stdout(&drsim(&[
        "assess",
        "warm-standby",
        "--policy",
        &policy,
        "--runs",
        "50",
        "--json",
        "--threads",
        "1",
    ]));
    let two = stdout(&drsim(&[
        "assess",
        "warm-standby",
        "--policy",
        &policy,
        "--runs",
        "50",
        "--json",
        "--threads",
        "2",
    ]));
    assert_eq!(one, two);
    // Bad policies: the file and where.
    let bad = write(dir.path(), "bad.json", "{\n \"policy\": {\"Zone\": {}}\n}");
    let err = fails(
        &drsim(&["assess", "warm-standby", "--policy", &bad, "--runs", "10"]),
        2,
    );
    assert!(
        err.contains("bad.json") && err.contains("Software, Hardware, AZ, Region"),
        "{err}"
    );
    let broken = write(dir.path(), "broken.ron", "(az: (rto: \"5m\", rpo: -1))");
    let err = fails(
        &drsim(&[
            "assess",
            "warm-standby",
            "--policy",
            &broken,
            "--runs",
            "10",
        ]),
        2,
    );
    assert!(err.contains("broken.ron:1:"), "{err}");
}

#[test]
fn a_policy_in_the_scenario_is_used() {
    let dir = tmp();
    let sc = write(
        dir.path(),
        "with-policy.ron",
        r#"(extends: "securecart-multi-az", policy: (name: "strict", az: (rto: "30s", rpo: "0s")))"#,
    );
    let out = drsim(&["assess", &sc, "--runs", "100"]);
    // RDS Multi-AZ fails over in 60–120 s: a 30 s AZ target is breached.
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("policy strict"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("Availability Zone") && l.contains("PolicyBreached")),
        "{text}"
    );
}

/// The optimize arguments over warm-standby's standby capacity × health-check interval × `third`.
fn knobs(third: &str) -> Vec<String> {
    vec![
        "--vary".into(),
        "resources.web-west.desired=2,4,6".into(),
        "--vary".into(),
        "resources.hc-east.interval=10s,30s".into(),
        "--vary".into(),
        third.into(),
    ]
}

#[test]
fn optimize_finds_the_cheapest_variant_that_check_confirms() {
    // The issue's question: standby capacity × health-check interval × DNS TTL for `rto:p99<=10m`.
    let dir = tmp();
    let html = arg(dir.path(), "frontier.html");
    let mut args: Vec<String> = [
        "optimize",
        "warm-standby",
        "--runs",
        "300",
        "--budget",
        "rto:p99<=10m",
        "--json",
        "--html",
        &html,
    ]
    .map(String::from)
    .to_vec();
    args.extend(knobs("resources.app-dns.ttl=10s,60s"));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let v = ok_json(&drsim(&argv));
    assert_eq!(v["search"], "Grid");
    let variants = v["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 12);
    let best = &variants[v["best"].as_u64().unwrap() as usize];
    assert_eq!(best["feasible"], true);
    assert_eq!(best["frontier"], true);
    // No feasible variant is cheaper, and some variant is not feasible: the knobs matter.
    let cost = best["monthly_usd"].as_f64().unwrap();
    assert!(
        variants
            .iter()
            .filter(|x| x["feasible"] == true)
            .all(|x| x["monthly_usd"].as_f64().unwrap() >= cost)
    );
    assert!(variants.iter().any(|x| x["feasible"] == false));
    // A larger warm fleet costs more: the cheapest feasible variant keeps the smallest one.
    assert_eq!(best["settings"][0][1], "2");
    // A separate check of the best variant confirms it.
    let mut check: Vec<String> = vec![
        "check".into(),
        "warm-standby".into(),
        "--runs".into(),
        "300".into(),
        "--budget".into(),
        "rto:p99<=10m".into(),
    ];
    for s in best["settings"].as_array().unwrap() {
        check.push("--set".into());
        check.push(format!(
            "{}={}",
            s[0].as_str().unwrap(),
            s[1].as_str().unwrap()
        ));
    }
    let argv: Vec<&str> = check.iter().map(String::as_str).collect();
    ok(&drsim(&argv));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg id=\"chart-frontier\""));
}

#[test]
fn optimize_says_when_no_variant_meets_the_budget() {
    // Without the confirmation's 5-minute timeout the on-call's acknowledgement (LogNormal 3m/15m)
    // precedes the promotion, and capacity × health-check interval × TTL cannot bring p99 under 10 min.
    let mut args: Vec<String> = [
        "optimize",
        "warm-standby",
        "--runs",
        "200",
        "--budget",
        "rto:p99<=10m",
        "--set",
        "runbooks.scale-up-us-west-2.states.confirm.Task.timeout=null",
    ]
    .map(String::from)
    .to_vec();
    args.extend(knobs("resources.app-dns.ttl=10s,60s"));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = drsim(&argv);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("no variant meets every budget"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_large_grid_races() {
    let out = ok_json(&drsim(&[
        "optimize",
        "securecart-multi-az",
        "--runs",
        "60",
        "--budget",
        "rto:p99<=5m",
        "--json",
        "--vary",
        "resources.web.desired=3,4,5,6",
        "--vary",
        "flows.checkout.rate_per_s=10,20,30,40,50,60,70,80,90",
    ]));
    assert_eq!(out["variants"].as_array().unwrap().len(), 36);
    assert_eq!(out["search"]["Racing"]["screen_runs"], 50);
    // Bad knobs are refused with the variant named.
    let err = fails(
        &drsim(&[
            "optimize",
            "securecart-multi-az",
            "--runs",
            "10",
            "--budget",
            "rto:p99<=5m",
            "--vary",
            "resources.web.desired=3,many",
        ]),
        2,
    );
    assert!(err.contains("resources.web.desired=many"), "{err}");
    fails(
        &drsim(&[
            "optimize",
            "securecart-multi-az",
            "--vary",
            "nothing",
            "--budget",
            "rto:p99<=5m",
        ]),
        2,
    );
    fails(
        &drsim(&["optimize", "securecart-multi-az", "--vary", "seed=1,2"]),
        2,
    );
}

#[test]
fn sensitivity_shows_each_knobs_effect_and_renders_a_tornado() {
    let dir = tmp();
    let html = arg(dir.path(), "tornado.html");
    let v = ok_json(&drsim(&[
        "sensitivity",
        "warm-standby",
        "--runs",
        "300",
        "--json",
        "--html",
        &html,
        "--vary",
        "resources.hc-east.interval=10s,30s",
        "--vary",
        "resources.web-west.desired=2,4",
    ]));
    let knobs = v["knobs"].as_array().unwrap();
    let hc = knobs
        .iter()
        .find(|k| k["path"] == "resources.hc-east.interval")
        .unwrap();
    // 3 probes 30 s apart detect in [60 s, 90 s), 10 s apart in [20 s, 30 s): a minute sooner at p99.
    let low = hc["rto_swing"][0].as_f64().unwrap();
    assert!((-70.0..=-45.0).contains(&low), "{low}");
    let page = std::fs::read_to_string(&html).unwrap();
    for id in [
        "chart-tornado-rto",
        "chart-tornado-rpo",
        "chart-tornado-cost",
    ] {
        assert!(page.contains(&format!("<svg id=\"{id}\"")), "{id}");
    }
    let text = ok(&drsim(&[
        "sensitivity",
        "warm-standby",
        "--runs",
        "50",
        "--vary",
        "resources.web-west.desired=2,4",
    ]));
    assert!(
        text.contains("resources.web-west.desired") && text.contains("p99 RTO change"),
        "{text}"
    );
}

#[test]
fn the_example_policy_loads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples/gold.ron");
    let policy =
        scenarios::policy::load_policy(std::path::Path::new(path)).expect("the example loads");
    assert_eq!(policy.name, "gold");
}
