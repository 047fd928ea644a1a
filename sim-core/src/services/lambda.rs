//! API Gateway + Lambda: regional, multi-AZ; available while its Region is.
//!
//! **Integration timeout.** API Gateway waits at most [`INTEGRATION_TIMEOUT`] for the function (29 s, the
//! REST API default): a request whose function, data-store call included, takes that long or longer
//! gets a 504, whatever the client would wait.

use crate::engine::time::SimDuration;
use crate::model::component::{Component, Route, Served};
use crate::model::place::{Catalog, Health, RegionId};
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Forward, Placement, Service};
use crate::services::checks::{ConfigError, Errors, check_region};
use crate::services::pricing::Bill;
use crate::spec::resources::lambda::LambdaConfig;
use crate::spec::{FlowConfig, Scenario};

/// How long API Gateway waits for the integration (a REST API's default and, without a quota increase,
/// its maximum: 29 s).
pub const INTEGRATION_TIMEOUT: SimDuration = SimDuration::from_secs(29);

impl LambdaConfig {
    /// Resolves the Region against the topology.
    pub fn region_id(&self, catalog: &Catalog) -> Result<RegionId, Vec<ConfigError>> {
        let mut errors = Errors::default();
        let id = check_region(&mut errors, catalog, "lambda.region", &self.region);
        errors.finish()?;
        Ok(id.unwrap_or(RegionId(0)))
    }

    /// Share of requests served now: 1 while its Region's data plane is up, else 0.
    pub fn capacity(region: RegionId, health: &Health) -> f64 {
        if health.region_up(region) { 1.0 } else { 0.0 }
    }
}

impl Service for LambdaConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        Ok(Runtime::Component(Box::new(Function {
            name: cx.name.to_string(),
            node: cx.index,
            region: cx.region(&self.region)?,
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Region(&self.region)
    }

    fn check(&self, _name: &str, catalog: &Catalog) -> Vec<String> {
        self.region_id(catalog)
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn price(&self, name: &str, home: &str, book: &mut dyn PriceBook) {
        let mut bill = Bill::new(book, name, "Lambda");
        let requests = bill.requests_per_month();
        let invoke = bill.price("flows", "lambda", home, "million-requests");
        let gb_s = requests * bill.assume("lambda-gb-s-per-request");
        let duration = bill.price("flows", "lambda", home, "gb-second");
        let api = bill.price("flows", "apigateway", home, "million-requests");
        let m = requests / 1e6;
        let lambda = m * invoke + gb_s * duration;
        bill.add_used(m, format!("{m:.1} M Lambda invocations"), lambda);
        bill.add_used(m, format!("{m:.1} M API Gateway requests"), m * api);
    }

    fn forward(&self, _flow: &FlowConfig, _scenario: &Scenario) -> Forward<'_> {
        Forward::Serves
    }
}

/// API Gateway + Lambda at run time: serves while its Region is up, within API Gateway's integration
/// timeout.
pub struct Function {
    name: String,
    /// Its resource index (its own gray latency counts against the integration timeout).
    node: u16,
    region: RegionId,
}

impl Component for Function {
    fn name(&self) -> &str {
        &self.name
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        if !route.health().region_up(self.region) {
            return Served::DOWN;
        }
        let own = route
            .health()
            .degradation(self.node)
            .map_or(SimDuration::ZERO, |(_, latency)| {
                SimDuration::from_micros(latency)
            });
        if own >= INTEGRATION_TIMEOUT {
            return Served::DOWN;
        }
        Served {
            ok: route.backend_within(self.region, INTEGRATION_TIMEOUT.saturating_sub(own)),
            region: Some(self.region),
        }
    }
}
