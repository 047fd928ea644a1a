//! Budgets as text: `[flow.NAME.|store.NAME.]METRIC:pNN[.N]<=LIMIT` parses and prints. Keywords (`flow`,
//! `store`, the metric, `p`) are case-insensitive, so `RTO:P99<=15m` reads as `rto:p99<=15m`; names are
//! not.

use std::fmt;
use std::str::FromStr;

use crate::engine::time::SimDuration;
use crate::spec::budget::{Budget, Limit, Metric, Percentile};

/// The metrics as the text form names them.
const METRICS: &str = "rto, rpo, pre_onset_rpo, lost_writes, exposure, failback, failback_downtime or failback_lost_writes";

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(flow) = &self.flow {
            write!(f, "flow.{flow}.")?;
        }
        if let Some(store) = &self.store {
            write!(f, "store.{store}.")?;
        }
        write!(
            f,
            "{}:p{}<={}",
            self.metric.as_str(),
            self.percentile,
            self.max
        )?;
        if let Some(d) = &self.disaster {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}

impl FromStr for Budget {
    type Err = String;

    fn from_str(text: &str) -> Result<Budget, String> {
        let usage = "expected [flow.NAME.|store.NAME.]METRIC:pNN<=LIMIT with METRIC rto, rpo (the data-loss \
                     window), pre_onset_rpo, lost_writes, exposure, failback, failback_downtime or \
                     failback_lost_writes, e.g. rto:p99<=15m, rpo:p99.9<=1m, lost_writes:p99<=100 or \
                     exposure:p99<=24h";
        let bad = |why: &str| format!("bad budget {text:?}: {why}; {usage}");
        let (lhs, max) = text.split_once("<=").ok_or_else(|| bad("no `<=`"))?;
        let (scope, percentile) = lhs.rsplit_once(':').ok_or_else(|| bad("no `:pNN`"))?;
        let percentile = percentile.trim();
        let percentile: Percentile = percentile
            .strip_prefix(['p', 'P'])
            .ok_or_else(|| {
                bad(&format!(
                    "{percentile:?} is not a percentile: write p1 to p100, e.g. p99 or p99.9"
                ))
            })
            .and_then(|p| Percentile::parse(p).map_err(|e| bad(&e)))?;
        let scope = scope.trim();
        let (flow, store, metric) = match scope.rsplit_once('.') {
            None => (None, None, scope),
            Some((prefix, metric)) => match prefix.split_once('.') {
                Some((kind, name)) if kind.eq_ignore_ascii_case("flow") && !name.is_empty() => {
                    (Some(name.to_string()), None, metric)
                }
                Some((kind, name)) if kind.eq_ignore_ascii_case("store") && !name.is_empty() => {
                    (None, Some(name.to_string()), metric)
                }
                _ => return Err(bad("a scope is flow.NAME. or store.NAME.")),
            },
        };
        let metric = match metric.to_ascii_lowercase().replace('-', "_").as_str() {
            "rto" => Metric::Rto,
            "rpo" => Metric::Rpo,
            "pre_onset_rpo" => Metric::PreOnsetRpo,
            "lost_writes" => Metric::LostWrites,
            "exposure" => Metric::Exposure,
            "failback" => Metric::Failback,
            "failback_downtime" => Metric::FailbackDowntime,
            "failback_lost_writes" => Metric::FailbackLostWrites,
            _ => {
                return Err(bad(&format!("unknown metric {metric:?} ({METRICS})")));
            }
        };
        let max = max.trim();
        let max = if metric.counts_writes() {
            Limit::Count(max.parse().map_err(|_| {
                bad(&format!(
                    "{} is a count of writes: {max:?} is not a whole number such as 100",
                    metric.as_str()
                ))
            })?)
        } else {
            Limit::Duration(
                max.parse::<SimDuration>()
                    .map_err(|e| bad(&format!("{e}")))?,
            )
        };
        let budget = Budget {
            metric,
            percentile,
            max,
            flow,
            store,
            disaster: None,
        };
        match budget.problem() {
            Some(why) => Err(bad(&why)),
            None => Ok(budget),
        }
    }
}
