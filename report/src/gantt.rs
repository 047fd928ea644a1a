//! The replay timeline of one run as a Gantt chart: the RTO breakdown, each runbook step as a bar, every
//! other logged event as a marker, with the onset and the recovery marked.

use plotters::prelude::*;
use sim_core::SimTime;
use sim_core::measure::RunResult;
use sim_core::model::Phase;

use crate::charts::{FONT, with_id};
use crate::human::duration;

/// Rows drawn at most; a longer log is cut, and the page says so.
const MAX_ROWS: usize = 40;
const WIDTH: u32 = 960;
const LABEL_W: i32 = 250;
const ROW_H: i32 = 22;
const TOP: i32 = 40;

/// The colour of a phase.
fn phase_color(phase: Phase) -> RGBColor {
    match phase {
        Phase::Disaster => RGBColor(200, 30, 30),
        Phase::Detection => RGBColor(230, 159, 0),
        Phase::Decision => RGBColor(204, 121, 167),
        Phase::Recovery => RGBColor(0, 114, 178),
        Phase::Propagation => RGBColor(0, 158, 115),
        Phase::Info => RGBColor(140, 140, 140),
    }
}

/// A row: a label, bars `(start, end, phase, caption)` and markers `(at, phase)`, times in seconds from
/// the start of the run.
struct Row {
    label: String,
    bars: Vec<(f64, f64, Phase, String)>,
    marks: Vec<(f64, Phase)>,
}

fn secs(t: SimTime) -> f64 {
    t.since_start().as_secs_f64()
}

/// Builds the rows: the breakdown first, then a row per runbook step (`"<book>: <step> begins"` paired
/// with the next `done`/`failed` of the same step) and a marker row per other actor, in log order.
fn rows(run: &RunResult) -> (Vec<Row>, f64, f64) {
    let onset = run.onset.map(secs);
    let first = run.log.first().map(|e| secs(e.at)).unwrap_or(0.0);
    let t0 = onset.unwrap_or(first);
    let last = run.log.last().map(|e| secs(e.at)).unwrap_or(t0);
    let end = match (onset, run.rto) {
        (Some(o), Some(rto)) => (o + rto.as_secs_f64()).max(last.min(o + rto.as_secs_f64() * 1.5)),
        _ => last,
    };
    let span = (end - t0).max(1.0);
    let (lo, hi) = (t0 - span * 0.03, end + span * 0.08);

    let mut rows: Vec<Row> = Vec::new();
    if let (Some(o), Some(_)) = (onset, run.rto) {
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
            bars.push((at, at + d, phase, format!("{name} {}", duration(d))));
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
        if let Some(step) = entry.text.strip_suffix(" begins") {
            let done = format!("{step} done");
            let failed = format!("{step} failed");
            let finish = run.log[i + 1..]
                .iter()
                .find(|e| e.text == done || e.text.starts_with(&failed))
                .map_or(hi, |e| secs(e.at));
            let r = row_of(&mut rows, step);
            rows[r]
                .bars
                .push((at, finish, entry.phase, duration(finish - at)));
        } else if entry.text.ends_with(" done") || entry.text.contains(" failed (") {
            // Drawn as the end of its step's bar.
        } else {
            let r = row_of(&mut rows, &entry.actor);
            rows[r].marks.push((at, entry.phase));
        }
    }
    (rows, lo, hi)
}

/// The timeline as an `<svg id="chart-timeline">`, or a note when the run has nothing to draw.
pub(crate) fn timeline_svg(run: &RunResult) -> String {
    let (mut rows, lo, hi) = rows(run);
    if rows.is_empty() {
        return "<p class=\"note\">This run has no step log to draw (sweeps drop logs; replay a single \
                run).</p>"
            .to_string();
    }
    let cut = rows.len().saturating_sub(MAX_ROWS);
    rows.truncate(MAX_ROWS);
    let height = (TOP + ROW_H * rows.len() as i32 + 60) as u32;
    let mut svg = String::new();
    match draw(&mut svg, run, &rows, lo, hi, height) {
        Ok(()) => {
            let mut out = with_id(svg, "chart-timeline");
            if cut > 0 {
                out.push_str(&format!(
                    "<p class=\"note\">{cut} more rows not drawn; the step log below lists every entry.</p>"
                ));
            }
            out
        }
        Err(e) => format!("<p class=\"note\">The timeline could not be drawn: {e}</p>"),
    }
}

