//! The cooperative's books (issue 7): automatic postings of business events, manual entries,
//! periods, the chart of accounts and journals, views and exports. Every posting goes through
//! [`post_in`], inside the transaction of the event it records (one source of truth: the activity
//! account and the exports read these entries).

pub mod bank;
pub mod exports;
pub mod views;

use crate::{App, AppError, CoopActor, audit};
use essaim_domain::FieldErrors;
use essaim_domain::access::Permission;
use essaim_domain::cooperative::FiscalYearStart;
use essaim_domain::ids::{CooperativeId, SaleDocId, UserId};
use essaim_domain::ledger::account::{
    AccountNumber, JournalRole, VatDue, parse_journal_code, vat_account,
};
use essaim_domain::ledger::entry::{Aux, EntryDraft, EntryLine};
use essaim_domain::ledger::period::Periods;
use essaim_domain::ledger::posting::{
    self, ClosingBalance, PaymentFacts, SaleFacts, SaleLineFact, SaleVatFact,
};
use essaim_domain::selling::compute::parse_decimal;
use essaim_domain::selling::payment::PaymentMode;
use essaim_domain::validation::required_text;
use essaim_storage::Tx;
use essaim_storage::books::{self as store, AccountRecord, JournalRecord, NewEntry};
use essaim_storage::sale as sale_store;
use serde_json::json;
use time::{Date, OffsetDateTime};

/// The books' state of a cooperative: periods and SIREN.
pub(crate) struct BooksState {
    pub periods: Periods,
    pub siren: String,
}

/// The fiscal-year start as the cooperative stores it (month, day).
fn fiscal_start(month: i64, day: i64) -> Result<FiscalYearStart, AppError> {
    u8::try_from(month)
        .ok()
        .zip(u8::try_from(day).ok())
        .and_then(|(m, d)| FiscalYearStart::new(m, d).ok())
        .ok_or_else(|| AppError::Internal("fiscal year start".into()))
}

pub(crate) async fn state_in(tx: &mut Tx, coop: CooperativeId) -> Result<BooksState, AppError> {
    let (m, d, siren, locked) = store::books_state(tx, coop)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    Ok(BooksState {
        periods: Periods {
            locked_through: locked,
            fiscal_year_start: fiscal_start(m, d)?,
        },
        siren,
    })
}

/// An entry's number: journal, fiscal year, then its place in the journal's sequence for that
/// year (continuous, FEC-05).
pub fn entry_number(journal: &str, fiscal_year: Date, seq: i64) -> String {
    format!("{journal}{}-{seq:06}", fiscal_year.year())
}

async fn number_in(
    tx: &mut Tx,
    coop: CooperativeId,
    journal: &str,
    fiscal_year: Date,
) -> Result<(i64, String), AppError> {
    let seq =
        sale_store::next_number(tx, coop, &format!("journal:{journal}:{fiscal_year}")).await?;
    Ok((seq, entry_number(journal, fiscal_year, seq)))
}

