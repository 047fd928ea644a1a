//! ARC routing controls (C41): On/Off switches on a cluster, each with a routing control health check — a
//! Route 53 health check that probes no endpoint and reports the control's state. A record target that
//! names a routing control as its `health_check` is answered while the control is On; a runbook flips it
//! with `SetRoutingControl` (UpdateRoutingControlState) through the cluster's data plane, so failover
//! works while Route 53's control plane (us-east-1) cannot edit records.
//!
//! A change is accepted when its cluster takes the call ([`ArcClusterConfig::call`]: an endpoint up, the
//! quorum held), after the endpoints that timed out first; it reaches Route 53's answers after the
//! cluster's `propagation`. Until then the health check reports the old state.

use crate::engine::rng::Stream;
use crate::model::action::ActionError;
use crate::model::component::{Begun, Component, ComponentAction};
use crate::model::ctx::{Ctx, Phase};
use crate::model::place::Catalog;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Expect, Placement, Reference, Runtime, Service};
use crate::model::stream_name::StreamName;
use crate::spec::resources::arc::{ArcClusterConfig, RoutingControlConfig};
use crate::spec::{Resource, ResourceKind};

impl Service for RoutingControlConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        let Some(Resource::ArcCluster(cluster)) = cx.scenario.resources.get(&self.cluster) else {
            return Err(BuildError::Unknown {
                what: "ARC cluster",
                name: self.cluster.clone(),
                referenced_by: cx.by(),
            });
        };
        let on = self.state.is_on();
        Ok(Runtime::Component(Box::new(RoutingControl {
            name: cx.name,
            cluster_name: &self.cluster,
            cluster,
            state: on,
            reported: on,
            generation: 0,
            rng: StreamName::resource(cx.name).stream(cx.streams),
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Global
    }

    fn references(&self) -> Vec<Reference<'_>> {
        vec![
            Reference::dependency(&self.cluster, "cluster")
                .expecting(Expect::Kind(ResourceKind::ArcCluster)),
        ]
    }

    fn check(&self, _name: &str, _catalog: &Catalog) -> Vec<String> {
        Vec::new()
    }

    /// Routing controls and their health checks are not billed apart from their cluster (C41).
    fn price(&self, _name: &str, _home: &str, _book: &mut dyn PriceBook) {}
}

/// A routing control at run time: its state in the cluster and the state its health check reports.
struct RoutingControl<'s> {
    name: &'s str,
    cluster_name: &'s str,
    cluster: &'s ArcClusterConfig,
    /// The state the cluster holds.
    state: bool,
    /// The state its Route 53 health check reports (what records answer by).
    reported: bool,
    /// Bumped by every accepted change: only the latest change's propagation lands.
    generation: u32,
    rng: Stream,
}

fn word(on: bool) -> &'static str {
    if on { "On" } else { "Off" }
}

impl RoutingControl<'_> {
    /// The cluster now holds `on`; its health check reports it after the propagation.
    fn accept(&mut self, cx: &mut Ctx<'_>, on: bool) {
        self.state = on;
        self.generation = self.generation.wrapping_add(1);
        let took = self.cluster.propagation.sample(&mut self.rng);
        cx.wake_in(took, self.generation);
    }
}

impl Component for RoutingControl<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn begin(
        &mut self,
        cx: &mut Ctx<'_>,
        action: ComponentAction<'_>,
    ) -> Result<Begun, ActionError> {
        let ComponentAction::SetRoutingControl { on } = action else {
            return Err(ActionError::Unsupported(
                "not an action of a routing control".into(),
            ));
        };
        // The data plane only: a Region counts when its data plane is up; no control plane is asked.
        let (health, catalog) = (cx.health, cx.catalog);
        let up = |region: &str| catalog.region(region).is_none_or(|r| health.region_up(r));
        let call = self.cluster.call(&up).map_err(|why| {
            ActionError::TargetDown(format!(
                "ARC cluster {:?} (UpdateRoutingControlState of {:?}): {why}",
                self.cluster_name, self.name
            ))
        })?;
        let (name, cluster) = (self.name, self.cluster_name);
        cx.log(name, Phase::Propagation, || {
            let before = if call.timed_out.is_empty() {
                String::new()
            } else {
                format!(
                    " after {} timed out ({})",
                    call.timed_out.join(", "),
                    call.took.human()
                )
            };
            format!(
                "UpdateRoutingControlState {name} → {} through cluster {cluster}'s {} endpoint{before}; \
                 no control plane involved",
                word(on),
                call.endpoint
            )
        });
        if call.took.is_zero() {
            self.accept(cx, on);
            return Ok(Begun::Done);
        }
        Ok(Begun::After {
            delay: call.took,
            token: u32::from(on),
        })
    }

    fn complete(&mut self, cx: &mut Ctx<'_>, token: u32) {
        self.accept(cx, token == 1);
    }

    fn on_wake(&mut self, cx: &mut Ctx<'_>, token: u32) -> bool {
        if token != self.generation || self.reported == self.state {
            return false;
        }
        self.reported = self.state;
        let (name, on) = (self.name, self.state);
        cx.log(name, Phase::Propagation, || {
            format!(
                "Route 53's routing control health check of {name} now reports {} ({})",
                word(on),
                if on { "healthy" } else { "unhealthy" }
            )
        });
        false
    }

    fn verdict(&self) -> Option<bool> {
        Some(self.reported)
    }
}

