//! A small hand-written SVG builder for the report's charts and diagrams: text at a known size (never below
//! [`MIN_FONT`]), `<title>` tooltips, and axes whose ticks fall on round values (1 m, 5 m, 15 m, 1 h…).
//!
//! Every string goes through [`crate::html::escape`]; coordinates are rounded to 0.1 px so the same input
//! gives the same bytes.

use std::fmt::Write as _;

use crate::html::escape;

/// The smallest text any chart draws, in px (the browser test fails below it).
pub(crate) const MIN_FONT: u32 = 11;
/// Body text of charts.
pub(crate) const FONT: u32 = 12;
/// Chart titles.
pub(crate) const TITLE_FONT: u32 = 15;

/// An approximate text width at `size` px in the generic sans-serif font, for layout (a little wide on
/// purpose: labels are placed so they cannot touch even in a wide fallback font).
pub(crate) fn text_width(text: &str, size: u32) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '|' | '!' | '\'' | ' ' => 0.32,
            'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.9,
            c if c.is_ascii_uppercase() => 0.68,
            _ => 0.58,
        })
        .sum::<f64>()
        * size as f64
}

/// Shortens `text` to fit `width` px at `size`, ending in "…" when cut.
pub(crate) fn fit(text: &str, size: u32, width: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&out, size) + text_width("…", size) > width {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract().abs() < 1e-9 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Text anchoring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An SVG document being written.
pub(crate) struct Svg {
    out: String,
    width: f64,
}

impl Svg {
    /// A `width` × `height` picture with `id`, described by `label` for screen readers.
    pub(crate) fn new(id: &str, width: f64, height: f64, label: &str) -> Svg {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg id=\"{}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" \
             width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" font-family=\"sans-serif\" font-size=\"{FONT}\">",
            escape(id),
            escape(label),
            n(width),
            n(height),
            n(width),
            n(height)
        );
        let _ = writeln!(
            out,
            "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            n(width),
            n(height)
        );
        Svg { out, width }
    }

    /// The width.
    pub(crate) fn width(&self) -> f64 {
        self.width
    }

    /// Raw markup (already escaped by the caller).
    pub(crate) fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
        self.out.push('\n');
    }

    /// A text label; `size` is raised to [`MIN_FONT`].
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &mut self,
        x: f64,
        y: f64,
        size: u32,
        anchor: Anchor,
        fill: &str,
        text: &str,
        tooltip: Option<&str>,
    ) {
        let size = size.max(MIN_FONT);
        let title = tooltip.map_or(String::new(), |t| format!("<title>{}</title>", escape(t)));
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{size}\" text-anchor=\"{}\" fill=\"{fill}\">{title}{}</text>",
            n(x),
            n(y),
            anchor.as_str(),
            escape(text)
        );
    }

    /// A bold title at the top left.
    pub(crate) fn title(&mut self, text: &str) {
        let _ = writeln!(
            self.out,
            "<text x=\"10\" y=\"20\" font-size=\"{TITLE_FONT}\" font-weight=\"600\" fill=\"#222\">{}</text>",
            escape(text)
        );
    }

    /// A line.
    pub(crate) fn line(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, stroke: &str, width: f64) {
        let _ = writeln!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
            n(x0),
            n(y0),
            n(x1),
            n(y1),
            n(width)
        );
    }

    /// A dashed line.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn dashed(
        &mut self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        stroke: &str,
        width: f64,
        dash: &str,
    ) {
        let _ = writeln!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\" \
             stroke-dasharray=\"{dash}\"/>",
            n(x0),
            n(y0),
            n(x1),
            n(y1),
            n(width)
        );
    }

    /// A rectangle; `stroke` empty for none, `extra` more attributes (e.g. a dash array).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn rect(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &str,
        stroke: &str,
        extra: &str,
        tooltip: Option<&str>,
    ) {
        let stroke = if stroke.is_empty() {
            String::new()
        } else {
            format!(" stroke=\"{stroke}\"")
        };
        let title = tooltip.map_or(String::new(), |t| format!("<title>{}</title>", escape(t)));
        let _ = writeln!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"{stroke} {extra}>{title}</rect>",
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0))
        );
    }

    /// A polyline through `points`.
    pub(crate) fn polyline(
        &mut self,
        points: &[(f64, f64)],
        stroke: &str,
        width: f64,
        extra: &str,
    ) {
        let pts: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{},{}", n(x), n(y)))
            .collect();
        let _ = writeln!(
            self.out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{}\" {extra}/>",
            pts.join(" "),
            n(width)
        );
    }

    /// A filled polygon.
    pub(crate) fn polygon(&mut self, points: &[(f64, f64)], fill: &str, tooltip: Option<&str>) {
        let pts: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{},{}", n(x), n(y)))
            .collect();
        let title = tooltip.map_or(String::new(), |t| format!("<title>{}</title>", escape(t)));
        let _ = writeln!(
            self.out,
            "<polygon points=\"{}\" fill=\"{fill}\">{title}</polygon>",
            pts.join(" ")
        );
    }

    /// A circle.
    pub(crate) fn circle(&mut self, x: f64, y: f64, r: f64, fill: &str, tooltip: Option<&str>) {
        let title = tooltip.map_or(String::new(), |t| format!("<title>{}</title>", escape(t)));
        let _ = writeln!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\">{title}</circle>",
            n(x),
            n(y),
            n(r)
        );
    }

    /// A line ending in an arrowhead at `(x1, y1)`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn arrow(&mut self, points: &[(f64, f64)], stroke: &str, width: f64, dash: &str) {
        let [.., (ax, ay), (bx, by)] = points else {
            return;
        };
        let (dx, dy) = (bx - ax, by - ay);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (ux, uy) = (dx / len, dy / len);
        let mut shaft = points.to_vec();
        if let Some(last) = shaft.last_mut() {
            *last = (bx - ux * 7.0, by - uy * 7.0);
        }
        let extra = if dash.is_empty() {
            String::new()
        } else {
            format!("stroke-dasharray=\"{dash}\"")
        };
        self.polyline(&shaft, stroke, width, &extra);
        self.polygon(
            &[
                (*bx, *by),
                (bx - ux * 9.0 - uy * 4.5, by - uy * 9.0 + ux * 4.5),
                (bx - ux * 9.0 + uy * 4.5, by - uy * 9.0 - ux * 4.5),
            ],
            stroke,
            None,
        );
    }

    /// The finished `<svg>`.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// Round steps for a time axis, in seconds: 1 ms … 1 week.
