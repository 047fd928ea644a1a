//! Every field of the scenario format has an effect, or is refused at load (issue 14, `STYLE.md`: "Every
//! input has an effect"). The field list is the reference at the end of `docs/scenario-format.md`
//! (generated from `sim-core/src/spec/` by `sim-core`'s `format_reference` test); the table below has a
//! row per field: a fixture ("lab") scenario, a text substitution that changes the field, and the result
//! that must differ between the base and the changed scenario when both run through the whole world, the
//! way the CLI runs them (`scenarios::load_text`, then `sim_core` runs, sweeps, budgets and prices). A
//! `Refused` row says the changed value must fail to load with an error naming the field.
//!
//! The test fails when a field of the reference has no row, when a row names a field the reference does
//! not have, when a substitution does not apply, and when a declared result does not differ: a new field
//! cannot be added without showing what it does.
//!
//! `DRSIM_FX_SHOW=LAB` prints the base runs of one lab (results and step log), for writing new rows.

use std::collections::BTreeMap;

use sim_core::budget::evaluate;
use sim_core::cost::{steady_state, table_for};
use sim_core::measure::RunResult;
use sim_core::spec::Scenario;
use sim_core::sweep::{SweepSpec, SweepSummary, fingerprint, run_replication, sweep_samples};

/// Replications per run of a lab (replication `k` of the scenario's own seed, as `drsim sweep` runs them).
const REPS: u64 = 2;

/// Replications behind a budget verdict or a sweep summary.
const SWEEP_RUNS: u64 = 6;

/// What a row shows: the result that differs between the base and the changed lab.
#[derive(Clone, Copy, Debug)]
enum Shows {
    /// The service RTO.
    Rto,
    /// The service RPO, the data-loss window (an `Option`: not determined when a store is not back).
    Rpo,
    /// Acknowledged writes lost.
    LostWrites,
    /// Per-flow results (RTO, availability, failed requests, worst window).
    Flows,
    /// Per-store results (data-loss windows, writes acknowledged, surviving, lost, overwritten).
    Stores,
    /// The step log (what happened, when, by whom).
    Log,
    /// What recovery provisioned, in USD.
    RecoveryCost,
    /// The steady-state monthly cost.
    SteadyCost,
    /// The verdicts of the scenario's budgets (status, measured percentile, runs judged).
    Verdict,
    /// A sweep's summary statistics.
    Sweep,
    /// `drsim assess` against the scenario's policy: each type's and disaster's verdict, its measured
    /// figures and what decides it.
    Assessment,
    /// A descriptive text, shown where the `Where` says.
    Shown(Where),
    /// Refused at load, with an error naming the field.
    Refused,
}

/// Where a descriptive field shows up.
#[derive(Clone, Copy, Debug)]
enum Where {
    /// The scenario name every run result and summary carries (`drsim run`, `sweep`, reports).
    RunResult,
    /// The scenario a sweep results file holds (`drsim sweep --out`, read by `drsim report`) and its
    /// fingerprint, which keeps shards of different scenarios from merging.
    SweepFile,
}

use Shows::*;

// ---- The labs: small scenarios, each exercising many fields ----

/// A failover record in front of an Aurora global database: the managed failover makes us-west-2 the
/// writer; us-east-1 comes back after an hour, when the record's failback decides where writes go.
const FAILBACK_LAB: &str = r#"(
    name: "failback-lab",
    horizon: "6h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "db": Aurora(instance_azs: ["us-east-1a"], global_failover: Fixed("40s"), secondaries: [(region: "us-west-2", lag: Fixed("1s"))]),
        "app-east": Ec2(az: "us-east-1a", launch: Fixed("1s")),
        "app-west": Ec2(az: "us-west-2a", launch: Fixed("1s")),
        "hc-east": HealthCheck(target: "app-east"),
        "dns": Record(ttl: "60s", policy: Failover(primary: (endpoint: "app-east", health_check: "hc-east"), secondary: (endpoint: "app-west"))),
    },
    flows: [(name: "orders", kind: Write, rate_per_s: 5.0, entry: "dns", store: "db")],
    disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("1h"), duration: Fixed("1h"))],
    runbooks: [(name: "rb", trigger: HealthCheck("hc-east"), start_at: "fo", states: {
        "fo": Task(action: FailoverGlobal(store: "db", region: "us-west-2")),
    })],
)"#;

/// Runbook mechanics: us-east-1 (data plane and APIs) fails for 30 min; the runbook moves DNS to
/// us-west-2, retrying the Route 53 edit until us-east-1's control plane is back.
const RUNBOOK_LAB: &str = r#"(
    name: "runbook-lab",
    description: "A runbook moves DNS to us-west-2.",
    course: (module: "004", expectation: "RTO is detection, people and the DNS edit"),
    seed: 1,
    horizon: "6h",
    regions: [(name: "us-east-1", azs: ["us-east-1a", "us-east-1b"]), (name: "us-west-2", azs: ["us-west-2a", "us-west-2b"])],
    resources: {
        "app-east": Ec2(az: "us-east-1a", launch: Fixed("2h")),
        "app-west": Ec2(az: "us-west-2a", launch: Fixed("90s")),
        "hc-east": HealthCheck(target: "app-east"),
        "dns": Record(ttl: "60s", propagation: Fixed("30s"), policy: Simple(target: (endpoint: "app-east"))),
        "old-dns": Record(policy: Simple(target: (endpoint: "app-east"))),
    },
    flows: [
        (name: "api", kind: Read, rate_per_s: 10.0, entry: "dns", slo: 0.99, critical: true),
        (name: "west-api", kind: Read, rate_per_s: 1.0, entry: "app-west"),
    ],
    disasters: [
        (name: "east", kind: RegionOutage(region: "us-east-1", control_plane: true), onset: At("1h"), duration: Fixed("30m"), enabled: true),
        (name: "drill", kind: Planned(what: "a game day"), onset: At("2h"), enabled: true),
    ],
    runbooks: [
        (
            name: "move",
            trigger: HealthCheck("hc-east"),
            start_at: "page",
            states: {
                "page": Task(action: Page(who: "oncall", ack: Fixed("2m")), next: "decide"),
                "decide": Task(action: Decide(who: "lead", delay: Fixed("3m")), next: "west?"),
                "west?": Choice(choices: [(when: RegionUp("us-west-2"), next: "prep")]),
                "prep": Task(action: Run(what: "check us-west-2", duration: Fixed("2m")), next: "par"),
                "par": Parallel(
                    branches: [
                        (start_at: "a", states: { "a": Task(action: Run(what: "warm caches", duration: Fixed("1m"))) }),
                        (start_at: "b", states: { "b": Task(action: UpdateDns(record: "dns", target: "app-west")) }),
                    ],
                    retry: [(errors: ["ControlPlaneDown"], interval: "1m", max_attempts: 1)],
                    catch: [(errors: ["ControlPlaneDown"], next: "wait")],
                    next: "verify",
                ),
                "wait": Wait(duration: Fixed("3m"), next: "east?"),
                "east?": Choice(choices: [(when: Not(RegionUp("us-west-2")), next: "give-up")], default: "dns"),
                "give-up": Fail(error: "NoRegion", cause: "us-west-2 is down too"),
                "dns": Task(action: UpdateDns(record: "dns", target: "app-west"),
                            retry: [(errors: ["ControlPlaneDown"], interval: "4m", max_attempts: 5, backoff_rate: 2.0)],
                            next: "verify"),
                "verify": Task(action: Run(what: "smoke test", duration: Fixed("1m"))),
            },
        ),
        (
            name: "notify",
            trigger: Onset,
            start_at: "n",
            states: {
                "n": Parallel(branches: [(start_at: "f", states: { "f": Fail(error: "Unreachable", cause: "the status page is down") })],
                              catch: [(errors: ["Unreachable"], next: "late")]),
                "late": Task(action: Run(what: "post on the status page", duration: Fixed("1m"))),
            },
        ),
    ],
    measure: (window: "60s"),
    prices: {"ec2/us-east-1/m5.large": 0.096},
)"#;

/// CloudWatch alarms: us-east-1's data plane fails for 40 min; an alarm on the flow `app` starts the
/// runbook that moves DNS to us-west-2; a second alarm on the instance `app` (no data while its Region
/// is down) starts a runbook that only logs.
const ALARM_LAB: &str = r#"(
    name: "alarm-lab",
    horizon: "4h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "app": Ec2(az: "us-east-1a", launch: Fixed("1s")),
        "app-west": Ec2(az: "us-west-2a", launch: Fixed("1s")),
        "dns": Record(ttl: "0s", propagation: Fixed("10s"), policy: Simple(target: (endpoint: "app"))),
        "alarm": Alarm(watches: "app", source: Flow, metric: SuccessRate, statistic: Minimum, comparison: LessThanThreshold,
                       threshold: 0.99, period: "60s", evaluation_periods: 3, datapoints_to_alarm: 2, publication_delay: "30s"),
        "res-alarm": Alarm(watches: "app", source: Resource, period: "60s", evaluation_periods: 2, datapoints_to_alarm: 2, treat_missing_data: Breaching),
    },
    flows: [
        (name: "app", kind: Read, rate_per_s: 10.0, entry: "dns"),
        (name: "other", kind: Read, rate_per_s: 1.0, entry: "app-west"),
    ],
    disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("1h"), duration: Fixed("40m"))],
    runbooks: [
        (name: "move", trigger: Alarm("alarm"), start_at: "dns", states: { "dns": Task(action: UpdateDns(record: "dns", target: "app-west")) }),
        (name: "note", trigger: Alarm("res-alarm"), start_at: "n", states: { "n": Task(action: Run(what: "note the missing data", duration: Fixed("1m"))) }),
    ],
)"#;

/// Compute in one Region: an instance whose host fails (automatic recovery), an instance in the AZ that
/// fails for 10 min (it reboots when the AZ is back), an Auto Scaling group behind an ALB losing a third
/// of its instances, a Lambda function; a runbook scales the group.
const EC2_LAB: &str = r#"(
    name: "ec2-lab",
    horizon: "4h",
    regions: [(name: "us-east-1", azs: ["us-east-1a", "us-east-1b", "us-east-1c"])],
    resources: {
        "solo": Ec2(az: "us-east-1a", launch: Fixed("90s"), auto_recovery: true, instance_type: "m5.large"),
        "win": Ec2(az: "us-east-1b", os: Linux),
        "web": Asg(region: "us-east-1", azs: ["us-east-1a", "us-east-1b", "us-east-1c"], desired: 3, min: 2, max: 6, needed: 3,
                   os: Linux, replace_after: "2m", instance_type: "m5.large"),
        "alb": Alb(region: "us-east-1", targets: ["web"], health_check_interval: "30s", unhealthy_threshold: 2, healthy_threshold: 5),
        "fn": Lambda(region: "us-east-1"),
    },
    flows: [
        (name: "solo-api", kind: Read, rate_per_s: 10.0, entry: "solo"),
        (name: "win-api", kind: Read, rate_per_s: 10.0, entry: "win", critical: true),
        (name: "web-api", kind: Read, rate_per_s: 30.0, entry: "alb", slo: 0.99, critical: false),
        (name: "fn-api", kind: Read, rate_per_s: 5.0, entry: "fn"),
    ],
    disasters: [
        (name: "host", kind: ResourceFailure(resource: "solo"), onset: At("1h")),
        (name: "az-b", kind: AzOutage(az: "us-east-1b"), onset: At("1h"), duration: Fixed("10m")),
    ],
    runbooks: [(name: "scale", trigger: Onset, start_at: "wait", states: {
        "wait": Wait(duration: Fixed("30m"), next: "scale"),
        "scale": Task(action: SetCapacity(group: "web", desired: 4, wait: true), next: "shrink"),
        "shrink": Task(action: SetCapacity(group: "web", desired: 2, wait: false), next: "done"),
        "done": Task(action: Run(what: "tell the team", duration: Fixed("1m"))),
    })],
)"#;

/// DNS policies and Route 53 health checks: us-east-1's data plane fails for 30 min under a failover, a
/// latency (clients in both Regions) and a weighted record, and a Lambda function.
const WEIGHTED_LAB: &str = r#"(
    name: "weighted-lab",
    horizon: "4h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "app-east": Ec2(az: "us-east-1a", launch: Fixed("1m")),
        "app-west": Ec2(az: "us-west-2a", launch: Fixed("1m")),
        "hc-east": HealthCheck(target: "app-east", interval: "30s", failure_threshold: 3, checkers: 16),
        "hc-west": HealthCheck(target: "app-west"),
        "fo": Record(ttl: "60s", policy: Failover(primary: (endpoint: "app-east", health_check: "hc-east"), secondary: (endpoint: "app-west"))),
        "lat": Record(ttl: "60s", policy: Latency(targets: [("us-east-1", (endpoint: "app-east", health_check: "hc-east")), ("us-west-2", (endpoint: "app-west", health_check: "hc-west"))])),
        "wt": Record(ttl: "60s", policy: Weighted(targets: [(80, (endpoint: "app-east")), (20, (endpoint: "app-west"))])),
        "fn": Lambda(region: "us-east-1"),
    },
    flows: [
        (name: "fo-api", kind: Read, rate_per_s: 10.0, entry: "fo"),
        (name: "lat-api", kind: Read, rate_per_s: 10.0, entry: "lat", clients: {"us-east-1": 0.5, "us-west-2": 0.5}),
        (name: "lat-first", kind: Read, rate_per_s: 10.0, entry: "lat"),
        (name: "wt-api", kind: Read, rate_per_s: 10.0, entry: "wt"),
        (name: "fn-api", kind: Read, rate_per_s: 10.0, entry: "fn"),
    ],
    disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("1h"), duration: Fixed("30m"))],
)"#;

