//! Handling events: the one `match` over [`Event`], calling models through a [`Ctx`] and scheduling what
//! they ask for, runbook triggers, and disasters beginning and healing.

use crate::engine::{Model, Scheduler};
use crate::model::component::{Gauge, Reading};
use crate::model::service::Placement;
use crate::model::store::DataLoss;
use crate::model::stream_name::StreamName;
use crate::model::{Component, Ctx, DataStore, Phase, RegionId, Request, Usage};
use crate::spec::flow::DEFAULT_CLIENT_TIMEOUT;
use crate::spec::runbook::Trigger;
use crate::world::event::{BookIx, CompIx, FaultIx, StoreIx};
use crate::world::faults::Hooks;
use crate::world::{Event, Slot, World};

impl Model for World<'_> {
    type Event = Event;

    fn handle(&mut self, event: Event, s: &mut Scheduler<Event>) {
        self.now = s.now();
        match event {
            Event::Start => self.start(s),
            Event::DisasterBegins(i) => self.fault(usize::from(i.0), true, s),
            Event::DisasterEnds(i) => self.fault(usize::from(i.0), false, s),
            Event::Store(i, token) => {
                self.with_store(usize::from(i.0), s, |store, cx| store.on_wake(cx, token))
            }
            Event::Component(c, token) => self.component_wake(usize::from(c.0), token, s),
            Event::Runbook(b, seq) => {
                let b = usize::from(b.0);
                let mut out = Vec::new();
                let (book, exec) = (&self.books.books[b], &mut self.books.execs[b]);
                let eval = |c: &_| self.places.eval(&self.nodes, c);
                exec.on_wake(book, seq, self.now, &eval, &mut out);
                self.commands(b, out, s);
            }
            Event::Trigger(b) => self.trigger(usize::from(b.0), s),
            Event::Finish(id) => self.finish_effect(id, s),
            Event::Refresh => {}
        }
        self.settle_actions(s);
        self.refresh(s);
        self.read_gauges(s);
        self.note_exposure();
    }
}

