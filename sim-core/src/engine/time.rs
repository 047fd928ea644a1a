//! Integer simulated time: [`SimTime`] (an instant) and [`SimDuration`] (a span), in microseconds.
//!
//! The clock is never a float: two runs that do the same integer arithmetic reach the same instants on every
//! machine. Durations parse from and print to the human form used in scenario files (`"90s"`, `"5m"`,
//! `"1h30m"`, `"250ms"`, `"1.5s"`), and serialise as those strings.
//!
//! Arithmetic saturates instead of wrapping: `u64` microseconds cover 584,000 years, so saturation is only
//! reached by absurd input, and it is deterministic when it is.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const MICROS_PER_MS: u64 = 1_000;
const MICROS_PER_S: u64 = 1_000_000;
const MICROS_PER_M: u64 = 60 * MICROS_PER_S;
const MICROS_PER_H: u64 = 60 * MICROS_PER_M;
const MICROS_PER_D: u64 = 24 * MICROS_PER_H;

/// Units accepted in human durations, longest first so `ms` wins over `m`.
const UNITS: [(&str, u64); 7] = [
    ("ms", MICROS_PER_MS),
    ("us", 1),
    ("d", MICROS_PER_D),
    ("h", MICROS_PER_H),
    ("m", MICROS_PER_M),
    ("s", MICROS_PER_S),
    ("w", 7 * MICROS_PER_D),
];

/// A span of simulated time, in whole microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(u64);

/// An instant of simulated time: microseconds since the start of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(u64);

impl SimDuration {
    /// The empty span.
    pub const ZERO: SimDuration = SimDuration(0);
    /// The longest representable span; arithmetic saturates here.
    pub const MAX: SimDuration = SimDuration(u64::MAX);

    /// A span of `us` microseconds.
    pub const fn from_micros(us: u64) -> Self {
        SimDuration(us)
    }
    /// A span of `ms` milliseconds (saturating).
    pub const fn from_millis(ms: u64) -> Self {
        SimDuration(ms.saturating_mul(MICROS_PER_MS))
    }
    /// A span of `s` seconds (saturating).
    pub const fn from_secs(s: u64) -> Self {
        SimDuration(s.saturating_mul(MICROS_PER_S))
    }
    /// A span of `m` minutes (saturating).
    pub const fn from_mins(m: u64) -> Self {
        SimDuration(m.saturating_mul(MICROS_PER_M))
    }
    /// A span of `h` hours (saturating).
    pub const fn from_hours(h: u64) -> Self {
        SimDuration(h.saturating_mul(MICROS_PER_H))
    }
    /// A span from a number of seconds given as a float, rounded to the nearest microsecond.
    ///
    /// This is how sampled distributions become durations. Negative and NaN inputs give zero; values too
    /// large give [`SimDuration::MAX`].
    pub fn from_secs_f64(secs: f64) -> Self {
        let us = (secs * MICROS_PER_S as f64).round();
        if us.is_nan() || us <= 0.0 {
            SimDuration::ZERO
        } else if us >= u64::MAX as f64 {
            SimDuration::MAX
        } else {
            SimDuration(us as u64)
        }
    }
    /// The span in whole microseconds.
    pub const fn as_micros(self) -> u64 {
        self.0
    }
    /// The span in whole seconds, rounded down.
    pub const fn as_secs(self) -> u64 {
        self.0 / MICROS_PER_S
    }
    /// The span in seconds as a float, for reports and statistics (never for the clock).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_S as f64
    }
    /// Whether the span is empty.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }
    /// The span as people read it, rounded to its two largest units: `850 ms`, `42.5s`, `8m 11s`,
    /// `1h 23m`, `2d 03h`; `0 s` for zero. Each unit rounds first and moves up when rounding reaches the
    /// next one, so 59.96 s is `1m 00s`. Narration and reports use this; [`Display`](fmt::Display) is the
    /// exact, parseable form the scenario format reads.
    pub fn human(self) -> String {
        let us = self.0;
        if us == 0 {
            return "0 s".to_string();
        }
        let ms = (us + 500) / 1000;
        if ms < 1000 {
            return format!("{ms} ms");
        }
        let tenths = (us + 50_000) / 100_000;
        if tenths < 600 {
            return match tenths % 10 {
                0 => format!("{}s", tenths / 10),
                t => format!("{}.{t}s", tenths / 10),
            };
        }
        let s = (us + 500_000) / MICROS_PER_S;
        if s < 3600 {
            return format!("{}m {:02}s", s / 60, s % 60);
        }
        let m = (us + 30_000_000) / MICROS_PER_M;
        if m < 24 * 60 {
            return format!("{}h {:02}m", m / 60, m % 60);
        }
        let h = (us + MICROS_PER_H / 2) / MICROS_PER_H;
        format!("{}d {:02}h", h / 24, h % 24)
    }
    /// `self + rhs`, saturating at [`SimDuration::MAX`].
    pub const fn saturating_add(self, rhs: SimDuration) -> Self {
        SimDuration(self.0.saturating_add(rhs.0))
    }
    /// `self - rhs`, saturating at zero.
    pub const fn saturating_sub(self, rhs: SimDuration) -> Self {
        SimDuration(self.0.saturating_sub(rhs.0))
    }
    /// `self * n`, saturating at [`SimDuration::MAX`].
    pub const fn saturating_mul(self, n: u64) -> Self {
        SimDuration(self.0.saturating_mul(n))
    }
}

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);
    /// The end of representable time; used as "never".
    pub const MAX: SimTime = SimTime(u64::MAX);

    /// The instant `us` microseconds after the start.
    pub const fn from_micros(us: u64) -> Self {
        SimTime(us)
    }
    /// The instant `d` after the start.
    pub const fn at(d: SimDuration) -> Self {
        SimTime(d.0)
    }
    /// Microseconds since the start.
    pub const fn as_micros(self) -> u64 {
        self.0
    }
    /// The span from the start to this instant.
    pub const fn since_start(self) -> SimDuration {
        SimDuration(self.0)
    }
    /// The span from `earlier` to `self`, or zero when `earlier` is later.
    pub const fn saturating_since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
    /// The span from `earlier` to `self`, or `None` when `earlier` is later.
    pub const fn checked_since(self, earlier: SimTime) -> Option<SimDuration> {
        match self.0.checked_sub(earlier.0) {
            Some(us) => Some(SimDuration(us)),
            None => None,
        }
    }
    /// `self - d`, saturating at the start of the run.
    pub const fn saturating_sub(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_sub(d.0))
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    /// Saturates at [`SimTime::MAX`].
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = *self + rhs;
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    /// Saturates at [`SimDuration::MAX`].
    fn add(self, rhs: SimDuration) -> SimDuration {
        self.saturating_add(rhs)
    }
}