fn draw(
    svg: &mut String,
    run: &RunResult,
    rows: &[Row],
    lo: f64,
    hi: f64,
    height: u32,
) -> Result<(), String> {
    let root = SVGBackend::with_string(svg, (WIDTH, height)).into_drawing_area();
    let err = |e: DrawingAreaErrorKind<_>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let plot_w = WIDTH as i32 - LABEL_W - 20;
    let x = |t: f64| LABEL_W + ((t - lo) / (hi - lo) * plot_w as f64).round() as i32;
    let bottom = TOP + ROW_H * rows.len() as i32;
    let small = (FONT, 12).into_font();
    root.draw(&Text::new(
        format!("Timeline from the onset ({} shown)", duration(hi - lo)),
        (10, 10),
        (FONT, 16).into_font(),
    ))
    .map_err(err)?;
    // Time ticks, relative to the onset when there is one.
    let origin = run.onset.map_or(lo, secs);
    for k in 0..=6 {
        let t = lo + (hi - lo) * k as f64 / 6.0;
        let px = x(t);
        root.draw(&PathElement::new(
            vec![(px, TOP - 4), (px, bottom)],
            RGBColor(225, 225, 225),
        ))
        .map_err(err)?;
        let rel = t - origin;
        let label = if rel < 0.0 {
            format!("-{}", duration(-rel))
        } else {
            format!("+{}", duration(rel))
        };
        // Keep the last label inside the picture.
        let lx = (px - 14).min(WIDTH as i32 - 70);
        root.draw(&Text::new(label, (lx, bottom + 6), small.clone()))
            .map_err(err)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let y = TOP + ROW_H * i as i32;
        if i % 2 == 0 {
            root.draw(&Rectangle::new(
                [(0, y), (WIDTH as i32, y + ROW_H)],
                RGBColor(247, 247, 250).filled(),
            ))
            .map_err(err)?;
        }
        let label: String = row.label.chars().take(38).collect();
        root.draw(&Text::new(label, (8, y + 5), small.clone()))
            .map_err(err)?;
        for (start, end, phase, caption) in &row.bars {
            let (x0, x1) = (x(*start), x(*end).max(x(*start) + 2));
            root.draw(&Rectangle::new(
                [(x0, y + 4), (x1, y + ROW_H - 4)],
                phase_color(*phase).filled(),
            ))
            .map_err(err)?;
            // A caption goes inside a bar wide enough for it, else to the right of a lone bar; the
            // breakdown's back-to-back bars would overlap there, so they drop it (the text has them).
            let fits = (x1 - x0) as usize > caption.chars().count() * 7;
            if !fits && row.bars.len() > 1 {
                continue;
            }
            let (tx, tc) = if fits {
                (x0 + 4, WHITE)
            } else {
                (x1 + 4, BLACK)
            };
            root.draw(&Text::new(
                caption.clone(),
                (tx, y + 5),
                small.clone().color(&tc),
            ))
            .map_err(err)?;
        }
        for (at, phase) in &row.marks {
            let px = x(*at);
            let c = phase_color(*phase);
            root.draw(&Polygon::new(
                vec![
                    (px, y + 4),
                    (px + 5, y + ROW_H / 2),
                    (px, y + ROW_H - 4),
                    (px - 5, y + ROW_H / 2),
                ],
                c.filled(),
            ))
            .map_err(err)?;
        }
    }
    let mut markers = Vec::new();
    if let Some(onset) = run.onset {
        markers.push((secs(onset), "onset", RGBColor(200, 30, 30)));
        if let Some(rto) = run.rto {
            markers.push((
                secs(onset) + rto.as_secs_f64(),
                "recovered",
                RGBColor(0, 140, 60),
            ));
        }
    }
    for (t, name, c) in markers {
        let px = x(t);
        root.draw(&PathElement::new(
            vec![(px, TOP - 8), (px, bottom)],
            c.stroke_width(2),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            name,
            (px + 3, TOP - 18),
            small.clone().color(&c),
        ))
        .map_err(err)?;
    }
    // The legend: one swatch per phase.
    let mut lx = 8;
    for (phase, name) in [
        (Phase::Disaster, "disaster"),
        (Phase::Detection, "detection"),
        (Phase::Decision, "decision"),
        (Phase::Recovery, "recovery"),
        (Phase::Propagation, "propagation"),
        (Phase::Info, "info"),
    ] {
        let ly = bottom + 30;
        root.draw(&Rectangle::new(
            [(lx, ly), (lx + 12, ly + 12)],
            phase_color(phase).filled(),
        ))
        .map_err(err)?;
        root.draw(&Text::new(name, (lx + 16, ly), small.clone()))
            .map_err(err)?;
        lx += 120;
    }
    root.present().map_err(err)?;
    Ok(())
}
