//! The sweep charts: CDFs of RTO and RPO per strategy, and monthly cost against p99 RTO.
//!
//! Axes that span more than two decades are log10, with ticks on 1 ms, 10 ms … 1 s, 10 s, 1 m, 10 m, 1 h;
//! linear axes tick on round durations (1 m, 5 m, 15 m, 1 h…). Legends sit outside the plot, so they never
//! cover a curve; the cost axis starts near the cheapest strategy when the costs are close, not at 0.

use crate::human::usd_month;
use crate::model::Comparison;
use crate::svg::{
    Anchor, FONT, MIN_FONT, Svg, log_tick_label, log_time_ticks, number_ticks, text_width,
    tick_label, time_ticks,
};

/// Series colours, in strategy order (colour-blind-friendly Okabe–Ito, black last).
pub(crate) const PALETTE: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#b8a800", "#000000",
];

/// The colour of series `i`.
pub(crate) fn color(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// A value axis over seconds: linear from 0, or log10 when the values span more than two decades.
#[derive(Clone, Copy, Debug)]
struct Axis {
    log: bool,
    /// The range in seconds.
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
        if finite.is_empty() {
            return None;
        }
        let max = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min_pos = finite
            .iter()
            .copied()
            .filter(|v| *v > 0.0)
            .fold(f64::INFINITY, f64::min);
        if min_pos.is_finite() && max / min_pos > 100.0 {
            // Zeros sit on the left edge, at the decade below the smallest positive value.
            let lo = 10f64.powf((min_pos.log10() - 0.3).floor());
            let hi = 10f64.powf(max.log10() + 0.1);
            Some(Axis { log: true, lo, hi })
        } else {
            let hi = if max > 0.0 { max * 1.08 } else { 1.0 };
            Some(Axis {
                log: false,
                lo: 0.0,
                hi,
            })
        }
    }

    /// Where `v` seconds falls, 0..1 along the axis (clamped).
    fn frac(self, v: f64) -> f64 {
        let f = if self.log {
            let v = v.max(self.lo);
            (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        f.clamp(0.0, 1.0)
    }

    /// Tick positions and their labels.
    fn ticks(self, max_ticks: usize) -> Vec<(f64, String)> {
        if self.log {
            log_time_ticks(self.lo, self.hi)
                .into_iter()
                .map(|t| (t, log_tick_label(t)))
                .collect()
        } else {
            let (ticks, step) = time_ticks(self.lo, self.hi, max_ticks);
            ticks
                .into_iter()
                .map(|t| (t, tick_label(t, step)))
                .collect()
        }
    }
}

/// A plot area inside a picture.
struct Frame {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// Legend entries in rows under the plot, wrapping at the picture's width; returns the height used.
fn legend(svg: &mut Svg, entries: &[(String, &str)], y: f64, dry: bool) -> f64 {
    let (mut x, mut y) = (16.0, y);
    let start = y;
    for (label, colour) in entries {
        let w = 30.0 + text_width(label, FONT) + 24.0;
        if x + w > svg.width() - 8.0 && x > 16.0 {
            x = 16.0;
            y += 20.0;
        }
        if !dry {
            svg.line(x, y - 4.0, x + 22.0, y - 4.0, colour, 2.5);
            svg.text(x + 28.0, y, FONT, Anchor::Start, "#222", label, None);
        }
        x += w;
    }
    y - start + 20.0
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
    let width = 820.0;
    let entries: Vec<(String, &str)> = comparison
        .strategies
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let runs = s.samples.iter().filter(|x| !x.no_disaster).count();
            let with = s
                .samples
                .iter()
                .filter(|x| !x.no_disaster)
                .filter_map(|x| pick(&x))
                .filter(|v| v.is_finite())
                .count();
            let without = runs - with;
            let label = if without > 0 {
                format!("{} ({without} {missing})", s.name)
            } else {
                s.name.clone()
            };
            (label, color(i))
        })
        .collect();
    let mut probe = Svg::new("probe", width, 100.0, "");
    let legend_h = legend(&mut probe, &entries, 0.0, true);
    let plot_h = 300.0;
    let f = Frame {
        x0: 70.0,
        y0: 40.0,
        x1: width - 24.0,
        y1: 40.0 + plot_h,
    };
    let height = f.y1 + 52.0 + legend_h + 6.0;
    let id = format!("chart-{}-cdf", measure.to_lowercase());
    let scale = if axis.log { "log scale" } else { "linear" };
    let mut svg = Svg::new(&id, width, height, &format!("{measure} CDF"));
    svg.title(&format!(
        "{measure}: fraction of runs at or below ({scale})"
    ));
    svg.rect(
        f.x0,
        f.y0,
        f.x1 - f.x0,
        f.y1 - f.y0,
        "#ffffff",
        "#bbbbbb",
        "",
        None,
    );
    let x = |v: f64| f.x0 + axis.frac(v) * (f.x1 - f.x0);
    let y = |p: f64| f.y1 - p / 1.02 * (f.y1 - f.y0);
    for (t, label) in axis.ticks(8) {
        let px = x(t);
        svg.line(px, f.y0, px, f.y1, "#ececec", 1.0);
        svg.text(
            px,
            f.y1 + 20.0,
            MIN_FONT,
            Anchor::Middle,
            "#444",
            &label,
            None,
        );
    }
    for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let py = y(p);
        svg.line(f.x0, py, f.x1, py, "#ececec", 1.0);
        svg.text(
            f.x0 - 6.0,
            py + 4.0,
            MIN_FONT,
            Anchor::End,
            "#444",
            &format!("{:.0}%", p * 100.0),
            None,
        );
    }
    svg.text(
        (f.x0 + f.x1) / 2.0,
        f.y1 + 38.0,
        FONT,
        Anchor::Middle,
        "#222",
        &format!("{measure} ({scale})"),
        None,
    );
    for (i, s) in comparison.strategies.iter().enumerate() {
        let runs = s.samples.iter().filter(|x| !x.no_disaster).count();
        let mut values: Vec<f64> = s
            .samples
            .iter()
            .filter(|x| !x.no_disaster)
            .filter_map(|x| pick(&x))
            .filter(|v| v.is_finite())
            .collect();
        values.sort_by(f64::total_cmp);
        let n = runs.max(1) as f64;
        let mut points = vec![(f.x0, y(0.0))];
        for (k, v) in values.iter().enumerate() {
            points.push((x(*v), y(k as f64 / n)));
            points.push((x(*v), y((k + 1) as f64 / n)));
        }
        if let Some(&(_, last)) = points.last() {
            points.push((f.x1, last));
        }
        // Equal curves would hide each other: each later one is drawn a little thinner and dashed.
        let extra = if i == 0 {
            String::new()
        } else {
            format!("stroke-dasharray=\"{} 3\"", 10 - (i as i64 * 2).min(6))
        };
        svg.polyline(&points, color(i), 2.5, &extra);
    }
    legend(&mut svg, &entries, f.y1 + 64.0, false);
    svg.finish()
}

