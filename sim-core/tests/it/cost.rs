//! The cost model on hand-written scenarios: overrides move the bill by exactly their difference, recovery
//! usage costs hours × price, and unknown instance types are named errors.

use sim_core::cost::{HOURS_PER_MONTH, PriceTable, Usage, recovery_cost, steady_state, validate};
use sim_core::spec::Scenario;
use sim_core::{SimDuration, SimTime};

/// A two-Region scenario with these resources (RON map entries) and `extra` top-level fields.
fn scenario(resources: &str, extra: &str) -> Scenario {
    let text = format!(
        r#"(
            name: "t",
            horizon: "1d",
            regions: [
                (name: "us-east-1", azs: ["us-east-1a", "us-east-1b"]),
                (name: "us-west-2", azs: ["us-west-2a", "us-west-2b"]),
            ],
            resources: {{ {resources} }},
            {extra}
        )"#
    );
    crate::parse_scenario(&text)
}

fn monthly_usd(s: &Scenario) -> f64 {
    let report = steady_state(s, &PriceTable::example());
    assert!(report.unpriced.is_empty(), "{:?}", report.unpriced);
    report.monthly_usd
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * a.abs().max(b.abs()).max(1.0)
}

const WEB: &str =
    r#""web": Asg(region: "us-east-1", azs: ["us-east-1a"], desired: 3, max: 6, needed: 2),"#;

#[test]
fn an_override_changes_the_cost_by_exactly_its_difference() {
    let base = monthly_usd(&scenario(WEB, ""));
    let cheaper = monthly_usd(&scenario(
        WEB,
        r#"prices: {"ec2/us-east-1/m5.large": 0.05},"#,
    ));
    let expected = 3.0 * (0.096 - 0.05) * HOURS_PER_MONTH;
    assert!(
        close(base - cheaper, expected),
        "{base} - {cheaper} ≠ {expected}"
    );
}

