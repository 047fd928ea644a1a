//! Application Load Balancer: target health checks.

use crate::engine::rng::Stream;
use crate::engine::time::SimDuration;
use crate::model::component::{Component, Route, Served};
use crate::model::place::Catalog;
use crate::model::place::RegionId;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Forward, Placement, Reference, Service};
use crate::services::checks::{ConfigError, Errors, check_region};
use crate::services::pricing::{Bill, HOURS_PER_MONTH};
use crate::services::probes::consecutive_probes;
use crate::spec::resources::alb::AlbConfig;
use crate::spec::{FlowConfig, Scenario};

impl AlbConfig {
    /// Checks the Region and the health-check settings against ELB's ranges.
    pub fn validate(&self, catalog: &Catalog) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        check_region(&mut errors, catalog, "alb.region", &self.region);
        let interval = self.health_check_interval;
        errors.check(
            interval >= SimDuration::from_secs(5) && interval <= SimDuration::from_secs(300),
            "alb.health_check_interval",
            interval,
            "5s..=300s",
        );
        for (field, value) in [
            ("alb.unhealthy_threshold", self.unhealthy_threshold),
            ("alb.healthy_threshold", self.healthy_threshold),
        ] {
            errors.check((2..=10).contains(&value), field, value, "2..=10");
        }
        errors.finish()
    }

    /// Time from a target dying until the ALB stops routing to it (`unhealthy_threshold` consecutive failed
    /// checks at a random phase). Until then, that target's share of requests fails.
    pub fn detection_delay(&self, rng: &mut Stream) -> SimDuration {
        consecutive_probes(self.health_check_interval, self.unhealthy_threshold, rng)
    }

    /// Time from a target becoming ready until the ALB routes to it (`healthy_threshold` passes).
    pub fn recovery_delay(&self, rng: &mut Stream) -> SimDuration {
        consecutive_probes(self.health_check_interval, self.healthy_threshold, rng)
    }
}

impl Service for AlbConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate(cx.catalog).map_err(|e| cx.invalid(&e))?;
        Ok(Runtime::Component(Box::new(LoadBalancer {
            name: cx.name.to_string(),
            region: cx.region(&self.region)?,
            targets: self
                .targets
                .iter()
                .map(|t| cx.index_of(t, "target"))
                .collect::<Result<_, _>>()?,
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Region(&self.region)
    }

    fn references(&self) -> Vec<Reference<'_>> {
        self.targets
            .iter()
            .map(|t| Reference::routing(t, "target"))
            .collect()
    }

    fn check(&self, _name: &str, catalog: &Catalog) -> Vec<String> {
        self.validate(catalog)
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn price(&self, name: &str, home: &str, book: &mut dyn PriceBook) {
        let requests = book.traffic(name).requests;
        let mut bill = Bill::new(book, name, "Alb");
        let hourly = bill.price("region", "alb", home, "hour");
        bill.add("load balancer, 730 h".to_string(), hourly * HOURS_PER_MONTH);
        let lcus = requests / bill.assume("alb-requests-per-s-per-lcu").max(1e-9);
        let lcu = bill.price("region", "alb", home, "lcu-hour");
        bill.add_used(
            lcus,
            format!("{lcus:.2} LCU, 730 h"),
            lcus * lcu * HOURS_PER_MONTH,
        );
    }

    fn hourly(&self, name: &str, region: &str, book: &mut dyn PriceBook) -> f64 {
        Bill::new(book, name, "Alb").price("region", "alb", region, "hour")
    }

    fn forward(&self, _flow: &FlowConfig, _scenario: &Scenario) -> Forward<'_> {
        Forward::Serves
    }
}

/// A load balancer at run time: the mean success of its targets while its Region is up.
pub struct LoadBalancer {
    name: String,
    region: RegionId,
    targets: Vec<u16>,
}

impl Component for LoadBalancer {
    fn name(&self) -> &str {
        &self.name
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        if !route.health().region_up(self.region) || self.targets.is_empty() {
            return Served::DOWN;
        }
        let sum: f64 = self.targets.iter().map(|&t| route.next(t).ok).sum();
        Served {
            ok: sum / self.targets.len() as f64,
            region: Some(self.region),
        }
    }
}
