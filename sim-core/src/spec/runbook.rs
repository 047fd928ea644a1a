//! Recovery runbooks as a scenario writes them, in the spirit of Amazon States Language (ASL): a named set of
//! states with a `start_at`, like an ASL `StartAt` + `States`. The compiler and interpreter are in
//! [`crate::world::runbook`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;
use crate::engine::time::SimDuration;
use crate::spec::resources::arc::ControlState;

/// A runbook as written in a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunbookConfig {
    /// Its name.
    pub name: String,
    /// What starts it.
    pub trigger: Trigger,
    /// The first state.
    pub start_at: String,
    /// The states, by name.
    pub states: BTreeMap<String, State>,
}

/// What starts a runbook (once per run, at the first trigger after the disaster's onset).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Trigger {
    /// A Route 53 health check turns unhealthy.
    HealthCheck(String),
    /// A CloudWatch alarm goes into ALARM.
    Alarm(String),
    /// A human notices, this long after the onset (no automated detection).
    Human(Dist),
    /// The onset itself (a scripted, planned event such as a switchover drill).
    Onset,
    /// A Region (or an on-premises site) whose data plane the disaster took down is up again: the start of
    /// a failback.
    RegionRecovered(String),
    /// A Route 53 health check (or a CloudWatch alarm) that went bad after the onset is healthy (OK)
    /// again.
    Recovered(String),
}

/// One state, as in ASL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum State {
    /// Do an action on the world.
    Task {
        /// The action.
        action: Action,
        /// The next state; `None` ends the branch.
        #[serde(default)]
        next: Option<String>,
        /// Retry rules, tried in order.
        #[serde(default)]
        retry: Vec<Retry>,
        /// Catch rules, tried in order after retries are exhausted.
        #[serde(default)]
        catch: Vec<Catch>,
        /// ASL `TimeoutSeconds`: when the action (or the human) has not finished this long after the
        /// state began, the state fails with `States.Timeout`, which `retry` and `catch` can match; the
        /// action itself is not cancelled (a promotion under way goes on). `None`: no limit.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout: Option<SimDuration>,
    },
    /// Wait.
    Wait {
        /// How long.
        duration: Dist,
        /// The next state; `None` ends the branch.
        #[serde(default)]
        next: Option<String>,
    },
    /// Branch on world state: the first rule that holds wins, else `default`.
    Choice {
        /// Rules in order.
        choices: Vec<ChoiceRule>,
        /// Where to go when no rule holds; `None` fails with `States.NoChoiceMatched`.
        #[serde(default)]
        default: Option<String>,
    },
    /// Run branches concurrently; continue when all have ended.
    Parallel {
        /// The branches.
        branches: Vec<Branch>,
        /// The next state; `None` ends the branch.
        #[serde(default)]
        next: Option<String>,
        /// Retry rules (a retry re-runs every branch).
        #[serde(default)]
        retry: Vec<Retry>,
        /// Catch rules.
        #[serde(default)]
        catch: Vec<Catch>,
    },
    /// End this branch successfully.
    Succeed,
    /// End this branch with an error.
    Fail {
        /// Error name (what a `Catch` matches).
        error: String,
        /// Explanation.
        #[serde(default)]
        cause: String,
    },
}

/// One branch of a `Parallel` state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// The branch's first state.
    pub start_at: String,
    /// The branch's states (names are local to the branch).
    pub states: BTreeMap<String, State>,
}

/// A `Choice` rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceRule {
    /// The condition.
    pub when: Condition,
    /// Where to go when it holds.
    pub next: String,
}

/// A condition on world state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    /// A store's probe (e.g. `replica_lag_s`) compared with a value.
    Probe {
        /// The store.
        store: String,
        /// What is measured (`"replica_lag_s"`, `"writer_region"`, `"writer_up"`).
        what: Probe,
        /// The comparison.
        op: Cmp,
        /// The value.
        value: f64,
    },
    /// A Route 53 health check's verdict, or an ARC routing control's (true while its health check reports
    /// On).
    Healthy(String),
    /// A Region's data plane is up.
    RegionUp(String),
    /// All hold.
    And(Vec<Condition>),
    /// Any holds.
    Or(Vec<Condition>),
    /// Does not hold.
    Not(Box<Condition>),
}

