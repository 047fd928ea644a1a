//! Test helpers shared by the service models.

use crate::engine::rng::{RngStreams, Stream};

/// Proptest case count: `DRSIM_PROPTEST_CASES`, else `default`.
pub(crate) fn cases(default: u32) -> u32 {
    std::env::var("DRSIM_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The messages of a validation result (empty when it passed).
pub(crate) fn messages(result: Result<(), Vec<super::ConfigError>>) -> Vec<String> {
    result
        .err()
        .unwrap_or_default()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// A stream for seed `seed`.
pub(crate) fn rng(seed: u64) -> Stream {
    RngStreams::new(seed, 0).named("edge-test")
}
