//! Human forms of durations, estimates, clocks and money, shared by every renderer so they all agree.

use std::borrow::Cow;

use sim_core::sweep::stats::Estimate;
use sim_core::{SimDuration, SimTime};

/// What an empty sample shows instead of a number.
pub const NONE: &str = "–";

/// `text` with every character that could act on a terminal or break a text format shown as an escape:
/// C0 controls (tab and newline included), DEL and C1 controls as `\x1b`, `\x7f`, `\u{9b}`; the
/// bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the non-characters U+FFFE and
/// U+FFFF (which XML forbids) as `\u{…}`. Names are user input; this is how text shows them.
pub fn printable(text: &str) -> Cow<'_, str> {
    let escaped = |c: char| {
        c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}')
    };
    if !text.chars().any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !escaped(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Seconds as people read them ([`SimDuration::human`]): `850 ms`, `42.5s`, `4m 05s`, `1h 23m`, `2d 03h`;
/// `0 s` for zero.
/// Negative values (paired differences) get a leading `-`; NaN shows as `–` and ±∞ as `∞`.
pub fn duration(secs: f64) -> String {
    if secs.is_nan() {
        return NONE.to_string();
    }
    if secs < 0.0 {
        return format!("-{}", duration(-secs));
    }
    if secs.is_infinite() {
        return "∞".to_string();
    }
    if secs == 0.0 {
        return "0 s".to_string();
    }
    SimDuration::from_secs_f64(secs).human()
}

/// A difference with its sign always shown (`+4m 05s`, `-850 ms`, `0 s`).
pub fn signed_duration(secs: f64) -> String {
    if secs > 0.0 {
        format!("+{}", duration(secs))
    } else {
        duration(secs)
    }
}

/// A measured duration that may be "not recovered within the horizon".
pub fn opt_duration(secs: Option<f64>) -> String {
    secs.map_or_else(|| "not recovered".to_string(), duration)
}

/// An estimate and its 95 % interval, `4m 05s [3m 50s, 4m 20s]`, with `format` for the numbers.
/// `n == 0` shows `–`; a missing value (the percentile lands on a non-recovery) shows `not recovered`, and
/// a missing bound `∞`.
pub fn estimate_with(e: &Estimate, n: usize, format: fn(f64) -> String) -> String {
    if n == 0 {
        return NONE.to_string();
    }
    let Some(value) = e.value else {
        return "not recovered".to_string();
    };
    let bound = |b: Option<f64>| b.map_or_else(|| "∞".to_string(), format);
    format!("{} [{}, {}]", format(value), bound(e.low), bound(e.high))
}

/// [`estimate_with`] for durations in seconds.
pub fn estimate(e: &Estimate, n: usize) -> String {
    estimate_with(e, n, duration)
}

/// A plain count or ratio, with no trailing `.0` for whole numbers.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return NONE.to_string();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A simulated instant on the run clock, to the second, as the step log writes instants: `09:04:24`,
/// `1d 09:04:24` past a day.
pub fn clock(at: SimTime) -> String {
    SimTime::from_micros(at.as_micros() / 1_000_000 * 1_000_000).to_string()
}

/// Whole seconds as `HH:MM:SS`.
pub fn clock_secs(s: u64) -> String {
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// A time relative to the onset: `00:01:30` after it, `-00:00:10` before it.
pub fn offset_clock(at: SimTime, onset: Option<SimTime>) -> String {
    match onset {
        None => clock(at),
        Some(onset) => match at.checked_since(onset) {
            Some(d) => clock_secs(d.as_secs()),
            None => format!("-{}", clock_secs(onset.saturating_since(at).as_secs())),
        },
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    grouped
}

/// Monthly USD, `$1,234/mo`; `–` when unknown.
pub fn usd_month(cost: Option<f64>) -> String {
    match cost {
        Some(c) if c.is_finite() => {
            let whole = c.round().abs() as u64;
            let sign = if c < 0.0 && whole > 0 { "-" } else { "" };
            format!("{sign}${}/mo", thousands(whole))
        }
        _ => NONE.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(secs: f64, expect: &str) {
        assert_eq!(duration(secs), expect, "{secs}");
    }

    #[test]
    fn durations_round_then_pick_the_unit() {
        check(0.0, "0 s");
        check(0.000_4, "0 ms");
        check(0.85, "850 ms");
        check(0.9996, "1s");
        check(42.46, "42.5s");
        check(59.96, "1m 00s");
        check(245.0, "4m 05s");
        check(3599.6, "1h 00m");
        check(5000.0, "1h 23m");
        check(86_400.0 * 2.0 + 3.0 * 3600.0, "2d 03h");
        check(-245.0, "-4m 05s");
        check(f64::NAN, "–");
        check(f64::INFINITY, "∞");
        assert_eq!(signed_duration(0.85), "+850 ms");
    }

    #[test]
    fn controls_in_names_show_as_escapes() {
        assert_eq!(printable("web-1 ∞ é"), "web-1 ∞ é");
        assert_eq!(
            printable("a\u{1b}[31mb\u{7}\n\t\u{7f}\u{9b}\u{202e}\u{fffe}\u{ffff}"),
            r"a\x1b[31mb\x07\x0a\x09\x7f\u{9b}\u{202e}\u{fffe}\u{ffff}"
        );
    }

    #[test]
    fn estimates_money_and_clocks() {
        let e = Estimate {
            value: Some(60.0),
            low: Some(30.0),
            high: None,
        };
        assert_eq!(estimate(&e, 5), "1m 00s [30s, ∞]");
        assert_eq!(estimate(&e, 0), "–");
        let nr = Estimate {
            value: None,
            low: None,
            high: None,
        };
        assert_eq!(estimate(&nr, 5), "not recovered");
        assert_eq!(usd_month(Some(1234.4)), "$1,234/mo");
        assert_eq!(usd_month(Some(999.0)), "$999/mo");
        assert_eq!(usd_month(None), "–");
        assert_eq!(clock_secs(90), "00:01:30");
        assert_eq!(clock_secs(100 * 3600 + 61), "100:01:01");
    }
}