const TIME_STEPS: [f64; 27] = [
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0,
    120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0, 43200.0, 86400.0,
];

/// Round tick positions covering `[lo, hi]` seconds with at most about `max_ticks` ticks: multiples of the
/// smallest step from 1 ms, 2 ms, 5 ms … 1 s, 2 s, 5 s, 10 s, 15 s, 30 s, 1 m, 2 m, 5 m, 10 m, 15 m,
/// 30 m, 1 h, 2 h, 3 h, 6 h, 12 h, 1 d that keeps them few enough.
pub(crate) fn time_ticks(lo: f64, hi: f64, max_ticks: usize) -> (Vec<f64>, f64) {
    let span = (hi - lo).max(1e-9);
    let step = TIME_STEPS
        .iter()
        .copied()
        .find(|s| span / s <= max_ticks.max(1) as f64)
        .unwrap_or_else(|| (span / max_ticks.max(1) as f64 / 86400.0).ceil() * 86400.0);
    (multiples(lo, hi, step), step)
}

/// Round ticks for a plain number axis: multiples of 1, 2 or 5 × 10^k.
pub(crate) fn number_ticks(lo: f64, hi: f64, max_ticks: usize) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / max_ticks.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= max_ticks as f64)
        .unwrap_or(10.0 * mag);
    multiples(lo, hi, step)
}

fn multiples(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last.min(first + 1000))
        .map(|k| (k as f64 * step * 1e9).round() / 1e9)
        .collect()
}

