//! Durations round-trip through their human form and through serde.

use proptest::prelude::*;
use sim_core::{SimDuration, SimTime};

proptest! {
    #[test]
    fn display_then_parse_is_identity(us in any::<u64>()) {
        let d = SimDuration::from_micros(us);
        prop_assert_eq!(d.to_string().parse::<SimDuration>(), Ok(d));
    }

    #[test]
    fn time_plus_duration_is_monotone(t in any::<u64>(), d in any::<u64>()) {
        let at = SimTime::from_micros(t);
        prop_assert!(at + SimDuration::from_micros(d) >= at);
    }
}