impl std::fmt::Display for Condition {
    /// The rule as a reader of the replay sees it: `app-db replica_lag_s < 60`, `health check hc-east is
    /// healthy`, `Region us-east-1 is up`, with `and`, `or` and `not (…)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let join = |f: &mut std::fmt::Formatter<'_>, parts: &[Condition], word: &str| {
            for (i, c) in parts.iter().enumerate() {
                if i > 0 {
                    write!(f, " {word} ")?;
                }
                match c {
                    Condition::And(_) | Condition::Or(_) => write!(f, "({c})")?,
                    _ => write!(f, "{c}")?,
                }
            }
            Ok(())
        };
        match self {
            Condition::Probe {
                store,
                what,
                op,
                value,
            } => {
                let op = match op {
                    Cmp::Lt => "<",
                    Cmp::Le => "<=",
                    Cmp::Gt => ">",
                    Cmp::Ge => ">=",
                    Cmp::Eq => "==",
                    Cmp::Ne => "!=",
                };
                write!(f, "{store} {} {op} {value}", what.as_str())
            }
            Condition::Healthy(check) => write!(f, "health check {check} is healthy"),
            Condition::RegionUp(region) => write!(f, "Region {region} is up"),
            Condition::And(parts) => join(f, parts, "and"),
            Condition::Or(parts) => join(f, parts, "or"),
            Condition::Not(c) => write!(f, "not ({c})"),
        }
    }
}

/// A number a data store reports for `Choice` rules, written as its name (`what: "replica_lag_s"`).
/// Unknown names are refused when the scenario loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Probe {
    /// The replication lag in seconds: the largest of a replica cut off from the writer, else the typical
    /// (mean) lag of the first replica; 0 without replicas.
    ReplicaLagS,
    /// The index of the writer's Region in the scenario's `regions` list.
    WriterRegion,
    /// 1 while the writer is up, else 0.
    WriterUp,
}

impl Probe {
    /// Every probe, with its name as written in scenarios.
    pub const ALL: [(Probe, &'static str); 3] = [
        (Probe::ReplicaLagS, "replica_lag_s"),
        (Probe::WriterRegion, "writer_region"),
        (Probe::WriterUp, "writer_up"),
    ];

    /// The probe's name as written in scenarios.
    pub fn as_str(self) -> &'static str {
        Probe::ALL
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("?", |(_, n)| n)
    }
}

impl Serialize for Probe {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Probe::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(p, _)| *p)
            .ok_or_else(|| {
                let known: Vec<&str> = Probe::ALL.iter().map(|(_, n)| *n).collect();
                serde::de::Error::custom(format!(
                    "unknown probe {name:?}; a store reports {}",
                    known.join(", ")
                ))
            })
    }
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

/// ASL `Retry`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// Error names matched (`States.ALL` matches every error).
    #[serde(default = "all_errors")]
    pub errors: Vec<String>,
    /// Wait before the first retry.
    #[serde(default = "one_second")]
    pub interval: SimDuration,
    /// Retries at most this many times.
    #[serde(default = "three")]
    pub max_attempts: u32,
    /// Each wait is this many times the previous one.
    #[serde(default = "two")]
    pub backoff_rate: f64,
}

/// ASL `Catch`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catch {
    /// Error names matched (`States.ALL` matches every error).
    #[serde(default = "all_errors")]
    pub errors: Vec<String>,
    /// Where to go.
    pub next: String,
}

fn all_errors() -> Vec<String> {
    vec!["States.ALL".to_string()]
}

fn one_second() -> SimDuration {
    SimDuration::from_secs(1)
}

fn three() -> u32 {
    3
}

fn two() -> f64 {
    2.0
}

/// Where a point-in-time restore should land, as written in a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestorePoint {
    /// The latest restorable time.
    Latest,
    /// Just before the store's most recent corruption or delete.
    BeforeCorruption,
}

