//! GitHub-flavoured Markdown tables, fit for a CI step summary or a pull-request comment.

use std::fmt::Write as _;

use sim_core::sweep::SweepSummary;
use sim_core::sweep::stats::Summary;

use crate::human::estimate;
use crate::model::Comparison;
use crate::text::{
    COMPARE_HEADER, PAIRED_HEADER, compare_rows, max_of, no_disaster_line, paired_rows,
};

/// A table cell: pipes escaped and line breaks flattened so a name cannot break the table.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// A Markdown table; every column but the first right-aligned (numbers).
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    out.push_str(&line(header.iter().map(|h| cell(h)).collect()));
    out.push_str(&line(
        (0..header.len())
            .map(|i| if i == 0 { ":--" } else { "--:" }.to_string())
            .collect(),
    ));
    for row in rows {
        out.push_str(&line(
            (0..header.len())
                .map(|i| cell(row.get(i).map_or("", String::as_str)))
                .collect(),
        ));
    }
    out
}

/// The comparison table, then the paired differences against the first strategy.
pub fn compare_markdown(comparison: &Comparison) -> String {
    let mut out = String::from("### Strategies compared\n\n");
    if comparison.strategies.is_empty() {
        out.push_str("No strategies to compare.\n");
        return out;
    }
    out.push_str(&table(&COMPARE_HEADER, &compare_rows(comparison)));
    let rows = paired_rows(comparison);
    if !rows.is_empty() {
        let base = cell(&comparison.strategies[0].name);
        let _ = write!(
            out,
            "\n### Paired differences vs `{base}`\n\nPer replication, this − `{base}`, on the same seeds \
             (common random numbers): the difference is the strategy's, not the disaster's.\n\n"
        );
        out.push_str(&table(&PAIRED_HEADER, &rows));
    }
    for s in comparison
        .strategies
        .iter()
        .filter(|s| !s.cost_lines.is_empty())
    {
        let _ = write!(
            out,
            "\n### Cost of `{}`, per month\n\n{}.\n\n",
            cell(&s.name),
            cell(&s.price_label)
        );
        out.push_str(&crate::cost::cost_markdown(&s.cost_lines));
    }
    out
}

/// A summary row: p50, p90, p99 with 95 % CIs, max, and the runs without a value (not recovered, or not
/// determined).
fn row(label: &str, s: &Summary) -> Vec<String> {
    vec![
        label.to_string(),
        estimate(&s.p50, s.n),
        estimate(&s.p90, s.n),
        estimate(&s.p99, s.n),
        max_of(s),
        (s.not_recovered + s.not_determined).to_string(),
    ]
}

/// A sweep: service RTO, RPO (the data-loss window) and pre-onset RPO, then per flow RTO and per store RPO
/// and pre-onset RPO; a line counts the runs with no disaster within the horizon, when any.
pub fn sweep_markdown(summary: &SweepSummary) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "### `{}`: {} runs, seed {}\n\nValues are `p [95% CI]`. RPO is the data-loss window \
         (acknowledgement time whose writes were lost, before or after the onset).\n\n",
        cell(&summary.scenario),
        summary.runs,
        summary.seed
    );
    if let Some(line) = no_disaster_line(summary) {
        let _ = write!(out, "{}.\n\n", cell(&line));
    }
    let header = [
        "",
        "p50",
        "p90",
        "p99",
        "max",
        "not recovered / not determined",
    ];
    let mut rows = vec![
        row("**RTO** (service)", &summary.rto_s),
        row("**RPO** (service)", &summary.rpo_s),
        row("pre-onset RPO (service)", &summary.pre_onset_rpo_s),
    ];
    rows.extend(
        summary
            .flows
            .iter()
            .map(|(name, s)| row(&format!("RTO `{name}`"), s)),
    );
    rows.extend(
        summary
            .stores
            .iter()
            .map(|(name, s)| row(&format!("RPO `{name}`"), s)),
    );
    rows.extend(
        summary
            .stores_pre_onset_rpo
            .iter()
            .map(|(name, s)| row(&format!("pre-onset RPO `{name}`"), s)),
    );
    out.push_str(&table(&header, &rows));
    out
}
