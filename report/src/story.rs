//! The replay as a story: what the models logged, merged with what clients experienced, read off each
//! flow's success ratio — when a flow degrades and by how much, when it is back above its SLO (its RTO),
//! the service's RTO moment and the end of the incident — and, after it, where the lost data went.
//!
//! Every line comes from the run: the step log, the flows' ratio polylines
//! ([`sim_core::measure::series`]) and the measured RTOs and losses. Nothing is inferred from configured
//! durations. Runbooks that ran but started no action are told in one line, not as if they acted.

use sim_core::SimTime;
use sim_core::measure::RunResult;
use sim_core::measure::series::FlowSeries;
use sim_core::model::Phase;

use crate::human::duration;

/// A level change smaller than this (a share of requests) is not narrated.
const STEP: f64 = 0.05;
/// Narrated level changes per flow at most (a flapping flow keeps its first and last ones).
const MAX_FLOW_LINES: usize = 12;
/// A ratio at or above this is "every request".
const FULL: f64 = 0.999_9;

/// One line of the story.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// When.
    pub at: SimTime,
    /// Who: a resource, runbook, disaster, flow, or `service` / `incident`.
    pub actor: String,
    /// What happened.
    pub text: String,
}

/// The story of one run, in time order (lines at one instant keep the order: log, then flows, then the
/// RTO and incident lines).
pub fn story(run: &RunResult, series: &[FlowSeries]) -> Vec<Line> {
    let mut lines: Vec<(SimTime, u8, Line)> =
        log_lines(run).into_iter().map(|l| (l.at, 0, l)).collect();
    let Some(onset) = run.onset else {
        return lines.into_iter().map(|(_, _, l)| l).collect();
    };
    for s in series {
        lines.extend(flow_lines(s, onset).into_iter().map(|l| (l.at, 1, l)));
    }
    for f in &run.flows {
        let slo = series.iter().find(|s| s.name == f.name).map(|s| {
            format!(
                " ({} of requests over {} windows)",
                pct(s.slo),
                s.window.human()
            )
        });
        let slo = slo.unwrap_or_default();
        let (at, text) = match f.rto {
            Some(rto) if rto.is_zero() => (
                onset,
                format!("{}: never fell below its SLO{slo}: RTO 0", f.name),
            ),
            Some(rto) => (
                onset + rto,
                format!(
                    "{}: back above its SLO{slo}: its RTO is {}",
                    f.name,
                    rto.human()
                ),
            ),
            None => continue,
        };
        lines.push((
            at,
            2,
            Line {
                at,
                actor: f.name.clone(),
                text,
            },
        ));
    }
    if let Some(rto) = run.rto {
        let at = onset + rto;
        lines.push((
            at,
            3,
            Line {
                at,
                actor: "service".into(),
                text: format!(
                    "RTO: every critical flow is back above its SLO, {} after the onset",
                    rto.human()
                ),
            },
        ));
    }
    if let Some(end) = incident_end(run, series, onset) {
        lines.push((end.at, 4, end));
    }
    lines.sort_by_key(|(at, order, _)| (*at, *order));
    lines.into_iter().map(|(_, _, l)| l).collect()
}

/// The step log, with runbooks that started no action told in one line.
fn log_lines(run: &RunResult) -> Vec<Line> {
    let idle: Vec<&str> = run
        .log
        .iter()
        .filter_map(|e| e.text.strip_prefix("runbook ")?.strip_suffix(" starts"))
        .filter(|book| {
            let prefix = format!("{book}: ");
            !run.log.iter().any(|e| {
                e.text
                    .strip_prefix(&prefix)
                    .is_some_and(|rest| rest.ends_with(" begins") || rest.contains(" waits "))
            })
        })
        .collect();
    let mut out = Vec::new();
    for e in &run.log {
        let book = idle.iter().find(|&&b| {
            e.actor == b
                && (e.text.starts_with(&format!("{b}: ")) || e.text.starts_with("runbook "))
        });
        match book {
            Some(b) if e.text == format!("runbook {b} starts") => {
                let choices: Vec<&str> = run
                    .log
                    .iter()
                    .filter(|x| x.actor == *b && x.phase == Phase::Decision)
                    .filter_map(|x| x.text.strip_prefix(&format!("{b}: ")))
                    .collect();
                let why = if choices.is_empty() {
                    String::new()
                } else {
                    format!(": {}", choices.join("; "))
                };
                out.push(Line {
                    at: e.at,
                    actor: e.actor.clone(),
                    text: format!("runbook {b} runs and takes no action{why}"),
                });
            }
            Some(_) => {}
            None => out.push(Line {
                at: e.at,
                actor: e.actor.clone(),
                text: e.text.clone(),
            }),
        }
    }
    out
}

/// A share as a percentage: `62 %`, `99.9 %` (no rounding up to 100).
fn pct(r: f64) -> String {
    let p = r * 100.0;
    if p >= 100.0 {
        "100 %".to_string()
    } else if p > 99.0 {
        format!("{:.1} %", (p * 10.0).floor() / 10.0)
    } else {
        format!("{:.0} %", p.round())
    }
}

