//! Terminal text: one run, a sweep, a comparison and the student's replay, as plain (uncoloured) text.
//! Names (scenarios, flows, stores, disasters, log actors and texts) are user input and go through
//! [`printable`], so a name cannot drive the terminal.

use std::fmt::Write as _;

use sim_core::measure::{RunResult, StoreResult};
use sim_core::model::Phase;
use sim_core::sweep::SweepSummary;
use sim_core::sweep::stats::{PairedDifferences, Summary};
use sim_core::{SimDuration, SimTime};

use crate::human::{
    NONE, clock, duration, estimate, estimate_with, number, opt_duration, printable,
    signed_duration, usd_month,
};
use crate::model::{Comparison, Replay};
use crate::table;

/// One run: RPO, RTO (or "not recovered within the horizon"), the breakdown, lost writes, then a line per
/// flow and per store.
pub fn run_text(run: &RunResult) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  seed {}  replication {}",
        printable(&run.scenario),
        run.seed,
        run.replication
    );
    out.push_str(&measured(run));
    let _ = writeln!(out, "  events       {}", run.events);
    let _ = writeln!(out, "  digest       {}", run.digest);
    out.push_str("\nFlows\n");
    out.push_str(&table::render("  ", &RUN_FLOW_HEADER, &run_flow_rows(run)));
    out.push_str("\nStores\n");
    out.push_str(&table::render(
        "  ",
        &RUN_STORE_HEADER,
        &run_store_rows(run),
    ));
    out
}

/// Headers of [`run_flow_rows`].
pub(crate) const RUN_FLOW_HEADER: [&str; 6] = [
    "flow",
    "critical",
    "RTO",
    "availability",
    "worst window",
    "failed requests",
];

/// One row per flow of a run.
pub(crate) fn run_flow_rows(run: &RunResult) -> Vec<Vec<String>> {
    run.flows
        .iter()
        .map(|f| {
            vec![
                printable(&f.name).into_owned(),
                if f.critical { "yes" } else { "no" }.to_string(),
                opt_duration(f.rto.map(|d| d.as_secs_f64())),
                percent(f.availability),
                percent(f.worst_window),
                number(f.failed_requests.round()),
            ]
        })
        .collect()
}

/// Headers of [`run_store_rows`].
pub(crate) const RUN_STORE_HEADER: [&str; 8] = [
    "store",
    "RPO (window)",
    "pre-onset RPO",
    "acknowledged",
    "surviving",
    "lost",
    "overwritten",
    "lost to",
];

/// What a store's RPO that is not determined shows.
pub(crate) const NOT_DETERMINED: &str = "not determined";

/// An RPO that may be not determined.
pub(crate) fn opt_rpo(d: Option<SimDuration>) -> String {
    d.map_or_else(|| NOT_DETERMINED.to_string(), |d| duration(d.as_secs_f64()))
}