/// CloudFormation: us-east-1 fails; the runbook creates the us-west-2 stack (an Auto Scaling group and its
/// ALB), scales the group and moves DNS there.
const MIGRATE_LAB: &str = r#"(
    name: "migrate-lab",
    horizon: "6h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a", "us-west-2b"])],
    resources: {
        "app-east": Ec2(az: "us-east-1a"),
        "web-west": Asg(region: "us-west-2", azs: ["us-west-2a", "us-west-2b"], desired: 2, min: 2, max: 6, needed: 4, launch: Fixed("2m")),
        "alb-west": Alb(region: "us-west-2", targets: ["web-west"]),
        "west-stack": Stack(region: "us-west-2", kind: Web, resources: ["web-west", "alb-west"]),
        "spare-stack": Stack(region: "us-west-2", kind: Custom, duration: Fixed("1m")),
        "dns": Record(ttl: "60s", propagation: Fixed("30s"), policy: Simple(target: (endpoint: "app-east"))),
    },
    flows: [(name: "api", kind: Read, rate_per_s: 10.0, entry: "dns")],
    disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("1h"))],
    runbooks: [(name: "rebuild", trigger: Onset, start_at: "stack", states: {
        "stack": Task(action: CreateStack(stack: "west-stack"), next: "scale"),
        "scale": Task(action: SetCapacity(group: "web-west", desired: 4, wait: true), next: "dns"),
        "dns": Task(action: UpdateDns(record: "dns", target: "alb-west")),
    })],
)"#;

/// RDS in one Region with four AZs: a Multi-AZ instance, a Multi-AZ cluster and a Single-AZ instance with
/// an in-Region read replica; us-east-1a fails for 30 min, us-east-1b for 10 min two hours later. The
/// runbook promotes the replica when the single instance's writer is down, and later forces a failover.
const RDS_LAB: &str = r#"(
    name: "rds-lab",
    horizon: "5h",
    regions: [(name: "us-east-1", azs: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"])],
    resources: {
        "multi": Rds(deployment: MultiAzInstance(primary_az: "us-east-1a", standby_az: "us-east-1b"), multi_az_failover: Fixed("90s")),
        "cluster": Rds(deployment: MultiAzCluster(writer_az: "us-east-1a", reader_azs: ["us-east-1b", "us-east-1c"]), cluster_failover: Fixed("20s")),
        "single": Rds(deployment: SingleAz(az: "us-east-1a"), read_replicas: [(az: "us-east-1c", lag: Fixed("1s"))], promotion: Fixed("5m")),
        "fn": Lambda(region: "us-east-1"),
    },
    flows: [
        (name: "multi-w", kind: Write, rate_per_s: 5.0, entry: "fn", store: "multi"),
        (name: "cluster-w", kind: Write, rate_per_s: 5.0, entry: "fn", store: "cluster"),
        (name: "single-w", kind: Write, rate_per_s: 5.0, entry: "fn", store: "single"),
    ],
    disasters: [
        (name: "az-a", kind: AzOutage(az: "us-east-1a"), onset: At("1h"), duration: Fixed("30m")),
        (name: "az-b", kind: AzOutage(az: "us-east-1b"), onset: At("3h"), duration: Fixed("10m")),
    ],
    runbooks: [(name: "rb", trigger: Onset, start_at: "first", states: {
        "first": Wait(duration: Fixed("5m"), next: "down?"),
        "down?": Choice(choices: [(when: Probe(store: "single", what: "writer_up", op: Eq, value: 0.0), next: "promote")], default: "later"),
        "promote": Task(action: Promote(store: "single", region: "us-east-1"), next: "later"),
        "later": Wait(duration: Fixed("3h"), next: "force"),
        "force": Task(action: ForceFailover(store: "cluster")),
    })],
)"#;

/// A cross-Region read replica promoted after us-east-1 fails.
const PROMOTE_LAB: &str = r#"(
    name: "promote-lab",
    horizon: "4h",
    regions: [(name: "us-east-1", azs: ["us-east-1a", "us-east-1b"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "db": Rds(deployment: SingleAz(az: "us-east-1a"), read_replicas: [(az: "us-west-2a", lag: Fixed("5s"))], promotion: Fixed("5m")),
        "fn-west": Lambda(region: "us-west-2"),
    },
    flows: [(name: "orders", kind: Write, rate_per_s: 5.0, entry: "fn-west", store: "db")],
    disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("1h"))],
    runbooks: [(name: "rb", trigger: Onset, start_at: "promote", states: {
        "promote": Task(action: Promote(store: "db", region: "us-west-2")),
    })],
)"#;

/// An AWS Backup plan copying hourly backups to us-west-2; us-east-1 fails at 3h20m and the runbook
/// restores the latest copy there, then repoints the application.
const SNAPSHOT_LAB: &str = r#"(
    name: "snapshot-lab",
    horizon: "8h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "db": Rds(deployment: SingleAz(az: "us-east-1a"), size_gb: 100, restore: (base: Fixed("10m"), per_gb: "3s"),
                  backup_plan: (every: "1h", first_at: "30m", job: Fixed("5m"), copy_to: "us-west-2", first_copy: Fixed("20m"), copy: Fixed("10m")),
                  instance_class: "db.r6g.large"),
        "fn-west": Lambda(region: "us-west-2"),
    },
    flows: [(name: "orders", kind: Write, rate_per_s: 5.0, entry: "fn-west", store: "db")],
    disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("3h20m"))],
    runbooks: [(name: "restore", trigger: Onset, start_at: "restore", states: {
        "restore": Task(action: RestoreSnapshot(store: "db", region: "us-west-2"), next: "repoint"),
        "repoint": Task(action: Repoint(store: "db", duration: Fixed("5m"))),
    })],
)"#;

/// A deleted database: restored from the latest snapshot (a manual one, or the daily automated one)
/// after copying it to us-west-2.
const DELETE_LAB: &str = r#"(
    name: "delete-lab",
    horizon: "12h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "db": Rds(deployment: SingleAz(az: "us-east-1a"), manual_snapshots: ["5h"], snapshot_copy: Fixed("1h"),
                  automated_snapshots: (first_at: "3h", every: "24h", job: Fixed("10m"), copy_to: "us-west-2", first_copy: Fixed("30m"), copy: Fixed("10m"))),
        "other": Rds(deployment: SingleAz(az: "us-east-1a")),
        "fn": Lambda(region: "us-west-2"),
    },
    flows: [
        (name: "orders", kind: Write, rate_per_s: 5.0, entry: "fn", store: "db"),
        (name: "other-w", kind: Write, rate_per_s: 1.0, entry: "fn", store: "other"),
    ],
    disasters: [(name: "drop", kind: Delete(store: "db"), onset: At("6h"))],
    runbooks: [(name: "restore", trigger: Onset, start_at: "copy", states: {
        "copy": Task(action: CopyBackup(store: "db", region: "us-west-2"), next: "restore"),
        "restore": Task(action: RestoreSnapshot(store: "db", region: "us-west-2"), next: "repoint"),
        "repoint": Task(action: Repoint(store: "db", duration: Fixed("5m"))),
    })],
)"#;

/// Point-in-time recovery a day after a corruption: RDS restores to just before it, within the retention.
const PITR_LAB: &str = r#"(
    name: "pitr-lab",
    horizon: "2d",
    regions: [(name: "us-east-1", azs: ["us-east-1a"])],
    resources: {
        "db": Rds(deployment: SingleAz(az: "us-east-1a"), automated_backups: true, backup_retention: "2d"),
        "fn": Lambda(region: "us-east-1"),
    },
    flows: [
        (name: "orders", kind: Write, rate_per_s: 1.0, entry: "fn", store: "db"),
        (name: "catalog", kind: Read, rate_per_s: 5.0, entry: "fn", store: "db"),
    ],
    disasters: [(name: "bad-deploy", kind: Corruption(store: "db"), onset: At("2h"))],
    runbooks: [(name: "restore", trigger: Onset, start_at: "wait", states: {
        "wait": Wait(duration: Fixed("26h"), next: "restore"),
        "restore": Task(action: RestoreToPoint(store: "db", region: "us-east-1", point: BeforeCorruption), next: "repoint"),
        "repoint": Task(action: Repoint(store: "db", duration: Fixed("5m"))),
    })],
)"#;

/// Aurora in-Region: a two-instance cluster (with a Global Database secondary) and a one-instance
/// cluster lose us-east-1a; later a planned switchover moves the global primary to us-west-2.
const AURORA_AZ: &str = r#"(
    name: "aurora-az",
    horizon: "5h",
    regions: [(name: "us-east-1", azs: ["us-east-1a", "us-east-1b"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "orders": Aurora(instance_azs: ["us-east-1a", "us-east-1b"], failover: Fixed("30s"), switchover: Fixed("1m"),
                         secondaries: [(region: "us-west-2", lag: Fixed("2s"), write_forwarding: true)], instance_class: "db.r6g.large"),
        "solo": Aurora(instance_azs: ["us-east-1a"], instance_replace: Fixed("15m")),
        "fn": Lambda(region: "us-east-1"),
        "fn-west": Lambda(region: "us-west-2"),
    },
    flows: [
        (name: "east-w", kind: Write, rate_per_s: 5.0, entry: "fn", store: "orders"),
        (name: "west-w", kind: Write, rate_per_s: 5.0, entry: "fn-west", store: "orders"),
        (name: "solo-w", kind: Write, rate_per_s: 5.0, entry: "fn", store: "solo"),
    ],
    disasters: [(name: "az", kind: AzOutage(az: "us-east-1a"), onset: At("1h"), duration: Fixed("1h"))],
    runbooks: [(name: "drill", trigger: Onset, start_at: "wait", states: {
        "wait": Wait(duration: Fixed("2h"), next: "switch"),
        "switch": Task(action: SwitchoverGlobal(store: "orders", region: "us-west-2")),
    })],
)"#;

/// Aurora Global Database: us-east-1 fails; the runbook fails the global cluster over to us-west-2 and
/// restores a second cluster from its copied backups there.
const AURORA_GLOBAL: &str = r#"(
    name: "aurora-global",
    horizon: "8h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"]), (name: "us-west-1", azs: ["us-west-1a"])],
    resources: {
        "orders": Aurora(instance_azs: ["us-east-1a"], global_failover: Fixed("40s"), secondaries: [(region: "us-west-2", lag: Fixed("2s"), write_forwarding: true)]),
        "reports": Aurora(instance_azs: ["us-east-1a"], backup_plan: (every: "1h", first_at: "30m", job: Fixed("5m"), copy_to: "us-west-2", first_copy: Fixed("20m"), copy: Fixed("10m"))),
        "fn-west": Lambda(region: "us-west-2"),
    },
    flows: [
        (name: "orders-w", kind: Write, rate_per_s: 5.0, entry: "fn-west", store: "orders"),
        (name: "reports-r", kind: Read, rate_per_s: 5.0, entry: "fn-west", store: "reports"),
    ],
    disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("3h20m"))],
    runbooks: [(name: "rb", trigger: Onset, start_at: "page", states: {
        "page": Task(action: Page(who: "oncall", ack: Fixed("2m")), next: "both"),
        "both": Parallel(branches: [
            (start_at: "fo", states: { "fo": Task(action: FailoverGlobal(store: "orders", region: "us-west-2")) }),
            (start_at: "restore", states: {
                "restore": Task(action: RestoreSnapshot(store: "reports", region: "us-west-2"), next: "repoint"),
                "repoint": Task(action: Repoint(store: "reports", duration: Fixed("5m"))),
            }),
        ]),
    })],
)"#;

/// Aurora point-in-time restore a day after a corruption, with a copy of its latest backup to us-west-2
/// made alongside.
const AURORA_RESTORE: &str = r#"(
    name: "aurora-restore",
    horizon: "2d",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "orders": Aurora(instance_azs: ["us-east-1a"], size_gb: 100, restore: (base: Fixed("10m"), per_gb: "3s"), backup_retention: "2d",
                         backup_plan: (every: "1h", first_at: "30m", job: Fixed("5m")), snapshot_copy: Fixed("20m")),
        "other": Aurora(instance_azs: ["us-east-1a"]),
        "fn": Lambda(region: "us-east-1"),
    },
    flows: [
        (name: "orders-w", kind: Write, rate_per_s: 1.0, entry: "fn", store: "orders"),
        (name: "orders-r", kind: Read, rate_per_s: 5.0, entry: "fn", store: "orders"),
        (name: "other-w", kind: Write, rate_per_s: 1.0, entry: "fn", store: "other"),
        (name: "other-r", kind: Read, rate_per_s: 5.0, entry: "fn", store: "other"),
    ],
    disasters: [(name: "bad-deploy", kind: Corruption(store: "orders"), onset: At("2h"))],
    runbooks: [(name: "restore", trigger: Onset, start_at: "wait", states: {
        "wait": Wait(duration: Fixed("26h"), next: "both"),
        "both": Parallel(branches: [
            (start_at: "r", states: { "r": Task(action: RestoreToPoint(store: "orders", region: "us-east-1", point: BeforeCorruption)) }),
            (start_at: "c", states: { "c": Task(action: CopyBackup(store: "orders", region: "us-west-2")) }),
        ], next: "repoint"),
        "repoint": Task(action: Repoint(store: "orders", duration: Fixed("5m"))),
    })],
)"#;

/// DynamoDB global tables partitioned for 30 min: an MREC table written from both Regions (last writer
/// wins) and an MRSC table with a witness.
const DYNAMO_LAB: &str = r#"(
    name: "dynamo-lab",
    horizon: "4h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"]), (name: "us-east-2", azs: ["us-east-2a"]), (name: "us-west-1", azs: ["us-west-1a"])],
    resources: {
        "cart": DynamoDb(region: "us-east-1", replicas: ["us-west-2"], consistency: Eventual, replication_lag: Fixed("1s"), items: 1000),
        "fn-east": Lambda(region: "us-east-1"),
        "fn-west": Lambda(region: "us-west-2"),
    },
    flows: [
        (name: "cart-east", kind: Write, rate_per_s: 20.0, entry: "fn-east", store: "cart"),
        (name: "cart-west", kind: Write, rate_per_s: 20.0, entry: "fn-west", store: "cart"),
    ],
    disasters: [(name: "split", kind: Partition(a: "us-east-1", b: "us-west-2"), onset: At("1h"), duration: Fixed("30m"))],
)"#;

