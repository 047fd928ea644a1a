//! The advisor's answers as self-contained HTML pages: an optimisation's cost-against-p99-RTO chart with
//! the Pareto frontier highlighted and the variants' table, and a sensitivity analysis's tornado charts.

use sim_core::advise::explore::{KnobEffect, Optimization, Sensitivity};

use crate::advice::settings;
use crate::charts::{Point, color, scatter_svg};
use crate::html::{escape, page, table};
use crate::human::{estimate, signed_duration, usd_month};
use crate::svg::{Anchor, FONT, MIN_FONT, Svg, fit, text_width, tick_label, time_ticks};

/// The colour of points off the frontier.
const OFF_FRONTIER: &str = "#9aa5b1";

/// A variant's settings by the last part of each path (`desired=4, interval=10s`), for chart labels.
fn short(v: &sim_core::advise::explore::Evaluated) -> String {
    if v.settings.is_empty() {
        return settings(v);
    }
    v.settings
        .iter()
        .map(|(p, x)| format!("{}={x}", p.rsplit('.').next().unwrap_or(p)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An optimisation as a page.
pub fn optimize_html(o: &Optimization) -> String {
    let mut body = format!(
        "<h1>drsim optimize: {}</h1>\n<p class=\"lede\">Budgets: {}. {} variants; seed {}. The best variant \
         is the cheapest that meets every budget with confidence (the whole 95 % interval within it).</p>\n",
        escape(&o.scenario),
        escape(
            &o.budgets
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        o.variants.len(),
        o.seed
    );
    let points: Vec<Point> = o
        .variants
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let p99 = v.rto_p99.value.filter(|x| x.is_finite())?;
            Some(Point {
                label: if Some(i) == o.best {
                    format!("best: {}", short(v))
                } else {
                    short(v)
                },
                cost: v.monthly_usd,
                p99,
                colour: if v.frontier { color(3) } else { OFF_FRONTIER },
                frontier: v.frontier,
            })
        })
        .collect();
    if points.is_empty() {
        body.push_str(
            "<p class=\"note\">No variant recovered at p99: there is nothing to chart.</p>\n",
        );
    } else {
        body.push_str(&format!(
            "<figure>\n{}\n<figcaption class=\"note\">Each point is a variant; the red line joins the Pareto \
             frontier (no other variant is at least as cheap, as fast and as lossless, and better on one). \
             Hover a point for its figures.</figcaption>\n</figure>\n",
            scatter_svg(
                "chart-frontier",
                "Monthly cost vs p99 RTO, Pareto frontier highlighted",
                &points
            )
        ));
    }
    let rows: Vec<Vec<String>> = o
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            vec![
                settings(v),
                usd_month(Some(v.monthly_usd)),
                estimate(&v.rto_p99, 1),
                estimate(&v.rpo_p99, 1),
                if v.feasible { "yes" } else { "no" }.into(),
                match (Some(i) == o.best, v.frontier) {
                    (true, _) => "best, frontier".into(),
                    (false, true) => "frontier".into(),
                    _ => String::new(),
                },
            ]
        })
        .collect();
    body.push_str(&table(
        "table-variants",
        &["variant", "cost", "p99 RTO", "p99 RPO", "meets budgets", ""],
        &rows,
        &[0, 5],
    ));
    page(&format!("drsim optimize: {}", o.scenario), &body)
}

