//! The end-to-end calibration suite: for rows of `docs/calibration.md`, a small scenario runs through the
//! whole world (health checks, DNS, runbooks, stores, the write ledger and the RTO/RPO measurement, not a
//! model's unit) for many seeds, and the measured figure is held to the published one or to its closed
//! form. The table of expected vs measured values in `docs/calibration.md` is generated here, so it cannot
//! drift: refresh it on purpose with `DRSIM_BLESS=1 cargo test -p scenarios --test it calibration` and
//! review the diff.

use sim_core::measure::RunResult;
use sim_core::spec::Scenario;
use sim_core::sweep::run_replication;

/// Replications per case: enough for the percentiles the rows quote, small enough for a debug build.
const RUNS: u64 = 400;

/// One row of the generated table.
struct Row {
    /// The calibration row(s) it checks (`C17`…).
    source: &'static str,
    /// What is measured, in which scenario.
    what: &'static str,
    /// The published figure or closed form.
    expected: String,
    /// What the runs gave.
    measured: String,
    /// Whether the measurement agrees.
    holds: bool,
}

fn load(name: &str, text: &str) -> Scenario {
    scenarios::load_text(&format!("{name}.ron"), text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `RUNS` replications of `scenario` (seed 1), every enabled disaster.
fn runs(scenario: &Scenario) -> Vec<RunResult> {
    (0..RUNS)
        .map(|r| {
            run_replication(scenario, 1, r, None)
                .unwrap_or_else(|e| panic!("{} replication {r}: {e}", scenario.name))
        })
        .collect()
}

fn secs(d: sim_core::engine::time::SimDuration) -> f64 {
    d.as_secs_f64()
}

/// Sorted copy of `values`.
fn sorted(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().collect();
    v.sort_by(f64::total_cmp);
    v
}

/// The `p`-th percentile (nearest rank) of sorted `v`.
fn pct(v: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    v[rank.min(v.len()) - 1]
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// A duration in seconds, for the table: `89.4 s`, `2 h 35.2 m`.
fn show(s: f64) -> String {
    if s >= 3600.0 {
        format!("{:.0} h {:.1} m", (s / 3600.0).floor(), (s % 3600.0) / 60.0)
    } else if s >= 600.0 {
        format!("{:.1} min", s / 60.0)
    } else if s >= 10.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.2} s")
    }
}

/// Two Lambda APIs behind a Route 53 failover record whose primary is health-checked; the primary's
/// Region is lost. No store: the RTO is detection and DNS alone.
fn dns_lab(interval: &str, ttl: &str) -> Scenario {
    load(
        "dns-lab",
        &format!(
            r#"(name: "dns-lab", horizon: "2h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {{
        "api-east": Lambda(region: "us-east-1"), "api-west": Lambda(region: "us-west-2"),
        "hc": HealthCheck(target: "api-east", interval: "{interval}"),
        "dns": Record(ttl: "{ttl}", policy: Failover(primary: (endpoint: "api-east", health_check: "hc"), secondary: (endpoint: "api-west"))),
    }},
    flows: [(name: "read", kind: Read, rate_per_s: 10.0, entry: "dns")],
    disasters: [(name: "region-outage", kind: RegionOutage(region: "us-east-1"), onset: Uniform("20m", "40m"))])"#
        ),
    )
}

fn route53_detection(interval: &'static str, lo: f64, hi: f64) -> Row {
    let results = runs(&dns_lab(interval, "60s"));
    let d = sorted(results.iter().map(|r| secs(r.breakdown.detection)));
    Row {
        source: "C17",
        what: if interval == "30s" {
            "Route 53 health check, 30 s × 3: onset to unhealthy"
        } else {
            "Route 53 fast health check, 10 s × 3: onset to unhealthy"
        },
        expected: format!("in [{lo:.0} s, {hi:.0} s)"),
        measured: format!(
            "min {}, p50 {}, max {}",
            show(d[0]),
            show(pct(&d, 50.0)),
            show(d[d.len() - 1])
        ),
        holds: d[0] >= lo && d[d.len() - 1] < hi,
    }
}

