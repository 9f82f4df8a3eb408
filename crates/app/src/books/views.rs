//! Reading the books (`books.read`): trial balance, general ledger, journals, one entry with its
//! source, analytic balance per activity, and the monthly VAT summary.

use super::state_in;
use crate::{App, AppError, CoopActor};
use essaim_domain::access::Permission;
use essaim_domain::ledger::account::{VAT_RATES, VatDue, accounts, vat_account};
use essaim_domain::ledger::period::month_start;
use essaim_storage::books::{
    self as store, AnalyticRow, BalanceRow, EntryFilter, EntryRecord, LedgerLine, LineRecord,
};
use time::Date;

/// A period of the books; by default the fiscal year of today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub from: Date,
    pub to: Date,
}

/// The fiscal year containing `day`, for forms without dates.
pub async fn fiscal_year_of(app: &App, actor: &CoopActor, day: Date) -> Result<Span, AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let state = state_in(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    let (from, to) = state.periods.fiscal_year(day);
    Ok(Span { from, to })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrialBalance {
    pub rows: Vec<BalanceRow>,
    pub debit_cents: i64,
    pub credit_cents: i64,
}

pub async fn trial_balance(
    app: &App,
    actor: &CoopActor,
    span: Span,
) -> Result<TrialBalance, AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let rows = store::trial_balance(&mut tx, actor.cooperative, span.from, span.to).await?;
    tx.commit().await?;
    let debit_cents = rows.iter().map(|r| r.debit_cents).sum();
    let credit_cents = rows.iter().map(|r| r.credit_cents).sum();
    Ok(TrialBalance {
        rows,
        debit_cents,
        credit_cents,
    })
}

/// The lines of one account over a period, after the balance carried from the start of its
/// fiscal year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneralLedger {
    pub account: String,
    pub label: Option<String>,
    pub opening_cents: i64,
    pub lines: Vec<LedgerLine>,
    pub truncated: bool,
}

/// At most this many lines of one account are shown at once (exports have them all).
pub const LEDGER_LIMIT: i64 = 2000;

pub async fn general_ledger(
    app: &App,
    actor: &CoopActor,
    account: &str,
    span: Span,
    limit: i64,
) -> Result<GeneralLedger, AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let state = state_in(&mut tx, actor.cooperative).await?;
    let record = store::account(&mut tx, actor.cooperative, account).await?;
    let (year_start, _) = state.periods.fiscal_year(span.from);
    let opening_cents =
        store::balance_before(&mut tx, actor.cooperative, account, span.from, year_start).await?;
    let mut lines = store::ledger(
        &mut tx,
        actor.cooperative,
        account,
        span.from,
        span.to,
        limit + 1,
    )
    .await?;
    tx.commit().await?;
    let truncated = lines.len() as i64 > limit;
    lines.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(GeneralLedger {
        account: account.to_owned(),
        label: record.map(|r| r.label),
        opening_cents,
        lines,
        truncated,
    })
}

pub async fn entries(
    app: &App,
    actor: &CoopActor,
    filter: &EntryFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EntryRecord>, i64), AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let page = store::list_entries(&mut tx, actor.cooperative, filter, limit, offset).await?;
    tx.commit().await?;
    Ok(page)
}

/// One entry, its lines, and the document it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryView {
    pub entry: EntryRecord,
    pub lines: Vec<LineRecord>,
    /// The sale document behind the entry (an invoice, or the invoice a payment settles).
    pub sale_doc: Option<(i64, String)>,
}

pub async fn entry(app: &App, actor: &CoopActor, id: i64) -> Result<EntryView, AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let entry = store::entry(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("entry"))?;
    let lines = store::entry_lines(&mut tx, actor.cooperative, id).await?;
    let sale_doc = match (entry.source_kind.as_str(), entry.source_id) {
        ("sale_doc", Some(doc)) => Some((doc, entry.piece_ref.clone())),
        ("payment", Some(p)) => store::payment_doc(&mut tx, actor.cooperative, p)
            .await?
            .map(|d| (d, entry.piece_ref.clone())),
        _ => None,
    };
    tx.commit().await?;
    Ok(EntryView {
        entry,
        lines,
        sale_doc,
    })
}

