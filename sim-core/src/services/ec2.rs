//! EC2: one instance, its launch time from an AMI and auto-recovery.

use crate::engine::dist::Dist;
use crate::engine::rng::Stream;
use crate::engine::time::SimDuration;
use crate::model::component::{Component, Route, Served};
use crate::model::place::Catalog;
use crate::model::place::Place;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Forward, Placement, Service};
use crate::services::checks::{ConfigError, Errors, check_az};
use crate::services::pricing::Bill;
use crate::spec::resources::ec2::{Ec2Config, default_launch};
use crate::spec::{FlowConfig, Scenario};

impl Ec2Config {
    /// Checks the AZ against the topology and the launch distribution.
    pub fn validate(&self, catalog: &Catalog) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        check_az(&mut errors, catalog, "ec2.az", &self.az, None);
        if let Some(launch) = &self.launch {
            errors.dist("ec2.launch", launch, false);
        }
        errors.finish()
    }

    /// The launch distribution in force.
    pub fn launch_dist(&self) -> Dist {
        self.launch
            .clone()
            .unwrap_or_else(|| default_launch(self.os))
    }

    /// Draws a launch time (from an AMI, e.g. a restore).
    pub fn launch_time(&self, rng: &mut Stream) -> SimDuration {
        self.launch_dist().sample(rng)
    }

    /// Time from a hardware failure until auto-recovery has the instance serving again; `None` when
    /// auto-recovery is off. Assumption: the `StatusCheckFailed_System` alarm fires after 1–3 minutes
    /// (`Uniform("1m", "3m")`), then the instance boots on new hardware like a launch.
    pub fn recovery_time(&self, rng: &mut Stream) -> Option<SimDuration> {
        self.auto_recovery
            .then(|| Dist::uniform("1m", "3m").sample(rng) + self.launch_time(rng))
    }
}

impl Service for Ec2Config {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate(cx.catalog).map_err(|e| cx.invalid(&e))?;
        let (az, region) = cx.catalog.az(&self.az).ok_or_else(|| BuildError::Unknown {
            what: "AZ",
            name: self.az.clone(),
            referenced_by: cx.by(),
        })?;
        Ok(Runtime::Component(Box::new(Ec2 {
            name: cx.name.to_string(),
            place: Place::zonal(region, az),
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Az(&self.az)
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
        Bill::new(book, name, "Ec2").instances("instance_type", home, &self.instance_type, 1);
    }

    fn hourly(&self, name: &str, region: &str, book: &mut dyn PriceBook) -> f64 {
        Bill::new(book, name, "Ec2").instance_hourly("instance_type", region, &self.instance_type)
    }

    fn forward(&self, _flow: &FlowConfig, _scenario: &Scenario) -> Forward<'_> {
        Forward::Serves
    }
}

/// One EC2 instance at run time: up while its AZ is.
pub struct Ec2 {
    name: String,
    place: Place,
}

impl Component for Ec2 {
    fn name(&self) -> &str {
        &self.name
    }

    fn serve(&self, route: &mut dyn Route) -> Served {
        if route.health().place_up(self.place) {
            Served {
                ok: route.backend(self.place.region),
                region: Some(self.place.region),
            }
        } else {
            Served::DOWN
        }
    }
}
