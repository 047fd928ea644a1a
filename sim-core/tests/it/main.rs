//! sim-core's integration tests: one binary, a module per behaviour.

mod alarms;
mod compute;
mod cost;
mod determinism;
mod e2e;
mod edge;
mod engine_bounds;
mod format_reference;
mod layering;
mod ordering;
mod refusals;
mod stacks;
mod stores;
mod streams;
mod time;

/// Parses scenario text the way the CLI does (implicit `Some`, unwrapped newtype variants); panics with
/// the error and the text, since a test's own scenario is wrong if it does not parse.
pub fn parse_scenario(text: &str) -> sim_core::spec::Scenario {
    let extensions = ron::extensions::Extensions::IMPLICIT_SOME
        .union(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES);
    ron::Options::default()
        .with_default_extension(extensions)
        .from_str(text)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
}
