//! HTTP tests: the router in process over a fresh SQLite database and a fixed clock.

mod accounts;
mod api;
mod catalogs;
mod cooperatives;
mod jobs;
mod matrix;
mod security;
