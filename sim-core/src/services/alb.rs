//! Application Load Balancer: target health checks.

use crate::engine::rng::Stream;
use crate::engine::time::SimDuration;
use crate::model::place::Catalog;
use crate::services::checks::{ConfigError, Errors, check_region};
use crate::services::probes::consecutive_probes;
use crate::spec::resources::alb::AlbConfig;

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
