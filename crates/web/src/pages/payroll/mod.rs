//! Pay (issue 6): the salary simulator and its assumptions (`simulator`).

mod simulator;

pub use simulator::*;
