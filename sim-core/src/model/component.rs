//! The contract of every non-store model (edge, compute, DNS, watchers, stacks): serve a share of
//! requests, wake up, react to health changes, begin and complete actions, watch something.
//!
//! Like a [`DataStore`](crate::model::DataStore), a component never touches the engine: it asks for
//! wake-ups and logs through its [`Ctx`], and asks the world for world-level effects (a resource now
//! exists, capacity that bills) with [`Ctx::request`]. Requests flow through it by
//! [`Component::serve`], which reaches the next resources on the path through a [`Route`] the world
//! provides (memoised, so layered routing stays linear).
//!
//! **Time on a path.** Latency travels down the path as the client's remaining patience: a route carries
//! the time the client still waits ([`Route::budget`], the flow's `timeout` at the entry), each node's added
//! latency (a gray failure's, CloudFront's connection stall before it fails over) is taken from it before
//! the next node is asked ([`Route::next_after`]), and a request that needs the whole budget or more
//! fails. Carrying the budget down rather than latencies up keeps [`Served`] one number per node: requests
//! on a path split into classes with different latencies (failed over or not, cached or not), and each
//! class meets the timeout exactly where its time runs out.

use crate::engine::time::{SimDuration, SimTime};
use crate::model::action::ActionError;
use crate::model::ctx::Ctx;
use crate::model::place::{Catalog, Health, RegionId};

/// What a node does with requests right now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Served {
    /// The share of requests that succeed, in `[0, 1]`.
    pub ok: f64,
    /// The Region of the compute that serves them (where its data-store calls come from), if any.
    pub region: Option<RegionId>,
}

impl Served {
    /// Serves nothing.
    pub const DOWN: Served = Served {
        ok: 0.0,
        region: None,
    };
}

/// The world as a component's `serve` sees it: the instant, health, places, the path's client and data
/// store, and the next nodes.
pub trait Route {
    /// Now.
    fn now(&self) -> SimTime;
    /// Health of places and resources.
    fn health(&self) -> &Health;
    /// Regions and AZs.
    fn catalog(&self) -> &Catalog;
    /// The Region the path's clients are in (the first Region without a flow).
    fn client(&self) -> RegionId;
    /// Whether the path's requests are writes (POST, PUT, …): never served from an edge cache, never
    /// failed over by an origin group. Probes (health checks) are reads.
    fn writes(&self) -> bool;
    /// How long the client still waits for this request ([`SimDuration::MAX`]: forever). A request that
    /// needs this long or longer fails.
    fn budget(&self) -> SimDuration;
    /// What node `node` serves to requests that reach it now, with the whole [`budget`](Self::budget) left
    /// (evaluated once per refresh and budget, at one level deeper).
    fn next(&mut self, node: u16) -> Served {
        let budget = self.budget();
        self.next_with(node, budget)
    }
    /// What node `node` serves to requests that must answer within `budget` (a component's own timeout,
    /// or [`SimDuration::MAX`] to ask whether it answers at all).
    fn next_with(&mut self, node: u16, budget: SimDuration) -> Served;
    /// What node `node` serves to requests that reach it after `spent` of the budget (a stall before a
    /// failover): nothing when `spent` uses it up.
    fn next_after(&mut self, node: u16, spent: SimDuration) -> Served {
        let budget = self.budget();
        if spent >= budget {
            return Served::DOWN;
        }
        self.next_with(node, budget.saturating_sub(spent))
    }
    /// The share of the path's data-store calls from compute in `region` that succeed and answer within
    /// `limit` and the client's budget (1 without a store). The store's own model answers for its
    /// outright failure; its gray failure (error share, latency) applies on top.
    fn backend_within(&self, region: RegionId, limit: SimDuration) -> f64;
    /// [`backend_within`](Self::backend_within) with no limit but the client's budget.
    fn backend(&self, region: RegionId) -> f64 {
        self.backend_within(region, SimDuration::MAX)
    }
    /// The verdict of the health check at `node` (`true` for anything that is not a health check).
    fn verdict(&self, node: u16) -> bool;
}

/// A runbook action on a component, with names resolved by the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComponentAction<'a> {
    /// Create this stack.
    CreateStack,
    /// Set this group's desired capacity; with `wait`, the action ends when that many are in service.
    SetCapacity {
        /// Desired instances.
        desired: u32,
        /// Whether to wait for them.
        wait: bool,
    },
    /// Point this record at an endpoint.
    UpdateDns {
        /// The endpoint's node, if it exists.
        target: Option<u16>,
        /// Its name, for messages.
        name: &'a str,
    },
    /// Set this routing control On (`true`) or Off.
    SetRoutingControl {
        /// The new state.
        on: bool,
    },
    /// Make an origin this distribution's primary.
    UpdateCloudFront {
        /// The origin's node, if it exists.
        primary: Option<u16>,
        /// Its name, for messages.
        name: &'a str,
    },
}

/// How an action a component began goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Begun {
    /// It is done already.
    Done,
    /// It completes after `delay`: the world then calls [`Component::complete`] with `token`.
    After {
        /// How long it takes.
        delay: SimDuration,
        /// What to complete.
        token: u32,
    },
    /// It is done once [`Component::ready`] answers true for `arg` (checked as the world settles).
    UntilReady(u32),
}

