//! The running world: a scenario's resources as state machines on the engine, and the measurement of one
//! replication.
//!
//! **One place for dispatch.** [`Event`] is the closed set of things that happen; [`World::handle`] is the
//! one `match` over it. After every event the world *refreshes*: it re-evaluates health checks and alarms
//! (which start verdict timers), Route 53 answers, every flow's success ratio per DNS answer (recorded in
//! the flow's timeline), and the write acceptance of every data store's ledger. Refreshing costs a walk
//! over each flow's path, so a run costs a few microseconds per state change, whatever its horizon.

use std::collections::BTreeMap;
use std::fmt;

use crate::cost::{Usage, recovery_cost, table_for};
use crate::engine::rng::{RngStreams, Stream};
use crate::engine::time::{SimDuration, SimTime};
use crate::engine::trace::TracedEvent;
use crate::engine::{Engine, EngineError, Model, Scheduler, TraceEvent};
use crate::model::ledger::CopyId;
use crate::model::place::{Health, Place, RegionId};
use crate::model::{
    ActionError, Catalog, Ctx, DataStore, Phase, PointTarget, StepLog, StoreAction, Ticket,
};
use crate::services::asg::Asg;
use crate::services::checks::ConfigError;
use crate::services::cloudfront::OriginState;
use crate::services::store::Store;
use crate::spec::disaster::DisasterKind;
use crate::spec::limits::{MAX_AZS, MAX_REGIONS, MAX_RESOURCES, MAX_ROUTING_DEPTH};
use crate::spec::runbook::Probe;
use crate::spec::runbook::{Action, Condition, RestorePoint, Trigger};
use crate::spec::{FlowKind, Resource, Scenario};
use crate::world::disaster::Drawn;
use crate::world::result::{Breakdown, FlowResult, RunResult, StoreResult};
use crate::world::runbook::{Command, Execution, Runbook};
use crate::world::timeline::{FlowTimeline, Steps};

/// A runbook-condition evaluator over the world's parts: a closure that borrows only the fields it reads,
/// so `self.execs` stays free to borrow mutably beside it.
macro_rules! conditions {
    ($world:expr) => {
        |c: &Condition| {
            eval_condition(
                &$world.catalog,
                &$world.health,
                &$world.names,
                &$world.slots,
                &$world.stores,
                &$world.comps,
                c,
            )
        }
    };
}

/// Everything that can happen in a world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Time zero: stores and components start.
    Start,
    /// Disaster `i` begins.
    DisasterBegins(u16),
    /// Disaster `i` heals.
    DisasterEnds(u16),
    /// A data store's wake-up.
    Store(u16, u32),
    /// A component's wake-up (verdict timers, instance launches).
    Component(u16, u32),
    /// A runbook's wake-up (human steps, waits, retries).
    Runbook(u16, u32),
    /// A runbook is triggered (a human noticed, or the onset itself).
    Trigger(u16),
    /// A world-run action (stack, DNS edit, CDN deploy, generic step) finishes.
    Finish(u32),
    /// Re-evaluate (the end of a DNS cache ramp).
    Refresh,
}

impl TraceEvent for Event {
    fn trace_word(&self) -> u64 {
        let (kind, a, b): (u64, u64, u64) = match *self {
            Event::Start => (1, 0, 0),
            Event::DisasterBegins(i) => (2, i.into(), 0),
            Event::DisasterEnds(i) => (3, i.into(), 0),
            Event::Store(i, t) => (4, i.into(), t.into()),
            Event::Component(i, t) => (5, i.into(), t.into()),
            Event::Runbook(i, t) => (6, i.into(), t.into()),
            Event::Trigger(i) => (7, i.into(), 0),
            Event::Finish(t) => (8, 0, t.into()),
            Event::Refresh => (9, 0, 0),
        };
        kind | a << 8 | b << 24
    }
}

/// Why a scenario cannot be built into a world. The `scenarios` crate validates first and reports with
/// file positions; these are the last line of defence and name the offending items.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// A name refers to nothing (a Region, AZ, resource, health check, store).
    Unknown {
        /// What kind of thing was expected.
        what: &'static str,
        /// The name.
        name: String,
        /// Where it was referenced.
        referenced_by: String,
    },
    /// A resource's own configuration is invalid.
    Invalid {
        /// The resource.
        resource: String,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Unknown {
                what,
                name,
                referenced_by,
            } => {
                write!(
                    f,
                    "{referenced_by} refers to {what} {name:?}, which does not exist"
                )
            }
            BuildError::Invalid { resource, reason } => write!(f, "{resource}: {reason}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// What the world does once a world-run action's time has passed.
#[derive(Clone, Debug)]
enum Effect {
    /// Stack `comp` is created: its resources exist.
    StackCreated(usize),
    /// Record `comp` is pinned to target `k`.
    Pin(usize, usize),
    /// CloudFront `comp` now uses origin `k` as primary.
    Primary(usize, usize),
    /// Nothing more (a generic step, or a scale-up that does not wait).
    Nothing,
}

/// A watcher's verdict state (health checks, alarms).
#[derive(Clone, Debug)]
struct Verdict {
    /// The current verdict: `true` is healthy / OK.
    good: bool,
    /// The target's state as last seen.
    seen_good: bool,
    /// Generation of the pending flip timer (stale timers are ignored).
    generation: u32,
}

impl Verdict {
    fn new() -> Self {
        Verdict {
            good: true,
            seen_good: true,
            generation: 0,
        }
    }
}

enum Comp<'s> {
    Ec2 {
        place: Place,
    },
    Asg {
        asg: Asg,
        region: RegionId,
        rng: Stream,
    },
    Alb {
        region: RegionId,
        targets: Vec<u16>,
    },
    Lambda {
        region: RegionId,
    },
    CloudFront {
        cfg: &'s crate::spec::CloudFrontConfig,
        origins: Vec<u16>,
        primary: usize,
        bad_since: Option<SimTime>,
        rng: Stream,
    },
    Record {
        cfg: &'s crate::spec::RecordConfig,
        targets: Vec<u16>,
        pinned: Option<usize>,
        answer: Vec<(usize, f64)>,
        rng: Stream,
    },
    HealthCheck {
        cfg: &'s crate::spec::HealthCheckConfig,
        target: u16,
        verdict: Verdict,
        rng: Stream,
    },
    Alarm {
        cfg: &'s crate::spec::AlarmConfig,
        target: Watched,
        verdict: Verdict,
        rng: Stream,
    },
    Stack {
        cfg: &'s crate::spec::StackConfig,
        region: RegionId,
        resources: Vec<u16>,
        rng: Stream,
    },
}

/// What a corruption or delete leaves clients with until a restore.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BadData {
    /// Reads return wrong data (counted as failed); writes are still acknowledged (and lost later).
    Corrupt,
    /// The table or database is gone: reads and writes fail.
    Deleted,
}

#[derive(Clone, Copy)]
enum Watched {
    Resource(u16),
    Flow(usize),
}

/// Per-node results of one evaluation (see `World::ok_in`).
type Memo = Vec<Option<(f64, Option<RegionId>)>>;

#[derive(Clone, Copy)]
enum Slot {
    Store(usize),
    Comp(usize),
}

struct FlowRt {
    index: usize,
    entry_record: Option<usize>,
    targets: Vec<u16>,
    client: RegionId,
    store: Option<usize>,
    timeline: FlowTimeline,
}

/// A scenario running for one replication.
pub struct World<'s> {
    sc: &'s Scenario,
    catalog: Catalog,
    health: Health,
    names: Vec<&'s str>,
    slots: Vec<Slot>,
    stores: Vec<Store>,
    comps: Vec<Comp<'s>>,
    provisioned: Vec<bool>,
    origin_status: Vec<Option<u16>>,
    flows: Vec<FlowRt>,
    disasters: Vec<Drawn>,
    onset: Option<(usize, SimTime)>,
    books: Vec<Runbook>,
    execs: Vec<Execution>,
    streams: RngStreams,
    log: StepLog,
    wakeups: Vec<(SimTime, u32)>,
    finished: Vec<(Ticket, Result<(), ActionError>)>,
    effects: BTreeMap<u32, (Effect, Ticket)>,
    waiting_capacity: Vec<(usize, u32, Ticket)>,
    accepting: BTreeMap<(usize, CopyId), f64>,
    /// Per store: the data is corrupt (reads fail) or deleted (reads and writes fail) until a restore of
    /// that store completes.
    bad_data: Vec<Option<BadData>>,
    /// Restore actions in flight: ticket → (store, Region of the restored copy).
    restores: BTreeMap<Ticket, (usize, RegionId)>,
    /// Capacity provisioned during the run beyond steady state, for the recovery cost.
    usage: Vec<Usage>,
    next_effect: u32,
    horizon: SimTime,
    /// The time of the event being handled.
    now: SimTime,
}