/// Resolver caches move traffic linearly over one TTL once Route 53 answers the secondary, so with TTL
/// `L` and SLO window `W` (both 60 s), the windowed ratio reaches 0.99 when the unshifted remainder `x`
/// satisfies `x² / (2 L W) = 0.01`: RTO = detection + L − √(0.02 L W) = detection + 51.5 s, per run.
fn dns_ttl() -> Row {
    let results = runs(&dns_lab("30s", "60s"));
    let slack = (0.02f64 * 60.0 * 60.0).sqrt();
    let errors = sorted(results.iter().map(|r| {
        let rto = r.rto.map_or(f64::INFINITY, secs);
        (rto - (secs(r.breakdown.detection) + 60.0 - slack)).abs()
    }));
    let worst = errors[errors.len() - 1];
    Row {
        source: "C17, C18",
        what: "failover record, TTL 60 s: RTO of a stateless flow",
        expected: format!(
            "detection + 60 s − √(0.02 · 60 s · 60 s) = detection + {:.1} s",
            60.0 - slack
        ),
        measured: format!("largest deviation over {RUNS} runs {worst:.3} s"),
        holds: worst < 0.5,
    }
}

/// A write flow through a load balancer to a database whose AZ is lost.
fn az_lab(store: &str) -> Scenario {
    load(
        "az-lab",
        &format!(
            r#"(name: "az-lab", horizon: "3h",
    regions: [(name: "us-east-1", azs: ["us-east-1a", "us-east-1b", "us-east-1c"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {{ "api": Lambda(region: "us-east-1"), "db": {store} }},
    flows: [(name: "write", kind: Write, rate_per_s: 20.0, entry: "api", store: "db")],
    disasters: [(name: "az-outage", kind: AzOutage(az: "us-east-1a"), onset: Uniform("30m", "90m"))])"#
        ),
    )
}

/// A write flow's RTO after an AZ loss, against `[lo, hi]` and a median near `p50`; no write lost.
fn failover_row(
    source: &'static str,
    what: &'static str,
    store: &str,
    (lo, p50, hi): (f64, f64, f64),
) -> Row {
    let results = runs(&az_lab(store));
    let rto = sorted(results.iter().map(|r| r.rto.map_or(f64::INFINITY, secs)));
    let lost: u64 = results.iter().map(|r| r.lost_writes).sum();
    let (min, med, max) = (rto[0], pct(&rto, 50.0), rto[rto.len() - 1]);
    Row {
        source,
        what,
        expected: format!(
            "RTO in [{}, {}], p50 ≈ {}; no write lost",
            show(lo),
            show(hi),
            show(p50)
        ),
        measured: format!(
            "min {}, p50 {}, max {}; {lost} writes lost",
            show(min),
            show(med),
            show(max)
        ),
        holds: min >= lo && max <= hi && (med - p50).abs() <= 0.1 * p50 && lost == 0,
    }
}

/// A write flow from us-east-1 clients, through a health-checked failover record to an API in each
/// Region, to a store replicated to us-west-2; us-east-1 is lost, Route 53 sends the clients west and a
/// runbook fails the store over (a table's replica takes the writes by itself): RPO is the replication
/// lag at the failure.
fn region_lab(store: &str, runbook: &str) -> Scenario {
    load(
        "region-lab",
        &format!(
            r#"(name: "region-lab", horizon: "6h",
    regions: [(name: "us-east-1", azs: ["us-east-1a", "us-east-1b"]), (name: "us-west-2", azs: ["us-west-2a", "us-west-2b"]), (name: "us-east-2", azs: ["us-east-2a"])],
    resources: {{
        "api-east": Lambda(region: "us-east-1"), "api-west": Lambda(region: "us-west-2"),
        "hc": HealthCheck(target: "api-east"),
        "dns": Record(policy: Failover(primary: (endpoint: "api-east", health_check: "hc"), secondary: (endpoint: "api-west"))),
        "db": {store},
    }},
    flows: [(name: "write", kind: Write, rate_per_s: 50.0, entry: "dns", store: "db", clients: "us-east-1")],
    disasters: [(name: "region-outage", kind: RegionOutage(region: "us-east-1"), onset: Uniform("1h", "3h"))],
    runbooks: [{runbook}])"#
        ),
    )
}

/// RPO percentiles of a Region loss against a published median and ceiling, and lost writes against
/// `rate × RPO` (the ledger and the window must agree).
fn rpo_row(
    source: &'static str,
    what: &'static str,
    scenario: Scenario,
    expected: &str,
    check: impl Fn(f64, f64, f64) -> bool,
) -> Row {
    let results = runs(&scenario);
    let rpo = sorted(results.iter().map(|r| r.rpo.map_or(f64::INFINITY, secs)));
    let (med, p99, max) = (pct(&rpo, 50.0), pct(&rpo, 99.0), rpo[rpo.len() - 1]);
    // The ledger and the window agree: RPO runs from the oldest lost write to the onset, and the first
    // write after the replication cutoff comes on average 1/rate after it (a Poisson stream), so
    // E[lost] = rate × E[RPO] + P(a write was lost), summed over runs.
    let writes: f64 = results.iter().map(|r| r.lost_writes as f64).sum();
    let losing = results.iter().filter(|r| r.lost_writes > 0).count() as f64;
    let window = results
        .iter()
        .map(|r| r.rpo.map_or(f64::INFINITY, secs))
        .sum::<f64>()
        * 50.0
        + losing;
    let ratio = if window > 0.0 { writes / window } else { 1.0 };
    Row {
        source,
        what,
        expected: format!("{expected}; lost writes = 50/s × RPO + 1 per losing run"),
        measured: format!(
            "RPO p50 {}, p99 {}, max {}; lost / (rate × RPO + 1) = {ratio:.3}",
            show(med),
            show(p99),
            show(max)
        ),
        holds: check(med, p99, max) && (writes == 0.0 || (ratio - 1.0).abs() < 0.03),
    }
}

const GLOBAL_FAILOVER: &str = r#"(name: "fail-over", trigger: HealthCheck("hc"), start_at: "go", states: {
        "go": Task(action: FailoverGlobal(store: "db", region: "us-west-2")) })"#;
