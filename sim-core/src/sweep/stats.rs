//! Summaries of many replications: percentiles with distribution-free 95 % confidence intervals.
//!
//! RTO samples can be "not recovered within the horizon"; those are kept as +∞ so that percentiles stay
//! honest (a p99 that lands on a non-recovery is reported as `None`, never as a number), and are counted
//! separately. The mean and its interval are over recovered runs only, and say so. RPO samples can be
//! "not determined" (the store was not back in service at the horizon): [`Summary::of_determined`] leaves
//! those out of every figure and counts them.

use serde::{Deserialize, Serialize};

/// A value and its 95 % confidence interval; `None` parts are "not recovered" (infinite).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The point estimate.
    pub value: Option<f64>,
    /// Lower bound of the 95 % confidence interval.
    pub low: Option<f64>,
    /// Upper bound of the 95 % confidence interval.
    pub high: Option<f64>,
}

/// Percentiles and mean of a sample (seconds), with 95 % confidence intervals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Number of samples.
    pub n: usize,
    /// Median.
    pub p50: Estimate,
    /// 90th percentile.
    pub p90: Estimate,
    /// 99th percentile.
    pub p99: Estimate,
    /// Largest value (`None` if any run did not recover).
    pub max: Option<f64>,
    /// Mean over recovered runs, with a normal-approximation interval.
    pub mean: Estimate,
    /// Runs that did not recover within the horizon.
    pub not_recovered: usize,
    /// Runs left out because their value is not determined ([`Summary::of_determined`]); `n` excludes
    /// them.
    #[serde(default)]
    pub not_determined: usize,
}

const Z95: f64 = 1.959_963_984_540_054;

impl Summary {
    /// Summarises samples; `None` is "not recovered".
    pub fn of(samples: &[Option<f64>]) -> Summary {
        let mut sorted: Vec<f64> = samples.iter().map(|s| s.unwrap_or(f64::INFINITY)).collect();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let finite: Vec<f64> = sorted.iter().copied().filter(|v| v.is_finite()).collect();
        let fin = |v: f64| v.is_finite().then_some(v);
        let mean = if finite.is_empty() {
            Estimate {
                value: None,
                low: None,
                high: None,
            }
        } else {
            let m = finite.iter().sum::<f64>() / finite.len() as f64;
            let var = if finite.len() > 1 {
                finite.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (finite.len() - 1) as f64
            } else {
                0.0
            };
            let half = Z95 * (var / finite.len() as f64).sqrt();
            Estimate {
                value: Some(m),
                low: Some(m - half),
                high: Some(m + half),
            }
        };
        Summary {
            n,
            p50: quantile(&sorted, 0.50),
            p90: quantile(&sorted, 0.90),
            p99: quantile(&sorted, 0.99),
            max: sorted.last().copied().and_then(fin),
            mean,
            not_recovered: n - finite.len(),
            not_determined: 0,
        }
    }

    /// Summarises the determined samples; `None` is "not determined": left out of every figure (`n`
    /// included) and counted in `not_determined`.
    pub fn of_determined(samples: &[Option<f64>]) -> Summary {
        let determined: Vec<Option<f64>> =
            samples.iter().copied().filter(Option::is_some).collect();
        Summary {
            not_determined: samples.len() - determined.len(),
            ..Summary::of(&determined)
        }
    }
}

/// The `p` quantile of sorted samples (nearest rank) and its distribution-free 95 % interval: the order
/// statistics whose ranks bracket `n·p` by ±1.96 binomial standard deviations (clamped to the sample).
pub fn quantile(sorted: &[f64], p: f64) -> Estimate {
    let n = sorted.len();
    if n == 0 {
        return Estimate {
            value: None,
            low: None,
            high: None,
        };
    }
    let at = |rank: f64| {
        let i = (rank.ceil() as usize).clamp(1, n) - 1;
        let v = sorted[i];
        v.is_finite().then_some(v)
    };
    let np = n as f64 * p;
    let sd = (np * (1.0 - p)).sqrt();
    Estimate {
        value: at(np),
        low: at((np - Z95 * sd).floor()),
        high: at((np + Z95 * sd).ceil() + 1.0),
    }
}

/// Paired differences `b − a` of two strategies run on the same replications (common random numbers), so
/// the spread is the strategies' difference, not the disasters'. Pairs where a side did not recover have no
/// finite difference and are counted instead of being dropped or made up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairedDifferences {
    /// Pairs compared (the shorter input's length).
    pub pairs: usize,
    /// `b − a` over pairs where both recovered (`n` of it counts them; `not_recovered` is 0).
    pub diff: Summary,
    /// Pairs where `b` is smaller (better), equal, larger, among those where both recovered.
    pub b_lower: usize,
    /// Pairs where both are equal.
    pub equal: usize,
    /// Pairs where `b` is larger.
    pub b_higher: usize,
    /// Pairs where only `a` did not recover (`b` infinitely better).
    pub only_a_not_recovered: usize,
    /// Pairs where only `b` did not recover (`b` infinitely worse).
    pub only_b_not_recovered: usize,
    /// Pairs where neither recovered.
    pub both_not_recovered: usize,
}