/// Monthly cost against p99 RTO, one labelled point per strategy with a known cost and a finite p99.
pub(crate) fn cost_scatter_svg(comparison: &Comparison) -> String {
    let points: Vec<Point> = comparison
        .strategies
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let cost = s.monthly_cost.filter(|c| c.is_finite())?;
            let p99 = s.summary.rto_s.p99.value.filter(|v| v.is_finite())?;
            Some(Point {
                label: s.name.clone(),
                cost,
                p99,
                colour: color(i),
                frontier: false,
            })
        })
        .collect();
    if points.is_empty() {
        return "<p class=\"note\" id=\"no-cost\">No strategy has both a known monthly cost and a recovered \
                p99 RTO, so there is no cost chart.</p>"
            .to_string();
    }
    scatter_svg(
        "chart-cost-rto",
        "Monthly cost vs p99 RTO (down and left is better)",
        &points,
    )
}

/// A labelled point of a cost chart.
pub(crate) struct Point {
    /// Its label.
    pub(crate) label: String,
    /// Monthly cost, USD.
    pub(crate) cost: f64,
    /// p99 RTO, seconds (finite).
    pub(crate) p99: f64,
    /// Its colour.
    pub(crate) colour: &'static str,
    /// On the Pareto frontier: drawn larger, joined to the other frontier points by a line.
    pub(crate) frontier: bool,
}