const PROMOTE_BUCKET: &str = r#"(name: "write-west", trigger: HealthCheck("hc"), start_at: "go", states: {
        "go": Task(action: Promote(store: "db", region: "us-west-2")) })"#;

/// Backups every `T` = 4 h, each job 5 min and its copy to the other Region 30 min (fixed, so the closed
/// form is exact): the newest usable copy at an onset uniform over many periods is `T/2 + job + copy` old
/// on average, never less than `job + copy` nor more than `T + job + copy`.
fn backup_row() -> Row {
    let scenario = load(
        "backup-lab",
        r#"(name: "backup-lab", horizon: "3d",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "api": Lambda(region: "us-west-2"),
        "db": DynamoDb(region: "us-east-1", backup_plan: (every: "4h", job: Fixed("5m"), copy_to: "us-west-2", first_copy: Fixed("30m"), copy: Fixed("30m"))),
    },
    flows: [(name: "write", kind: Write, rate_per_s: 1.0, entry: "api", store: "db")],
    disasters: [(name: "region-outage", kind: RegionOutage(region: "us-east-1"), onset: Uniform("12h", "60h"))],
    runbooks: [(name: "restore", trigger: Human(Fixed("10m")), start_at: "go", states: {
        "go": Task(action: RestoreSnapshot(store: "db", region: "us-west-2"), next: "repoint"),
        "repoint": Task(action: Repoint(store: "db", duration: Fixed("2m"))) })])"#,
    );
    let results = runs(&scenario);
    let rpo = sorted(results.iter().map(|r| r.rpo.map_or(f64::INFINITY, secs)));
    let (lo, hi, expected) = (
        35.0 * 60.0,
        4.0 * 3600.0 + 35.0 * 60.0,
        2.0 * 3600.0 + 35.0 * 60.0,
    );
    let m = mean(&rpo);
    // The mean of RUNS uniform draws over a 4 h span: standard error 4 h / √(12 · RUNS) ≈ 3.5 min.
    let tolerance = 4.0 * 3600.0 / (12.0 * RUNS as f64).sqrt() * 3.0;
    Row {
        source: "C21, C29, C11",
        what: "AWS Backup every 4 h, job 5 min, copy 30 min; Region lost, restored from the copy",
        expected: format!(
            "mean RPO = T/2 + job + copy = {}; all in [{}, {})",
            show(expected),
            show(lo),
            show(hi)
        ),
        measured: format!(
            "mean {}, min {}, max {}",
            show(m),
            show(rpo[0]),
            show(rpo[rpo.len() - 1])
        ),
        holds: (m - expected).abs() <= tolerance && rpo[0] >= lo && rpo[rpo.len() - 1] < hi,
    }
}

