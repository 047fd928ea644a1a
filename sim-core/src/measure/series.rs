//! Each flow's success ratio over time, as the HTML replay draws it: the raw ratio `r(t)` and the windowed
//! mean the RTO is defined on (see [`crate::measure::rto`]).
//!
//! Only single runs that are shown compute this ([`crate::sweep::run_replication_with_series`]); sweeps
//! never do, so they pay nothing for it. The points are exact where `r` changes slope (it is piecewise
//! linear); the windowed mean is quadratic between its candidate points and is sampled five times across
//! each, which draws it smoothly without a grid over the horizon.

use serde::{Deserialize, Serialize};

use crate::engine::time::SimDuration;
use crate::world::Finished;
use crate::world::timeline::{Linear, secs};

/// Samples of the windowed mean per stretch between its candidate points.
const SAMPLES_PER_PIECE: usize = 5;
/// Points kept per curve at most (a bound on page size; a flow that flaps more is drawn coarser).
const MAX_POINTS: usize = 4000;

/// One flow's success ratio over a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowSeries {
    /// Flow name.
    pub name: String,
    /// Whether it counts towards the service RTO.
    pub critical: bool,
    /// Its SLO threshold (a success ratio in `[0, 1]`).
    pub slo: f64,
    /// The measurement window.
    pub window: SimDuration,
    /// `(seconds since the start, r)`: the success ratio, a polyline (a jump is two points at one time).
    pub ratio: Vec<(f64, f64)>,
    /// `(u, mean of r over [u, u + window])` for `u` from the start to the horizon minus the window: the
    /// curve the RTO is read from (recovered from the first `u` after which it never drops below the SLO).
    pub windowed: Vec<(f64, f64)>,
}

/// The series of every flow of `finished`, in scenario order.
pub fn flow_series(finished: &Finished<'_>) -> Vec<FlowSeries> {
    let sc = finished.scenario;
    let end = secs(finished.horizon);
    let window = sc.measure.window;
    let w = window.as_secs_f64().max(1e-6).min(end.max(1e-6));
    finished
        .flows
        .iter()
        .map(|(index, timeline)| {
            let config = &sc.flows[*index];
            let r = Linear::new(timeline, 0.0, end);
            let last_start = (end - w).max(0.0);
            let mut cands: Vec<f64> = r
                .breaks()
                .flat_map(|b| [b, b - w])
                .filter(|&u| (0.0..=last_start).contains(&u))
                .chain([0.0, last_start])
                .collect();
            cands.sort_by(f64::total_cmp);
            cands.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
            let mut windowed = Vec::with_capacity(cands.len() * SAMPLES_PER_PIECE);
            for pair in cands.windows(2) {
                let (p, q) = (pair[0], pair[1]);
                for k in 0..SAMPLES_PER_PIECE {
                    let u = p + (q - p) * k as f64 / SAMPLES_PER_PIECE as f64;
                    windowed.push((u, r.integral(u, u + w) / w));
                }
            }
            windowed.push((last_start, r.integral(last_start, last_start + w) / w));
            FlowSeries {
                name: config.name.clone(),
                critical: config.critical,
                slo: config.slo,
                window,
                ratio: thin(r.polyline()),
                windowed: thin(windowed),
            }
        })
        .collect()
}

/// Keeps at most [`MAX_POINTS`] points, evenly by index (the first and last always).
fn thin(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    if points.len() <= MAX_POINTS {
        return points;
    }
    let n = points.len();
    (0..MAX_POINTS)
        .map(|i| points[i * (n - 1) / (MAX_POINTS - 1)])
        .collect()
}
