//! SVG charts drawn with plotters: CDFs of RTO and RPO per strategy, and cost against p99 RTO.
//!
//! Axes that span orders of magnitude are drawn on log10 values computed here (one coordinate type for
//! both scales), labelled back in human durations. Any plotting error becomes a note, never a panic.

use plotters::prelude::*;

use crate::human::{duration, usd_month};
use crate::model::Comparison;

/// Series colours, in strategy order (colour-blind-friendly Okabe–Ito, black last).
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

/// The colour of series `i`.
pub(crate) fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Font family for chart text: generic, so no font file is needed to build or view.
pub(crate) const FONT: &str = "sans-serif";

/// A chart as an `<svg>` element carrying `id`, or an error message.
pub(crate) fn with_id(svg: String, id: &str) -> String {
    svg.replacen("<svg ", &format!("<svg id=\"{id}\" role=\"img\" "), 1)
}

/// A value axis over seconds: linear from 0, or log10 when the values span more than two decades.
#[derive(Clone, Copy, Debug)]
struct Axis {
    log: bool,
    lo: f64,
    hi: f64,
}

impl Axis {
    /// Fits the finite, non-negative `values`; `None` when there are none.
    fn fit(values: &[f64]) -> Option<Axis> {
        let finite: Vec<f64> = values
            .iter()
            .copied()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .collect();
        let max = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if finite.is_empty() {
            return None;
        }
        let min_pos = finite
            .iter()
            .copied()
            .filter(|v| *v > 0.0)
            .fold(f64::INFINITY, f64::min);
        if min_pos.is_finite() && max / min_pos > 100.0 {
            // Zeros sit on the left edge, half a decade below the smallest positive value.
            let lo = (min_pos.log10() - 0.5).floor();
            let hi = max.log10() + 0.1;
            Some(Axis { log: true, lo, hi })
        } else {
            let hi = if max > 0.0 { max * 1.1 } else { 1.0 };
            Some(Axis {
                log: false,
                lo: 0.0,
                hi,
            })
        }
    }

    /// Where a value in seconds goes on the axis (clamped into the range).
    fn to_axis(self, v: f64) -> f64 {
        let x = if self.log {
            if v > 0.0 { v.log10() } else { self.lo }
        } else {
            v
        };
        x.clamp(self.lo, self.hi)
    }

    /// A tick label: the duration the axis position stands for.
    fn label(self, x: f64) -> String {
        duration(if self.log { 10f64.powf(x) } else { x })
    }
}

/// The CDF of one measure (`rto` or `rpo`) per strategy: one step line each, over the runs that had a
/// disaster within the horizon. Runs without a value (`missing`: "not recovered", "not determined") keep
/// the curve below 1 and are named in the legend.
pub(crate) fn cdf_svg(
    comparison: &Comparison,
    measure: &str,
    missing: &str,
    pick: fn(&sim_core::sweep::Sample<'_>) -> Option<f64>,
) -> String {
    let all: Vec<f64> = comparison
        .strategies
        .iter()
        .flat_map(|s| {
            s.samples
                .iter()
                .filter(|x| !x.no_disaster)
                .filter_map(|x| pick(&x))
        })
        .collect();
    let Some(axis) = Axis::fit(&all) else {
        return format!("<p class=\"note\">No recovered runs to draw a {measure} CDF from.</p>");
    };
    let mut svg = String::new();
    let drawn = draw_cdf(&mut svg, comparison, measure, missing, pick, axis);
    match drawn {
        Ok(()) => with_id(svg, &format!("chart-{}-cdf", measure.to_lowercase())),
        Err(e) => format!("<p class=\"note\">The {measure} CDF could not be drawn: {e}</p>"),
    }
}

fn draw_cdf(
    svg: &mut String,
    comparison: &Comparison,
    measure: &str,
    missing: &str,
    pick: fn(&sim_core::sweep::Sample<'_>) -> Option<f64>,
    axis: Axis,
) -> Result<(), String> {
    let root = SVGBackend::with_string(svg, (760, 400)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let scale = if axis.log { "log scale" } else { "linear" };
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{measure}: fraction of runs at or below ({scale})"),
            (FONT, 18),
        )
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(52)
        .build_cartesian_2d(axis.lo..axis.hi, 0f64..1.02f64)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc(measure)
        .y_desc("fraction of runs")
        .x_labels(8)
        .x_label_formatter(&|x| axis.label(*x))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    for (i, s) in comparison.strategies.iter().enumerate() {
        let runs = s.samples.iter().filter(|x| !x.no_disaster).count();
        let mut values: Vec<f64> = s
            .samples
            .iter()
            .filter(|x| !x.no_disaster)
            .filter_map(|x| pick(&x))
            .collect();
        values.retain(|v| v.is_finite());
        values.sort_by(f64::total_cmp);
        let n = runs.max(1) as f64;
        let mut points = vec![(axis.lo, 0.0)];
        for (k, v) in values.iter().enumerate() {
            let x = axis.to_axis(*v);
            points.push((x, k as f64 / n));
            points.push((x, (k + 1) as f64 / n));
        }
        if let Some(&(_, y)) = points.last() {
            points.push((axis.hi, y));
        }
        let without = runs - values.len();
        let label = if without > 0 {
            format!("{} ({without} {missing})", s.name)
        } else {
            s.name.clone()
        };
        let c = color(i);
        chart
            .draw_series(LineSeries::new(points, c.stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .label_font((FONT, 13))
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}

/// Monthly cost against p99 RTO, one labelled point per strategy with a known cost and a finite p99.
pub(crate) fn cost_scatter_svg(comparison: &Comparison) -> String {
    let points: Vec<(usize, f64, f64)> = comparison
        .strategies
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let cost = s.monthly_cost.filter(|c| c.is_finite())?;
            let p99 = s.summary.rto_s.p99.value.filter(|v| v.is_finite())?;
            Some((i, cost, p99))
        })
        .collect();
    if points.is_empty() {
        return "<p class=\"note\" id=\"no-cost\">No strategy has both a known monthly cost and a recovered \
                p99 RTO, so there is no cost chart.</p>"
            .to_string();
    }
    let rtos: Vec<f64> = points.iter().map(|p| p.2).collect();
    let Some(axis) = Axis::fit(&rtos) else {
        return String::new();
    };
    let mut svg = String::new();
    match draw_scatter(&mut svg, comparison, &points, axis) {
        Ok(()) => with_id(svg, "chart-cost-rto"),
        Err(e) => format!("<p class=\"note\">The cost chart could not be drawn: {e}</p>"),
    }
}

fn draw_scatter(
    svg: &mut String,
    comparison: &Comparison,
    points: &[(usize, f64, f64)],
    axis: Axis,
) -> Result<(), String> {
    let max_cost = points.iter().map(|p| p.1).fold(0.0, f64::max);
    let x_hi = if max_cost > 0.0 { max_cost * 1.3 } else { 1.0 };
    let root = SVGBackend::with_string(svg, (760, 380)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut chart = ChartBuilder::on(&root)
        .caption("Monthly cost vs p99 RTO", (FONT, 18))
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..x_hi, axis.lo..axis.hi)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("monthly cost (USD)")
        .y_desc("p99 RTO")
        .x_label_formatter(&|x| usd_month(Some(*x)))
        .y_label_formatter(&|y| axis.label(*y))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(points.iter().map(|&(i, cost, p99)| {
            let name = comparison.strategies[i].name.clone();
            EmptyElement::at((cost, axis.to_axis(p99)))
                + Circle::new((0, 0), 6, color(i).filled())
                + Text::new(name, (9, -7), (FONT, 13).into_font())
        }))
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}