/// Each disaster's share of a store's loss: `partition 20m 00s (16937 writes)`, `; `-separated.
fn losses(store: &StoreResult) -> String {
    if store.losses.is_empty() {
        return NONE.to_string();
    }
    store
        .losses
        .iter()
        .map(|l| {
            let who = l
                .disaster
                .as_deref()
                .map_or_else(|| "no disaster".into(), printable);
            let overwritten = if l.overwritten > 0 {
                format!(", {} overwritten", l.overwritten)
            } else {
                String::new()
            };
            format!(
                "{who} {} ({} writes{overwritten})",
                duration(l.window.as_secs_f64()),
                l.writes
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One row per store of a run.
pub(crate) fn run_store_rows(run: &RunResult) -> Vec<Vec<String>> {
    run.stores
        .iter()
        .map(|s| {
            vec![
                printable(&s.name).into_owned(),
                opt_rpo(s.rpo),
                opt_rpo(s.pre_onset_rpo),
                s.acknowledged.to_string(),
                s.surviving.to_string(),
                s.lost.to_string(),
                s.overwritten.to_string(),
                losses(s),
            ]
        })
        .collect()
}

/// The run's RPO for people: the data-loss window, the lost writes and the pre-onset figure, or why it
/// is not determined.
pub(crate) fn rpo_line(run: &RunResult) -> String {
    if run.onset.is_none() && run.lost_writes == 0 {
        return "0 s (no disaster within the horizon, no acknowledged write lost)".to_string();
    }
    match run.rpo {
        Some(window) => format!(
            "{} data-loss window ({} acknowledged writes lost; pre-onset RPO {})",
            duration(window.as_secs_f64()),
            run.lost_writes,
            opt_rpo(run.pre_onset_rpo)
        ),
        None => format!(
            "{NOT_DETERMINED}: a store was not back in service at the horizon ({} acknowledged writes lost so far)",
            run.lost_writes
        ),
    }
}

/// Headers of [`sweep_flow_rows`].
pub(crate) const SWEEP_FLOW_HEADER: [&str; 5] =
    ["flow", "RTO p50", "RTO p99", "RTO max", "not recovered"];

/// One row per flow of a sweep: RTO p50 and p99 with CIs, max, not recovered.
pub(crate) fn sweep_flow_rows(summary: &SweepSummary) -> Vec<Vec<String>> {
    summary
        .flows
        .iter()
        .map(|(name, s)| {
            vec![
                printable(name).into_owned(),
                estimate(&s.p50, s.n),
                estimate(&s.p99, s.n),
                max_of(s),
                s.not_recovered.to_string(),
            ]
        })
        .collect()
}

/// Headers of [`sweep_store_rows`].
pub(crate) const SWEEP_STORE_HEADER: [&str; 6] = [
    "store",
    "RPO p50",
    "RPO p99",
    "RPO max",
    "pre-onset RPO p99",
    "not determined",
];

/// One row per store of a sweep: RPO (the data-loss window) p50 and p99 with CIs, max, the pre-onset
/// RPO's p99, and the runs whose RPO is not determined.
pub(crate) fn sweep_store_rows(summary: &SweepSummary) -> Vec<Vec<String>> {
    summary
        .stores
        .iter()
        .enumerate()
        .map(|(i, (name, s))| {
            let pre = summary.stores_pre_onset_rpo.get(i).map(|(_, p)| p);
            vec![
                printable(name).into_owned(),
                estimate(&s.p50, s.n),
                estimate(&s.p99, s.n),
                max_of(s),
                pre.map_or_else(|| NONE.to_string(), |p| estimate(&p.p99, p.n)),
                s.not_determined.to_string(),
            ]
        })
        .collect()
}

/// The measured lines both [`run_text`] and [`replay_text`] show: disaster, RPO, RTO, breakdown.
fn measured(run: &RunResult) -> String {
    let mut out = String::new();
    match (&run.disaster, run.onset) {
        (Some(d), Some(at)) => {
            let (d, at) = (printable(d), clock(at));
            let _ = writeln!(out, "  disaster     {d} at {at}");
        }
        (Some(d), None) => {
            let _ = writeln!(out, "  disaster     {}", printable(d));
        }
        _ => {
            let _ = writeln!(out, "  disaster     none within the horizon");
        }
    }
    let _ = writeln!(out, "  RPO          {}", rpo_line(run));
    let rto = run.rto.map_or_else(
        || "not recovered within the horizon".to_string(),
        |d| duration(d.as_secs_f64()),
    );
    let _ = writeln!(out, "  RTO          {rto}");
    let b = &run.breakdown;
    let _ = writeln!(
        out,
        "  breakdown    detection {} · decision {} · recovery {} · propagation {}",
        duration(b.detection.as_secs_f64()),
        duration(b.decision.as_secs_f64()),
        duration(b.recovery.as_secs_f64()),
        duration(b.propagation.as_secs_f64()),
    );
    let _ = writeln!(out, "  exposure     {}", exposure_line(run));
    if let Some(f) = &run.failback {
        let _ = writeln!(out, "  failback     {}", failback_line(f));
    }
    out
}

/// The exposure window in words.
pub(crate) fn exposure_line(run: &RunResult) -> String {
    let tracked = run.stores.iter().filter(|s| s.exposure.is_some()).count();
    if tracked == 0 {
        return "not measured: no store had a live copy outside its writer's Region".to_string();
    }
    match run.exposure {
        None => "still exposed at the horizon: a store's data had no current copy outside its writer's Region".to_string(),
        Some(d) if d.is_zero() => "none: every store kept a current copy outside its writer's Region".to_string(),
        Some(d) => format!(
            "{}: time the data had no current copy outside its writer's Region",
            duration(d.as_secs_f64())
        ),
    }
}

/// The failback in words: time back to the primary, and what the return cost.
pub(crate) fn failback_line(f: &sim_core::measure::Failback) -> String {
    let time = f.time.map_or_else(
        || "clients not served from the primary again within the horizon".to_string(),
        |d| {
            format!(
                "served from the primary {} after the heal",
                duration(d.as_secs_f64())
            )
        },
    );
    format!(
        "{time}; {} writes lost and {} requests failed after the heal; extra downtime {}",
        f.lost_writes,
        number(f.failed_requests),
        duration(f.downtime.as_secs_f64())
    )
}

/// A ratio as a percentage with two decimals (`99.95 %`).
pub(crate) fn percent(ratio: f64) -> String {
    if ratio.is_finite() {
        format!("{:.2} %", ratio * 100.0)
    } else {
        NONE.to_string()
    }
}

/// The row of a duration summary: p50, p90, p99 (with 95 % CIs), max, mean.
fn summary_row(label: &str, s: &Summary) -> Vec<String> {
    vec![
        label.to_string(),
        estimate(&s.p50, s.n),
        estimate(&s.p90, s.n),
        estimate(&s.p99, s.n),
        max_of(s),
        estimate(&s.mean, s.n),
    ]
}

/// The largest value: `–` for no samples, `not recovered` when a run never recovered.
pub(crate) fn max_of(s: &Summary) -> String {
    match (s.n, s.max) {
        (0, _) => NONE.to_string(),
        (_, None) => "not recovered".to_string(),
        (_, Some(m)) => duration(m),
    }
}

/// A sweep: p50/p90/p99/max/mean with 95 % CIs for RTO and RPO, the not-recovered count, lost writes, then
/// per flow and per store.
pub fn sweep_text(summary: &SweepSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  seed {}  {} runs  (values [95 % CI])",
        printable(&summary.scenario),
        summary.seed,
        summary.runs
    );
    let mut rows = vec![
        summary_row("RTO", &summary.rto_s),
        summary_row("RPO", &summary.rpo_s),
        summary_row("pre-onset RPO", &summary.pre_onset_rpo_s),
    ];
    let exposure = &summary.exposure_s;
    let exposed = exposure.not_recovered > 0 || exposure.max.is_some_and(|m| m > 0.0);
    if exposed {
        rows.push(summary_row("exposure", exposure));
    }
    if summary.healed > 0 {
        rows.push(summary_row("failback", &summary.failback_s));
        rows.push(summary_row(
            "failback downtime",
            &summary.failback_downtime_s,
        ));
    }
    out.push_str(&table::render(
        "  ",
        &["", "p50", "p90", "p99", "max", "mean"],
        &rows,
    ));
    let _ = writeln!(
        out,
        "  RPO is the data-loss window: acknowledgement time whose writes were lost, before or after the onset"
    );
    let _ = writeln!(
        out,
        "  not recovered within the horizon: {} of {}",
        summary.rto_s.not_recovered, summary.rto_s.n
    );
    let rpo = &summary.rpo_s;
    if rpo.not_determined > 0 {
        let _ = writeln!(
            out,
            "  RPO not determined (a store not back in service at the horizon): {} of {}, left out",
            rpo.not_determined,
            rpo.n + rpo.not_determined
        );
    }
    if let Some(line) = no_disaster_line(summary) {
        let _ = writeln!(out, "  {line}");
    }
    if exposed {
        let _ = writeln!(
            out,
            "  exposure: time the data had no current copy outside its writer's Region; still exposed at the horizon: {} of {}",
            exposure.not_recovered, exposure.n
        );
    }
    if summary.healed > 0 {
        let (fb, lost) = (&summary.failback_s, &summary.failback_lost_writes);
        let _ = writeln!(
            out,
            "  failback (the {} runs whose disaster healed): heal to serving from the primary again; not back within the horizon: {}; writes lost after the heal: p50 {}  p99 {}",
            summary.healed,
            fb.not_recovered,
            estimate_with(&lost.p50, lost.n, number),
            estimate_with(&lost.p99, lost.n, number),
        );
    }
    let lw = &summary.lost_writes;
    let _ = writeln!(
        out,
        "  lost writes per run: p50 {}  p99 {}  max {}",
        estimate_with(&lw.p50, lw.n, number),
        estimate_with(&lw.p99, lw.n, number),
        lw.max.map_or_else(|| NONE.to_string(), number),
    );
    if !summary.flows.is_empty() {
        out.push_str("\nFlows\n");
        out.push_str(&table::render(
            "  ",
            &SWEEP_FLOW_HEADER,
            &sweep_flow_rows(summary),
        ));
    }
    if !summary.stores.is_empty() {
        out.push_str("\nStores\n");
        out.push_str(&table::render(
            "  ",
            &SWEEP_STORE_HEADER,
            &sweep_store_rows(summary),
        ));
    }
    out
}

/// "no disaster in N of M runs …" when some runs had none within the horizon.
pub(crate) fn no_disaster_line(summary: &SweepSummary) -> Option<String> {
    (summary.no_disaster > 0).then(|| {
        let how = if summary.includes_no_disaster {
            "included above as RTO 0 and RPO 0"
        } else {
            "left out of the figures above"
        };
        format!(
            "no disaster in {} of {} runs (its onset fell past the horizon): {how}",
            summary.no_disaster, summary.runs
        )
    })
}

/// The comparison table's rows: strategy, runs, p50/p99 RTO and RPO with CIs, not recovered, lost
/// writes p50, monthly cost. Shared with Markdown and HTML so all three show the same cells.
/// Per strategy, what happens after the disaster: exposure and failback (p50 and p99 with their CIs);
/// empty when no strategy was ever exposed or healed.
pub(crate) fn after_rows(comparison: &Comparison) -> Vec<Vec<String>> {
    let shows = comparison.strategies.iter().any(|s| {
        let e = &s.summary.exposure_s;
        s.summary.healed > 0 || e.not_recovered > 0 || e.max.is_some_and(|m| m > 0.0)
    });
    if !shows {
        return Vec::new();
    }
    comparison
        .strategies
        .iter()
        .map(|s| {
            let m = &s.summary;
            let healed = m.healed;
            let fb = |e: &sim_core::sweep::stats::Estimate| {
                if healed == 0 {
                    NONE.to_string()
                } else {
                    estimate(e, healed)
                }
            };
            vec![
                s.name.clone(),
                estimate(&m.exposure_s.p50, m.exposure_s.n),
                estimate(&m.exposure_s.p99, m.exposure_s.n),
                m.exposure_s.not_recovered.to_string(),
                healed.to_string(),
                fb(&m.failback_s.p50),
                fb(&m.failback_s.p99),
                fb(&m.failback_downtime_s.p99),
                if healed == 0 {
                    NONE.to_string()
                } else {
                    estimate_with(&m.failback_lost_writes.p99, healed, number)
                },
            ]
        })
        .collect()
}

/// The header of [`after_rows`].
pub(crate) const AFTER_HEADER: [&str; 9] = [
    "strategy",
    "exposure p50",
    "exposure p99",
    "still exposed",
    "healed runs",
    "failback p50",
    "failback p99",
    "failback downtime p99",
    "writes lost after the heal p99",
];

pub(crate) fn compare_rows(comparison: &Comparison) -> Vec<Vec<String>> {
    comparison
        .strategies
        .iter()
        .map(|s| {
            let m = &s.summary;
            vec![
                printable(&s.name).into_owned(),
                m.runs.to_string(),
                estimate(&m.rto_s.p50, m.rto_s.n),
                estimate(&m.rto_s.p99, m.rto_s.n),
                m.rto_s.not_recovered.to_string(),
                estimate(&m.rpo_s.p50, m.rpo_s.n),
                estimate(&m.rpo_s.p99, m.rpo_s.n),
                m.lost_writes
                    .p50
                    .value
                    .filter(|_| m.lost_writes.n > 0)
                    .map_or_else(|| NONE.to_string(), number),
                usd_month(s.monthly_cost),
            ]
        })
        .collect()
}

/// Headers of [`compare_rows`].
pub(crate) const COMPARE_HEADER: [&str; 9] = [
    "strategy",
    "runs",
    "RTO p50 [95% CI]",
    "RTO p99 [95% CI]",
    "not recovered",
    "RPO p50 [95% CI]",
    "RPO p99 [95% CI]",
    "lost writes p50",
    "cost",
];

/// The paired-difference rows: strategy, RTO diff p50 [CI], RPO diff p50 [CI], and how the pairs split.
pub(crate) fn paired_rows(comparison: &Comparison) -> Vec<Vec<String>> {
    comparison
        .paired()
        .iter()
        .map(|p| {
            vec![
                printable(p.strategy).into_owned(),
                p.rto.pairs.to_string(),
                diff_estimate(&p.rto),
                split(&p.rto, "not recovered"),
                diff_estimate(&p.rpo),
                split(&p.rpo, NOT_DETERMINED),
            ]
        })
        .collect()
}

/// Headers of [`paired_rows`].
pub(crate) const PAIRED_HEADER: [&str; 6] = [
    "strategy",
    "pairs",
    "ΔRTO p50 [95% CI]",
    "RTO lower/equal/higher",
    "ΔRPO p50 [95% CI]",
    "RPO lower/equal/higher",
];

/// The median difference with its interval, signs shown.
fn diff_estimate(p: &PairedDifferences) -> String {
    estimate_with(&p.diff.p50, p.diff.n, signed_duration)
}

/// How the pairs split: lower/equal/higher among pairs with values, plus those without (`missing`: not
/// recovered, not determined) when any.
fn split(p: &PairedDifferences, missing: &str) -> String {
    let mut s = format!("{}/{}/{}", p.b_lower, p.equal, p.b_higher);
    let unpaired = p.only_a_not_recovered + p.only_b_not_recovered + p.both_not_recovered;
    if unpaired > 0 {
        let _ = write!(
            s,
            " ({missing}: baseline only {}, this only {}, both {})",
            p.only_a_not_recovered, p.only_b_not_recovered, p.both_not_recovered
        );
    }
    s
}

/// Strategies side by side, then each one's paired differences against the first (same seeds, so the
/// same disasters: the difference is the strategy's).
pub fn compare_text(comparison: &Comparison) -> String {
    let mut out = String::new();
    if comparison.strategies.is_empty() {
        out.push_str("no strategies to compare\n");
        return out;
    }
    out.push_str(&table::render(
        "",
        &COMPARE_HEADER,
        &compare_rows(comparison),
    ));
    let rows = paired_rows(comparison);
    if !rows.is_empty() {
        let _ = writeln!(
            out,
            "\nPaired differences vs {first} (per replication, this − {first}; common random numbers)",
            first = printable(&comparison.strategies[0].name)
        );
        out.push_str(&table::render("", &PAIRED_HEADER, &rows));
    }
    for s in comparison
        .strategies
        .iter()
        .filter(|s| !s.cost_lines.is_empty())
    {
        let _ = writeln!(
            out,
            "\nCost of {}, per month ({})",
            printable(&s.name),
            printable(&s.price_label)
        );
        out.push_str(&crate::cost::cost_text(&s.cost_lines, "  "));
    }
    out
}

/// The student's replay: the story of the run on the run clock, with the time since the onset — what the
/// models did and what clients experienced, each flow's recovery and the service's RTO moment — then
/// where the lost data went, the measured figures, and the course's expectation beside them.
pub fn replay_text(replay: &Replay) -> String {
    let run = &replay.run;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  seed {}  replication {}",
        printable(&run.scenario),
        run.seed,
        run.replication
    );
    match (&run.disaster, run.onset) {
        (Some(d), Some(at)) => {
            let _ = writeln!(
                out,
                "run clock (day hh:mm:ss), and time since the onset of {} at {}\n",
                printable(d),
                clock(at)
            );
        }
        _ => out.push_str("run clock (day hh:mm:ss); no disaster began within the horizon\n\n"),
    }
    if run.log.is_empty() {
        out.push_str("(no step log: the run was made without one)\n");
    }
    let lines = crate::story::story(run, &replay.series);
    let actors: Vec<_> = lines.iter().map(|l| printable(&l.actor)).collect();
    let width = actors.iter().map(|a| a.chars().count()).max().unwrap_or(0);
    let clocks: Vec<String> = lines.iter().map(|l| clock(l.at)).collect();
    let offsets: Vec<String> = lines.iter().map(|l| since_onset(l.at, run.onset)).collect();
    let clock_width = clocks.iter().map(|c| c.chars().count()).max().unwrap_or(0);
    let offset_width = offsets.iter().map(|c| c.chars().count()).max().unwrap_or(0);
    for (((line, at), since), actor) in lines.iter().zip(&clocks).zip(&offsets).zip(&actors) {
        let pad = " ".repeat(width - actor.chars().count());
        let text = printable(&line.text);
        let _ = writeln!(
            out,
            "{at:>clock_width$}  {since:>offset_width$}  {actor}{pad}  {text}"
        );
    }
    out.push_str(&data_loss(run));
    out.push_str("\nMeasured\n");
    out.push_str(&measured(run));
    if let Some(course) = replay.scenario.as_ref().and_then(|s| s.course.as_ref()) {
        out.push_str(&crate::course::course_text(course, run));
    }
    out
}

/// Time since the onset, `+8m 11s` (`-2m 00s` before it, `+0 s` at it).
fn since_onset(at: SimTime, onset: Option<SimTime>) -> String {
    match onset {
        None => String::new(),
        Some(onset) => match at.checked_since(onset) {
            Some(d) => format!("+{}", d.human()),
            None => format!("-{}", onset.saturating_since(at).human()),
        },
    }
}

/// Where the RPO comes from, per store that took writes: how many acknowledged writes were lost, over
/// which window of acknowledgement time, and which copy the result is judged by.
fn data_loss(run: &RunResult) -> String {
    let mut out = String::from("\nData loss (RPO)\n");
    let mut any = false;
    for s in run.stores.iter().filter(|s| s.acknowledged > 0) {
        any = true;
        let name = printable(&s.name);
        let copy = printable(&s.authoritative);
        let Some(rpo) = s.rpo else {
            let _ = writeln!(
                out,
                "  {name}: not determined: not back in service at the horizon ({} writes acknowledged)",
                s.acknowledged
            );
            continue;
        };
        if s.lost == 0 {
            let _ = writeln!(
                out,
                "  {name}: none of {} acknowledged writes lost; authoritative copy: {copy}",
                s.acknowledged
            );
            continue;
        }
        let _ = writeln!(
            out,
            "  {name}: {} of {} acknowledged writes lost, a {} window; authoritative copy: {copy}",
            s.lost,
            s.acknowledged,
            rpo.human()
        );
        for l in &s.losses {
            let who = l
                .disaster
                .as_deref()
                .map_or_else(|| "no disaster".into(), printable);
            let overwritten = if l.overwritten > 0 {
                format!(
                    " ({} overwritten by a concurrent write elsewhere)",
                    l.overwritten
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "    {who}: {} writes{overwritten} acknowledged between {} and {}",
                l.writes, l.from, l.to
            );
        }
        let source = run.log.iter().find(|e| {
            e.actor == s.name
                && (e.text.contains("restore") || e.text.contains("not replicated"))
                && e.phase != Phase::Disaster
        });
        if let Some(e) = source {
            let _ = writeln!(out, "    at {}: {}", clock(e.at), printable(&e.text));
        }
    }
    if !any {
        out.push_str("  no store took writes\n");
    }
    out
}
