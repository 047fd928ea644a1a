//! A CloudWatch alarm as a scenario writes it.

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;

/// A metric alarm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlarmConfig {
    /// What it watches (a resource or metric name), for the step log.
    pub watches: String,
    /// Datapoint period: 60 s default; 10 s, 30 s or a multiple of 60 s.
    #[serde(default = "default_period")]
    pub period: SimDuration,
    /// N: how many recent datapoints are evaluated (≥ 1; N × period ≤ 1 day).
    #[serde(default = "default_one")]
    pub evaluation_periods: u32,
    /// M: how many of the N must breach to alarm (1..=N).
    #[serde(default = "default_one")]
    pub datapoints_to_alarm: u32,
    /// Delay between a period's end and its datapoint's evaluation. Default 30 s (assumption).
    #[serde(default = "default_publication_delay")]
    pub publication_delay: SimDuration,
}

fn default_period() -> SimDuration {
    SimDuration::from_secs(60)
}

fn default_one() -> u32 {
    1
}

fn default_publication_delay() -> SimDuration {
    SimDuration::from_secs(30)
}

impl AlarmConfig {
    /// An alarm on `watches` alarming on `m` of `n` one-minute datapoints.
    pub fn new(watches: &str, m: u32, n: u32) -> Self {
        AlarmConfig {
            watches: watches.to_string(),
            period: default_period(),
            evaluation_periods: n,
            datapoints_to_alarm: m,
            publication_delay: default_publication_delay(),
        }
    }
}
