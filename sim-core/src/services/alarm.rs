//! CloudWatch alarms: a metric (a flow's or a resource's success or error rate) cut into periods, each
//! period's datapoint a statistic of it, a comparison with a threshold, and "M out of N" (CloudWatch User
//! Guide, *Using Amazon CloudWatch alarms*; `PutMetricAlarm`).
//!
//! **How it runs.** The world hands the alarm its metric after every event ([`Reading`]: the value and
//! its slope until the next event, so the metric is known exactly as linear pieces). Periods are aligned
//! on a grid with a random phase (CloudWatch aligns them on the clock, which runs independently of the
//! disaster). When the metric changes, the alarm evaluates each period's datapoint `publication_delay`
//! after the period ends, over the last N datapoints, and keeps doing so only until the metric has been
//! constant for N whole periods: then every later datapoint is the same and the state cannot change, so
//! it stops until the next change. Work follows the metric's changes, never the horizon.
//!
//! **Assumptions.** A datapoint is evaluated `publication_delay` after its period ends (ingestion and the
//! alarm's evaluation tick; CloudWatch publishes no figure). A resource publishes no data while it does
//! not exist or its Region is down; a flow's metric (what its clients see, e.g. a canary) always has
//! data. Missing data: `Missing` leaves such datapoints out (all N missing: `INSUFFICIENT_DATA`),
//! `Breaching`/`NotBreaching` count them, `Ignore` keeps the state while the newest is missing. The
//! alarm's state before time zero is that of the metric's value at time zero, held forever (the steady
//! state); actions (runbooks) run on transitions into `ALARM` only.

use std::collections::VecDeque;

use crate::engine::time::{SimDuration, SimTime};
use crate::model::component::{Component, Gauge, Reading};
use crate::model::ctx::{Ctx, Phase};
use crate::model::place::Catalog;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Expect, Placement, Reference, Service};
use crate::model::stream_name::StreamName;
use crate::services::checks::{ConfigError, Errors};
use crate::services::pricing::{Bill, GLOBAL};
use crate::services::probes::phase;
use crate::spec::resources::alarm::{
    AlarmConfig, AlarmMetric, AlarmSource, Comparison, MissingData, Statistic,
};

/// The threshold of a resource alarm that names none.
const RESOURCE_THRESHOLD: f64 = 0.99;

