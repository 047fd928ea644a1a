//! RTO from a flow's timeline: the first instant after which every window meets the SLO.
//!
//! With the window `W` and threshold `SLO`, the windowed ratio at `u` is the mean of the flow's success
//! ratio `r` over `[u, u + W]`. The flow is recovered from the first instant `T ≥ onset` such that every
//! window starting at or after `T` (and ending by the horizon) meets the SLO; `RTO = T − onset`. A dip that
//! never pulls a window below the SLO is not an outage (RTO 0). If the last window before the horizon
//! misses the SLO, the flow is *not recovered within the horizon*, a distinct outcome.

use crate::engine::time::{SimDuration, SimTime};
use crate::world::timeline::{FlowTimeline, Linear, secs};

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

/// Measures a flow after a disaster at `onset`, with SLO threshold `slo` over windows of `window`, up to
/// `horizon`.
pub fn measure_flow(
    timeline: &FlowTimeline,
    onset: SimTime,
    horizon: SimTime,
    slo: f64,
    window: SimDuration,
) -> FlowMeasure {
    let (t0, end) = (secs(onset), secs(horizon));
    let w = window.as_secs_f64().max(1e-6).min((end - t0).max(1e-6));
    let last_start = (end - w).max(t0);
    let r = Linear::new(timeline, t0, end);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::timeline::Steps;

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
        let m = measure_flow(
            &outage(400),
            t(100),
            t(3600),
            0.99,
            SimDuration::from_secs(60),
        );
        // Recovered from the first window with ≤ 1 % bad time: 400 − 0.6 s.
        assert!((rto_s(&m) - 299.4).abs() < 1e-3, "{m:?}");
        assert!((m.failed_seconds - 300.0).abs() < 1e-6);
        assert!(m.worst_window < 1e-9);
    }

    #[test]
    fn a_short_blip_is_not_an_outage() {
        let m = measure_flow(
            &outage(100),
            t(100),
            t(3600),
            0.99,
            SimDuration::from_secs(60),
        );
        assert_eq!(m.rto, Some(SimDuration::ZERO));
        let mut tl = FlowTimeline::single();
        tl.ok[0].set(t(200), 0.0);
        tl.ok[0].set(SimTime::from_micros(200_300_000), 1.0); // 0.3 s of errors in a 60 s window
        assert_eq!(
            measure_flow(&tl, t(100), t(3600), 0.99, SimDuration::from_secs(60)).rto,
            Some(SimDuration::ZERO)
        );
    }

    #[test]
    fn never_back_is_not_recovered() {
        let m = measure_flow(
            &outage(100_000),
            t(100),
            t(3600),
            0.99,
            SimDuration::from_secs(60),
        );
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
        let m = measure_flow(&tl, t(100), t(3600), 0.99, SimDuration::from_secs(60));
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
        let m = measure_flow(&tl, t(100), t(3600), 0.99, SimDuration::from_secs(60));
        assert!((rto_s(&m) - (600.0 - 60.0 * 0.02)).abs() < 1e-3, "{m:?}");
        assert!((m.failed_seconds - 300.0).abs() < 1e-6);
    }
}