/// What a component watches when the world refreshes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Watch {
    /// Whether `node` serves at least `min_ok` of requests (and, with `error_status_fails`, answers no
    /// HTTP error status).
    Node {
        /// The node.
        node: u16,
        /// The least share that counts as good.
        min_ok: f64,
        /// Whether an error status makes it bad.
        error_status_fails: bool,
    },
    /// Whether a probe of `node` with this timeout passes: no HTTP error status, and at least `min_ok` of
    /// requests answered in time (a Route 53 health check; CloudFront's view of its primary origin).
    Probe {
        /// The node.
        node: u16,
        /// The least share that counts as good.
        min_ok: f64,
        /// How long the probe waits for an answer.
        timeout: SimDuration,
    },
    /// The level of each of its [`Component::targets`] as a probe with this timeout sees it: the share of
    /// requests the target alone answers in time, 0 while it answers an HTTP error status (an ALB's
    /// target health checks; CloudFront's view of its origins).
    Targets {
        /// How long each check waits for an answer.
        timeout: SimDuration,
    },
    /// Whether flow `flow` meets its SLO now.
    Flow(usize),
    /// Its own DNS answer (a record logs when it changes).
    Answer,
}

/// What the world saw for a [`Watch`].
#[derive(Clone, Debug, PartialEq)]
pub enum Seen {
    /// The watched node or flow is good (or not).
    Good(bool),
    /// The record's current answer: `(target index, share)`.
    Answer(Vec<(usize, f64)>),
    /// Per target (in [`Component::targets`] order), its level now, in `[0, 1]`.
    Levels(Vec<f64>),
}

/// A DNS entry point: the targets its answers index, the resolver TTL and its answer now.
pub trait Dns {
    /// The nodes its answers index (targets a runbook may point it at included, never answered before).
    fn targets(&self) -> &[u16];
    /// How long resolvers cache an answer.
    fn ttl(&self) -> SimDuration;
    /// Its answer to a resolver in `client`: `(target index, share)`, shares summing to 1.
    fn answer(
        &self,
        client: RegionId,
        catalog: &Catalog,
        verdict: &dyn Fn(u16) -> bool,
    ) -> Vec<(usize, f64)>;
}

/// A non-store model at run time. Every method has a do-nothing default, so a component implements what
/// its service does.
pub trait Component {
    /// Its name, as written in the scenario.
    fn name(&self) -> &str;

    /// Time zero, or the moment a stack creates it: begin the steady state.
    fn start(&mut self, _cx: &mut Ctx<'_>) {}

    /// Health changed (a disaster began or healed).
    fn on_health_change(&mut self, _cx: &mut Ctx<'_>) {}

    /// A wake-up it asked for is due. Returns `true` when it went bad and runbooks watching it should
    /// trigger (a health check or alarm verdict).
    fn on_wake(&mut self, _cx: &mut Ctx<'_>, _token: u32) -> bool {
        false
    }

    /// What it serves now.
    fn serve(&self, _route: &mut dyn Route) -> Served {
        Served::DOWN
    }

    /// A runbook asks for `action`.
    fn begin(
        &mut self,
        _cx: &mut Ctx<'_>,
        _action: ComponentAction<'_>,
    ) -> Result<Begun, ActionError> {
        Err(ActionError::Unsupported(
            "not an action of this resource".into(),
        ))
    }

    /// A timed action it began ([`Begun::After`]) completes now.
    fn complete(&mut self, _cx: &mut Ctx<'_>, _token: u32) {}

    /// Whether a wait it answered with [`Begun::UntilReady`] is over.
    fn ready(&self, _now: SimTime, _health: &Health, _arg: u32) -> bool {
        true
    }

    /// What it observes before flows are evaluated (state its own serving depends on).
    fn observes(&self) -> Option<Watch> {
        None
    }

    /// What it monitors after flows are evaluated (a watcher: health check, alarm).
    fn monitors(&self) -> Option<Watch> {
        None
    }

    /// What the world saw for its [`observes`](Self::observes) or [`monitors`](Self::monitors).
    fn see(&mut self, _cx: &mut Ctx<'_>, _seen: Seen) {}

    /// The nodes whose levels it observes with [`Watch::Targets`] (a load balancer's targets).
    fn targets(&self) -> &[u16] {
        &[]
    }

    /// Its verdict, for a health check.
    fn verdict(&self) -> Option<bool> {
        None
    }

    /// Itself as a DNS entry point, for a record.
    fn dns(&self) -> Option<&dyn Dns> {
        None
    }

    /// The nodes it creates when it runs (a stack): they do not exist until then.
    fn creates(&self) -> &[u16] {
        &[]
    }

    /// A stack created it just now, after time zero: unlike [`start`](Self::start) (the steady state
    /// at time zero), it begins from nothing — instances boot. Default: as `start`.
    fn created(&mut self, cx: &mut Ctx<'_>) {
        self.start(cx);
    }

    /// What it samples after every refresh (a CloudWatch alarm's metric), if anything.
    fn gauge(&self) -> Option<Gauge> {
        None
    }

    /// The value of its [`gauge`](Self::gauge) now (after every refresh).
    fn read(&mut self, _cx: &mut Ctx<'_>, _reading: Reading) {}
}

/// What a component samples after every refresh: the source of a CloudWatch alarm's metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gauge {
    /// Flow `f`'s success ratio, as its clients experience it (DNS caches included).
    Flow(usize),
    /// The share of requests resource `node` serves (probed without a flow; an HTTP error status answers
    /// every request with a failure).
    Node(u16),
}

/// A [`Gauge`]'s value at one instant. Between two readings the value moves linearly (resolver caches
/// shift traffic linearly; everything else changes only at events), so readings describe it exactly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    /// The value from now on, in `[0, 1]`; `None`: no data (the resource does not exist, or its Region
    /// is down and publishes nothing).
    pub value: Option<f64>,
    /// Its rate of change, per second, from now until the next reading.
    pub slope_per_s: f64,
}