impl AddAssign for SimDuration {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = *self + rhs;
    }
}

impl Sub for SimDuration {
    type Output = SimDuration;
    /// Saturates at zero.
    fn sub(self, rhs: SimDuration) -> SimDuration {
        self.saturating_sub(rhs)
    }
}

/// Why a human duration did not parse. Each message says what a valid duration looks like.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DurationParseError {
    /// The text was empty or only spaces: give a number and a unit, e.g. `"90s"`.
    Empty,
    /// A leading minus sign: durations are never negative.
    Negative,
    /// A part had no number before its unit, or the number was malformed.
    BadNumber(String),
    /// A number had no unit after it, or the unit is unknown.
    BadUnit(String),
    /// More than six decimal places below the microsecond would be lost, e.g. `"0.0000001s"`.
    TooPrecise(String),
    /// The total does not fit in 584,000 years.
    Overflow,
}

impl fmt::Display for DurationParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HINT: &str = "expected e.g. \"90s\", \"5m\", \"1h30m\", \"250ms\" or \"1.5s\"";
        match self {
            DurationParseError::Empty => write!(f, "empty duration: {HINT}"),
            DurationParseError::Negative => write!(f, "durations cannot be negative: {HINT}"),
            DurationParseError::BadNumber(p) => {
                write!(f, "bad number in duration part {p:?}: {HINT}")
            }
            DurationParseError::BadUnit(p) => {
                write!(
                    f,
                    "unknown or missing unit in {p:?}: units are us, ms, s, m, h, d, w"
                )
            }
            DurationParseError::TooPrecise(p) => {
                write!(
                    f,
                    "{p:?} is finer than the microsecond resolution of the clock"
                )
            }
            DurationParseError::Overflow => {
                write!(f, "duration too long (the limit is about 584,000 years)")
            }
        }
    }
}

impl std::error::Error for DurationParseError {}

impl FromStr for SimDuration {
    type Err = DurationParseError;