#[cfg(test)]
mod tests {
    use crate::cost::{steady_state, table_for};
    use crate::engine::time::SimDuration;
    use crate::spec::Scenario;
    use crate::sweep::run_replication;

    /// A failover record guarded by two routing controls on `cluster`; us-east-1 (and its control plane)
    /// fails at 1 h and the runbook turns `ctl-east` Off once the health check on the east API fires.
    fn scenario(cluster: &str) -> Scenario {
        let text = format!(
            r#"(
                name: "arc",
                horizon: "6h",
                regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
                resources: {{
                    "east": Lambda((region: "us-east-1")),
                    "west": Lambda((region: "us-west-2")),
                    "hc": HealthCheck((target: "east")),
                    "arc": ArcCluster({cluster}),
                    "ctl-east": RoutingControl((cluster: "arc", state: On)),
                    "ctl-west": RoutingControl((cluster: "arc", state: On)),
                    "dns": Record((policy: Failover(
                        primary: (endpoint: "east", health_check: "ctl-east"),
                        secondary: (endpoint: "west", health_check: "ctl-west")))),
                }},
                flows: [(name: "api", kind: Read, rate_per_s: 10, entry: "dns")],
                disasters: [(name: "x", kind: RegionOutage(region: "us-east-1", control_plane: true), onset: At("1h"), duration: Fixed("3h"))],
                runbooks: [(name: "flip", trigger: HealthCheck("hc"), start_at: "s", states: {{
                    "s": Task(action: SetRoutingControl(control: "ctl-east", state: Off)),
                }})],
            )"#
        );
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(&text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn rto(cluster: &str, seed: u64) -> SimDuration {
        let s = scenario(cluster);
        assert!(crate::validate::validate(&s).is_empty());
        run_replication(&s, seed, 0, None).unwrap().flows[0]
            .rto
            .expect("recovered through the routing control")
    }

    #[test]
    fn the_change_lands_after_the_timeouts_and_the_propagation_exactly() {
        // Same seed, same detection: only the control's own steps move the RTO, second for second.
        for seed in 1..=20 {
            let base = rto(r#"(propagation: Fixed("10s"))"#, seed);
            let slow = rto(r#"(propagation: Fixed("40s"))"#, seed);
            assert_eq!(slow - base, SimDuration::from_secs(30), "seed {seed}");
            // Listing us-west-2 first saves the 5 s the us-east-1 endpoint takes to time out.
            let west_first = rto(
                r#"(endpoints: ["us-west-2", "us-east-1"], propagation: Fixed("10s"))"#,
                seed,
            );
            assert_eq!(base - west_first, SimDuration::from_secs(5), "seed {seed}");
        }
    }

    #[test]
    fn the_cluster_bills_by_the_hour_and_its_controls_nothing() {
        let s = scenario("()");
        let report = steady_state(&s, &table_for(&s).0);
        let arc: Vec<(&str, &str, f64)> = report
            .lines
            .iter()
            .filter(|l| l.resource == "arc" || l.resource.starts_with("ctl-"))
            .map(|l| (l.resource.as_str(), l.what.as_str(), l.monthly_usd))
            .collect();
        assert_eq!(arc, [("arc", "ARC cluster, 730 h", 2.5 * 730.0)]);
    }
}