/// Summarises `b[i] − a[i]` pairwise; `None` is "not recovered". The median's interval is
/// distribution-free (sign-test style), so it holds for the skewed differences recovery times give.
pub fn paired_differences(a: &[Option<f64>], b: &[Option<f64>]) -> PairedDifferences {
    let mut diffs = Vec::new();
    let (mut b_lower, mut equal, mut b_higher) = (0, 0, 0);
    let (mut only_a, mut only_b, mut both) = (0, 0, 0);
    for (x, y) in a.iter().zip(b) {
        match (x.filter(|v| v.is_finite()), y.filter(|v| v.is_finite())) {
            (Some(x), Some(y)) => {
                let d = y - x;
                match d.total_cmp(&0.0) {
                    std::cmp::Ordering::Less => b_lower += 1,
                    std::cmp::Ordering::Equal => equal += 1,
                    std::cmp::Ordering::Greater => b_higher += 1,
                }
                diffs.push(Some(d));
            }
            (None, Some(_)) => only_a += 1,
            (Some(_), None) => only_b += 1,
            (None, None) => both += 1,
        }
    }
    PairedDifferences {
        pairs: a.len().min(b.len()),
        diff: Summary::of(&diffs),
        b_lower,
        equal,
        b_higher,
        only_a_not_recovered: only_a,
        only_b_not_recovered: only_b,
        both_not_recovered: both,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_differences_count_non_recoveries_apart() {
        let a = [Some(10.0), Some(20.0), None, Some(5.0), None];
        let b = [Some(4.0), Some(20.0), Some(1.0), None, None];
        let p = paired_differences(&a, &b);
        assert_eq!(p.pairs, 5);
        assert_eq!(p.diff.n, 2);
        assert_eq!(p.diff.p50.value, Some(-6.0));
        assert_eq!((p.b_lower, p.equal, p.b_higher), (1, 1, 0));
        assert_eq!(
            (
                p.only_a_not_recovered,
                p.only_b_not_recovered,
                p.both_not_recovered
            ),
            (1, 1, 1)
        );
        assert_eq!(paired_differences(&[], &[Some(1.0)]).diff.n, 0);
    }

    #[test]
    fn percentiles_of_1_to_100() {
        let samples: Vec<Option<f64>> = (1..=100).map(|v| Some(v as f64)).collect();
        let s = Summary::of(&samples);
        assert_eq!(s.p50.value, Some(50.0));
        assert_eq!(s.p90.value, Some(90.0));
        assert_eq!(s.p99.value, Some(99.0));
        assert_eq!(s.max, Some(100.0));
        let (lo, hi) = (s.p50.low.unwrap(), s.p50.high.unwrap());
        assert!(
            lo < 50.0 && hi > 50.0 && lo >= 39.0 && hi <= 62.0,
            "{lo} {hi}"
        );
        assert!((s.mean.value.unwrap() - 50.5).abs() < 1e-9);
    }

    #[test]
    fn not_recovered_is_infinite_not_a_number() {
        let mut samples: Vec<Option<f64>> = (1..=98).map(|v| Some(v as f64)).collect();
        samples.extend([None, None]);
        let s = Summary::of(&samples);
        assert_eq!(s.not_recovered, 2);
        assert_eq!(s.p99.value, None);
        assert_eq!(s.max, None);
        assert_eq!(s.p50.value, Some(50.0));
        assert!((s.mean.value.unwrap() - 49.5).abs() < 1e-9);
    }

    #[test]
    fn not_determined_is_left_out_and_counted() {
        let mut samples: Vec<Option<f64>> = (1..=10).map(|v| Some(v as f64)).collect();
        samples.extend([None, None, None]);
        let s = Summary::of_determined(&samples);
        assert_eq!((s.n, s.not_determined, s.not_recovered), (10, 3, 0));
        assert_eq!((s.max, s.p99.value), (Some(10.0), Some(10.0)));
        assert_eq!(Summary::of(&samples).not_determined, 0);
    }

    #[test]
    fn empty_and_single() {
        assert_eq!(Summary::of(&[]).p50.value, None);
        let one = Summary::of(&[Some(3.0)]);
        assert_eq!(
            (one.p50.value, one.p99.value, one.mean.low),
            (Some(3.0), Some(3.0), Some(3.0))
        );
    }
}
