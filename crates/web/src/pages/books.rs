//! The cooperative's books (issue 7): periods and their closing, the trial balance, the general
//! ledger, the journals and their entries, manual entries, the analytic balance per activity,
//! the monthly VAT summary, the chart of accounts and journals, and the bank statements with
//! their matching queue. Reading needs `books.read`; keeping the books `books.manage`; closing
//! `books.close` (the route table says so, the use cases check again).

use crate::error::{PageResult, render};
use crate::extract::Coop;
use crate::i18n::Tr;
use crate::paths;
use crate::state::AppState;
use crate::view::{
    Choice, Errors, Layout, Page, datetime, download, money, table_file, unprocessable,
};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use essaim_app::books::exports::{self, JournalFormat};
use essaim_app::books::views::{self, Span};
use essaim_app::books::{
    self, AccountInput, JournalInput, ManualEntryInput, ManualLineInput, bank,
};
use essaim_app::exports::Table;
use essaim_app::records::{EntryFilter, EntryRecord, JournalRecord};
use essaim_app::{AppError, CoopActor};
use essaim_domain::FieldErrors;
use essaim_domain::access::Permission;
use essaim_domain::ledger::account::{AccountNumber, JournalRole, class_of};
use essaim_domain::ledger::period::{month_end, month_start};
use essaim_domain::person::parse_date;
use essaim_domain::selling::terms::fr_date;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
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
    format!(
        "{} {}",
        t.get(&format!("books.month.{}", u8::from(d.month()))),
        d.year()
    )
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
pub struct PeriodQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// The period typed in a filter, else the fiscal year of today; a malformed date is an error
/// beside its field (and the fiscal year is shown meanwhile).
async fn span_of(
    state: &AppState,
    coop: &CoopActor,
    from: &str,
    to: &str,
    e: &mut FieldErrors,
) -> Result<Span, AppError> {
    let fy = views::fiscal_year_of(&state.app, coop, state.app.clock.today()).await?;
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
async fn strict_span(
    state: &AppState,
    coop: &CoopActor,
    q: &PeriodQuery,
) -> Result<Span, AppError> {
    let mut e = FieldErrors::new();
    let span = span_of(state, coop, &q.from, &q.to, &mut e).await?;
    if e.is_empty() {
        Ok(span)
    } else {
        Err(e.into())
    }
}

// ---------------------------------------------------------------------------------------------
// Home: periods, closing, exports

#[derive(Template)]
#[template(path = "books/home.html")]
pub struct HomePage {
    pub l: Layout,
    pub locked: String,
    pub closed_years: Vec<String>,
    pub may_close: bool,
    pub months: Vec<Choice>,
    pub years: Vec<Choice>,
    pub close_month_action: String,
    pub close_year_action: String,
    pub links: Vec<(String, String, String)>,
    pub fec: Vec<(String, String)>,
    pub export_action: String,
    pub formats: Vec<Choice>,
    pub export_from: String,
    pub export_to: String,
    pub drafts: i64,
    pub drafts_href: String,
    pub errors: Errors,
    pub message: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: String,
    #[serde(default)]
    pub n: String,
    #[serde(default)]
    pub d: String,
    pub page: Option<i64>,
}

fn done_message(t: Tr, q: &DoneQuery) -> Option<String> {
    match q.done.as_str() {
        "" => None,
        "imported" => {
            let count = |raw: &str, one: &str, many: &str| match raw {
                "1" => t.get(one).to_owned(),
                n => t.fmt(many, &[n]),
            };
            Some(t.fmt(
                "books.done.imported",
                &[
                    &count(
                        &q.n,
                        "books.done.line_imported",
                        "books.done.lines_imported",
                    ),
                    &count(
                        &q.d,
                        "books.done.duplicate_skipped",
                        "books.done.duplicates_skipped",
                    ),
                ],
            ))
        }
        "confirmed" => Some(t.fmt("books.done.confirmed", &[q.n.as_str()])),
        "month_closed" => Some(t.get("books.done.month_closed").to_owned()),
        "year_closed" => Some(t.get("books.done.year_closed").to_owned()),
        "draft_saved" => Some(t.get("books.done.draft_saved").to_owned()),
        "validated" => Some(t.get("books.done.validated").to_owned()),
        "deleted" => Some(t.get("books.done.deleted").to_owned()),
        "booked" => Some(t.get("books.done.booked").to_owned()),
        "mapping_saved" => Some(t.get("books.done.mapping_saved").to_owned()),
        "account_saved" => Some(t.get("books.done.account_saved").to_owned()),
        "journal_saved" => Some(t.get("books.done.journal_saved").to_owned()),
        _ => None,
    }
}

async fn home_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    errors: Errors,
    message: Option<String>,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let today = state.app.clock.today();
    let (periods, closed) = books::periods(&state.app, coop).await?;
    let (fy_start, fy_end) = periods.fiscal_year(today);
    // The months that may be closed: from the first open one, each already over.
    let first_open = match periods.locked_through.and_then(|l| l.next_day()) {
        Some(d) => d,
        None => {
            periods
                .fiscal_year(fy_start.previous_day().unwrap_or(fy_start))
                .0
        }
    };
    let mut months = Vec::new();
    let mut m = month_start(first_open);
    while month_end(m) < today && months.len() < 36 {
        months.push(Choice {
            value: month_end(m).to_string(),
            label: month_label(t, m),
            selected: months.is_empty(),
        });
        let Some(next) = month_end(m).next_day() else {
            break;
        };
        m = next;
    }
    // The fiscal years over and not closed yet (their months must be closed first).
    let mut years = Vec::new();
    let mut end = fy_start.previous_day();
    for _ in 0..3 {
        let Some(e) = end else { break };
        let (start, e) = periods.fiscal_year(e);
        if !closed.iter().any(|c| c.year_end == e) {
            years.push(Choice {
                value: e.to_string(),
                label: t.fmt("books.fiscal_year", &[&fr_date(start), &fr_date(e)]),
                selected: false,
            });
        }
        end = start.previous_day();
    }
    years.reverse();
    if let Some(first) = years.first_mut() {
        first.selected = true;
    }
    let previous_end = fy_start.previous_day().unwrap_or(fy_start);
    let fec = vec![
        (
            paths::books_fec(slug, fy_end.year()),
            t.fmt("books.fec_current", &[&fr_date(fy_end)]),
        ),
        (
            paths::books_fec(slug, previous_end.year()),
            t.fmt("books.fec_closed", &[&fr_date(previous_end)]),
        ),
    ];
    let drafts = views::entries(
        &state.app,
        coop,
        &EntryFilter {
            drafts: true,
            ..EntryFilter::default()
        },
        1,
        0,
    )
    .await?
    .1;
    let link =
        |href: String, key: &str, hint: &str| (href, t.get(key).to_owned(), t.get(hint).to_owned());
    Ok(render(&HomePage {
        locked: match periods.locked_through {
            Some(d) => t.fmt("books.locked_through", &[&fr_date(d)]),
            None => t.get("books.nothing_closed").to_owned(),
        },
        closed_years: closed
            .iter()
            .map(|y| {
                t.fmt(
                    "books.closed_year",
                    &[
                        &fr_date(y.year_start),
                        &fr_date(y.year_end),
                        &datetime(y.closed_at),
                    ],
                )
            })
            .collect(),
        may_close: coop.may(Permission::BooksClose),
        months,
        years,
        close_month_action: paths::books_close_month(slug),
        close_year_action: paths::books_close_year(slug),
        links: vec![
            link(
                paths::books_balance(slug),
                "books.balance",
                "books.balance_hint",
            ),
            link(
                paths::books_entries(slug),
                "books.entries",
                "books.entries_hint",
            ),
            link(
                paths::books_analytic(slug),
                "books.analytic",
                "books.analytic_hint",
            ),
            link(paths::books_vat(slug), "books.vat", "books.vat_hint"),
            link(paths::books_bank(slug), "books.bank", "books.bank_hint"),
            link(paths::books_chart(slug), "books.chart", "books.chart_hint"),
        ],
        fec,
        export_action: paths::books_journal_export(slug),
        formats: JournalFormat::ALL
            .iter()
            .map(|f| Choice {
                value: f.code().into(),
                label: t.get(&format!("books.format.{}", f.code())).into(),
                selected: *f == JournalFormat::Hledger,
            })
            .collect(),
        export_from: fy_start.to_string(),
        export_to: fy_end.to_string(),
        drafts,
        drafts_href: format!("{}?drafts=1", paths::books_entries(slug)),
        errors,
        message,
        l: page.layout.clone(),
    }))
}