    /// Parses a sequence of `<number><unit>` parts, optionally separated by spaces: `"1h30m"`, `"1h 30m"`,
    /// `"1.5s"`. A bare `"0"` is zero. Units: `us`, `ms`, `s`, `m`, `h`, `d`, `w`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DurationParseError::Empty);
        }
        if text.starts_with('-') {
            return Err(DurationParseError::Negative);
        }
        if text == "0" {
            return Ok(SimDuration::ZERO);
        }
        let mut total: u64 = 0;
        let mut rest = text;
        while !rest.is_empty() {
            let number_len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            let (number, after) = rest.split_at(number_len);
            let unit_len = after
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(after.len());
            let (unit, after) = after.split_at(unit_len);
            let part = &rest[..number_len + unit_len];
            if number.is_empty() {
                return Err(DurationParseError::BadNumber(part.to_string()));
            }
            let scale = UNITS
                .iter()
                .find(|(name, _)| *name == unit)
                .map(|&(_, scale)| scale)
                .ok_or_else(|| DurationParseError::BadUnit(part.to_string()))?;
            total = total
                .checked_add(scale_number(number, scale, part)?)
                .ok_or(DurationParseError::Overflow)?;
            rest = after.trim_start();
        }
        Ok(SimDuration(total))
    }
}

/// `number × scale` in microseconds, where `number` may have a decimal fraction (`"1.5"`).
fn scale_number(number: &str, scale: u64, part: &str) -> Result<u64, DurationParseError> {
    let bad = || DurationParseError::BadNumber(part.to_string());
    let (whole, frac) = match number.split_once('.') {
        Some((w, f)) => (w, f),
        None => (number, ""),
    };
    if whole.is_empty() && frac.is_empty() || frac.contains('.') {
        return Err(bad());
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| {
            if whole.chars().all(|c| c.is_ascii_digit()) {
                DurationParseError::Overflow
            } else {
                bad()
            }
        })?
    };
    let mut micros = whole
        .checked_mul(scale)
        .ok_or(DurationParseError::Overflow)?;
    // The fraction: digit k (1-based) is worth scale / 10^k; it must land on whole microseconds.
    let mut unit = scale;
    for (i, digit) in frac.bytes().enumerate() {
        if !unit.is_multiple_of(10) {
            // Below the microsecond: only trailing zeros are allowed ("1.50s" yes, "1.5us" no).
            if frac.as_bytes()[i..].iter().any(|&b| b != b'0') {
                return Err(DurationParseError::TooPrecise(part.to_string()));
            }
            break;
        }
        unit /= 10;
        micros = micros
            .checked_add(u64::from(digit - b'0') * unit)
            .ok_or(DurationParseError::Overflow)?;
    }
    Ok(micros)
}

impl fmt::Display for SimDuration {
    /// Canonical human form, largest units first: `1h30m`, `1m30s`, `1s500ms`, `0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.0;
        for (name, scale) in [
            ("d", MICROS_PER_D),
            ("h", MICROS_PER_H),
            ("m", MICROS_PER_M),
            ("s", MICROS_PER_S),
            ("ms", MICROS_PER_MS),
            ("us", 1),
        ] {
            let n = rest / scale;
            if n > 0 {
                write!(f, "{n}{name}")?;
                rest %= scale;
            }
        }
        Ok(())
    }
}

impl fmt::Display for SimTime {
    /// A run clock as students read it: `00:01:30`, `00:01:30.250` with milliseconds, `2d 03:00:00` past a
    /// day.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0 / MICROS_PER_D;
        let hours = self.0 % MICROS_PER_D / MICROS_PER_H;
        let minutes = self.0 % MICROS_PER_H / MICROS_PER_M;
        let seconds = self.0 % MICROS_PER_M / MICROS_PER_S;
        let millis = self.0 % MICROS_PER_S / MICROS_PER_MS;
        if days > 0 {
            write!(f, "{days}d ")?;
        }
        write!(f, "{hours:02}:{minutes:02}:{seconds:02}")?;
        if millis > 0 {
            write!(f, ".{millis:03}")?;
        }
        Ok(())
    }
}

impl Serialize for SimDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SimDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = SimDuration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as \"90s\", \"5m\" or \"1h30m\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SimDuration, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl Serialize for SimTime {
    /// An instant serialises as its offset from the start, in the duration form (`"1h30m"`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.since_start())
    }
}