/// The ratio of `s` at `t` seconds (the polyline's value; at a jump, the value after it).
fn ratio_at(s: &FlowSeries, t: f64) -> f64 {
    let mut value = s.ratio.first().map_or(1.0, |p| p.1);
    for pair in s.ratio.windows(2) {
        let ((t0, r0), (t1, r1)) = (pair[0], pair[1]);
        if t < t0 {
            break;
        }
        value = if t1 > t0 && t < t1 {
            r0 + (r1 - r0) * (t - t0) / (t1 - t0)
        } else {
            r1
        };
    }
    value
}

/// The flow's level changes from the onset on, in words.
fn flow_lines(s: &FlowSeries, onset: SimTime) -> Vec<Line> {
    let t0 = onset.since_start().as_secs_f64();
    let mut said = ratio_at(s, t0 - 1e-6);
    let mut out = Vec::new();
    for &(t, r) in s.ratio.iter().filter(|p| p.0 >= t0) {
        let crossed = (r >= FULL) != (said >= FULL) || (r <= 1e-4) != (said <= 1e-4);
        if (r - said).abs() < STEP && !crossed {
            continue;
        }
        let text = if r >= FULL {
            format!("{}: every request succeeds again", s.name)
        } else if r <= 1e-4 {
            format!("{}: 0 % of requests succeed", s.name)
        } else {
            format!("{}: {} of requests succeed", s.name, pct(r))
        };
        let at = SimTime::from_micros((t * 1e6).round() as u64);
        if out.last().is_some_and(|l: &Line| l.at == at) {
            out.pop();
        }
        out.push(Line {
            at,
            actor: s.name.clone(),
            text,
        });
        said = r;
    }
    if out.len() > MAX_FLOW_LINES {
        let skipped = out.len() - MAX_FLOW_LINES;
        let mut kept: Vec<Line> = out.drain(..MAX_FLOW_LINES / 2).collect();
        let tail = out.split_off(out.len() - MAX_FLOW_LINES / 2);
        kept.push(Line {
            at: tail[0].at,
            actor: s.name.clone(),
            text: format!("{}: ({skipped} more level changes)", s.name),
        });
        kept.extend(tail);
        return kept;
    }
    out
}

/// The end of the incident for clients: the last level change of any flow after the onset, once every
/// flow is at its final level; `None` when no flow changed.
fn incident_end(run: &RunResult, series: &[FlowSeries], onset: SimTime) -> Option<Line> {
    let t0 = onset.since_start().as_secs_f64();
    let mut last: Option<f64> = None;
    let mut finals = Vec::new();
    for s in series {
        let Some(&(_, end)) = s.ratio.last() else {
            continue;
        };
        // The first point of the final constant stretch.
        let settled = s
            .ratio
            .iter()
            .rposition(|p| (p.1 - end).abs() > 1e-9)
            .and_then(|i| s.ratio.get(i + 1))
            .map(|p| p.0);
        if let Some(t) = settled.filter(|&t| t >= t0) {
            last = Some(last.map_or(t, |l: f64| l.max(t)));
        }
        finals.push((s.name.as_str(), end));
    }
    let at_s = last?;
    let at = SimTime::from_micros((at_s * 1e6).round() as u64);
    let text = if finals.iter().all(|&(_, r)| r >= FULL) {
        format!(
            "the incident is over for clients: every flow serves every request, {} after the onset",
            duration(at_s - t0)
        )
    } else {
        let levels: Vec<String> = finals
            .iter()
            .map(|&(n, r)| format!("{n} {}", pct(r)))
            .collect();
        let still = if run.rto.is_none() {
            " (not recovered within the horizon)"
        } else {
            ""
        };
        format!(
            "flows settle{still}, {} after the onset: {}",
            duration(at_s - t0),
            levels.join(", ")
        )
    };
    Some(Line {
        at,
        actor: "incident".into(),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::SimDuration;

    fn series(points: &[(f64, f64)]) -> FlowSeries {
        FlowSeries {
            name: "checkout".into(),
            critical: true,
            slo: 0.99,
            window: SimDuration::from_mins(1),
            ratio: points.to_vec(),
            windowed: Vec::new(),
        }
    }

    #[test]
    fn a_flow_is_told_when_it_falls_ramps_and_recovers() {
        let s = series(&[
            (0.0, 1.0),
            (100.0, 1.0),
            (100.0, 0.0),
            (400.0, 0.0),
            (460.0, 1.0),
            (1000.0, 1.0),
        ]);
        let lines = flow_lines(&s, SimTime::from_micros(100_000_000));
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "checkout: 0 % of requests succeed",
                "checkout: every request succeeds again"
            ]
        );
        assert_eq!(lines[1].at, SimTime::from_micros(460_000_000));
        assert!((ratio_at(&s, 430.0) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn percentages_never_round_up_to_all() {
        assert_eq!(pct(0.62), "62 %");
        assert_eq!(pct(0.9996), "99.9 %");
        assert_eq!(pct(0.99), "99 %");
    }
}