/// A DynamoDB MRSC global table whose witness Region fails while its two replica Regions are partitioned:
/// neither replica reaches a majority.
const MRSC_LAB: &str = r#"(
    name: "mrsc-lab",
    horizon: "4h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"]), (name: "us-east-2", azs: ["us-east-2a"]), (name: "us-west-1", azs: ["us-west-1a"])],
    resources: {
        "ledger": DynamoDb(region: "us-east-1", replicas: ["us-west-2"], consistency: Strong, witness: "us-east-2"),
        "fn-east": Lambda(region: "us-east-1"),
        "fn-west": Lambda(region: "us-west-2"),
    },
    flows: [
        (name: "ledger-east", kind: Write, rate_per_s: 5.0, entry: "fn-east", store: "ledger"),
        (name: "ledger-west", kind: Write, rate_per_s: 5.0, entry: "fn-west", store: "ledger"),
    ],
    disasters: [
        (name: "witness-down", kind: RegionOutage(region: "us-east-2"), onset: At("1h"), duration: Fixed("30m")),
        (name: "split", kind: Partition(a: "us-east-1", b: "us-west-2"), onset: At("1h"), duration: Fixed("30m")),
    ],
)"#;

/// A DynamoDB table restored from PITR after a corruption, repointed, its replica re-added; us-east-1
/// fails two hours later.
const DYNAMO_RESTORE: &str = r#"(
    name: "dynamo-restore",
    horizon: "8h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "cart": DynamoDb(region: "us-east-1", replicas: ["us-west-2"], pitr: true, pitr_retention: "35d", size_gb: 10,
                         restore: (base: Fixed("10m"), per_gb: "3s"), add_replica: (base: Fixed("10m"), per_gb: "10s"),
                         backup_plan: (every: "1h", first_at: "30m", job: Fixed("5m")), backup_copy: Fixed("30m")),
        "fn-west": Lambda(region: "us-west-2"),
    },
    flows: [
        (name: "cart-w", kind: Write, rate_per_s: 5.0, entry: "fn-west", store: "cart"),
        (name: "cart-r", kind: Read, rate_per_s: 5.0, entry: "fn-west", store: "cart"),
    ],
    disasters: [
        (name: "bad-deploy", kind: Corruption(store: "cart"), onset: At("1h")),
        (name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("3h")),
    ],
    runbooks: [(name: "restore", trigger: Onset, start_at: "restore", states: {
        "restore": Task(action: RestoreToPoint(store: "cart", region: "us-east-1", point: BeforeCorruption), next: "repoint"),
        "repoint": Task(action: Repoint(store: "cart", duration: Fixed("5m")), next: "replica"),
        "replica": Task(action: AddReplica(store: "cart", region: "us-west-2"), next: "copy"),
        "copy": Task(action: CopyBackup(store: "cart", region: "us-west-2")),
    })],
)"#;

/// S3 Cross-Region Replication: us-east-1 fails; writes move to the replica bucket.
const S3_CRR: &str = r#"(
    name: "s3-crr",
    horizon: "4h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"]), (name: "us-west-1", azs: ["us-west-1a"])],
    resources: {
        "media": S3(region: "us-east-1", versioning: true, replication: (region: "us-west-2", rtc: false, lag: Fixed("30s"))),
        "rtc": S3(region: "us-east-1", replication: (region: "us-west-2", rtc: true)),
        "fn": Lambda(region: "us-west-2"),
    },
    flows: [
        (name: "uploads", kind: Write, rate_per_s: 10.0, entry: "fn", store: "media"),
        (name: "rtc-uploads", kind: Write, rate_per_s: 10.0, entry: "fn", store: "rtc"),
    ],
    disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("1h"))],
    runbooks: [(name: "rb", trigger: Onset, start_at: "p", states: {
        "p": Task(action: Promote(store: "media", region: "us-west-2"), next: "q"),
        "q": Task(action: Promote(store: "rtc", region: "us-west-2")),
    })],
)"#;

/// Earlier object versions restored into a corrupted bucket.
const S3_RESTORE: &str = r#"(
    name: "s3-restore",
    horizon: "4h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"])],
    resources: {
        "assets": S3(region: "us-east-1", versioning: true, size_gb: 10, restore: (base: Fixed("5m"), per_gb: "3s")),
        "fn": Lambda(region: "us-east-1"),
    },
    flows: [(name: "reads", kind: Read, rate_per_s: 10.0, entry: "fn", store: "assets")],
    disasters: [(name: "bad-sync", kind: Corruption(store: "assets"), onset: At("1h"))],
    runbooks: [(name: "rb", trigger: Onset, start_at: "r", states: {
        "r": Task(action: RestoreToPoint(store: "assets", region: "us-east-1", point: BeforeCorruption)),
    })],
)"#;

/// One CloudFront origin (a bucket) with an edge cache; the origin turns slow, then its Region fails.
const CDN_SINGLE: &str = r#"(
    name: "cdn-single",
    horizon: "3h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"])],
    resources: {
        "site": S3(region: "us-east-1"),
        "cdn": CloudFront(origins: ["site"], cache: (hit_ratio: 0.8, ttl: "5m"), response_timeout: "30s"),
    },
    flows: [(name: "browse", kind: Read, rate_per_s: 50.0, entry: "cdn")],
    disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("1h"), duration: Fixed("30m"))],
)"#;

/// A slow origin (gray failure) behind CloudFront, with no cache.
const CDN_SLOW: &str = r#"(
    name: "cdn-slow",
    horizon: "3h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"])],
    resources: {
        "site": S3(region: "us-east-1"),
        "cdn": CloudFront(origins: ["site"], response_timeout: "30s"),
        "site2": S3(region: "us-east-1"),
        "cdn2": CloudFront(origins: ["site2"]),
    },
    flows: [
        (name: "browse", kind: Read, rate_per_s: 50.0, entry: "cdn"),
        (name: "other", kind: Read, rate_per_s: 5.0, entry: "cdn2"),
    ],
    disasters: [(name: "slow", kind: GrayFailure(resource: "site", error_rate: 0.1, latency: "20s"), onset: At("30m"), duration: Fixed("20m"))],
)"#;

/// A CloudFront origin group; us-east-1 fails and every request stalls on the dead primary before failing
/// over, until the runbook makes us-west-2's bucket the primary.
const CDN_SWITCH: &str = r#"(
    name: "cdn-switch",
    horizon: "4h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "east-site": S3(region: "us-east-1"),
        "west-site": S3(region: "us-west-2"),
        "cdn": CloudFront(origins: ["east-site", "west-site"], connection_timeout: "10s", connection_attempts: 3, deploy: Fixed("10m")),
        "cdn2": CloudFront(origins: ["east-site", "west-site"]),
    },
    flows: [
        (name: "browse", kind: Read, rate_per_s: 50.0, entry: "cdn", timeout: "25s"),
        (name: "other", kind: Read, rate_per_s: 5.0, entry: "cdn2", timeout: "25s"),
    ],
    disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("1h"), duration: Fixed("2h"))],
    runbooks: [(name: "rb", trigger: Onset, start_at: "page", states: {
        "page": Task(action: Page(who: "oncall", ack: Fixed("5m")), next: "switch"),
        "switch": Task(action: UpdateCloudFront(distribution: "cdn", primary: "west-site")),
    })],
)"#;

/// An origin answering 403 behind an origin group: it fails over only on the statuses it is told to.
const CDN_ERROR: &str = r#"(
    name: "cdn-error",
    horizon: "2h",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "east-site": S3(region: "us-east-1"),
        "west-site": S3(region: "us-west-2"),
        "cdn": CloudFront(origins: ["east-site", "west-site"], failover_status_codes: [500, 502, 503, 504]),
    },
    flows: [(name: "browse", kind: Read, rate_per_s: 50.0, entry: "cdn")],
    disasters: [(name: "denied", kind: OriginError(resource: "east-site", status: 403), onset: At("1h"), duration: Fixed("20m"))],
)"#;

/// Budgets on a database whose instance fails for a random time, and a gray failure of its web tier.
const BUDGET_LAB: &str = r#"(
    name: "budget-lab",
    horizon: "4h",
    regions: [(name: "us-east-1", azs: ["us-east-1a", "us-east-1b"])],
    resources: {
        "db": Rds(deployment: SingleAz(az: "us-east-1a"), read_replicas: [(az: "us-east-1b", lag: Uniform("1s", "20s"))]),
        "db2": Rds(deployment: MultiAzInstance(primary_az: "us-east-1a", standby_az: "us-east-1b")),
        "fn": Lambda(region: "us-east-1"),
    },
    flows: [
        (name: "orders", kind: Write, rate_per_s: 5.0, entry: "fn", store: "db"),
        (name: "reads", kind: Read, rate_per_s: 5.0, entry: "fn", store: "db2"),
    ],
    disasters: [
        (name: "az", kind: AzOutage(az: "us-east-1a"), onset: At("1h"), duration: Uniform("5m", "50m")),
        (name: "gray", kind: GrayFailure(resource: "fn", error_rate: 0.5), onset: At("1h"), duration: Uniform("1m", "3m"), enabled: false),
    ],
    runbooks: [(name: "promote", trigger: Onset, start_at: "page", states: {
        "page": Task(action: Page(who: "dba", ack: LogNormal("5m", "30m")), next: "promote"),
        "promote": Task(action: Promote(store: "db", region: "us-east-1")),
    })],
    budgets: [
        (metric: Rto, percentile: 90, max: "30m", flow: "orders", disaster: "az"),
        (metric: Rpo, percentile: 50, max: "1s", store: "db"),
        (metric: Rpo, percentile: 99, max: "1s"),
    ],
)"#;

/// A resilience policy held to the budget lab: the gray failure stands for application disruptions, the
/// AZ outage for AZs; infrastructure and Region disruptions are generated.
const POLICY_LAB: &str = r#"(
    name: "policy-lab",
    horizon: "4h",
    regions: [(name: "us-east-1", azs: ["us-east-1a", "us-east-1b"])],
    resources: {
        "db": Rds(deployment: MultiAzInstance(primary_az: "us-east-1a", standby_az: "us-east-1b")),
        "fn": Lambda(region: "us-east-1"),
    },
    flows: [(name: "orders", kind: Write, rate_per_s: 5.0, entry: "fn", store: "db")],
    disasters: [
        (name: "az", kind: AzOutage(az: "us-east-1a"), onset: At("1h")),
        (name: "gray", kind: GrayFailure(resource: "fn", error_rate: 0.5), onset: At("1h"), duration: Uniform("1m", "3m"), enabled: false),
    ],
    policy: (name: "lab", percentile: 90, software: (rto: "10m", rpo: "1h"), hardware: (rto: "20m", rpo: "1m"), az: (rto: "20m", rpo: "10s"), region: (rto: "2h", rpo: "1h")),
)"#;

/// An on-premises site (`dc1`) lost for good; its database reaches AWS by a Snowball every 3 days into S3
/// Glacier. The runbook restores it in us-east-1 (a Bulk retrieval first) and moves DNS to a Lambda API.
const SNOWBALL_LAB: &str = r#"(
    name: "snowball-lab",
    horizon: "12d",
    regions: [
        (name: "dc1", azs: [], site: (link: (kind: Vpn))),
        (name: "dc2", azs: [], site: (link: (kind: Vpn))),
        (name: "us-east-1", azs: ["us-east-1a"]),
        (name: "us-west-2", azs: ["us-west-2a"]),
    ],
    resources: {
        "app": OnPremApp(site: "dc1"),
        "db": OnPremDb(site: "dc1", size_gb: 100, offsite: [Snowball(to: "us-east-1", every: "3d", first_at: "2h", load: Fixed("6h"), transit: Fixed("1d"), import: Fixed("12h"))], archive: (class: GlacierFlexibleRetrieval, tier: Bulk), restore: (base: Fixed("30m"), per_gb: "10s")),
        "api": Lambda(region: "us-east-1"),
        "dns": Record(ttl: "60s", policy: Simple(target: (endpoint: "app"))),
    },
    flows: [(name: "orders", kind: Write, rate_per_s: 2.0, entry: "dns", store: "db")],
    disasters: [(name: "loss", kind: SiteLoss(site: "dc1"), onset: At("7d"))],
    runbooks: [(name: "recover", trigger: Onset, start_at: "restore", states: {
        "restore": Task(action: RestoreSnapshot(store: "db", region: "us-east-1"), next: "repoint"),
        "repoint": Task(action: Repoint(store: "db", duration: Fixed("5m")), next: "dns"),
        "dns": Task(action: UpdateDns(record: "dns", target: "api")),
    })],
)"#;

/// DataSync runs every 6 h over `dc1`'s 100 Mbit/s VPN; the WAN link is down from 20 h to 28 h and the
/// site loses power from 30 h to 33 h, so runs fail; at 34 h the runbook restores the latest copy that
/// landed in us-east-1.
const DATASYNC_LAB: &str = r#"(
    name: "datasync-lab",
    horizon: "2d",
    regions: [
        (name: "dc1", azs: [], site: (link: (kind: Vpn, bandwidth_mbps: 100))),
        (name: "dc2", azs: [], site: (link: (kind: Vpn))),
        (name: "us-east-1", azs: ["us-east-1a"]),
        (name: "us-west-2", azs: ["us-west-2a"]),
    ],
    resources: {
        "app": OnPremApp(site: "dc1"),
        "db": OnPremDb(site: "dc1", size_gb: 200, offsite: [DataSync(to: "us-east-1", every: "6h", first_at: "1h", changed_gb: 50, overhead: Fixed("10m"))]),
    },
    flows: [(name: "orders", kind: Write, rate_per_s: 2.0, entry: "app", store: "db")],
    disasters: [
        (name: "wan", kind: WanLinkDown(site: "dc1"), onset: At("20h"), duration: Fixed("8h")),
        (name: "power", kind: PowerOutage(site: "dc1"), onset: At("30h"), duration: Fixed("3h")),
    ],
    runbooks: [(name: "restore", trigger: Onset, start_at: "wait", states: {
        "wait": Task(action: Run(what: "wait", duration: Fixed("14h")), next: "restore"),
        "restore": Task(action: RestoreSnapshot(store: "db", region: "us-east-1")),
    })],
)"#;

