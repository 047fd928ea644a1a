//! The advisor's answers as terminal text and Markdown: a policy assessment per disruption type, an
//! optimisation's variants with the cheapest feasible one and the Pareto frontier, and a sensitivity
//! table. (HTML: `advice_html.rs`.)

use std::fmt::Write as _;

use sim_core::advise::assess::{Assessment, Compliance};
use sim_core::advise::explore::{Evaluated, Optimization, Search, Sensitivity};
use sim_core::spec::policy::Targets;
use sim_core::sweep::stats::Estimate;

use crate::human::{NONE, duration, estimate, printable, signed_duration, usd_month};
use crate::table;

/// A duration estimate with its interval; `not recovered` when the percentile is.
fn est(e: &Estimate) -> String {
    estimate(e, 1)
}

/// A type's targets, `RTO ≤ 15m 00s, RPO ≤ 1m 00s`.
fn targets(t: Option<Targets>) -> String {
    t.map_or_else(
        || "no target".to_string(),
        |t| {
            format!(
                "RTO ≤ {}, RPO ≤ {}",
                duration(t.rto.as_secs_f64()),
                duration(t.rpo.as_secs_f64())
            )
        },
    )
}

/// The rows of an assessment: type, targets, disaster, RTO, RPO, verdict.
fn assess_rows(a: &Assessment) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for t in &a.types {
        if t.disasters.is_empty() {
            rows.push(vec![
                t.kind.label().to_string(),
                targets(t.targets),
                "(nothing this type can disrupt)".into(),
                NONE.into(),
                NONE.into(),
                t.compliance.label().into(),
            ]);
        }
        for (i, d) in t.disasters.iter().enumerate() {
            let first = i == 0;
            rows.push(vec![
                if first {
                    t.kind.label().to_string()
                } else {
                    String::new()
                },
                if first {
                    targets(t.targets)
                } else {
                    String::new()
                },
                format!(
                    "{}{}",
                    printable(&d.disaster),
                    if d.generated { " (generated)" } else { "" }
                ),
                est(&d.rto),
                est(&d.rpo),
                d.compliance.label().into(),
            ]);
        }
    }
    rows
}

/// An assessment as text: the table, each type's verdict, then the overall one.
pub fn assess_text(a: &Assessment) -> String {
    let mut out = String::new();
    let policy = a.policy.as_ref().map_or_else(
        || "no policy: measured only".to_string(),
        |p| format!("policy {}", printable(&p.name)),
    );
    let p = a.percentile.tenths() as f64 / 10.0;
    let _ = writeln!(
        out,
        "{}  {policy}  p{p} over {} runs per disaster (values [95 % CI]), seed {}",
        printable(&a.scenario),
        a.runs,
        a.seed
    );
    let rto = format!("p{p} RTO");
    let rpo = format!("p{p} RPO");
    out.push_str(&table::render(
        "  ",
        &["disruption", "targets", "disaster", &rto, &rpo, "verdict"],
        &assess_rows(a),
    ));
    out.push('\n');
    for t in &a.types {
        let _ = writeln!(out, "  {:<36} {}", t.kind.label(), t.compliance.label());
        for d in t.disasters.iter().filter(|d| {
            matches!(
                d.compliance,
                Compliance::PolicyBreached | Compliance::Undecided
            )
        }) {
            let _ = writeln!(
                out,
                "    {}: {}",
                printable(&d.disaster),
                printable(&d.message)
            );
        }
    }
    let _ = writeln!(out, "  {:<36} {}", "overall", a.compliance.label());
    out
}