impl World<'_> {
    /// Time zero: stores start, then every provisioned component (in its steady state), then runbooks
    /// that wait for the onset.
    fn start(&mut self, s: &mut Scheduler<Event>) {
        for i in 0..self.nodes.stores.len() {
            self.with_store(i, s, |store, cx| store.start(cx));
            if self.nodes.stores[i].exposed(&self.places.health) == Some(false) {
                self.exposure
                    .push((i, crate::world::timeline::Steps::constant(0.0)));
            }
        }
        for c in 0..self.nodes.comps.len() {
            if self.nodes.provisioned[usize::from(self.nodes.comp_node[c])] {
                self.with_comp(c, s, |comp, cx| comp.start(cx));
            }
        }
        self.schedule_triggers(s);
    }

    /// Calls store `i` with a context, then schedules its wake-ups.
    pub(crate) fn with_store<R>(
        &mut self,
        i: usize,
        s: &mut Scheduler<Event>,
        f: impl FnOnce(&mut dyn DataStore, &mut Ctx<'_>) -> R,
    ) -> R {
        let mut cx = Ctx::new(
            self.now,
            &self.places.health,
            &self.places.catalog,
            &mut self.out,
            &mut self.log,
        )
        .with_existing(&self.nodes.provisioned);
        let result = f(self.nodes.stores[i].as_mut(), &mut cx);
        for (at, token) in self.out.wakeups.drain(..) {
            s.schedule_at(at.max(s.now()), Event::Store(StoreIx(i as u16), token));
        }
        self.apply_requests(s);
        result
    }

    /// Calls component `c` with a context, then schedules its wake-ups and carries out its requests.
    pub(crate) fn with_comp<R>(
        &mut self,
        c: usize,
        s: &mut Scheduler<Event>,
        f: impl FnOnce(&mut dyn Component, &mut Ctx<'_>) -> R,
    ) -> R {
        let mut cx = Ctx::new(
            self.now,
            &self.places.health,
            &self.places.catalog,
            &mut self.out,
            &mut self.log,
        )
        .with_existing(&self.nodes.provisioned);
        let result = f(self.nodes.comps[c].as_mut(), &mut cx);
        for (at, token) in self.out.wakeups.drain(..) {
            s.schedule_at(at.max(s.now()), Event::Component(CompIx(c as u16), token));
        }
        self.apply_requests(s);
        result
    }

    /// Carries out what models asked of the world: a created resource begins from nothing
    /// ([`Component::created`]); a recovered resource's failure clears; capacity bills.
    fn apply_requests(&mut self, s: &mut Scheduler<Event>) {
        for request in std::mem::take(&mut self.out.requests) {
            match request {
                Request::Provision(node) => {
                    self.nodes.provisioned[usize::from(node)] = true;
                    if let Slot::Comp(k) = self.nodes.slots[usize::from(node)] {
                        self.with_comp(k, s, |comp, cx| comp.created(cx));
                    }
                }
                Request::Recover(node) => {
                    if self.places.health.resource_failed(node) {
                        self.places.health.set_resource_failed(node, false);
                        self.health_changed(s);
                    }
                }
                Request::Usage {
                    resource,
                    instances,
                    region,
                } => self.usage.push(Usage {
                    resource,
                    instances,
                    from: self.now,
                    to: self.horizon,
                    region,
                }),
            }
        }
    }

    fn component_wake(&mut self, c: usize, token: u32, s: &mut Scheduler<Event>) {
        let before = self.nodes.comps[c].verdict();
        let name = self.nodes.names[usize::from(self.nodes.comp_node[c])];
        if self.with_comp(c, s, |comp, cx| comp.on_wake(cx, token)) {
            self.trigger_watchers(name, s);
        }
        if before == Some(false) && self.nodes.comps[c].verdict() == Some(true) {
            self.trigger_where(s, |t| matches!(t, Trigger::Recovered(n) if n == name));
        }
    }

    fn schedule_triggers(&mut self, s: &mut Scheduler<Event>) {
        let Some((_, onset)) = self.faults.onset else {
            return;
        };
        for (b, book) in self.books.books.iter().enumerate() {
            let event = Event::Trigger(BookIx(b as u16));
            match &book.trigger {
                Trigger::Onset => {
                    s.schedule_at(onset, event);
                }
                Trigger::Human(notice) => {
                    let mut rng = StreamName::notice(&book.name).stream(&self.streams);
                    s.schedule_at(onset + notice.sample(&mut rng), event);
                }
                Trigger::HealthCheck(_)
                | Trigger::Alarm(_)
                | Trigger::RegionRecovered(_)
                | Trigger::Recovered(_) => {}
            }
        }
    }

    fn trigger(&mut self, b: usize, s: &mut Scheduler<Event>) {
        if self.books.execs[b].triggered() || self.faults.onset.is_none_or(|(_, t)| self.now < t) {
            return;
        }
        if matches!(self.books.books[b].trigger, Trigger::Human(_)) {
            self.log.push(
                self.now,
                &self.books.books[b].name,
                Phase::Detection,
                || "an operator notices the outage".into(),
            );
        }
        let mut out = Vec::new();
        let eval = |c: &_| self.places.eval(&self.nodes, c);
        self.books.execs[b].trigger(&self.books.books[b], self.now, &eval, &mut out);
        self.commands(b, out, s);
    }

    /// Triggers every runbook watching `name` (a health check or alarm that just went bad).
    fn trigger_watchers(&mut self, name: &str, s: &mut Scheduler<Event>) {
        self.trigger_where(
            s,
            |t| matches!(t, Trigger::HealthCheck(n) | Trigger::Alarm(n) if n == name),
        );
    }

    /// Triggers every runbook whose trigger `hit` accepts (each at most once per run, after the onset).
    fn trigger_where(&mut self, s: &mut Scheduler<Event>, hit: impl Fn(&Trigger) -> bool) {
        let hits: Vec<usize> = (0..self.books.books.len())
            .filter(|&b| hit(&self.books.books[b].trigger))
            .collect();
        for b in hits {
            self.trigger(b, s);
        }
    }

    /// Disaster `i` begins or heals: its fault acts through the hooks; then every model hears of it.
    fn fault(&mut self, i: usize, begins: bool, s: &mut Scheduler<Event>) {
        let (drawn, fault) = &self.faults.drawn[i];
        let name = &self.sc.disasters[drawn.index].name;
        let text = if begins {
            fault.describe()
        } else {
            format!("{name} heals")
        };
        self.log.push(self.now, name, Phase::Disaster, || text);
        let down_before = self.recovery_watch();
        let mut hooks = Hooks {
            health: &mut self.places.health,
            data_loss: Vec::new(),
        };
        if begins {
            fault.begin(&mut hooks);
        } else {
            fault.end(&mut hooks);
        }
        for (k, deleted) in std::mem::take(&mut hooks.data_loss) {
            let loss = if deleted {
                DataLoss::Deletion
            } else {
                DataLoss::Corruption
            };
            self.with_store(k, s, |store, cx| store.lose_data(cx, loss));
        }
        self.health_changed(s);
        for (name, r) in down_before {
            if self.places.health.region_up(r) {
                let text = format!("{name} is up again");
                self.log.push(self.now, &name, Phase::Recovery, || text);
                self.trigger_where(
                    s,
                    |t| matches!(t, Trigger::RegionRecovered(n) if *n == name),
                );
            }
        }
    }

    /// The Regions `RegionRecovered` triggers watch that are down now, by name.
    fn recovery_watch(&self) -> Vec<(String, RegionId)> {
        let mut out: Vec<(String, RegionId)> = Vec::new();
        for book in self.books.books.iter() {
            let Trigger::RegionRecovered(name) = &book.trigger else {
                continue;
            };
            if let Some(r) = self.places.catalog.region(name)
                && !self.places.health.region_up(r)
                && !out.iter().any(|(n, _)| n == name)
            {
                out.push((name.clone(), r));
            }
        }
        out
    }

    /// Health changed: every store and every component that exists hears of it (a resource a stack has
    /// not created yet has nothing to lose or replace).
    fn health_changed(&mut self, s: &mut Scheduler<Event>) {
        for k in 0..self.nodes.stores.len() {
            self.with_store(k, s, |store, cx| store.on_health_change(cx));
        }
        for c in 0..self.nodes.comps.len() {
            if self.nodes.provisioned[usize::from(self.nodes.comp_node[c])] {
                self.with_comp(c, s, |comp, cx| comp.on_health_change(cx));
            }
        }
    }

    /// Records, for each store tracked for exposure, whether its data is exposed now.
    fn note_exposure(&mut self) {
        for (k, steps) in &mut self.exposure {
            let exposed = self.nodes.stores[*k].exposed(&self.places.health) == Some(true);
            steps.set(self.now, if exposed { 1.0 } else { 0.0 });
        }
    }

    /// Hands every existing component with a [`Gauge`] its value now (after the refresh, so a flow's
    /// reading includes this instant).
    fn read_gauges(&mut self, s: &mut Scheduler<Event>) {
        for c in 0..self.nodes.comps.len() {
            if !self.nodes.provisioned[usize::from(self.nodes.comp_node[c])] {
                continue;
            }
            let Some(gauge) = self.nodes.comps[c].gauge() else {
                continue;
            };
            let reading = self.reading(gauge);
            self.with_comp(c, s, |comp, cx| comp.read(cx, reading));
        }
    }

    /// A gauge's value now and its slope until the next event. A flow's success ratio is
    /// `Σ_k share_k(t) · ok_k`, where a share is the mean of its answer share over the last TTL: its
    /// slope is `Σ_k ok_k · (answer_k(t) − answer_k(t − TTL)) / TTL`, exact until the next event (ramps end
    /// at scheduled refreshes). A resource is constant between events, and has no data while it does not
    /// exist or its Region is down.
    fn reading(&self, gauge: Gauge) -> Reading {
        match gauge {
            Gauge::Flow(f) => {
                let timeline = &self.flows.list[f].timeline;
                let t = self.now.since_start().as_secs_f64();
                let ttl = timeline.ttl;
                let slope_per_s = if ttl.is_zero() {
                    0.0
                } else {
                    let before = self.now.saturating_sub(ttl);
                    let moving: f64 = (0..timeline.ok.len())
                        .map(|k| {
                            let share = &timeline.answer_share[k];
                            timeline.ok[k].at(self.now) * (share.at(self.now) - share.at(before))
                        })
                        .sum();
                    moving / ttl.as_secs_f64()
                };
                Reading {
                    value: Some(timeline.ratio(t)),
                    slope_per_s,
                }
            }
            // A Route 53 health check publishes its status (HealthCheckStatus: 1 healthy, 0 not) from its
            // global checkers, whatever the Region of what it probes.
            Gauge::Node(node) if self.verdict_of(node).is_some() => Reading {
                value: self.verdict_of(node).map(|v| if v { 1.0 } else { 0.0 }),
                slope_per_s: 0.0,
            },
            Gauge::Node(node) => {
                let i = usize::from(node);
                let region_down = self
                    .node_region(node)
                    .is_some_and(|r| !self.places.health.region_up(r));
                let value = (self.nodes.provisioned[i] && !region_down).then(|| {
                    if self.places.health.status(node).is_some() {
                        0.0
                    } else {
                        self.probe(node, DEFAULT_CLIENT_TIMEOUT).ok
                    }
                });
                Reading {
                    value,
                    slope_per_s: 0.0,
                }
            }
        }
    }

    /// The verdict of `node` if it is a health check.
    fn verdict_of(&self, node: u16) -> Option<bool> {
        match self.nodes.slots[usize::from(node)] {
            Slot::Comp(c) => self.nodes.comps[c].verdict(),
            Slot::Store(_) => None,
        }
    }

    /// The Region resource `node` is placed in (`None` for a global one).
    fn node_region(&self, node: u16) -> Option<RegionId> {
        let name = self.nodes.names[usize::from(node)];
        let catalog = &self.places.catalog;
        match self.sc.resources.get(name)?.service().placement() {
            Placement::Region(r) => catalog.region(r),
            Placement::Az(a) => catalog.az(a).map(|(_, r)| r),
            Placement::Global | Placement::Nowhere => None,
        }
    }
}

/// The event that starts disaster `i`.
pub(crate) fn begins(i: usize) -> Event {
    Event::DisasterBegins(FaultIx(i as u16))
}

/// The event that heals disaster `i`.
pub(crate) fn ends(i: usize) -> Event {
    Event::DisasterEnds(FaultIx(i as u16))
}