/// A tick label for `secs` on an axis whose step is `step` seconds: `0`, `30 s`, `5 m`, `1 h 30 m`,
/// `250 ms` — as short as the step allows (no seconds on an axis of whole minutes).
pub(crate) fn tick_label(secs: f64, step: f64) -> String {
    let sign = if secs < -1e-9 { "−" } else { "" };
    let s = secs.abs();
    if s < 1e-9 {
        return "0".to_string();
    }
    let body = if step < 1.0 {
        if s < 1.0 {
            format!("{} ms", (s * 1000.0).round())
        } else {
            format!("{} s", trim(s))
        }
    } else if step < 60.0 && s < 60.0 {
        format!("{} s", trim(s))
    } else if step < 3600.0 && s < 3600.0 {
        let m = (s / 60.0).floor();
        let rest = (s - m * 60.0).round();
        if rest > 0.0 {
            format!("{m} m {rest} s")
        } else {
            format!("{m} m")
        }
    } else if s < 86400.0 {
        let h = (s / 3600.0).floor();
        let rest = ((s - h * 3600.0) / 60.0).round();
        if rest > 0.0 {
            format!("{h} h {rest} m")
        } else {
            format!("{h} h")
        }
    } else {
        let d = (s / 86400.0).floor();
        let rest = ((s - d * 86400.0) / 3600.0).round();
        if rest > 0.0 {
            format!("{d} d {rest} h")
        } else {
            format!("{d} d")
        }
    };
    format!("{sign}{body}")
}

fn trim(v: f64) -> String {
    let r = (v * 1000.0).round() / 1000.0;
    let s = format!("{r:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Round log-axis ticks (seconds) in `[lo, hi]`: 1, 10, 100 ms, 1 s, 10 s, 1 m, 10 m, 1 h, 10 h, 1 d.
pub(crate) fn log_time_ticks(lo: f64, hi: f64) -> Vec<f64> {
    [
        0.001, 0.01, 0.1, 1.0, 10.0, 60.0, 600.0, 3600.0, 36000.0, 86400.0, 864000.0,
    ]
    .into_iter()
    .filter(|t| *t >= lo * 0.999 && *t <= hi * 1.001)
    .collect()
}

/// A label for a log-axis tick of seconds.
pub(crate) fn log_tick_label(secs: f64) -> String {
    match secs {
        s if s < 1.0 => format!("{} ms", (s * 1000.0).round()),
        s if s < 60.0 => format!("{} s", s.round()),
        s if s < 3600.0 => format!("{} m", (s / 60.0).round()),
        s if s < 86400.0 => format!("{} h", (s / 3600.0).round()),
        s => format!("{} d", (s / 86400.0).round()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ticks_fall_on_round_durations() {
        let (ticks, step) = time_ticks(0.0, 3600.0, 8);
        assert!((step - 600.0).abs() < 1e-9);
        assert_eq!(tick_label(ticks[1], step), "10 m");
        assert_eq!(tick_label(3600.0, step), "1 h");
        let (_, step) = time_ticks(-60.0, 600.0, 8);
        assert!((step - 120.0).abs() < 1e-9);
        assert_eq!(tick_label(-45.0, 15.0), "−45 s");
        assert_eq!(tick_label(-60.0, 15.0), "−1 m");
        assert_eq!(tick_label(0.25, 0.05), "250 ms");
        assert_eq!(tick_label(5400.0, 1800.0), "1 h 30 m");
    }

    #[test]
    fn number_ticks_are_one_two_five() {
        assert_eq!(
            number_ticks(1800.0, 4400.0, 6),
            vec![2000.0, 2500.0, 3000.0, 3500.0, 4000.0]
        );
        assert_eq!(
            number_ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
    }

    #[test]
    fn fit_cuts_with_an_ellipsis() {
        assert_eq!(fit("short", 12, 200.0), "short");
        let cut = fit("a very long resource name indeed", 12, 60.0);
        assert!(cut.ends_with('…') && text_width(&cut, 12) <= 60.0 + 8.0);
    }
}
