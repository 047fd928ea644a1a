//! Any text as a `--budget`: parsed or refused, never a panic.
#![no_main]

use std::str::FromStr;

use libfuzzer_sys::fuzz_target;
use sim_core::budget::Budget;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Budget::from_str(text);
    }
});