/// A file gateway over a 100 Mbit/s VPN; 450 GB written at 8 h need 10 h to upload; the site is lost at
/// 10 h; the runbook mounts the S3 copy in us-east-1 and moves DNS to an API there.
const GATEWAY_LAB: &str = r#"(
    name: "gateway-lab",
    horizon: "1d",
    regions: [
        (name: "dc", azs: [], site: (link: (kind: Vpn, bandwidth_mbps: 100))),
        (name: "us-east-1", azs: ["us-east-1a"]),
        (name: "us-west-2", azs: ["us-west-2a"]),
    ],
    resources: {
        "app": OnPremApp(site: "dc"),
        "db": OnPremDb(site: "dc", offsite: [StorageGateway(to: "us-east-1", mode: File, upload_lag: Fixed("10s"), bursts: [(at: "8h", gb: 450)])]),
        "api": Lambda(region: "us-east-1"),
        "dns": Record(ttl: "60s", policy: Simple(target: (endpoint: "app"))),
    },
    flows: [(name: "orders", kind: Write, rate_per_s: 1.0, entry: "dns", store: "db")],
    disasters: [(name: "loss", kind: SiteLoss(site: "dc"), onset: At("10h"))],
    runbooks: [(name: "mount", trigger: Onset, start_at: "mount", states: {
        "mount": Task(action: Promote(store: "db", region: "us-east-1"), next: "dns"),
        "dns": Task(action: UpdateDns(record: "dns", target: "api")),
    })],
)"#;

/// Nightly tapes picked up every 3 days from 1d 12h and taken 4 h to a vault; the site is lost at 8d, so
/// the tape picked up at 7d 12h (written 7d 01:00) is the newest offsite. The runbook restores it in
/// us-east-1 after a recall of a day.
const TAPE_LAB: &str = r#"(
    name: "tape-lab",
    horizon: "12d",
    regions: [
        (name: "dc", azs: [], site: (link: (kind: Vpn))),
        (name: "us-east-1", azs: ["us-east-1a"]),
        (name: "us-west-2", azs: ["us-west-2a"]),
    ],
    resources: {
        "app": OnPremApp(site: "dc"),
        "db": OnPremDb(site: "dc", size_gb: 100, offsite: [Tape(to: "us-east-1", every: "1d", first_at: "1h", write: Fixed("2h"), pickup_every: "3d", pickup_at: "1d 12h", transit: Fixed("4h"), recall: Fixed("1d"))], restore: (base: Fixed("30m"), per_gb: "0s")),
        "api": Lambda(region: "us-east-1"),
        "dns": Record(ttl: "60s", policy: Simple(target: (endpoint: "app"))),
    },
    flows: [(name: "orders", kind: Write, rate_per_s: 1.0, entry: "dns", store: "db")],
    disasters: [(name: "loss", kind: SiteLoss(site: "dc"), onset: At("8d"))],
    runbooks: [(name: "recover", trigger: Onset, start_at: "restore", states: {
        "restore": Task(action: RestoreSnapshot(store: "db", region: "us-east-1"), next: "repoint"),
        "repoint": Task(action: Repoint(store: "db", duration: Fixed("5m")), next: "dns"),
        "dns": Task(action: UpdateDns(record: "dns", target: "api")),
    })],
)"#;

/// A tape gateway writes a 50 GB virtual tape nightly at 01:00 (1 h), uploaded over 100 Mbit/s in
/// 4,000 s and ejected to the Glacier shelf; the site is lost at 3d 3h, before that night's tape is up.
const VTL_LAB: &str = r#"(
    name: "vtl-lab",
    horizon: "5d",
    regions: [
        (name: "dc", azs: [], site: (link: (kind: Vpn, bandwidth_mbps: 100))),
        (name: "us-east-1", azs: ["us-east-1a"]),
        (name: "us-west-2", azs: ["us-west-2a"]),
    ],
    resources: {
        "app": OnPremApp(site: "dc"),
        "db": OnPremDb(site: "dc", size_gb: 100, offsite: [TapeGateway(to: "us-east-1", every: "1d", first_at: "1h", write: Fixed("1h"), tape_gb: 50, shelf: GlacierFlexibleRetrieval)], restore: (base: Fixed("30m"), per_gb: "0s")),
        "api": Lambda(region: "us-east-1"),
        "dns": Record(ttl: "60s", policy: Simple(target: (endpoint: "app"))),
    },
    flows: [(name: "orders", kind: Write, rate_per_s: 1.0, entry: "dns", store: "db")],
    disasters: [(name: "loss", kind: SiteLoss(site: "dc"), onset: At("3d 3h"))],
    runbooks: [(name: "recover", trigger: Onset, start_at: "restore", states: {
        "restore": Task(action: RestoreSnapshot(store: "db", region: "us-east-1"), next: "repoint"),
        "repoint": Task(action: Repoint(store: "db", duration: Fixed("5m")), next: "dns"),
        "dns": Task(action: UpdateDns(record: "dns", target: "api")),
    })],
)"#;

/// A stored volume snapshotted every 4 h from 1 h (50 GB changed: 4,000 s over 100 Mbit/s) into
/// us-east-1, each snapshot copied on to us-west-2 in 30 min; the site is lost at 2d 3h and the runbook
/// restores a volume in us-west-2 from the 2d 01:00 snapshot's copy.
const STORED_LAB: &str = r#"(
    name: "stored-lab",
    horizon: "4d",
    regions: [
        (name: "dc", azs: [], site: (link: (kind: Vpn, bandwidth_mbps: 100))),
        (name: "us-east-1", azs: ["us-east-1a"]),
        (name: "us-west-2", azs: ["us-west-2a"]),
        (name: "eu-west-1", azs: ["eu-west-1a"]),
    ],
    resources: {
        "app": OnPremApp(site: "dc"),
        "db": OnPremDb(site: "dc", size_gb: 100, offsite: [StoredVolume(to: "us-east-1", every: "4h", first_at: "1h", changed_gb: 50, copy_to: (region: "us-west-2", first_copy: Fixed("2h"), copy: Fixed("30m")))], restore: (base: Fixed("30m"), per_gb: "0s")),
        "api": Lambda(region: "us-west-2"),
        "dns": Record(ttl: "60s", policy: Simple(target: (endpoint: "app"))),
    },
    flows: [(name: "orders", kind: Write, rate_per_s: 1.0, entry: "dns", store: "db")],
    disasters: [(name: "loss", kind: SiteLoss(site: "dc"), onset: At("2d 3h"))],
    runbooks: [(name: "recover", trigger: Onset, start_at: "restore", states: {
        "restore": Task(action: RestoreSnapshot(store: "db", region: "us-west-2"), next: "repoint"),
        "repoint": Task(action: Repoint(store: "db", duration: Fixed("5m")), next: "dns"),
        "dns": Task(action: UpdateDns(record: "dns", target: "api")),
    })],
)"#;

/// ARC routing controls: us-east-1 (and its control plane) fails; the runbook turns the primary's routing
/// control Off through the cluster's data plane, so the failover record answers us-west-2.
const ARC_LAB: &str = r#"(
    name: "arc-lab",
    horizon: "1d",
    regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
    resources: {
        "api-east": Lambda(region: "us-east-1"),
        "api-west": Lambda(region: "us-west-2"),
        "hc-east": HealthCheck(target: "api-east"),
        "arc": ArcCluster(endpoints: ["us-east-1", "us-west-2"], propagation: Fixed("10s")),
        "solo": ArcCluster(endpoints: ["us-east-1"]),
        "ctl-east": RoutingControl(cluster: "arc", state: On),
        "ctl-west": RoutingControl(cluster: "arc", state: On),
        "dns": Record(ttl: "60s", policy: Failover(primary: (endpoint: "api-east", health_check: "ctl-east"), secondary: (endpoint: "api-west", health_check: "ctl-west"))),
    },
    flows: [(name: "api", kind: Read, rate_per_s: 10.0, entry: "dns")],
    disasters: [(name: "east", kind: RegionOutage(region: "us-east-1", control_plane: true), onset: At("1h"), duration: Fixed("6h"))],
    runbooks: [(name: "flip", trigger: HealthCheck("hc-east"), start_at: "flip", states: {
        "flip": Task(action: SetRoutingControl(control: "ctl-east", state: Off)),
    })],
)"#;

const LABS: &[(&str, &str)] = &[
    ("tape-lab", TAPE_LAB),
    ("vtl-lab", VTL_LAB),
    ("stored-lab", STORED_LAB),
    ("failback-lab", FAILBACK_LAB),
    ("arc-lab", ARC_LAB),
    ("gateway-lab", GATEWAY_LAB),
    ("snowball-lab", SNOWBALL_LAB),
    ("datasync-lab", DATASYNC_LAB),
    ("runbook-lab", RUNBOOK_LAB),
    ("alarm-lab", ALARM_LAB),
    ("ec2-lab", EC2_LAB),
    ("weighted-lab", WEIGHTED_LAB),
    ("migrate-lab", MIGRATE_LAB),
    ("rds-lab", RDS_LAB),
    ("promote-lab", PROMOTE_LAB),
    ("snapshot-lab", SNAPSHOT_LAB),
    ("delete-lab", DELETE_LAB),
    ("pitr-lab", PITR_LAB),
    ("aurora-az", AURORA_AZ),
    ("aurora-global", AURORA_GLOBAL),
    ("aurora-restore", AURORA_RESTORE),
    ("dynamo-lab", DYNAMO_LAB),
    ("mrsc-lab", MRSC_LAB),
    ("dynamo-restore", DYNAMO_RESTORE),
    ("s3-crr", S3_CRR),
    ("s3-restore", S3_RESTORE),
    ("cdn-single", CDN_SINGLE),
    ("cdn-slow", CDN_SLOW),
    ("cdn-switch", CDN_SWITCH),
    ("cdn-error", CDN_ERROR),
    ("budget-lab", BUDGET_LAB),
    ("policy-lab", POLICY_LAB),
];

// ---- The table: a row per field of the reference ----

