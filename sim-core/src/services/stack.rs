//! CloudFormation: how long creating a stack takes when infrastructure is rebuilt from code at recovery.
//!
//! Defaults are log-normal around the AWS DR workshop's observed stack times (C26), with the median at the
//! workshop figure and the 99th percentile at twice it (assumption: the workshop gives single figures).
//!
//! Behaviours (rows in `docs/calibration.md`): `CreateStack` needs the Region's control plane; a stack is
//! created once (a second `CreateStack` of the same name fails, as CloudFormation answers
//! `AlreadyExistsException`); its resources do not exist until it is `CREATE_COMPLETE` (simplification:
//! all of them appear then, not one by one), and nothing can be done to them before (a record edit to them
//! or a capacity change fails). CloudFormation completes an instance or a group without a creation policy
//! once it is launched, not once it serves: the instances then boot (`launch`).

use crate::engine::rng::Stream;
use crate::engine::time::SimDuration;
use crate::model::action::ActionError;
use crate::model::component::{Begun, Component, ComponentAction};
use crate::model::ctx::{Ctx, Phase, Request};
use crate::model::place::Catalog;
use crate::model::place::RegionId;
use crate::model::price::PriceBook;
use crate::model::service::{BuildCx, BuildError, Runtime};
use crate::model::service::{Placement, Reference, Service};
use crate::model::stream_name::StreamName;
use crate::services::checks::{ConfigError, Errors};
use crate::spec::resources::stack::{StackConfig, StackKind};

impl StackConfig {
    /// Checks that a custom stack has a duration and that the duration is well formed.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        let mut errors = Errors::default();
        match &self.duration {
            Some(dist) => errors.dist("stack.duration", dist, false),
            None => errors.check(
                self.kind != StackKind::Custom,
                "stack.duration",
                "missing",
                "given for a Custom stack, e.g. LogNormal(\"5m\", \"10m\")",
            ),
        }
        errors.finish()
    }

    /// Draws a creation time (zero for a custom stack without a duration, which `validate` rejects).
    pub fn creation_time(&self, rng: &mut Stream) -> SimDuration {
        self.duration
            .clone()
            .or_else(|| self.kind.default_duration())
            .map_or(SimDuration::ZERO, |d| d.sample(rng))
    }
}

impl Service for StackConfig {
    fn build<'s>(&'s self, cx: &BuildCx<'_, 's>) -> Result<Runtime<'s>, BuildError> {
        self.validate().map_err(|e| cx.invalid(&e))?;
        Ok(Runtime::Component(Box::new(Stack {
            name: cx.name,
            cfg: self,
            region: cx.region(&self.region)?,
            resources: self
                .resources
                .iter()
                .map(|r| cx.index_of(r, "resource"))
                .collect::<Result<_, _>>()?,
            rng: StreamName::resource(cx.name).stream(cx.streams),
            begun: false,
        })))
    }

    fn placement(&self) -> Placement<'_> {
        Placement::Region(&self.region)
    }

    fn references(&self) -> Vec<Reference<'_>> {
        self.resources
            .iter()
            .map(|r| Reference::dependency(r, "resource"))
            .collect()
    }

    fn check(&self, _name: &str, _catalog: &Catalog) -> Vec<String> {
        self.validate()
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn creates(&self) -> &[String] {
        &self.resources
    }

    /// A stack costs nothing until it is created; then its resources bill (see [`Service::hourly`]).
    fn price(&self, _name: &str, _home: &str, _book: &mut dyn PriceBook) {}

    fn hourly(&self, _name: &str, region: &str, book: &mut dyn PriceBook) -> f64 {
        self.resources
            .iter()
            .map(|member| book.hourly_of(member, region))
            .sum()
    }
}

/// A stack at run time: the resources it creates and where.
pub struct Stack<'s> {
    name: &'s str,
    cfg: &'s StackConfig,
    region: RegionId,
    resources: Vec<u16>,
    rng: Stream,
    /// Whether a runbook has created it (or is creating it).
    begun: bool,
}

impl Component for Stack<'_> {
    fn name(&self) -> &str {
        self.name
    }

    fn begin(
        &mut self,
        cx: &mut Ctx<'_>,
        action: ComponentAction<'_>,
    ) -> Result<Begun, ActionError> {
        let ComponentAction::CreateStack = action else {
            return Err(ActionError::Unsupported("not an action of a stack".into()));
        };
        if self.begun {
            let name = self.name;
            return Err(ActionError::NotApplicable(format!(
                "stack {name} already exists (CloudFormation answers AlreadyExistsException)"
            )));
        }
        if !cx.health.control_plane_up(self.region) {
            return Err(ActionError::ControlPlaneDown(self.region));
        }
        self.begun = true;
        let took = self.cfg.creation_time(&mut self.rng);
        let stack = self.name;
        cx.log(stack, Phase::Recovery, || {
            format!(
                "CloudFormation creates stack {stack} (takes {})",
                took.human()
            )
        });
        Ok(Begun::After {
            delay: took,
            token: 0,
        })
    }

    fn complete(&mut self, cx: &mut Ctx<'_>, _token: u32) {
        for &r in &self.resources {
            cx.request(Request::Provision(r));
        }
        let name = self.name;
        cx.log(name, Phase::Recovery, || format!("stack {name} created"));
        cx.request(Request::Usage {
            resource: name.to_string(),
            instances: 1,
            region: None,
        });
    }

    fn creates(&self) -> &[u16] {
        &self.resources
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dist::Dist;

    use crate::engine::time::SimDuration;

    use crate::services::testing::{messages, rng};

    fn stack(kind: StackKind) -> StackConfig {
        StackConfig {
            region: "us-west-2".into(),
            resources: vec![],
            kind,
            duration: None,
        }
    }

    #[test]
    fn medians_match_the_workshop() {
        let mut r = rng(9);
        for (kind, minutes) in [
            (StackKind::Network, 5.0),
            (StackKind::Web, 5.0),
            (StackKind::DatabasePrimary, 20.0),
            (StackKind::DatabaseSecondary, 10.0),
        ] {
            let s = stack(kind);
            let mut xs: Vec<SimDuration> = (0..2_001).map(|_| s.creation_time(&mut r)).collect();
            xs.sort_unstable();
            let median = xs[1_000].as_secs_f64() / 60.0;
            assert!(
                (median / minutes - 1.0).abs() < 0.08,
                "{kind:?}: {median} min"
            );
        }
    }

    #[test]
    fn custom_needs_a_duration() {
        assert_eq!(
            messages(stack(StackKind::Custom).validate()),
            [
                "stack.duration is missing, but must be given for a Custom stack, e.g. LogNormal(\"5m\", \"10m\")"
            ]
        );
        let custom = StackConfig {
            duration: Some(Dist::fixed("3m")),
            ..stack(StackKind::Custom)
        };
        assert!(custom.validate().is_ok());
        assert_eq!(custom.creation_time(&mut rng(1)), SimDuration::from_mins(3));
    }
}