pub async fn home(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let message = done_message(page.layout.t, &q);
    home_page(&state, &page, &coop, Errors::default(), message).await
}

/// Runs an action of the books' home page: back to it with a message, or with the refusal shown.
async fn home_act<Fut>(
    state: &AppState,
    page: &Page,
    coop: CoopActor,
    done: &str,
    f: impl FnOnce(CoopActor) -> Fut,
) -> PageResult
where
    Fut: Future<Output = Result<(), AppError>>,
{
    match f(coop.clone()).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}?done={done}", paths::books(&coop.slug))).into_response())
        }
        Err(AppError::Invalid(e)) => {
            home_page(state, page, &coop, Errors::from(&e, page.layout.t), None)
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct CloseMonthForm {
    #[serde(default)]
    pub month: String,
}

pub async fn close_month(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<CloseMonthForm>,
) -> PageResult {
    let app = state.app.clone();
    home_act(&state, &page, coop, "month_closed", |coop| async move {
        let month = parse_date(&f.month).map_err(|c| AppError::field("month", c))?;
        books::close_month(&app, &coop, month).await.map(|_| ())
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct CloseYearForm {
    #[serde(default)]
    pub year_end: String,
}

pub async fn close_year(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<CloseYearForm>,
) -> PageResult {
    let app = state.app.clone();
    home_act(&state, &page, coop, "year_closed", |coop| async move {
        let end = parse_date(&f.year_end).map_err(|c| AppError::field("year_end", c))?;
        books::close_year(&app, &coop, end).await.map(|_| ())
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct FecQuery {
    #[serde(default)]
    pub year: String,
}

/// The FEC of the fiscal year closing in `year` (by default the current one).
pub async fn fec(
    Coop(coop): Coop,
    State(state): State<AppState>,
    Query(q): Query<FecQuery>,
) -> PageResult {
    let year = match q.year.trim() {
        "" => {
            let span = views::fiscal_year_of(&state.app, &coop, state.app.clock.today()).await?;
            span.to.year()
        }
        y => y
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=9999).contains(y))
            .ok_or(AppError::field("year", "year_format"))?,
    };
    let file = exports::fec(&state.app, &coop, year).await?;
    Ok(download(&file.name, file.content_type, file.bytes))
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct JournalExportQuery {
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// The entries of a period in an accounting software's format.
pub async fn journal_export(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<JournalExportQuery>,
) -> PageResult {
    let mut e = FieldErrors::new();
    let format = match q.format.trim() {
        "" => Some(JournalFormat::Hledger),
        f => {
            let parsed = JournalFormat::parse(f);
            if parsed.is_none() {
                e.add("format", "books_format_unknown");
            }
            parsed
        }
    };
    let span = span_of(&state, &coop, &q.from, &q.to, &mut e).await?;
    let Some(format) = format.filter(|_| e.is_empty()) else {
        return home_page(&state, &page, &coop, Errors::from(&e, page.layout.t), None)
            .await
            .map(unprocessable);
    };
    let file = exports::journal(&state.app, &coop, format, span.from, span.to).await?;
    Ok(download(&file.name, file.content_type, file.bytes))
}

// ---------------------------------------------------------------------------------------------
// Trial balance

pub struct BalanceLine {
    pub account: String,
    pub label: String,
    pub href: String,
    pub debit: String,
    pub credit: String,
    pub balance_debit: String,
    pub balance_credit: String,
}

#[derive(Template)]
#[template(path = "books/balance.html")]
pub struct BalancePage {
    pub l: Layout,
    pub q: PeriodQuery,
    pub period: String,
    pub rows: Vec<BalanceLine>,
    pub debit: String,
    pub credit: String,
    pub balance_debit: String,
    pub balance_credit: String,
    pub csv_href: String,
    pub xlsx_href: String,
    pub home_href: String,
    pub errors: Errors,
}

fn period_text(t: Tr, span: Span) -> String {
    t.fmt("books.period", &[&fr_date(span.from), &fr_date(span.to)])
}

fn span_query(span: Span) -> String {
    format!("from={}&to={}", span.from, span.to)
}

pub async fn balance(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let mut e = FieldErrors::new();
    let span = span_of(&state, &coop, &q.from, &q.to, &mut e).await?;
    let tb = views::trial_balance(&state.app, &coop, span).await?;
    let (mut bd, mut bc) = (0, 0);
    let rows = tb
        .rows
        .iter()
        .map(|r| {
            let net = r.debit_cents - r.credit_cents;
            if net > 0 {
                bd += net;
            } else {
                bc -= net;
            }
            BalanceLine {
                href: format!(
                    "{}?{}",
                    paths::books_ledger(&coop.slug, &r.account),
                    span_query(span)
                ),
                account: r.account.clone(),
                label: r.label.clone().unwrap_or_default(),
                debit: amount(r.debit_cents),
                credit: amount(r.credit_cents),
                balance_debit: amount(net.max(0)),
                balance_credit: amount((-net).max(0)),
            }
        })
        .collect();
    let (csv_href, xlsx_href) = export_links(&paths::books_balance(&coop.slug), &span_query(span));
    Ok(render(&BalancePage {
        period: period_text(t, span),
        rows,
        debit: money(tb.debit_cents),
        credit: money(tb.credit_cents),
        balance_debit: money(bd),
        balance_credit: money(bc),
        csv_href,
        xlsx_href,
        home_href: paths::books(&coop.slug),
        errors: Errors::from(&e, t),
        q: if e.is_empty() && q.from.is_empty() && q.to.is_empty() {
            PeriodQuery {
                from: span.from.to_string(),
                to: span.to.to_string(),
            }
        } else {
            q
        },
        l: page.layout.clone(),
    }))
}

pub async fn balance_export(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let span = strict_span(&state, &coop, &q).await?;
    let tb = views::trial_balance(&state.app, &coop, span).await?;
    let table = Table {
        sheet: t.get("books.balance").into(),
        header: headers(
            t,
            &[
                "books.account",
                "books.account_label",
                "books.debit",
                "books.credit",
                "books.balance_debit",
                "books.balance_credit",
            ],
        ),
        rows: tb
            .rows
            .iter()
            .map(|r| {
                let net = r.debit_cents - r.credit_cents;
                vec![
                    r.account.clone(),
                    r.label.clone().unwrap_or_default(),
                    dec(r.debit_cents),
                    dec(r.credit_cents),
                    dec(net.max(0)),
                    dec((-net).max(0)),
                ]
            })
            .collect(),
    };
    table_file(
        &table,
        &format!("balance-{}-{}", span.from, span.to),
        &format,
    )
}

// ---------------------------------------------------------------------------------------------
// General ledger

pub struct LedgerRow {
    pub date: String,
    pub journal: String,
    pub number: String,
    pub href: String,
    pub piece: String,
    pub label: String,
    pub debit: String,
    pub credit: String,
    pub balance: String,
}

#[derive(Template)]
#[template(path = "books/ledger.html")]
pub struct LedgerPage {
    pub l: Layout,
    pub title: String,
    pub q: PeriodQuery,
    pub action: String,
    pub period: String,
    pub opening: String,
    pub rows: Vec<LedgerRow>,
    pub debit: String,
    pub credit: String,
    pub closing: String,
    pub truncated: bool,
    pub csv_href: String,
    pub xlsx_href: String,
    pub balance_href: String,
    pub errors: Errors,
}

/// The account named in the path (`None`: not an account number, the trial balance is shown).
fn account_of(raw: &str) -> Option<String> {
    AccountNumber::parse(raw)
        .ok()
        .map(|a| a.as_str().to_owned())
}

pub async fn ledger(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, account)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let Some(account) = account_of(&account) else {
        return Ok(Redirect::to(&paths::books_balance(&coop.slug)).into_response());
    };
    let mut e = FieldErrors::new();
    let span = span_of(&state, &coop, &q.from, &q.to, &mut e).await?;
    let gl = views::general_ledger(&state.app, &coop, &account, span, views::LEDGER_LIMIT).await?;
    let mut running = gl.opening_cents;
    let (mut debit, mut credit) = (0, 0);
    let rows = gl
        .lines
        .iter()
        .map(|l| {
            running += l.debit_cents - l.credit_cents;
            debit += l.debit_cents;
            credit += l.credit_cents;
            LedgerRow {
                date: fr_date(l.entry_date),
                journal: l.journal.clone(),
                number: l.number.clone().unwrap_or_default(),
                href: paths::books_entry(&coop.slug, l.entry_id),
                piece: l.piece_ref.clone(),
                label: match (&l.aux_label, &l.analytic) {
                    (Some(aux), Some(a)) => format!("{} — {aux} ({a})", l.label),
                    (Some(aux), None) => format!("{} — {aux}", l.label),
                    (None, Some(a)) => format!("{} ({a})", l.label),
                    (None, None) => l.label.clone(),
                },
                debit: amount(l.debit_cents),
                credit: amount(l.credit_cents),
                balance: money(running),
            }
        })
        .collect();
    let base = paths::books_ledger(&coop.slug, &account);
    let (csv_href, xlsx_href) = export_links(&base, &span_query(span));
    Ok(render(&LedgerPage {
        title: match &gl.label {
            Some(label) => t.fmt("books.ledger_of", &[&format!("{account} {label}")]),
            None => t.fmt("books.ledger_of", &[&account]),
        },
        action: base,
        period: period_text(t, span),
        opening: money(gl.opening_cents),
        rows,
        debit: money(debit),
        credit: money(credit),
        closing: money(running),
        truncated: gl.truncated,
        csv_href,
        xlsx_href,
        balance_href: format!("{}?{}", paths::books_balance(&coop.slug), span_query(span)),
        errors: Errors::from(&e, t),
        q: if q.from.is_empty() && q.to.is_empty() {
            PeriodQuery {
                from: span.from.to_string(),
                to: span.to.to_string(),
            }
        } else {
            q
        },
        l: page.layout.clone(),
    }))
}

pub async fn ledger_export(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, account, format)): Path<(String, String, String)>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let Some(account) = account_of(&account) else {
        return Ok(Redirect::to(&paths::books_balance(&coop.slug)).into_response());
    };
    let span = strict_span(&state, &coop, &q).await?;
    let gl = views::general_ledger(&state.app, &coop, &account, span, 1_000_000).await?;
    let mut running = gl.opening_cents;
    let mut rows = vec![vec![
        span.from.to_string(),
        String::new(),
        String::new(),
        String::new(),
        t.get("books.opening_balance").to_owned(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        dec(running),
    ]];
    rows.extend(gl.lines.iter().map(|l| {
        running += l.debit_cents - l.credit_cents;
        vec![
            l.entry_date.to_string(),
            l.journal.clone(),
            l.number.clone().unwrap_or_default(),
            l.piece_ref.clone(),
            l.label.clone(),
            l.aux_code.clone().unwrap_or_default(),
            l.analytic.clone().unwrap_or_default(),
            dec(l.debit_cents),
            dec(l.credit_cents),
            dec(running),
        ]
    }));
    let table = Table {
        sheet: account.clone(),
        header: headers(
            t,
            &[
                "books.date",
                "books.journal",
                "books.number",
                "books.piece",
                "books.label",
                "books.aux",
                "books.analytic_code",
                "books.debit",
                "books.credit",
                "books.running_balance",
            ],
        ),
        rows,
    };
    table_file(
        &table,
        &format!("grand-livre-{account}-{}-{}", span.from, span.to),
        &format,
    )
}

// ---------------------------------------------------------------------------------------------
// Journals: the entries

pub const PAGE_SIZE: i64 = 50;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct EntriesQuery {
    #[serde(default)]
    pub journal: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub drafts: String,
    #[serde(default)]
    pub done: String,
    pub page: Option<i64>,
}

impl EntriesQuery {
    fn drafts(&self) -> bool {
        !self.drafts.is_empty() && self.drafts != "0"
    }
    fn query_string(&self, page: Option<i64>) -> String {
        let mut pairs = vec![
            ("journal", self.journal.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            (
                "drafts",
                if self.drafts() {
                    "1".into()
                } else {
                    String::new()
                },
            ),
        ];
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        pairs.retain(|(_, v)| !v.is_empty());
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
    /// The filter: validated entries of the fiscal year by default, drafts of any date.
    async fn filter(
        &self,
        state: &AppState,
        coop: &CoopActor,
        e: &mut FieldErrors,
    ) -> Result<EntryFilter, AppError> {
        let drafts = self.drafts();
        let (from, to) = if drafts && self.from.trim().is_empty() && self.to.trim().is_empty() {
            (None, None)
        } else {
            let span = span_of(state, coop, &self.from, &self.to, e).await?;
            (Some(span.from), Some(span.to))
        };
        Ok(EntryFilter {
            journal: Some(self.journal.trim().to_uppercase()).filter(|j| !j.is_empty()),
            from,
            to,
            drafts,
        })
    }
}

pub struct EntryRow {
    pub href: String,
    pub date: String,
    pub journal: String,
    pub number: String,
    pub piece: String,
    pub label: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "books/entries.html")]
pub struct EntriesPage {
    pub l: Layout,
    pub drafts: bool,
    pub validated_href: String,
    pub drafts_href: String,
    pub action: String,
    pub journals: Vec<Choice>,
    pub from: String,
    pub to: String,
    pub rows: Vec<EntryRow>,
    pub count: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub new_href: Option<String>,
    pub home_href: String,
    pub errors: Errors,
    pub message: Option<String>,
}

fn entry_row(t: Tr, slug: &str, r: &EntryRecord) -> EntryRow {
    EntryRow {
        href: paths::books_entry(slug, r.entry_id),
        date: fr_date(r.entry_date),
        journal: r.journal.clone(),
        number: r
            .number
            .clone()
            .unwrap_or_else(|| t.get("books.draft").to_owned()),
        piece: r.piece_ref.clone(),
        label: r.label.clone(),
        amount: money(r.debit_cents),
    }
}

fn journal_choices(journals: &[JournalRecord], selected: &str) -> Vec<Choice> {
    journals
        .iter()
        .map(|j| Choice {
            value: j.code.clone(),
            label: format!("{} — {}", j.code, j.label),
            selected: j.code == selected.trim().to_uppercase(),
        })
        .collect()
}

pub async fn entries(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<EntriesQuery>,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let n = q.page.unwrap_or(0).max(0);
    let mut e = FieldErrors::new();
    let filter = q.filter(&state, &coop, &mut e).await?;
    let (rows, count) =
        views::entries(&state.app, &coop, &filter, PAGE_SIZE, n * PAGE_SIZE).await?;
    let (_, journals) = books::chart(&state.app, &coop).await?;
    let base = paths::books_entries(slug);
    let (csv_href, xlsx_href) = export_links(&base, &q.query_string(None));
    Ok(render(&EntriesPage {
        drafts: filter.drafts,
        validated_href: base.clone(),
        drafts_href: format!("{base}?drafts=1"),
        action: base.clone(),
        journals: journal_choices(&journals, &q.journal),
        from: filter
            .from
            .map(|d| d.to_string())
            .unwrap_or_else(|| q.from.clone()),
        to: filter
            .to
            .map(|d| d.to_string())
            .unwrap_or_else(|| q.to.clone()),
        rows: rows.iter().map(|r| entry_row(t, slug, r)).collect(),
        count,
        prev: (n > 0).then(|| format!("{base}?{}", q.query_string(Some(n - 1)))),
        next: ((n + 1) * PAGE_SIZE < count)
            .then(|| format!("{base}?{}", q.query_string(Some(n + 1)))),
        csv_href,
        xlsx_href,
        new_href: coop
            .may(Permission::BooksManage)
            .then(|| paths::books_new_entry(slug)),
        home_href: paths::books(slug),
        errors: Errors::from(&e, t),
        message: done_message(
            t,
            &DoneQuery {
                done: q.done.clone(),
                ..DoneQuery::default()
            },
        ),
        l: page.layout.clone(),
    }))
}

pub async fn entries_export(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<EntriesQuery>,
) -> PageResult {
    let t = page.layout.t;
    let mut e = FieldErrors::new();
    let filter = q.filter(&state, &coop, &mut e).await?;
    if !e.is_empty() {
        return Err(e.into());
    }
    let (rows, _) = views::entries(&state.app, &coop, &filter, 1_000_000, 0).await?;
    let table = Table {
        sheet: t.get("books.entries").into(),
        header: headers(
            t,
            &[
                "books.date",
                "books.journal",
                "books.number",
                "books.piece",
                "books.piece_date",
                "books.label",
                "books.amount",
                "books.state",
                "books.validated_at",
            ],
        ),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.entry_date.to_string(),
                    r.journal.clone(),
                    r.number.clone().unwrap_or_default(),
                    r.piece_ref.clone(),
                    r.piece_date.to_string(),
                    r.label.clone(),
                    dec(r.debit_cents),
                    t.get(&format!("books.state.{}", r.state)).to_owned(),
                    r.validated_at.map(datetime).unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let name = if filter.drafts {
        "brouillons"
    } else {
        "ecritures"
    };
    table_file(&table, name, &format)
}

// ---------------------------------------------------------------------------------------------
// One entry

pub struct EntryLineView {
    pub account: String,
    pub account_label: String,
    pub account_href: String,
    pub aux: String,
    pub analytic: String,
    pub label: String,
    pub debit: String,
    pub credit: String,
}

#[derive(Template)]
#[template(path = "books/entry.html")]
pub struct EntryPage {
    pub l: Layout,
    pub title: String,
    pub draft: bool,
    pub facts: Vec<(String, String)>,
    pub lines: Vec<EntryLineView>,
    pub debit: String,
    pub credit: String,
    pub sale_doc: Option<(String, String)>,
    pub may_manage: bool,
    pub base: String,
    pub edit_href: String,
    pub entries_href: String,
    pub errors: Errors,
    pub message: Option<String>,
}

async fn entry_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    errors: Errors,
    message: Option<String>,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let v = views::entry(&state.app, coop, id).await?;
    let e = &v.entry;
    let draft = e.state == "draft";
    let mut facts = vec![
        (t.get("books.journal").to_owned(), e.journal.clone()),
        (t.get("books.date").to_owned(), fr_date(e.entry_date)),
        (t.get("books.piece").to_owned(), e.piece_ref.clone()),
        (t.get("books.piece_date").to_owned(), fr_date(e.piece_date)),
        (t.get("books.label").to_owned(), e.label.clone()),
        (
            t.get("books.state").to_owned(),
            t.get(&format!("books.state.{}", e.state)).to_owned(),
        ),
        (
            t.get("books.source").to_owned(),
            t.get(&format!("books.source.{}", e.source_kind)).to_owned(),
        ),
    ];
    if let Some(at) = e.validated_at {
        facts.push((t.get("books.validated_at").to_owned(), datetime(at)));
    }
    let debit = v.lines.iter().map(|l| l.debit_cents).sum();
    let credit = v.lines.iter().map(|l| l.credit_cents).sum();
    Ok(render(&EntryPage {
        title: match &e.number {
            Some(n) => t.fmt("books.entry_title", &[n]),
            None => t.get("books.draft_title").to_owned(),
        },
        draft,
        facts,
        lines: v
            .lines
            .iter()
            .map(|l| EntryLineView {
                account_href: paths::books_ledger(slug, &l.account),
                account: l.account.clone(),
                account_label: l.account_label.clone().unwrap_or_default(),
                aux: match (&l.aux_code, &l.aux_label) {
                    (Some(c), Some(label)) if label != c => format!("{c} {label}"),
                    (Some(c), _) => c.clone(),
                    _ => String::new(),
                },
                analytic: l.analytic.clone().unwrap_or_default(),
                label: l.label.clone(),
                debit: amount(l.debit_cents),
                credit: amount(l.credit_cents),
            })
            .collect(),
        debit: money(debit),
        credit: money(credit),
        sale_doc: v
            .sale_doc
            .as_ref()
            .map(|(doc, number)| (paths::sale(slug, *doc), number.clone())),
        may_manage: draft && e.source_kind == "manual" && coop.may(Permission::BooksManage),
        base: paths::books_entry(slug, id),
        edit_href: paths::books_entry_edit(slug, id),
        entries_href: if draft {
            format!("{}?drafts=1", paths::books_entries(slug))
        } else {
            paths::books_entries(slug)
        },
        errors,
        message,
        l: page.layout.clone(),
    }))
}

pub async fn entry(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let message = done_message(page.layout.t, &q);
    entry_page(&state, &page, &coop, id, Errors::default(), message).await
}

pub async fn validate_entry(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    match books::validate_manual(&state.app, &coop, id).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "{}?done=validated",
            paths::books_entry(&coop.slug, id)
        ))
        .into_response()),
        Err(AppError::Invalid(e)) => entry_page(
            &state,
            &page,
            &coop,
            id,
            Errors::from(&e, page.layout.t),
            None,
        )
        .await
        .map(unprocessable),
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_entry(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    match books::delete_manual(&state.app, &coop, id).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?drafts=1&done=deleted",
            paths::books_entries(&coop.slug)
        ))
        .into_response()),
        Err(AppError::Invalid(e)) => entry_page(
            &state,
            &page,
            &coop,
            id,
            Errors::from(&e, page.layout.t),
            None,
        )
        .await
        .map(unprocessable),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Manual entries: the form

pub struct ManualRow {
    pub index: usize,
    pub account: String,
    pub aux_code: String,
    pub aux_label: String,
    pub analytic: String,
    pub debit: String,
    pub credit: String,
    pub errors: Vec<(String, String)>,
}

impl ManualRow {
    pub fn error(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "books/entry_form.html")]
pub struct EntryFormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub journals: Vec<Choice>,
    pub date: String,
    pub piece_ref: String,
    pub label: String,
    pub rows: Vec<ManualRow>,
    pub accounts: Vec<(String, String)>,
    pub errors: Errors,
    pub notice: Option<String>,
    pub cancel_href: String,
}

/// Reads the flat form: head fields, then `l{i}.account`, `l{i}.debit`… for `i < rows`. Blank
/// rows are kept: the use case skips them and names errors by the form's row.
fn read_entry_form(pairs: &[(String, String)]) -> (ManualEntryInput, String) {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let rows: usize = get("rows").parse().unwrap_or(0).min(200);
    let lines = (0..rows)
        .map(|i| {
            let f = |name: &str| get(&format!("l{i}.{name}"));
            ManualLineInput {
                account: f("account"),
                aux_code: f("aux_code"),
                aux_label: f("aux_label"),
                analytic: f("analytic"),
                debit: f("debit"),
                credit: f("credit"),
            }
        })
        .collect();
    (
        ManualEntryInput {
            journal: get("journal"),
            date: get("date"),
            piece_ref: get("piece_ref"),
            label: get("label"),
            lines,
        },
        get("action"),
    )
}

#[allow(clippy::too_many_arguments)]
async fn entry_form_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    heading: String,
    action: String,
    input: &ManualEntryInput,
    blank_rows: usize,
    errors: &FieldErrors,
    cancel_href: String,
) -> PageResult {
    let t = page.layout.t;
    let (accounts, journals) = books::chart(&state.app, coop).await?;
    let mut rows: Vec<ManualRow> = input
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| ManualRow {
            index: i,
            account: l.account.clone(),
            aux_code: l.aux_code.clone(),
            aux_label: l.aux_label.clone(),
            analytic: l.analytic.clone(),
            debit: l.debit.clone(),
            credit: l.credit.clone(),
            errors: errors
                .0
                .iter()
                .filter(|e| e.row == Some(i))
                .map(|e| {
                    // A line on both sides (or none) is told beside its debit.
                    let field = if e.field == "amount" {
                        "debit"
                    } else {
                        e.field
                    };
                    (field.to_owned(), t.error(e.code))
                })
                .collect(),
        })
        .collect();
    for _ in 0..blank_rows {
        let index = rows.len();
        rows.push(ManualRow {
            index,
            account: String::new(),
            aux_code: String::new(),
            aux_label: String::new(),
            analytic: String::new(),
            debit: String::new(),
            credit: String::new(),
            errors: Vec::new(),
        });
    }
    let any = !errors.is_empty();
    Ok(render(&EntryFormPage {
        heading,
        action,
        journals: journal_choices(&journals, &input.journal),
        date: input.date.clone(),
        piece_ref: input.piece_ref.clone(),
        label: input.label.clone(),
        rows,
        accounts: accounts
            .iter()
            .filter(|a| !a.archived)
            .map(|a| (a.number.clone(), a.label.clone()))
            .collect(),
        errors: Errors::from(errors, t),
        notice: any.then(|| t.get("form.has_errors").to_owned()),
        cancel_href,
        l: page.layout.clone(),
    }))
}

