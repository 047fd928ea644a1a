//! The course's expectation beside what drsim measured, with a plain flag where they disagree.
//!
//! A scenario's `course.expectation` is prose ("RPO seconds; RTO tens of minutes: decision, promotion…").
//! The words after `RTO` or `RPO` that name a magnitude are read as a band ("seconds": under a minute,
//! "tens of minutes": 10 min to 2 h, "hours": 1 h or more, "0" or "zero": nothing; "near real time" at
//! the start of an expectation stands for the RTO). A measured figure outside its band is flagged. This
//! reads words, not a formula, so the page shows the sentence and the band it read, and says when it
//! found none.

use crate::human::duration;

/// A band of durations, in seconds, read from the course's words.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Band {
    /// The words it was read from.
    pub(crate) words: &'static str,
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
        None => return None,
    };
    // The earliest phrase in the clause wins; among phrases at one place, the longest (listed first).
    PHRASES
        .iter()
        .filter_map(|&(words, lo, hi)| {
            let at = find_word(clause, words)?;
            Some((at, Band { words, lo, hi }))
        })
        .min_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, b)| b)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn check(expectation: &str, metric: &str, expect: Option<(&str, f64, f64)>) {
        let got = band(expectation, metric).map(|b| (b.words, b.lo, b.hi));
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