/// Records a validated automatic entry in the journal of `role`, dated in the first open period
/// (ACC-03: balanced, numbered, locked). Returns the entry's id.
pub(crate) async fn post_in(
    tx: &mut Tx,
    coop: CooperativeId,
    role: JournalRole,
    source: (&str, Option<i64>),
    draft: EntryDraft,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<i64, AppError> {
    // One round trip for the books' state and the journal; the books are created on first use.
    let mut context = store::posting_context(tx, coop, role).await?;
    if context.as_ref().is_some_and(|c| !c.4) {
        store::ensure_books(tx, coop).await?;
        context = store::posting_context(tx, coop, role).await?;
    }
    let (m, d, _, locked, _, journal) = context.ok_or(AppError::NotFound("cooperative"))?;
    let periods = Periods {
        locked_through: locked,
        fiscal_year_start: fiscal_start(m, d)?,
    };
    let journal =
        journal.ok_or_else(|| AppError::Internal(format!("no journal for {}", role.code())))?;
    let mut draft = draft;
    draft.date = periods.posting_date(draft.date);
    draft.check()?;
    let (fy, _) = periods.fiscal_year(draft.date);
    let (seq, number) = number_in(tx, coop, &journal, fy).await?;
    Ok(store::insert_entry(
        tx,
        coop,
        &NewEntry {
            journal: &journal,
            fiscal_year: fy,
            seq: Some((seq, &number)),
            date: draft.date,
            piece_ref: &draft.piece_ref,
            piece_date: draft.piece_date,
            label: &draft.label,
            source_kind: source.0,
            source_id: source.1,
            by,
            now,
        },
        &draft.lines,
    )
    .await?)
}

/// The customer as a third party of the ledger (FEC CompAuxNum).
pub fn customer_aux(customer_id: i64, name: &str) -> Aux {
    Aux {
        code: format!("C{customer_id:06}"),
        label: name.to_owned(),
    }
}

/// Posts a sale document just validated (invoice, deposit invoice, credit note) in the sales
/// journal; the validation hands over the facts it has just computed.
pub(crate) async fn post_sale_in(
    tx: &mut Tx,
    coop: CooperativeId,
    id: SaleDocId,
    facts: &SaleFacts,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<i64, AppError> {
    post_in(
        tx,
        coop,
        JournalRole::Sales,
        ("sale_doc", Some(id.get())),
        posting::sale_entry(facts),
        by,
        now,
    )
    .await
}

/// The posting facts of a line of a sale document (sections carry none).
pub(crate) fn line_fact(l: &sale_store::LineRecord) -> Option<SaleLineFact> {
    Some(SaleLineFact {
        vat_code: l.vat_code.clone()?,
        goods: l.goods,
        deduction: l.deduction,
        net_cents: l.net_cents?,
    })
}

/// The posting facts of a VAT breakdown row (code, basis, VAT).
pub(crate) fn vat_fact((code, basis, vat): &(String, i64, i64)) -> SaleVatFact {
    SaleVatFact {
        vat_code: code.clone(),
        basis_cents: *basis,
        vat_cents: *vat,
    }
}

/// Posts a payment just recorded: the bank against the customer, and the VAT that was pending on
/// the invoice moved to collected (44574x → 44571x).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn post_payment_in(
    tx: &mut Tx,
    coop: CooperativeId,
    doc_id: SaleDocId,
    payment_id: i64,
    paid_on: Date,
    amount_cents: i64,
    mode: PaymentMode,
    vat_shares: &[(String, i64, i64)],
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<(i64, sale_store::DocRecord), AppError> {
    let doc = sale_store::doc(tx, coop, doc_id)
        .await?
        .ok_or(AppError::NotFound("invoice"))?;
    let posted = store::accounts_of_source(tx, coop, "sale_doc", doc_id.get()).await?;
    let pending_vat = vat_shares
        .iter()
        .filter(|(code, _, vat)| {
            *vat != 0
                && vat_account(code, VatDue::OnPayment)
                    .is_some_and(|a| posted.iter().any(|p| p == a))
        })
        .map(|(code, _, vat)| (code.clone(), *vat))
        .collect();
    let facts = PaymentFacts {
        paid_on,
        invoice_number: doc.number.clone().unwrap_or_default(),
        customer: customer_aux(doc.customer_id, &doc.customer_name),
        analytic: doc.analytic_code.clone(),
        amount_cents,
        mode,
        pending_vat,
    };
    let entry = post_in(
        tx,
        coop,
        JournalRole::Bank,
        ("payment", Some(payment_id)),
        posting::payment_entry(&facts),
        by,
        now,
    )
    .await?;
    Ok((entry, doc))
}

/// Letters the customer lines of an invoice, its payments and its credit notes once nothing is
/// due on it any more (FEC EcritureLet / DateLet): the accountant sees which lines close together.
pub(crate) async fn letter_if_settled_in(
    tx: &mut Tx,
    coop: CooperativeId,
    doc: &sale_store::DocRecord,
    on: Date,
) -> Result<(), AppError> {
    if doc.grand_total_cents - doc.paid_cents - doc.credited_cents != 0 {
        return Ok(());
    }
    let aux = customer_aux(doc.customer_id, &doc.customer_name);
    let n = sale_store::next_number(tx, coop, "lettering").await?;
    let code = essaim_domain::ledger::entry::lettering_code(u64::try_from(n).unwrap_or(1));
    store::letter_settled(
        tx,
        coop,
        doc.sale_doc_id,
        essaim_domain::ledger::account::accounts::CUSTOMERS,
        &aux.code,
        &code,
        on,
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Chart of accounts and journals

pub async fn chart(
    app: &App,
    actor: &CoopActor,
) -> Result<(Vec<AccountRecord>, Vec<JournalRecord>), AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.begin().await?;
    store::ensure_books(&mut tx, actor.cooperative).await?;
    let accounts = store::accounts(&mut tx, actor.cooperative).await?;
    let journals = store::journals(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok((accounts, journals))
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AccountInput {
    pub number: String,
    pub label: String,
    #[serde(deserialize_with = "essaim_domain::input::tick")]
    pub archived: bool,
}

/// Adds an account to the chart, renames it, or archives it (kept in past entries, refused in new
/// manual ones).
pub async fn save_account(
    app: &App,
    actor: &CoopActor,
    input: &AccountInput,
) -> Result<(), AppError> {
    actor.require(Permission::BooksManage)?;
    let mut e = FieldErrors::new();
    let number = e.check("number", AccountNumber::parse(&input.number));
    let label = e.check("label", required_text(&input.label, 120));
    let (Some(number), Some(label)) = (number, label) else {
        return Err(e.into());
    };
    let mut tx = app.store.begin().await?;
    store::ensure_books(&mut tx, actor.cooperative).await?;
    let record = AccountRecord {
        number: number.as_str().to_owned(),
        label,
        archived: input.archived,
    };
    store::save_account(&mut tx, actor.cooperative, &record).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "books.account",
        ("ledger_account", record.number.clone()),
        json!({ "label": record.label, "archived": record.archived }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug, Default)]
pub struct JournalInput {
    pub code: String,
    pub label: String,
    /// The role of automatic postings it takes, if any (`sales`, `bank`…).
    pub role: String,
}

pub async fn save_journal(
    app: &App,
    actor: &CoopActor,
    input: &JournalInput,
) -> Result<(), AppError> {
    actor.require(Permission::BooksManage)?;
    let mut e = FieldErrors::new();
    let code = e.check("code", parse_journal_code(&input.code));
    let label = e.check("label", required_text(&input.label, 60));
    let role = if input.role.trim().is_empty() {
        None
    } else {
        let r = JournalRole::parse(input.role.trim());
        if r.is_none() {
            e.add("role", "journal_role_unknown");
        }
        r
    };
    let (Some(code), Some(label)) = (code, label) else {
        return Err(e.into());
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    let mut tx = app.store.begin().await?;
    store::ensure_books(&mut tx, actor.cooperative).await?;
    let record = JournalRecord {
        code,
        label,
        role: role.map(|r| r.code().to_owned()),
    };
    store::save_journal(&mut tx, actor.cooperative, &record).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "books.journal",
        ("journal", record.code.clone()),
        json!({ "label": record.label, "role": record.role }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Manual entries

#[derive(Clone, Debug, Default)]
pub struct ManualLineInput {
    pub account: String,
    pub aux_code: String,
    pub aux_label: String,
    pub analytic: String,
    pub debit: String,
    pub credit: String,
}

#[derive(Clone, Debug, Default)]
pub struct ManualEntryInput {
    pub journal: String,
    pub date: String,
    pub piece_ref: String,
    pub label: String,
    pub lines: Vec<ManualLineInput>,
}

fn parse_amount(input: &str) -> Result<i64, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(0);
    }
    let d = parse_decimal(t, 2).map_err(|_| "amount_format")?;
    if d.is_sign_negative() {
        return Err("amount_negative");
    }
    let cents = (d * rust_decimal::Decimal::from(100)).trunc();
    rust_decimal::prelude::ToPrimitive::to_i64(&cents).ok_or("amount_format")
}

/// Parses a manual entry: its journal must exist, its date be in an open period, each line on an
/// active account of the chart with one side, and the whole balanced.
async fn parse_manual(
    tx: &mut Tx,
    coop: CooperativeId,
    input: &ManualEntryInput,
) -> Result<(String, EntryDraft, Date), AppError> {
    store::ensure_books(tx, coop).await?;
    let state = state_in(tx, coop).await?;
    let mut e = FieldErrors::new();
    let journals = store::journals(tx, coop).await?;
    let journal = input.journal.trim().to_uppercase();
    if !journals.iter().any(|j| j.code == journal) {
        e.add("journal", "journal_unknown");
    }
    let date = e.check("date", essaim_domain::person::parse_date(&input.date));
    if let Some(d) = date {
        e.check("date", state.periods.check_manual(d));
    }
    let piece_ref = e.check("piece_ref", required_text(&input.piece_ref, 40));
    let label = e.check("label", required_text(&input.label, 120));
    let accounts = store::accounts(tx, coop).await?;
    let mut lines = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        let blank =
            l.account.trim().is_empty() && l.debit.trim().is_empty() && l.credit.trim().is_empty();
        if blank {
            continue;
        }
        let account = match AccountNumber::parse(&l.account) {
            Ok(a) => match accounts.iter().find(|r| r.number == a.as_str()) {
                Some(r) if !r.archived => Some(a.as_str().to_owned()),
                Some(_) => {
                    e.add_row(i, "account", "account_archived");
                    None
                }
                None => {
                    e.add_row(i, "account", "account_unknown");
                    None
                }
            },
            Err(c) => {
                e.add_row(i, "account", c);
                None
            }
        };
        let debit = parse_amount(&l.debit)
            .map_err(|c| e.add_row(i, "debit", c))
            .ok();
        let credit = parse_amount(&l.credit)
            .map_err(|c| e.add_row(i, "credit", c))
            .ok();
        let aux = match (l.aux_code.trim(), l.aux_label.trim()) {
            ("", _) => None,
            (code, label) => Some(Aux {
                code: code.to_uppercase(),
                label: if label.is_empty() {
                    code.to_owned()
                } else {
                    label.to_owned()
                },
            }),
        };
        let analytic = match l.analytic.trim() {
            "" => None,
            a => Some(a.to_uppercase()),
        };
        if let (Some(account), Some(debit), Some(credit)) = (account, debit, credit) {
            if (debit > 0) == (credit > 0) {
                e.add_row(i, "debit", "entry_line_one_side");
            }
            lines.push((
                i,
                EntryLine {
                    account,
                    aux,
                    analytic,
                    label: label.clone().unwrap_or_default(),
                    debit_cents: debit,
                    credit_cents: credit,
                },
            ));
        }
    }
    let (Some(date), Some(piece_ref), Some(label)) = (date, piece_ref, label) else {
        return Err(e.into());
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    let draft = EntryDraft {
        date,
        piece_ref,
        piece_date: date,
        label,
        lines: lines.iter().map(|(_, l)| l.clone()).collect(),
    };
    if let Err(errors) = draft.check() {
        // Rows of the check are positions among the filled lines: map them back to the form's.
        let mapped = errors
            .0
            .into_iter()
            .map(|mut fe| {
                fe.row = fe.row.and_then(|r| lines.get(r).map(|(i, _)| *i));
                fe
            })
            .collect();
        return Err(FieldErrors(mapped).into());
    }
    let (fiscal_year, _) = state.periods.fiscal_year(draft.date);
    Ok((journal, draft, fiscal_year))
}

/// The head of a manual entry: a draft (no number yet) of the person keeping the books.
fn manual_head<'a>(
    journal: &'a str,
    fiscal_year: Date,
    draft: &'a EntryDraft,
    actor: &CoopActor,
    now: OffsetDateTime,
) -> NewEntry<'a> {
    NewEntry {
        journal,
        fiscal_year,
        seq: None,
        date: draft.date,
        piece_ref: &draft.piece_ref,
        piece_date: draft.piece_date,
        label: &draft.label,
        source_kind: "manual",
        source_id: None,
        by: Some(actor.user().id),
        now,
    }
}

/// Records a manual entry as a draft (`books.manage`); it counts once validated.
pub async fn create_manual(
    app: &App,
    actor: &CoopActor,
    input: &ManualEntryInput,
) -> Result<i64, AppError> {
    actor.require(Permission::BooksManage)?;
    let mut tx = app.store.begin().await?;
    let (journal, draft, fy) = parse_manual(&mut tx, actor.cooperative, input).await?;
    let head = manual_head(&journal, fy, &draft, actor, app.clock.now());
    let id = store::insert_entry(&mut tx, actor.cooperative, &head, &draft.lines).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "books.entry.draft",
        ("entry", id.to_string()),
        json!({ "journal": journal, "debit_cents": draft.total_debit() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a draft manual entry.
pub async fn update_manual(
    app: &App,
    actor: &CoopActor,
    id: i64,
    input: &ManualEntryInput,
) -> Result<(), AppError> {
    actor.require(Permission::BooksManage)?;
    let mut tx = app.store.begin().await?;
    let (journal, draft, fy) = parse_manual(&mut tx, actor.cooperative, input).await?;
    let entry = manual_head(&journal, fy, &draft, actor, app.clock.now());
    if !store::update_draft(&mut tx, actor.cooperative, id, &entry, &draft.lines).await? {
        return Err(AppError::field("state", "entry_validated"));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn delete_manual(app: &App, actor: &CoopActor, id: i64) -> Result<(), AppError> {
    actor.require(Permission::BooksManage)?;
    let mut tx = app.store.begin().await?;
    if !store::delete_draft(&mut tx, actor.cooperative, id).await? {
        return Err(AppError::field("state", "entry_validated"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "books.entry.delete",
        ("entry", id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Validates a draft manual entry: numbered in its journal's sequence and locked (ACC-03). Its
/// period must still be open.
pub async fn validate_manual(app: &App, actor: &CoopActor, id: i64) -> Result<String, AppError> {
    actor.require(Permission::BooksManage)?;
    let mut tx = app.store.begin().await?;
    let entry = store::entry(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("entry"))?;
    if entry.state != "draft" {
        return Err(AppError::field("state", "entry_validated"));
    }
    let state = state_in(&mut tx, actor.cooperative).await?;
    state
        .periods
        .check_manual(entry.entry_date)
        .map_err(|c| AppError::field("date", c))?;
    let lines = store::entry_lines(&mut tx, actor.cooperative, id).await?;
    let draft = EntryDraft {
        date: entry.entry_date,
        piece_ref: entry.piece_ref.clone(),
        piece_date: entry.piece_date,
        label: entry.label.clone(),
        lines: lines
            .into_iter()
            .map(|l| EntryLine {
                account: l.account,
                aux: l.aux_code.map(|code| Aux {
                    code,
                    label: l.aux_label.unwrap_or_default(),
                }),
                analytic: l.analytic,
                label: l.label,
                debit_cents: l.debit_cents,
                credit_cents: l.credit_cents,
            })
            .collect(),
    };
    draft.check()?;
    let (seq, number) = number_in(
        &mut tx,
        actor.cooperative,
        &entry.journal,
        entry.fiscal_year,
    )
    .await?;
    let now = app.clock.now();
    if !store::validate_entry(
        &mut tx,
        actor.cooperative,
        id,
        seq,
        &number,
        actor.user().id,
        now,
    )
    .await?
    {
        return Err(AppError::field("state", "entry_validated"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "books.entry.validate",
        ("entry", id.to_string()),
        json!({ "number": number }),
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

// ---------------------------------------------------------------------------------------------
// Periods

/// The books' periods: closed through which day, the closed fiscal years.
pub async fn periods(
    app: &App,
    actor: &CoopActor,
) -> Result<(Periods, Vec<store::FiscalYearRecord>), AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let state = state_in(&mut tx, actor.cooperative).await?;
    let years = store::closed_years(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok((state.periods, years))
}

/// Closes every month through the one containing `month` (`books.close`): entries dated in them
/// are refused from then on; drafts left in them must be validated or deleted first.
pub async fn close_month(app: &App, actor: &CoopActor, month: Date) -> Result<Date, AppError> {
    actor.require(Permission::BooksClose)?;
    let mut tx = app.store.begin().await?;
    store::ensure_books(&mut tx, actor.cooperative).await?;
    let through = close_month_in(&mut tx, actor.cooperative, month, app.clock.now().date()).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "books.close_month",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "through": through.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(through)
}

pub(crate) async fn close_month_in(
    tx: &mut Tx,
    coop: CooperativeId,
    month: Date,
    today: Date,
) -> Result<Date, AppError> {
    let state = state_in(tx, coop).await?;
    let through = state
        .periods
        .close_month(month, today)
        .map_err(|c| AppError::field("month", c))?;
    // The first month of a fiscal year closes once the year before is closed, so that its
    // opening entry is dated on the year's first day.
    let (year_start, _) = state.periods.fiscal_year(through);
    if let Some(previous_end) = year_start.previous_day() {
        let closed = store::closed_years(tx, coop)
            .await?
            .iter()
            .any(|y| y.year_end == previous_end);
        if !closed
            && store::first_entry_date(tx, coop)
                .await?
                .is_some_and(|d| d <= previous_end)
        {
            return Err(AppError::field("month", "previous_year_open"));
        }
    }
    if store::drafts_through(tx, coop, through).await? > 0 {
        return Err(AppError::field("month", "period_has_drafts"));
    }
    if !store::set_locked_through(tx, coop, through).await? {
        return Err(AppError::field("month", "period_already_closed"));
    }
    Ok(through)
}

/// Closes the fiscal year ending on `year_end` (`books.close`): all its months must be closed;
/// the opening entry of the next year carries the balance-sheet accounts and the result.
pub async fn close_year(app: &App, actor: &CoopActor, year_end: Date) -> Result<i64, AppError> {
    actor.require(Permission::BooksClose)?;
    let mut tx = app.store.begin().await?;
    store::ensure_books(&mut tx, actor.cooperative).await?;
    let id = close_year_in(
        &mut tx,
        actor.cooperative,
        year_end,
        Some(actor.user().id),
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "books.close_year",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "year_end": year_end.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub(crate) async fn close_year_in(
    tx: &mut Tx,
    coop: CooperativeId,
    year_end: Date,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<i64, AppError> {
    let state = state_in(tx, coop).await?;
    let (start, end) = state.periods.fiscal_year(year_end);
    if end != year_end {
        return Err(AppError::field("year_end", "not_a_year_end"));
    }
    state
        .periods
        .close_year(end)
        .map_err(|c| AppError::field("year_end", c))?;
    if !store::close_year(tx, coop, start, end, by, now).await? {
        return Err(AppError::field("year_end", "year_already_closed"));
    }
    // What each activity account carries out of the year, kept now that it no longer changes.
    crate::payroll::overview::settle_year_in(tx, coop, start, end, now).await?;
    let balances: Vec<ClosingBalance> = store::detailed_balances(tx, coop, start, end)
        .await?
        .into_iter()
        .map(
            |(account, aux_code, aux_label, analytic, balance)| ClosingBalance {
                account,
                aux: aux_code.map(|code| Aux {
                    code,
                    label: aux_label.unwrap_or_default(),
                }),
                analytic,
                balance_cents: balance,
            },
        )
        .collect();
    let next = end
        .next_day()
        .ok_or(AppError::field("year_end", "not_a_year_end"))?;
    let draft = posting::opening_entry(&balances, next, &format!("AN-{}", next.year()));
    if draft.lines.is_empty() {
        return Ok(0);
    }
    post_in(
        tx,
        coop,
        JournalRole::Opening,
        ("opening", None),
        draft,
        by,
        now,
    )
    .await
}

/// Demo: closes every fiscal year already over (months, then the year with its opening entry),
/// so the demo's books look like a cooperative's after a few years.
pub(crate) async fn demo_close(app: &App, coop: CooperativeId) -> Result<u32, AppError> {
    let now = app.clock.now();
    let today = now.date();
    let mut tx = app.store.begin().await?;
    store::ensure_books(&mut tx, coop).await?;
    let first = store::first_entry_date(&mut tx, coop).await?;
    let mut closed = 0;
    if let Some(first) = first {
        let state = state_in(&mut tx, coop).await?;
        let (_, mut end) = state.periods.fiscal_year(first);
        while end < today {
            close_month_in(&mut tx, coop, end, today).await?;
            close_year_in(&mut tx, coop, end, None, now).await?;
            closed += 1;
            let Some(next) = end.next_day() else { break };
            end = state.periods.fiscal_year(next).1;
        }
    }
    tx.commit().await?;
    Ok(closed)
}
