//! CloudWatch alarms: how long after a metric goes bad (or good) an "M out of N" alarm changes state.
//!
//! **Assumptions.** A datapoint breaches if the metric was bad at any time in its period (error counts,
//! `Maximum` of latency: a partly bad period already breaches). The onset falls at a uniformly random point
//! of a period. A datapoint is evaluated `publication_delay` after its period ends (ingestion and the
//! alarm's evaluation tick; CloudWatch publishes no figure). Missing data (a metric source in a dead
//! Region) is not modelled: the alarm's input must keep arriving.

use crate::engine::rng::Stream;
use crate::engine::time::SimDuration;
use crate::model::component::{Component, Seen, Watch};
use crate::model::ctx::{Ctx, Phase};
use crate::model::place::Catalog;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Expect, Placement, Reference, Service};
use crate::model::stream_name::StreamName;
use crate::services::checks::{ConfigError, Errors};
use crate::services::pricing::{Bill, GLOBAL};
use crate::services::probes::phase;
use crate::services::verdict::Verdict;
use crate::spec::resources::alarm::AlarmConfig;

impl AlarmConfig {
    /// Checks the period and `1 ≤ datapoints_to_alarm ≤ evaluation_periods`; reports all problems.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        let us = self.period.as_micros();
        let minute = 60_000_000;
        errors.check(
            us == 10_000_000 || us == 30_000_000 || (us > 0 && us.is_multiple_of(minute)),
            "alarm.period",
            self.period,
            "10s, 30s or a multiple of 60s",
        );
        errors.check(
            self.evaluation_periods >= 1
                && self
                    .period
                    .saturating_mul(u64::from(self.evaluation_periods))
                    <= SimDuration::from_hours(24),
            "alarm.evaluation_periods",
            self.evaluation_periods,
            "at least 1, with evaluation_periods × period at most 1d",
        );
        errors.check(
            self.datapoints_to_alarm >= 1 && self.datapoints_to_alarm <= self.evaluation_periods,
            "alarm.datapoints_to_alarm",
            self.datapoints_to_alarm,
            format!("1..={} (evaluation_periods)", self.evaluation_periods),
        );
        errors.finish()
    }

    /// Time from the first period that ends after `onset`'s phase, plus `periods` more, plus publication.
    fn after_periods(&self, periods: u32, rng: &mut Stream) -> SimDuration {
        // The onset lands `phase` into a period, whose datapoint (already breaching) closes at the rest.
        let rest = self.period - phase(self.period, rng);
        rest + self.period.saturating_mul(u64::from(periods)) + self.publication_delay
    }

    /// Time from the metric going bad until the alarm fires: M breaching datapoints in a row, the first
    /// being the partly bad period in progress.
    pub fn time_to_alarm(&self, rng: &mut Stream) -> SimDuration {
        self.after_periods(self.datapoints_to_alarm.max(1) - 1, rng)
    }

    /// Time from the metric recovering until the alarm returns to OK: fewer than M of the last N breach,
    /// i.e. N − M + 1 good datapoints after the partly bad period in progress.
    pub fn time_to_ok(&self, rng: &mut Stream) -> SimDuration {
        let good_needed = self
            .evaluation_periods
            .saturating_sub(self.datapoints_to_alarm)
            + 1;
        self.after_periods(good_needed, rng)
    }
}

