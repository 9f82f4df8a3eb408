//! Essaim's renderers: values in, bytes out, no database and no clock (STYLE 2.13).

pub mod facturx_in;
pub mod pdf;
pub mod sale;
pub mod table;
