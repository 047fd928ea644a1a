//! Nothing fails: a planned event (a switchover drill). Runbooks triggered at `Onset` run, and their impact
//! is measured like any disaster's.

use crate::world::faults::{Fault, Hooks};

/// A planned event.
pub struct Planned {
    what: String,
}

impl Planned {
    pub fn new(what: &str) -> Self {
        Planned {
            what: what.to_string(),
        }
    }
}

impl Fault for Planned {
    fn describe(&self) -> String {
        format!("planned event begins: {}", self.what)
    }

    fn begin(&self, _hooks: &mut Hooks<'_>) {}

    fn end(&self, _hooks: &mut Hooks<'_>) {}
}
