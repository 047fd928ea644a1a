//! A tiny stand-in for the world: drives one store through time (wake-ups in order, health changes,
//! actions) and records write acceptance from clients the way the world's write flows will.

use std::collections::BTreeMap;

use sim_core::model::place::{AzId, Health, RegionId};
use sim_core::model::store::DataLoss;
use sim_core::model::{
    ActionError, Catalog, Ctx, DataStore, LogEntry, StepLog, StoreAction, Ticket,
};
use sim_core::model::{BuildCx, Outbox, Runtime};
use sim_core::spec::Resource;
use sim_core::spec::runbook::Probe;
use sim_core::{CopyId, RngStreams, Settlement, SimDuration, SimTime};

pub const EAST: RegionId = RegionId(0);
pub const WEST: RegionId = RegionId(1);
pub const EU: RegionId = RegionId(2);

/// us-east-1 (a, b, c), us-west-2 (a, b, c), eu-west-1 (a).
pub fn catalog() -> Catalog {
    let mut c = Catalog::new();
    for (region, azs) in [
        ("us-east-1", "abc"),
        ("us-west-2", "abc"),
        ("eu-west-1", "a"),
    ] {
        let id = c.add_region(region);
        for az in azs.chars() {
            c.add_az(&format!("{region}{az}"), id);
        }
    }
    c
}

/// The AZ called `name`.
pub fn az(name: &str) -> AzId {
    catalog().az(name).expect("known az").0
}

pub fn secs(s: u64) -> SimTime {
    SimTime::at(SimDuration::from_secs(s))
}

pub fn mins(m: u64) -> SimTime {
    SimTime::at(SimDuration::from_mins(m))
}

/// One store and the world around it.
pub struct Harness {
    pub store: Box<dyn DataStore>,
    pub health: Health,
    pub now: SimTime,
    pub log: StepLog,
    pub finished: Vec<(Ticket, Result<(), ActionError>)>,
    /// `(time, sequence) → token`: wake-ups in time order, FIFO at equal times.
    wakes: BTreeMap<(SimTime, u64), u32>,
    seq: u64,
    /// Clients writing: `(Region, writes/s)`.
    clients: Vec<(RegionId, f64)>,
    /// What the ledger was last told: copy → rate.
    accepting: BTreeMap<CopyId, f64>,
    next_ticket: u32,
}

impl Harness {
    /// Builds `config` as store "db" with seed `seed`; clients in `clients` write at their rates.
    pub fn new(config: Resource, seed: u64, clients: &[(RegionId, f64)]) -> Harness {
        Harness::at_index(config, seed, clients, 0)
    }

    /// As [`Harness::new`], the store being resource number `index` of its world (what `fail(resource)`
    /// disasters name).
    pub fn at_index(
        config: Resource,
        seed: u64,
        clients: &[(RegionId, f64)],
        index: u16,
    ) -> Harness {
        let streams = RngStreams::new(seed, 0);
        let scenario = sim_core::spec::Scenario::default();
        let catalog = catalog();
        let cx = BuildCx {
            name: "db",
            index,
            catalog: &catalog,
            streams: &streams,
            scenario: &scenario,
            resolve: &|_| None,
        };
        let Ok(Runtime::Store(store)) = config.service().build(&cx) else {
            panic!("a valid store config")
        };
        let mut h = Harness {
            store,
            health: Health::new(),
            now: SimTime::ZERO,
            log: StepLog::new(),
            finished: Vec::new(),
            wakes: BTreeMap::new(),
            seq: 0,
            clients: clients.to_vec(),
            accepting: BTreeMap::new(),
            next_ticket: 0,
        };
        h.call(|s, ctx| s.start(ctx));
        h
    }

