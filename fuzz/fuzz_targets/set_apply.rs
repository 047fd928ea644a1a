//! Any `--set PATH=VALUE` on a built-in (the first byte picks which): applied or refused, never a panic;
//! whatever validates afterwards must run.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::SimDuration;
use sim_core::sweep::run_replication;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(assignment) = std::str::from_utf8(rest) else { return };
    let name = scenarios::BUILTINS[pick as usize % scenarios::BUILTINS.len()].0;
    let Ok(base) = scenarios::load(name, &[]) else { return };
    if scenarios::set::apply(&base, assignment).is_ok()
        && let Ok(mut scenario) = scenarios::load(name, &[assignment.to_string()])
    {
        scenario.horizon = scenario.horizon.min(SimDuration::from_hours(24));
        let _ = run_replication(&scenario, scenario.seed, 0, None);
    }
});