pub async fn new_entry(Coop(coop): Coop, State(state): State<AppState>, page: Page) -> PageResult {
    let t = page.layout.t;
    let (_, journals) = books::chart(&state.app, &coop).await?;
    let misc = journals
        .iter()
        .find(|j| j.role.as_deref() == Some(JournalRole::Misc.code()))
        .map(|j| j.code.clone())
        .unwrap_or_default();
    let input = ManualEntryInput {
        journal: misc,
        date: state.app.clock.today().to_string(),
        ..ManualEntryInput::default()
    };
    entry_form_page(
        &state,
        &page,
        &coop,
        t.get("books.new_entry").into(),
        paths::books_entries(&coop.slug),
        &input,
        6,
        &FieldErrors::new(),
        paths::books_entries(&coop.slug),
    )
    .await
}

pub async fn create_entry(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let t = page.layout.t;
    let (input, action) = read_entry_form(&pairs);
    let heading: String = t.get("books.new_entry").into();
    let post = paths::books_entries(&coop.slug);
    if action == "more" {
        return entry_form_page(
            &state,
            &page,
            &coop,
            heading,
            post.clone(),
            &input,
            3,
            &FieldErrors::new(),
            post,
        )
        .await;
    }
    match books::create_manual(&state.app, &coop, &input).await {
        Ok(id) => Ok(Redirect::to(&format!(
            "{}?done=draft_saved",
            paths::books_entry(&coop.slug, id)
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => entry_form_page(
            &state,
            &page,
            &coop,
            heading,
            post.clone(),
            &input,
            0,
            &errors,
            post,
        )
        .await
        .map(unprocessable),
        Err(e) => Err(e.into()),
    }
}

/// A draft manual entry, or `None` when it may not be edited (validated, or automatic).
async fn editable_input(
    state: &AppState,
    coop: &CoopActor,
    id: i64,
) -> Result<Option<ManualEntryInput>, AppError> {
    let v = views::entry(&state.app, coop, id).await?;
    if v.entry.state != "draft" || v.entry.source_kind != "manual" {
        return Ok(None);
    }
    Ok(Some(ManualEntryInput {
        journal: v.entry.journal.clone(),
        date: v.entry.entry_date.to_string(),
        piece_ref: v.entry.piece_ref.clone(),
        label: v.entry.label.clone(),
        lines: v
            .lines
            .iter()
            .map(|l| ManualLineInput {
                account: l.account.clone(),
                aux_code: l.aux_code.clone().unwrap_or_default(),
                aux_label: l.aux_label.clone().unwrap_or_default(),
                analytic: l.analytic.clone().unwrap_or_default(),
                debit: typed(l.debit_cents),
                credit: typed(l.credit_cents),
            })
            .collect(),
    }))
}

pub async fn edit_entry(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    let t = page.layout.t;
    let Some(input) = editable_input(&state, &coop, id).await? else {
        return Ok(Redirect::to(&paths::books_entry(&coop.slug, id)).into_response());
    };
    let blank = 6usize.saturating_sub(input.lines.len()).max(2);
    entry_form_page(
        &state,
        &page,
        &coop,
        t.get("books.edit_entry").into(),
        paths::books_entry_edit(&coop.slug, id),
        &input,
        blank,
        &FieldErrors::new(),
        paths::books_entry(&coop.slug, id),
    )
    .await
}

pub async fn update_entry(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let t = page.layout.t;
    let (input, action) = read_entry_form(&pairs);
    let heading: String = t.get("books.edit_entry").into();
    let post = paths::books_entry_edit(&coop.slug, id);
    let back = paths::books_entry(&coop.slug, id);
    if action == "more" {
        return entry_form_page(
            &state,
            &page,
            &coop,
            heading,
            post,
            &input,
            3,
            &FieldErrors::new(),
            back,
        )
        .await;
    }
    match books::update_manual(&state.app, &coop, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("{back}?done=draft_saved")).into_response()),
        Err(AppError::Invalid(errors)) if errors.for_field("state").is_none() => entry_form_page(
            &state, &page, &coop, heading, post, &input, 0, &errors, back,
        )
        .await
        .map(unprocessable),
        Err(AppError::Invalid(errors)) => {
            entry_page(&state, &page, &coop, id, Errors::from(&errors, t), None)
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Analytic balance

pub struct AnalyticLine {
    pub code: String,
    pub revenue: String,
    pub charges: String,
    pub result: String,
}

#[derive(Template)]
#[template(path = "books/analytic.html")]
pub struct AnalyticPage {
    pub l: Layout,
    pub q: PeriodQuery,
    pub period: String,
    pub rows: Vec<AnalyticLine>,
    pub revenue: String,
    pub charges: String,
    pub result: String,
    pub csv_href: String,
    pub xlsx_href: String,
    pub home_href: String,
    pub errors: Errors,
}

/// Per analytic code: revenue (class 7, credit − debit) and charges (class 6, debit − credit).
async fn analytic_totals(
    state: &AppState,
    coop: &CoopActor,
    span: Span,
) -> Result<Vec<(String, i64, i64)>, AppError> {
    let rows = views::analytic(&state.app, coop, span).await?;
    let mut per: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for r in &rows {
        let slot = per.entry(r.analytic.clone()).or_default();
        match class_of(&r.account) {
            7 => slot.0 += r.credit_cents - r.debit_cents,
            6 => slot.1 += r.debit_cents - r.credit_cents,
            _ => {}
        }
    }
    Ok(per
        .into_iter()
        .filter(|(_, (rev, chg))| *rev != 0 || *chg != 0)
        .map(|(code, (rev, chg))| (code, rev, chg))
        .collect())
}

pub async fn analytic(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let mut e = FieldErrors::new();
    let span = span_of(&state, &coop, &q.from, &q.to, &mut e).await?;
    let totals = analytic_totals(&state, &coop, span).await?;
    let revenue: i64 = totals.iter().map(|r| r.1).sum();
    let charges: i64 = totals.iter().map(|r| r.2).sum();
    let (csv_href, xlsx_href) = export_links(&paths::books_analytic(&coop.slug), &span_query(span));
    Ok(render(&AnalyticPage {
        period: period_text(t, span),
        rows: totals
            .iter()
            .map(|(code, rev, chg)| AnalyticLine {
                code: code.clone(),
                revenue: money(*rev),
                charges: money(*chg),
                result: money(rev - chg),
            })
            .collect(),
        revenue: money(revenue),
        charges: money(charges),
        result: money(revenue - charges),
        csv_href,
        xlsx_href,
        home_href: paths::books(&coop.slug),
        errors: Errors::from(&e, t),
        q: default_query(q, span),
        l: page.layout.clone(),
    }))
}

fn default_query(q: PeriodQuery, span: Span) -> PeriodQuery {
    if q.from.is_empty() && q.to.is_empty() {
        PeriodQuery {
            from: span.from.to_string(),
            to: span.to.to_string(),
        }
    } else {
        q
    }
}

pub async fn analytic_export(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let span = strict_span(&state, &coop, &q).await?;
    let totals = analytic_totals(&state, &coop, span).await?;
    let table = Table {
        sheet: t.get("books.analytic").into(),
        header: headers(
            t,
            &[
                "books.analytic_code",
                "books.revenue",
                "books.charges",
                "books.result",
            ],
        ),
        rows: totals
            .iter()
            .map(|(code, rev, chg)| vec![code.clone(), dec(*rev), dec(*chg), dec(rev - chg)])
            .collect(),
    };
    table_file(
        &table,
        &format!("analytique-{}-{}", span.from, span.to),
        &format,
    )
}

// ---------------------------------------------------------------------------------------------
// VAT summary

pub struct VatLine {
    pub month: String,
    pub collected: Vec<String>,
    pub total: String,
    pub deductible: String,
    pub due: String,
    pub pending: String,
}

#[derive(Template)]
#[template(path = "books/vat.html")]
pub struct VatPage {
    pub l: Layout,
    pub q: PeriodQuery,
    pub period: String,
    pub rates: Vec<String>,
    pub rows: Vec<VatLine>,
    pub totals: VatLine,
    pub csv_href: String,
    pub xlsx_href: String,
    pub home_href: String,
    pub errors: Errors,
}

pub async fn vat(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let mut e = FieldErrors::new();
    let span = span_of(&state, &coop, &q.from, &q.to, &mut e).await?;
    let months = views::vat_summary(&state.app, &coop, span).await?;
    let rates: Vec<String> = months
        .first()
        .map(|m| {
            m.collected
                .iter()
                .map(|(label, _)| (*label).to_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut sums = vec![0i64; rates.len()];
    let (mut total, mut deductible, mut due, mut pending) = (0, 0, 0, 0);
    let rows = months
        .iter()
        .map(|m| {
            for (i, (_, c)) in m.collected.iter().enumerate() {
                if let Some(s) = sums.get_mut(i) {
                    *s += c;
                }
            }
            total += m.collected_total;
            deductible += m.deductible;
            due += m.due;
            pending += m.pending_change;
            VatLine {
                month: month_label(t, m.month),
                collected: m.collected.iter().map(|(_, c)| money(*c)).collect(),
                total: money(m.collected_total),
                deductible: money(m.deductible),
                due: money(m.due),
                pending: money(m.pending_change),
            }
        })
        .collect();
    let (csv_href, xlsx_href) = export_links(&paths::books_vat(&coop.slug), &span_query(span));
    Ok(render(&VatPage {
        period: period_text(t, span),
        rates,
        rows,
        totals: VatLine {
            month: t.get("books.total").to_owned(),
            collected: sums.iter().map(|c| money(*c)).collect(),
            total: money(total),
            deductible: money(deductible),
            due: money(due),
            pending: money(pending),
        },
        csv_href,
        xlsx_href,
        home_href: paths::books(&coop.slug),
        errors: Errors::from(&e, t),
        q: default_query(q, span),
        l: page.layout.clone(),
    }))
}

pub async fn vat_export(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let span = strict_span(&state, &coop, &q).await?;
    let months = views::vat_summary(&state.app, &coop, span).await?;
    let mut header = vec![t.get("books.month").to_owned()];
    if let Some(m) = months.first() {
        header.extend(
            m.collected
                .iter()
                .map(|(label, _)| t.fmt("books.vat_collected_at", &[label])),
        );
    }
    header.extend(headers(
        t,
        &[
            "books.vat_collected",
            "books.vat_deductible",
            "books.vat_due",
            "books.vat_pending",
        ],
    ));
    let table = Table {
        sheet: t.get("books.vat").into(),
        header,
        rows: months
            .iter()
            .map(|m| {
                let mut row = vec![format!(
                    "{}-{:02}",
                    m.month.year(),
                    u8::from(m.month.month())
                )];
                row.extend(m.collected.iter().map(|(_, c)| dec(*c)));
                row.extend([
                    dec(m.collected_total),
                    dec(m.deductible),
                    dec(m.due),
                    dec(m.pending_change),
                ]);
                row
            })
            .collect(),
    };
    table_file(&table, &format!("tva-{}-{}", span.from, span.to), &format)
}

// ---------------------------------------------------------------------------------------------
// Chart of accounts and journals

#[derive(Clone, Debug, Default, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub archived: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct JournalForm {
    #[serde(default)]
    pub code: String,
    /// `journal_label` in the form: the account form of the same page has its own `label`.
    #[serde(default, rename = "journal_label")]
    pub label: String,
    #[serde(default)]
    pub role: String,
}

pub struct AccountView {
    pub number: String,
    pub label: String,
    pub archived: bool,
    pub href: String,
    pub edit_href: String,
}

pub struct JournalView {
    pub code: String,
    pub label: String,
    pub role: String,
    pub edit_href: String,
}

#[derive(Template)]
#[template(path = "books/chart.html")]
pub struct ChartPage {
    pub l: Layout,
    pub accounts: Vec<AccountView>,
    pub journals: Vec<JournalView>,
    pub may_manage: bool,
    pub account: AccountForm,
    pub account_errors: Errors,
    pub journal: JournalForm,
    pub roles: Vec<Choice>,
    pub journal_errors: Errors,
    pub account_action: String,
    pub journal_action: String,
    pub home_href: String,
    pub message: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ChartQuery {
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub journal: String,
    #[serde(default)]
    pub done: String,
}

#[allow(clippy::too_many_arguments)]
async fn chart_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    account: Option<AccountForm>,
    account_errors: Errors,
    journal: Option<JournalForm>,
    journal_errors: Errors,
    q: &ChartQuery,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let (accounts, journals) = books::chart(&state.app, coop).await?;
    let base = paths::books_chart(slug);
    let account = account.unwrap_or_else(|| {
        accounts
            .iter()
            .find(|a| a.number == q.account)
            .map(|a| AccountForm {
                number: a.number.clone(),
                label: a.label.clone(),
                archived: if a.archived {
                    "on".into()
                } else {
                    String::new()
                },
            })
            .unwrap_or_default()
    });
    let journal = journal.unwrap_or_else(|| {
        journals
            .iter()
            .find(|j| j.code == q.journal)
            .map(|j| JournalForm {
                code: j.code.clone(),
                label: j.label.clone(),
                role: j.role.clone().unwrap_or_default(),
            })
            .unwrap_or_default()
    });
    Ok(render(&ChartPage {
        accounts: accounts
            .iter()
            .map(|a| AccountView {
                number: a.number.clone(),
                label: a.label.clone(),
                archived: a.archived,
                href: paths::books_ledger(slug, &a.number),
                edit_href: format!("{base}?account={}#account-form", a.number),
            })
            .collect(),
        journals: journals
            .iter()
            .map(|j| JournalView {
                code: j.code.clone(),
                label: j.label.clone(),
                role: j
                    .role
                    .as_deref()
                    .map(|r| role_label(t, r))
                    .unwrap_or_default(),
                edit_href: format!("{base}?journal={}#journal-form", j.code),
            })
            .collect(),
        may_manage: coop.may(Permission::BooksManage),
        roles: JournalRole::ALL
            .iter()
            .map(|r| Choice {
                value: r.code().into(),
                label: role_label(t, r.code()),
                selected: journal.role == r.code(),
            })
            .collect(),
        account,
        account_errors,
        journal,
        journal_errors,
        account_action: format!("{base}/accounts"),
        journal_action: format!("{base}/journals"),
        home_href: paths::books(slug),
        message: done_message(
            t,
            &DoneQuery {
                done: q.done.clone(),
                ..DoneQuery::default()
            },
        ),
        l: page.layout.clone(),
    }))
}

pub async fn chart(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<ChartQuery>,
) -> PageResult {
    chart_page(
        &state,
        &page,
        &coop,
        None,
        Errors::default(),
        None,
        Errors::default(),
        &q,
    )
    .await
}

pub async fn save_account(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<AccountForm>,
) -> PageResult {
    let input = AccountInput {
        number: f.number.clone(),
        label: f.label.clone(),
        archived: f.archived == "on",
    };
    match books::save_account(&state.app, &coop, &input).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?done=account_saved",
            paths::books_chart(&coop.slug)
        ))
        .into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = Errors::from(&e, page.layout.t);
            chart_page(
                &state,
                &page,
                &coop,
                Some(f),
                errors,
                None,
                Errors::default(),
                &ChartQuery::default(),
            )
            .await
            .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn save_journal(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<JournalForm>,
) -> PageResult {
    let input = JournalInput {
        code: f.code.clone(),
        label: f.label.clone(),
        role: f.role.clone(),
    };
    match books::save_journal(&state.app, &coop, &input).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?done=journal_saved",
            paths::books_chart(&coop.slug)
        ))
        .into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = Errors::from(&e, page.layout.t);
            chart_page(
                &state,
                &page,
                &coop,
                None,
                Errors::default(),
                Some(f),
                errors,
                &ChartQuery::default(),
            )
            .await
            .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Bank statements

#[derive(Clone, Debug, Default, Deserialize)]
pub struct BookForm {
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub analytic: String,
    #[serde(default)]
    pub label: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct MappingForm {
    #[serde(default)]
    pub separator: String,
    #[serde(default)]
    pub encoding: String,
    #[serde(default)]
    pub skip_rows: String,
    #[serde(default)]
    pub date_column: String,
    #[serde(default)]
    pub date_format: String,
    #[serde(default)]
    pub amount_column: String,
    #[serde(default)]
    pub debit_column: String,
    #[serde(default)]
    pub credit_column: String,
    #[serde(default)]
    pub label_column: String,
    #[serde(default)]
    pub reference_column: String,
    #[serde(default)]
    pub decimal_comma: String,
}

pub struct ProposalView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct QueueLineView {
    pub id: i64,
    pub date: String,
    pub amount: String,
    pub label: String,
    pub counterparty: String,
    pub reference: String,
    pub proposals: Vec<ProposalView>,
    pub none_selected: bool,
    pub error: String,
    pub book_action: String,
    pub book: BookForm,
    pub book_errors: Errors,
    pub book_open: bool,
}

#[derive(Template)]
#[template(path = "books/bank.html")]
pub struct BankPage {
    pub l: Layout,
    pub may_manage: bool,
    pub import_action: String,
    pub file_error: String,
    pub lines: Vec<QueueLineView>,
    pub count: i64,
    pub any_proposal: bool,
    pub confirm_action: String,
    pub confirm_errors: Vec<String>,
    pub accounts: Vec<(String, String)>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub mapping_action: String,
    pub mapping: MappingForm,
    pub mapping_errors: Errors,
    pub mapping_open: bool,
    pub separators: Vec<Choice>,
    pub encodings: Vec<Choice>,
    pub date_formats: Vec<Choice>,
    pub home_href: String,
    pub message: Option<String>,
}

/// What the bank page shows besides the queue: a message, or a refusal with what was typed.
#[derive(Default)]
struct BankExtras {
    message: Option<String>,
    file_error: String,
    confirm_errors: Vec<String>,
    line_errors: HashMap<i64, String>,
    chosen: Option<HashMap<i64, String>>,
    book: Option<(i64, BookForm, Errors)>,
    mapping: Option<(MappingForm, Errors)>,
    page: i64,
}

fn mapping_form(r: Option<essaim_app::records::CsvMappingRecord>) -> MappingForm {
    match r {
        Some(r) => MappingForm {
            separator: r.separator,
            encoding: r.encoding,
            skip_rows: r.skip_rows.to_string(),
            date_column: r.date_column,
            date_format: r.date_format,
            amount_column: r.amount_column.unwrap_or_default(),
            debit_column: r.debit_column.unwrap_or_default(),
            credit_column: r.credit_column.unwrap_or_default(),
            label_column: r.label_column,
            reference_column: r.reference_column.unwrap_or_default(),
            decimal_comma: if r.decimal_comma {
                "on".into()
            } else {
                String::new()
            },
        },
        // What most French banks write.
        None => MappingForm {
            separator: ";".into(),
            encoding: "windows-1252".into(),
            skip_rows: "0".into(),
            date_format: "DD/MM/YYYY".into(),
            decimal_comma: "on".into(),
            ..MappingForm::default()
        },
    }
}

fn choices(options: &[(&str, String)], selected: &str) -> Vec<Choice> {
    options
        .iter()
        .map(|(v, label)| Choice {
            value: (*v).into(),
            label: label.clone(),
            selected: *v == selected,
        })
        .collect()
}

async fn bank_page(state: &AppState, page: &Page, coop: &CoopActor, x: BankExtras) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let n = x.page.max(0);
    let (queue, count) = bank::queue(&state.app, coop, PAGE_SIZE, n * PAGE_SIZE).await?;
    let (accounts, _) = books::chart(&state.app, coop).await?;
    let base = paths::books_bank(slug);
    // A refusal about a line no longer in the queue (settled meanwhile) is told above it.
    let mut confirm_errors = x.confirm_errors;
    for (line, message) in &x.line_errors {
        if !queue.iter().any(|q| q.line.bank_line_id == *line) {
            confirm_errors.insert(0, message.clone());
        }
    }
    let lines: Vec<QueueLineView> = queue
        .iter()
        .map(|q| {
            let id = q.line.bank_line_id;
            let chosen = x
                .chosen
                .as_ref()
                .map(|c| c.get(&id).cloned().unwrap_or_default());
            let proposals: Vec<ProposalView> = q
                .proposals
                .iter()
                .enumerate()
                .map(|(i, p)| ProposalView {
                    value: p.sale_doc_id.to_string(),
                    label: t.fmt(
                        "books.bank.proposal",
                        &[
                            &p.number,
                            &p.customer_name,
                            &money(p.outstanding_cents),
                            &p.score.to_string(),
                        ],
                    ),
                    selected: match &chosen {
                        Some(c) => *c == p.sale_doc_id.to_string(),
                        None => i == 0,
                    },
                })
                .collect();
            let none_selected = !proposals.iter().any(|p| p.selected);
            let (book, book_errors, book_open) = match &x.book {
                Some((line, f, e)) if *line == id => (f.clone(), e.clone(), true),
                _ => (BookForm::default(), Errors::default(), false),
            };
            QueueLineView {
                id,
                date: fr_date(q.line.booked_on),
                amount: money(q.line.amount_cents),
                label: q.line.label.clone(),
                counterparty: q.line.counterparty.clone().unwrap_or_default(),
                reference: q.line.reference.clone().unwrap_or_default(),
                proposals,
                none_selected,
                error: x.line_errors.get(&id).cloned().unwrap_or_default(),
                book_action: paths::books_bank_line_book(slug, id),
                book,
                book_errors,
                book_open,
            }
        })
        .collect();
    let (mapping, mapping_errors, mapping_open) = match x.mapping {
        Some((f, e)) => (f, e, true),
        None => (
            mapping_form(bank::csv_mapping(&state.app, coop).await?),
            Errors::default(),
            false,
        ),
    };
    let separators = choices(
        &[
            (";", t.get("books.csv.sep_semicolon").to_owned()),
            (",", t.get("books.csv.sep_comma").to_owned()),
            ("tab", t.get("books.csv.sep_tab").to_owned()),
            ("|", t.get("books.csv.sep_pipe").to_owned()),
        ],
        &mapping.separator,
    );
    let encodings = choices(
        &[
            ("utf-8", "UTF-8".to_owned()),
            ("windows-1252", "Windows-1252 (ANSI)".to_owned()),
            ("iso-8859-15", "ISO-8859-15".to_owned()),
        ],
        &mapping.encoding,
    );
    let date_formats = choices(
        &[
            ("DD/MM/YYYY", t.get("books.csv.date_dmy_slash").to_owned()),
            ("YYYY-MM-DD", t.get("books.csv.date_iso").to_owned()),
            ("DD-MM-YYYY", t.get("books.csv.date_dmy_dash").to_owned()),
            ("DD.MM.YYYY", t.get("books.csv.date_dmy_dot").to_owned()),
        ],
        &mapping.date_format,
    );
    Ok(render(&BankPage {
        may_manage: coop.may(Permission::BooksManage),
        import_action: format!("{base}/import"),
        file_error: x.file_error,
        any_proposal: lines.iter().any(|l| !l.proposals.is_empty()),
        lines,
        count,
        confirm_action: format!("{base}/confirm"),
        confirm_errors,
        accounts: accounts
            .iter()
            .filter(|a| !a.archived)
            .map(|a| (a.number.clone(), a.label.clone()))
            .collect(),
        prev: (n > 0).then(|| format!("{base}?page={}", n - 1)),
        next: ((n + 1) * PAGE_SIZE < count).then(|| format!("{base}?page={}", n + 1)),
        mapping_action: format!("{base}/mapping"),
        mapping,
        mapping_errors,
        mapping_open,
        separators,
        encodings,
        date_formats,
        home_href: paths::books(slug),
        message: x.message,
        l: page.layout.clone(),
    }))
}

pub async fn bank_home(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let extras = BankExtras {
        message: done_message(page.layout.t, &q),
        page: q.page.unwrap_or(0),
        ..BankExtras::default()
    };
    bank_page(&state, &page, &coop, extras).await
}

/// The file of the upload form (its name and bytes); `None` when the upload could not be read.
async fn read_statement(mut mp: Multipart) -> Option<(String, Vec<u8>)> {
    let mut out = (String::new(), Vec::new());
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                if field.name() == Some("file") {
                    out.0 = field.file_name().unwrap_or("").to_owned();
                    out.1 = field.bytes().await.ok()?.to_vec();
                }
            }
            Ok(None) => return Some(out),
            Err(_) => return None,
        }
    }
}

pub async fn bank_import(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    mp: Multipart,
) -> PageResult {
    let t = page.layout.t;
    let result = match read_statement(mp).await {
        Some((name, bytes)) => bank::import(&state.app, &coop, &name, &bytes).await,
        None => Err(AppError::field("file", "file_too_large")),
    };
    let file_error = match result {
        Ok(s) => {
            return Ok(Redirect::to(&format!(
                "{}?done=imported&n={}&d={}",
                paths::books_bank(&coop.slug),
                s.new_lines,
                s.duplicates
            ))
            .into_response());
        }
        Err(AppError::BadFile {
            code,
            line: Some(line),
        }) => t.fmt("books.bank.file_line", &[&line.to_string(), &t.error(code)]),
        Err(AppError::BadFile { code, line: None }) => t.error(code),
        Err(AppError::Invalid(e)) => e.0.first().map(|f| t.error(f.code)).unwrap_or_default(),
        Err(e) => return Err(e.into()),
    };
    let extras = BankExtras {
        file_error,
        ..BankExtras::default()
    };
    bank_page(&state, &page, &coop, extras)
        .await
        .map(unprocessable)
}

pub async fn bank_confirm(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let t = page.layout.t;
    // `m{line}` = the chosen invoice, or empty for "not now".
    let mut chosen = HashMap::new();
    let mut pairs = Vec::new();
    for (k, v) in &form {
        let Some(line) = k.strip_prefix('m').and_then(|l| l.parse::<i64>().ok()) else {
            continue;
        };
        chosen.insert(line, v.clone());
        if let Ok(doc) = v.trim().parse::<i64>() {
            pairs.push((line, doc));
        }
    }
    // Nothing chosen is told before anything else (no permission is involved in that).
    let result = if pairs.is_empty() {
        Err(AppError::field("matches", "nothing_selected"))
    } else {
        bank::confirm(&state.app, &coop, &pairs).await
    };
    match result {
        Ok(n) => Ok(Redirect::to(&format!(
            "{}?done=confirmed&n={n}",
            paths::books_bank(&coop.slug)
        ))
        .into_response()),
        Err(AppError::Invalid(e)) => {
            let mut extras = BankExtras {
                chosen: Some(chosen),
                ..BankExtras::default()
            };
            for err in &e.0 {
                match err.row.and_then(|r| pairs.get(r)) {
                    Some((line, _)) => {
                        extras.line_errors.insert(*line, t.error(err.code));
                    }
                    None => extras.confirm_errors.push(t.error(err.code)),
                }
            }
            if !extras.line_errors.is_empty() {
                extras
                    .confirm_errors
                    .push(t.get("books.bank.confirm_refused").to_owned());
            }
            bank_page(&state, &page, &coop, extras)
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn bank_book(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<BookForm>,
) -> PageResult {
    let input = bank::BookInput {
        account: f.account.clone(),
        analytic: f.analytic.clone(),
        label: f.label.clone(),
    };
    match bank::book(&state.app, &coop, id, &input).await {
        Ok(_) => Ok(
            Redirect::to(&format!("{}?done=booked", paths::books_bank(&coop.slug))).into_response(),
        ),
        Err(AppError::Invalid(e)) => {
            let errors = Errors::from(&e, page.layout.t);
            let extras = BankExtras {
                book: Some((id, f, errors)),
                ..BankExtras::default()
            };
            bank_page(&state, &page, &coop, extras)
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn bank_mapping(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<MappingForm>,
) -> PageResult {
    let input = bank::CsvMappingInput {
        separator: f.separator.clone(),
        encoding: f.encoding.clone(),
        skip_rows: f.skip_rows.clone(),
        date_column: f.date_column.clone(),
        date_format: f.date_format.clone(),
        amount_column: f.amount_column.clone(),
        debit_column: f.debit_column.clone(),
        credit_column: f.credit_column.clone(),
        label_column: f.label_column.clone(),
        reference_column: f.reference_column.clone(),
        decimal_comma: f.decimal_comma == "on",
    };
    match bank::save_csv_mapping(&state.app, &coop, &input).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?done=mapping_saved",
            paths::books_bank(&coop.slug)
        ))
        .into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = Errors::from(&e, page.layout.t);
            let extras = BankExtras {
                mapping: Some((f, errors)),
                ..BankExtras::default()
            };
            bank_page(&state, &page, &coop, extras)
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// On a sale document's page

/// The entries of a sale document and its payments, as (link, number, date, journal, amount),
/// for someone who reads the books; empty for anyone else.
pub async fn of_sale_doc(
    state: &AppState,
    coop: &CoopActor,
    doc: i64,
) -> Vec<(String, String, String, String)> {
    if !coop.may(Permission::BooksRead) {
        return Vec::new();
    }
    views::of_sale_doc(&state.app, coop, doc)
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
