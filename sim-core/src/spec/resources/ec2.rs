//! A single EC2 instance as a scenario writes it.

use serde::{Deserialize, Serialize};

use crate::engine::dist::Dist;

/// An instance's operating system, which sets its default launch time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Os {
    /// Linux AMIs.
    #[default]
    Linux,
    /// Windows AMIs.
    Windows,
}

/// Time from `RunInstances` (or a reboot) until the instance serves traffic.
///
/// - Linux: `LogNormal("60s", "2m")`. C24 measures ~16 s pending → running and ~26 s to SSH; the
///   application start on top (a Spring Boot service, as in the Unishop lab, ~30 s) is an assumption.
/// - Windows: `LogNormal("15m", "30m")`: C24 says "often ≥ 15 min"; the tail is an assumption.
pub fn default_launch(os: Os) -> Dist {
    match os {
        Os::Linux => Dist::log_normal("60s", "2m"),
        Os::Windows => Dist::log_normal("15m", "30m"),
    }
}

/// A single EC2 instance (e.g. the Unishop lab's one t3.small).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2Config {
    /// Its AZ.
    pub az: String,
    /// Its OS.
    #[serde(default)]
    pub os: Os,
    /// Time from booting until it serves: when a stack creates it, when it reboots after its AZ or Region
    /// comes back, and on new hardware after automatic recovery. `None`: [`default_launch`] of `os`.
    #[serde(default)]
    pub launch: Option<Dist>,
    /// Whether EC2 automatic recovery is on (default: on, as simplified automatic recovery is for
    /// supported instances). After an outright failure of the instance's hardware it moves the instance
    /// to healthy hardware, where it reboots; it does nothing for an AZ or Region outage.
    #[serde(default = "on")]
    pub auto_recovery: bool,
    /// Instance type, for the cost model only (default `"m5.large"`; the Unishop lab uses `"t3.small"`).
    /// `crate::cost::validate` checks it against the price table.
    #[serde(default = "default_instance_type")]
    pub instance_type: String,
}

fn on() -> bool {
    true
}

/// The instance type a scenario gets when it names none.
pub fn default_instance_type() -> String {
    "m5.large".to_string()
}
