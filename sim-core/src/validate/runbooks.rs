//! Runbooks: each compiles, its trigger, actions and conditions name what exists, its states cannot loop
//! without time passing, and its retries stay within Amazon States Language's bounds.

use crate::engine::time::SimDuration;
use crate::model::service::Expect;
use crate::runbook::Runbook;
use crate::spec::limits::{MAX_GROUP_SIZE, MAX_RETRY_ATTEMPTS};
use crate::spec::runbook::{Action, Condition, Trigger};
use crate::spec::{Resource, ResourceKind};

use super::Validator;

impl Validator<'_> {
    pub(super) fn runbooks(&mut self) {
        for config in &self.scenario.runbooks {
            let by = format!("runbook {:?}", config.name);
            let book = match Runbook::compile(config) {
                Ok(book) => book,
                Err(e) => {
                    self.issue(Some(&config.name), e.to_string());
                    continue;
                }
            };
            match &book.trigger {
                Trigger::HealthCheck(check) => {
                    self.expect(
                        check,
                        Expect::Kind(ResourceKind::HealthCheck),
                        "a health check",
                        &by,
                    );
                }
                Trigger::Alarm(alarm) => {
                    self.expect(alarm, Expect::Kind(ResourceKind::Alarm), "an alarm", &by);
                }
                Trigger::Human(notice) => {
                    self.dist(notice, &format!("{by}: trigger"), &config.name)
                }
                Trigger::Onset => {}
                Trigger::RegionRecovered(region) => {
                    self.region(region, &format!("{by}: trigger"));
                }
                Trigger::Recovered(name) => {
                    let is_alarm = self
                        .scenario
                        .resources
                        .get(name)
                        .is_some_and(|r| r.kind() == ResourceKind::Alarm);
                    if !is_alarm {
                        self.expect(
                            name,
                            Expect::Kind(ResourceKind::HealthCheck),
                            "a health check or alarm",
                            &by,
                        );
                    }
                }
            }
            if let Some(cycle) = book.zero_time_cycle() {
                let first = cycle.first().cloned().unwrap_or_default();
                self.issue(
                    Some(&first),
                    format!(
                        "{by}: states {} loop without any time passing (only Choices and zero Waits); \
                         add a Wait or a Task to the loop",
                        cycle.join(" → ")
                    ),
                );
            }
            for (state, limit) in book.timeouts() {
                if limit < SimDuration::from_secs(1) {
                    self.issue(
                        Some(state),
                        format!(
                            "{by}: state {state:?} times out after {limit}; Amazon States Language's \
                             TimeoutSeconds is a whole number of seconds, at least 1"
                        ),
                    );
                }
            }
            for (state, retry) in book.retries() {
                if retry.max_attempts > MAX_RETRY_ATTEMPTS {
                    self.issue(
                        Some(state),
                        format!(
                            "{by}: state {state:?} retries max_attempts {} times; Amazon States Language \
                             allows at most {MAX_RETRY_ATTEMPTS}",
                            retry.max_attempts
                        ),
                    );
                }
                if retry.interval < SimDuration::from_secs(1) {
                    self.issue(
                        Some(state),
                        format!(
                            "{by}: state {state:?} retries after {}; Amazon States Language's \
                             IntervalSeconds is a whole number of seconds, at least 1",
                            retry.interval
                        ),
                    );
                }
                if !(retry.backoff_rate.is_finite() && retry.backoff_rate >= 1.0) {
                    self.issue(
                        Some(state),
                        format!(
                            "{by}: state {state:?} has backoff_rate {}; Amazon States Language requires at \
                             least 1.0",
                            retry.backoff_rate
                        ),
                    );
                }
            }
            for action in book.actions() {
                self.action(action, &by);
            }
            for condition in book.conditions() {
                self.condition(condition, &by);
            }
        }
    }

    fn action(&mut self, action: &Action, by: &str) {
        match action {
            Action::Page { ack: d, .. }
            | Action::Decide { delay: d, .. }
            | Action::Run { duration: d, .. } => {
                self.dist(d, &format!("{by}: step duration"), by);
            }
            Action::Promote { store, region }
            | Action::FailoverGlobal { store, region }
            | Action::SwitchoverGlobal { store, region }
            | Action::RestoreSnapshot { store, region }
            | Action::RestoreToPoint { store, region, .. }
            | Action::CopyBackup { store, region } => {
                self.expect(store, Expect::Store, "a data store", by);
                self.region(region, by);
            }
            Action::ForceFailover { store } => {
                self.expect(store, Expect::Store, "a data store", by);
            }
            Action::Repoint { store, duration } => {
                self.dist(duration, &format!("{by}: Repoint duration"), by);
                if self.expect(store, Expect::Store, "a data store", by)
                    && let Some(Resource::S3(_)) = self.scenario.resources.get(store)
                {
                    self.issue(
                        Some(store),
                        format!(
                            "{by}: Repoint of {store:?}, an S3 bucket: a bucket is restored in place and \
                             keeps its name, so there is nothing to repoint (remove the step)"
                        ),
                    );
                }
            }
            Action::AddReplica { store, region } => {
                let kind = self
                    .scenario
                    .resources
                    .get(store.as_str())
                    .map(Resource::kind);
                if !matches!(kind, Some(ResourceKind::Rds | ResourceKind::Aurora)) {
                    self.expect(
                        store,
                        Expect::Kind(ResourceKind::DynamoDb),
                        "a DynamoDB table, an RDS database or an Aurora cluster",
                        by,
                    );
                }
                self.region(region, by);
            }
            Action::CreateStack { stack } => {
                self.expect(
                    stack,
                    Expect::Kind(ResourceKind::Stack),
                    "a CloudFormation stack",
                    by,
                );
            }
            Action::SetCapacity { group, desired, .. } => {
                self.expect(
                    group,
                    Expect::Kind(ResourceKind::Asg),
                    "an Auto Scaling group",
                    by,
                );
                if *desired > MAX_GROUP_SIZE {
                    self.issue(
                        Some(group),
                        format!(
                            "{by}: SetCapacity desired {desired} is above the {MAX_GROUP_SIZE} instances drsim models"
                        ),
                    );
                } else if let Some(Resource::Asg(asg)) = self.scenario.resources.get(group)
                    && !(asg.min..=asg.max).contains(desired)
                {
                    // Auto Scaling answers a desired capacity outside the group's bounds with a
                    // ValidationError; it never widens them.
                    self.issue(
                        Some(group),
                        format!(
                            "{by}: SetCapacity desired {desired} is outside group {group:?}'s min ({}) … max ({}); Auto Scaling refuses it (ValidationError): change the group's min or max",
                            asg.min, asg.max
                        ),
                    );
                }
            }
            Action::UpdateDns { record, target } => {
                self.expect(
                    record,
                    Expect::Kind(ResourceKind::Record),
                    "a Route 53 record",
                    by,
                );
                self.expect(target, Expect::Any, "endpoint", by);
            }
            Action::SetRoutingControl { control, .. } => {
                self.expect(
                    control,
                    Expect::Kind(ResourceKind::RoutingControl),
                    "an ARC routing control",
                    by,
                );
            }
            Action::UpdateCloudFront {
                distribution,
                primary,
            } => {
                let known = self.expect(
                    distribution,
                    Expect::Kind(ResourceKind::CloudFront),
                    "a CloudFront distribution",
                    by,
                );
                if let (true, Some(Resource::CloudFront(c))) =
                    (known, self.scenario.resources.get(distribution))
                    && !c.origins.contains(primary)
                {
                    let origins = c.origins.join(", ");
                    self.issue(
                        Some(primary),
                        format!(
                            "{by}: {primary:?} is not an origin of {distribution:?} (origins: {origins})"
                        ),
                    );
                }
            }
        }
    }

    fn condition(&mut self, condition: &Condition, by: &str) {
        match condition {
            Condition::Probe { store, .. } => {
                self.expect(store, Expect::Store, "a data store", by);
            }
            Condition::Healthy(check) => {
                self.expect(
                    check,
                    Expect::Verdict,
                    "a health check or routing control",
                    by,
                );
            }
            Condition::RegionUp(region) => {
                self.region(region, by);
            }
            Condition::And(all) | Condition::Or(all) => {
                all.iter().for_each(|c| self.condition(c, by))
            }
            Condition::Not(inner) => self.condition(inner, by),
        }
    }
}