/// An action a `Task` performs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Action {
    /// Page a human and wait for the acknowledgement (a decision-phase step).
    Page {
        /// Who (their response times come from their own random stream).
        who: String,
        /// Time to acknowledge (assumption: see `docs/calibration.md`).
        ack: Dist,
    },
    /// Wait for a human decision, e.g. "fail over the Region?" (a decision-phase step).
    Decide {
        /// Who decides.
        who: String,
        /// Time to decide.
        delay: Dist,
    },
    /// Promote a read replica / detach-and-promote an Aurora secondary in `region`.
    Promote {
        /// The store.
        store: String,
        /// The replica's Region.
        region: String,
    },
    /// Aurora Global Database unplanned failover to `region`.
    FailoverGlobal {
        /// The store.
        store: String,
        /// The new primary Region.
        region: String,
    },
    /// Aurora Global Database managed switchover to `region` (RPO 0).
    SwitchoverGlobal {
        /// The store.
        store: String,
        /// The new primary Region.
        region: String,
    },
    /// Force a Multi-AZ failover.
    ForceFailover {
        /// The store.
        store: String,
    },
    /// Restore the store in `region` from the latest snapshot/backup there.
    RestoreSnapshot {
        /// The store.
        store: String,
        /// Where.
        region: String,
    },
    /// Point-in-time restore of the store in `region`.
    RestoreToPoint {
        /// The store.
        store: String,
        /// Where.
        region: String,
        /// To when.
        point: RestorePoint,
    },
    /// Copy the latest backup of the store to `region`.
    CopyBackup {
        /// The store.
        store: String,
        /// Destination.
        region: String,
    },
    /// Point the application at the store's restored copy: a restored RDS instance, Aurora cluster or
    /// DynamoDB table has a new endpoint or name, and clients keep using the old one (down, corrupt or
    /// deleted) until this step ends. Fails if nothing was restored since the last repoint.
    Repoint {
        /// The store.
        store: String,
        /// How long the change takes to reach the clients (a DNS record, a configuration change and
        /// redeploy; no AWS figure: an assumption of the runbook's author).
        duration: Dist,
    },
    /// Add a replica in `region`: to a DynamoDB table (UpdateTable), how a restored table, which is
    /// single-Region, becomes a global table again (takes longer for a larger table, `add_replica`); to an
    /// RDS database, a new cross-Region read replica (a snapshot copied to the Region, then restored); to
    /// an Aurora global database, a new secondary cluster. The task ends when the replica follows the
    /// writer (its initial copy done): how re-protection after a failover ends the exposure window.
    AddReplica {
        /// The table.
        store: String,
        /// The new replica's Region.
        region: String,
    },
    /// Create a CloudFormation stack (its resources exist once it completes).
    CreateStack {
        /// The stack.
        stack: String,
    },
    /// Set an Auto Scaling group's desired capacity; with `wait`, the task ends when the capacity is ready.
    SetCapacity {
        /// The group.
        group: String,
        /// Desired instances.
        desired: u32,
        /// Whether to wait for the instances to be in service.
        #[serde(default)]
        wait: bool,
    },
    /// Point a Route 53 record at `target` (a manual DNS change; propagates within a minute).
    UpdateDns {
        /// The record.
        record: String,
        /// The target endpoint it should answer.
        target: String,
    },
    /// Set an ARC routing control On or Off (UpdateRoutingControlState, a data-plane call to one of its
    /// cluster's Regional endpoints: no Region's control plane is involved, so it works while us-east-1's
    /// is down). Fails with `TargetDown` when no endpoint answers or the cluster has no quorum.
    SetRoutingControl {
        /// The routing control.
        control: String,
        /// Its new state.
        state: ControlState,
    },
    /// Make `primary` the primary origin of a CloudFront distribution (deploys in minutes).
    UpdateCloudFront {
        /// The distribution.
        distribution: String,
        /// The new primary origin.
        primary: String,
    },
    /// Any other step that takes time (update app config, run a script, verify).
    Run {
        /// What it does, for the log.
        what: String,
        /// How long it takes.
        duration: Dist,
    },
}