/// Every case of the suite.
fn suite() -> Vec<Row> {
    vec![
        route53_detection("30s", 60.0, 90.0),
        route53_detection("10s", 20.0, 30.0),
        dns_ttl(),
        failover_row(
            "C6",
            "RDS Multi-AZ instance, the primary's AZ lost: write RTO",
            r#"Rds(deployment: MultiAzInstance(primary_az: "us-east-1a", standby_az: "us-east-1b"))"#,
            (59.0, 89.4, 120.0),
        ),
        failover_row(
            "C7",
            "RDS Multi-AZ DB cluster, the writer's AZ lost: write RTO",
            r#"Rds(deployment: MultiAzCluster(writer_az: "us-east-1a", reader_azs: ["us-east-1b", "us-east-1c"]))"#,
            (14.0, 24.0, 35.0),
        ),
        failover_row(
            "C5",
            "Aurora, the writer's AZ lost: in-Region failover, write RTO",
            r#"Aurora(instance_azs: ["us-east-1a", "us-east-1b"])"#,
            (0.0, 19.4, 120.0),
        ),
        rpo_row(
            "C1, C2",
            "Aurora Global Database, primary Region lost, unplanned failover: RPO",
            region_lab(
                r#"Aurora(instance_azs: ["us-east-1a", "us-east-1b"], secondaries: [(region: "us-west-2")])"#,
                GLOBAL_FAILOVER,
            ),
            "RPO = lag at the failure: \"typically under a second\" (p50 ≈ 0.2 s)",
            |p50, _, _| (0.1..0.4).contains(&p50),
        ),
        rpo_row(
            "C12",
            "DynamoDB global table (MREC), a replica's Region lost: RPO",
            region_lab(
                r#"DynamoDb(region: "us-east-1", replicas: ["us-west-2"])"#,
                GLOBAL_FAILOVER.replace("FailoverGlobal", "Run").replace(
                    r#"(store: "db", region: "us-west-2")"#,
                    r#"(what: "nothing to do: the replica takes writes", duration: Fixed("1s"))"#,
                ).as_str(),
            ),
            "\"typically within a second\" (p50 ≈ 0.5 s, p99 ≈ 2.5 s)",
            |p50, p99, _| (0.35..0.65).contains(&p50) && p99 < 4.0,
        ),
        rpo_row(
            "C13",
            "DynamoDB global table (MRSC, witness), a replica's Region lost: RPO",
            region_lab(
                r#"DynamoDb(region: "us-east-1", replicas: ["us-west-2"], consistency: Strong, witness: "us-east-2")"#,
                r#"(name: "none", trigger: Human(Fixed("5m")), start_at: "go", states: { "go": Succeed })"#,
            ),
            "zero RPO",
            |_, _, max| max == 0.0,
        ),
        rpo_row(
            "C15",
            "S3 Cross-Region Replication with RTC, source Region lost, writes sent to the replica: RPO",
            region_lab(
                r#"S3(region: "us-east-1", versioning: true, replication: (region: "us-west-2", rtc: true))"#,
                PROMOTE_BUCKET,
            ),
            "most objects in seconds (p50 ≈ 5 s); 99.99 % within 15 min",
            |p50, _, max| (3.0..8.0).contains(&p50) && max < 900.0,
        ),
        backup_row(),
    ]
}

/// The generated section of `docs/calibration.md`.
fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| rows | what runs (through the whole world) | expected | measured |\n|---|---|---|---|\n",
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.source, r.what, r.expected, r.measured
        ));
    }
    out
}

const BEGIN: &str = "<!-- calibration suite: generated by scenarios/tests/it/calibration.rs -->\n";
const END: &str = "<!-- end of the calibration suite -->\n";

#[test]
fn calibration_suite_measures_the_published_figures() {
    let rows = suite();
    let failed: Vec<String> = rows
        .iter()
        .filter(|r| !r.holds)
        .map(|r| {
            format!(
                "{} {}: expected {}, measured {}",
                r.source, r.what, r.expected, r.measured
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "calibration rows off:\n{}",
        failed.join("\n")
    );

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/calibration.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let generated = format!("{BEGIN}\n{}\n{END}", table(&rows));
    let (at, to) = (
        doc.find(BEGIN)
            .expect("the calibration suite's begin marker"),
        doc.find(END).expect("the calibration suite's end marker") + END.len(),
    );
    if std::env::var_os("DRSIM_BLESS").is_some() {
        std::fs::write(path, format!("{}{generated}{}", &doc[..at], &doc[to..])).unwrap();
        return;
    }
    assert!(
        doc[at..to] == generated,
        "docs/calibration.md's suite table differs from what the runs measure: refresh it with \
         `DRSIM_BLESS=1 cargo test -p scenarios --test it calibration` and review the diff"
    );
}
