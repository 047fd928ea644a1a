//! Building a world for one replication: places, every resource's model through its service's build hook,
//! flows, the drawn disasters and the compiled runbooks.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::engine::rng::RngStreams;
use crate::engine::time::{SimDuration, SimTime};
use crate::model::{BuildCx, BuildError, Catalog, Health, Outbox, RegionId, Runtime, StepLog};
use crate::runbook::{Execution, Runbook};
use crate::spec::Scenario;
use crate::spec::limits::{MAX_AZS, MAX_REGIONS, MAX_RESOURCES};
use crate::world::faults::{self, Names};
use crate::world::timeline::{FlowTimeline, Steps};
use crate::world::{Actions, Books, Faults, FlowRt, Flows, Nodes, Places, Slot, World};

impl<'s> World<'s> {
    /// Builds the world of `scenario` for one replication. Only the disasters in `active` are injected.
    pub fn build(
        sc: &'s Scenario,
        seed: u64,
        replication: u64,
        active: &[usize],
    ) -> Result<World<'s>, BuildError> {
        World::build_with(sc, &compile_runbooks(sc)?, seed, replication, active)
    }

    /// [`World::build`] with the scenario's runbooks already compiled (by [`compile_runbooks`]), as a
    /// sweep does once for all its replications.
    pub fn build_with(
        sc: &'s Scenario,
        books: &Arc<[Runbook]>,
        seed: u64,
        replication: u64,
        active: &[usize],
    ) -> Result<World<'s>, BuildError> {
        let streams = RngStreams::new(seed, replication);
        let azs: usize = sc.regions.iter().map(|r| r.azs.len()).sum();
        if sc.regions.len() > MAX_REGIONS || azs > MAX_AZS {
            return Err(BuildError::Invalid {
                resource: "regions".into(),
                reason: format!(
                    "{} Regions and {azs} AZs; drsim supports at most {MAX_REGIONS} of each",
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
        let catalog = Catalog::of(&sc.regions);
        let names: Vec<&'s str> = sc.resources.keys().map(String::as_str).collect();
        let index: BTreeMap<&'s str, u16> = names
            .iter()
            .enumerate()
            .map(|(i, &n)| (n, i as u16))
            .collect();
        let resolve = |name: &str| index.get(name).copied();
        let mut nodes = Nodes {
            names: names.clone(),
            index: index.clone(),
            slots: Vec::with_capacity(names.len()),
            stores: Vec::new(),
            comps: Vec::new(),
            comp_node: Vec::new(),
            provisioned: vec![true; names.len()],
        };
        for (i, (name, resource)) in sc.resources.iter().enumerate() {
            let cx = BuildCx {
                name,
                index: i as u16,
                catalog: &catalog,
                streams: &streams,
                scenario: sc,
                resolve: &resolve,
            };
            match resource.service().build(&cx)? {
                Runtime::Store(store) => {
                    nodes.slots.push(Slot::Store(nodes.stores.len()));
                    nodes.stores.push(store);
                }
                Runtime::Component(comp) => {
                    nodes.slots.push(Slot::Comp(nodes.comps.len()));
                    nodes.comp_node.push(i as u16);
                    nodes.comps.push(comp);
                }
            }
        }
        // Resources a stack creates do not exist until the stack completes.
        for comp in &nodes.comps {
            for &r in comp.creates() {
                nodes.provisioned[usize::from(r)] = false;
            }
        }
        let flows = Flows {
            list: sc
                .flows
                .iter()
                .enumerate()
                .map(|(i, f)| flow(&nodes, &catalog, i, f))
                .collect::<Result<_, _>>()?,
            accepting: BTreeMap::new(),
        };
        let store_of = |name: &str| nodes.store(name);
        let fault_names = Names {
            catalog: &catalog,
            node: &resolve,
            store: &store_of,
        };
        let drawn: Vec<_> = active
            .iter()
            .map(|&i| {
                let config = &sc.disasters[i];
                (
                    faults::draw(config, i, &streams),
                    faults::fault(&config.kind, &fault_names),
                )
            })
            .collect();
        let onset = drawn
            .iter()
            .map(|(d, _)| d)
            .min_by_key(|d| (d.onset, d.index))
            .map(|d| (d.index, d.onset));
        let books = Arc::clone(books);
        let execs = (0..books.len())
            .map(|i| Execution::new(i, &streams))
            .collect();
        Ok(World {
            sc,
            places: Places {
                catalog,
                health: Health::new(),
            },
            nodes,
            flows,
            faults: Faults { drawn, onset },
            books: Books { books, execs },
            actions: Actions::default(),
            out: Outbox::default(),
            log: StepLog::new(),
            usage: Vec::new(),
            streams,
            horizon: SimTime::at(sc.horizon),
            now: SimTime::ZERO,
            memos: Default::default(),
            exposure: Vec::new(),
        })
    }

    /// Replaces the step log (a quiet one for sweeps: same events, no text).
    pub fn set_log(&mut self, log: StepLog) {
        self.log = log;
    }
}

/// Flow `i` at run time: its entry and, when that is a DNS record, the record's targets and TTL; its client
/// Regions and their shares.
fn flow(
    nodes: &Nodes<'_>,
    catalog: &Catalog,
    i: usize,
    f: &crate::spec::FlowConfig,
) -> Result<FlowRt, BuildError> {
    let by = format!("flow {:?}", f.name);
    let unknown = |what: &'static str, name: &str| BuildError::Unknown {
        what,
        name: name.to_string(),
        referenced_by: by.clone(),
    };
    let entry = nodes
        .node(&f.entry)
        .ok_or_else(|| unknown("entry", &f.entry))?;
    let (store, store_node) = match &f.store {
        Some(s) => {
            let node = nodes.node(s).ok_or_else(|| unknown("store", s))?;
            match nodes.slots[usize::from(node)] {
                Slot::Store(k) => (Some(k), Some(node)),
                Slot::Comp(_) => {
                    return Err(BuildError::Invalid {
                        resource: s.clone(),
                        reason: format!("{by} uses it as a data store, but it is not one"),
                    });
                }
            }
        }
        None => (None, None),
    };
    let mut clients = Vec::new();
    for (name, share) in f.client_shares() {
        let region = catalog
            .region(name)
            .ok_or_else(|| unknown("Region", name))?;
        clients.push((region, share));
    }
    if clients.is_empty() {
        clients.push((RegionId(0), 1.0));
    }
    clients.sort_by_key(|&(r, _)| r);
    let dns = match nodes.slots[usize::from(entry)] {
        Slot::Comp(c) => nodes.comps[c]
            .dns()
            .map(|d| (c, d.targets().to_vec(), d.ttl())),
        Slot::Store(_) => None,
    };
    let (entry_record, targets, ttl) = match dns {
        Some((c, targets, ttl)) => (Some(c), targets, ttl),
        None => (None, vec![entry], SimDuration::ZERO),
    };
    let n = targets.len();
    // Before the first refresh every client Region holds the first answer.
    let timeline = FlowTimeline {
        ttl,
        answer_share: clients
            .iter()
            .flat_map(|&(_, w)| (0..n).map(move |k| Steps::constant(if k == 0 { w } else { 0.0 })))
            .collect(),
        ok: (0..n * clients.len())
            .map(|_| Steps::constant(1.0))
            .collect(),
    };
    Ok(FlowRt {
        index: i,
        entry_record,
        targets,
        clients,
        timeout: f.timeout,
        store,
        store_node,
        timeline,
    })
}

/// Compiles the scenario's runbooks, in scenario order.
pub fn compile_runbooks(sc: &Scenario) -> Result<Arc<[Runbook]>, BuildError> {
    sc.runbooks
        .iter()
        .map(|r| {
            Runbook::compile(r).map_err(|e| BuildError::Invalid {
                resource: r.name.clone(),
                reason: e.to_string(),
            })
        })
        .collect()
}
