//! Application servers in an on-premises site, as a scenario writes them.

use serde::{Deserialize, Serialize};

/// The application tier of an on-premises site: its servers answer while the site is up, calling the
/// flow's data store from the site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnPremAppConfig {
    /// The site it runs in (an entry of `regions` with a `site`).
    pub site: String,
}
