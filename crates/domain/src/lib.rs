//! Essaim's domain: the rules of a Coopérative d'activités et d'emploi, as pure functions and values.
//! Knows nothing of storage, HTTP, rendering or the clock: time and legal figures are parameters (GEN-01).
#![deny(
    clippy::float_arithmetic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

pub mod access;
pub mod account;
pub mod activity;
pub mod coaching;
pub mod contract;
pub mod cooperative;
pub mod directory;
pub mod document;
pub mod einvoicing;
pub mod governance;
pub mod home;
pub mod identifiers;
pub mod ids;
pub mod input;
pub mod ledger;
pub mod money;
pub mod params;
pub mod path;
pub mod payroll;
pub mod person;
pub mod selling;
pub mod spending;
pub mod validation;

pub use validation::{FieldError, FieldErrors};
