//! The data-store models driven through time by a small stand-in for the world: failovers, replication
//! cut-offs, corruption and restores, and their calibrated defaults over 1,000 seeds.

// Probes and read ratios here are exact small values (0, 1, a Region index): exact comparison is intended.
#![allow(clippy::float_cmp)]

mod aurora;
mod dynamodb;
mod harness;
mod rds;
mod s3;
