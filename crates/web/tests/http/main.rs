//! HTTP tests: the router in process over a fresh SQLite database and a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed step should stop the test loudly

mod accounts;
mod activities;
mod api;
mod api_coaching;
mod api_sales;
mod books;
mod catalogs;
mod coaching;
mod coaching_report;
mod competences;
mod contracts;
mod cooperatives;
mod directory;
mod documents;
mod einvoicing;
mod einvoicing_receiving;
mod einvoicing_sending;
mod facturx;
mod homes;
mod jobs;
mod matrix;
mod notifications;
mod numbering;
mod payroll;
mod people;
mod privacy;
mod security;
mod selling;
mod spending;
mod trainings;
mod workshops;
