//! # report: drsim's renderers
//!
//! Results in, text out. `sim-core` measures; this crate only presents: terminal text ([`run_text`],
//! [`sweep_text`], [`compare_text`], [`replay_text`]), JSON ([`run_json`], [`sweep_json`],
//! [`compare_json`]), Markdown ([`sweep_markdown`], [`compare_markdown`]) and a self-contained HTML page
//! with SVG charts ([`html_report`], [`run_html`]).
//!
//! **Invariant:** this crate computes nothing about the simulation; statistics such as paired differences
//! live in `sim_core::sweep::stats`. **Invariant:** the same input gives byte-identical output (no clocks, no
//! hash-map order), and no input panics (empty sweeps, runs that never recover).

mod advice;
mod advice_html;
mod charts;
mod cost;
mod course;
mod gantt;
mod html;
pub mod human;
mod json;
mod markdown;
mod model;
mod ratio_chart;
mod runbook_view;
mod story;
mod svg;
mod table;
mod text;
mod topology_view;

pub use advice::{assess_markdown, assess_text, optimize_text, sensitivity_text, set_args};
pub use advice_html::{optimize_html, sensitivity_html};
pub use cost::{cost_json, cost_markdown, cost_text, total as cost_total, usd};
pub use course::{course_text, expectation_text};
pub use html::{html_report, run_html};
pub use json::{compare_json, run_json, summary_json, sweep_json};
pub use markdown::{compare_markdown, sweep_markdown};
pub use model::{Comparison, Paired, Replay, Report, StrategyReport};
pub use story::{Line, story};
pub use text::{compare_text, replay_text, run_text, sweep_text};

use std::fmt::Write as _;

use sim_core::demo::DemoResult;

/// A human summary of one demo run, as the terminal shows it.
pub fn demo_summary(result: &DemoResult) -> String {
    let mut out = String::new();
    let rto = result.rto.map_or_else(
        || "not recovered within the horizon".to_string(),
        |d| d.to_string(),
    );
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "drsim demo (seed {}): a cross-Region replica takes over after its Region fails",
        result.seed
    );
    let _ = writeln!(out, "  Region fails at    {}", result.onset);
    let _ = writeln!(out, "  writes acknowledged {}", result.acknowledged);
    let _ = writeln!(out, "  writes lost         {}", result.lost);
    let _ = writeln!(out, "  RPO (measured)      {}", result.rpo);
    let _ = writeln!(out, "  RTO (measured)      {rto}");
    let _ = writeln!(out, "  events              {}", result.events);
    let _ = writeln!(out, "  trace digest        {}", result.digest);
    out
}

/// One run as a single JSON object: the raw fields plus `rpo_s` / `rto_s` in seconds (`null` when not
/// recovered), the form scripts and CI read.
pub fn demo_json(result: &DemoResult) -> serde_json::Value {
    serde_json::json!({
        "scenario": "demo",
        "seed": result.seed,
        "onset_s": result.onset.since_start().as_secs_f64(),
        "acknowledged_writes": result.acknowledged,
        "lost_writes": result.lost,
        "rpo_s": result.rpo.as_secs_f64(),
        "rto_s": result.rto.map(|d| d.as_secs_f64()),
        "events": result.events,
        "digest": result.digest.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_and_json_show_the_measured_values() {
        let result = sim_core::demo::run_demo(3).unwrap();
        let text = demo_summary(&result);
        assert!(text.contains(&result.digest.to_string()));
        assert!(text.contains(&result.rpo.to_string()));
        let json = demo_json(&result);
        assert_eq!(json["lost_writes"], result.lost);
        assert_eq!(json["digest"], result.digest.to_string());
        assert!(json["rto_s"].as_f64().unwrap() > 0.0);
    }
}