#[test]
fn an_override_may_add_an_instance_type() {
    let web = WEB.replace("needed: 2", r#"needed: 2, instance_type: "r5.large""#);
    let s = scenario(&web, r#"prices: {"ec2/us-east-1/r5.large": 0.126},"#);
    assert_eq!(validate(&s, &PriceTable::example()), Vec::<String>::new());
    let with_default = monthly_usd(&scenario(WEB, ""));
    let expected = 3.0 * (0.126 - 0.096) * HOURS_PER_MONTH;
    assert!(close(monthly_usd(&s) - with_default, expected));
}

#[test]
fn instance_sizes_default_when_a_file_names_none() {
    let s = scenario(
        r#"
        "web": Asg(region: "us-east-1", azs: ["us-east-1a"], desired: 1, max: 1, needed: 1),
        "db": Rds(deployment: SingleAz(az: "us-east-1a")),
        "cluster": Aurora(instance_azs: ["us-east-1a"]),
        "app": Ec2(az: "us-east-1b"),
        "#,
        "",
    );
    assert_eq!(s.prices, None);
    let whats: Vec<String> = steady_state(&s, &PriceTable::example())
        .lines
        .into_iter()
        .map(|l| l.what)
        .collect();
    for expected in [
        "1 × m5.large on-demand, 730 h",
        "1 × db.r6g.large Single-AZ, 730 h",
        "1 × db.r6g.large primary cluster, 730 h",
    ] {
        assert!(
            whats.iter().any(|w| w == expected),
            "{expected} not in {whats:#?}"
        );
    }
}

#[test]
fn resources_a_stack_creates_cost_nothing_until_it_runs() {
    let stacked =
        format!(r#"{WEB} "rebuild": Stack(region: "us-east-1", kind: Web, resources: ["web"]),"#);
    let report = steady_state(&scenario(&stacked, ""), &PriceTable::example());
    assert!(report.lines.is_empty(), "{:?}", report.lines);
    assert!(monthly_usd(&scenario(WEB, "")) > 0.0);
}

#[test]
fn recovery_usage_costs_hours_times_the_hourly_price() {
    let s = scenario(
        &format!(
            r#"{WEB} "db": Rds(deployment: SingleAz(az: "us-east-1a"), size_gb: 100, instance_class: "db.t3.medium"),"#
        ),
        "",
    );
    let at = |h: u64| SimTime::at(SimDuration::from_hours(h));
    let table = PriceTable::example();
    let usage = |resource: &str, instances, from, to, region: Option<&str>| Usage {
        resource: resource.to_string(),
        instances,
        from: at(from),
        to: at(to),
        region: region.map(str::to_string),
    };
    // 4 instances for 3 h: m5.large plus a 20 GB gp3 root volume each.
    let web = recovery_cost(&s, &table, &[usage("web", 4, 10, 13, None)]);
    let hourly = 0.096 + 20.0 * 0.08 / HOURS_PER_MONTH;
    assert!(close(web, 4.0 * 3.0 * hourly), "{web}");
    // A database restored in us-west-2 for 2 h: the class there plus its storage.
    let db = recovery_cost(&s, &table, &[usage("db", 1, 5, 7, Some("us-west-2"))]);
    assert!(
        close(db, 2.0 * (0.068 + 100.0 * 0.115 / HOURS_PER_MONTH)),
        "{db}"
    );
    // Usage adds up; an interval that ends before it starts costs nothing.
    let both = recovery_cost(
        &s,
        &table,
        &[
            usage("web", 4, 10, 13, None),
            usage("db", 1, 5, 7, Some("us-west-2")),
            usage("web", 9, 8, 2, None),
        ],
    );
    assert!(close(both, web + db));
}

#[test]
fn a_stack_usage_costs_its_resources_at_their_configured_size() {
    let stacked = format!(
        r#"{WEB} "lb": Alb(region: "us-east-1", targets: ["web"]), "rebuild": Stack(region: "us-east-1", kind: Web, resources: ["web", "lb"]),"#
    );
    let s = scenario(&stacked, "");
    let usage = Usage {
        resource: "rebuild".to_string(),
        instances: 1,
        from: SimTime::ZERO,
        to: SimTime::at(SimDuration::from_hours(10)),
        region: None,
    };
    let cost = recovery_cost(&s, &PriceTable::example(), &[usage]);
    let hourly = 3.0 * (0.096 + 20.0 * 0.08 / HOURS_PER_MONTH) + 0.0225;
    assert!(close(cost, 10.0 * hourly), "{cost}");
}

#[test]
fn an_unknown_instance_type_is_an_error_naming_resource_field_and_choices() {
    let web = WEB.replace("needed: 2", r#"needed: 2, instance_type: "m9.huge""#);
    let db = r#""db": Aurora(instance_azs: ["us-east-1a"], secondaries: [(region: "us-west-2")], instance_class: "db.x9.mega"),"#;
    let errors = validate(
        &scenario(&format!("{web} {db}"), ""),
        &PriceTable::example(),
    );
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert_eq!(
        errors[0],
        "resource \"db\" (Aurora), field instance_class: no aurora price for \"db.x9.mega\" in us-east-1 \
         (key \"aurora/us-east-1/db.x9.mega\"); known: db.r5.large, db.r6g.large, db.r6g.xlarge, \
         db.t3.medium, db.t4g.medium; or add the key under `prices`"
    );
    assert!(
        errors[1].contains("in us-west-2"),
        "the secondary's Region too: {}",
        errors[1]
    );
    assert!(
        errors[2].starts_with(
            "resource \"web\" (Asg), field instance_type: no ec2 price for \"m9.huge\""
        ) && errors[2].contains("c5.large, m5.large, m5.xlarge, t3.medium, t3.micro, t3.small"),
        "{}",
        errors[2]
    );
}

#[test]
fn a_bad_override_and_an_unpriced_region_are_errors() {
    let s = scenario(
        WEB,
        r#"prices: {"ec2/us-east-1/m5.large": -1.0, "ec2/us-east-1/hours": 1.0},"#,
    );
    let errors = validate(&s, &PriceTable::example());
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors.iter().all(|e| e.starts_with("prices: key ")));
    // Every commercial Region prices; a Region AWS does not have cannot.
    let mut far = scenario(&WEB.replace("us-east-1", "xx-nowhere-1"), "");
    far.regions[0].name = "xx-nowhere-1".to_string();
    let errors = validate(&far, &PriceTable::example());
    assert!(
        errors
            .iter()
            .any(|e| e.contains("known: none in this Region")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("\"ebs/xx-nowhere-1/gb-month\"")),
        "{errors:#?}"
    );
}

#[test]
fn every_commercial_region_prices_a_scenario_without_overrides() {
    let east = monthly_usd(&scenario(WEB, ""));
    for r in sim_core::cost::regions::REGIONS {
        let mut s = scenario(&WEB.replace("us-east-1", r.region), "");
        s.regions[0].name = r.region.to_string();
        s.regions[0].azs = vec![format!("{}a", r.region)];
        assert_eq!(
            validate(&s, &PriceTable::example()),
            Vec::<String>::new(),
            "{}",
            r.region
        );
        let cost = monthly_usd(&s);
        assert!(cost >= east * 0.99, "{}: {cost} < {east}", r.region);
    }
}

#[test]
fn the_same_scenario_costs_the_same_every_time() {
    let s = scenario(WEB, "");
    let a = steady_state(&s, &PriceTable::example());
    assert_eq!(a, steady_state(&s, &PriceTable::example()));
    assert_eq!(
        a.monthly_usd.to_bits(),
        steady_state(&s, &PriceTable::example())
            .monthly_usd
            .to_bits()
    );
}

/// The monthly cost of an RDS database with an AWS Backup plan copied to us-west-2 (`plan` is the plan's
/// RON fields) and a Lambda writing `rate` writes/s to it.
fn backed_up(plan: &str, rate: f64) -> f64 {
    let resources = format!(
        r#""db": Rds(deployment: SingleAz(az: "us-east-1a"), size_gb: 100, automated_backups: false,
                     backup_plan: ({plan} copy_to: "us-west-2")),
           "fn": Lambda(region: "us-east-1"),"#
    );
    let flows = format!(
        r#"flows: [(name: "w", kind: Write, rate_per_s: {rate:?}, entry: "fn", store: "db")],"#
    );
    monthly_usd(&scenario(&resources, &flows))
}

#[test]
fn backups_cost_more_the_more_often_they_run_and_the_longer_they_are_kept() {
    let by_interval: Vec<f64> = ["1h", "4h", "12h", "24h"]
        .into_iter()
        .map(|every| backed_up(&format!(r#"every: "{every}","#), 1.0))
        .collect();
    assert!(
        by_interval.windows(2).all(|w| w[0] > w[1]),
        "hourly > 4-hourly > 12-hourly > daily: {by_interval:?}"
    );
    let by_retention: Vec<f64> = ["1d", "7d", "35d"]
        .into_iter()
        .map(|r| backed_up(&format!(r#"every: "4h", retention: "{r}","#), 1.0))
        .collect();
    assert!(
        by_retention.windows(2).all(|w| w[0] < w[1]),
        "{by_retention:?}"
    );
    // A default plan keeps 35 days.
    assert!(close(backed_up(r#"every: "4h","#, 1.0), by_retention[2]));
}

#[test]
fn cross_region_replication_costs_the_transfer_of_every_write() {
    let replica = |rate: f64| {
        let resources = r#""db": Rds(deployment: SingleAz(az: "us-east-1a"), automated_backups: false,
                                     read_replicas: [(az: "us-west-2a")]),
                           "fn": Lambda(region: "us-east-1"),"#;
        let flows = format!(
            r#"flows: [(name: "w", kind: Write, rate_per_s: {rate:?}, entry: "fn", store: "db")],"#
        );
        let report = steady_state(&scenario(resources, &flows), &PriceTable::example());
        report
            .lines
            .iter()
            .find(|l| l.what.starts_with("replication transfer"))
            .map(|l| l.monthly_usd)
            .unwrap_or_default()
    };
    // 10 writes/s of 1 KB for a month, at $0.02/GB out of us-east-1.
    let expected = 10.0 * HOURS_PER_MONTH * 3600.0 * 1e-6 * 0.02;
    assert!(
        close(replica(10.0), expected),
        "{} ≠ {expected}",
        replica(10.0)
    );
    assert!(close(replica(20.0), 2.0 * expected));
}
