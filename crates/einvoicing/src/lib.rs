//! Essaim's link to the cooperative's approved e-invoicing platform (*plateforme agréée*, issue
//! 20, EIN-03): the shapes of the AFNOR XP Z12-013 Flow and Directory services (`wire`), a client
//! that any platform following the standard answers (`client`), and a conformance platform that
//! speaks the same protocol for the tests and the demo (`conformance`). The rules of e-invoicing
//! (which channel, which statuses) are the domain's; this crate only talks.

pub mod client;
pub mod conformance;
pub mod wire;

pub use client::{Client, Connection, PaError, Reachability};
