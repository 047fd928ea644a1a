//! RTO/RPO budgets as a scenario writes them (`budgets: [...]`); parsing `--budget` and judging them is
//! [`crate::budget`]. A budget that could not be judged is refused as it is read: a percentile outside
//! 0.1–100 or with more than one decimal, a count for a duration metric (or the reverse), a scope the
//! metric does not have.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::engine::time::SimDuration;

/// What a budget measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    /// Recovery time, of the service or of a flow (`rto`).
    Rto,
    /// Recovery point, the data-loss window: the acknowledgement time whose writes were lost, before or
    /// after the onset; of the service or of a store (`rpo`).
    Rpo,
    /// The pre-onset RPO: from the oldest write missing from before the disaster to its onset; of the
    /// service or of a store (`pre_onset_rpo`).
    PreOnsetRpo,
    /// Acknowledged writes lost, over all stores: a count (`lost_writes`).
    LostWrites,
    /// The exposure window: time the data had no current copy outside its writer's Region (`exposure`).
    Exposure,
    /// Failback time, from the disaster's heal until clients are served from the primary again
    /// (`failback`); over the runs whose disaster healed within the horizon.
    Failback,
    /// Extra downtime after the heal (`failback_downtime`); over the runs that healed.
    FailbackDowntime,
    /// Writes lost after the heal, a count (`failback_lost_writes`); over the runs that healed.
    FailbackLostWrites,
}

impl Metric {
    /// Its name in the text form (`rto`, `rpo`, `pre_onset_rpo`, `lost_writes`).
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Rto => "rto",
            Metric::Rpo => "rpo",
            Metric::PreOnsetRpo => "pre_onset_rpo",
            Metric::LostWrites => "lost_writes",
            Metric::Exposure => "exposure",
            Metric::Failback => "failback",
            Metric::FailbackDowntime => "failback_downtime",
            Metric::FailbackLostWrites => "failback_lost_writes",
        }
    }

    /// Whether its limit is a count of writes rather than a duration.
    pub fn counts_writes(self) -> bool {
        matches!(self, Metric::LostWrites | Metric::FailbackLostWrites)
    }

    /// Whether it is a service-wide figure only (no flow or store scope).
    pub fn service_only(self) -> bool {
        !matches!(self, Metric::Rto | Metric::Rpo | Metric::PreOnsetRpo)
    }
}

/// A percentile with at most one decimal, from 0.1 to 100 (`99`, `99.9`; 100 is the maximum). Held in
/// tenths, so it compares and prints exactly; written as a number (`percentile: 99.9`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percentile(u16);

impl Percentile {
    /// The percentile of `tenths` tenths (`999` is p99.9), if it is within 0.1–100.
    pub fn from_tenths(tenths: u16) -> Option<Percentile> {
        (1..=1000).contains(&tenths).then_some(Percentile(tenths))
    }

    /// A whole percentile, 1–100.
    pub fn whole(p: u8) -> Option<Percentile> {
        Percentile::from_tenths(u16::from(p) * 10)
    }

    /// Its value in tenths.
    pub fn tenths(self) -> u16 {
        self.0
    }

    /// As a fraction in (0, 1]: p99.9 is 0.999.
    pub fn fraction(self) -> f64 {
        f64::from(self.0) / 1000.0
    }

    /// Reads `99`, `99.9` (not `99.95`, `0`, `101`), saying what is wrong.
    pub fn parse(text: &str) -> Result<Percentile, String> {
        let invalid = || format!("percentile {text:?} is not a number from 0.1 to 100");
        let (whole, tenth) = match text.split_once('.') {
            Some((w, t)) if t.len() == 1 => (w, t),
            Some(_) => {
                return Err(format!(
                    "percentile {text:?} has more than one decimal (p99.9 is the finest)"
                ));
            }
            None => (text, "0"),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !digits(tenth) || whole.len() > 3 {
            return Err(invalid());
        }
        let tenths = whole.parse::<u16>().map_err(|_| invalid())? * 10
            + tenth.parse::<u16>().map_err(|_| invalid())?;
        Percentile::from_tenths(tenths).ok_or_else(|| range(text))
    }

    fn from_f64(v: f64) -> Result<Percentile, String> {
        let tenths = (v * 10.0).round();
        if !v.is_finite() || !(1.0..=1000.0).contains(&tenths) {
            return Err(range(&v.to_string()));
        }
        if (v * 10.0 - tenths).abs() > 1e-6 {
            return Err(format!(
                "percentile {v} has more than one decimal (99.9 is the finest)"
            ));
        }
        Ok(Percentile(tenths as u16))
    }
}

fn range(text: &str) -> String {
    format!("percentile {text} is outside 0.1 to 100 (a budget bounds p1 … p100, e.g. 99 or 99.9)")
}

impl fmt::Display for Percentile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 % 10 {
            0 => write!(f, "{}", self.0 / 10),
            t => write!(f, "{}.{t}", self.0 / 10),
        }
    }
}

