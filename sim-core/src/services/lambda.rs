//! API Gateway + Lambda: regional, multi-AZ; available while its Region is.

use crate::model::place::{Catalog, Health, RegionId};
use crate::services::checks::{ConfigError, Errors, check_region};
use crate::spec::resources::lambda::LambdaConfig;

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
