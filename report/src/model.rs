//! The inputs the renderers take: strategies swept side by side, a replay run and a topology.

use std::collections::BTreeMap;

use sim_core::cost::CostLine;
use sim_core::measure::{FlowSeries, RunResult};
use sim_core::spec::{CourseRef, Scenario};
use sim_core::sweep::stats::{PairedDifferences, paired_differences};
use sim_core::sweep::{Sample, Samples, SweepSummary};

/// One strategy's sweep, as compared and charted.
#[derive(Clone, Debug)]
pub struct StrategyReport {
    /// Strategy (scenario) name.
    pub name: String,
    /// What it is, for the reader (the scenario's description).
    pub description: String,
    /// The sweep's summary.
    pub summary: SweepSummary,
    /// The per-replication samples (CDFs and paired differences need them; may be empty).
    pub samples: Samples,
    /// Steady-state monthly cost in USD, when a cost model priced it.
    pub monthly_cost: Option<f64>,
    /// What makes up that cost: a line per priced item of each resource (empty when unknown).
    pub cost_lines: Vec<CostLine>,
    /// Which prices those are (`"example prices as of 2025-01 …"`), for the breakdown's heading.
    pub price_label: String,
    /// What the course says the student should see (the scenario's `course:`), when it says.
    pub course: Option<CourseRef>,
}

/// Strategies swept with the same seed; the first is the baseline paired differences are taken against.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    /// The strategies, baseline first.
    pub strategies: Vec<StrategyReport>,
}

/// One strategy's paired differences against the baseline.
#[derive(Clone, Debug)]
pub struct Paired<'a> {
    /// The baseline's name.
    pub baseline: &'a str,
    /// The strategy's name.
    pub strategy: &'a str,
    /// Per replication `rto(strategy) − rto(baseline)`.
    pub rto: PairedDifferences,
    /// Per replication `rpo(strategy) − rpo(baseline)` (data-loss windows; `None`: not determined).
    pub rpo: PairedDifferences,
}

impl Comparison {
    /// Paired differences of every strategy after the first against the first, matched by replication
    /// index (replications only one side ran are left out).
    pub fn paired(&self) -> Vec<Paired<'_>> {
        let Some((base, rest)) = self.strategies.split_first() else {
            return Vec::new();
        };
        rest.iter()
            .map(|s| {
                let by_rep: BTreeMap<u64, Sample<'_>> =
                    s.samples.iter().map(|x| (x.replication, x)).collect();
                // Pairs where a side had no disaster within the horizon compare nothing.
                let matched: Vec<(Sample<'_>, Sample<'_>)> = base
                    .samples
                    .iter()
                    .filter_map(|a| by_rep.get(&a.replication).map(|b| (a, *b)))
                    .filter(|(a, b)| !a.no_disaster && !b.no_disaster)
                    .collect();
                let column = |f: fn(&Sample<'_>) -> Option<f64>| {
                    let a: Vec<Option<f64>> = matched.iter().map(|(a, _)| f(a)).collect();
                    let b: Vec<Option<f64>> = matched.iter().map(|(_, b)| f(b)).collect();
                    paired_differences(&a, &b)
                };
                Paired {
                    baseline: &base.name,
                    strategy: &s.name,
                    rto: column(|x| x.rto_s),
                    rpo: column(|x| x.rpo_s),
                }
            })
            .collect()
    }
}

/// One run shown in full: its measurement and step log, each flow's success ratio over time, and the
/// scenario it ran (for the topology, the runbook diagrams, the cost breakdown and the course's
/// expectation).
#[derive(Clone, Debug)]
pub struct Replay {
    /// A label, e.g. "pilot-light, replication 0".
    pub label: String,
    /// The run, with its step log.
    pub run: RunResult,
    /// Each flow's success ratio over time (`sim_core::sweep::run_replication_with_series`); may be
    /// empty, and the page then says there is no curve to draw.
    pub series: Vec<FlowSeries>,
    /// The scenario the run is of; `None` draws no topology, runbooks, costs or expectation.
    pub scenario: Option<Scenario>,
}

/// Everything the HTML report shows.
#[derive(Clone, Debug)]
pub struct Report {
    /// Page title.
    pub title: String,
    /// The strategies compared.
    pub comparison: Comparison,
    /// One run to replay in full (the first strategy's, as `drsim compare --html` picks it).
    pub replay: Option<Replay>,
}