/// Monthly cost against p99 RTO for `points` (at least one).
pub(crate) fn scatter_svg(id: &str, title: &str, points: &[Point]) -> String {
    let rtos: Vec<f64> = points.iter().map(|p| p.p99).collect();
    let Some(axis) = Axis::fit(&rtos) else {
        return String::new();
    };
    // The cost axis: from 0 when the costs span most of it, else from a round value below the cheapest.
    let min_cost = points.iter().map(|p| p.cost).fold(f64::INFINITY, f64::min);
    let max_cost = points.iter().map(|p| p.cost).fold(0.0, f64::max);
    let pad = ((max_cost - min_cost) * 0.15).max(max_cost * 0.02).max(1.0);
    let (c_lo, c_hi) = if min_cost < (max_cost - min_cost) * 0.5 {
        (0.0, max_cost + pad)
    } else {
        let ticks = number_ticks(min_cost - pad, max_cost + pad, 6);
        let step = ticks.get(1).zip(ticks.first()).map_or(pad, |(b, a)| b - a);
        (
            ((min_cost - pad) / step).floor() * step,
            ((max_cost + pad) / step).ceil() * step,
        )
    };
    let width = 820.0;
    let f = Frame {
        x0: 80.0,
        y0: 56.0,
        x1: width - 30.0,
        y1: 346.0,
    };
    let height = f.y1 + 54.0;
    let mut svg = Svg::new(id, width, height, "monthly cost against p99 RTO");
    svg.title(title);
    svg.rect(
        f.x0,
        f.y0,
        f.x1 - f.x0,
        f.y1 - f.y0,
        "#ffffff",
        "#bbbbbb",
        "",
        None,
    );
    let x = |c: f64| f.x0 + (c - c_lo) / (c_hi - c_lo) * (f.x1 - f.x0);
    let y = |v: f64| f.y1 - axis.frac(v) * (f.y1 - f.y0);
    for c in number_ticks(c_lo, c_hi, 6) {
        let px = x(c);
        svg.line(px, f.y0, px, f.y1, "#ececec", 1.0);
        svg.text(
            px,
            f.y1 + 20.0,
            MIN_FONT,
            Anchor::Middle,
            "#444",
            &usd_month(Some(c)),
            None,
        );
    }
    for (t, label) in axis.ticks(6) {
        let py = y(t);
        svg.line(f.x0, py, f.x1, py, "#ececec", 1.0);
        svg.text(
            f.x0 - 6.0,
            py + 4.0,
            MIN_FONT,
            Anchor::End,
            "#444",
            &label,
            None,
        );
    }
    svg.text(
        (f.x0 + f.x1) / 2.0,
        f.y1 + 40.0,
        FONT,
        Anchor::Middle,
        "#222",
        if c_lo > 0.0 {
            "monthly steady-state cost (USD; the axis does not start at 0)"
        } else {
            "monthly steady-state cost (USD)"
        },
        None,
    );
    svg.text(
        f.x0 + 4.0,
        f.y0 - 8.0,
        FONT,
        Anchor::Start,
        "#222",
        "p99 RTO ↑",
        None,
    );
    // The frontier, cheapest first, as a line under its points.
    let mut front: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| p.frontier)
        .map(|p| (x(p.cost), y(p.p99)))
        .collect();
    front.sort_by(|a, b| a.0.total_cmp(&b.0));
    if front.len() > 1 {
        svg.polyline(&front, "#c0392b", 2.0, "");
    }
    // Labels: right of the point, else left, above or below, wherever they touch no other label.
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    for p in points {
        let (px, py) = (x(p.cost), y(p.p99));
        let name = &p.label;
        let tip = format!(
            "{name}: {} per month, p99 RTO {}{}",
            usd_month(Some(p.cost)),
            crate::human::duration(p.p99),
            if p.frontier {
                " (on the Pareto frontier)"
            } else {
                ""
            }
        );
        svg.circle(
            px,
            py,
            if p.frontier { 7.0 } else { 5.0 },
            p.colour,
            Some(&tip),
        );
        let w = text_width(name, FONT);
        let candidates = [
            (px + 10.0, py + 4.0),
            (px - 10.0 - w, py + 4.0),
            (px - w / 2.0, py - 12.0),
            (px - w / 2.0, py + 22.0),
        ];
        let free = candidates.into_iter().find(|&(lx, ly)| {
            let b = (lx, ly - 12.0, lx + w, ly + 3.0);
            b.0 >= f.x0 + 2.0
                && b.2 <= f.x1 - 2.0
                && b.1 >= f.y0
                && b.3 <= f.y1
                && taken
                    .iter()
                    .all(|t| b.2 < t.0 || b.0 > t.2 || b.3 < t.1 || b.1 > t.3)
        });
        if let Some((lx, ly)) = free {
            taken.push((lx, ly - 12.0, lx + w, ly + 3.0));
            svg.text(lx, ly, FONT, Anchor::Start, "#222", name, Some(&tip));
        }
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_axis_ticks_on_decades_and_minutes() {
        let a = Axis::fit(&[0.5, 30.0, 4000.0]).expect("fits");
        assert!(a.log);
        let labels: Vec<String> = a.ticks(8).into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["100 ms", "1 s", "10 s", "1 m", "10 m", "1 h"]);
        let lin = Axis::fit(&[100.0, 900.0]).expect("fits");
        let labels: Vec<String> = lin.ticks(8).into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["0", "5 m", "10 m", "15 m"]);
    }
}
