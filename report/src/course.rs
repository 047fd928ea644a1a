//! The course's expectation beside what drsim measured, with a plain flag where they disagree.
//!
//! A scenario's `course.expectation` is prose ("RPO seconds; RTO tens of minutes: decision, promotion…").
//! The words after `RTO` or `RPO` that name a magnitude are read as a band ("seconds": under a minute,
//! "tens of minutes": 10 min to 2 h, "hours": 1 h or more, "0" or "zero": nothing; "near real time" at
//! the start of an expectation stands for the RTO). A measured figure outside its band is flagged. This
//! reads words, not a formula, so the page shows the sentence and the band it read, and says when it
//! found none.

use std::fmt::Write as _;

use sim_core::measure::RunResult;
use sim_core::spec::CourseRef;

use crate::human::{duration, printable};

/// A band of durations, in seconds, read from the course's words.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Band {
    /// The words it was read from.
    pub(crate) words: String,
    pub(crate) lo: f64,
    pub(crate) hi: f64,
}

/// Magnitude phrases, most specific first: (phrase, lo, hi) in seconds.
const PHRASES: [(&str, f64, f64); 14] = [
    ("tens of minutes", 600.0, 7200.0),
    ("about two minutes or less", 0.0, 180.0),
    ("two minutes or less", 0.0, 180.0),
    ("about a minute", 20.0, 180.0),
    ("within a minute", 0.0, 90.0),
    ("near real time", 0.0, 60.0),
    ("< 1 s", 0.0, 1.0),
    ("seconds", 0.0, 60.0),
    ("minutes", 60.0, 3600.0),
    ("hours", 3600.0, f64::INFINITY),
    ("replication lag", 0.0, 60.0),
    ("time since the last copied backup", 60.0, f64::INFINITY),
    ("zero", 0.0, 0.0),
    ("0", 0.0, 0.0),
];

/// The band the expectation gives `metric` (`"RTO"` or `"RPO"`): the first magnitude phrase in the clause
/// after the metric's first mention (up to the next `;` or the other metric), or for the RTO a leading
/// "near real time".
pub(crate) fn band(expectation: &str, metric: &str) -> Option<Band> {
    let other = if metric == "RTO" { "RPO" } else { "RTO" };
    let clause = match expectation.find(metric) {
        Some(at) => {
            let rest = &expectation[at + metric.len()..];
            let end = [rest.find(';'), rest.find(other)]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(rest.len());
            &rest[..end]
        }
        None if metric == "RTO" && expectation.starts_with("near real time") => "near real time",
        // An expectation that never says "RTO" but times a failover ("automatic failover in 60–120 s")
        // gives the RTO in its first clause.
        None if metric == "RTO" && expectation.contains("failover in") => {
            let end = [expectation.find(';'), expectation.find(other)]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(expectation.len());
            &expectation[..end]
        }
        None => return None,
    };
    // The earliest phrase or figure in the clause wins; among phrases at one place, the longest (listed
    // first).
    PHRASES
        .iter()
        .filter_map(|&(words, lo, hi)| {
            let at = find_word(clause, words)?;
            Some((
                at,
                Band {
                    words: words.to_string(),
                    lo,
                    hi,
                },
            ))
        })
        .chain(figures(clause))
        .min_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, b)| b)
}

/// Seconds in one unit word, if it is one (`s`, `min`, `minutes`, `h`, …).
fn unit_secs(word: &str) -> Option<f64> {
    match word {
        "s" | "sec" | "secs" | "second" | "seconds" => Some(1.0),
        "min" | "mins" | "minute" | "minutes" => Some(60.0),
        "h" | "hr" | "hour" | "hours" => Some(3600.0),
        _ => None,
    }
}

/// Figures with a unit in `clause`, with where they start: `60–120 s` (a range), `under 35 s` (up to).
fn figures(clause: &str) -> Vec<(usize, Band)> {
    let mut out = Vec::new();
    let bytes = clause.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if !starts {
            i += 1;
            continue;
        }
        let number = |from: usize| -> Option<(f64, usize)> {
            let len = clause[from..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(clause.len() - from);
            clause[from..from + len]
                .parse()
                .ok()
                .map(|v| (v, from + len))
        };
        let Some((a, mut j)) = number(i) else {
            i += 1;
            continue;
        };
        let mut b = None;
        for dash in ["–", "-", " to "] {
            if clause[j..].starts_with(dash) {
                if let Some((v, k)) = number(j + dash.len()) {
                    b = Some(v);
                    j = k;
                }
                break;
            }
        }
        let rest = clause[j..].trim_start();
        let word: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
        if let Some(unit) = unit_secs(&word) {
            let end = clause.len() - rest.len() + word.len();
            let under = clause[..i].trim_end().ends_with("under");
            let (lo, hi, from) = match b {
                Some(b) => (a * unit, b * unit, i),
                None if under => (0.0, a * unit, clause[..i].trim_end().len() - "under".len()),
                None => (a * unit * 0.5, a * unit * 1.5, i),
            };
            out.push((
                from,
                Band {
                    words: clause[from..end].to_string(),
                    lo,
                    hi,
                },
            ));
        }
        i = j.max(i + 1);
    }
    out
}

/// Where `words` occurs in `text` as whole words (a `0` inside `100` does not count).
fn find_word(text: &str, words: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(words) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + words.len()..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '.');
        if edge(before) && edge(after) {
            return Some(at);
        }
        from = at + words.len();
    }
    None
}