/// Route 53's API (record edits) and CloudFront's API live in us-east-1: when that Region's control plane
/// is down, edits fail, a real DR pitfall the course warns about.
const GLOBAL_CONTROL_PLANE: &str = "us-east-1";

impl<'s> World<'s> {
    /// Builds the world of `scenario` for one replication. Only the disasters in `active` are injected.
    pub fn build(
        sc: &'s Scenario,
        seed: u64,
        replication: u64,
        active: &[usize],
    ) -> Result<World<'s>, BuildError> {
        let streams = RngStreams::new(seed, replication);
        // Health keeps Regions and AZs in 64-bit sets.
        let azs: usize = sc.regions.iter().map(|r| r.azs.len()).sum();
        if sc.regions.len() > MAX_REGIONS || azs > MAX_AZS {
            return Err(BuildError::Invalid {
                resource: "regions".into(),
                reason: format!(
                    "{} Regions and {azs} AZs; drsim supports at most 64 of each",
                    sc.regions.len()
                ),
            });
        }
        if sc.resources.len() > MAX_RESOURCES {
            return Err(BuildError::Invalid {
                resource: "resources".into(),
                reason: format!("more than {MAX_RESOURCES} resources"),
            });
        }
        let mut catalog = Catalog::new();
        for region in &sc.regions {
            let id = catalog.add_region(&region.name);
            for az in &region.azs {
                catalog.add_az(az, id);
            }
        }
        let names: Vec<&str> = sc.resources.keys().map(String::as_str).collect();
        let index = |name: &str, what: &'static str, by: &str| -> Result<u16, BuildError> {
            names
                .iter()
                .position(|n| *n == name)
                .map(|i| i as u16)
                .ok_or_else(|| BuildError::Unknown {
                    what,
                    name: name.to_string(),
                    referenced_by: by.to_string(),
                })
        };
        let region = |name: &str, by: &str| -> Result<RegionId, BuildError> {
            catalog.region(name).ok_or_else(|| BuildError::Unknown {
                what: "Region",
                name: name.to_string(),
                referenced_by: by.to_string(),
            })
        };
        let mut slots = Vec::new();
        let mut stores = Vec::new();
        let mut comps = Vec::new();
        for (name, resource) in &sc.resources {
            let by = format!("resource {name:?}");
            let rng = streams.named(name);
            let checked = match resource {
                Resource::Ec2(c) => c.validate(&catalog),
                Resource::Asg(c) => c.validate(&catalog),
                Resource::Alb(c) => c.validate(&catalog),
                Resource::CloudFront(c) => c.validate(),
                Resource::Record(c) => c.validate(),
                Resource::HealthCheck(c) => c.validate(),
                Resource::Stack(c) => c.validate(),
                Resource::Alarm(c) => c.validate(),
                _ => Ok(()),
            };
            checked.map_err(|e| invalid(name, &e))?;
            let comp = match resource {
                Resource::Rds(_)
                | Resource::Aurora(_)
                | Resource::DynamoDb(_)
                | Resource::S3(_) => {
                    let config = resource.store().ok_or_else(|| BuildError::Invalid {
                        resource: name.clone(),
                        reason: "not a data store".into(),
                    })?;
                    let mut store =
                        Store::build(name, &config, &catalog, &streams).map_err(|e| {
                            BuildError::Invalid {
                                resource: name.clone(),
                                reason: e.to_string(),
                            }
                        })?;
                    store.set_resource(slots.len() as u16);
                    slots.push(Slot::Store(stores.len()));
                    stores.push(store);
                    continue;
                }
                Resource::Ec2(c) => {
                    let (az, region) = catalog.az(&c.az).ok_or_else(|| BuildError::Unknown {
                        what: "AZ",
                        name: c.az.clone(),
                        referenced_by: by.clone(),
                    })?;
                    Comp::Ec2 {
                        place: Place::zonal(region, az),
                    }
                }
                Resource::Asg(c) => {
                    let region = region(&c.region, &by)?;
                    let asg = Asg::new(c, &catalog).map_err(|e| invalid(name, &e))?;
                    Comp::Asg { asg, region, rng }
                }
                Resource::Alb(c) => Comp::Alb {
                    region: region(&c.region, &by)?,
                    targets: c
                        .targets
                        .iter()
                        .map(|t| index(t, "target", &by))
                        .collect::<Result<_, _>>()?,
                },
                Resource::Lambda(c) => Comp::Lambda {
                    region: region(&c.region, &by)?,
                },
                Resource::CloudFront(c) => Comp::CloudFront {
                    cfg: c,
                    origins: c
                        .origins
                        .iter()
                        .map(|o| index(o, "origin", &by))
                        .collect::<Result<_, _>>()?,
                    primary: 0,
                    bad_since: None,
                    rng,
                },
                Resource::Record(c) => {
                    let mut targets: Vec<u16> = c
                        .targets()
                        .iter()
                        .map(|t| index(&t.endpoint, "endpoint", &by))
                        .collect::<Result<_, _>>()?;
                    // Endpoints a runbook may point this record at become extra (never answered) targets, so
                    // flows entering here track them from the start.
                    for book in &sc.runbooks {
                        for endpoint in dns_edits(book, name) {
                            let t =
                                index(endpoint, "endpoint", &format!("runbook {:?}", book.name))?;
                            if !targets.contains(&t) {
                                targets.push(t);
                            }
                        }
                    }
                    Comp::Record {
                        cfg: c,
                        targets,
                        pinned: None,
                        answer: Vec::new(),
                        rng,
                    }
                }
                Resource::HealthCheck(c) => Comp::HealthCheck {
                    cfg: c,
                    target: index(&c.target, "endpoint", &by)?,
                    verdict: Verdict::new(),
                    rng,
                },
                Resource::Alarm(c) => {
                    let target = match index(&c.watches, "resource or flow", &by) {
                        Ok(i) => Watched::Resource(i),
                        Err(e) => Watched::Flow(
                            sc.flows.iter().position(|f| f.name == c.watches).ok_or(e)?,
                        ),
                    };
                    Comp::Alarm {
                        cfg: c,
                        target,
                        verdict: Verdict::new(),
                        rng,
                    }
                }
                Resource::Stack(c) => Comp::Stack {
                    cfg: c,
                    region: region(&c.region, &by)?,
                    resources: c
                        .resources
                        .iter()
                        .map(|r| index(r, "resource", &by))
                        .collect::<Result<_, _>>()?,
                    rng,
                },
            };
            slots.push(Slot::Comp(comps.len()));
            comps.push(comp);
        }
        // Resources a stack creates do not exist until the stack completes.
        let mut provisioned = vec![true; names.len()];
        for comp in &comps {
            if let Comp::Stack { resources, .. } = comp {
                for &r in resources {
                    provisioned[r as usize] = false;
                }
            }
        }
        let mut flows = Vec::new();
        for (i, f) in sc.flows.iter().enumerate() {
            let by = format!("flow {:?}", f.name);
            let entry = index(&f.entry, "entry", &by)?;
            let store = match &f.store {
                Some(s) => match slots[index(s, "store", &by)? as usize] {
                    Slot::Store(k) => Some(k),
                    Slot::Comp(_) => {
                        return Err(BuildError::Invalid {
                            resource: s.clone(),
                            reason: format!("{by} uses it as a data store, but it is not one"),
                        });
                    }
                },
                None => None,
            };
            let client = match &f.clients {
                Some(c) => region(c, &by)?,
                None => RegionId(0),
            };
            let (entry_record, targets, ttl) = match slots[entry as usize] {
                Slot::Comp(c) => match &comps[c] {
                    Comp::Record { targets, cfg, .. } => (Some(c), targets.clone(), cfg.ttl),
                    _ => (None, vec![entry], SimDuration::ZERO),
                },
                Slot::Store(_) => (None, vec![entry], SimDuration::ZERO),
            };
            let n = targets.len();
            let timeline = FlowTimeline {
                ttl,
                answer_share: (0..n)
                    .map(|k| Steps::constant(if k == 0 { 1.0 } else { 0.0 }))
                    .collect(),
                ok: (0..n).map(|_| Steps::constant(1.0)).collect(),
            };
            flows.push(FlowRt {
                index: i,
                entry_record,
                targets,
                client,
                store,
                timeline,
            });
        }
        let chosen: Vec<Drawn> = active
            .iter()
            .map(|&i| sc.disasters[i].draw(i, &streams))
            .collect();
        let onset = chosen
            .iter()
            .min_by_key(|d| (d.onset, d.index))
            .map(|d| (d.index, d.onset));
        let books = sc
            .runbooks
            .iter()
            .map(|r| {
                Runbook::compile(r).map_err(|e| BuildError::Invalid {
                    resource: r.name.clone(),
                    reason: e.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let execs = (0..books.len())
            .map(|i| Execution::new(i, &streams))
            .collect();
        Ok(World {
            sc,
            health: Health::new(),
            origin_status: vec![None; names.len()],
            names,
            slots,
            stores,
            comps,
            provisioned,
            flows,
            disasters: chosen,
            onset,
            books,
            execs,
            streams,
            log: StepLog::new(),
            wakeups: Vec::new(),
            finished: Vec::new(),
            effects: BTreeMap::new(),
            waiting_capacity: Vec::new(),
            accepting: BTreeMap::new(),
            bad_data: Vec::new(),
            restores: BTreeMap::new(),
            usage: Vec::new(),
            next_effect: 0,
            horizon: SimTime::at(sc.horizon),
            now: SimTime::ZERO,
            catalog,
        })
    }

    /// Runs the replication to its horizon and measures it.
    pub fn run(self, seed: u64, replication: u64) -> Result<RunResult, EngineError> {
        self.run_recording(seed, replication, false)
            .map(|(result, _)| result)
    }

    /// Runs the replication like [`run`](Self::run), also returning its event trace: every handled
    /// event's `(time, trace word)` in order (see [`crate::divergence`]).
    pub fn run_traced(
        self,
        seed: u64,
        replication: u64,
    ) -> Result<(RunResult, Vec<TracedEvent>), EngineError> {
        self.run_recording(seed, replication, true)
            .map(|(result, trace)| (result, trace.unwrap_or_default()))
    }

    fn run_recording(
        self,
        seed: u64,
        replication: u64,
        record: bool,
    ) -> Result<(RunResult, Option<Vec<TracedEvent>>), EngineError> {
        let horizon = self.horizon;
        let starts: Vec<(SimTime, Option<SimTime>)> =
            self.disasters.iter().map(|d| (d.onset, d.end)).collect();
        let mut engine = Engine::new(self).with_event_limit(50_000_000);
        engine.record_trace(record);
        let s = engine.scheduler();
        s.schedule_at(SimTime::ZERO, Event::Start);
        for (i, (onset, end)) in starts.into_iter().enumerate() {
            if onset <= horizon {
                s.schedule_at(onset, Event::DisasterBegins(i as u16));
            }
            if let Some(end) = end.filter(|&e| e <= horizon) {
                s.schedule_at(end, Event::DisasterEnds(i as u16));
            }
        }
        let events = engine.step_until(horizon)?;
        let digest = engine.digest();
        let trace = engine.take_trace();
        let world = engine.into_model();
        Ok((world.measure(seed, replication, events, digest), trace))
    }

    fn region_order(&self, client: &str, region: &str) -> u32 {
        if client == region {
            0
        } else {
            1 + self.catalog.region(region).map_or(64, |r| u32::from(r.0))
        }
    }

    fn healthy_check(&self, name: &str) -> bool {
        let Some(i) = self.names.iter().position(|n| *n == name) else {
            return true;
        };
        match self.slots[i] {
            Slot::Comp(c) => match &self.comps[c] {
                Comp::HealthCheck { verdict, .. } => verdict.good,
                _ => true,
            },
            Slot::Store(_) => true,
        }
    }

    /// The current Route 53 answer of record `c`.
    fn record_answer(&self, c: usize, client: RegionId) -> Vec<(usize, f64)> {
        let Comp::Record { cfg, pinned, .. } = &self.comps[c] else {
            return vec![(0, 1.0)];
        };
        if let Some(k) = pinned {
            return vec![(*k, 1.0)];
        }
        let client_name = self.catalog.region_name(client).to_string();
        cfg.answer(&|check| self.healthy_check(check), &client_name, &|c, r| {
            self.region_order(c, r)
        })
    }

    /// Success ratio of requests entering at `node` now, and the Region of the compute that served them.
    fn ok(&self, node: u16, flow: Option<&FlowRt>) -> (f64, Option<RegionId>) {
        self.ok_in(node, flow, 0, &mut vec![None; self.names.len()])
    }

    /// [`ok`](Self::ok) with a memo of the nodes already evaluated in this evaluation: a node reached by
    /// several routes (load balancers in layers, each targeting the next layer's) is evaluated once, so the
    /// cost is linear in the graph, not in its number of paths.
    fn ok_in(
        &self,
        node: u16,
        flow: Option<&FlowRt>,
        depth: u8,
        memo: &mut Memo,
    ) -> (f64, Option<RegionId>) {
        let i = node as usize;
        if let Some(known) = memo.get(i).copied().flatten() {
            return known;
        }
        let result = self.evaluate(node, flow, depth, memo);
        if let Some(slot) = memo.get_mut(i) {
            *slot = Some(result);
        }
        result
    }

    fn evaluate(
        &self,
        node: u16,
        flow: Option<&FlowRt>,
        depth: u8,
        memo: &mut Memo,
    ) -> (f64, Option<RegionId>) {
        let i = node as usize;
        // Validation refuses routing cycles; the depth bound is the last line of defence.
        if usize::from(depth) > MAX_ROUTING_DEPTH
            || !self.provisioned[i]
            || self.health.resource_failed(node)
        {
            return (0.0, None);
        }
        let gray = self
            .health
            .degradation(node)
            .map_or(1.0, |(rate, _)| 1.0 - rate);
        let behind = |region: RegionId| -> f64 {
            match flow.and_then(|f| f.store.map(|s| (s, self.sc.flows[f.index].kind))) {
                None => 1.0,
                Some((s, kind)) => {
                    let bad = self.bad_data.get(s).copied().flatten();
                    match (kind, bad) {
                        (FlowKind::Read, Some(_)) | (FlowKind::Write, Some(BadData::Deleted)) => {
                            0.0
                        }
                        (FlowKind::Read, None) => self.stores[s].read_ok(&self.health, region),
                        (FlowKind::Write, _) => self.stores[s]
                            .write_route(&self.health, region)
                            .map_or(0.0, |(_, ok)| ok),
                    }
                }
            }
        };
        let (value, region) = match self.slots[i] {
            Slot::Store(s) => {
                let region = store_region(&self.stores[s], &self.health);
                (self.stores[s].read_ok(&self.health, region), Some(region))
            }
            Slot::Comp(c) => match &self.comps[c] {
                Comp::Ec2 { place } => {
                    if self.health.place_up(*place) {
                        (behind(place.region), Some(place.region))
                    } else {
                        (0.0, None)
                    }
                }
                Comp::Asg { asg, region, .. } => {
                    let capacity = asg.capacity(self.now, &self.health);
                    (capacity * behind(*region), Some(*region))
                }
                Comp::Lambda { region } => {
                    if self.health.region_up(*region) {
                        (behind(*region), Some(*region))
                    } else {
                        (0.0, None)
                    }
                }
                Comp::Alb { region, targets } => {
                    if !self.health.region_up(*region) || targets.is_empty() {
                        (0.0, None)
                    } else {
                        let sum: f64 = targets
                            .iter()
                            .map(|&t| self.ok_in(t, flow, depth + 1, memo).0)
                            .sum();
                        (sum / targets.len() as f64, Some(*region))
                    }
                }
                Comp::CloudFront {
                    cfg,
                    origins,
                    primary,
                    bad_since,
                    ..
                } => {
                    let (p, pr) =
                        self.origin_state(origins.get(*primary).copied(), flow, depth, memo);
                    let secondary = origins.get(1 - primary.min(&1)).copied();
                    let (s, sr) = self.origin_state(secondary, flow, depth, memo);
                    let outcome = cfg.request_outcome(p, s);
                    let cached = bad_since.map_or(0.0, |since| {
                        cfg.cached_share(self.now.saturating_since(since))
                    });
                    let served_by = if matches!(p, OriginState::Healthy) {
                        pr
                    } else {
                        sr.or(pr)
                    };
                    (cached + (1.0 - cached) * outcome.success, served_by)
                }
                Comp::Record { targets, .. } => {
                    let client = flow.map_or(RegionId(0), |f| f.client);
                    let mut total = 0.0;
                    let mut best: Option<(f64, RegionId)> = None;
                    for (k, share) in self.record_answer(c, client) {
                        let (v, r) = self.ok_in(targets[k], flow, depth + 1, memo);
                        total += share * v;
                        if let Some(r) = r.filter(|_| best.is_none_or(|(s, _)| share > s)) {
                            best = Some((share, r));
                        }
                    }
                    (total, best.map(|(_, r)| r))
                }
                Comp::HealthCheck { .. } | Comp::Alarm { .. } | Comp::Stack { .. } => (0.0, None),
            },
        };
        ((value * gray).clamp(0.0, 1.0), region)
    }

    /// How a CloudFront origin answers now.
    fn origin_state(
        &self,
        origin: Option<u16>,
        flow: Option<&FlowRt>,
        depth: u8,
        memo: &mut Memo,
    ) -> (OriginState, Option<RegionId>) {
        let Some(o) = origin else {
            return (OriginState::Unreachable, None);
        };
        if let Some(code) = self.origin_status[o as usize] {
            return (OriginState::Status(code), None);
        }
        let (v, r) = self.ok_in(o, flow, depth + 1, memo);
        let state = if v >= 0.999_999 {
            OriginState::Healthy
        } else if v <= 0.0 {
            OriginState::Unreachable
        } else {
            OriginState::Degraded(v)
        };
        (state, r)
    }
}

impl Model for World<'_> {
    type Event = Event;

    fn handle(&mut self, event: Event, s: &mut Scheduler<Event>) {
        self.now = s.now();
        match event {
            Event::Start => {
                for i in 0..self.stores.len() {
                    self.with_store(i, s, |store, ctx| store.start(ctx));
                }
                for c in 0..self.comps.len() {
                    let provisioned = self.provisioned[self.comp_resource(c)];
                    if let (Comp::Asg { asg, rng, .. }, true) = (&mut self.comps[c], provisioned) {
                        let wakes = asg.start(self.now, &self.health, rng);
                        schedule_component(s, c, wakes);
                    }
                }
                self.schedule_triggers(s);
            }
            Event::DisasterBegins(i) => self.disaster(i as usize, true, s),
            Event::DisasterEnds(i) => self.disaster(i as usize, false, s),
            Event::Store(i, token) => {
                self.with_store(i as usize, s, |store, ctx| store.on_wake(ctx, token))
            }
            Event::Component(c, token) => self.component_wake(c as usize, token, s),
            Event::Runbook(b, token) => {
                let mut out = Vec::new();
                let (book, exec) = (&self.books[b as usize], &mut self.execs[b as usize]);
                let eval = conditions!(self);
                exec.on_wake(book, token, self.now, &eval, &mut out);
                self.commands(b as usize, out, s);
            }
            Event::Trigger(b) => self.trigger(b as usize, s),
            Event::Finish(id) => self.finish_effect(id, s),
            Event::Refresh => {}
        }
        self.settle_actions(s);
        self.refresh(s);
    }
}

fn invalid(resource: &str, errors: &[ConfigError]) -> BuildError {
    let reason = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    BuildError::Invalid {
        resource: resource.to_string(),
        reason,
    }
}

/// The Region a store writes in (for a bucket: its own Region), from its `writer_region` probe.
fn store_region(store: &Store, health: &Health) -> RegionId {
    store
        .probe(health, Probe::WriterRegion)
        .map_or(RegionId(0), |r| RegionId(r as u8))
}

/// Schedules a component's wake-ups (the component works out what is due when it wakes).
fn schedule_component(s: &mut Scheduler<Event>, c: usize, wakes: Vec<SimTime>) {
    for at in wakes {
        s.schedule_at(at.max(s.now()), Event::Component(c as u16, 0));
    }
}

/// Instances of a group in service now.
fn in_service(asg: &Asg, now: SimTime, health: &Health, region: RegionId) -> u32 {
    asg.instances()
        .iter()
        .filter(|i| i.ready_at <= now && health.az_up(region, i.az))
        .count() as u32
}

/// Evaluates a runbook condition against the world (a free function so it can borrow parts of the world).
fn eval_condition(
    catalog: &Catalog,
    health: &Health,
    names: &[&str],
    slots: &[Slot],
    stores: &[Store],
    comps: &[Comp<'_>],
    c: &Condition,
) -> bool {
    let recurse = |c: &Condition| eval_condition(catalog, health, names, slots, stores, comps, c);
    match c {
        Condition::Probe {
            store,
            what,
            op,
            value,
        } => {
            let probe = names
                .iter()
                .position(|n| n == store)
                .and_then(|i| match slots[i] {
                    Slot::Store(k) => stores[k].probe(health, *what),
                    Slot::Comp(_) => None,
                });
            probe.is_some_and(|v| op.holds(v, *value))
        }
        Condition::Healthy(check) => {
            names
                .iter()
                .position(|n| n == check)
                .is_none_or(|i| match slots[i] {
                    Slot::Comp(k) => match &comps[k] {
                        Comp::HealthCheck { verdict, .. } => verdict.good,
                        _ => true,
                    },
                    Slot::Store(_) => true,
                })
        }
        Condition::RegionUp(region) => catalog.region(region).is_some_and(|r| health.region_up(r)),
        Condition::And(all) => all.iter().all(recurse),
        Condition::Or(any) => any.iter().any(recurse),
        Condition::Not(inner) => !recurse(inner),
    }
}

impl World<'_> {
    fn comp_resource(&self, c: usize) -> usize {
        self.slots
            .iter()
            .position(|s| matches!(s, Slot::Comp(k) if *k == c))
            .unwrap_or(0)
    }

    /// Calls store `i` with a context, then schedules its wake-ups.
    fn with_store(
        &mut self,
        i: usize,
        s: &mut Scheduler<Event>,
        f: impl FnOnce(&mut Store, &mut Ctx<'_>),
    ) {
        let mut ctx = Ctx::new(
            self.now,
            &self.health,
            &mut self.wakeups,
            &mut self.finished,
            &mut self.log,
        );
        f(&mut self.stores[i], &mut ctx);
        for (at, token) in self.wakeups.drain(..) {
            s.schedule_at(at.max(s.now()), Event::Store(i as u16, token));
        }
    }

    fn schedule_triggers(&mut self, s: &mut Scheduler<Event>) {
        let Some((_, onset)) = self.onset else {
            return;
        };
        for (b, book) in self.books.iter().enumerate() {
            match &book.trigger {
                Trigger::Onset => {
                    s.schedule_at(onset, Event::Trigger(b as u16));
                }
                Trigger::Human(notice) => {
                    let mut rng = self.streams.named(&format!("notice/{}", book.name));
                    s.schedule_at(onset + notice.sample(&mut rng), Event::Trigger(b as u16));
                }
                Trigger::HealthCheck(_) | Trigger::Alarm(_) => {}
            }
        }
    }

    fn trigger(&mut self, b: usize, s: &mut Scheduler<Event>) {
        if self.execs[b].triggered() || self.onset.is_none_or(|(_, t)| self.now < t) {
            return;
        }
        if matches!(self.books[b].trigger, Trigger::Human(_)) {
            self.log
                .push(self.now, &self.books[b].name, Phase::Detection, || {
                    "an operator notices the outage".into()
                });
        }
        let mut out = Vec::new();
        let eval = conditions!(self);
        self.execs[b].trigger(&self.books[b], self.now, &eval, &mut out);
        self.commands(b, out, s);
    }

    /// Triggers every runbook watching `name` (a health check or alarm that just went bad).
    fn trigger_watchers(&mut self, name: &str, s: &mut Scheduler<Event>) {
        let hits: Vec<usize> = (0..self.books.len())
            .filter(|&b| matches!(&self.books[b].trigger, Trigger::HealthCheck(n) | Trigger::Alarm(n) if n == name))
            .collect();
        for b in hits {
            self.trigger(b, s);
        }
    }

    /// Carries out a runbook's commands.
    fn commands(&mut self, b: usize, out: Vec<Command>, s: &mut Scheduler<Event>) {
        for command in out {
            match command {
                Command::Log { phase, text } => {
                    self.log
                        .push(self.now, &self.books[b].name.clone(), phase, || text)
                }
                Command::Wake { token, delay } => {
                    s.schedule_in(delay, Event::Runbook(b as u16, token));
                }
                Command::Start { ticket, action } => self.start_action(b, ticket, &action, s),
            }
        }
    }

    fn resource(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| *n == name)
    }

    fn fail_now(&mut self, ticket: Ticket, error: ActionError) {
        self.finished.push((ticket, Err(error)));
    }

    /// Schedules a world-run action's end and remembers its effect.
    fn after(
        &mut self,
        delay: SimDuration,
        effect: Effect,
        ticket: Ticket,
        s: &mut Scheduler<Event>,
    ) {
        self.next_effect += 1;
        self.effects.insert(self.next_effect, (effect, ticket));
        s.schedule_in(delay, Event::Finish(self.next_effect));
    }

    /// The Region hosting Route 53's and CloudFront's APIs, when its control plane is down.
    fn global_control_plane_down(&self) -> Option<RegionId> {
        self.catalog
            .region(GLOBAL_CONTROL_PLANE)
            .filter(|&r| !self.health.control_plane_up(r))
    }

    fn start_action(
        &mut self,
        b: usize,
        ticket: Ticket,
        action: &Action,
        s: &mut Scheduler<Event>,
    ) {
        let book = self.books[b].name.clone();
        let region_of = |w: &World<'_>, name: &str| w.catalog.region(name);
        let store_of = |w: &World<'_>, name: &str| {
            w.resource(name).and_then(|i| match w.slots[i] {
                Slot::Store(k) => Some(k),
                Slot::Comp(_) => None,
            })
        };
        let comp_of = |w: &World<'_>, name: &str| {
            w.resource(name).and_then(|i| match w.slots[i] {
                Slot::Comp(k) => Some(k),
                Slot::Store(_) => None,
            })
        };
        let store_action = |w: &World<'_>,
                            store: &str,
                            region: Option<&str>,
                            make: &dyn Fn(RegionId) -> StoreAction| {
            let k = store_of(w, store)
                .ok_or_else(|| ActionError::NotApplicable(format!("no data store {store:?}")))?;
            let r = match region {
                Some(name) => region_of(w, name)
                    .ok_or_else(|| ActionError::NotApplicable(format!("no Region {name:?}")))?,
                None => RegionId(0),
            };
            Ok((k, make(r)))
        };
        let request: Result<(usize, StoreAction), ActionError> = match action {
            Action::Promote { store, region } => {
                store_action(self, store, Some(region), &|region| StoreAction::Promote {
                    region,
                })
            }
            Action::FailoverGlobal { store, region } => {
                store_action(self, store, Some(region), &|region| {
                    StoreAction::FailoverGlobal { region }
                })
            }
            Action::SwitchoverGlobal { store, region } => {
                store_action(self, store, Some(region), &|region| {
                    StoreAction::SwitchoverGlobal { region }
                })
            }
            Action::ForceFailover { store } => {
                store_action(self, store, None, &|_| StoreAction::ForceFailover)
            }
            Action::RestoreSnapshot { store, region } => {
                store_action(self, store, Some(region), &|region| {
                    StoreAction::RestoreSnapshot { region }
                })
            }
            Action::RestoreToPoint {
                store,
                region,
                point,
            } => {
                let target = match point {
                    RestorePoint::Latest => PointTarget::Latest,
                    RestorePoint::BeforeCorruption => PointTarget::BeforeCorruption,
                };
                store_action(self, store, Some(region), &|region| {
                    StoreAction::RestoreToPoint { region, target }
                })
            }
            Action::CopyBackup { store, region } => {
                store_action(self, store, Some(region), &|region| {
                    StoreAction::CopyBackup { region }
                })
            }
            other => {
                self.start_world_action(&book, ticket, other, s, &comp_of);
                return;
            }
        };
        match request {
            Ok((k, request)) => {
                if let StoreAction::RestoreSnapshot { region }
                | StoreAction::RestoreToPoint { region, .. } = request
                {
                    self.restores.insert(ticket, (k, region));
                }
                self.with_store(k, s, |store, ctx| store.begin(ctx, ticket, request))
            }
            Err(e) => self.fail_now(ticket, e),
        }
    }

    fn start_world_action(
        &mut self,
        book: &str,
        ticket: Ticket,
        action: &Action,
        s: &mut Scheduler<Event>,
        comp_of: &dyn Fn(&World<'_>, &str) -> Option<usize>,
    ) {
        let missing =
            |what: &str, name: &str| ActionError::NotApplicable(format!("no {what} {name:?}"));
        match action {
            Action::CreateStack { stack } => {
                let Some(c) = comp_of(self, stack) else {
                    return self.fail_now(ticket, missing("stack", stack));
                };
                let Comp::Stack {
                    cfg, region, rng, ..
                } = &mut self.comps[c]
                else {
                    return self.fail_now(ticket, missing("stack", stack));
                };
                if !self.health.control_plane_up(*region) {
                    let region = *region;
                    return self.fail_now(ticket, ActionError::ControlPlaneDown(region));
                }
                let took = cfg.creation_time(rng);
                self.log.push(self.now, stack, Phase::Recovery, || {
                    format!("CloudFormation creates stack {stack} (takes {took})")
                });
                self.after(took, Effect::StackCreated(c), ticket, s);
            }
            Action::SetCapacity {
                group,
                desired,
                wait,
            } => {
                let Some(c) = comp_of(self, group) else {
                    return self.fail_now(ticket, missing("Auto Scaling group", group));
                };
                let now = self.now;
                let Comp::Asg { asg, region, rng } = &mut self.comps[c] else {
                    return self.fail_now(ticket, missing("Auto Scaling group", group));
                };
                if !self.health.control_plane_up(*region) {
                    let region = *region;
                    return self.fail_now(ticket, ActionError::ControlPlaneDown(region));
                }
                let wakes = match asg.set_desired(now, &self.health, rng, *desired) {
                    Ok(wakes) => wakes,
                    Err(e) => return self.fail_now(ticket, e),
                };
                schedule_component(s, c, wakes);
                self.log.push(now, group, Phase::Recovery, || {
                    format!("Auto Scaling group {group} desired capacity set to {desired}")
                });
                let steady = match self.sc.resources.get(group) {
                    Some(Resource::Asg(c)) => c.desired,
                    _ => 0,
                };
                if *desired > steady {
                    let extra = *desired - steady;
                    self.usage.push(Usage {
                        resource: group.clone(),
                        instances: extra,
                        from: now,
                        to: self.horizon,
                        region: None,
                    });
                }
                if *wait {
                    self.waiting_capacity.push((c, *desired, ticket));
                } else {
                    self.finished.push((ticket, Ok(())));
                }
            }
            Action::UpdateDns { record, target } => {
                let Some(c) = comp_of(self, record) else {
                    return self.fail_now(ticket, missing("record", record));
                };
                if let Some(r) = self.global_control_plane_down() {
                    return self.fail_now(ticket, ActionError::ControlPlaneDown(r));
                }
                let endpoint = self.resource(target);
                let Comp::Record {
                    cfg, rng, targets, ..
                } = &mut self.comps[c]
                else {
                    return self.fail_now(ticket, missing("record", record));
                };
                let Some(k) = targets.iter().position(|&t| Some(t as usize) == endpoint) else {
                    return self.fail_now(ticket, missing("endpoint", target));
                };
                let took = cfg.edit_propagation(rng);
                self.log.push(self.now, record, Phase::Propagation, || {
                    format!("record {record} edited to answer {target} (propagates in {took})")
                });
                self.after(took, Effect::Pin(c, k), ticket, s);
            }
            Action::UpdateCloudFront {
                distribution,
                primary,
            } => {
                let Some(c) = comp_of(self, distribution) else {
                    return self.fail_now(ticket, missing("distribution", distribution));
                };
                if let Some(r) = self.global_control_plane_down() {
                    return self.fail_now(ticket, ActionError::ControlPlaneDown(r));
                }
                let Some(o) = self.resource(primary) else {
                    return self.fail_now(ticket, missing("origin", primary));
                };
                let Comp::CloudFront {
                    cfg, origins, rng, ..
                } = &mut self.comps[c]
                else {
                    return self.fail_now(ticket, missing("distribution", distribution));
                };
                let Some(k) = origins.iter().position(|&x| x as usize == o) else {
                    return self.fail_now(ticket, missing("origin of the distribution", primary));
                };
                let took = cfg.deploy_time(rng);
                self.log.push(self.now, distribution, Phase::Propagation, || format!("CloudFront {distribution} deploys with {primary} as primary origin (takes {took})"));
                self.after(took, Effect::Primary(c, k), ticket, s);
            }
            Action::Run { what, duration } => {
                let mut rng = self.streams.named(&format!("runbook/{book}/{what}"));
                let took = duration.sample(&mut rng);
                self.after(took, Effect::Nothing, ticket, s);
            }
            // Human steps are timed by the runbook; store actions were routed to stores.
            _ => self.fail_now(
                ticket,
                ActionError::Unsupported("not a world action".into()),
            ),
        }
    }

    fn finish_effect(&mut self, id: u32, s: &mut Scheduler<Event>) {
        let Some((effect, ticket)) = self.effects.remove(&id) else {
            return;
        };
        match effect {
            Effect::StackCreated(c) => {
                let (resources, name) = match &self.comps[c] {
                    Comp::Stack { resources, .. } => (
                        resources.clone(),
                        self.names[self.comp_resource(c)].to_string(),
                    ),
                    _ => (Vec::new(), String::new()),
                };
                for r in resources {
                    self.provisioned[r as usize] = true;
                    if let Slot::Comp(k) = self.slots[r as usize] {
                        let now = self.now;
                        if let Comp::Asg { asg, rng, .. } = &mut self.comps[k] {
                            let wakes = asg.start(now, &self.health, rng);
                            schedule_component(s, k, wakes);
                        }
                    }
                }
                self.log.push(self.now, &name, Phase::Recovery, || {
                    format!("stack {name} created")
                });
                self.usage.push(Usage {
                    resource: name,
                    instances: 1,
                    from: self.now,
                    to: self.horizon,
                    region: None,
                });
            }
            Effect::Pin(c, k) => {
                if let Comp::Record { pinned, .. } = &mut self.comps[c] {
                    *pinned = Some(k);
                }
            }
            Effect::Primary(c, k) => {
                if let Comp::CloudFront { primary, .. } = &mut self.comps[c] {
                    *primary = k;
                }
            }
            Effect::Nothing => {}
        }
        self.finished.push((ticket, Ok(())));
    }

    /// Routes finished actions back to their runbooks, until nothing more happens.
    fn settle_actions(&mut self, s: &mut Scheduler<Event>) {
        for _ in 0..1_000 {
            self.check_capacity_waits();
            if self.finished.is_empty() {
                return;
            }
            let done: Vec<_> = self.finished.drain(..).collect();
            for (ticket, result) in done {
                // A completed restore replaces corrupt or deleted data with a good copy.
                if let Some((k, region)) = self.restores.remove(&ticket).filter(|_| result.is_ok())
                {
                    if let Some(bad) = self.bad_data.get_mut(k) {
                        *bad = None;
                    }
                    // The restored instance runs (and is paid for) from now to the end of the run.
                    self.usage.push(Usage {
                        resource: self.stores[k].name().to_string(),
                        instances: 1,
                        from: self.now,
                        to: self.horizon,
                        region: Some(self.catalog.region_name(region).to_string()),
                    });
                }
                let b = (ticket.0 >> 20) as usize;
                if b >= self.execs.len() {
                    continue;
                }
                let mut out = Vec::new();
                let eval = conditions!(self);
                self.execs[b].on_finished(
                    &self.books[b],
                    ticket,
                    result,
                    self.now,
                    &eval,
                    &mut out,
                );
                self.commands(b, out, s);
            }
        }
    }

    fn check_capacity_waits(&mut self) {
        let now = self.now;
        let mut still = Vec::new();
        for (c, desired, ticket) in std::mem::take(&mut self.waiting_capacity) {
            match &self.comps[c] {
                Comp::Asg { asg, region, .. }
                    if in_service(asg, now, &self.health, *region) >= desired =>
                {
                    self.finished.push((ticket, Ok(())))
                }
                _ => still.push((c, desired, ticket)),
            }
        }
        self.waiting_capacity = still;
    }

    fn component_wake(&mut self, c: usize, token: u32, s: &mut Scheduler<Event>) {
        let now = self.now;
        let name = self.names[self.comp_resource(c)].to_string();
        let (verdict, bad_text, good_text) = match &mut self.comps[c] {
            Comp::Asg { asg, rng, .. } => {
                let wakes = asg.on_wake(now, &self.health, rng);
                schedule_component(s, c, wakes);
                return;
            }
            Comp::HealthCheck { cfg, verdict, .. } => (
                verdict,
                format!(
                    "Route 53 health check {name} fails {0}/{0} → unhealthy",
                    cfg.failure_threshold
                ),
                format!("Route 53 health check {name} passes again → healthy"),
            ),
            Comp::Alarm { verdict, .. } => (
                verdict,
                format!("CloudWatch alarm {name} → ALARM"),
                format!("CloudWatch alarm {name} → OK"),
            ),
            _ => return,
        };
        // A stale timer (the target changed again since) or no change: nothing to say.
        if token != verdict.generation || verdict.good == verdict.seen_good {
            return;
        }
        verdict.good = verdict.seen_good;
        let went_bad = !verdict.good;
        self.log.push(now, &name, Phase::Detection, || {
            if went_bad { bad_text } else { good_text }
        });
        if went_bad {
            self.trigger_watchers(&name, s);
        }
    }

    fn disaster(&mut self, i: usize, begins: bool, s: &mut Scheduler<Event>) {
        let config = &self.sc.disasters[self.disasters[i].index];
        let text = if begins {
            config.kind.describe()
        } else {
            format!("{} heals", config.name)
        };
        self.log
            .push(self.now, &config.name, Phase::Disaster, || text);
        let resource = |w: &World<'_>, name: &str| w.resource(name).map(|r| r as u16);
        match &config.kind {
            DisasterKind::AzOutage { az } => {
                if let Some((az, _)) = self.catalog.az(az) {
                    self.health.set_az(az, !begins);
                }
            }
            DisasterKind::RegionOutage {
                region,
                control_plane,
            } => {
                if let Some(r) = self.catalog.region(region) {
                    self.health.set_region(r, !begins, *control_plane);
                }
            }
            DisasterKind::Partition { a, b } => {
                if let (Some(a), Some(b)) = (self.catalog.region(a), self.catalog.region(b)) {
                    self.health.set_partition(a, b, begins);
                }
            }
            DisasterKind::GrayFailure {
                resource: name,
                error_rate,
                latency,
            } => {
                if let Some(r) = resource(self, name) {
                    self.health
                        .set_degraded(r, begins.then_some((*error_rate, latency.as_micros())));
                }
            }
            DisasterKind::ResourceFailure { resource: name } => {
                if let Some(r) = resource(self, name) {
                    self.health.set_resource_failed(r, begins);
                }
            }
            DisasterKind::Corruption { store } | DisasterKind::Delete { store } => {
                if let (true, Some(Slot::Store(k))) = (
                    begins,
                    resource(self, store).map(|r| self.slots[r as usize]),
                ) {
                    self.with_store(k, s, |store, ctx| store.corrupt(ctx));
                    self.bad_data.resize(self.stores.len(), None);
                    let deleted = matches!(config.kind, DisasterKind::Delete { .. });
                    self.bad_data[k] = Some(if deleted {
                        BadData::Deleted
                    } else {
                        BadData::Corrupt
                    });
                }
            }
            DisasterKind::Planned { .. } => {}
            DisasterKind::OriginError {
                resource: name,
                status,
            } => {
                if let Some(r) = resource(self, name) {
                    self.origin_status[r as usize] = begins.then_some(*status);
                }
            }
        }
        for k in 0..self.stores.len() {
            self.with_store(k, s, |store, ctx| store.on_health_change(ctx));
        }
        let now = self.now;
        for c in 0..self.comps.len() {
            if let Comp::Asg { asg, rng, .. } = &mut self.comps[c] {
                let wakes = asg.on_health_change(now, &self.health, rng);
                schedule_component(s, c, wakes);
            }
        }
    }

    /// Re-evaluates watchers, answers, flows and write acceptance at the current time.
    fn refresh(&mut self, s: &mut Scheduler<Event>) {
        let now = self.now;
        // 1. CloudFront: when did the primary origin go bad (for the edge cache)?
        for c in 0..self.comps.len() {
            let primary_origin = match &self.comps[c] {
                Comp::CloudFront {
                    origins, primary, ..
                } => origins.get(*primary).copied(),
                _ => continue,
            };
            let bad = primary_origin.is_some_and(|o| {
                self.origin_status[o as usize].is_some() || self.ok(o, None).0 < 0.999_999
            });
            if let Comp::CloudFront { bad_since, .. } = &mut self.comps[c] {
                *bad_since = match (*bad_since, bad) {
                    (None, true) => Some(now),
                    (since, true) => since,
                    (_, false) => None,
                };
            }
        }
        // 2. Route 53 answers of every record (logged once per change).
        for c in 0..self.comps.len() {
            if !matches!(self.comps[c], Comp::Record { .. }) {
                continue;
            }
            let answer = self.record_answer(c, RegionId(0));
            let (changed, text) = match &self.comps[c] {
                Comp::Record {
                    answer: last,
                    targets,
                    ..
                } => {
                    let names: Vec<&str> = answer
                        .iter()
                        .map(|&(k, _)| self.names[targets[k] as usize])
                        .collect();
                    (
                        !last.is_empty() && *last != answer,
                        format!("Route 53 now answers {}", names.join(" + ")),
                    )
                }
                _ => (false, String::new()),
            };
            if changed {
                let name = self.names[self.comp_resource(c)].to_string();
                self.log.push(now, &name, Phase::Propagation, || text);
            }
            if let Comp::Record { answer: last, .. } = &mut self.comps[c] {
                *last = answer;
            }
        }
        // 3. Flows: per-answer success and answer shares, into their timelines.
        let mut rates: BTreeMap<(usize, CopyId), f64> = BTreeMap::new();
        for f in 0..self.flows.len() {
            let flow = &self.flows[f];
            let answer = match flow.entry_record {
                Some(c) => self.record_answer(c, flow.client),
                None => vec![(0, 1.0)],
            };
            // One memo for all of the flow's answers: they often share nodes (the store, a CDN origin).
            let mut memo = vec![None; self.names.len()];
            let oks: Vec<(f64, Option<RegionId>)> = flow
                .targets
                .iter()
                .map(|&t| self.ok_in(t, Some(flow), 0, &mut memo))
                .collect();
            let config = &self.sc.flows[flow.index];
            let (ttl, store) = (flow.timeline.ttl, flow.store);
            let flow = &mut self.flows[f];
            let mut ramp = false;
            for (k, &(ok, _)) in oks.iter().enumerate() {
                let share = answer
                    .iter()
                    .find(|&&(i, _)| i == k)
                    .map_or(0.0, |&(_, sh)| sh);
                if flow.timeline.answer_share[k].at(now).to_bits() != share.to_bits() {
                    ramp = true;
                }
                flow.timeline.answer_share[k].set(now, share);
                flow.timeline.ok[k].set(now, ok);
            }
            if ramp && !ttl.is_zero() {
                s.schedule_in(ttl, Event::Refresh);
            }
            if let (FlowKind::Write, Some(k)) = (config.kind, store) {
                let t = now.since_start().as_secs_f64();
                for (target, &(ok, region)) in oks.iter().enumerate() {
                    let Some(region) = region else { continue };
                    let share = flow.timeline.client_share(target, t);
                    if let Some((copy, route_ok)) = self.stores[k].write_route(&self.health, region)
                    {
                        let _ = route_ok;
                        *rates.entry((k, copy)).or_insert(0.0) += config.rate_per_s * share * ok;
                    }
                }
            }
        }
        // 4. Write acceptance: tell each ledger what its writers acknowledge now.
        let keys: Vec<(usize, CopyId)> =
            self.accepting.keys().chain(rates.keys()).copied().collect();
        for key in keys {
            let rate = rates.get(&key).copied().unwrap_or(0.0);
            if self
                .accepting
                .get(&key)
                .is_none_or(|&r| r.to_bits() != rate.to_bits())
            {
                self.stores[key.0]
                    .ledger_mut()
                    .set_acceptance(key.1, now, rate);
                self.accepting.insert(key, rate);
            }
        }
        // 5. Watchers (after the flows, so flow alarms see this instant): a change in what they watch starts a verdict timer.
        for c in 0..self.comps.len() {
            let good = match &self.comps[c] {
                Comp::HealthCheck { target, .. } => {
                    self.origin_status[*target as usize].is_none()
                        && self.ok(*target, None).0 >= 0.5
                }
                Comp::Alarm {
                    target: Watched::Resource(r),
                    ..
                } => self.ok(*r, None).0 >= 0.99,
                Comp::Alarm {
                    target: Watched::Flow(f),
                    ..
                } => {
                    let slo = self.sc.flows[*f].slo;
                    self.flows[*f]
                        .timeline
                        .ratio(now.since_start().as_secs_f64())
                        >= slo
                }
                _ => continue,
            };
            let delay = match &mut self.comps[c] {
                Comp::HealthCheck {
                    cfg, verdict, rng, ..
                } => watch(verdict, good, || {
                    if good {
                        cfg.time_to_healthy(rng)
                    } else {
                        cfg.time_to_unhealthy(rng)
                    }
                }),
                Comp::Alarm {
                    cfg, verdict, rng, ..
                } => watch(verdict, good, || {
                    if good {
                        cfg.time_to_ok(rng)
                    } else {
                        cfg.time_to_alarm(rng)
                    }
                }),
                _ => None,
            };
            if let Some((delay, generation)) = delay {
                s.schedule_in(delay, Event::Component(c as u16, generation));
            }
        }
    }

    /// Measures the finished run.
    ///
    /// With several disasters, each flow's RTO counts from the disaster that caused its last outage (the
    /// latest onset the flow was healthy just before and impacted after), and each store's RPO from the
    /// first disaster after its oldest lost write. With one disaster both are simply its onset.
    fn measure(
        mut self,
        seed: u64,
        replication: u64,
        events: u64,
        digest: crate::engine::digest::TraceDigest,
    ) -> RunResult {
        let horizon = self.horizon;
        let window = self.sc.measure.window;
        let mut onsets: Vec<(SimTime, usize)> = self
            .disasters
            .iter()
            .filter(|d| d.onset <= horizon)
            .map(|d| (d.onset, d.index))
            .collect();
        onsets.sort();
        let w = window.as_secs_f64();
        let mut flows = Vec::new();
        let mut flow_onsets = Vec::new();
        for f in &self.flows {
            let config = &self.sc.flows[f.index];
            let measured = onsets
                .iter()
                .rev()
                .find_map(|&(o, i)| {
                    let t = o.since_start().as_secs_f64();
                    let healthy_before =
                        t < w || f.timeline.integral(t - w, t) / w >= config.slo - 1e-12;
                    let m = f.timeline.measure(o, horizon, config.slo, window);
                    (healthy_before && m.rto != Some(SimDuration::ZERO)).then_some((o, i, m))
                })
                .or_else(|| {
                    onsets
                        .first()
                        .map(|&(o, i)| (o, i, f.timeline.measure(o, horizon, config.slo, window)))
                });
            flow_onsets.push(measured.as_ref().map(|&(o, i, _)| (o, i)));
            let m = measured.map(|(_, _, m)| m);
            flows.push(FlowResult {
                name: config.name.clone(),
                critical: config.critical,
                rto: m.as_ref().map_or(Some(SimDuration::ZERO), |m| m.rto),
                availability: m.as_ref().map_or(1.0, |m| m.availability),
                failed_requests: m
                    .as_ref()
                    .map_or(0.0, |m| m.failed_seconds * config.rate_per_s),
                worst_window: m.as_ref().map_or(1.0, |m| m.worst_window),
            });
        }
        let stores: Vec<StoreResult> = (0..self.stores.len())
            .map(|k| {
                let name = self.stores[k].name().to_string();
                let mut rng = self.streams.named(&format!("ledger/{name}"));
                let first = onsets.first().map_or(horizon, |&(o, _)| o);
                let settled = self.stores[k].settle(horizon, first, &mut rng);
                let rpo = settled.oldest_lost.map_or(SimDuration::ZERO, |oldest| {
                    onsets
                        .iter()
                        .find(|&&(o, _)| o >= oldest)
                        .map_or(SimDuration::ZERO, |&(o, _)| o.saturating_since(oldest))
                });
                StoreResult {
                    name,
                    rpo,
                    acknowledged: settled.acknowledged,
                    surviving: settled.surviving,
                    lost: settled.lost,
                    overwritten: settled.overwritten,
                }
            })
            .collect();
        // The service: the critical flow with the largest RTO (a non-recovery is the largest) decides.
        let worst = (0..flows.len())
            .filter(|&i| flows[i].critical)
            .max_by_key(|&i| (flows[i].rto.is_none(), flows[i].rto, std::cmp::Reverse(i)));
        let rto = match worst {
            Some(i) => flows[i].rto,
            None => Some(SimDuration::ZERO),
        };
        let (onset, disaster) = match worst
            .and_then(|i| flow_onsets[i])
            .or_else(|| onsets.first().map(|&(o, i)| (o, i)))
        {
            Some((o, i)) => (Some(o), Some(self.sc.disasters[i].name.clone())),
            None => (None, None),
        };
        let rpo = stores
            .iter()
            .map(|s| s.rpo)
            .max()
            .unwrap_or(SimDuration::ZERO);
        let lost_writes = stores.iter().map(|s| s.lost).sum();
        let breakdown = match (onset, rto) {
            (Some(t), Some(rto)) => self.breakdown(t, rto),
            _ => Breakdown::default(),
        };
        let log = std::mem::take(&mut self.log).into_entries();
        let recovery_usd = if self.usage.is_empty() {
            0.0
        } else {
            recovery_cost(self.sc, &table_for(self.sc).0, &self.usage)
        };
        RunResult {
            scenario: self.sc.name.clone(),
            seed,
            replication,
            disaster,
            onset,
            rto,
            rpo,
            lost_writes,
            breakdown,
            flows,
            stores,
            events,
            digest,
            log,
            usage: std::mem::take(&mut self.usage),
            recovery_usd,
        }
    }

    /// Splits `[onset, onset + rto]` into phases: detection until the first detection, then runbook spans
    /// by phase (decision before recovery), automatic recovery logged by stores, and the rest propagation.
    fn breakdown(&self, onset: SimTime, rto: SimDuration) -> Breakdown {
        let end = onset + rto;
        let entries = self.log.entries();
        let first = |phase: Phase| {
            entries
                .iter()
                .find(|e| e.phase == phase && e.at >= onset)
                .map(|e| e.at)
        };
        let mut intervals: Vec<(Phase, SimTime, SimTime)> = Vec::new();
        if let Some(t) = first(Phase::Detection) {
            intervals.push((Phase::Detection, onset, t));
        }
        for exec in &self.execs {
            for span in &exec.spans {
                intervals.push((span.phase, span.start, span.end));
            }
        }
        // Automatic recovery with no runbook (e.g. a Multi-AZ failover): from the first to the last
        // recovery step the stores logged.
        let store_names: Vec<&str> = self.stores.iter().map(|s| s.name()).collect();
        let store_steps: Vec<SimTime> = entries
            .iter()
            .filter(|e| {
                // The step that completes recovery can land just after the RTO instant (the SLO window lets
                // the last ~1 % of a window be bad), so look one window past it; the sweep clips to the RTO.
                e.phase == Phase::Recovery
                    && e.at >= onset
                    && e.at <= end + self.sc.measure.window
                    && store_names.contains(&e.actor.as_str())
            })
            .map(|e| e.at)
            .collect();
        if let (Some(&a), Some(&b)) = (store_steps.first(), store_steps.last()) {
            intervals.push((Phase::Recovery, a, b));
        }
        // Sweep: each instant goes to the first phase (in Detection, Decision, Recovery order) covering it.
        let mut cuts: Vec<SimTime> = vec![onset, end];
        for &(_, a, b) in &intervals {
            cuts.extend([a.clamp(onset, end), b.clamp(onset, end)]);
        }
        cuts.sort();
        cuts.dedup();
        let mut out = Breakdown::default();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let covering = |p: Phase| {
                intervals
                    .iter()
                    .any(|&(q, s0, s1)| q == p && s0 <= a && s1 >= b)
            };
            let slot = if covering(Phase::Detection) {
                &mut out.detection
            } else if covering(Phase::Decision) {
                &mut out.decision
            } else if covering(Phase::Recovery) {
                &mut out.recovery
            } else {
                &mut out.propagation
            };
            *slot += b.saturating_since(a);
        }
        out
    }
}