impl Service for AlarmConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate().map_err(|e| cx.invalid(&e))?;
        let watches = match cx.index_of(&self.watches, "resource or flow") {
            Ok(node) => Watch::Node {
                node,
                min_ok: 0.99,
                error_status_fails: false,
            },
            Err(e) => Watch::Flow(
                cx.scenario
                    .flows
                    .iter()
                    .position(|f| f.name == self.watches)
                    .ok_or(e)?,
            ),
        };
        Ok(Runtime::Component(Box::new(Alarm {
            name: cx.name,
            cfg: self,
            watches,
            verdict: Verdict::new(),
            rng: StreamName::resource(cx.name).stream(cx.streams),
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Global
    }

    fn references(&self) -> Vec<Reference<'_>> {
        vec![
            Reference::dependency(&self.watches, "resource or flow")
                .expecting(Expect::ResourceOrFlow),
        ]
    }

    fn check(&self, _name: &str, _catalog: &Catalog) -> Vec<String> {
        self.validate()
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn price(&self, name: &str, _home: &str, book: &mut dyn PriceBook) {
        let mut bill = Bill::new(book, name, "Alarm");
        let monthly = bill.price("watches", "cloudwatch", GLOBAL, "alarm-month");
        bill.add("metric alarm".to_string(), monthly);
    }
}

/// An alarm at run time: what it watches and its state.
pub struct Alarm<'s> {
    name: &'s str,
    cfg: &'s AlarmConfig,
    watches: Watch,
    verdict: Verdict,
    rng: Stream,
}

impl Component for Alarm<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn monitors(&self) -> Option<Watch> {
        Some(self.watches)
    }

    fn see(&mut self, cx: &mut Ctx<'_>, seen: Seen) {
        let Seen::Good(good) = seen else { return };
        let (cfg, rng) = (self.cfg, &mut self.rng);
        let timer = self.verdict.see(good, || {
            if good {
                cfg.time_to_ok(rng)
            } else {
                cfg.time_to_alarm(rng)
            }
        });
        if let Some((delay, generation)) = timer {
            cx.wake_in(delay, generation);
        }
    }

    fn on_wake(&mut self, cx: &mut Ctx<'_>, token: u32) -> bool {
        let Some(went_bad) = self.verdict.fire(token) else {
            return false;
        };
        let name = self.name;
        cx.log(name, Phase::Detection, || {
            if went_bad {
                format!("CloudWatch alarm {name} → ALARM")
            } else {
                format!("CloudWatch alarm {name} → OK")
            }
        });
        went_bad
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    use crate::engine::time::SimDuration;

    use crate::services::testing::{cases, messages, rng};

    #[test]
    fn three_of_three_one_minute_datapoints_alarm_in_two_to_three_minutes_plus_delay() {
        let alarm = AlarmConfig::new("alb-5xx", 3, 3);
        assert!(messages(alarm.validate()).is_empty());
        let mut r = rng(1);
        for _ in 0..1_000 {
            let d = alarm.time_to_alarm(&mut r).as_secs_f64();
            assert!(d > 150.0 && d <= 210.0, "{d}");
            let ok = alarm.time_to_ok(&mut r).as_secs_f64();
            assert!(ok > 90.0 && ok <= 150.0, "{ok}");
        }
    }

    #[test]
    fn validation_names_field_and_range() {
        let bad = AlarmConfig {
            period: SimDuration::from_secs(45),
            ..AlarmConfig::new("x", 4, 3)
        };
        assert_eq!(
            messages(bad.validate()),
            [
                "alarm.period is 45s, but must be 10s, 30s or a multiple of 60s",
                "alarm.datapoints_to_alarm is 4, but must be 1..=3 (evaluation_periods)",
            ]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(256)))]

        /// M of N: the alarm fires within [M − 1, M] periods (plus delay) and clears within
        /// [N − M + 1, N − M + 2] periods (plus delay).
        #[test]
        fn alarm_timing_brackets(seed in any::<u64>(), n in 1u32..10, m_raw in 1u32..10, period_m in 1u64..5) {
            let m = m_raw.min(n);
            let alarm = AlarmConfig { period: SimDuration::from_mins(period_m), ..AlarmConfig::new("x", m, n) };
            prop_assert!(alarm.validate().is_ok());
            let (p, delay) = (alarm.period, alarm.publication_delay);
            let mut r = rng(seed);
            let fire = alarm.time_to_alarm(&mut r);
            prop_assert!(fire > p.saturating_mul(u64::from(m - 1)) + delay);
            prop_assert!(fire <= p.saturating_mul(u64::from(m)) + delay);
            let clear = alarm.time_to_ok(&mut r);
            prop_assert!(clear > p.saturating_mul(u64::from(n - m + 1)) + delay);
            prop_assert!(clear <= p.saturating_mul(u64::from(n - m + 2)) + delay);
        }
    }
}