/// An assessment as Markdown (a CI step summary or a pull-request comment).
pub fn assess_markdown(a: &Assessment) -> String {
    let mut out = format!(
        "### drsim assess: `{}` — {}\n\n",
        a.scenario,
        a.compliance.label()
    );
    let p = a.percentile.tenths() as f64 / 10.0;
    let _ = writeln!(
        out,
        "p{p} of {} runs per disaster, seed {}; values with 95 % confidence intervals.\n",
        a.runs, a.seed
    );
    out.push_str(
        "| disruption | targets | disaster | RTO | RPO | verdict |\n|---|---|---|---|---|---|\n",
    );
    for row in assess_rows(a) {
        let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

/// A variant's knob values, `web-west.desired=4, hc-east.interval=10s`.
pub(crate) fn settings(v: &Evaluated) -> String {
    if v.settings.is_empty() {
        return "(as is)".to_string();
    }
    v.settings
        .iter()
        .map(|(p, x)| format!("{p}={x}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `--set` arguments that make a variant, for a shell.
pub fn set_args(v: &Evaluated) -> String {
    v.settings
        .iter()
        .map(|(p, x)| format!("--set '{p}={}'", x.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How the search went, in a sentence.
fn search_text(o: &Optimization) -> String {
    match o.search {
        Search::Grid => format!(
            "grid: all {} variants, {} runs each",
            o.variants.len(),
            o.runs
        ),
        Search::Racing {
            screen_runs,
            finalists,
        } => format!(
            "racing: all {} variants screened with {screen_runs} runs; the {finalists} not breaching a budget with confidence then swept with {} runs",
            o.variants.len(),
            o.runs
        ),
    }
}

/// An optimisation as text: every variant (cheapest first), the best one and the frontier.
pub fn optimize_text(o: &Optimization) -> String {
    let mut out = String::new();
    let budgets: Vec<String> = o.budgets.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        out,
        "{}  seed {}  budgets {}\n  {}",
        printable(&o.scenario),
        o.seed,
        if budgets.is_empty() {
            "none".to_string()
        } else {
            budgets.join(", ")
        },
        search_text(o)
    );
    let mut order: Vec<usize> = (0..o.variants.len()).collect();
    order.sort_by(|&a, &b| {
        o.variants[a]
            .monthly_usd
            .total_cmp(&o.variants[b].monthly_usd)
            .then(a.cmp(&b))
    });
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|&i| {
            let v = &o.variants[i];
            vec![
                printable(&settings(v)).into_owned(),
                usd_month(Some(v.monthly_usd)),
                est(&v.rto_p99),
                est(&v.rpo_p99),
                v.runs.to_string(),
                if v.feasible { "yes" } else { "no" }.into(),
                match (Some(i) == o.best, v.frontier) {
                    (true, _) => "best ◆".into(),
                    (false, true) => "◆".into(),
                    _ => String::new(),
                },
            ]
        })
        .collect();
    out.push_str(&table::render(
        "  ",
        &[
            "variant",
            "cost",
            "p99 RTO",
            "p99 RPO",
            "runs",
            "meets budgets",
            "frontier",
        ],
        &rows,
    ));
    match o.best {
        Some(i) => {
            let v = &o.variants[i];
            let _ = writeln!(
                out,
                "\n  best: {} at {} (p99 RTO {}, p99 RPO {})\n  confirm: drsim check {} {} --runs {} --seed {} {}",
                printable(&settings(v)),
                usd_month(Some(v.monthly_usd)),
                est(&v.rto_p99),
                est(&v.rpo_p99),
                printable(&o.scenario),
                set_args(v),
                o.runs,
                o.seed,
                o.budgets
                    .iter()
                    .map(|b| format!("--budget '{b}'"))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        None => out.push_str("\n  no variant meets every budget with confidence (more runs may decide the undecided ones)\n"),
    }
    out.push_str("  ◆ on the Pareto frontier: no other variant is as cheap, as fast and loses as little data, and better on one\n");
    out
}

/// A change of seconds, `+4m 05s`; `not recovered` when it is unknown.
fn change(d: Option<f64>) -> String {
    d.map_or_else(|| "not recovered".to_string(), signed_duration)
}

/// A cost change, `+$120/mo`.
fn cost_change(d: f64) -> String {
    if d > 0.0 {
        format!("+{}", usd_month(Some(d)))
    } else {
        usd_month(Some(d))
    }
}

/// A sensitivity analysis as text: the design, then each knob's swing (largest first) and its values.
pub fn sensitivity_text(s: &Sensitivity) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  seed {}  {} runs per variant\n  as is: {}, p99 RTO {}, p99 RPO {}\n",
        printable(&s.scenario),
        s.seed,
        s.runs,
        usd_month(Some(s.base.monthly_usd)),
        est(&s.base.rto_p99),
        est(&s.base.rpo_p99)
    );
    let mut rows = Vec::new();
    for k in &s.knobs {
        rows.push(vec![
            printable(&k.path).into_owned(),
            format!("{} … {}", change(k.rto_swing.0), change(k.rto_swing.1)),
            format!("{} … {}", change(k.rpo_swing.0), change(k.rpo_swing.1)),
            format!(
                "{} … {}",
                cost_change(k.cost_swing.0),
                cost_change(k.cost_swing.1)
            ),
        ]);
        for v in &k.values {
            let value = v.settings.last().map_or("", |(_, x)| x.as_str());
            rows.push(vec![
                format!("  = {}", printable(value)),
                format!(
                    "{} ({})",
                    est(&v.rto_p99),
                    change(
                        v.rto_p99
                            .value
                            .zip(s.base.rto_p99.value)
                            .map(|(a, b)| a - b)
                    )
                ),
                format!(
                    "{} ({})",
                    est(&v.rpo_p99),
                    change(
                        v.rpo_p99
                            .value
                            .zip(s.base.rpo_p99.value)
                            .map(|(a, b)| a - b)
                    )
                ),
                format!(
                    "{} ({})",
                    usd_month(Some(v.monthly_usd)),
                    cost_change(v.monthly_usd - s.base.monthly_usd)
                ),
            ]);
        }
    }
    out.push_str(&table::render(
        "  ",
        &["knob", "p99 RTO change", "p99 RPO change", "cost change"],
        &rows,
    ));
    out.push_str("  knobs moved one at a time from the design as is, under common random numbers; largest p99 RTO swing first\n");
    out
}
