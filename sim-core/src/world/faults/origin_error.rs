//! An origin answers every request with an HTTP error status (the Unishop lab's 403 from a broken bucket
//! policy).

use crate::world::faults::{Fault, Hooks, Names};

/// One resource answering an error status.
pub struct OriginError {
    name: String,
    node: Option<u16>,
    status: u16,
}

impl OriginError {
    pub fn new(resource: &str, status: u16, names: &Names<'_>) -> Self {
        OriginError {
            name: resource.to_string(),
            node: (names.node)(resource),
            status,
        }
    }
}

impl Fault for OriginError {
    fn describe(&self) -> String {
        format!("{} starts answering HTTP {}", self.name, self.status)
    }

    fn begin(&self, hooks: &mut Hooks<'_>) {
        if let Some(node) = self.node {
            hooks.health.set_status(node, Some(self.status));
        }
    }

    fn end(&self, hooks: &mut Hooks<'_>) {
        if let Some(node) = self.node {
            hooks.health.set_status(node, None);
        }
    }
}
