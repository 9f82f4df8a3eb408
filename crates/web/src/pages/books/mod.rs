//! The cooperative's books (issue 7): periods and their closing, the trial balance, the general
//! ledger, the journals and their entries, manual entries, the analytic balance per activity,
//! the monthly VAT summary, the chart of accounts and journals, and the bank statements with
//! their matching queue. Reading needs `books.read`; keeping the books `books.manage`; closing
//! `books.close` (the route table says so, the use cases check again).

mod analytic;
mod balance;
mod chart;
mod entries;
mod home;
mod ledger;
mod manual;
mod statements;
mod vat;

pub use analytic::*;
pub use balance::*;
pub use chart::*;
pub use entries::*;
pub use home::*;
pub use ledger::*;
pub use manual::*;
pub use statements::*;
pub use vat::*;

use crate::i18n::Tr;
use crate::pages::prelude::*;
use crate::view::{datetime, download, money, table_file, unprocessable};
use axum::extract::Multipart;
use essaim_app::books;
use essaim_app::books::exports::JournalFormat;
use essaim_app::books::views::Span;
use essaim_app::books::{
    AccountInput, JournalInput, ManualEntryInput, ManualLineInput, bank, exports, views,
};
use essaim_app::exports::Table;
use essaim_app::records::{EntryFilter, EntryRecord, JournalRecord};
use essaim_domain::FieldErrors;
use essaim_domain::access::Permission;
use essaim_domain::ids::EntryId;
use essaim_domain::ledger::account::{AccountNumber, JournalRole, class_of};
use essaim_domain::ledger::period::{month_end, month_start};
use essaim_domain::person::parse_date;
use essaim_domain::selling::terms::fr_date;
use std::collections::{BTreeMap, HashMap};
use time::Date;

/// A debit or credit cell: empty when nothing.
fn amount(cents: i64) -> String {
    if cents == 0 {
        String::new()
    } else {
        money(cents)
    }
}

/// An amount in a file: `1234.56`, `-0.50`.
fn dec(cents: i64) -> String {
    essaim_domain::money::Money::eur(cents).decimal()
}

/// An amount as typed in a French form: `1234,56`.
fn typed(cents: i64) -> String {
    if cents == 0 {
        String::new()
    } else {
        essaim_domain::money::Money::eur(cents).typed_fr()
    }
}

/// `janvier 2026`.
fn month_label(t: Tr, d: Date) -> String {
    crate::view::month(t, d.year(), d.month())
}

fn role_label(t: Tr, role: &str) -> String {
    t.get(&format!("books.role.{role}")).to_owned()
}

fn headers(t: Tr, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| t.get(k).to_owned()).collect()
}

/// Links to a view's table as files, keeping its filters.
fn export_links(base: &str, query: &str) -> (String, String) {
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    (
        format!("{}{q}", paths::books_table_export(base, "csv")),
        format!("{}{q}", paths::books_table_export(base, "xlsx")),
    )
}

// ---------------------------------------------------------------------------------------------
// Periods of the views

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PeriodQuery {
    pub from: String,
    pub to: String,
}

/// The period typed in a filter, else the fiscal year of today; a malformed date is an error
/// beside its field (and the fiscal year is shown meanwhile).
async fn span_of(
    app: &App,
    coop: &CoopActor,
    from: &str,
    to: &str,
    e: &mut FieldErrors,
) -> Result<Span, AppError> {
    let fy = views::fiscal_year_of(app, coop, app.clock.today()).await?;
    let day = |e: &mut FieldErrors, field: &'static str, v: &str, default: Date| {
        if v.trim().is_empty() {
            Some(default)
        } else {
            e.check(field, parse_date(v))
        }
    };
    let from = day(e, "from", from, fy.from);
    let to = day(e, "to", to, fy.to);
    Ok(match (from, to) {
        (Some(from), Some(to)) if from <= to => Span { from, to },
        (Some(_), Some(_)) => {
            e.add("to", "end_before_start");
            fy
        }
        _ => fy,
    })
}

/// The span of a file download: a malformed period is refused.
async fn strict_span(app: &App, coop: &CoopActor, q: &PeriodQuery) -> Result<Span, AppError> {
    let mut e = FieldErrors::new();
    let span = span_of(app, coop, &q.from, &q.to, &mut e).await?;
    if e.is_empty() {
        Ok(span)
    } else {
        Err(e.into())
    }
}

// ---------------------------------------------------------------------------------------------
// On a sale document's page

/// The entries of a sale document and its payments, as (link, number, date, journal, amount),
/// for someone who reads the books; empty for anyone else.
pub async fn of_sale_doc(
    app: &App,
    coop: &CoopActor,
    doc: essaim_domain::ids::SaleDocId,
) -> Vec<(String, String, String, String)> {
    if !coop.may(Permission::BooksRead) {
        return Vec::new();
    }
    views::of_sale_doc(app, coop, doc.get())
        .await
        .unwrap_or_default()
        .iter()
        .map(|e| {
            (
                paths::books_entry(&coop.slug, e.entry_id),
                e.number.clone().unwrap_or_else(|| e.piece_ref.clone()),
                format!("{} — {}", fr_date(e.entry_date), e.journal),
                money(e.debit_cents),
            )
        })
        .collect()
}
