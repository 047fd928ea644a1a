//! A CloudWatch alarm as a scenario writes it: what it watches, the metric, the statistic each period's
//! datapoint takes, the comparison with a threshold, and M out of N (CloudWatch User Guide, *Using Amazon
//! CloudWatch alarms*; `PutMetricAlarm`).

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;

/// Whether `watches` names a flow or a resource (needed only when both have the name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlarmSource {
    /// A client flow: the metric is what its clients experience (a canary or the client-side error rate).
    Flow,
    /// A resource: the metric is the share of requests it serves (its own error metrics).
    Resource,
}

/// What the alarm's metric measures, in `[0, 1]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlarmMetric {
    /// The share of requests that succeed.
    #[default]
    SuccessRate,
    /// The share of requests that fail (5XX ÷ requests): 1 − `SuccessRate`.
    ErrorRate,
}

/// How a period's samples become its datapoint (CloudWatch statistics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Statistic {
    /// The time-weighted mean over the period.
    Average,
    /// The lowest value in the period: a partly bad period already has a low minimum.
    #[default]
    Minimum,
    /// The highest value in the period.
    Maximum,
}

/// How the datapoint is compared with the threshold: a datapoint *breaches* when the comparison holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    /// `datapoint > threshold`.
    GreaterThanThreshold,
    /// `datapoint ≥ threshold`.
    GreaterThanOrEqualToThreshold,
    /// `datapoint < threshold`.
    #[default]
    LessThanThreshold,
    /// `datapoint ≤ threshold`.
    LessThanOrEqualToThreshold,
}

/// How the alarm treats periods without data (CloudWatch `TreatMissingData`; default `Missing`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MissingData {
    /// Left out; with all N missing the alarm goes to `INSUFFICIENT_DATA` (which triggers nothing).
    #[default]
    Missing,
    /// Counted as breaching.
    Breaching,
    /// Counted as not breaching.
    NotBreaching,
    /// The alarm keeps its state while the latest datapoint is missing.
    Ignore,
}

/// A metric alarm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlarmConfig {
    /// What it watches: a flow or a resource, by name.
    pub watches: String,
    /// Whether `watches` is a flow or a resource; `None`: whichever has that name (an error when both do).
    #[serde(default)]
    pub source: Option<AlarmSource>,
    /// The metric: `SuccessRate` (default) or `ErrorRate`, in `[0, 1]`.
    #[serde(default)]
    pub metric: AlarmMetric,
    /// The statistic of each period: `Minimum` (default: a partly bad period breaches), `Average`,
    /// `Maximum`.
    #[serde(default)]
    pub statistic: Statistic,
    /// The comparison that makes a datapoint breach: `LessThanThreshold` default.
    #[serde(default)]
    pub comparison: Comparison,
    /// The threshold, in `[0, 1]`; `None`: the watched flow's SLO (0.99 for a resource).
    #[serde(default)]
    pub threshold: Option<f64>,
    /// Datapoint period: 60 s default; 10 s, 30 s or a multiple of 60 s.
    #[serde(default = "default_period")]
    pub period: SimDuration,
    /// N: how many recent datapoints are evaluated (≥ 1; N × period ≤ 1 day).
    #[serde(default = "default_one")]
    pub evaluation_periods: u32,
    /// M: how many of the N must breach to alarm (1..=N).
    #[serde(default = "default_one")]
    pub datapoints_to_alarm: u32,
    /// How periods without data count (`Missing` default). A resource publishes nothing while it does
    /// not exist or its Region is down; a flow always has data.
    #[serde(default)]
    pub treat_missing_data: MissingData,
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
    /// An alarm on `watches` alarming on `m` of `n` one-minute datapoints, every other field default.
    pub fn new(watches: &str, m: u32, n: u32) -> Self {
        AlarmConfig {
            watches: watches.to_string(),
            source: None,
            metric: AlarmMetric::default(),
            statistic: Statistic::default(),
            comparison: Comparison::default(),
            threshold: None,
            period: default_period(),
            evaluation_periods: n,
            datapoints_to_alarm: m,
            treat_missing_data: MissingData::default(),
            publication_delay: default_publication_delay(),
        }
    }
}
