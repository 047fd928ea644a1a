//! The self-contained HTML report: inline CSS and SVG, no scripts, no network, every text escaped.

use std::fmt::Write as _;

use sim_core::cost::CostLine;
use sim_core::measure::RunResult;
use sim_core::spec::{CourseRef, Scenario};

use crate::charts::{cdf_svg, cost_scatter_svg};
use crate::gantt::timeline_svg;
use crate::human::{NONE, duration, offset_clock, usd_month};
use crate::model::{Comparison, Replay, Report, StrategyReport};
use crate::ratio_chart::success_svg;
use crate::runbook_view::runbook_svg;
use crate::text::{
    COMPARE_HEADER, PAIRED_HEADER, RUN_FLOW_HEADER, RUN_STORE_HEADER, SWEEP_FLOW_HEADER,
    SWEEP_STORE_HEADER, compare_rows, paired_rows, run_flow_rows, run_store_rows, sweep_flow_rows,
    sweep_store_rows,
};
use crate::topology_view::topology_svg;

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 0 auto; max-width: 1200px;
       padding: 1rem 1.5rem 3rem; color: #222; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { border-collapse: collapse; margin: .6rem 0; font-size: 13px; max-width: 100%; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: right; }
td { white-space: nowrap; }
th { white-space: normal; background: #f4f6f8; vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; }
td.text { text-align: left; white-space: normal; min-width: 14rem; }
tr.subtotal td { font-weight: 600; background: #fafafa; }
tr.total td { font-weight: 700; border-top: 2px solid #999; }
td.flag { color: #a00000; font-weight: 600; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 13px; }
.note { color: #555; font-style: italic; }
.lede { color: #444; }
abbr[title] { text-decoration: underline dotted; cursor: help; }
dl { display: grid; grid-template-columns: max-content auto; gap: .15rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
.scroll { overflow-x: auto; }
.side { display: flex; gap: 2rem; flex-wrap: wrap; align-items: flex-start; }
";

/// Terms explained where they appear: the word and what it means, shown on hover (`<abbr title>`).
const TERMS: [(&str, &str); 7] = [
    (
        "p50",
        "p50: the median; half of the runs are at or below it",
    ),
    (
        "p99",
        "p99: 99% of the runs are at or below it; 1 in 100 is worse",
    ),
    (
        "95% CI",
        "95% CI: a 95% confidence interval; with more runs it narrows",
    ),
    (
        "ΔRTO",
        "paired difference: per replication, this strategy's RTO minus the baseline's, on the same seed",
    ),
    (
        "ΔRPO",
        "paired difference: per replication, this strategy's RPO minus the baseline's, on the same seed",
    ),
    (
        "pre-onset RPO",
        "pre-onset RPO: how far back before the disaster's onset the oldest lost write was acknowledged",
    ),
    (
        "worst window",
        "worst window: the lowest success ratio of any measurement window after the onset",
    ),
];

/// Escaped `text` with each known term wrapped in an `<abbr>` that explains it.
fn explain(text: &str) -> String {
    let mut out = escape(text);
    for (term, meaning) in TERMS {
        let t = escape(term);
        // Only the first mention per cell, and never inside markup already added.
        let inside_tag = |out: &str, at: usize| out[..at].rfind('<') > out[..at].rfind('>');
        if let Some(at) = out.find(&t).filter(|&at| !inside_tag(&out, at)) {
            out.replace_range(
                at..at + t.len(),
                &format!("<abbr title=\"{}\">{t}</abbr>", escape(meaning)),
            );
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An HTML table; `text_cols` are left-aligned, wrapping prose columns.
pub(crate) fn table(
    id: &str,
    header: &[&str],
    rows: &[Vec<String>],
    text_cols: &[usize],
) -> String {
    let mut out = format!(
        "<div class=\"scroll\"><table id=\"{}\">\n<thead><tr>",
        escape(id)
    );
    for h in header {
        let _ = write!(out, "<th>{}</th>", explain(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for i in 0..header.len() {
            let cell = row.get(i).map_or("", String::as_str);
            let class = match (text_cols.contains(&i), cell.starts_with('⚠')) {
                (_, true) => " class=\"text flag\"",
                (true, false) => " class=\"text\"",
                (false, false) => "",
            };
            let _ = write!(out, "<td{class}>{}</td>", escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// The page around `body`.
pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\
         <footer class=\"note\">Generated by drsim. Same inputs, same page.</footer>\n</body>\n</html>\n",
        escape(title)
    )
}

/// A figure holding a chart (already an `<svg>` or a note).
fn figure(chart: &str, caption: &str) -> String {
    format!(
        "<figure>\n{chart}\n<figcaption class=\"note\">{}</figcaption>\n</figure>\n",
        escape(caption)
    )
}

/// The course's expectation and drsim's figures side by side: a sentence, then a row per metric.
fn course_html(
    id: &str,
    course: &CourseRef,
    rto: Option<f64>,
    rpo: Option<f64>,
    what: &str,
) -> String {
    let mut out = format!(
        "<p class=\"lede\"><strong>The course (module {}) expects:</strong> “{}”</p>\n",
        escape(&course.module),
        escape(&course.expectation)
    );
    let rows = vec![
        crate::course::row(&course.expectation, "RTO", rto, what),
        crate::course::row(&course.expectation, "RPO", rpo, what),
    ];
    out.push_str(&table(
        id,
        &["", "the course says", "drsim measured", "verdict"],
        &rows,
        &[1, 3],
    ));
    out.push_str(
        "<p class=\"note\">The band is read from the course's words (\"seconds\": under a minute, \
         \"minutes\": 1 to 60 minutes, \"hours\": an hour or more…); a figure outside it is flagged ⚠. \
         Where they differ, the course gives the usual case and drsim measures this scenario's: detection, \
         decisions and propagation that the sentence leaves out count in the measured RTO.</p>\n",
    );
    out
}

/// A cost breakdown: a line per priced item, a subtotal per resource with more than one, the total (the
/// same rows as the text and Markdown breakdowns).
fn cost_table(id: &str, lines: &[CostLine]) -> String {
    let breakdown = crate::cost::rows(lines, |usd| usd_month(Some(usd)));
    let classes: Vec<&str> = breakdown.iter().map(|r| r.class).collect();
    let rows: Vec<Vec<String>> = breakdown.into_iter().map(|r| r.cells).collect();
    let html = table(id, &crate::cost::HEADER, &rows, &[1]);
    // Mark subtotal and total rows (the table helper writes plain rows, in order).
    let mut out = String::with_capacity(html.len());
    let mut k = 0;
    for part in html.split_inclusive("<tr>") {
        out.push_str(part);
        if part.ends_with("<tr>") && out.contains("<tbody>") {
            if let Some(c) = classes.get(k).filter(|c| !c.is_empty()) {
                out.truncate(out.len() - "<tr>".len());
                let _ = write!(out, "<tr class=\"{c}\">");
            }
            k += 1;
        }
    }
    out
}

/// The comparison: strategies, the table, paired differences, CDFs, cost, the course's expectations,
/// per-flow/per-store summaries.
fn comparison_html(c: &Comparison) -> String {
    let mut out = String::from("<h2 id=\"strategies\">Strategies</h2>\n<dl>\n");
    for s in &c.strategies {
        let desc = if s.description.is_empty() {
            NONE
        } else {
            &s.description
        };
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(&s.name), escape(desc));
    }
    out.push_str("</dl>\n<h2 id=\"compare\">Measured RTO and RPO</h2>\n");
    out.push_str(
        "<p class=\"lede\">Values are <code>p [95% CI]</code>: <abbr title=\"the median: half of the runs \
         are at or below it\">p50</abbr> and <abbr title=\"99% of the runs are at or below it; 1 in 100 is \
         worse\">p99</abbr> over the runs, each with a 95% <abbr title=\"confidence interval: where the \
         true percentile lies with 95% confidence; more runs narrow it\">CI</abbr>. RTO is the time from \
         the onset until every flow's success ratio stays above its SLO; runs that did not recover within \
         the horizon are counted, never given a number. RPO is the data-loss window: the acknowledgement \
         time whose writes were lost, before or after the onset; runs whose RPO is not determined, and runs \
         with no disaster within the horizon, are counted and left out.</p>\n",
    );
    out.push_str(&table(
        "compare-table",
        &COMPARE_HEADER,
        &compare_rows(c),
        &[],
    ));
    let after = crate::text::after_rows(c);
    if !after.is_empty() {
        out.push_str(
            "<h3 id=\"after\">After the disaster: exposure and failback</h3>\n<p class=\"lede\">The \
             <b>exposure window</b> is the time the data had no current copy outside its writer's Region \
             (after a cross-Region failover, until a replica there is re-added or created; still exposed at \
             the horizon counts as not ended). <b>Failback</b> is measured in the runs whose disaster healed \
             within the horizon: from the heal until clients are served from the primary again, the extra \
             downtime it caused and the writes lost after the heal (split-brain writes to a stale copy).</p>\n",
        );
        out.push_str(&table(
            "after-table",
            &crate::text::AFTER_HEADER,
            &after,
            &[],
        ));
    }
    let paired = paired_rows(c);
    if let (false, Some(base)) = (paired.is_empty(), c.strategies.first()) {
        let _ = writeln!(
            out,
            "<h3>Paired differences vs {}</h3>\n<p class=\"lede\"><abbr title=\"for each replication, the \
             difference between two strategies run on the same seed\">Paired differences</abbr>: per \
             replication, this − {}, on the same seeds (common random numbers): each strategy faces the \
             same disasters at the same moments, so the difference is the strategy's, not luck's. A \
             negative ΔRTO means this strategy recovers sooner.</p>",
            escape(&base.name),
            escape(&base.name)
        );
        out.push_str(&table("paired-table", &PAIRED_HEADER, &paired, &[3, 5]));
    }
    out.push_str("<h2 id=\"cdf\">Distributions</h2>\n");
    out.push_str(&figure(
        &cdf_svg(c, "RTO", "not recovered", |s| s.rto_s),
        "RTO CDF per strategy: for each RTO on the axis, the share of runs that recovered at least that \
         fast. A curve that stays below 100% has runs that did not recover within the horizon.",
    ));
    out.push_str(&figure(
        &cdf_svg(c, "RPO", "not determined", |s| s.rpo_s),
        "RPO (data-loss window) CDF per strategy. On a log axis, an RPO of 0 sits on the left edge. \
         Strategies that replicate the same way draw the same curve (common random numbers); later curves \
         are dashed so an equal one still shows.",
    ));
    out.push_str("<h2 id=\"cost\">Cost</h2>\n");
    out.push_str(&figure(
        &cost_scatter_svg(c),
        "Monthly steady-state cost against p99 RTO (strategies with a known cost and a recovered p99).",
    ));
    for s in c.strategies.iter().filter(|s| !s.cost_lines.is_empty()) {
        let _ = writeln!(
            out,
            "<h3>{}: {} per month</h3>",
            escape(&s.name),
            escape(&usd_month(s.monthly_cost))
        );
        out.push_str(&cost_table(&format!("cost-{}", s.name), &s.cost_lines));
    }
    if c.strategies.iter().any(|s| s.course.is_some()) {
        out.push_str("<h2 id=\"course\">What the course expects</h2>\n");
        for s in c.strategies.iter() {
            let Some(course) = &s.course else { continue };
            let _ = writeln!(out, "<h3>{}</h3>", escape(&s.name));
            out.push_str(&course_of_sweep(s, course));
        }
    }
    out.push_str("<h2 id=\"details\">Per flow and per store</h2>\n");
    for s in &c.strategies {
        let m = &s.summary;
        let _ = writeln!(
            out,
            "<h3>{} <span class=\"note\">({} runs, seed {})</span></h3>",
            escape(&s.name),
            m.runs,
            m.seed
        );
        out.push_str(&table(
            &format!("flows-{}", s.name),
            &SWEEP_FLOW_HEADER,
            &sweep_flow_rows(m),
            &[],
        ));
        out.push_str(&table(
            &format!("stores-{}", s.name),
            &SWEEP_STORE_HEADER,
            &sweep_store_rows(m),
            &[],
        ));
    }
    out
}

/// A sweep's p50 RTO and RPO against the course's expectation.
fn course_of_sweep(s: &StrategyReport, course: &CourseRef) -> String {
    course_html(
        &format!("course-{}", s.name),
        course,
        s.summary.rto_s.p50.value,
        s.summary.rpo_s.p50.value,
        "p50 of the sweep",
    )
}

/// One run in full: what was measured, the course's expectation, the success-ratio chart, the timeline,
/// the runbooks, flows and stores, the topology, the cost and the step log.
fn run_section(replay: &Replay) -> String {
    let run = &replay.run;
    let mut out = format!(
        "<h2 id=\"replay\">Replay: {}</h2>\n<dl>\n",
        escape(&replay.label)
    );
    let b = &run.breakdown;
    let rows = [
        ("scenario", run.scenario.to_string()),
        (
            "seed / replication",
            format!("{} / {}", run.seed, run.replication),
        ),
        (
            "disaster",
            match (&run.disaster, run.onset) {
                (Some(d), Some(at)) => format!("{d} at {} into the run", crate::human::clock(at)),
                (Some(d), None) => d.clone(),
                _ => "none within the horizon".to_string(),
            },
        ),
        ("RPO", crate::text::rpo_line(run)),
        (
            "RTO",
            run.rto.map_or_else(
                || "not recovered within the horizon".to_string(),
                |d| duration(d.as_secs_f64()),
            ),
        ),
        (
            "breakdown",
            format!(
                "detection {} · decision {} · recovery {} · propagation {}",
                duration(b.detection.as_secs_f64()),
                duration(b.decision.as_secs_f64()),
                duration(b.recovery.as_secs_f64()),
                duration(b.propagation.as_secs_f64())
            ),
        ),
        ("exposure", crate::text::exposure_line(run)),
        (
            "failback",
            run.failback.as_ref().map_or_else(
                || "the disaster did not heal within the horizon".to_string(),
                crate::text::failback_line,
            ),
        ),
        ("trace digest", run.digest.to_string()),
    ];
    for (k, v) in rows {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(&v));
    }
    out.push_str("</dl>\n");
    if let Some(course) = replay.scenario.as_ref().and_then(|s| s.course.as_ref()) {
        out.push_str("<h3 id=\"run-course\">What the course expects</h3>\n");
        out.push_str(&course_html(
            "run-course-table",
            course,
            run.rto.map(|d| d.as_secs_f64()),
            run.rpo.map(|d| d.as_secs_f64()),
            "this run",
        ));
    }
    out.push_str("<h3 id=\"success\">Success ratio over time</h3>\n");
    out.push_str(&figure(
        &success_svg(run, &replay.series),
        "Per flow: the share of requests that succeed (light) and its mean over the measurement window \
         (dark), the curve the RTO is read from: a flow is recovered from the first moment after which the \
         windowed mean never drops below the SLO again. Below: each runbook step and every other logged \
         event; hover a marker for what happened.",
    ));
    out.push_str("<h3 id=\"timeline\">Timeline</h3>\n");
    out.push_str(&figure(
        &timeline_svg(run, &replay.series),
        "Bars: the RTO breakdown and each runbook step; diamonds: other logged events, coloured by phase. \
         Hover for details.",
    ));
    if let Some(scenario) = &replay.scenario {
        out.push_str(&runbooks_html(scenario, run));
    }
    out.push_str("<h3>Flows and stores</h3>\n");
    out.push_str(&table(
        "run-flows",
        &RUN_FLOW_HEADER,
        &run_flow_rows(run),
        &[],
    ));
    out.push_str(&table(
        "run-stores",
        &RUN_STORE_HEADER,
        &run_store_rows(run),
        &[7],
    ));
    if let Some(scenario) = &replay.scenario {
        out.push_str(&topology_section(scenario, run));
        out.push_str(&run_cost_html(scenario, run));
    }
    out.push_str("<h3>Step log</h3>\n");
    let log: Vec<Vec<String>> = run
        .log
        .iter()
        .map(|e| {
            vec![
                offset_clock(e.at, run.onset),
                e.actor.clone(),
                format!("{:?}", e.phase).to_lowercase(),
                e.text.clone(),
            ]
        })
        .collect();
    out.push_str(&table(
        "step-log",
        &["time from onset", "actor", "phase", "what happened"],
        &log,
        &[3],
    ));
    out
}

/// Each runbook as a state diagram with the path this run took.
fn runbooks_html(scenario: &Scenario, run: &RunResult) -> String {
    if scenario.runbooks.is_empty() {
        return "<h3 id=\"runbooks\">Runbooks</h3>\n<p class=\"note\">This scenario has no runbook: \
                recovery is automatic (health checks, failover records, origin groups, managed \
                failover).</p>\n"
            .to_string();
    }
    let mut out = String::from("<h3 id=\"runbooks\">Runbooks</h3>\n");
    for (i, book) in scenario.runbooks.iter().enumerate() {
        out.push_str(&figure(
            &runbook_svg(book, run, i),
            "The runbook as a state machine, as Step Functions draws one: Task, Wait, Choice (arrows \
             labelled by rule; hover for the condition) and Parallel (a dashed frame with its branches side \
             by side). Green: the states this run entered and the arrows between them.",
        ));
    }
    out
}

/// The steady-state cost per resource and line item, and what recovery added in this run.
fn run_cost_html(scenario: &Scenario, run: &RunResult) -> String {
    let (prices, _) = sim_core::cost::table_for(scenario);
    let cost = sim_core::cost::steady_state(scenario, &prices);
    let mut out = format!(
        "<h2 id=\"run-cost\">Cost: {} per month</h2>\n<div class=\"side\"><div>\n",
        escape(&usd_month(Some(cost.monthly_usd)))
    );
    out.push_str(&cost_table("run-cost-table", &cost.lines));
    out.push_str("</div><div>\n");
    let _ = writeln!(
        out,
        "<p><strong>Recovery in this run:</strong> ${:.2} for capacity started during recovery, until the \
         disaster heals or the scenario's incident length (<code>cost.incident</code>) ends.</p>",
        run.recovery_usd
    );
    if !run.usage.is_empty() {
        let rows: Vec<Vec<String>> = run
            .usage
            .iter()
            .map(|u| {
                vec![
                    u.resource.clone(),
                    u.instances.to_string(),
                    offset_clock(u.from, run.onset),
                    duration(
                        (u.to.since_start().as_secs_f64() - u.from.since_start().as_secs_f64())
                            .max(0.0),
                    ),
                ]
            })
            .collect();
        out.push_str(&table(
            "run-usage",
            &["resource", "instances", "from (after onset)", "for"],
            &rows,
            &[],
        ));
    }
    if !cost.unpriced.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">Not priced (counted as 0): {}</p>",
            escape(&cost.unpriced.join("; "))
        );
    }
    out.push_str(
        "<p class=\"note\">Example prices (see docs/calibration.md); resources a stack creates cost nothing \
         until it runs.</p>\n</div></div>\n",
    );
    out
}

/// The topology section.
fn topology_section(scenario: &Scenario, run: &RunResult) -> String {
    let spec = sim_core::validate::topology_spec(scenario);
    let Ok(topology) = sim_core::model::topology::build(&spec) else {
        return "<p class=\"note\">The topology could not be built, so it is not drawn.</p>\n"
            .to_string();
    };
    format!(
        "<h2 id=\"topology\">Topology: {}</h2>\n{}",
        escape(&scenario.name),
        figure(
            &topology_svg(&topology, Some(scenario), run.disaster.as_deref()),
            "Regions as columns with their AZs; global resources above. Beside each store, the copies it \
             keeps (dashed blue: replicas and secondaries; dotted purple: copied backups). Shaded red: what \
             this run's disaster takes down. Dashed grey: resources a CloudFormation stack creates."
        )
    )
}

/// The full report: strategies, the comparison table, RTO and RPO CDFs, cost against p99 RTO with the
/// breakdown, the course's expectations, per-flow/per-store tables, and one run replayed in full.
pub fn html_report(report: &Report) -> String {
    let mut body = format!("<h1>{}</h1>\n", escape(&report.title));
    if report.comparison.strategies.is_empty() {
        body.push_str("<p class=\"note\">No strategies were swept.</p>\n");
    } else {
        let costs = report
            .comparison
            .strategies
            .iter()
            .map(|s| format!("{} {}", s.name, usd_month(s.monthly_cost)))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            body,
            "<p class=\"lede\">{} strategies; monthly cost: {}.</p>",
            report.comparison.strategies.len(),
            escape(&costs)
        );
        body.push_str(&comparison_html(&report.comparison));
    }
    if let Some(replay) = &report.replay {
        body.push_str(&run_section(replay));
    }
    page(&report.title, &body)
}

/// One run as a page (`drsim replay --html`): measured values, the course's expectation, the
/// success-ratio chart, the timeline, the runbooks, the topology, the cost and the step log.
pub fn run_html(replay: &Replay) -> String {
    let run = &replay.run;
    let title = format!(
        "drsim replay: {} (seed {}, replication {})",
        run.scenario, run.seed, run.replication
    );
    let mut body = format!("<h1>{}</h1>\n", escape(&title));
    body.push_str(&run_section(replay));
    page(&title, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">R&D's</a>"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;"
        );
    }
}
