//! A flow's success ratio over time, exactly: resolver-cache shares times per-answer success, and the RTO
//! measured from it.
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
//! **RTO.** With the window `W` and threshold `SLO`, the windowed ratio at `u` is the mean of `r` over
//! `[u, u + W]`. The flow is recovered from the first instant `T ≥ onset` such that every window starting at
//! or after `T` (and ending by the horizon) meets the SLO; `RTO = T − onset`. A dip that never pulls a
//! window below the SLO is not an outage (RTO 0). If the last window before the horizon misses the SLO, the
//! flow is *not recovered within the horizon*, a distinct outcome.

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

/// The outcome of measuring one flow.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowMeasure {
    /// `Some(rto)` when recovered within the horizon; `None` when not.
    pub rto: Option<SimDuration>,
    /// Mean success ratio from the onset to the end of the first good window after recovery (or to the
    /// horizon when not recovered).
    pub availability: f64,
    /// ∫ (1 − r) over `[onset, horizon]`, in seconds: multiply by the request rate for failed requests.
    pub failed_seconds: f64,
    /// The lowest windowed success ratio after the onset.
    pub worst_window: f64,
}

fn secs(t: SimTime) -> f64 {
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

    /// Measures the flow after a disaster at `onset`, with SLO threshold `slo` over windows of `window`,
    /// up to `horizon`.
    pub fn measure(
        &self,
        onset: SimTime,
        horizon: SimTime,
        slo: f64,
        window: SimDuration,
    ) -> FlowMeasure {
        let (t0, end) = (secs(onset), secs(horizon));
        let w = window.as_secs_f64().max(1e-6).min((end - t0).max(1e-6));
        let last_start = (end - w).max(t0);
        let r = Linear::new(self, t0, end);
        let avg = |u: f64| r.integral(u, u + w) / w;
        let failed_seconds = (end - t0) - r.integral(t0, end);
        // Candidate points where the windowed mean can change shape: breakpoints b and b − W.
        let mut cands: Vec<f64> = r
            .breaks()
            .flat_map(|b| [b, b - w])
            .filter(|&u| u >= t0 && u <= last_start)
            .chain([t0, last_start])
            .collect();
        cands.sort_by(f64::total_cmp);
        cands.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        let bad = |u: f64| avg(u) < slo - 1e-12;
        let mut worst_window = avg(t0);
        // The windowed mean is a quadratic between candidates: look for the last bad instant from the end.
        let mut recovered_at = if bad(last_start) { None } else { Some(t0) };
        let mut searching = recovered_at.is_some();
        for piece in cands.windows(2).rev() {
            let (p, q) = (piece[0], piece[1]);
            // Extremes of a quadratic on [p, q]: the ends and the vertex, found from three samples.
            let m = (p + q) / 2.0;
            let (fp, fm, fq) = (avg(p), avg(m), avg(q));
            let denom = fp - 2.0 * fm + fq;
            let vertex = if denom.abs() > 1e-15 {
                m + (q - p) / 4.0 * (fp - fq) / denom
            } else {
                m
            };
            let vertex = vertex.clamp(p, q);
            let fv = avg(vertex);
            worst_window = worst_window.min(fp).min(fm).min(fq).min(fv);
            if !searching {
                continue;
            }
            if let Some(mut lo) = [vertex, m, p].into_iter().find(|&u| bad(u)) {
                // Bisect for the last bad instant between `lo` (bad) and `q` (good).
                let mut hi = q;
                for _ in 0..60 {
                    let mid = (lo + hi) / 2.0;
                    if bad(mid) { lo = mid } else { hi = mid }
                }
                recovered_at = Some(hi);
                searching = false;
            }
        }
        let rto = recovered_at.map(|t| SimDuration::from_secs_f64(t - t0));
        let avail_end = recovered_at.map_or(end, |t| (t + w).min(end));
        let availability = if avail_end > t0 {
            r.integral(t0, avail_end) / (avail_end - t0)
        } else {
            1.0
        };
        FlowMeasure {
            rto,
            availability: availability.clamp(0.0, 1.0),
            failed_seconds: failed_seconds.max(0.0),
            worst_window: worst_window.clamp(0.0, 1.0),
        }
    }
}