/// Whether `measured` seconds is inside the band (with a little slack for rounding: 10 %, at least 1 s).
pub(crate) fn agrees(band: &Band, measured: f64) -> bool {
    let slack = (band.hi * 0.1).max(1.0);
    measured >= band.lo * 0.9 - 1e-9 && measured <= band.hi + slack
}

/// A band in words: "under 1m 00s", "1h 00m or more", "0".
pub(crate) fn band_text(b: &Band) -> String {
    match (b.lo, b.hi) {
        (lo, hi) if lo <= 0.0 && hi <= 0.0 => "0".to_string(),
        (lo, hi) if lo <= 0.0 => format!("up to {}", duration(hi)),
        (lo, hi) if hi.is_infinite() => format!("{} or more", duration(lo)),
        (lo, hi) => format!("{} to {}", duration(lo), duration(hi)),
    }
}

/// One row of the expectation table: metric, the course's band, drsim's figure, and the verdict.
pub(crate) fn row(
    expectation: &str,
    metric: &str,
    measured: Option<f64>,
    what: &str,
) -> Vec<String> {
    let band = band(expectation, metric);
    let figure = measured.map_or_else(
        || "not measured".to_string(),
        |m| format!("{} ({what})", duration(m)),
    );
    let verdict = match (&band, measured) {
        (None, _) => "the course gives no magnitude drsim can read".to_string(),
        (Some(_), None) => "no figure to compare".to_string(),
        (Some(b), Some(m)) if agrees(b, m) => "agrees".to_string(),
        (Some(b), Some(m)) => format!(
            "⚠ differs: the course's \"{}\" means {}; drsim measured {}",
            b.words,
            band_text(b),
            duration(m)
        ),
    };
    vec![
        metric.to_string(),
        band.as_ref().map_or_else(
            || "–".to_string(),
            |b| format!("\"{}\": {}", b.words, band_text(b)),
        ),
        figure,
        verdict,
    ]
}

/// The course's expectation beside one run's figures, as the terminal shows it (`run`, `replay`).
pub fn course_text(course: &CourseRef, run: &RunResult) -> String {
    let b = &run.breakdown;
    let why = format!(
        "detection {} · decision {} · recovery {} · propagation {}",
        b.detection.human(),
        b.decision.human(),
        b.recovery.human(),
        b.propagation.human()
    );
    expectation_text(
        course,
        run.rto.map(|d| d.as_secs_f64()),
        run.rpo.map(|d| d.as_secs_f64()),
        "this run",
        &why,
    )
}

/// The course's expectation beside measured figures (`what` names them: "this run", "p99 of 1000 runs"),
/// with `why` (where the RTO went) quoted when the RTO disagrees.
pub fn expectation_text(
    course: &CourseRef,
    rto: Option<f64>,
    rpo: Option<f64>,
    what: &str,
    why: &str,
) -> String {
    let mut out = format!(
        "\nThe course (module {}) expects\n  \"{}\"\n",
        printable(&course.module),
        printable(&course.expectation)
    );
    for (metric, figure) in [("RTO", rto), ("RPO", rpo)] {
        let r = row(&course.expectation, metric, figure, what);
        let _ = writeln!(out, "  {:<4} {} — drsim: {} — {}", r[0], r[1], r[2], r[3]);
        let disagrees = band(&course.expectation, metric)
            .zip(figure)
            .is_some_and(|(b, m)| !agrees(&b, m));
        if disagrees && metric == "RTO" && !why.is_empty() {
            let _ = writeln!(
                out,
                "       why: the course gives the usual case; drsim counts all of the measured time: {why}"
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(expectation: &str, metric: &str, expect: Option<(&str, f64, f64)>) {
        let got = band(expectation, metric).map(|b| (b.words.clone(), b.lo, b.hi));
        let expect = expect.map(|(w, lo, hi)| (w.to_string(), lo, hi));
        assert_eq!(got, expect, "{metric} of {expectation:?}");
    }

    #[test]
    fn bands_are_read_from_the_clause_after_the_metric() {
        let hours = f64::INFINITY;
        check(
            "RPO seconds; RTO tens of minutes: decision",
            "RTO",
            Some(("tens of minutes", 600.0, 7200.0)),
        );
        check(
            "RPO seconds; RTO tens of minutes: decision",
            "RPO",
            Some(("seconds", 0.0, 60.0)),
        );
        check(
            "RPO ≈ time since the last copied backup (hours); RTO hours: detection",
            "RTO",
            Some(("hours", 3600.0, hours)),
        );
        check(
            "RPO ≈ time since the last copied backup (hours); RTO hours",
            "RPO",
            Some(("time since the last copied backup", 60.0, hours)),
        );
        check(
            "near real time: CloudFront fails over reads; RPO ≈ DynamoDB replication lag",
            "RTO",
            Some(("near real time", 0.0, 60.0)),
        );
        check(
            "RTO ≈ detection + TTL, about two minutes or less",
            "RTO",
            Some(("about two minutes or less", 0.0, 180.0)),
        );
        check("nothing here", "RTO", None);
        check(
            "automatic failover in 60–120 s with no data loss (RPO 0); a cluster fails over in under 35 s",
            "RTO",
            Some(("60–120 s", 60.0, 120.0)),
        );
        check("RTO under 35 s", "RTO", Some(("under 35 s", 0.0, 35.0)));
    }

    #[test]
    fn a_figure_outside_the_band_is_flagged() {
        let r = row(
            "RTO about a minute after the decision",
            "RTO",
            Some(600.0),
            "measured",
        );
        assert!(r[3].starts_with("⚠ differs"), "{r:?}");
        let r = row("RTO hours", "RTO", Some(7200.0), "measured");
        assert_eq!(r[3], "agrees");
    }
}
