//! Electronic invoicing through the cooperative's approved platform (issue 20, EIN-01…41): which
//! way a sale document takes (`channel`) and the lifecycle of an e-invoice (`lifecycle`). The
//! protocol to the platform lives in `essaim-einvoicing`; the rules live here.

pub mod channel;
pub mod connection;
pub mod incoming;
pub mod lifecycle;
pub mod outgoing;
