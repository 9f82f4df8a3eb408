//! Pay (issue 6): the salary simulator and its assumptions (`simulator`), the contribution's
//! policies (`contribution`) and the activity account they feed (`account`).

pub mod account;
pub mod contribution;
mod simulator;

pub use simulator::*;
