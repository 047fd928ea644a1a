//! A flow's success ratio over time, exactly: resolver-cache shares times per-answer success (the RTO
//! measured from it is [`crate::measure::rto`]).
//!
//! The world records two kinds of step functions per flow while it runs: the entry DNS record's answer
//! history (which answer Route 53 gave, from when) and, for each possible answer, the success ratio of the
//! path behind it. Clients hold the answer that was current `a ~ U[0, TTL)` ago (resolver caches), so the
//! share of clients on each answer moves linearly over one TTL after a change, and the flow's success ratio
//!
//! `r(t) = Σ_answers share(t) · ok(t)`
//!
//! is piecewise linear. Everything below is exact integration of that function; no sampling on a grid, so
//! the cost follows the number of state changes, not the horizon.
//!

use crate::engine::time::{SimDuration, SimTime};

/// A step function of time: `(from, value)` pairs in time order; the value before the first pair is the
/// first pair's value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Steps {
    points: Vec<(SimTime, f64)>,
}

impl Steps {
    /// A function that is `value` from time zero.
    pub fn constant(value: f64) -> Self {
        Steps {
            points: vec![(SimTime::ZERO, value)],
        }
    }

    /// Records that the value is `value` from `at` on (ignored when unchanged). `at` must not precede the
    /// last recorded time; a value recorded twice at one instant keeps the last.
    pub fn set(&mut self, at: SimTime, value: f64) {
        match self.points.last_mut() {
            Some(last) if last.0 == at => last.1 = value,
            Some(last) if last.1.to_bits() == value.to_bits() => {}
            _ => self.points.push((at, value)),
        }
    }

    /// The value at `t`.
    pub fn at(&self, t: SimTime) -> f64 {
        let i = self.points.partition_point(|&(from, _)| from <= t);
        match i {
            0 => self.points.first().map_or(0.0, |p| p.1),
            i => self.points[i - 1].1,
        }
    }

    /// The change points.
    pub fn points(&self) -> &[(SimTime, f64)] {
        &self.points
    }
}

/// One flow's recorded behaviour: the answer shares Route 53 gave over time and the success ratio of the
/// path behind each answer.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowTimeline {
    /// Resolver cache TTL of the entry record (zero when the entry is not a DNS record).
    pub ttl: SimDuration,
    /// `answer_share[k]`: the share of fresh DNS answers pointing at target `k`, over time.
    pub answer_share: Vec<Steps>,
    /// `ok[k]`: the success ratio of requests that go to target `k`, over time.
    pub ok: Vec<Steps>,
}

pub(crate) fn secs(t: SimTime) -> f64 {
    t.since_start().as_secs_f64()
}

impl FlowTimeline {
    /// A single-target flow (no DNS caches).
    pub fn single() -> Self {
        FlowTimeline {
            ttl: SimDuration::ZERO,
            answer_share: vec![Steps::constant(1.0)],
            ok: vec![Steps::constant(1.0)],
        }
    }

    /// Client share of target `k` at `t` (seconds): the mean of its answer share over `[t − TTL, t)`.
    pub fn client_share(&self, k: usize, t: f64) -> f64 {
        let ttl = self.ttl.as_secs_f64();
        let steps = &self.answer_share[k];
        if ttl <= 0.0 {
            return steps.at(to_time(t));
        }
        integrate_steps(steps, t - ttl, t) / ttl
    }

    /// The success ratio `r(t)`, `t` in seconds since the start.
    pub fn ratio(&self, t: f64) -> f64 {
        let at = to_time(t);
        let r: f64 = (0..self.ok.len())
            .map(|k| self.client_share(k, t) * self.ok[k].at(at))
            .sum();
        r.clamp(0.0, 1.0)
    }

    /// Times (seconds) at which `r` may change slope: answer changes, their ends one TTL later, and success
    /// changes; sorted and deduplicated, restricted to `[from, to]` with both ends included.
    fn breakpoints(&self, from: f64, to: f64) -> Vec<f64> {
        let ttl = self.ttl.as_secs_f64();
        let mut points = vec![from, to];
        for steps in &self.answer_share {
            for &(t, _) in steps.points() {
                points.push(secs(t));
                points.push(secs(t) + ttl);
            }
        }
        for steps in &self.ok {
            points.extend(steps.points().iter().map(|&(t, _)| secs(t)));
        }
        points.retain(|&p| p >= from && p <= to);
        points.sort_by(f64::total_cmp);
        points.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        points
    }

