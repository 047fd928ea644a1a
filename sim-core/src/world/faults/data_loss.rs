//! Data loss a store replicates: a bad deploy corrupts it, or an operator deletes it by mistake. Healing
//! does not bring the data back; only a restore does.

use crate::world::faults::{Fault, Hooks, Names};

/// A corruption (or, with `deleted`, a delete) of one store.
pub struct DataLoss {
    name: String,
    store: Option<usize>,
    deleted: bool,
}

impl DataLoss {
    pub fn new(store: &str, deleted: bool, names: &Names<'_>) -> Self {
        DataLoss {
            name: store.to_string(),
            store: (names.store)(store),
            deleted,
        }
    }
}

impl Fault for DataLoss {
    fn describe(&self) -> String {
        if self.deleted {
            format!("{} is deleted by mistake", self.name)
        } else {
            format!("a bad deploy corrupts {}", self.name)
        }
    }

    fn begin(&self, hooks: &mut Hooks<'_>) {
        if let Some(store) = self.store {
            hooks.lose_data(store, self.deleted);
        }
    }

    fn end(&self, _hooks: &mut Hooks<'_>) {}
}
