//! Essaim's exchange formats with the outside accounting world.
//!
//! Two directions, both pure (no file, network or clock access: bytes in, values out,
//! or values in, bytes appended to a `Vec<u8>`):
//!
//! - [`export`]: the validated ledger, as a list of [`export::BookLine`]s, written as the
//!   French *fichier des écritures comptables* (FEC, domain rules FEC-01 to FEC-05), as an
//!   hledger journal, and as semicolon-separated files for Sage 100, Cegid and Quadra
//!   (column lists in `FORMATS.md`, next to this crate's `Cargo.toml`).
//! - [`bank`]: bank statements (ISO 20022 camt.053, OFX 1.x/2.x, mapped CSV) parsed into a
//!   [`bank::Statement`], or a [`bank::BankError`] carrying a stable code and a file line.
//!
//! - [`cii`]: incoming e-invoices (UN/CEFACT CII, EN 16931) read into the values a supplier
//!   invoice is prefilled with.
//! - [`sepa`]: SEPA credit-transfer files (ISO 20022 pain.001.001.09) to refund expense reports
//!   and pay suppliers.
//!
//! Money is always whole cents in an `i64`; no floating point anywhere.
#![deny(clippy::float_arithmetic)]

pub mod bank;
pub mod cdar;
pub mod cii;
pub mod export;
pub mod ics;
pub mod payslips;
pub mod sepa;
mod text;
pub mod ubl;
pub mod xml;

pub use bank::{
    AmountColumns, BankError, CsvEncoding, CsvMapping, DateFormat, Detected, Statement,
    StatementLine, detect, error_codes, parse_camt053, parse_csv, parse_ofx, write_camt053,
};
pub use export::{
    BookLine, fec_file_name, write_cegid, write_fec, write_hledger, write_quadra, write_sage,
};
