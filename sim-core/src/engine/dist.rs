//! Duration distributions: how long a failover, a restore, a human or a replication lag takes.
//!
//! Scenario files write them as RON enums: `Fixed("90s")`, `Uniform("60s", "120s")`, `Exponential("800ms")`
//! (the mean), `LogNormal("500ms", "5s")` (median and 99th percentile: the heavy-tailed shape of lags and
//! restores, given in the terms published figures use), `Empirical(["1m", "2m", "7m"])` (resampled
//! uniformly). Every sample is rounded to the microsecond, so the clock stays an integer.

use std::fmt;

use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::engine::rng::{Stream, below, unit_f64};
use crate::engine::time::SimDuration;

/// z-score of the 99th percentile of the standard normal.
const Z99: f64 = 2.326_347_874_040_841;

/// A distribution of durations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dist {
    /// Always this duration.
    Fixed(SimDuration),
    /// Uniform between the two bounds, inclusive of the first.
    Uniform(SimDuration, SimDuration),
    /// Exponential with this mean (memoryless: arrivals, time to failure).
    Exponential(SimDuration),
    /// Log-normal with this median (p50) and 99th percentile (p99).
    LogNormal(SimDuration, SimDuration),
    /// One of these observed durations, each equally likely.
    Empirical(Vec<SimDuration>),
}

/// Why a distribution is not usable. Each message says what would be valid.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DistError {
    /// `Uniform(low, high)` with `low > high`.
    UniformBounds(SimDuration, SimDuration),
    /// `LogNormal(p50, p99)` with a zero median or `p99 < p50`.
    LogNormalQuantiles(SimDuration, SimDuration),
    /// `Empirical([])`.
    EmptyEmpirical,
    /// A distribution that can yield zero where a positive duration is required.
    CanBeZero,
}

impl fmt::Display for DistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DistError::UniformBounds(lo, hi) => {
                write!(
                    f,
                    "Uniform(\"{lo}\", \"{hi}\") has its low bound above its high bound; swap them"
                )
            }
            DistError::LogNormalQuantiles(p50, p99) => write!(
                f,
                "LogNormal(\"{p50}\", \"{p99}\") needs a positive median (p50) and a 99th percentile (p99) at least as large"
            ),
            DistError::EmptyEmpirical => write!(f, "Empirical([]) needs at least one duration"),
            DistError::CanBeZero => write!(
                f,
                "this duration must be positive, but the distribution can give 0s"
            ),
        }
    }
}

impl std::error::Error for DistError {}

impl Dist {
    /// A fixed duration parsed from its human form, for defaults written in code: `Dist::fixed("90s")`.
    ///
    /// # Panics
    /// If `text` is not a valid duration (a programming error in a default, caught by the model's tests).
    pub fn fixed(text: &str) -> Dist {
        Dist::Fixed(parse_const(text))
    }

    /// `Uniform` from two human durations (see [`Dist::fixed`]).
    pub fn uniform(low: &str, high: &str) -> Dist {
        Dist::Uniform(parse_const(low), parse_const(high))
    }

    /// `LogNormal` from a human median and 99th percentile (see [`Dist::fixed`]).
    pub fn log_normal(p50: &str, p99: &str) -> Dist {
        Dist::LogNormal(parse_const(p50), parse_const(p99))
    }

    /// `Exponential` from a human mean (see [`Dist::fixed`]).
    pub fn exponential(mean: &str) -> Dist {
        Dist::Exponential(parse_const(mean))
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), DistError> {
        match self {
            Dist::Uniform(lo, hi) if lo > hi => Err(DistError::UniformBounds(*lo, *hi)),
            Dist::LogNormal(p50, p99) if p50.is_zero() || p99 < p50 => {
                Err(DistError::LogNormalQuantiles(*p50, *p99))
            }
            Dist::Empirical(values) if values.is_empty() => Err(DistError::EmptyEmpirical),
            _ => Ok(()),
        }
    }

    /// Checks the parameters and that no sample can be zero (for intervals and periods).
    pub fn validate_positive(&self) -> Result<(), DistError> {
        self.validate()?;
        let can_be_zero = match self {
            Dist::Fixed(d) | Dist::Uniform(d, _) => d.is_zero(),
            Dist::Exponential(_) => true,
            Dist::LogNormal(..) => false,
            Dist::Empirical(values) => values.iter().any(|d| d.is_zero()),
        };
        if can_be_zero {
            Err(DistError::CanBeZero)
        } else {
            Ok(())
        }
    }

    /// Draws one duration. Assumes [`validate`](Self::validate) passed; a malformed distribution still
    /// returns a duration (never panics).
    pub fn sample(&self, rng: &mut Stream) -> SimDuration {
        match self {
            Dist::Fixed(d) => *d,
            Dist::Uniform(lo, hi) => {
                let span = hi.saturating_sub(*lo).as_micros();
                *lo + SimDuration::from_micros(if span == 0 { 0 } else { below(rng, span + 1) })
            }
            Dist::Exponential(mean) => {
                SimDuration::from_secs_f64(-mean.as_secs_f64() * (1.0 - unit_f64(rng)).ln())
            }
            Dist::LogNormal(p50, p99) => {
                let (mu, sigma) = log_normal_params(*p50, *p99);
                let z: f64 = StandardNormal.sample(rng);
                SimDuration::from_secs_f64((mu + sigma * z).exp())
            }
            Dist::Empirical(values) => match values.len() {
                0 => SimDuration::ZERO,
                n => values[below(rng, n as u64) as usize],
            },
        }
    }