impl Serialize for Percentile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(10) {
            s.serialize_u64(u64::from(self.0 / 10))
        } else {
            s.serialize_f64(f64::from(self.0) / 10.0)
        }
    }
}

impl<'de> Deserialize<'de> for Percentile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Percentile;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a percentile from 0.1 to 100, e.g. 99 or 99.9")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Percentile, E> {
                u16::try_from(v)
                    .ok()
                    .and_then(|p| p.checked_mul(10))
                    .and_then(Percentile::from_tenths)
                    .ok_or_else(|| E::custom(range(&v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Percentile, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(range(&v.to_string()))),
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Percentile, E> {
                Percentile::from_f64(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A budget's limit: a duration (`"15m"`) for RTO and RPO, a count of writes (`100`) for lost writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// At most this long.
    Duration(SimDuration),
    /// At most this many writes.
    Count(u64),
}

impl Limit {
    /// The limit in the metric's unit: seconds, or writes.
    pub fn value(self) -> f64 {
        match self {
            Limit::Duration(d) => d.as_secs_f64(),
            Limit::Count(n) => n as f64,
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Duration(d) => write!(f, "{d}"),
            Limit::Count(n) => write!(f, "{n}"),
        }
    }
}

impl Serialize for Limit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Limit::Duration(d) => d.serialize(s),
            Limit::Count(n) => s.serialize_u64(*n),
        }
    }
}

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Limit;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as \"15m\" (RTO, RPO) or a count of writes such as 100 (lost writes)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Limit, E> {
                v.parse().map(Limit::Duration).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Limit, E> {
                Ok(Limit::Count(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Limit, E> {
                u64::try_from(v)
                    .map(Limit::Count)
                    .map_err(|_| E::custom(format!("a limit of {v} writes: a count is 0 or more")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Limit, E> {
                Err(E::custom(format!(
                    "a limit of {v}: a count of writes is a whole number, and a duration is written as text such as \"15m\""
                )))
            }
        }
        d.deserialize_any(V)
    }
}

/// A budget, as written in a scenario (`budgets: [...]`) or parsed from `--budget`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "BudgetFields")]
pub struct Budget {
    /// What it bounds: `Rto`, `Rpo` (the data-loss window), `PreOnsetRpo` or `LostWrites`.
    pub metric: Metric,
    /// The percentile, 0.1–100 with at most one decimal (`99`, `99.9`; 100 is the maximum).
    pub percentile: Percentile,
    /// The limit: a duration (`"15m"`) for RTO and RPO, a count (`100`) for `LostWrites`.
    pub max: Limit,
    /// A flow (for RTO) instead of the service.
    #[serde(default)]
    pub flow: Option<String>,
    /// A store (for RPO and pre-onset RPO) instead of the service.
    #[serde(default)]
    pub store: Option<String>,
    /// The disaster this budget applies to (default: whichever the sweep injects).
    #[serde(default)]
    pub disaster: Option<String>,
}

impl Budget {
    /// Why this budget cannot be judged (its limit or scope does not fit its metric), if so.
    pub fn problem(&self) -> Option<String> {
        let metric = self.metric.as_str();
        match (self.metric.counts_writes(), self.max) {
            (true, Limit::Duration(d)) => {
                return Some(format!(
                    "{metric} is a count of writes: give its limit as a number (e.g. 100), not {d}"
                ));
            }
            (false, Limit::Count(n)) => {
                return Some(format!(
                    "{metric} is a duration: give its limit as one (e.g. \"15m\"), not the number {n}"
                ));
            }
            _ => {}
        }
        match (self.metric, &self.flow, &self.store) {
            (_, Some(_), Some(_)) => Some("a budget has a flow or a store, not both".into()),
            (Metric::Rto, None, Some(_)) => Some("stores have an RPO; flows have an RTO".into()),
            (Metric::Rpo | Metric::PreOnsetRpo, Some(_), None) => {
                Some("flows have an RTO; stores have an RPO".into())
            }
            (m, Some(_), _) | (m, _, Some(_)) if m.service_only() => Some(format!(
                "{metric} bounds a figure of the whole service; a flow or store scope is not supported"
            )),
            _ => None,
        }
    }
}

/// The fields as read, checked into a [`Budget`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BudgetFields {
    metric: Metric,
    percentile: Percentile,
    max: Limit,
    #[serde(default)]
    flow: Option<String>,
    #[serde(default)]
    store: Option<String>,
    #[serde(default)]
    disaster: Option<String>,
}

impl TryFrom<BudgetFields> for Budget {
    type Error = String;

    fn try_from(f: BudgetFields) -> Result<Budget, String> {
        let budget = Budget {
            metric: f.metric,
            percentile: f.percentile,
            max: f.max,
            flow: f.flow,
            store: f.store,
            disaster: f.disaster,
        };
        match budget.problem() {
            Some(why) => Err(why),
            None => Ok(budget),
        }
    }
}
