//! Pay (issue 6): the salary simulator and its assumptions (`simulator`), the contribution's
//! policies (`contribution`) and the activity account they feed (`account`); the month's payroll
//! prepared for the bureau and its payslips imported (`months`).

pub mod account;
pub mod contribution;
pub mod months;
pub mod overview;
mod simulator;

pub use simulator::*;
