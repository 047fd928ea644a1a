//! The success ratio of each flow over time, the curve the RTO is defined on: one panel per flow with the
//! raw ratio, its windowed mean (what the SLO is checked against), the SLO line, the onset and the flow's
//! recovery; under the panels, a strip with each runbook step and each other logged event as a marker
//! whose tooltip (`<title>`) says what happened.
//!
//! Also home of [`time_range`], the stretch of a run every replay chart shows.

use sim_core::SimTime;
use sim_core::measure::{FlowSeries, RunResult};
use sim_core::model::Phase;

use crate::human::{duration, offset_clock};
use crate::svg::{Anchor, FONT, MIN_FONT, Svg, fit, tick_label, time_ticks};

const WIDTH: f64 = 1020.0;
const LEFT: f64 = 104.0;
const RIGHT: f64 = 96.0;
const PANEL_H: f64 = 96.0;
const PANEL_GAP: f64 = 34.0;
const TOP: f64 = 66.0;
/// Flows drawn at most (a bound on page size).
const MAX_FLOWS: usize = 12;

fn secs(t: SimTime) -> f64 {
    t.since_start().as_secs_f64()
}

/// Colour of a phase, shared by the replay charts.
pub(crate) fn phase_color(phase: Phase) -> &'static str {
    match phase {
        Phase::Disaster => "#c81e1e",
        Phase::Detection => "#e69f00",
        Phase::Decision => "#cc79a7",
        Phase::Recovery => "#0072b2",
        Phase::Propagation => "#009e73",
        Phase::Info => "#8c8c8c",
    }
}

/// The stretch of the run the replay charts show, in seconds since the start: from a little before the
/// onset to a little after the last flow recovered and the last dip of any flow's success ratio ended. A
/// run with an RTO of 0 still gets a readable stretch (a few measurement windows), never a few ms.
pub(crate) fn time_range(run: &RunResult, series: &[FlowSeries]) -> (f64, f64) {
    let first = run.log.first().map_or(0.0, |e| secs(e.at));
    let onset = run.onset.map_or(first, secs);
    let window = series
        .first()
        .map_or(60.0, |s| s.window.as_secs_f64())
        .max(1.0);
    let mut end = onset;
    for f in &run.flows {
        if let Some(rto) = f.rto {
            end = end.max(onset + rto.as_secs_f64());
        }
    }
    // The last moment after the onset where some flow was below full success.
    for s in series {
        if let Some(&(t, _)) = s
            .ratio
            .iter()
            .rev()
            .find(|&&(t, r)| t > onset && r < 1.0 - 1e-9)
        {
            end = end.max(t);
        }
    }
    let horizon = series
        .iter()
        .filter_map(|s| s.ratio.last().map(|p| p.0))
        .fold(f64::NAN, f64::max);
    if run.rto.is_none() && horizon.is_finite() {
        end = horizon;
    }
    let span = (end - onset).max(window * 2.0);
    let lo = (onset - (span * 0.1).max(window / 2.0)).max(0.0);
    let mut hi = onset + span * 1.15 + window;
    if horizon.is_finite() {
        hi = hi.min(horizon);
    }
    (lo, hi.max(lo + 1.0))
}

/// A horizontal time axis from `lo` to `hi` seconds, labelled relative to `origin`.
pub(crate) struct TimeAxis {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) origin: f64,
    pub(crate) x0: f64,
    pub(crate) x1: f64,
}

impl TimeAxis {
    pub(crate) fn x(&self, t: f64) -> f64 {
        self.x0 + (t - self.lo) / (self.hi - self.lo) * (self.x1 - self.x0)
    }

    /// Grid lines from `y0` to `y1` and round tick labels under `y1`.
    pub(crate) fn draw(&self, svg: &mut Svg, y0: f64, y1: f64, labels: bool) {
        let max_ticks = ((self.x1 - self.x0) / 90.0).floor().max(2.0) as usize;
        let (ticks, step) = time_ticks(self.lo - self.origin, self.hi - self.origin, max_ticks);
        for t in ticks {
            let x = self.x(t + self.origin);
            svg.line(x, y0, x, y1, "#e6e6e6", 1.0);
            if labels {
                let label = if t > 0.0 {
                    format!("+{}", tick_label(t, step))
                } else {
                    tick_label(t, step)
                };
                svg.text(x, y1 + 20.0, MIN_FONT, Anchor::Middle, "#444", &label, None);
            }
        }
    }
}