    /// ∫ r over `[a, b]` (seconds), exact: `r` is linear on the open interval between breakpoints (it may
    /// jump at them), so each piece's integral is its length times `r` at its midpoint.
    pub fn integral(&self, a: f64, b: f64) -> f64 {
        Linear::new(self, a, b).integral(a, b)
    }
}

/// `r` on `[from, to]` as linear pieces with prefix integrals, built once per measurement.
pub(crate) struct Linear {
    /// `(start, end, value just after start, slope)` per piece, in order, covering `[from, to]`.
    pieces: Vec<(f64, f64, f64, f64)>,
    /// `prefix[i]` = ∫ r from `from` to the start of piece `i`.
    prefix: Vec<f64>,
}

impl Linear {
    pub(crate) fn new(tl: &FlowTimeline, from: f64, to: f64) -> Self {
        let points = tl.breakpoints(from, to);
        let mut pieces = Vec::with_capacity(points.len());
        let mut prefix = Vec::with_capacity(points.len());
        let mut total = 0.0;
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            // Linear on (a, b): two interior samples give the line exactly.
            let (qa, qb) = (a + (b - a) / 4.0, a + 3.0 * (b - a) / 4.0);
            let (ra, rb) = (tl.ratio(qa), tl.ratio(qb));
            let slope = if b > a { (rb - ra) / (qb - qa) } else { 0.0 };
            let start_value = ra - slope * (qa - a);
            prefix.push(total);
            total += (b - a) * (ra + rb) / 2.0;
            pieces.push((a, b, start_value, slope));
        }
        Linear { pieces, prefix }
    }

    /// The function as a polyline: each piece's start and end `(t, r)`, so a jump at a breakpoint shows
    /// as two points at one instant.
    pub(crate) fn polyline(&self) -> Vec<(f64, f64)> {
        self.pieces
            .iter()
            .flat_map(|&(a, b, v, slope)| [(a, v), (b, v + slope * (b - a))])
            .collect()
    }

    /// `(start, end, value just after start, slope)` per piece, in order.
    pub(crate) fn pieces(&self) -> impl Iterator<Item = (f64, f64, f64, f64)> + '_ {
        self.pieces.iter().copied()
    }

    pub(crate) fn breaks(&self) -> impl Iterator<Item = f64> + '_ {
        self.pieces
            .iter()
            .map(|p| p.0)
            .chain(self.pieces.last().map(|p| p.1))
    }

    /// ∫ r from the start to `x` (clamped to the covered range).
    fn cumulative(&self, x: f64) -> f64 {
        let i = self.pieces.partition_point(|p| p.1 <= x);
        match self.pieces.get(i) {
            None => self
                .prefix
                .last()
                .zip(self.pieces.last())
                .map_or(0.0, |(pre, p)| {
                    pre + (p.1 - p.0) * (p.2 + p.3 * (p.1 - p.0) / 2.0)
                }),
            Some(&(a, _, v, slope)) => {
                let dx = (x - a).max(0.0);
                self.prefix[i] + dx * (v + slope * dx / 2.0)
            }
        }
    }

    pub(crate) fn integral(&self, a: f64, b: f64) -> f64 {
        if b <= a {
            0.0
        } else {
            self.cumulative(b) - self.cumulative(a)
        }
    }
}

/// ∫ of a step function over `[a, b]` (seconds; times before zero take the first value).
fn integrate_steps(steps: &Steps, a: f64, b: f64) -> f64 {
    let pts = steps.points();
    let mut total = 0.0;
    for (i, &(from, value)) in pts.iter().enumerate() {
        let start = if i == 0 {
            f64::NEG_INFINITY
        } else {
            secs(from)
        };
        let stop = pts.get(i + 1).map_or(f64::INFINITY, |&(t, _)| secs(t));
        let (lo, hi) = (start.max(a), stop.min(b));
        if hi > lo {
            total += (hi - lo) * value;
        }
    }
    total
}

/// The instant `t` seconds after the start, to the microsecond.
fn to_time(t: f64) -> SimTime {
    SimTime::at(SimDuration::from_secs_f64(t))
}
