//! One resource fails outright (an instance, a database's writer instance).

use crate::world::faults::{Fault, Hooks, Names};

/// The failure of one resource.
pub struct ResourceFailure {
    name: String,
    node: Option<u16>,
}

impl ResourceFailure {
    pub fn new(resource: &str, names: &Names<'_>) -> Self {
        ResourceFailure {
            name: resource.to_string(),
            node: (names.node)(resource),
        }
    }
}

impl Fault for ResourceFailure {
    fn describe(&self) -> String {
        format!("{} fails", self.name)
    }

    fn begin(&self, hooks: &mut Hooks<'_>) {
        if let Some(node) = self.node {
            hooks.health.set_resource_failed(node, true);
        }
    }

    fn end(&self, hooks: &mut Hooks<'_>) {
        if let Some(node) = self.node {
            hooks.health.set_resource_failed(node, false);
        }
    }
}