/// Maps `(t, r)` to a panel's pixels, clipped to `[lo, hi]` (interpolated at the edges).
fn clip(points: &[(f64, f64)], axis: &TimeAxis, top: f64) -> Vec<(f64, f64)> {
    let y = |r: f64| top + (1.0 - r.clamp(0.0, 1.0)) * PANEL_H;
    let mut out = Vec::new();
    for pair in points.windows(2) {
        let ((ta, ra), (tb, rb)) = (pair[0], pair[1]);
        if tb < axis.lo || ta > axis.hi {
            continue;
        }
        let at = |t: f64| {
            if tb > ta {
                ra + (rb - ra) * (t - ta) / (tb - ta)
            } else {
                rb
            }
        };
        let (a, b) = (ta.max(axis.lo), tb.min(axis.hi));
        out.push((axis.x(a), y(at(a))));
        out.push((axis.x(b), y(at(b))));
    }
    out.dedup();
    out
}

/// The chart as an `<svg id="chart-success">`, or a note when the run recorded no series.
pub(crate) fn success_svg(run: &RunResult, series: &[FlowSeries]) -> String {
    if series.is_empty() {
        return "<p class=\"note\">No success-ratio series for this run (sweeps do not record them; \
                <code>drsim replay --html</code> does).</p>"
            .to_string();
    }
    let shown = &series[..series.len().min(MAX_FLOWS)];
    let (lo, hi) = time_range(run, series);
    let onset = run.onset.map(secs);
    let axis = TimeAxis {
        lo,
        hi,
        origin: onset.unwrap_or(lo),
        x0: LEFT,
        x1: WIDTH - RIGHT,
    };
    let strip_top = TOP + shown.len() as f64 * (PANEL_H + PANEL_GAP);
    let strip_h = 2.0 * 22.0;
    let height = strip_top + strip_h + 10.0;
    let mut svg = Svg::new(
        "chart-success",
        WIDTH,
        height,
        "success ratio of each flow over time",
    );
    svg.title("Success ratio per flow, from the onset");
    // Legend, above the panels (never over a curve).
    let ly = 42.0;
    svg.line(LEFT, ly - 4.0, LEFT + 24.0, ly - 4.0, "#0072b2", 2.5);
    svg.text(
        LEFT + 30.0,
        ly,
        FONT,
        Anchor::Start,
        "#333",
        "mean over the next window (the RTO is read from it)",
        None,
    );
    svg.line(
        LEFT + 350.0,
        ly - 4.0,
        LEFT + 374.0,
        ly - 4.0,
        "#9ecae1",
        1.5,
    );
    svg.text(
        LEFT + 380.0,
        ly,
        FONT,
        Anchor::Start,
        "#333",
        "instant ratio",
        None,
    );
    svg.dashed(
        LEFT + 490.0,
        ly - 4.0,
        LEFT + 514.0,
        ly - 4.0,
        "#b00",
        1.5,
        "5 3",
    );
    svg.text(LEFT + 520.0, ly, FONT, Anchor::Start, "#333", "SLO", None);
    svg.line(
        LEFT + 570.0,
        ly - 10.0,
        LEFT + 570.0,
        ly + 2.0,
        "#c81e1e",
        2.0,
    );
    svg.text(LEFT + 576.0, ly, FONT, Anchor::Start, "#333", "onset", None);
    svg.line(
        LEFT + 630.0,
        ly - 10.0,
        LEFT + 630.0,
        ly + 2.0,
        "#008c3c",
        2.0,
    );
    svg.text(
        LEFT + 636.0,
        ly,
        FONT,
        Anchor::Start,
        "#333",
        "flow recovered (its RTO)",
        None,
    );

    for (i, s) in shown.iter().enumerate() {
        let top = TOP + i as f64 * (PANEL_H + PANEL_GAP) + 16.0;
        let bottom = top + PANEL_H;
        let flow = run.flows.iter().find(|f| f.name == s.name);
        let rto = flow.and_then(|f| f.rto);
        let status = match (onset, flow, rto) {
            (None, _, _) => "no disaster within the horizon".to_string(),
            (_, Some(_), Some(r)) if r.as_secs_f64() == 0.0 => {
                "RTO 0: the windowed mean never fell below the SLO".to_string()
            }
            (_, Some(_), Some(r)) => format!("RTO {}", duration(r.as_secs_f64())),
            _ => "not recovered within the horizon".to_string(),
        };
        let critical = if s.critical {
            "critical"
        } else {
            "not critical"
        };
        svg.text(
            LEFT,
            top - 5.0,
            FONT,
            Anchor::Start,
            "#111",
            &fit(
                &format!("{} ({critical}) — {status}", s.name),
                FONT,
                WIDTH - LEFT - RIGHT,
            ),
            None,
        );
        svg.rect(
            LEFT,
            top,
            axis.x1 - LEFT,
            PANEL_H,
            "#fbfbfd",
            "#cccccc",
            "",
            None,
        );
        axis.draw(&mut svg, top, bottom, i + 1 == shown.len());
        for (r, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
            let y = top + (1.0 - r) * PANEL_H;
            svg.text(
                LEFT - 6.0,
                y + 4.0,
                MIN_FONT,
                Anchor::End,
                "#444",
                label,
                None,
            );
        }
        let slo_y = top + (1.0 - s.slo) * PANEL_H;
        svg.dashed(LEFT, slo_y, axis.x1, slo_y, "#b00", 1.5, "5 3");
        svg.text(
            axis.x1 + 6.0,
            slo_y + 4.0,
            MIN_FONT,
            Anchor::Start,
            "#b00",
            &format!("SLO {}", crate::text::percent(s.slo)),
            None,
        );
        svg.text(
            axis.x1 + 6.0,
            slo_y + 18.0,
            MIN_FONT,
            Anchor::Start,
            "#666",
            &format!("over {}", duration(s.window.as_secs_f64())),
            None,
        );
        svg.polyline(&clip(&s.ratio, &axis, top), "#9ecae1", 1.5, "");
        svg.polyline(&clip(&s.windowed, &axis, top), "#0072b2", 2.5, "");
        if let Some(o) = onset {
            let x = axis.x(o);
            svg.raw(&format!(
                "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#c81e1e\" \
                 stroke-width=\"2\"><title>onset: {}</title></line>",
                crate::html::escape(run.disaster.as_deref().unwrap_or("disaster"))
            ));
            if let Some(r) = rto.filter(|r| r.as_secs_f64() > 0.0) {
                let x = axis.x(o + r.as_secs_f64());
                svg.raw(&format!(
                    "<line x1=\"{x:.1}\" y1=\"{top:.1}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"#008c3c\" \
                     stroke-width=\"2\"><title>{} recovered at +{}</title></line>",
                    crate::html::escape(&s.name),
                    duration(r.as_secs_f64())
                ));
            }
        }
    }
    // The strip: runbook steps, then every other event, as markers with tooltips.
    let strip_labels = ["runbook steps", "other events"];
    for (row, name) in strip_labels.iter().enumerate() {
        let y = strip_top + 16.0 + row as f64 * 22.0;
        svg.text(
            LEFT - 6.0,
            y + 4.0,
            MIN_FONT,
            Anchor::End,
            "#444",
            name,
            None,
        );
        svg.line(LEFT, y, axis.x1, y, "#e0e0e0", 1.0);
    }
    for e in &run.log {
        let t = secs(e.at);
        if t < lo || t > hi {
            continue;
        }
        let step = e.text.ends_with(" begins");
        if e.text.ends_with(" done") || e.text.contains(" failed (") {
            continue;
        }
        let y = strip_top + 16.0 + if step { 0.0 } else { 22.0 };
        let x = axis.x(t);
        let tip = format!("{}  {}: {}", offset_clock(e.at, run.onset), e.actor, e.text);
        svg.polygon(
            &[(x, y - 6.0), (x + 5.0, y), (x, y + 6.0), (x - 5.0, y)],
            phase_color(e.phase),
            Some(&tip),
        );
    }
    svg.finish()
}