impl AlarmConfig {
    /// Checks the period, `1 ≤ datapoints_to_alarm ≤ evaluation_periods` and the threshold; reports all
    /// problems.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        let us = self.period.as_micros();
        let minute = 60_000_000;
        errors.check(
            us == 10_000_000 || us == 30_000_000 || (us > 0 && us.is_multiple_of(minute)),
            "alarm.period",
            self.period,
            "10s, 30s or a multiple of 60s",
        );
        errors.check(
            self.evaluation_periods >= 1
                && self
                    .period
                    .saturating_mul(u64::from(self.evaluation_periods))
                    <= SimDuration::from_hours(24),
            "alarm.evaluation_periods",
            self.evaluation_periods,
            "at least 1, with evaluation_periods × period at most 1d",
        );
        errors.check(
            self.datapoints_to_alarm >= 1 && self.datapoints_to_alarm <= self.evaluation_periods,
            "alarm.datapoints_to_alarm",
            self.datapoints_to_alarm,
            format!("1..={} (evaluation_periods)", self.evaluation_periods),
        );
        if let Some(threshold) = self.threshold {
            errors.check(
                (0.0..=1.0).contains(&threshold),
                "alarm.threshold",
                threshold,
                "a rate in [0, 1] (e.g. 0.99, or 0.05 for an ErrorRate)",
            );
        }
        errors.finish()
    }

    /// Whether datapoint `value` breaches `threshold` under this alarm's comparison.
    pub fn breaches(&self, value: f64, threshold: f64) -> bool {
        match self.comparison {
            Comparison::GreaterThanThreshold => value > threshold,
            Comparison::GreaterThanOrEqualToThreshold => value >= threshold,
            Comparison::LessThanThreshold => value < threshold,
            Comparison::LessThanOrEqualToThreshold => value <= threshold,
        }
    }

    /// What `watches` names in `scenario`: a flow's index or a resource's (`resolve`), or why neither.
    fn watched(
        &self,
        scenario: &crate::spec::Scenario,
        resolve: &dyn Fn(&str) -> Option<u16>,
    ) -> Result<Gauge, String> {
        let flow = scenario.flows.iter().position(|f| f.name == self.watches);
        let node = resolve(&self.watches);
        let name = &self.watches;
        match (self.source, flow, node) {
            (Some(AlarmSource::Flow), Some(f), _) | (None, Some(f), None) => Ok(Gauge::Flow(f)),
            (Some(AlarmSource::Resource), _, Some(n)) | (None, None, Some(n)) => Ok(Gauge::Node(n)),
            (None, Some(_), Some(_)) => Err(format!(
                "watches {name:?}, which names both a flow and a resource; \
                 say which with source: Flow or source: Resource"
            )),
            (Some(AlarmSource::Flow), None, _) => {
                Err(format!("watches flow {name:?}, which does not exist"))
            }
            (Some(AlarmSource::Resource), _, None) => {
                Err(format!("watches resource {name:?}, which does not exist"))
            }
            (None, None, None) => Err(format!(
                "watches {name:?}, which is neither a flow nor a resource"
            )),
        }
    }

    /// Why `watches` is ambiguous or names no flow it says it does, for validation (a missing resource is
    /// reported with the other references).
    pub fn watch_problem(&self, scenario: &crate::spec::Scenario) -> Option<String> {
        let has_resource = scenario.resources.contains_key(&self.watches);
        if self.source.is_none() && !has_resource {
            return None;
        }
        if self.source == Some(AlarmSource::Resource) {
            return None;
        }
        let resolve = |n: &str| scenario.resources.contains_key(n).then_some(0);
        self.watched(scenario, &resolve).err()
    }
}

impl Service for AlarmConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate().map_err(|e| cx.invalid(&e))?;
        let gauge = self
            .watched(cx.scenario, cx.resolve)
            .map_err(|e| cx.invalid(&[e]))?;
        let threshold = self.threshold.unwrap_or(match gauge {
            Gauge::Flow(f) => cx.scenario.flows[f].slo,
            Gauge::Node(_) => RESOURCE_THRESHOLD,
        });
        let mut rng = StreamName::resource(cx.name).stream(cx.streams);
        Ok(Runtime::Component(Box::new(Alarm {
            name: cx.name,
            cfg: self,
            gauge,
            threshold,
            phase: phase(self.period, &mut rng),
            state: State::Ok,
            pieces: Vec::new(),
            recent: VecDeque::new(),
            next_end: None,
            changed_at: SimTime::ZERO,
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Global
    }

    fn references(&self) -> Vec<Reference<'_>> {
        let expects = match self.source {
            // A flow is not a vertex of the topology: validation checks it exists.
            Some(AlarmSource::Flow) => return Vec::new(),
            Some(AlarmSource::Resource) => Expect::Any,
            None => Expect::ResourceOrFlow,
        };
        vec![Reference::dependency(&self.watches, "resource or flow").expecting(expects)]
    }

    fn check(&self, _name: &str, _catalog: &Catalog) -> Vec<String> {
        self.validate()
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn price(&self, name: &str, _home: &str, book: &mut dyn PriceBook) {
        let mut bill = Bill::new(book, name, "Alarm");
        let monthly = bill.price("watches", "cloudwatch", GLOBAL, "alarm-month");
        bill.add("metric alarm".to_string(), monthly);
    }
}

/// An alarm's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Ok,
    Alarm,
    InsufficientData,
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::Ok => "OK",
            State::Alarm => "ALARM",
            State::InsufficientData => "INSUFFICIENT_DATA",
        }
    }
}