/// The endpoints runbook `book` may point record `record` at (`UpdateDns` tasks, branches included).
fn dns_edits<'a>(book: &'a crate::spec::runbook::RunbookConfig, record: &str) -> Vec<&'a str> {
    fn walk<'a>(
        states: &'a BTreeMap<String, crate::spec::runbook::State>,
        record: &str,
        out: &mut Vec<&'a str>,
    ) {
        for state in states.values() {
            match state {
                crate::spec::runbook::State::Task {
                    action: Action::UpdateDns { record: r, target },
                    ..
                } if r == record => out.push(target),
                crate::spec::runbook::State::Parallel { branches, .. } => {
                    for b in branches {
                        walk(&b.states, record, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&book.states, record, &mut out);
    out
}

/// Updates a watcher with what it sees; returns a verdict timer to start, if any.
fn watch(
    verdict: &mut Verdict,
    good: bool,
    delay: impl FnOnce() -> SimDuration,
) -> Option<(SimDuration, u32)> {
    if good == verdict.seen_good {
        return None;
    }
    verdict.seen_good = good;
    verdict.generation += 1;
    // Back to what the verdict already says: cancel the pending flip; otherwise time the new one.
    (good != verdict.good).then(|| (delay(), verdict.generation))
}

/// Runs one replication of `scenario` with the disasters `active` (indices; `None`: the enabled ones),
/// narrating its step log.
pub fn run_replication(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    active: Option<&[usize]>,
) -> Result<RunResult, RunError> {
    run_with_log(scenario, seed, replication, active, StepLog::new())
}

/// As [`run_replication`], but the step log keeps no text (sweeps): same events, same results and digest.
pub fn run_replication_quiet(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    active: Option<&[usize]>,
) -> Result<RunResult, RunError> {
    run_with_log(scenario, seed, replication, active, StepLog::quiet())
}

fn run_with_log(
    scenario: &Scenario,
    seed: u64,
    replication: u64,
    active: Option<&[usize]>,
    log: StepLog,
) -> Result<RunResult, RunError> {
    let enabled: Vec<usize> = (0..scenario.disasters.len())
        .filter(|&i| scenario.disasters[i].enabled)
        .collect();
    let mut world = World::build(scenario, seed, replication, active.unwrap_or(&enabled))
        .map_err(RunError::Build)?;
    world.log = log;
    world.run(seed, replication).map_err(RunError::Engine)
}

/// Why a replication could not run.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunError {
    /// The scenario does not build (see [`BuildError`]).
    Build(BuildError),
    /// The engine stopped (see [`EngineError`]).
    Engine(EngineError),
    /// The worker thread pool could not start.
    Threads(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Build(e) => write!(f, "{e}"),
            RunError::Engine(e) => write!(f, "{e}"),
            RunError::Threads(e) => write!(f, "cannot start worker threads: {e}"),
        }
    }
}

impl std::error::Error for RunError {}