impl<'de> Deserialize<'de> for SimTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        SimDuration::deserialize(deserializer).map(SimTime::at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect_us: Result<u64, DurationParseError>) {
        assert_eq!(
            text.parse::<SimDuration>().map(|d| d.as_micros()),
            expect_us,
            "{text:?}"
        );
    }

    #[test]
    fn parses_human_durations() {
        check("90s", Ok(90 * MICROS_PER_S));
        check("5m", Ok(5 * MICROS_PER_M));
        check("1h30m", Ok(90 * MICROS_PER_M));
        check("1h 30m", Ok(90 * MICROS_PER_M));
        check("250ms", Ok(250 * MICROS_PER_MS));
        check("1.5s", Ok(1_500_000));
        check(".5m", Ok(30 * MICROS_PER_S));
        check("2d", Ok(2 * MICROS_PER_D));
        check("1w", Ok(7 * MICROS_PER_D));
        check("7us", Ok(7));
        check("0", Ok(0));
        check("0s", Ok(0));
        check("1.50s", Ok(1_500_000));
    }

    #[test]
    fn rejects_bad_durations() {
        check("", Err(DurationParseError::Empty));
        check("-5m", Err(DurationParseError::Negative));
        check("5", Err(DurationParseError::BadUnit("5".into())));
        check("5x", Err(DurationParseError::BadUnit("5x".into())));
        check("m", Err(DurationParseError::BadNumber("m".into())));
        check("1..5s", Err(DurationParseError::BadNumber("1..5s".into())));
        check(
            "0.0000001s",
            Err(DurationParseError::TooPrecise("0.0000001s".into())),
        );
        check("1.5us", Err(DurationParseError::TooPrecise("1.5us".into())));
        check("99999999999999999999s", Err(DurationParseError::Overflow));
        check("999999999w", Err(DurationParseError::Overflow));
    }

    #[test]
    fn prints_canonically_and_round_trips() {
        for (us, text) in [
            (0, "0s"),
            (90 * MICROS_PER_S, "1m30s"),
            (90 * MICROS_PER_M, "1h30m"),
            (1_500_000, "1s500ms"),
            (MICROS_PER_D + 7, "1d7us"),
        ] {
            let d = SimDuration::from_micros(us);
            assert_eq!(d.to_string(), text);
            assert_eq!(text.parse::<SimDuration>(), Ok(d));
        }
    }

    #[test]
    fn clock_display() {
        assert_eq!(
            SimTime::at(SimDuration::from_secs(90)).to_string(),
            "00:01:30"
        );
        assert_eq!(SimTime::from_micros(90_250_000).to_string(), "00:01:30.250");
        assert_eq!(
            SimTime::at(SimDuration::from_hours(51)).to_string(),
            "2d 03:00:00"
        );
    }

    #[test]
    fn human_durations_round_to_two_units() {
        let h = |us: u64| SimDuration::from_micros(us).human();
        assert_eq!(h(0), "0 s");
        assert_eq!(h(400), "0 ms");
        assert_eq!(h(850_000), "850 ms");
        assert_eq!(h(999_600), "1s");
        assert_eq!(h(30_000_000), "30s");
        assert_eq!(h(42_460_000), "42.5s");
        assert_eq!(h(59_960_000), "1m 00s");
        assert_eq!(h(491_478_423), "8m 11s");
        assert_eq!(h(3_599_600_000), "1h 00m");
        assert_eq!(h(5_000_000_000), "1h 23m");
        assert_eq!(SimDuration::from_hours(51).human(), "2d 03h");
    }

    #[test]
    fn arithmetic_saturates() {
        assert_eq!(SimTime::MAX + SimDuration::from_secs(1), SimTime::MAX);
        assert_eq!(
            SimDuration::ZERO - SimDuration::from_secs(1),
            SimDuration::ZERO
        );
        assert_eq!(SimTime::ZERO.checked_since(SimTime::from_micros(1)), None);
        assert_eq!(SimDuration::from_secs_f64(-1.0), SimDuration::ZERO);
        assert_eq!(SimDuration::from_secs_f64(f64::NAN), SimDuration::ZERO);
        assert_eq!(SimDuration::from_secs_f64(1e30), SimDuration::MAX);
        assert_eq!(SimDuration::from_secs_f64(1.25).as_micros(), 1_250_000);
    }
}
