//! Any bytes as a scenario file: the parser and validator must answer without panicking, and whatever
//! validates must build into a world and run (horizon capped at a day to keep each input fast).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::SimDuration;
use sim_core::sweep::run_replication;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(mut scenario) = scenarios::load_text("fuzz.ron", &text) {
        scenario.horizon = scenario.horizon.min(SimDuration::from_hours(24));
        let _ = run_replication(&scenario, scenario.seed, 0, None);
    }
});