/// `r` on `[from, to]` as linear pieces with prefix integrals, built once per measurement.
struct Linear {
    /// `(start, end, value just after start, slope)` per piece, in order, covering `[from, to]`.
    pieces: Vec<(f64, f64, f64, f64)>,
    /// `prefix[i]` = ∫ r from `from` to the start of piece `i`.
    prefix: Vec<f64>,
}

impl Linear {
    fn new(tl: &FlowTimeline, from: f64, to: f64) -> Self {
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

    fn breaks(&self) -> impl Iterator<Item = f64> + '_ {
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

    fn integral(&self, a: f64, b: f64) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: u64) -> SimTime {
        SimTime::at(SimDuration::from_secs(s))
    }

    /// A flow that fails at 100 s and comes back at `back` s on the same (only) answer.
    fn outage(back: u64) -> FlowTimeline {
        let mut tl = FlowTimeline::single();
        tl.ok[0].set(t(100), 0.0);
        tl.ok[0].set(t(back), 1.0);
        tl
    }

    fn rto_s(m: &FlowMeasure) -> f64 {
        m.rto.expect("recovered").as_secs_f64()
    }

    #[test]
    fn clean_outage_rto_is_the_outage_less_the_window_slack() {
        let m = outage(400).measure(t(100), t(3600), 0.99, SimDuration::from_secs(60));
        // Recovered from the first window with ≤ 1 % bad time: 400 − 0.6 s.
        assert!((rto_s(&m) - 299.4).abs() < 1e-3, "{m:?}");
        assert!((m.failed_seconds - 300.0).abs() < 1e-6);
        assert!(m.worst_window < 1e-9);
    }

    #[test]
    fn a_short_blip_is_not_an_outage() {
        let m = outage(100).measure(t(100), t(3600), 0.99, SimDuration::from_secs(60));
        assert_eq!(m.rto, Some(SimDuration::ZERO));
        let mut tl = FlowTimeline::single();
        tl.ok[0].set(t(200), 0.0);
        tl.ok[0].set(SimTime::from_micros(200_300_000), 1.0); // 0.3 s of errors in a 60 s window
        assert_eq!(
            tl.measure(t(100), t(3600), 0.99, SimDuration::from_secs(60))
                .rto,
            Some(SimDuration::ZERO)
        );
    }

    #[test]
    fn never_back_is_not_recovered() {
        let m = outage(100_000).measure(t(100), t(3600), 0.99, SimDuration::from_secs(60));
        assert_eq!(m.rto, None);
        assert!(m.availability < 1e-9);
    }

    #[test]
    fn dns_failover_shifts_clients_over_one_ttl() {
        // Primary dies at 100 s; Route 53 answers the secondary from 190 s; TTL 60 s.
        let mut tl = FlowTimeline {
            ttl: SimDuration::from_secs(60),
            answer_share: vec![Steps::constant(1.0), Steps::constant(0.0)],
            ok: vec![Steps::constant(1.0), Steps::constant(1.0)],
        };
        tl.ok[0].set(t(100), 0.0);
        tl.answer_share[0].set(t(190), 0.0);
        tl.answer_share[1].set(t(190), 1.0);
        assert!((tl.ratio(220.0) - 0.5).abs() < 1e-9);
        assert!((tl.ratio(250.0) - 1.0).abs() < 1e-9);
        let m = tl.measure(t(100), t(3600), 0.99, SimDuration::from_secs(60));
        // The window starting at u covers [u, u+60]; its bad area is ∫(1 − r). Recovery lands inside the
        // ramp: between 190 s and 250 s after the start, i.e. RTO in (90, 150).
        let rto = rto_s(&m);
        assert!(rto > 90.0 && rto < 150.0, "{rto}");
        // Check the definition directly: the window starting at recovery has mean exactly the SLO.
        let u = 100.0 + rto;
        assert!((tl.integral(u, u + 60.0) / 60.0 - 0.99).abs() < 1e-6);
    }

    #[test]
    fn partial_capacity_below_slo_counts_until_it_is_restored() {
        let mut tl = FlowTimeline::single();
        tl.ok[0].set(t(100), 0.5);
        tl.ok[0].set(t(700), 1.0);
        let m = tl.measure(t(100), t(3600), 0.99, SimDuration::from_secs(60));
        assert!((rto_s(&m) - (600.0 - 60.0 * 0.02)).abs() < 1e-3, "{m:?}");
        assert!((m.failed_seconds - 300.0).abs() < 1e-6);
    }
}