/// The entries made from a sale document and its payments (shown on the document's page).
pub async fn of_sale_doc(
    app: &App,
    actor: &CoopActor,
    doc: i64,
) -> Result<Vec<EntryRecord>, AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let mut out = store::entries_of_source(&mut tx, actor.cooperative, "sale_doc", &[doc]).await?;
    let payments = store::payments_of_doc(&mut tx, actor.cooperative, doc).await?;
    out.extend(store::entries_of_source(&mut tx, actor.cooperative, "payment", &payments).await?);
    tx.commit().await?;
    Ok(out)
}

pub async fn analytic(
    app: &App,
    actor: &CoopActor,
    span: Span,
) -> Result<Vec<AnalyticRow>, AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let rows = store::analytic_balance(&mut tx, actor.cooperative, span.from, span.to).await?;
    tx.commit().await?;
    Ok(rows)
}

/// One month of the VAT summary: VAT collected per rate (due this month), VAT pending collection
/// on services not yet paid at the month's end movement, deductible VAT, and the balance due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VatMonth {
    pub month: Date,
    /// (rate label, basis is not in the ledger: VAT only) collected per rate.
    pub collected: Vec<(&'static str, i64)>,
    pub collected_total: i64,
    /// Net movement of the pending-collection accounts (invoiced, not yet paid).
    pub pending_change: i64,
    pub deductible: i64,
    /// Collected minus deductible: what the return shows as due (negative: a credit).
    pub due: i64,
}

pub async fn vat_summary(
    app: &App,
    actor: &CoopActor,
    span: Span,
) -> Result<Vec<VatMonth>, AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let months = vat_in(&mut tx, actor.cooperative, span.from, span.to).await?;
    tx.commit().await?;
    Ok(months)
}

/// The VAT of each month from `from` to `to`, as the books show it (inside `tx`).
pub(crate) async fn vat_in(
    tx: &mut essaim_storage::Tx,
    coop: essaim_domain::ids::CooperativeId,
    from: Date,
    to: Date,
) -> Result<Vec<VatMonth>, AppError> {
    let rows = store::monthly_vat(tx, coop, from, to).await?;
    let mut months: Vec<VatMonth> = Vec::new();
    let mut m = month_start(from);
    while m <= to {
        months.push(VatMonth {
            month: m,
            collected: VAT_RATES.iter().map(|(_, label)| (*label, 0)).collect(),
            collected_total: 0,
            pending_change: 0,
            deductible: 0,
            due: 0,
        });
        m = match essaim_domain::ledger::period::month_end(m).next_day() {
            Some(n) => n,
            None => break,
        };
    }
    for (date, account, debit, credit) in rows {
        let start = month_start(date);
        let Some(month) = months.iter_mut().find(|v| v.month == start) else {
            continue;
        };
        if let Some(i) = VAT_RATES
            .iter()
            .position(|(code, _)| vat_account(code, VatDue::OnIssue) == Some(account.as_str()))
        {
            month.collected[i].1 += credit - debit;
            month.collected_total += credit - debit;
        } else if VAT_RATES
            .iter()
            .any(|(code, _)| vat_account(code, VatDue::OnPayment) == Some(account.as_str()))
        {
            month.pending_change += credit - debit;
        } else if account == accounts::DEDUCTIBLE_VAT || account.starts_with("44562") {
            month.deductible += debit - credit;
        }
    }
    for m in &mut months {
        m.due = m.collected_total - m.deductible;
    }
    Ok(months)
}

/// CLI: the trial balance of the fiscal year closing in `year` (the operator runs the binary).
pub async fn trial_balance_for_cli(
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
    year: i32,
) -> Result<(Span, TrialBalance), AppError> {
    let mut tx = app.store.read().await?;
    let (from, to, _) = super::exports::fiscal_year_ending_in(&mut tx, coop, year).await?;
    let rows = store::trial_balance(&mut tx, coop, from, to).await?;
    tx.commit().await?;
    let debit_cents = rows.iter().map(|r| r.debit_cents).sum();
    let credit_cents = rows.iter().map(|r| r.credit_cents).sum();
    Ok((
        Span { from, to },
        TrialBalance {
            rows,
            debit_cents,
            credit_cents,
        },
    ))
}
