//! Sale documents: the lists of quotes and invoices (an activity's or the cooperative's), the
//! draft form with its lines, the document page with its actions (validate, send, accept,
//! deposit, final invoice, credit note, payment), the PDF and XML downloads, the ageing of
//! receivables, and the public page where a customer accepts a quote.

mod actions;
mod archives;
mod form;
mod lists;
mod public;
mod show;

pub use actions::*;
pub use archives::*;
pub use form::*;
pub use lists::*;
pub use public::*;
pub use show::*;

use crate::pages::prelude::*;
use crate::state::AppState;
use crate::view::{datetime, download, money, price_text, stored_price};
use axum::extract::State;
use essaim_app::records::{DocFilter, DocRecord};
use essaim_app::selling::docs::{DocInput, PaymentInput, SaleView};
use essaim_app::selling::{docs, render as sale_render};
use essaim_app::{activities, selling};
use essaim_domain::access::{Permission, Target};
use essaim_domain::ids::{ActivityId, CatalogItemId, CustomerId, SaleDocId};
use essaim_domain::money::Money;
use essaim_domain::selling::payment::PaymentMode;
use essaim_domain::selling::terms::fr_date;
use essaim_domain::selling::{DisplayStatus, DocKind, LineInput, unit, vat};

fn kind_label(t: crate::i18n::Tr, kind: &str) -> String {
    t.get(&format!("sale_kind.{kind}")).to_owned()
}

fn status_label(t: crate::i18n::Tr, s: DisplayStatus) -> String {
    t.get(&format!("sale_status.{}", s.code())).to_owned()
}
