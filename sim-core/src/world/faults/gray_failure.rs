//! A resource keeps running but fails a share of requests and adds latency.

use crate::engine::time::SimDuration;
use crate::world::faults::{Fault, Hooks, Names};

/// A gray failure of one resource.
pub struct GrayFailure {
    name: String,
    node: Option<u16>,
    error_rate: f64,
    latency: SimDuration,
}

impl GrayFailure {
    pub fn new(resource: &str, error_rate: f64, latency: SimDuration, names: &Names<'_>) -> Self {
        GrayFailure {
            name: resource.to_string(),
            node: (names.node)(resource),
            error_rate,
            latency,
        }
    }
}

impl Fault for GrayFailure {
    fn describe(&self) -> String {
        format!(
            "{} degrades: {:.0} % errors, +{} latency",
            self.name,
            self.error_rate * 100.0,
            self.latency
        )
    }

    fn begin(&self, hooks: &mut Hooks<'_>) {
        if let Some(node) = self.node {
            let degradation = (self.error_rate, self.latency.as_micros());
            hooks.health.set_degraded(node, Some(degradation));
        }
    }

    fn end(&self, hooks: &mut Hooks<'_>) {
        if let Some(node) = self.node {
            hooks.health.set_degraded(node, None);
        }
    }
}
