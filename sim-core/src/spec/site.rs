//! On-premises sites as a scenario writes them: a company's own data centre, listed beside the Regions,
//! and the link (Site-to-Site VPN or Direct Connect) that bounds how fast data can leave it.

use serde::{Deserialize, Serialize};

/// What makes an entry of `regions` an on-premises data centre rather than an AWS Region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's link to AWS.
    pub link: LinkConfig,
}

/// How the site reaches AWS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkConfig {
    /// A Site-to-Site VPN over the Internet or a Direct Connect connection.
    pub kind: LinkKind,
    /// Usable bandwidth out of the site, in Mbit/s. Default: the kind's (C31: a VPN tunnel carries up to
    /// 1,250 Mbit/s; C32: the smallest dedicated Direct Connect port is 1 Gbit/s).
    #[serde(default)]
    pub bandwidth_mbps: Option<u32>,
}

/// The kind of link between a site and AWS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    /// AWS Site-to-Site VPN: IPsec tunnels over the Internet.
    Vpn,
    /// AWS Direct Connect: a dedicated port.
    DirectConnect,
}

impl LinkKind {
    /// The bandwidth a link of this kind carries when the scenario names none, in Mbit/s.
    pub fn default_bandwidth_mbps(self) -> u32 {
        match self {
            LinkKind::Vpn => 1_250,
            LinkKind::DirectConnect => 1_000,
        }
    }
}

impl LinkConfig {
    /// The link's bandwidth in Mbit/s.
    pub fn bandwidth_mbps(&self) -> u32 {
        self.bandwidth_mbps
            .unwrap_or_else(|| self.kind.default_bandwidth_mbps())
    }
}