    /// Calls the store with a context at `now`, then files its wake-ups and refreshes acceptance.
    fn call(&mut self, f: impl FnOnce(&mut dyn DataStore, &mut Ctx<'_>)) {
        let mut out = Outbox::default();
        let catalog = catalog();
        {
            let mut ctx = Ctx::new(self.now, &self.health, &catalog, &mut out, &mut self.log);
            f(self.store.as_mut(), &mut ctx);
        }
        self.finished.extend(out.finished);
        for (at, token) in out.wakeups {
            self.wakes.insert((at, self.seq), token);
            self.seq += 1;
        }
        self.refresh();
    }

    /// Tells the ledger which copies acknowledge writes at what rate now.
    fn refresh(&mut self) {
        let mut rates: BTreeMap<CopyId, f64> = BTreeMap::new();
        for &(region, rate) in &self.clients {
            if let Some((copy, ok)) = self.store.write_route(&self.health, region) {
                *rates.entry(copy).or_default() += rate * ok;
            }
        }
        let copies: Vec<CopyId> = self.accepting.keys().chain(rates.keys()).copied().collect();
        for copy in copies {
            let (old, new) = (
                self.accepting.get(&copy).copied(),
                rates.get(&copy).copied(),
            );
            if old != new {
                self.store
                    .ledger_mut()
                    .set_acceptance(copy, self.now, new.unwrap_or(0.0));
            }
        }
        self.accepting = rates;
    }

    /// Runs wake-ups due up to `t`, then moves the clock to `t`.
    pub fn run_until(&mut self, t: SimTime) {
        while let Some((&(at, seq), &token)) = self.wakes.iter().next() {
            if at > t {
                break;
            }
            self.wakes.remove(&(at, seq));
            self.now = at;
            self.call(|s, ctx| s.on_wake(ctx, token));
        }
        self.now = self.now.max(t);
    }

    /// Pending wake-ups.
    pub fn pending(&self) -> usize {
        self.wakes.len()
    }

    /// At `t`, changes health and tells the store.
    pub fn at(&mut self, t: SimTime, change: impl FnOnce(&mut Health)) {
        self.run_until(t);
        change(&mut self.health);
        self.call(|s, ctx| s.on_health_change(ctx));
    }

    /// A corruption at `t`.
    pub fn corrupt_at(&mut self, t: SimTime) {
        self.run_until(t);
        self.call(|s, ctx| s.lose_data(ctx, DataLoss::Corruption));
    }

    /// A delete of the table or database at `t`.
    pub fn delete_at(&mut self, t: SimTime) {
        self.run_until(t);
        self.call(|s, ctx| s.lose_data(ctx, DataLoss::Deletion));
    }

    /// What clients in `from` find in the data now.
    pub fn data_loss(&self, from: RegionId) -> Option<DataLoss> {
        self.store.data_loss(&self.health, from)
    }

    /// Begins `action` at `t`; returns its ticket.
    pub fn begin_at(&mut self, t: SimTime, action: StoreAction) -> Ticket {
        self.run_until(t);
        let ticket = Ticket {
            book: 0,
            seq: self.next_ticket,
        };
        self.next_ticket += 1;
        self.call(|s, ctx| s.begin(ctx, ticket, action));
        ticket
    }

    /// Runs until `ticket` finishes (or nothing is pending); returns its result and when it finished.
    pub fn wait(&mut self, ticket: Ticket) -> (Result<(), ActionError>, SimTime) {
        loop {
            if let Some((_, r)) = self.finished.iter().find(|(t, _)| *t == ticket) {
                return (r.clone(), self.now);
            }
            let Some((&(at, _), _)) = self.wakes.iter().next() else {
                panic!(
                    "ticket {ticket:?} never finished; log: {:#?}",
                    self.log.entries()
                );
            };
            self.run_until(at);
        }
    }

    /// When writes from `from` next succeed, running wake-ups until then (`None` if never).
    pub fn writes_resume(&mut self, from: RegionId) -> Option<SimTime> {
        loop {
            if self.store.write_route(&self.health, from).is_some() {
                return Some(self.now);
            }
            let (&(at, _), _) = self.wakes.iter().next()?;
            self.run_until(at);
        }
    }

    pub fn probe(&self, what: &str) -> f64 {
        let probe = Probe::ALL
            .iter()
            .find(|(_, name)| *name == what)
            .map(|(p, _)| *p)
            .expect("known probe");
        self.store
            .probe(&self.health, probe)
            .expect("probe answered")
    }

    /// Settles the ledger at `until`, RPO measured from `disaster`; checks the ledger's invariant.
    pub fn settle(&mut self, until: SimTime, disaster: SimTime) -> Settlement {
        self.run_until(until);
        let mut rng = RngStreams::new(0, 0).named("db/ledger");
        let s = self.store.settle(until, disaster, &mut rng);
        assert_eq!(s.lost + s.surviving, s.acknowledged, "{s:?}");
        s
    }

    /// The log, for failure messages.
    pub fn entries(&self) -> &[LogEntry] {
        self.log.entries()
    }
}

/// The `p`-th percentile (0–100) of `xs`.
pub fn percentile(xs: &mut [f64], p: usize) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[(xs.len() * p / 100).min(xs.len() - 1)]
}

/// The number of proptest cases: `DRSIM_PROPTEST_CASES`, else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("DRSIM_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