/// One period's datapoint, compared with the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Datapoint {
    /// The comparison holds.
    Breaching,
    /// It does not.
    Fine,
    /// No data in the period.
    Missing,
}

/// The metric from `from` until the next piece: `value + slope · (t − from)`, or no data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Piece {
    from: SimTime,
    value: Option<f64>,
    slope_per_s: f64,
}

impl Piece {
    fn at(&self, t: SimTime) -> Option<f64> {
        let dt = t.saturating_since(self.from).as_secs_f64();
        self.value
            .map(|v| (v + self.slope_per_s * dt).clamp(0.0, 1.0))
    }
}

/// The statistic of the metric `pieces` (in time order, the first starting at or before `a`) over
/// `[a, b)`; `None` when no part of it has data.
pub(crate) fn statistic(pieces: &[Piece], a: SimTime, b: SimTime, stat: Statistic) -> Option<f64> {
    let (mut sum, mut len, mut lo, mut hi) = (0.0, 0.0, f64::INFINITY, f64::NEG_INFINITY);
    for (i, piece) in pieces.iter().enumerate() {
        let start = piece.from.max(a);
        let end = pieces.get(i + 1).map_or(b, |next| next.from.min(b));
        if end <= start || piece.value.is_none() {
            continue;
        }
        let (Some(v0), Some(v1)) = (piece.at(start), piece.at(end)) else {
            continue;
        };
        let span = end.saturating_since(start).as_secs_f64();
        sum += (v0 + v1) / 2.0 * span;
        len += span;
        lo = lo.min(v0).min(v1);
        hi = hi.max(v0).max(v1);
    }
    (len > 0.0).then(|| match stat {
        Statistic::Average => sum / len,
        Statistic::Minimum => lo,
        Statistic::Maximum => hi,
    })
}

/// The state after the datapoints `recent` (oldest first), from state `was`: ALARM when at least `m`
/// breach (missing ones counted as `missing` says), INSUFFICIENT_DATA when all are missing and left out,
/// the state kept when `Ignore` meets a missing newest datapoint, else OK.
fn decide(recent: &VecDeque<Datapoint>, m: u32, missing: MissingData, was: State) -> State {
    let counted = |p: &Datapoint| match (p, missing) {
        (Datapoint::Breaching, _) | (Datapoint::Missing, MissingData::Breaching) => Some(true),
        (Datapoint::Fine, _) | (Datapoint::Missing, MissingData::NotBreaching) => Some(false),
        (Datapoint::Missing, _) => None,
    };
    let breaching = recent.iter().filter(|p| counted(p) == Some(true)).count();
    if breaching >= m as usize {
        State::Alarm
    } else if missing == MissingData::Ignore && recent.back() == Some(&Datapoint::Missing) {
        was
    } else if recent.iter().all(|p| counted(p).is_none()) {
        State::InsufficientData
    } else {
        State::Ok
    }
}

/// An alarm at run time: its metric's recent pieces, its last N datapoints and its state.
pub struct Alarm<'s> {
    name: &'s str,
    cfg: &'s AlarmConfig,
    gauge: Gauge,
    threshold: f64,
    /// Offset of the period grid from time zero, in `[0, period)`.
    phase: SimDuration,
    state: State,
    /// The metric from the start of the next datapoint to evaluate on (empty before the first reading).
    pieces: Vec<Piece>,
    /// The last N datapoints evaluated, oldest first.
    recent: VecDeque<Datapoint>,
    /// The end of the period whose datapoint is evaluated next (its wake-up is pending); `None`: idle.
    next_end: Option<SimTime>,
    /// When the metric last changed.
    changed_at: SimTime,
}