    /// The distribution's mean, for cost estimates and reports (never for the clock of a run).
    pub fn mean(&self) -> SimDuration {
        match self {
            Dist::Fixed(d) | Dist::Exponential(d) => *d,
            Dist::Uniform(lo, hi) => {
                SimDuration::from_micros(lo.as_micros() / 2 + hi.as_micros() / 2)
            }
            Dist::LogNormal(p50, p99) => {
                let (mu, sigma) = log_normal_params(*p50, *p99);
                SimDuration::from_secs_f64((mu + sigma * sigma / 2.0).exp())
            }
            Dist::Empirical(values) if values.is_empty() => SimDuration::ZERO,
            Dist::Empirical(values) => {
                let total: u128 = values.iter().map(|d| u128::from(d.as_micros())).sum();
                SimDuration::from_micros((total / values.len() as u128) as u64)
            }
        }
    }
}

/// `(mu, sigma)` of the underlying normal, in log-seconds.
fn log_normal_params(p50: SimDuration, p99: SimDuration) -> (f64, f64) {
    let median = p50.as_secs_f64().max(1e-6);
    let mu = median.ln();
    let sigma = ((p99.as_secs_f64().max(median)).ln() - mu) / Z99;
    (mu, sigma)
}

fn parse_const(text: &str) -> SimDuration {
    match text.parse() {
        Ok(d) => d,
        Err(e) => panic!("bad duration {text:?} in a built-in default: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::RngStreams;

    fn quantiles(dist: &Dist, n: usize) -> (f64, f64) {
        let mut rng = RngStreams::new(1, 0).named("dist-test");
        let mut xs: Vec<f64> = (0..n)
            .map(|_| dist.sample(&mut rng).as_secs_f64())
            .collect();
        xs.sort_by(f64::total_cmp);
        (xs[n / 2], xs[n * 99 / 100])
    }

    #[test]
    fn log_normal_hits_its_quantiles() {
        let (p50, p99) = quantiles(&Dist::log_normal("500ms", "5s"), 100_000);
        assert!((p50 - 0.5).abs() < 0.02, "p50 {p50}");
        assert!((p99 - 5.0).abs() < 0.4, "p99 {p99}");
    }

    #[test]
    fn uniform_stays_within_bounds_and_fixed_is_fixed() {
        let mut rng = RngStreams::new(1, 0).named("u");
        let dist = Dist::uniform("60s", "120s");
        for _ in 0..10_000 {
            let d = dist.sample(&mut rng).as_secs_f64();
            assert!((60.0..=120.0).contains(&d));
        }
        assert_eq!(
            Dist::fixed("90s").sample(&mut rng),
            SimDuration::from_secs(90)
        );
    }

    #[test]
    fn exponential_has_its_mean() {
        let mut rng = RngStreams::new(1, 0).named("e");
        let dist = Dist::exponential("2s");
        let mean = (0..100_000)
            .map(|_| dist.sample(&mut rng).as_secs_f64())
            .sum::<f64>()
            / 100_000.0;
        assert!((mean - 2.0).abs() < 0.05, "{mean}");
    }

    #[test]
    fn validation_names_the_problem() {
        assert_eq!(
            Dist::uniform("2m", "1m").validate(),
            Err(DistError::UniformBounds(
                SimDuration::from_mins(2),
                SimDuration::from_mins(1)
            ))
        );
        assert!(Dist::log_normal("0s", "1s").validate().is_err());
        assert!(Dist::log_normal("2s", "1s").validate().is_err());
        assert_eq!(
            Dist::Empirical(vec![]).validate(),
            Err(DistError::EmptyEmpirical)
        );
        assert_eq!(
            Dist::exponential("1s").validate_positive(),
            Err(DistError::CanBeZero)
        );
        assert!(Dist::fixed("30s").validate_positive().is_ok());
        assert!(
            Dist::uniform("2m", "1m")
                .to_string_for_test()
                .contains("swap")
        );
    }

    impl Dist {
        fn to_string_for_test(&self) -> String {
            self.validate()
                .map_or_else(|e| e.to_string(), |()| String::new())
        }
    }

    #[test]
    fn ron_form_reads_as_documented() {
        let dist: Dist = ron::from_str(r#"LogNormal("500ms", "5s")"#).unwrap();
        assert_eq!(dist, Dist::log_normal("500ms", "5s"));
        let dist: Dist = ron::from_str(r#"Empirical(["1m", "2m"])"#).unwrap();
        assert_eq!(dist.mean(), SimDuration::from_secs(90));
    }
}
