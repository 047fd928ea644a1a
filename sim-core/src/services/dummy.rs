//! A test-only service that proves the recipe in `docs/architecture.md`: a new kind is this one file plus
//! one line in the registry (`spec/registry.rs`). It is a regional box that serves a share of requests,
//! optionally through a backend it routes to, and bills as one EC2 instance. The tests below load it from
//! scenario text, validate it, build and run a world through it, and price it.

use serde::{Deserialize, Serialize};

use crate::model::component::{Component, Route, Served};
use crate::model::place::{Catalog, RegionId};
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Forward, Placement, Reference, Runtime, Service};
use crate::services::checks::{Errors, check_region};
use crate::services::pricing::Bill;
use crate::spec::{FlowConfig, Scenario};

/// The dummy's configuration, as a scenario writes it: `"box": Dummy((region: "us-east-1"))`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DummyConfig {
    /// Its Region.
    pub region: String,
    /// The share of requests it serves, in `[0, 1]` (default 1).
    #[serde(default = "one")]
    pub serves: f64,
    /// A resource it sends requests on to, if any.
    #[serde(default)]
    pub backend: Option<String>,
}

fn one() -> f64 {
    1.0
}

/// The dummy at run time.
struct DummyBox {
    name: String,
    region: RegionId,
    serves: f64,
    backend: Option<u16>,
}

impl Component for DummyBox {
    fn name(&self) -> &str {
        &self.name
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        if !route.health().region_up(self.region) {
            return Served::DOWN;
        }
        let behind = self.backend.map_or(1.0, |b| route.next(b).ok);
        Served {
            ok: self.serves * behind * route.backend(self.region),
            region: Some(self.region),
        }
    }
}

impl Service for DummyConfig {
    fn placement(&self) -> Placement<'_> {
        Placement::Region(&self.region)
    }

    fn references(&self) -> Vec<Reference<'_>> {
        self.backend
            .iter()
            .map(|b| Reference::routing(b, "backend"))
            .collect()
    }

    fn check(&self, _name: &str, catalog: &Catalog) -> Vec<String> {
        let mut errors = Errors::default();
        check_region(&mut errors, catalog, "dummy.region", &self.region);
        errors.check(
            (0.0..=1.0).contains(&self.serves),
            "dummy.serves",
            self.serves,
            "0..=1",
        );
        errors
            .finish()
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        Ok(Runtime::Component(Box::new(DummyBox {
            name: cx.name.to_string(),
            region: cx.region(&self.region)?,
            serves: self.serves,
            backend: self
                .backend
                .as_deref()
                .map(|b| cx.index_of(b, "backend"))
                .transpose()?,
        })))
    }

    fn price(&self, name: &str, home: &str, book: &mut dyn PriceBook) {
        Bill::new(book, name, "Dummy").instances("region", home, "t3.small", 1);
    }

    fn forward(&self, _flow: &FlowConfig, _scenario: &Scenario) -> Forward<'_> {
        Forward::Serves
    }
}

#[cfg(test)]
mod tests {
    use crate::cost::{steady_state, table_for};
    use crate::engine::time::SimDuration;
    use crate::spec::{ResourceKind, Scenario};
    use crate::sweep::run_replication;
    use crate::validate::{topology_spec, validate};

    /// A scenario whose `catalog` flow enters the dummy `box`, with `extra` resources.
    fn scenario(dummy: &str, extra: &str) -> Scenario {
        let text = format!(
            r#"(
                name: "dummy",
                horizon: "6h",
                regions: [(name: "us-east-1", azs: ["us-east-1a"]), (name: "us-west-2", azs: ["us-west-2a"])],
                resources: {{ "box": Dummy({dummy}), {extra} }},
                flows: [(name: "catalog", kind: Read, rate_per_s: 10, entry: "box")],
                disasters: [(name: "east", kind: RegionOutage(region: "us-east-1"), onset: At("1h"), duration: Fixed("10m"))],
            )"#
        );
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(&text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn messages(s: &Scenario) -> Vec<String> {
        validate(s).into_iter().map(|i| i.message).collect()
    }

    #[test]
    fn a_new_service_is_validated_from_its_own_file() {
        assert_eq!(ResourceKind::Dummy.as_str(), "Dummy");
        assert!(!ResourceKind::Dummy.is_store());
        assert_eq!(
            messages(&scenario(r#"(region: "us-east-1")"#, "")),
            Vec::<String>::new()
        );
        let bad = messages(&scenario(r#"(region: "eu-west-9", serves: 2.0)"#, ""));
        assert!(
            bad.iter().any(|m| m.contains("dummy.region is eu-west-9")),
            "{bad:?}"
        );
        assert!(
            bad.iter().any(|m| m.contains("dummy.serves is 2")),
            "{bad:?}"
        );
        let dangling = messages(&scenario(
            r#"(region: "us-east-1", backend: "nowhere")"#,
            "",
        ));
        assert!(
            dangling.iter().any(|m| m.contains("nowhere")),
            "{dangling:?}"
        );
    }

    #[test]
    fn a_new_service_is_built_routed_to_and_drawn() {
        // Requests reach the box and, through it, its backend: the backend's Region outage is the flow's.
        let s = scenario(
            r#"(region: "us-west-2", backend: "fn")"#,
            r#""fn": Lambda((region: "us-east-1"))"#,
        );
        assert!(messages(&s).is_empty());
        let run = run_replication(&s, 1, 0, None).unwrap();
        let rto = run.flows[0].rto.expect("recovered when the Region heals");
        assert!(
            rto > SimDuration::from_mins(8) && rto <= SimDuration::from_mins(10),
            "{rto}"
        );
        // Serving half the requests, the flow never meets a 99 % SLO.
        let half = scenario(r#"(region: "us-east-1", serves: 0.5)"#, "");
        assert_eq!(
            run_replication(&half, 1, 0, None).unwrap().flows[0].rto,
            None
        );
        let topology = topology_spec(&s);
        assert!(
            topology
                .nodes
                .iter()
                .any(|n| n.name == "box" && n.kind == "Dummy")
        );
        assert!(
            topology
                .edges
                .iter()
                .any(|e| e.from == "box" && e.to == "fn")
        );
    }

    #[test]
    fn a_new_service_is_priced_by_its_own_hook() {
        let s = scenario(r#"(region: "us-east-1")"#, "");
        let report = steady_state(&s, &table_for(&s).0);
        assert!(report.unpriced.is_empty(), "{:?}", report.unpriced);
        let lines: Vec<&str> = report
            .lines
            .iter()
            .filter(|l| l.resource == "box")
            .map(|l| l.what.as_str())
            .collect();
        assert_eq!(
            lines,
            ["1 × t3.small on-demand, 730 h", "EBS 1 × 20 GB gp3"]
        );
    }
}
