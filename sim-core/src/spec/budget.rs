//! RTO/RPO budgets as a scenario writes them (`budgets: [...]`); parsing `--budget` and judging them is
//! [`crate::budget`].

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;

/// What a budget measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    /// Recovery time.
    Rto,
    /// Recovery point (data loss in time).
    Rpo,
}

/// A budget, as written in a scenario (`budgets: [...]`) or parsed from `--budget`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// RTO or RPO.
    pub metric: Metric,
    /// The percentile, 1–100 (100 is the maximum).
    pub percentile: u8,
    /// The limit.
    pub max: SimDuration,
    /// A flow (for RTO) instead of the service.
    #[serde(default)]
    pub flow: Option<String>,
    /// A store (for RPO) instead of the service.
    #[serde(default)]
    pub store: Option<String>,
    /// The disaster this budget applies to (default: whichever the sweep injects).
    #[serde(default)]
    pub disaster: Option<String>,
}