impl Alarm<'_> {
    /// The end of the period that contains `t`.
    fn period_end(&self, t: SimTime) -> SimTime {
        let (t, p, first) = (
            t.as_micros(),
            self.cfg.period.as_micros().max(1),
            self.phase.as_micros(),
        );
        SimTime::from_micros(if t < first {
            first
        } else {
            first + ((t - first) / p + 1) * p
        })
    }

    fn datapoint(&self, a: SimTime, b: SimTime) -> Datapoint {
        match statistic(&self.pieces, a, b, self.cfg.statistic) {
            None => Datapoint::Missing,
            Some(v) if self.cfg.breaches(v, self.threshold) => Datapoint::Breaching,
            Some(_) => Datapoint::Fine,
        }
    }

    fn wake_for(&mut self, cx: &mut Ctx<'_>, end: SimTime) {
        self.next_end = Some(end);
        cx.wake_at(end + self.cfg.publication_delay, 0);
    }
}

impl Component for Alarm<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn gauge(&self) -> Option<Gauge> {
        Some(self.gauge)
    }

    fn read(&mut self, cx: &mut Ctx<'_>, reading: Reading) {
        let (value, slope_per_s) = match self.cfg.metric {
            AlarmMetric::SuccessRate => (reading.value, reading.slope_per_s),
            AlarmMetric::ErrorRate => (reading.value.map(|v| 1.0 - v), -reading.slope_per_s),
        };
        let piece = Piece {
            from: cx.now,
            value,
            slope_per_s,
        };
        let Some(last) = self.pieces.last().copied() else {
            // The first reading: the steady state, held since forever.
            self.pieces.push(piece);
            let n = self.cfg.evaluation_periods as usize;
            let p = self.cfg.period;
            let point = self.datapoint(cx.now, cx.now + p);
            self.recent = std::iter::repeat_n(point, n).collect();
            self.state = decide(
                &self.recent,
                self.cfg.datapoints_to_alarm,
                self.cfg.treat_missing_data,
                State::Ok,
            );
            if slope_per_s != 0.0 {
                let end = self.period_end(cx.now);
                self.wake_for(cx, end);
            }
            return;
        };
        let same = match (last.at(cx.now), value) {
            (None, None) => true,
            (Some(a), Some(b)) => (a - b).abs() < 1e-12,
            _ => false,
        } && (last.slope_per_s - slope_per_s).abs() < 1e-15;
        if same {
            return;
        }
        if last.from == cx.now {
            self.pieces.pop();
        }
        self.pieces.push(piece);
        self.changed_at = cx.now;
        if self.next_end.is_none() {
            let end = self.period_end(cx.now);
            self.wake_for(cx, end);
        }
    }

    fn on_wake(&mut self, cx: &mut Ctx<'_>, _token: u32) -> bool {
        let Some(end) = self
            .next_end
            .filter(|&e| e + self.cfg.publication_delay == cx.now)
        else {
            return false;
        };
        let p = self.cfg.period;
        let point = self.datapoint(end.saturating_sub(p), end);
        self.recent.push_back(point);
        let n = self.cfg.evaluation_periods as usize;
        while self.recent.len() > n {
            self.recent.pop_front();
        }
        // The next datapoint starts at `end`: earlier pieces are no longer needed.
        let keep = self.pieces.partition_point(|piece| piece.from <= end);
        self.pieces.drain(..keep.saturating_sub(1));
        // Stable once the last N datapoints all lie where the metric is constant: every later one is the
        // same, so the state cannot change until the metric does.
        let oldest = end.saturating_sub(p.saturating_mul(n as u64));
        let constant = self.pieces.last().is_none_or(|l| l.slope_per_s == 0.0);
        if constant && self.changed_at <= oldest {
            self.next_end = None;
        } else {
            self.wake_for(cx, end + p);
        }
        let was = self.state;
        self.state = decide(
            &self.recent,
            self.cfg.datapoints_to_alarm,
            self.cfg.treat_missing_data,
            was,
        );
        if self.state == was {
            return false;
        }
        let (name, state) = (self.name, self.state.name());
        // Going to ALARM (or back to OK) is noticing; running out of data is not.
        let phase = match self.state {
            State::InsufficientData => Phase::Info,
            State::Ok | State::Alarm => Phase::Detection,
        };
        let (m, n, period) = (
            self.cfg.datapoints_to_alarm,
            self.cfg.evaluation_periods,
            self.cfg.period.human(),
        );
        let watches = &self.cfg.watches;
        cx.log(name, phase, || {
            let why = match self.state {
                State::Alarm => format!(
                    ": {m} of the last {n} datapoints ({period} periods) of {watches} breach the threshold"
                ),
                State::Ok => format!(": {watches} is within the threshold again"),
                State::InsufficientData => format!(": {watches} publishes no datapoints"),
            };
            format!("CloudWatch alarm {name} → {state}{why}")
        });
        self.state == State::Alarm
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::services::testing::messages;

    fn at(s: u64) -> SimTime {
        SimTime::at(SimDuration::from_secs(s))
    }

    fn piece(from: u64, value: Option<f64>, slope_per_s: f64) -> Piece {
        Piece {
            from: at(from),
            value,
            slope_per_s,
        }
    }

    #[test]
    fn validation_names_field_and_range() {
        let bad = AlarmConfig {
            period: SimDuration::from_secs(45),
            threshold: Some(1.5),
            ..AlarmConfig::new("x", 4, 3)
        };
        assert_eq!(
            messages(bad.validate()),
            [
                "alarm.period is 45s, but must be 10s, 30s or a multiple of 60s",
                "alarm.datapoints_to_alarm is 4, but must be 1..=3 (evaluation_periods)",
                "alarm.threshold is 1.5, but must be a rate in [0, 1] (e.g. 0.99, or 0.05 for an ErrorRate)",
            ]
        );
    }

    #[test]
    fn statistics_of_linear_pieces_with_a_gap() {
        // 1 until 10 s, a ramp from 0 to 1 over [10, 20), no data over [20, 30), 0.5 after.
        let pieces = [
            piece(0, Some(1.0), 0.0),
            piece(10, Some(0.0), 0.1),
            piece(20, None, 0.0),
            piece(30, Some(0.5), 0.0),
        ];
        let stat = |a, b, s| statistic(&pieces, at(a), at(b), s).unwrap();
        assert!((stat(0, 20, Statistic::Average) - 0.75).abs() < 1e-12);
        assert!((stat(0, 40, Statistic::Average) - (10.0 + 5.0 + 5.0) / 30.0).abs() < 1e-12);
        assert!(stat(5, 40, Statistic::Minimum).abs() < 1e-12);
        assert!((stat(12, 18, Statistic::Maximum) - 0.8).abs() < 1e-12);
        assert_eq!(statistic(&pieces, at(21), at(29), Statistic::Average), None);
    }

    #[test]
    fn m_of_n_and_missing_data() {
        use Datapoint::{Breaching as B, Fine as F, Missing as X};
        let check = |points: &[Datapoint], m: u32, missing: MissingData, was: State| {
            decide(&points.iter().copied().collect(), m, missing, was)
        };
        assert_eq!(
            check(&[B, F, B], 2, MissingData::Missing, State::Ok),
            State::Alarm
        );
        assert_eq!(
            check(&[B, F, F], 2, MissingData::Missing, State::Alarm),
            State::Ok
        );
        assert_eq!(
            check(&[X, X, X], 1, MissingData::Missing, State::Alarm),
            State::InsufficientData
        );
        assert_eq!(
            check(&[X, X, B], 2, MissingData::Breaching, State::Ok),
            State::Alarm
        );
        assert_eq!(
            check(&[X, X, B], 2, MissingData::NotBreaching, State::Ok),
            State::Ok
        );
        assert_eq!(
            check(&[B, B, X], 3, MissingData::Ignore, State::Alarm),
            State::Alarm
        );
        assert_eq!(
            check(&[F, F, X], 1, MissingData::Ignore, State::Alarm),
            State::Alarm
        );
        assert_eq!(
            check(&[X, X, F], 1, MissingData::Ignore, State::Alarm),
            State::Ok
        );
    }
}
