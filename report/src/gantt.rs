//! The replay timeline of one run as a Gantt chart: the RTO breakdown, each runbook step as a bar, every
//! other logged event as a marker (tooltips say what happened), with the onset and the recovery marked.
//! It shows the same stretch as the success-ratio chart ([`time_range`]), so a run with an RTO of 0 still
//! gets a readable axis.

use sim_core::SimTime;
use sim_core::measure::{FlowSeries, RunResult};
use sim_core::model::Phase;

use crate::human::{duration, offset_clock};
use crate::ratio_chart::{TimeAxis, phase_color, time_range};
use crate::svg::{Anchor, FONT, MIN_FONT, Svg, fit, text_width};

/// Rows drawn at most; a longer log is cut, and the page says so.
const MAX_ROWS: usize = 40;
const WIDTH: f64 = 980.0;
const LABEL_W: f64 = 240.0;
const ROW_H: f64 = 22.0;
const TOP: f64 = 62.0;

/// A bar: `(start, end, phase, caption, tooltip)`, times in seconds from the start of the run.
type Bar = (f64, f64, Phase, String, String);

/// A row: a label, bars and markers `(at, phase, tooltip)`.
struct Row {
    label: String,
    bars: Vec<Bar>,
    marks: Vec<(f64, Phase, String)>,
}

fn secs(t: SimTime) -> f64 {
    t.since_start().as_secs_f64()
}

/// Builds the rows: the breakdown first, then a row per runbook step (`"<book>: <step> begins"` paired
/// with the next `done`/`failed` of the same step) and a marker row per other actor, in log order.
fn rows(run: &RunResult, lo: f64, hi: f64) -> Vec<Row> {
    let onset = run.onset.map(secs);
    let mut rows: Vec<Row> = Vec::new();
    if let (Some(o), Some(rto)) = (onset, run.rto)
        && rto.as_secs_f64() > 0.0
    {
        let b = &run.breakdown;
        let mut at = o;
        let mut bars = Vec::new();
        for (d, phase, name) in [
            (b.detection, Phase::Detection, "detection"),
            (b.decision, Phase::Decision, "decision"),
            (b.recovery, Phase::Recovery, "recovery"),
            (b.propagation, Phase::Propagation, "propagation"),
        ] {
            let d = d.as_secs_f64();
            let caption = format!("{name} {}", duration(d));
            bars.push((at, at + d, phase, caption.clone(), caption));
            at += d;
        }
        rows.push(Row {
            label: "RTO breakdown".to_string(),
            bars,
            marks: Vec::new(),
        });
    }
    let row_of = |rows: &mut Vec<Row>, label: &str| -> usize {
        match rows.iter().position(|r| r.label == label) {
            Some(i) => i,
            None => {
                rows.push(Row {
                    label: label.to_string(),
                    bars: Vec::new(),
                    marks: Vec::new(),
                });
                rows.len() - 1
            }
        }
    };
    for (i, entry) in run.log.iter().enumerate() {
        let at = secs(entry.at);
        if at < lo || at > hi {
            continue;
        }
        let tip = format!(
            "{}  {}: {}",
            offset_clock(entry.at, run.onset),
            entry.actor,
            entry.text
        );
        if let Some(step) = entry.text.strip_suffix(" begins") {
            let done = format!("{step} done");
            let failed = format!("{step} failed");
            let finish = run.log[i + 1..]
                .iter()
                .find(|e| e.text == done || e.text.starts_with(&failed))
                .map_or(hi, |e| secs(e.at));
            let r = row_of(&mut rows, step);
            let took = duration(finish - at);
            rows[r].bars.push((
                at,
                finish,
                entry.phase,
                took.clone(),
                format!(
                    "{step}: {took} (from {})",
                    offset_clock(entry.at, run.onset)
                ),
            ));
        } else if entry.text.ends_with(" done") || entry.text.contains(" failed (") {
            // Drawn as the end of its step's bar.
        } else {
            let r = row_of(&mut rows, &entry.actor);
            rows[r].marks.push((at, entry.phase, tip));
        }
    }
    rows
}

/// The timeline as an `<svg id="chart-timeline">`, or a note when the run has nothing to draw.
pub(crate) fn timeline_svg(run: &RunResult, series: &[FlowSeries]) -> String {
    let (lo, hi) = time_range(run, series);
    let mut rows = rows(run, lo, hi);
    if rows.is_empty() {
        return "<p class=\"note\">This run has no step log to draw (sweeps drop logs; replay a single \
                run).</p>"
            .to_string();
    }
    let cut = rows.len().saturating_sub(MAX_ROWS);
    rows.truncate(MAX_ROWS);
    let mut out = draw(run, &rows, lo, hi);
    if cut > 0 {
        out.push_str(&format!(
            "<p class=\"note\">{cut} more rows not drawn; the step log below lists every entry.</p>"
        ));
    }
    out
}

