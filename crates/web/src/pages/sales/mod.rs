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

use crate::error::{PageResult, render};
use crate::extract::{Ctx, Id};
use crate::forms;
use crate::paths;
use crate::state::AppState;
use crate::view::{
    Choice, Errors, Layout, Page, datetime, download, money, price_text, stored_price,
};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use essaim_app::App;
use essaim_app::records::{DocFilter, DocRecord};
use essaim_app::selling::docs::{self, DocInput, PaymentInput, SaleView};
use essaim_app::selling::{self, render as sale_render};
use essaim_app::{AppError, CoopActor, activities};
use essaim_domain::access::{Permission, Target};
use essaim_domain::ids::{ActivityId, CatalogItemId, CustomerId, SaleDocId};
use essaim_domain::money::Money;
use essaim_domain::selling::payment::PaymentMode;
use essaim_domain::selling::terms::fr_date;
use essaim_domain::selling::{DisplayStatus, DocKind, LineInput, unit, vat};
use serde::Deserialize;

fn kind_label(t: crate::i18n::Tr, kind: &str) -> String {
    t.get(&format!("sale_kind.{kind}")).to_owned()
}

fn status_label(t: crate::i18n::Tr, s: DisplayStatus) -> String {
    t.get(&format!("sale_status.{}", s.code())).to_owned()
}
