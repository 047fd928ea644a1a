//! A replication's cost follows its state changes, not its simulated time: a 30-day horizon handles at most
//! twice the events of a 1-day one (no ticking; backup schedules are computed, not stepped).

use sim_core::sweep::run_replication;

use crate::load;

fn events(name: &str, horizon: &str) -> u64 {
    let sc = load(name, &[&format!("horizon={horizon}")]);
    (0..20)
        .map(|r| run_replication(&sc, 1, r, None).unwrap().events)
        .sum()
}

#[test]
fn thirty_days_cost_at_most_twice_one_day() {
    for name in [
        "securecart-pitr",
        "securecart-multi-az",
        "securecart-read-replica",
        "unishop-hot-standby",
    ] {
        let (day, month) = (events(name, "1d"), events(name, "30d"));
        assert!(
            month <= 2 * day,
            "{name}: {day} events over 1 day but {month} over 30 days"
        );
    }
}

#[test]
fn backup_schedules_do_not_tick() {
    // Backups every 4 hours for 30 days would be 180 events per store if they were stepped.
    let (short, long) = (
        events("backup-restore", "2d"),
        events("backup-restore", "30d"),
    );
    assert!(
        long <= 2 * short,
        "{short} events over 2 days, {long} over 30"
    );
}