fn draw(run: &RunResult, rows: &[Row], lo: f64, hi: f64) -> String {
    let bottom = TOP + ROW_H * rows.len() as f64;
    let height = bottom + 64.0;
    let mut svg = Svg::new("chart-timeline", WIDTH, height, "timeline of the run");
    let axis = TimeAxis {
        lo,
        hi,
        origin: run.onset.map_or(lo, secs),
        x0: LABEL_W,
        x1: WIDTH - 20.0,
    };
    svg.title(&format!(
        "Timeline: {} shown, times from the onset",
        duration(hi - lo)
    ));
    for (i, _) in rows.iter().enumerate() {
        if i % 2 == 0 {
            let y = TOP + ROW_H * i as f64;
            svg.rect(0.0, y, WIDTH, ROW_H, "#f7f7fa", "", "", None);
        }
    }
    axis.draw(&mut svg, TOP - 4.0, bottom, true);
    for (i, row) in rows.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        svg.text(
            8.0,
            y + 15.0,
            FONT,
            Anchor::Start,
            "#222",
            &fit(&row.label, FONT, LABEL_W - 16.0),
            Some(&row.label),
        );
        for (start, end, phase, caption, tip) in &row.bars {
            let (x0, x1) = (axis.x(*start), axis.x(*end).max(axis.x(*start) + 2.0));
            svg.rect(
                x0,
                y + 4.0,
                x1 - x0,
                ROW_H - 8.0,
                phase_color(*phase),
                "",
                "",
                Some(tip),
            );
            // A caption goes inside a bar wide enough for it, else right of a lone bar when there is room;
            // otherwise only the tooltip has it.
            let w = text_width(caption, MIN_FONT);
            if x1 - x0 > w + 8.0 {
                svg.text(
                    x0 + 4.0,
                    y + 15.0,
                    MIN_FONT,
                    Anchor::Start,
                    "#ffffff",
                    caption,
                    Some(tip),
                );
            } else if row.bars.len() == 1 && row.marks.is_empty() && x1 + 4.0 + w < WIDTH - 4.0 {
                svg.text(
                    x1 + 4.0,
                    y + 15.0,
                    MIN_FONT,
                    Anchor::Start,
                    "#222",
                    caption,
                    Some(tip),
                );
            }
        }
        for (at, phase, tip) in &row.marks {
            let px = axis.x(*at);
            svg.polygon(
                &[
                    (px, y + 4.0),
                    (px + 5.0, y + ROW_H / 2.0),
                    (px, y + ROW_H - 4.0),
                    (px - 5.0, y + ROW_H / 2.0),
                ],
                phase_color(*phase),
                Some(tip),
            );
        }
    }
    // The onset and the recovery: lines with labels above the rows, the second moved right (or left) of
    // the first when they would touch.
    if let Some(onset) = run.onset {
        let xo = axis.x(secs(onset));
        svg.line(xo, TOP - 10.0, xo, bottom, "#c81e1e", 2.0);
        svg.text(
            xo,
            TOP - 14.0,
            MIN_FONT,
            Anchor::Middle,
            "#c81e1e",
            "onset",
            None,
        );
        if let Some(rto) = run.rto {
            let xr = axis.x(secs(onset) + rto.as_secs_f64());
            let label = if rto.as_secs_f64() == 0.0 {
                "RTO 0".to_string()
            } else {
                format!("recovered (+{})", duration(rto.as_secs_f64()))
            };
            let w = text_width(&label, MIN_FONT);
            if rto.as_secs_f64() > 0.0 {
                svg.line(xr, TOP - 10.0, xr, bottom, "#008c3c", 2.0);
            }
            // A row above "onset", so the two never touch; kept inside the picture.
            let lx = if xr + 4.0 + w > WIDTH - 4.0 {
                xr - 4.0 - w
            } else {
                xr + 4.0
            };
            svg.text(
                lx,
                TOP - 28.0,
                MIN_FONT,
                Anchor::Start,
                "#008c3c",
                &label,
                None,
            );
        }
    }
    // The legend: one swatch per phase, under the axis labels.
    let ly = bottom + 44.0;
    let mut lx = 8.0;
    for (phase, name) in [
        (Phase::Disaster, "disaster"),
        (Phase::Detection, "detection"),
        (Phase::Decision, "decision"),
        (Phase::Recovery, "recovery"),
        (Phase::Propagation, "propagation"),
        (Phase::Info, "info"),
    ] {
        svg.rect(lx, ly - 10.0, 12.0, 12.0, phase_color(phase), "", "", None);
        svg.text(lx + 16.0, ly, MIN_FONT, Anchor::Start, "#333", name, None);
        lx += 110.0;
    }
    svg.finish()
}
