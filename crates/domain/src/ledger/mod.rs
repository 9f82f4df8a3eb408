//! The cooperative's books (ACC, FEC rules): chart of accounts and journals, entries, periods,
//! automatic postings of business events, and matching bank lines with open documents.

pub mod account;
pub mod entry;
pub mod matching;
pub mod payroll;
pub mod period;
pub mod posting;
pub mod spending;