/// One tornado chart: a bar per knob from its lowest to its highest change.
fn tornado(
    id: &str,
    title: &str,
    knobs: &[KnobEffect],
    swing: impl Fn(&KnobEffect) -> (Option<f64>, Option<f64>),
    money: bool,
) -> String {
    let width = 820.0;
    let label_w = 240.0;
    let (x0, x1) = (label_w + 20.0, width - 30.0);
    let row = 28.0;
    let top = 56.0;
    let height = top + row * knobs.len() as f64 + 50.0;
    let reach = knobs
        .iter()
        .flat_map(|k| {
            let (a, b) = swing(k);
            [a, b]
        })
        .flatten()
        .map(f64::abs)
        .fold(0.0, f64::max)
        .max(if money { 1.0 } else { 0.001 });
    let mut svg = Svg::new(id, width, height, title);
    svg.title(title);
    let x = |v: f64| (x0 + x1) / 2.0 + v / reach * (x1 - x0) / 2.0 * 0.95;
    let bottom = top + row * knobs.len() as f64;
    let (ticks, step) = if money {
        let t = crate::svg::number_ticks(0.0, reach, 3);
        let step = t.get(1).copied().unwrap_or(reach);
        (t, step)
    } else {
        time_ticks(0.0, reach, 3)
    };
    for t in ticks
        .iter()
        .flat_map(|&t| if t > 0.0 { vec![t, -t] } else { vec![t] })
    {
        let px = x(t);
        svg.line(px, top - 6.0, px, bottom, "#ececec", 1.0);
        let label = if money {
            let v = usd_month(Some(t.abs()));
            if t < 0.0 { format!("−{v}") } else { v }
        } else {
            tick_label(t, step)
        };
        svg.text(
            px,
            bottom + 18.0,
            MIN_FONT,
            Anchor::Middle,
            "#444",
            &label,
            None,
        );
    }
    svg.line(x(0.0), top - 6.0, x(0.0), bottom, "#222", 1.5);
    let show = |v: f64| {
        if money {
            usd_month(Some(v))
        } else {
            signed_duration(v)
        }
    };
    for (i, k) in knobs.iter().enumerate() {
        let y = top + row * i as f64;
        let name = fit(&k.path, FONT, label_w);
        svg.text(
            label_w,
            y + 17.0,
            FONT,
            Anchor::End,
            "#222",
            &name,
            Some(&k.path),
        );
        let (lo, hi) = swing(k);
        let a = lo.map_or(x0, x);
        let b = hi.map_or(x1, x);
        let tip = format!(
            "{}: {} … {}",
            k.path,
            lo.map_or_else(|| "not recovered".into(), show),
            hi.map_or_else(|| "not recovered".into(), show)
        );
        svg.rect(
            a,
            y + 5.0,
            (b - a).max(1.5),
            row - 10.0,
            color(i),
            "",
            "",
            Some(&tip),
        );
        if hi.is_none() || lo.is_none() {
            let w = text_width("not recovered", MIN_FONT);
            svg.text(
                x1 - w,
                y + 4.0,
                MIN_FONT,
                Anchor::Start,
                "#a00",
                "not recovered",
                None,
            );
        }
    }
    svg.text(
        (x0 + x1) / 2.0,
        bottom + 38.0,
        FONT,
        Anchor::Middle,
        "#222",
        if money {
            "change of the monthly cost against the design as is"
        } else {
            "change against the design as is (left is better)"
        },
        None,
    );
    svg.finish()
}

/// A sensitivity analysis as a page: three tornado charts and the table of values.
pub fn sensitivity_html(s: &Sensitivity) -> String {
    let mut body = format!(
        "<h1>drsim sensitivity: {}</h1>\n<p class=\"lede\">As is: {}, p99 RTO {}, p99 RPO {} \
         ({} runs per variant, seed {}). Each knob is moved alone to each of its values; a bar spans the \
         lowest to the highest change it causes.</p>\n",
        escape(&s.scenario),
        usd_month(Some(s.base.monthly_usd)),
        escape(&estimate(&s.base.rto_p99, 1)),
        escape(&estimate(&s.base.rpo_p99, 1)),
        s.runs,
        s.seed
    );
    for (id, title, pick, money) in [
        ("chart-tornado-rto", "p99 RTO: change per knob", 0, false),
        ("chart-tornado-rpo", "p99 RPO: change per knob", 1, false),
        (
            "chart-tornado-cost",
            "Monthly cost: change per knob",
            2,
            true,
        ),
    ] {
        let chart = tornado(
            id,
            title,
            &s.knobs,
            |k| match pick {
                0 => k.rto_swing,
                1 => k.rpo_swing,
                _ => (Some(k.cost_swing.0), Some(k.cost_swing.1)),
            },
            money,
        );
        body.push_str(&format!("<figure>\n{chart}\n</figure>\n"));
    }
    let mut rows = Vec::new();
    for k in &s.knobs {
        for v in &k.values {
            rows.push(vec![
                k.path.clone(),
                v.settings.last().map_or(String::new(), |(_, x)| x.clone()),
                usd_month(Some(v.monthly_usd)),
                estimate(&v.rto_p99, 1),
                estimate(&v.rpo_p99, 1),
            ]);
        }
    }
    body.push_str(&table(
        "table-sensitivity",
        &["knob", "value", "cost", "p99 RTO", "p99 RPO"],
        &rows,
        &[0, 1],
    ));
    body.push_str(
        "<p class=\"note\">Variants share their random numbers (same seed, same component names), so \
         the changes are paired: they come from the knob, not from luck. Compare a change with the 95 % \
         intervals in the table before acting on it.</p>\n",
    );
    page(&format!("drsim sensitivity: {}", s.scenario), &body)
}