/// `(field, lab, replace, with, shows)`: in `lab`'s text, every occurrence of `replace` becomes `with`.
/// Fields are named as the reference lists them: `Type.field`, or `Type.Variant.field` for the fields of
/// an enum's variants.
#[rustfmt::skip]
const TABLE: &[(&str, &str, &str, &str, Shows)] = &[
    // Scenario
    ("Scenario.name", "runbook-lab", r#"name: "runbook-lab""#, r#"name: "renamed-lab""#, Shown(Where::RunResult)),
    ("Scenario.description", "runbook-lab", "A runbook moves DNS", "Another text", Shown(Where::SweepFile)),
    ("Scenario.course", "runbook-lab", r#"course: (module: "004", expectation: "RTO is detection, people and the DNS edit"),"#, "", Shown(Where::SweepFile)),
    ("Scenario.seed", "runbook-lab", "seed: 1,", "seed: 7,", Sweep),
    ("Scenario.horizon", "runbook-lab", r#"horizon: "6h""#, r#"horizon: "80m""#, Rto),
    ("Scenario.regions", "weighted-lab", r#"regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])]"#, r#"regions: [(name: "us-west-2", azs: ["us-west-2a"]), (name: "us-east-1", azs: ["us-east-1a"])]"#, Flows),
    ("Scenario.resources", "runbook-lab", r#""app-east": Ec2(az: "us-east-1a", launch: Fixed("2h"))"#, r#""app-east": Lambda(region: "us-east-1")"#, Rto),
    ("Scenario.flows", "runbook-lab", "flows: [", r#"flows: [(name: "extra", kind: Read, rate_per_s: 1.0, entry: "app-east", critical: false),"#, Flows),
    ("Scenario.disasters", "runbook-lab", "disasters: [", r#"disasters: [(name: "west-az", kind: AzOutage(az: "us-west-2a"), onset: At("1h30m"), duration: Fixed("1h")),"#, Rto),
    ("Scenario.runbooks", "runbook-lab", "runbooks: [", r#"runbooks: [(name: "early", trigger: Onset, start_at: "x", states: { "x": Task(action: Run(what: "look around", duration: Fixed("1m"))) }),"#, Log),
    ("Scenario.measure", "runbook-lab", r#"measure: (window: "60s"),"#, r#"measure: (window: "10m"),"#, Rto),
    ("Scenario.policy", "policy-lab", r#"policy: (name: "lab", percentile: 90, software: (rto: "10m", rpo: "1h"), hardware: (rto: "20m", rpo: "1m"), az: (rto: "20m", rpo: "10s"), region: (rto: "2h", rpo: "1h")),"#, "", Assessment),
    ("Scenario.budgets", "budget-lab", r#"(metric: Rpo, percentile: 99, max: "1s"),"#, "", Verdict),
    ("Scenario.cost", "migrate-lab", r#"horizon: "6h","#, r#"horizon: "6h", cost: (incident: "2h"),"#, RecoveryCost),
    ("CostConfig.incident", "migrate-lab", r#"horizon: "6h","#, r#"horizon: "6h", cost: (incident: "48h"),"#, RecoveryCost),
    ("Scenario.prices", "runbook-lab", r#"prices: {"ec2/us-east-1/m5.large": 0.096},"#, r#"prices: {"ec2/us-east-1/m5.large": 0.5},"#, SteadyCost),
    ("CourseRef.module", "runbook-lab", r#"module: "004""#, r#"module: "003""#, Shown(Where::SweepFile)),
    ("CourseRef.expectation", "runbook-lab", "RTO is detection", "RTO is mostly detection", Shown(Where::SweepFile)),
    ("RegionConfig.name", "runbook-lab", "us-west-2", "us-west-1", SteadyCost),
    ("RegionConfig.azs", "runbook-lab", r#"azs: ["us-west-2a", "us-west-2b"]"#, r#"azs: ["us-west-2b"]"#, Refused),
    ("MeasureConfig.window", "alarm-lab", r#"horizon: "4h","#, r#"horizon: "4h", measure: (window: "5m"),"#, Rto),
    ("RegionConfig.site", "snowball-lab", r#"(name: "dc1", azs: [], site: (link: (kind: Vpn))),"#, r#"(name: "dc1", azs: []),"#, Refused),
    ("SiteConfig.link", "datasync-lab", "(link: (kind: Vpn, bandwidth_mbps: 100))", "(link: (kind: Vpn, bandwidth_mbps: 400))", Log),
    ("LinkConfig.kind", "datasync-lab", "site: (link: (kind: Vpn, bandwidth_mbps: 100))", "site: (link: (kind: DirectConnect))", Log),
    ("LinkConfig.bandwidth_mbps", "datasync-lab", "bandwidth_mbps: 100", "bandwidth_mbps: 1000", Log),

    // Flows
    ("FlowConfig.name", "runbook-lab", r#"(name: "west-api""#, r#"(name: "west""#, Flows),
    ("FlowConfig.kind", "budget-lab", r#"(name: "reads", kind: Read"#, r#"(name: "reads", kind: Write"#, Stores),
    ("FlowConfig.rate_per_s", "runbook-lab", "rate_per_s: 10.0", "rate_per_s: 20.0", Flows),
    ("FlowConfig.entry", "runbook-lab", r#"entry: "dns""#, r#"entry: "app-west""#, Rto),
    ("FlowConfig.store", "budget-lab", r#"entry: "fn", store: "db2")"#, r#"entry: "fn")"#, Flows),
    ("FlowConfig.slo", "ec2-lab", "slo: 0.99", "slo: 0.5", Flows),
    ("FlowConfig.critical", "ec2-lab", "critical: true", "critical: false", Rto),
    ("FlowConfig.clients", "weighted-lab", r#"clients: {"us-east-1": 0.5, "us-west-2": 0.5}"#, r#"clients: "us-west-2""#, Flows),
    ("FlowConfig.timeout", "cdn-switch", r#"entry: "cdn", timeout: "25s""#, r#"entry: "cdn", timeout: "60s""#, Flows),

    // Disasters
    ("DisasterConfig.name", "runbook-lab", r#"(name: "east""#, r#"(name: "us-east-1-down""#, Log),
    ("DisasterConfig.kind", "runbook-lab", "control_plane: true), onset", "control_plane: false), onset", Rto),
    ("DisasterConfig.onset", "runbook-lab", r#"onset: At("1h"), duration: Fixed("30m")"#, r#"onset: At("2h"), duration: Fixed("30m")"#, Log),
    ("DisasterConfig.duration", "runbook-lab", r#"duration: Fixed("30m")"#, r#"duration: Fixed("10m")"#, Rto),
    ("DisasterConfig.enabled", "runbook-lab", "onset: At(\"2h\"), enabled: true", "onset: At(\"2h\"), enabled: false", Log),
    ("DisasterKind.AzOutage.az", "ec2-lab", r#"AzOutage(az: "us-east-1b")"#, r#"AzOutage(az: "us-east-1c")"#, Flows),
    ("DisasterKind.RegionOutage.region", "weighted-lab", r#"RegionOutage(region: "us-east-1")"#, r#"RegionOutage(region: "us-west-2")"#, Flows),
    ("DisasterKind.RegionOutage.control_plane", "runbook-lab", "control_plane: true", "control_plane: false", Rto),
    ("DisasterKind.Partition.a", "dynamo-lab", r#"a: "us-east-1""#, r#"a: "us-west-1""#, Stores),
    ("DisasterKind.Partition.b", "dynamo-lab", r#"b: "us-west-2""#, r#"b: "us-west-1""#, Stores),
    ("DisasterKind.GrayFailure.resource", "cdn-slow", r#"GrayFailure(resource: "site""#, r#"GrayFailure(resource: "site2""#, Flows),
    ("DisasterKind.GrayFailure.error_rate", "cdn-slow", "error_rate: 0.1", "error_rate: 0.4", Flows),
    ("DisasterKind.GrayFailure.latency", "cdn-slow", r#"latency: "20s""#, r#"latency: "40s""#, Flows),
    ("DisasterKind.ResourceFailure.resource", "ec2-lab", r#"ResourceFailure(resource: "solo")"#, r#"ResourceFailure(resource: "fn")"#, Flows),
    ("DisasterKind.Corruption.store", "aurora-restore", r#"Corruption(store: "orders")"#, r#"Corruption(store: "other")"#, Stores),
    ("DisasterKind.Delete.store", "delete-lab", r#"Delete(store: "db")"#, r#"Delete(store: "other")"#, Stores),
    ("DisasterKind.Planned.what", "runbook-lab", "a game day", "a fire drill", Log),
    ("DisasterKind.OriginError.resource", "cdn-error", r#"OriginError(resource: "east-site""#, r#"OriginError(resource: "west-site""#, Flows),
    ("DisasterKind.OriginError.status", "cdn-error", "status: 403", "status: 503", Flows),
    ("DisasterKind.SiteLoss.site", "snowball-lab", r#"SiteLoss(site: "dc1")"#, r#"SiteLoss(site: "dc2")"#, Flows),
    ("DisasterKind.PowerOutage.site", "datasync-lab", r#"PowerOutage(site: "dc1")"#, r#"PowerOutage(site: "dc2")"#, Flows),
    ("DisasterKind.WanLinkDown.site", "datasync-lab", r#"WanLinkDown(site: "dc1")"#, r#"WanLinkDown(site: "dc2")"#, Log),

    // Runbooks
    ("RunbookConfig.name", "runbook-lab", r#"name: "notify""#, r#"name: "status-page""#, Log),
    ("RunbookConfig.trigger", "runbook-lab", r#"trigger: HealthCheck("hc-east")"#, "trigger: Onset", Rto),
    ("RunbookConfig.start_at", "runbook-lab", r#"start_at: "page""#, r#"start_at: "decide""#, Rto),
    ("RunbookConfig.states", "runbook-lab", r#""prep": Task(action: Run(what: "check us-west-2", duration: Fixed("2m")), next: "par"),"#, r#""prep": Wait(duration: Fixed("30m"), next: "par"),"#, Rto),
    ("Branch.start_at", "runbook-lab", r#"(start_at: "f","#, r#"(start_at: "g","#, Refused),
    ("Branch.states", "runbook-lab", r#""b": Task(action: UpdateDns(record: "dns", target: "app-west"))"#, r#""b": Task(action: Run(what: "later", duration: Fixed("1m")))"#, Rto),
    ("ChoiceRule.when", "runbook-lab", r#"(when: RegionUp("us-west-2"), next: "prep")"#, r#"(when: RegionUp("us-east-1"), next: "prep")"#, Rto),
    ("ChoiceRule.next", "runbook-lab", r#"next: "prep")"#, r#"next: "par")"#, Rto),
    ("Retry.errors", "runbook-lab", r#"retry: [(errors: ["ControlPlaneDown"], interval: "4m""#, r#"retry: [(errors: ["TargetDown"], interval: "4m""#, Rto),
    ("Retry.interval", "runbook-lab", r#"interval: "4m""#, r#"interval: "5m""#, Rto),
    ("Retry.max_attempts", "runbook-lab", "max_attempts: 5", "max_attempts: 2", Rto),
    ("Retry.backoff_rate", "runbook-lab", "backoff_rate: 2.0", "backoff_rate: 1.0", Rto),
    ("Catch.errors", "runbook-lab", r#"catch: [(errors: ["ControlPlaneDown"], next: "wait")]"#, r#"catch: [(errors: ["TargetDown"], next: "wait")]"#, Rto),
    ("Catch.next", "runbook-lab", r#"next: "wait")]"#, r#"next: "dns")]"#, Rto),
    ("State.Task.action", "runbook-lab", r#""page": Task(action: Page(who: "oncall", ack: Fixed("2m"))"#, r#""page": Task(action: Run(what: "page", duration: Fixed("20m"))"#, Rto),
    ("State.Task.next", "runbook-lab", r#"next: "decide""#, r#"next: "west?""#, Rto),
    ("State.Task.retry", "runbook-lab", r#"retry: [(errors: ["ControlPlaneDown"], interval: "4m", max_attempts: 5, backoff_rate: 2.0)],"#, "", Rto),
    ("State.Task.catch", "runbook-lab", r#""b": Task(action: UpdateDns(record: "dns", target: "app-west"))"#, r#""b": Task(action: UpdateDns(record: "dns", target: "app-west"), catch: [(errors: ["States.ALL"], next: "b2")]), "b2": Wait(duration: Fixed("1h"))"#, Rto),
    ("State.Task.timeout", "runbook-lab", r#""page": Task(action: Page(who: "oncall", ack: Fixed("2m")), next: "decide")"#, r#""page": Task(action: Page(who: "oncall", ack: Fixed("2m")), timeout: "30s", catch: [(errors: ["States.Timeout"], next: "decide")], next: "decide")"#, Rto),
    ("State.Wait.duration", "runbook-lab", r#"Wait(duration: Fixed("3m")"#, r#"Wait(duration: Fixed("10m")"#, Rto),
    ("State.Wait.next", "runbook-lab", r#"next: "east?"),"#, r#"next: "give-up"),"#, Rto),
    ("State.Choice.choices", "runbook-lab", r#"[(when: Not(RegionUp("us-west-2")), next: "give-up")]"#, r#"[(when: RegionUp("us-west-2"), next: "give-up")]"#, Rto),
    ("State.Choice.default", "runbook-lab", r#"default: "dns""#, r#"default: "give-up""#, Rto),
    ("State.Parallel.branches", "runbook-lab", r#"(start_at: "b", states: { "b": Task(action: UpdateDns(record: "dns", target: "app-west")) }),"#, "", Rto),
    ("State.Parallel.next", "aurora-restore", r#"], next: "repoint"),"#, "]),", Rto),
    ("State.Parallel.retry", "runbook-lab", r#"interval: "1m", max_attempts: 1)"#, r#"interval: "20m", max_attempts: 1)"#, Rto),
    ("State.Parallel.catch", "runbook-lab", r#"catch: [(errors: ["ControlPlaneDown"], next: "wait")],"#, "", Rto),
    ("State.Fail.error", "runbook-lab", r#"error: "Unreachable""#, r#"error: "Down""#, Log),
    ("State.Fail.cause", "runbook-lab", "the status page is down", "the status page host is gone", Log),
    ("Condition.Probe.store", "rds-lab", r#"Probe(store: "single""#, r#"Probe(store: "multi""#, Flows),
    ("Condition.Probe.what", "rds-lab", r#"what: "writer_up""#, r#"what: "replica_lag_s""#, Flows),
    ("Condition.Probe.op", "rds-lab", "op: Eq", "op: Ne", Flows),
    ("Condition.Probe.value", "rds-lab", "value: 0.0", "value: 1.0", Flows),
    ("Action.Page.who", "runbook-lab", r#"who: "oncall""#, r#"who: "sre""#, Log),
    ("Action.Page.ack", "runbook-lab", r#"ack: Fixed("2m")"#, r#"ack: Fixed("20m")"#, Rto),
    ("Action.Decide.who", "runbook-lab", r#"who: "lead""#, r#"who: "director""#, Log),
    ("Action.Decide.delay", "runbook-lab", r#"delay: Fixed("3m")"#, r#"delay: Fixed("30m")"#, Rto),
    ("Action.Promote.store", "s3-crr", r#""q": Task(action: Promote(store: "rtc""#, r#""q": Task(action: Promote(store: "media""#, Flows),
    ("Action.Promote.region", "promote-lab", r#"Promote(store: "db", region: "us-west-2")"#, r#"Promote(store: "db", region: "us-east-1")"#, Rto),
    ("Action.FailoverGlobal.store", "aurora-global", r#"FailoverGlobal(store: "orders""#, r#"FailoverGlobal(store: "reports""#, Flows),
    ("Action.FailoverGlobal.region", "aurora-global", r#"FailoverGlobal(store: "orders", region: "us-west-2")"#, r#"FailoverGlobal(store: "orders", region: "us-west-1")"#, Flows),
    ("Action.SwitchoverGlobal.store", "aurora-az", r#"SwitchoverGlobal(store: "orders""#, r#"SwitchoverGlobal(store: "solo""#, Flows),
    ("Action.SwitchoverGlobal.region", "aurora-az", r#"SwitchoverGlobal(store: "orders", region: "us-west-2")"#, r#"SwitchoverGlobal(store: "orders", region: "us-east-1")"#, Flows),
    ("Action.ForceFailover.store", "rds-lab", r#"ForceFailover(store: "cluster")"#, r#"ForceFailover(store: "multi")"#, Flows),
    ("Action.RestoreSnapshot.store", "aurora-global", r#"RestoreSnapshot(store: "reports""#, r#"RestoreSnapshot(store: "orders""#, Flows),
    ("Action.RestoreSnapshot.region", "snapshot-lab", r#"RestoreSnapshot(store: "db", region: "us-west-2")"#, r#"RestoreSnapshot(store: "db", region: "us-east-1")"#, Rto),
    ("Action.RestoreToPoint.store", "aurora-restore", r#"RestoreToPoint(store: "orders""#, r#"RestoreToPoint(store: "other""#, Rto),
    ("Action.RestoreToPoint.region", "pitr-lab", r#"region: "us-east-1", point"#, r#"region: "us-west-2", point"#, Refused),
    ("Action.RestoreToPoint.point", "pitr-lab", "point: BeforeCorruption", "point: Latest", Rto),
    ("Action.CopyBackup.store", "delete-lab", r#"CopyBackup(store: "db""#, r#"CopyBackup(store: "other""#, Rpo),
    ("Action.CopyBackup.region", "delete-lab", r#"CopyBackup(store: "db", region: "us-west-2")"#, r#"CopyBackup(store: "db", region: "us-east-1")"#, Rpo),
    ("Action.Repoint.store", "aurora-restore", r#"Repoint(store: "orders""#, r#"Repoint(store: "other""#, Rto),
    ("Action.Repoint.duration", "snapshot-lab", r#"Repoint(store: "db", duration: Fixed("5m"))"#, r#"Repoint(store: "db", duration: Fixed("50m"))"#, Rto),
    ("Action.AddReplica.store", "dynamo-restore", r#"AddReplica(store: "cart""#, r#"AddReplica(store: "fn-west""#, Refused),
    ("Action.AddReplica.region", "dynamo-restore", r#"AddReplica(store: "cart", region: "us-west-2")"#, r#"AddReplica(store: "cart", region: "us-east-1")"#, Flows),
    ("Action.CreateStack.stack", "migrate-lab", r#"CreateStack(stack: "west-stack")"#, r#"CreateStack(stack: "spare-stack")"#, Rto),
    ("Action.SetCapacity.group", "migrate-lab", r#"SetCapacity(group: "web-west""#, r#"SetCapacity(group: "alb-west""#, Refused),
    ("Action.SetCapacity.desired", "migrate-lab", "desired: 4, wait", "desired: 6, wait", RecoveryCost),
    ("Action.SetCapacity.wait", "ec2-lab", "wait: true", "wait: false", Log),
    ("Action.UpdateDns.record", "runbook-lab", r#""dns": Task(action: UpdateDns(record: "dns""#, r#""dns": Task(action: UpdateDns(record: "old-dns""#, Rto),
    ("Action.UpdateDns.target", "migrate-lab", r#"UpdateDns(record: "dns", target: "alb-west")"#, r#"UpdateDns(record: "dns", target: "app-east")"#, Rto),
    ("Action.UpdateCloudFront.distribution", "cdn-switch", r#"UpdateCloudFront(distribution: "cdn""#, r#"UpdateCloudFront(distribution: "cdn2""#, Flows),
    ("Action.UpdateCloudFront.primary", "cdn-switch", r#"primary: "west-site")"#, r#"primary: "east-site")"#, Flows),
    ("Action.Run.what", "runbook-lab", "smoke test", "end-to-end test", Log),
    ("Action.Run.duration", "runbook-lab", r#"Run(what: "check us-west-2", duration: Fixed("2m"))"#, r#"Run(what: "check us-west-2", duration: Fixed("40m"))"#, Rto),

    // Budgets
    ("Policy.name", "policy-lab", r#"(name: "lab""#, r#"(name: "other""#, Assessment),
    ("Policy.percentile", "policy-lab", "percentile: 90", "percentile: 50", Assessment),
    ("Policy.software", "policy-lab", r#"software: (rto: "10m", rpo: "1h"), "#, "", Assessment),
    ("Policy.hardware", "policy-lab", r#"hardware: (rto: "20m", rpo: "1m"), "#, "", Assessment),
    ("Policy.az", "policy-lab", r#"az: (rto: "20m", rpo: "10s"), "#, "", Assessment),
    ("Policy.region", "policy-lab", r#", region: (rto: "2h", rpo: "1h")"#, "", Assessment),
    ("Targets.rto", "policy-lab", r#"software: (rto: "10m""#, r#"software: (rto: "10s""#, Assessment),
    ("Targets.rpo", "policy-lab", r#"az: (rto: "20m", rpo: "10s")"#, r#"az: (rto: "20m", rpo: "1h")"#, Assessment),
    ("Budget.metric", "budget-lab", "(metric: Rpo, percentile: 99", "(metric: Rto, percentile: 99", Verdict),
    ("Budget.percentile", "budget-lab", "percentile: 90", "percentile: 10", Verdict),
    ("Budget.max", "budget-lab", r#"max: "30m""#, r#"max: "5m""#, Verdict),
    ("Budget.flow", "budget-lab", r#"flow: "orders""#, r#"flow: "reads""#, Verdict),
    ("Budget.store", "budget-lab", r#"store: "db")"#, r#"store: "db2")"#, Verdict),
    ("Budget.disaster", "budget-lab", r#"disaster: "az""#, r#"disaster: "gray""#, Verdict),

    // RDS
    ("ReadReplicaConfig.az", "promote-lab", r#"(az: "us-west-2a", lag"#, r#"(az: "us-east-1b", lag"#, Rto),
    ("ReadReplicaConfig.lag", "promote-lab", r#"lag: Fixed("5s")"#, r#"lag: Fixed("50s")"#, Rpo),
    ("RdsConfig.deployment", "budget-lab", r#""db2": Rds(deployment: MultiAzInstance(primary_az: "us-east-1a", standby_az: "us-east-1b"))"#, r#""db2": Rds(deployment: SingleAz(az: "us-east-1a"))"#, Flows),
    ("RdsConfig.read_replicas", "promote-lab", r#", read_replicas: [(az: "us-west-2a", lag: Fixed("5s"))]"#, "", Rto),
    ("RdsConfig.multi_az_failover", "rds-lab", r#"multi_az_failover: Fixed("90s")"#, r#"multi_az_failover: Fixed("3m")"#, Flows),
    ("RdsConfig.cluster_failover", "rds-lab", r#"cluster_failover: Fixed("20s")"#, r#"cluster_failover: Fixed("30s")"#, Flows),
    ("RdsConfig.promotion", "promote-lab", r#"promotion: Fixed("5m")"#, r#"promotion: Fixed("15m")"#, Rto),
    ("RdsConfig.size_gb", "snapshot-lab", "size_gb: 100", "size_gb: 1000", Rto),
    ("RdsConfig.restore", "snapshot-lab", r#"restore: (base: Fixed("10m"), per_gb: "3s"),"#, "", Rto),
    ("RdsConfig.automated_backups", "pitr-lab", "automated_backups: true", "automated_backups: false", Rto),
    ("RdsConfig.backup_retention", "pitr-lab", r#"backup_retention: "2d""#, r#"backup_retention: "1d""#, Rto),
    ("RdsConfig.automated_snapshots", "delete-lab", r#"automated_snapshots: (first_at: "3h""#, r#"automated_snapshots: (first_at: "5h30m""#, Rpo),
    ("RdsConfig.manual_snapshots", "delete-lab", r#"manual_snapshots: ["5h"]"#, r#"manual_snapshots: ["4h"]"#, Rpo),
    ("RdsConfig.backup_plan", "snapshot-lab", r#"copy_to: "us-west-2", "#, "", Rto),
    ("RdsConfig.snapshot_copy", "delete-lab", r#"snapshot_copy: Fixed("1h")"#, r#"snapshot_copy: Fixed("3h")"#, Rto),
    ("RdsConfig.instance_class", "snapshot-lab", r#"instance_class: "db.r6g.large""#, r#"instance_class: "db.r6g.xlarge""#, SteadyCost),
    ("RdsDeployment.SingleAz.az", "rds-lab", r#"SingleAz(az: "us-east-1a")"#, r#"SingleAz(az: "us-east-1d")"#, Flows),
    ("RdsDeployment.MultiAzInstance.primary_az", "rds-lab", r#"primary_az: "us-east-1a""#, r#"primary_az: "us-east-1d""#, Flows),
    ("RdsDeployment.MultiAzInstance.standby_az", "rds-lab", r#"standby_az: "us-east-1b""#, r#"standby_az: "us-east-1c""#, Flows),
    ("RdsDeployment.MultiAzCluster.writer_az", "rds-lab", r#"writer_az: "us-east-1a""#, r#"writer_az: "us-east-1d""#, Flows),
    ("RdsDeployment.MultiAzCluster.reader_azs", "rds-lab", r#"reader_azs: ["us-east-1b", "us-east-1c"]"#, r#"reader_azs: ["us-east-1b", "us-east-1b"]"#, Refused),

    // Aurora
    ("AuroraSecondaryConfig.region", "aurora-global", r#"secondaries: [(region: "us-west-2", lag"#, r#"secondaries: [(region: "us-west-1", lag"#, Rto),
    ("AuroraSecondaryConfig.lag", "aurora-global", r#"lag: Fixed("2s")"#, r#"lag: Fixed("20s")"#, Rpo),
    ("AuroraSecondaryConfig.write_forwarding", "aurora-az", "write_forwarding: true", "write_forwarding: false", Flows),
    ("AuroraSecondaryConfig.instances", "aurora-global", r#"lag: Fixed("2s")"#, r#"lag: Fixed("2s"), instances: 3"#, SteadyCost),
    ("AuroraConfig.instance_azs", "aurora-az", r#"instance_azs: ["us-east-1a", "us-east-1b"]"#, r#"instance_azs: ["us-east-1b", "us-east-1a"]"#, Flows),
    ("AuroraConfig.secondaries", "aurora-az", r#"
                         secondaries: [(region: "us-west-2", lag: Fixed("2s"), write_forwarding: true)],"#, "", Flows),
    ("AuroraConfig.failover", "aurora-az", r#"failover: Fixed("30s")"#, r#"failover: Fixed("2m")"#, Flows),
    ("AuroraConfig.instance_replace", "aurora-az", r#"instance_replace: Fixed("15m")"#, r#"instance_replace: Fixed("25m")"#, Flows),
    ("AuroraConfig.global_failover", "aurora-global", r#"global_failover: Fixed("40s")"#, r#"global_failover: Fixed("10m")"#, Flows),
    ("AuroraConfig.switchover", "aurora-az", r#"switchover: Fixed("1m")"#, r#"switchover: Fixed("5m")"#, Flows),
    ("AuroraConfig.size_gb", "aurora-restore", "size_gb: 100", "size_gb: 1000", Rto),
    ("AuroraConfig.restore", "aurora-restore", r#"restore: (base: Fixed("10m"), per_gb: "3s")"#, r#"restore: (base: Fixed("1h"), per_gb: "3s")"#, Rto),
    ("AuroraConfig.backup_retention", "aurora-restore", r#"backup_retention: "2d""#, r#"backup_retention: "1d""#, Rto),
    ("AuroraConfig.backup_plan", "aurora-global", r#"copy_to: "us-west-2", "#, "", Flows),
    ("AuroraConfig.snapshot_copy", "aurora-restore", r#"snapshot_copy: Fixed("20m")"#, r#"snapshot_copy: Fixed("3h")"#, Rto),
    ("AuroraConfig.instance_class", "aurora-az", r#"instance_class: "db.r6g.large""#, r#"instance_class: "db.r6g.xlarge""#, SteadyCost),

    // DynamoDB
    ("DynamoDbConfig.region", "dynamo-lab", r#""cart": DynamoDb(region: "us-east-1""#, r#""cart": DynamoDb(region: "us-west-1""#, Stores),
    ("DynamoDbConfig.replicas", "dynamo-lab", r#"replicas: ["us-west-2"], consistency: Eventual"#, r#"replicas: [], consistency: Eventual"#, Flows),
    ("DynamoDbConfig.consistency", "mrsc-lab", r#"consistency: Strong, witness: "us-east-2""#, "consistency: Eventual", Flows),
    ("DynamoDbConfig.witness", "mrsc-lab", r#"witness: "us-east-2""#, r#"witness: "us-west-1""#, Flows),
    ("DynamoDbConfig.replication_lag", "dynamo-lab", r#"replication_lag: Fixed("1s")"#, r#"replication_lag: Fixed("10s")"#, Stores),
    ("DynamoDbConfig.items", "dynamo-lab", "items: 1000", "items: 100000", LostWrites),
    ("DynamoDbConfig.pitr", "dynamo-restore", "pitr: true", "pitr: false", Rto),
    ("DynamoDbConfig.pitr_retention", "dynamo-restore", r#"pitr_retention: "35d""#, r#"pitr_retention: "40d""#, Refused),
    ("DynamoDbConfig.backup_plan", "dynamo-restore", r#"
                         backup_plan: (every: "1h", first_at: "30m", job: Fixed("5m")), "#, "", Log),
    ("DynamoDbConfig.size_gb", "dynamo-restore", "size_gb: 10", "size_gb: 500", Rto),
    ("DynamoDbConfig.restore", "dynamo-restore", r#"restore: (base: Fixed("10m"), per_gb: "3s")"#, r#"restore: (base: Fixed("40m"), per_gb: "3s")"#, Rto),
    ("DynamoDbConfig.backup_copy", "dynamo-restore", r#"backup_copy: Fixed("30m")"#, r#"backup_copy: Fixed("2h")"#, Log),
    ("DynamoDbConfig.add_replica", "dynamo-restore", r#"add_replica: (base: Fixed("10m"), per_gb: "10s")"#, r#"add_replica: (base: Fixed("3h"), per_gb: "10s")"#, Flows),
    ("ReplicaAddConfig.base", "dynamo-restore", r#"add_replica: (base: Fixed("10m")"#, r#"add_replica: (base: Fixed("2h")"#, Flows),
    ("ReplicaAddConfig.per_gb", "dynamo-restore", r#"per_gb: "10s")"#, r#"per_gb: "15m")"#, Flows),

    // S3
    ("ReplicationConfig.region", "s3-crr", r#"replication: (region: "us-west-2", rtc: false"#, r#"replication: (region: "us-west-1", rtc: false"#, Flows),
    ("ReplicationConfig.rtc", "s3-crr", "rtc: true", "rtc: false", Rpo),
    ("ReplicationConfig.lag", "s3-crr", r#"lag: Fixed("30s")"#, r#"lag: Fixed("5m")"#, Stores),
    ("S3Config.region", "cdn-single", r#""site": S3(region: "us-east-1")"#, r#""site": S3(region: "us-west-2")"#, Refused),
    ("S3Config.versioning", "s3-restore", "versioning: true", "versioning: false", Rto),
    ("S3Config.replication", "s3-crr", r#", replication: (region: "us-west-2", rtc: true)"#, "", Flows),
    ("S3Config.size_gb", "s3-restore", "size_gb: 10", "size_gb: 1000", Rto),
    ("S3Config.restore", "s3-restore", r#"restore: (base: Fixed("5m"), per_gb: "3s")"#, r#"restore: (base: Fixed("25m"), per_gb: "3s")"#, Rto),

    // Backups and restores
    ("BackupPlanConfig.every", "snapshot-lab", r#"every: "1h""#, r#"every: "90m""#, Rpo),
    ("BackupPlanConfig.first_at", "snapshot-lab", r#"first_at: "30m""#, r#"first_at: "50m""#, Rpo),
    ("BackupPlanConfig.job", "snapshot-lab", r#"job: Fixed("5m")"#, r#"job: Fixed("45m")"#, Rpo),
    ("BackupPlanConfig.copy_to", "snapshot-lab", r#"copy_to: "us-west-2", "#, "", Rto),
    ("BackupPlanConfig.first_copy", "snapshot-lab", r#"first_copy: Fixed("20m")"#, r#"first_copy: Fixed("5h")"#, Rpo),
    ("BackupPlanConfig.copy", "snapshot-lab", r#"copy: Fixed("10m")"#, r#"copy: Fixed("1h")"#, Rpo),
    ("BackupPlanConfig.retention", "snapshot-lab", r#"every: "1h", first_at"#, r#"every: "1h", retention: "7d", first_at"#, SteadyCost),
    ("RestoreConfig.base", "snapshot-lab", r#"base: Fixed("10m")"#, r#"base: Fixed("40m")"#, Rto),
    ("RestoreConfig.per_gb", "snapshot-lab", r#"per_gb: "3s""#, r#"per_gb: "30s""#, Rto),

    // Compute
    ("Ec2Config.az", "ec2-lab", r#""win": Ec2(az: "us-east-1b""#, r#""win": Ec2(az: "us-east-1c""#, Rto),
    ("Ec2Config.os", "ec2-lab", r#""win": Ec2(az: "us-east-1b", os: Linux)"#, r#""win": Ec2(az: "us-east-1b", os: Windows)"#, Rto),
    ("Ec2Config.launch", "ec2-lab", r#""win": Ec2(az: "us-east-1b", os: Linux)"#, r#""win": Ec2(az: "us-east-1b", os: Linux, launch: Fixed("20m"))"#, Rto),
    ("Ec2Config.auto_recovery", "ec2-lab", "auto_recovery: true", "auto_recovery: false", Flows),
    ("Ec2Config.instance_type", "ec2-lab", r#"launch: Fixed("90s"), auto_recovery: true, instance_type: "m5.large""#, r#"launch: Fixed("90s"), auto_recovery: true, instance_type: "m5.xlarge""#, SteadyCost),
    ("AsgConfig.region", "ec2-lab", r#"Asg(region: "us-east-1""#, r#"Asg(region: "us-west-2""#, Refused),
    ("AsgConfig.azs", "ec2-lab", r#"azs: ["us-east-1a", "us-east-1b", "us-east-1c"], desired"#, r#"azs: ["us-east-1a", "us-east-1c"], desired"#, Flows),
    ("AsgConfig.desired", "ec2-lab", "desired: 3, min: 2", "desired: 4, min: 2", Flows),
    ("AsgConfig.min", "ec2-lab", "min: 2, max: 6", "min: 3, max: 6", Refused),
    ("AsgConfig.max", "ec2-lab", "max: 6, needed", "max: 3, needed", Refused),
    ("AsgConfig.needed", "ec2-lab", "needed: 3", "needed: 2", Flows),
    ("AsgConfig.os", "ec2-lab", "os: Linux, replace_after", "os: Windows, replace_after", Flows),
    ("AsgConfig.launch", "ec2-lab", r#"os: Linux, replace_after"#, r#"os: Linux, launch: Fixed("1m"), replace_after"#, Flows),
    ("AsgConfig.replace_after", "ec2-lab", r#"replace_after: "2m""#, r#"replace_after: "10m""#, Flows),
    ("AsgConfig.instance_type", "ec2-lab", r#"replace_after: "2m", instance_type: "m5.large""#, r#"replace_after: "2m", instance_type: "c5.large""#, SteadyCost),
    ("AlbConfig.region", "ec2-lab", r#"Alb(region: "us-east-1""#, r#"Alb(region: "us-west-2""#, Refused),
    ("AlbConfig.targets", "ec2-lab", r#"targets: ["web"]"#, r#"targets: ["web", "win"]"#, Flows),
    ("AlbConfig.health_check_interval", "ec2-lab", r#"health_check_interval: "30s""#, r#"health_check_interval: "5s""#, Flows),
    ("AlbConfig.unhealthy_threshold", "ec2-lab", "unhealthy_threshold: 2", "unhealthy_threshold: 10", Flows),
    ("AlbConfig.healthy_threshold", "ec2-lab", "healthy_threshold: 5", "healthy_threshold: 10", Flows),
    ("LambdaConfig.region", "weighted-lab", r#""fn": Lambda(region: "us-east-1")"#, r#""fn": Lambda(region: "us-west-2")"#, Flows),

    // Edge
    ("CloudFrontConfig.origins", "cdn-switch", r#""cdn2": CloudFront(origins: ["east-site", "west-site"])"#, r#""cdn2": CloudFront(origins: ["west-site", "east-site"])"#, Flows),
    ("CloudFrontConfig.failover_status_codes", "cdn-error", "failover_status_codes: [500, 502, 503, 504]", "failover_status_codes: [403, 500, 502, 503, 504]", Flows),
    ("CloudFrontConfig.connection_timeout", "cdn-switch", r#"connection_timeout: "10s""#, r#"connection_timeout: "5s""#, Flows),
    ("CloudFrontConfig.connection_attempts", "cdn-switch", "connection_attempts: 3", "connection_attempts: 2", Flows),
    ("CloudFrontConfig.response_timeout", "cdn-slow", r#"response_timeout: "30s""#, r#"response_timeout: "10s""#, Flows),
    ("CloudFrontConfig.cache", "cdn-single", r#", cache: (hit_ratio: 0.8, ttl: "5m")"#, "", Flows),
    ("CloudFrontConfig.deploy", "cdn-switch", r#"deploy: Fixed("10m")"#, r#"deploy: Fixed("30m")"#, Flows),
    ("CacheConfig.hit_ratio", "cdn-single", "hit_ratio: 0.8", "hit_ratio: 0.5", Flows),
    ("CacheConfig.ttl", "cdn-single", r#"ttl: "5m""#, r#"ttl: "30m""#, Flows),
    ("ArcClusterConfig.endpoints", "arc-lab", r#"endpoints: ["us-east-1", "us-west-2"]"#, r#"endpoints: ["us-east-1"]"#, Rto),
    ("ArcClusterConfig.propagation", "arc-lab", r#"propagation: Fixed("10s")"#, r#"propagation: Fixed("10m")"#, Rto),
    ("RoutingControlConfig.cluster", "arc-lab", r#""ctl-east": RoutingControl(cluster: "arc""#, r#""ctl-east": RoutingControl(cluster: "solo""#, Rto),
    ("RoutingControlConfig.state", "arc-lab", r#""ctl-west": RoutingControl(cluster: "arc", state: On)"#, r#""ctl-west": RoutingControl(cluster: "arc", state: Off)"#, Rto),
    ("Action.SetRoutingControl.control", "arc-lab", r#"SetRoutingControl(control: "ctl-east""#, r#"SetRoutingControl(control: "ctl-west""#, Rto),
    ("Action.SetRoutingControl.state", "arc-lab", r#"control: "ctl-east", state: Off"#, r#"control: "ctl-east", state: On"#, Rto),
    ("HealthCheckConfig.target", "weighted-lab", r#""hc-east": HealthCheck(target: "app-east""#, r#""hc-east": HealthCheck(target: "app-west""#, Flows),
    ("HealthCheckConfig.interval", "weighted-lab", r#"interval: "30s""#, r#"interval: "10s""#, Flows),
    ("HealthCheckConfig.failure_threshold", "weighted-lab", "failure_threshold: 3", "failure_threshold: 1", Flows),
    ("HealthCheckConfig.checkers", "weighted-lab", "checkers: 16", "checkers: 3", Flows),
    ("Target.endpoint", "runbook-lab", r#""dns": Record(ttl: "60s", propagation: Fixed("30s"), policy: Simple(target: (endpoint: "app-east")))"#, r#""dns": Record(ttl: "60s", propagation: Fixed("30s"), policy: Simple(target: (endpoint: "app-west")))"#, Rto),
    ("Target.health_check", "weighted-lab", r#"("us-east-1", (endpoint: "app-east", health_check: "hc-east"))"#, r#"("us-east-1", (endpoint: "app-east"))"#, Flows),
    ("RecordConfig.ttl", "runbook-lab", r#""dns": Record(ttl: "60s""#, r#""dns": Record(ttl: "10m""#, Rto),
    ("RecordConfig.policy", "weighted-lab", r#""wt": Record(ttl: "60s", policy: Weighted(targets: [(80, (endpoint: "app-east")), (20, (endpoint: "app-west"))]))"#, r#""wt": Record(ttl: "60s", policy: Simple(target: (endpoint: "app-west")))"#, Flows),
    ("RecordConfig.failback", "failback-lab", r#"secondary: (endpoint: "app-west")))"#, r#"secondary: (endpoint: "app-west")), failback: Manual)"#, Flows),
    ("RecordConfig.propagation", "runbook-lab", r#"propagation: Fixed("30s")"#, r#"propagation: Fixed("5m")"#, Rto),
    ("RoutingPolicy.Simple.target", "runbook-lab", r#"Simple(target: (endpoint: "app-east"))),
        "old-dns""#, r#"Simple(target: (endpoint: "app-west"))),
        "old-dns""#, Rto),
    ("RoutingPolicy.Failover.primary", "weighted-lab", r#"Failover(primary: (endpoint: "app-east", health_check: "hc-east")"#, r#"Failover(primary: (endpoint: "app-west", health_check: "hc-west")"#, Flows),
    ("RoutingPolicy.Failover.secondary", "weighted-lab", r#"secondary: (endpoint: "app-west")"#, r#"secondary: (endpoint: "app-east")"#, Flows),
    ("RoutingPolicy.Latency.targets", "weighted-lab", r#"("us-west-2", (endpoint: "app-west", health_check: "hc-west"))"#, r#"("us-west-2", (endpoint: "app-east", health_check: "hc-east"))"#, Flows),
    ("RoutingPolicy.Weighted.targets", "weighted-lab", "(80, (endpoint", "(20, (endpoint", Flows),
    ("StackConfig.region", "migrate-lab", r#"Stack(region: "us-west-2", kind: Web"#, r#"Stack(region: "us-east-1", kind: Web"#, Refused),
    ("StackConfig.resources", "migrate-lab", r#"resources: ["web-west", "alb-west"]"#, r#"resources: ["alb-west"]"#, SteadyCost),
    ("StackConfig.kind", "migrate-lab", "kind: Web", "kind: DatabasePrimary", Rto),
    ("StackConfig.duration", "migrate-lab", r#"kind: Web, resources"#, r#"kind: Web, duration: Fixed("1h"), resources"#, Rto),

    // Alarms
    ("AlarmConfig.watches", "alarm-lab", r#"Alarm(watches: "app", source: Flow"#, r#"Alarm(watches: "other", source: Flow"#, Rto),
    ("AlarmConfig.source", "alarm-lab", "source: Flow", "source: Resource", Rto),
    ("AlarmConfig.metric", "alarm-lab", "metric: SuccessRate", "metric: ErrorRate", Rto),
    ("AlarmConfig.statistic", "alarm-lab", "statistic: Minimum", "statistic: Maximum", Rto),
    ("AlarmConfig.comparison", "alarm-lab", "comparison: LessThanThreshold", "comparison: GreaterThanThreshold", Rto),
    ("AlarmConfig.threshold", "alarm-lab", "threshold: 0.99", "threshold: 0.0", Rto),
    ("AlarmConfig.period", "alarm-lab", r#"period: "60s", evaluation_periods: 3"#, r#"period: "300s", evaluation_periods: 3"#, Rto),
    ("AlarmConfig.evaluation_periods", "alarm-lab", "evaluation_periods: 3", "evaluation_periods: 6", Log),
    ("AlarmConfig.datapoints_to_alarm", "alarm-lab", "evaluation_periods: 3, datapoints_to_alarm: 2", "evaluation_periods: 3, datapoints_to_alarm: 3", Rto),
    ("AlarmConfig.treat_missing_data", "alarm-lab", "treat_missing_data: Breaching", "treat_missing_data: Missing", Log),
    ("AlarmConfig.publication_delay", "alarm-lab", r#"publication_delay: "30s""#, r#"publication_delay: "3m""#, Rto),

    // On-premises sites
    ("OnPremDbConfig.site", "datasync-lab", r#"OnPremDb(site: "dc1""#, r#"OnPremDb(site: "dc2""#, Log),
    ("OnPremDbConfig.size_gb", "snowball-lab", "size_gb: 100", "size_gb: 1000", Rto),
    ("OnPremDbConfig.offsite", "datasync-lab", r#"offsite: [DataSync(to: "us-east-1", every: "6h", first_at: "1h", changed_gb: 50, overhead: Fixed("10m"))]"#, "offsite: []", Log),
    ("OnPremDbConfig.archive", "snowball-lab", "archive: (class: GlacierFlexibleRetrieval, tier: Bulk), ", "", Rto),
    ("OnPremDbConfig.restore", "snowball-lab", r#"restore: (base: Fixed("30m"), per_gb: "10s")"#, r#"restore: (base: Fixed("2h"), per_gb: "10s")"#, Rto),
    ("ArchiveConfig.class", "snowball-lab", "class: GlacierFlexibleRetrieval", "class: GlacierDeepArchive", Rto),
    ("ArchiveConfig.tier", "snowball-lab", "tier: Bulk", "tier: Expedited", Rto),
    ("OffsiteConfig.Snowball.to", "snowball-lab", r#"Snowball(to: "us-east-1""#, r#"Snowball(to: "us-west-2""#, Log),
    ("OffsiteConfig.Snowball.every", "snowball-lab", r#"every: "3d""#, r#"every: "2d""#, Rpo),
    ("OffsiteConfig.Snowball.first_at", "snowball-lab", r#"first_at: "2h""#, r#"first_at: "20h""#, Rpo),
    ("OffsiteConfig.Snowball.load", "snowball-lab", r#"load: Fixed("6h")"#, r#"load: Fixed("12h")"#, Log),
    ("OffsiteConfig.Snowball.transit", "snowball-lab", r#"transit: Fixed("1d")"#, r#"transit: Fixed("2d")"#, Log),
    ("OffsiteConfig.Snowball.import", "snowball-lab", r#"import: Fixed("12h")"#, r#"import: Fixed("2d")"#, Log),
    ("OffsiteConfig.DataSync.to", "datasync-lab", r#"DataSync(to: "us-east-1""#, r#"DataSync(to: "us-west-2""#, Log),
    ("OffsiteConfig.DataSync.every", "datasync-lab", r#"every: "6h""#, r#"every: "5h""#, Log),
    ("OffsiteConfig.DataSync.first_at", "datasync-lab", r#"first_at: "1h""#, r#"first_at: "3h""#, Log),
    ("OffsiteConfig.DataSync.changed_gb", "datasync-lab", "changed_gb: 50", "changed_gb: 5", Log),
    ("OffsiteConfig.DataSync.overhead", "datasync-lab", r#"overhead: Fixed("10m")"#, r#"overhead: Fixed("1h")"#, Log),
    ("OffsiteConfig.StorageGateway.to", "gateway-lab", r#"StorageGateway(to: "us-east-1""#, r#"StorageGateway(to: "us-west-2""#, Log),
    ("OffsiteConfig.StorageGateway.mode", "gateway-lab", "mode: File", "mode: CachedVolume", Rto),
    ("OffsiteConfig.StorageGateway.upload_lag", "gateway-lab", r#"upload_lag: Fixed("10s")"#, r#"upload_lag: Fixed("1m")"#, Rpo),
    ("OffsiteConfig.StorageGateway.bursts", "gateway-lab", r#"bursts: [(at: "8h", gb: 450)]"#, "bursts: []", Rpo),
    ("OffsiteConfig.StorageGateway.activate", "gateway-lab", r#"upload_lag: Fixed("10s")"#, r#"upload_lag: Fixed("10s"), activate: Fixed("2h")"#, Rto),
    ("BurstConfig.at", "gateway-lab", r#"(at: "8h", gb: 450)"#, r#"(at: "9h", gb: 450)"#, Rpo),
    ("BurstConfig.gb", "gateway-lab", "gb: 450", "gb: 45", Rpo),
    ("OffsiteConfig.Tape.to", "tape-lab", r#"Tape(to: "us-east-1""#, r#"Tape(to: "us-west-2""#, Log),
    ("OffsiteConfig.Tape.every", "tape-lab", r#"every: "1d""#, r#"every: "2d""#, Rpo),
    ("OffsiteConfig.Tape.first_at", "tape-lab", r#"first_at: "1h""#, r#"first_at: "13h""#, Rpo),
    ("OffsiteConfig.Tape.write", "tape-lab", r#"write: Fixed("2h")"#, r#"write: Fixed("12h")"#, Rpo),
    ("OffsiteConfig.Tape.pickup_every", "tape-lab", r#"pickup_every: "3d""#, r#"pickup_every: "4d""#, Rpo),
    ("OffsiteConfig.Tape.pickup_at", "tape-lab", r#"pickup_at: "1d 12h""#, r#"pickup_at: "2d 12h""#, Rpo),
    ("OffsiteConfig.Tape.transit", "tape-lab", r#"transit: Fixed("4h")"#, r#"transit: Fixed("1d")"#, Rpo),
    ("OffsiteConfig.Tape.recall", "tape-lab", r#"recall: Fixed("1d")"#, r#"recall: Fixed("2d")"#, Rto),
    ("OffsiteConfig.TapeGateway.to", "vtl-lab", r#"TapeGateway(to: "us-east-1""#, r#"TapeGateway(to: "us-west-2""#, Log),
    ("OffsiteConfig.TapeGateway.every", "vtl-lab", r#"every: "1d""#, r#"every: "12h""#, Rpo),
    ("OffsiteConfig.TapeGateway.first_at", "vtl-lab", r#"first_at: "1h""#, r#"first_at: "30m""#, Rpo),
    ("OffsiteConfig.TapeGateway.write", "vtl-lab", r#"write: Fixed("1h")"#, r#"write: Fixed("30m")"#, Rpo),
    ("OffsiteConfig.TapeGateway.tape_gb", "vtl-lab", "tape_gb: 50", "tape_gb: 20", Rpo),
    ("OffsiteConfig.TapeGateway.shelf", "vtl-lab", "shelf: GlacierFlexibleRetrieval", "shelf: GlacierDeepArchive", Rto),
    ("OffsiteConfig.StoredVolume.to", "stored-lab", r#"StoredVolume(to: "us-east-1""#, r#"StoredVolume(to: "eu-west-1""#, SteadyCost),
    ("OffsiteConfig.StoredVolume.every", "stored-lab", r#"every: "4h""#, r#"every: "5h""#, Rpo),
    ("OffsiteConfig.StoredVolume.first_at", "stored-lab", r#"first_at: "1h""#, r#"first_at: "2h""#, Rpo),
    ("OffsiteConfig.StoredVolume.changed_gb", "stored-lab", "changed_gb: 50", "changed_gb: 100", Rpo),
    ("OffsiteConfig.StoredVolume.copy_to", "stored-lab", r#", copy_to: (region: "us-west-2", first_copy: Fixed("2h"), copy: Fixed("30m"))"#, "", Log),
    ("SnapshotCopyConfig.region", "stored-lab", r#"region: "us-west-2""#, r#"region: "eu-west-1""#, Log),
    ("SnapshotCopyConfig.first_copy", "stored-lab", r#"first_copy: Fixed("2h")"#, r#"first_copy: Fixed("3d")"#, Log),
    ("SnapshotCopyConfig.copy", "stored-lab", r#"copy: Fixed("30m")"#, r#"copy: Fixed("1h")"#, Rpo),
    ("OffsiteConfig.Dms.to", "gateway-lab", r#"StorageGateway(to: "us-east-1", mode: File, upload_lag: Fixed("10s"), bursts: [(at: "8h", gb: 450)])"#, r#"StorageGateway(to: "us-west-2", mode: File, upload_lag: Fixed("10s"), bursts: [(at: "8h", gb: 450)]), Dms(to: "us-east-1", cdc_lag: Fixed("3s"), cutover: Fixed("5m"))"#, Rpo),
    ("OffsiteConfig.Dms.cdc_lag", "gateway-lab", r#"bursts: [(at: "8h", gb: 450)])"#, r#"bursts: [(at: "8h", gb: 450)]), Dms(to: "us-west-2", cdc_lag: Fixed("3s"))"#, SteadyCost),
    ("OffsiteConfig.Dms.cutover", "gateway-lab", r#"StorageGateway(to: "us-east-1", mode: File, upload_lag: Fixed("10s"), bursts: [(at: "8h", gb: 450)])"#, r#"Dms(to: "us-east-1", cutover: Fixed("1h"))"#, Rto),
    ("OnPremAppConfig.site", "snowball-lab", r#"OnPremApp(site: "dc1")"#, r#"OnPremApp(site: "dc2")"#, Flows),
];

// ---- The harness ----

/// `Type.field` (or `Type.Variant.field`) for every field of the reference in `docs/scenario-format.md`.
fn reference_fields() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/scenario-format.md");
    let text = std::fs::read_to_string(path).expect("docs/scenario-format.md");
    let (_, reference) = text
        .split_once("## Reference: every field\n")
        .expect("the reference section");
    let mut ty = None;
    let mut fields = Vec::new();
    for line in reference.lines() {
        if let Some(heading) = line.strip_prefix("#### `") {
            ty = heading.split('`').next().map(str::to_string);
        } else if let Some(item) = line.strip_prefix("- `") {
            let field = item.split('`').next().expect("a field name");
            let ty = ty.as_ref().expect("a field under a type heading");
            fields.push(format!("{ty}.{field}"));
        }
    }
    assert!(
        fields.len() > 100,
        "the reference lists {} fields",
        fields.len()
    );
    fields
}

fn lab(name: &str) -> &'static str {
    LABS.iter()
        .find(|&&(n, _)| n == name)
        .unwrap_or_else(|| panic!("no lab {name:?}"))
        .1
}

fn load(label: &str, text: &str) -> Result<Scenario, String> {
    scenarios::load_text(&format!("{label}.ron"), text).map_err(|e| e.to_string())
}

/// The replications of a run, as `drsim run` makes them (replication `k` of the scenario's seed).
fn runs(sc: &Scenario) -> Result<Vec<RunResult>, String> {
    (0..REPS)
        .map(|k| run_replication(sc, sc.seed, k, None).map_err(|e| e.to_string()))
        .collect()
}

fn sweep_spec(sc: &Scenario, disasters: Option<Vec<usize>>) -> SweepSpec {
    SweepSpec {
        seed: sc.seed,
        replications: 0..SWEEP_RUNS,
        disasters,
        threads: 1,
        keep_logs: false,
    }
}

/// The verdicts of the scenario's budgets, each against a sweep of its own disaster (as `drsim check`
/// judges them): status, measured percentile and runs judged.
fn verdicts(sc: &Scenario) -> Result<String, String> {
    let mut out = Vec::new();
    for budget in &sc.budgets {
        let disasters = budget.disaster.as_ref().map(|d| {
            vec![
                sc.disasters
                    .iter()
                    .position(|x| x.name == *d)
                    .expect("validated"),
            ]
        });
        let samples =
            sweep_samples(sc, &sweep_spec(sc, disasters), &|_| {}).map_err(|e| e.to_string())?;
        let v = evaluate(budget, &samples).map_err(|e| e.to_string())?;
        out.push(format!("{:?} {:?} {}", v.status, v.measured, v.runs));
    }
    Ok(out.join("\n"))
}

/// `drsim assess` of the scenario against its own policy: per type and disaster, the verdict, the
/// measured figures and the sentence that decides it.
fn assessment(sc: &Scenario) -> Result<String, String> {
    let effort = sim_core::advise::Effort {
        seed: sc.seed,
        runs: SWEEP_RUNS,
        threads: 1,
    };
    let a = sim_core::advise::assess::assess(sc, sc.policy.as_ref(), effort)
        .map_err(|e| e.to_string())?;
    Ok(format!("{a:?}"))
}

fn summary(sc: &Scenario) -> Result<String, String> {
    let samples = sweep_samples(sc, &sweep_spec(sc, None), &|_| {}).map_err(|e| e.to_string())?;
    let summary = SweepSummary::of(&sc.name, sc.seed, &samples);
    Ok(format!("{summary:?}"))
}

/// What a row compares, for one loaded scenario and its runs.
fn observe(shows: Shows, sc: &Scenario, results: &[RunResult]) -> Result<String, String> {
    let each =
        |f: &dyn Fn(&RunResult) -> String| results.iter().map(f).collect::<Vec<_>>().join("\n");
    Ok(match shows {
        Rto => each(&|r| format!("{:?}", r.rto)),
        Rpo => each(&|r| format!("{:?}", r.rpo)),
        LostWrites => each(&|r| r.lost_writes.to_string()),
        Flows => each(&|r| format!("{:?}", r.flows)),
        Stores => each(&|r| format!("{:?}", r.stores)),
        Log => each(&|r| {
            r.log
                .iter()
                .map(|e| format!("{} {}: {}", e.at, e.actor, e.text))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        RecoveryCost => each(&|r| format!("{:.6}", r.recovery_usd)),
        SteadyCost => format!("{:.6}", steady_state(sc, &table_for(sc).0).monthly_usd),
        Verdict => verdicts(sc)?,
        Assessment => assessment(sc)?,
        Sweep => summary(sc)?,
        Shown(Where::RunResult) => each(&|r| r.scenario.to_string()),
        Shown(Where::SweepFile) => format!(
            "{} {}",
            serde_json::to_string(sc).map_err(|e| e.to_string())?,
            fingerprint(sc)
        ),
        Refused => String::new(),
    })
}

/// A loaded lab and its runs, computed once for all the rows on it.
struct Base {
    scenario: Scenario,
    results: Vec<RunResult>,
}

/// Checks one row; `Err` says what is wrong with it.
fn check_row(
    (field, lab_name, replace, with, shows): (&str, &str, &str, &str, Shows),
    base: &Base,
) -> Result<(), String> {
    let text = lab(lab_name);
    if !text.contains(replace) {
        return Err(format!("{lab_name} does not contain {replace:?}"));
    }
    if replace == with {
        return Err("the substitution changes nothing".to_string());
    }
    let changed_text = text.replace(replace, with);
    let changed = load(lab_name, &changed_text);
    if let Refused = shows {
        let needle = field.rsplit('.').next().expect("a field");
        return match changed {
            Ok(_) => Err("the changed scenario loads, but should be refused".to_string()),
            Err(e) if e.to_lowercase().contains(&needle.to_lowercase()) => Ok(()),
            Err(e) => Err(format!(
                "refused, but the error does not name `{needle}`: {e}"
            )),
        };
    }
    let changed = changed.map_err(|e| format!("the changed scenario does not load: {e}"))?;
    let results = runs(&changed).map_err(|e| format!("the changed scenario does not run: {e}"))?;
    let before = observe(shows, &base.scenario, &base.results)?;
    let after = observe(shows, &changed, &results)?;
    if before == after {
        return Err(format!("{shows:?} is the same: {before}"));
    }
    Ok(())
}

fn show(lab_name: &str, base: &Base) {
    for r in &base.results {
        eprintln!(
            "== {lab_name} replication {}: rto {:?} rpo {:?} lost {}",
            r.replication, r.rto, r.rpo, r.lost_writes
        );
        for f in &r.flows {
            eprintln!("   {f:?}");
        }
        for s in &r.stores {
            eprintln!("   {s:?}");
        }
        for e in &r.log {
            eprintln!("   {} {}: {}", e.at, e.actor, e.text);
        }
    }
}

#[test]
fn every_field_of_the_format_changes_a_result_or_is_refused() {
    let reference = reference_fields();
    let mut problems = Vec::new();
    for field in &reference {
        if !TABLE.iter().any(|row| row.0 == *field) {
            problems.push(format!(
                "{field}: no row (add one to TABLE: what does it change?)"
            ));
        }
    }
    for row in TABLE {
        if !reference.contains(&row.0.to_string()) {
            problems.push(format!("{}: not a field of the reference", row.0));
        }
    }

    let mut bases = BTreeMap::new();
    for &(name, text) in LABS {
        let scenario = load(name, text).unwrap_or_else(|e| panic!("lab {name}: {e}"));
        let results = runs(&scenario).unwrap_or_else(|e| panic!("lab {name}: {e}"));
        let base = Base { scenario, results };
        if std::env::var("DRSIM_FX_SHOW").as_deref() == Ok(name) {
            show(name, &base);
        }
        bases.insert(name, base);
    }
    for &row in TABLE {
        let base = bases
            .get(row.1)
            .unwrap_or_else(|| panic!("{}: no lab {:?}", row.0, row.1));
        if let Err(e) = check_row(row, base) {
            problems.push(format!("{} ({}): {e}", row.0, row.1));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} rows fail:\n{}",
        problems.len(),
        TABLE.len(),
        problems.join("\n")
    );
}
