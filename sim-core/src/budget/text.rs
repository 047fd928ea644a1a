//! Budgets as text: `[flow.NAME.|store.NAME.]rto|rpo:pNN<=DURATION` parses and prints.

use std::fmt;
use std::str::FromStr;

use crate::engine::time::SimDuration;
use crate::spec::budget::{Budget, Metric};

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(flow) = &self.flow {
            write!(f, "flow.{flow}.")?;
        }
        if let Some(store) = &self.store {
            write!(f, "store.{store}.")?;
        }
        let metric = match self.metric {
            Metric::Rto => "rto",
            Metric::Rpo => "rpo",
        };
        write!(f, "{metric}:p{}<={}", self.percentile, self.max)?;
        if let Some(d) = &self.disaster {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}

impl FromStr for Budget {
    type Err = String;

    fn from_str(text: &str) -> Result<Budget, String> {
        let usage = "expected [flow.NAME.|store.NAME.]rto|rpo:pNN<=DURATION, e.g. rto:p99<=15m or rpo:p50<=1s";
        let bad = |why: &str| format!("bad budget {text:?}: {why}; {usage}");
        let (lhs, max) = text.split_once("<=").ok_or_else(|| bad("no `<=`"))?;
        let max: SimDuration = max.trim().parse().map_err(|e| bad(&format!("{e}")))?;
        let (scope, percentile) = lhs.rsplit_once(':').ok_or_else(|| bad("no `:pNN`"))?;
        let percentile: u8 = percentile
            .trim()
            .strip_prefix('p')
            .and_then(|p| p.parse().ok())
            .filter(|p| (1..=100).contains(p))
            .ok_or_else(|| bad("the percentile must be p1 to p100"))?;
        let scope = scope.trim();
        let (flow, store, metric) = match scope.rsplit_once('.') {
            None => (None, None, scope),
            Some((prefix, metric)) => match prefix.split_once('.') {
                Some(("flow", name)) if !name.is_empty() => (Some(name.to_string()), None, metric),
                Some(("store", name)) if !name.is_empty() => (None, Some(name.to_string()), metric),
                _ => return Err(bad("a scope is flow.NAME. or store.NAME.")),
            },
        };
        let metric = match metric {
            "rto" => Metric::Rto,
            "rpo" => Metric::Rpo,
            other => return Err(bad(&format!("unknown metric {other:?} (rto or rpo)"))),
        };
        if flow.is_some() && metric == Metric::Rpo {
            return Err(bad("flows have an RTO; stores have an RPO"));
        }
        if store.is_some() && metric == Metric::Rto {
            return Err(bad("stores have an RPO; flows have an RTO"));
        }
        Ok(Budget {
            metric,
            percentile,
            max,
            flow,
            store,
            disaster: None,
        })
    }
}
