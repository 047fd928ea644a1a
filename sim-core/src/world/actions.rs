//! Carrying out runbooks: their commands (log, wake me, start an action), actions on stores and components
//! with names resolved, timed effects (a `Run` step, a `Repoint` once its time has passed), and settling
//! finished actions back into their runbooks. Whether a store's data is corrupt is the store's to say:
//! the world keeps no copy of it.

use crate::engine::Scheduler;
use crate::engine::time::SimDuration;
use crate::model::stream_name::StreamName;
use crate::model::{
    ActionError, Begun, ComponentAction, PointTarget, RegionId, StoreAction, Ticket, Usage,
};
use crate::runbook::Command;
use crate::spec::limits::MAX_SETTLE_ROUNDS;
use crate::spec::runbook::{Action, RestorePoint};
use crate::world::event::BookIx;
use crate::world::{Effect, Event, World};

impl World<'_> {
    /// Carries out runbook `b`'s commands.
    pub(crate) fn commands(&mut self, b: usize, out: Vec<Command>, s: &mut Scheduler<Event>) {
        for command in out {
            match command {
                Command::Log { phase, text } => {
                    let name = &self.books.books[b].name;
                    self.log.push(self.now, name, phase, || text)
                }
                Command::Wake { token, delay } => {
                    s.schedule_in(delay, Event::Runbook(BookIx(b as u16), token));
                }
                Command::Start { ticket, action } => self.start_action(b, ticket, &action, s),
            }
        }
    }

    fn fail_now(&mut self, ticket: Ticket, error: ActionError) {
        self.out.finished.push((ticket, Err(error)));
    }

    /// Schedules a timed action's end and remembers its effect.
    fn after(
        &mut self,
        delay: SimDuration,
        effect: Effect,
        ticket: Ticket,
        s: &mut Scheduler<Event>,
    ) {
        self.actions.next_effect += 1;
        let id = self.actions.next_effect;
        self.actions.effects.insert(id, (effect, ticket));
        s.schedule_in(delay, Event::Finish(id));
    }

    fn start_action(
        &mut self,
        b: usize,
        ticket: Ticket,
        action: &Action,
        s: &mut Scheduler<Event>,
    ) {
        if let Action::Repoint { store, duration } = action {
            // The change reaches clients after its duration; then the store points them at its writer.
            let Some(k) = self.nodes.store(store) else {
                let e = ActionError::NotApplicable(format!("no data store {store:?}"));
                return self.fail_now(ticket, e);
            };
            let book = &self.books.books[b].name;
            let mut rng =
                StreamName::runbook_step(book, &format!("repoint {store}")).stream(&self.streams);
            let took = duration.sample(&mut rng);
            self.after(took, Effect::Store(k, StoreAction::Repoint), ticket, s);
            return;
        }
        if let Some(request) = self.store_action(action) {
            match request {
                Ok((k, request)) => {
                    if let StoreAction::RestoreSnapshot { region }
                    | StoreAction::RestoreToPoint { region, .. }
                    | StoreAction::AddReplica { region } = request
                    {
                        self.actions.provisions.insert(ticket, (k, region));
                    }
                    self.with_store(k, s, |store, cx| store.begin(cx, ticket, request))
                }
                Err(e) => self.fail_now(ticket, e),
            }
            return;
        }
        let missing =
            |what: &str, name: &str| ActionError::NotApplicable(format!("no {what} {name:?}"));
        let (target, what, request) = match action {
            Action::CreateStack { stack } => (stack, "stack", ComponentAction::CreateStack),
            Action::SetCapacity {
                group,
                desired,
                wait,
            } => (
                group,
                "Auto Scaling group",
                ComponentAction::SetCapacity {
                    desired: *desired,
                    wait: *wait,
                },
            ),
            Action::UpdateDns { record, target } => (
                record,
                "record",
                ComponentAction::UpdateDns {
                    target: self.nodes.node(target),
                    name: target,
                },
            ),
            Action::UpdateCloudFront {
                distribution,
                primary,
            } => (
                distribution,
                "distribution",
                ComponentAction::UpdateCloudFront {
                    primary: self.nodes.node(primary),
                    name: primary,
                },
            ),
            Action::SetRoutingControl { control, state } => (
                control,
                "routing control",
                ComponentAction::SetRoutingControl { on: state.is_on() },
            ),
            Action::Run { what, duration } => {
                let book = &self.books.books[b].name;
                let mut rng = StreamName::runbook_step(book, what).stream(&self.streams);
                let took = duration.sample(&mut rng);
                self.after(took, Effect::Nothing, ticket, s);
                return;
            }
            // Human steps are timed by the runbook itself.
            _ => {
                return self.fail_now(
                    ticket,
                    ActionError::Unsupported("not a world action".into()),
                );
            }
        };
        let Some(c) = self.nodes.comp(target) else {
            return self.fail_now(ticket, missing(what, target));
        };
        match self.with_comp(c, s, |comp, cx| comp.begin(cx, request)) {
            Err(e) => self.fail_now(ticket, e),
            Ok(Begun::Done) => self.out.finished.push((ticket, Ok(()))),
            Ok(Begun::After { delay, token }) => {
                self.after(delay, Effect::Complete(c, token), ticket, s)
            }
            Ok(Begun::UntilReady(arg)) => self.actions.waiting.push((c, arg, ticket)),
        }
    }

    /// A runbook action on a data store, with its names resolved; `None` for other actions.
    fn store_action(&self, action: &Action) -> Option<Result<(usize, StoreAction), ActionError>> {
        let resolve =
            |store: &str, region: Option<&str>, make: &dyn Fn(RegionId) -> StoreAction| {
                let k = self.nodes.store(store).ok_or_else(|| {
                    ActionError::NotApplicable(format!("no data store {store:?}"))
                })?;
                let r =
                    match region {
                        Some(name) => self.places.catalog.region(name).ok_or_else(|| {
                            ActionError::NotApplicable(format!("no Region {name:?}"))
                        })?,
                        None => RegionId(0),
                    };
                Ok((k, make(r)))
            };
        Some(match action {
            Action::Promote { store, region } => resolve(store, Some(region), &|region| {
                StoreAction::Promote { region }
            }),
            Action::FailoverGlobal { store, region } => resolve(store, Some(region), &|region| {
                StoreAction::FailoverGlobal { region }
            }),
            Action::SwitchoverGlobal { store, region } => resolve(store, Some(region), &|region| {
                StoreAction::SwitchoverGlobal { region }
            }),
            Action::ForceFailover { store } => {
                resolve(store, None, &|_| StoreAction::ForceFailover)
            }
            Action::RestoreSnapshot { store, region } => resolve(store, Some(region), &|region| {
                StoreAction::RestoreSnapshot { region }
            }),
            Action::RestoreToPoint {
                store,
                region,
                point,
            } => {
                let target = match point {
                    RestorePoint::Latest => PointTarget::Latest,
                    RestorePoint::BeforeCorruption => PointTarget::BeforeCorruption,
                };
                resolve(store, Some(region), &|region| StoreAction::RestoreToPoint {
                    region,
                    target,
                })
            }
            Action::CopyBackup { store, region } => resolve(store, Some(region), &|region| {
                StoreAction::CopyBackup { region }
            }),
            Action::AddReplica { store, region } => resolve(store, Some(region), &|region| {
                StoreAction::AddReplica { region }
            }),
            _ => return None,
        })
    }

    /// A timed action's time has passed: apply its effect and report it finished.
    pub(crate) fn finish_effect(&mut self, id: u32, s: &mut Scheduler<Event>) {
        let Some((effect, ticket)) = self.actions.effects.remove(&id) else {
            return;
        };
        match effect {
            Effect::Complete(c, token) => self.with_comp(c, s, |comp, cx| comp.complete(cx, token)),
            Effect::Nothing => {}
            // The store reports the outcome itself.
            Effect::Store(k, action) => {
                return self.with_store(k, s, |store, cx| store.begin(cx, ticket, action));
            }
        }
        self.out.finished.push((ticket, Ok(())));
    }

    /// Routes finished actions back to their runbooks, until nothing more happens.
    pub(crate) fn settle_actions(&mut self, s: &mut Scheduler<Event>) {
        for _ in 0..MAX_SETTLE_ROUNDS {
            self.check_waits();
            if self.out.finished.is_empty() {
                return;
            }
            let done: Vec<_> = self.out.finished.drain(..).collect();
            for (ticket, result) in done {
                // A restored instance or an added replica runs (and is paid for) from now to the end of
                // the run. Whether the restored data is good is the store's to say (`data_loss`).
                if let Some((k, region)) = self
                    .actions
                    .provisions
                    .remove(&ticket)
                    .filter(|_| result.is_ok())
                {
                    self.usage.push(Usage {
                        resource: self.nodes.stores[k].name().to_string(),
                        instances: 1,
                        from: self.now,
                        to: self.horizon,
                        region: Some(self.places.catalog.region_name(region).to_string()),
                    });
                }
                let b = usize::from(ticket.book);
                if b >= self.books.execs.len() {
                    continue;
                }
                let mut out = Vec::new();
                let eval = |c: &_| self.places.eval(&self.nodes, c);
                let catalog = &self.places.catalog;
                self.books.execs[b].on_finished(
                    &self.books.books[b],
                    ticket,
                    result.map_err(|e| (e.code(), e.describe(catalog))),
                    self.now,
                    &eval,
                    &mut out,
                );
                self.commands(b, out, s);
            }
        }
    }

    /// Ends the waits of actions whose components are ready now.
    fn check_waits(&mut self) {
        let (now, health) = (self.now, &self.places.health);
        let nodes = &self.nodes;
        let finished = &mut self.out.finished;
        self.actions.waiting.retain(|&(c, arg, ticket)| {
            let ready = nodes.comps[c].ready(now, health, arg);
            if ready {
                finished.push((ticket, Ok(())));
            }
            !ready
        });
    }
}
