//! API Gateway + Lambda as a scenario writes it.

use serde::{Deserialize, Serialize};

/// API Gateway + Lambda in one Region: spread over its AZs by AWS, so it survives an AZ loss but not a
/// Region loss.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LambdaConfig {
    /// Its Region.
    pub region: String,
}
