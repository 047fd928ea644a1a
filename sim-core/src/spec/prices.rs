//! Price overrides a scenario gives (`prices: {...}`).

use std::collections::BTreeMap;

/// Price overrides a scenario gives: key (`service/region/item`, see [`crate::cost::prices`]) → value.
pub type PriceOverrides = BTreeMap<String, f64>;
