//! API Gateway + Lambda: regional, multi-AZ; available while its Region is.

use crate::model::component::{Component, Route, Served};
use crate::model::place::{Catalog, Health, RegionId};
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Forward, Placement, Service};
use crate::services::checks::{ConfigError, Errors, check_region};
use crate::services::pricing::Bill;
use crate::spec::resources::lambda::LambdaConfig;
use crate::spec::{FlowConfig, Scenario};

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

/// API Gateway + Lambda at run time: serves while its Region is up.
pub struct Function {
    name: String,
    region: RegionId,
}

impl Component for Function {
    fn name(&self) -> &str {
        &self.name
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        if route.health().region_up(self.region) {
            Served {
                ok: route.backend(self.region),
                region: Some(self.region),
            }
        } else {
            Served::DOWN
        }
    }
}
