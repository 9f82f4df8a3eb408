//! The books through the JSON API (issue 7, point 7): entries, trial balance, FEC and journal
//! exports, bank-statement import. Same use cases and permissions as the pages
//! (`essaim_app::books`): `books.read` to read, `books.manage` to import.

use super::ProblemBody;
use super::sales::Amount;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use essaim_app::books::{bank, exports, views};
use essaim_app::records::{EntryFilter, EntryLineRecord, EntryRecord};
use essaim_app::{AppError, CoopActor};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

fn parse_day(field: &'static str, s: &Option<String>) -> Result<Option<Date>, AppError> {
    s.as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| essaim_domain::person::parse_date(s).map_err(|c| AppError::field(field, c)))
        .transpose()
}

/// A period: `from` and `to` as `YYYY-MM-DD`; by default the current fiscal year.
#[derive(Deserialize, IntoParams, Debug, Default)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

async fn span(
    state: &AppState,
    coop: &CoopActor,
    q: &PeriodQuery,
) -> Result<views::Span, AppError> {
    let default = views::fiscal_year_of(&state.app, coop, state.app.clock.today()).await?;
    Ok(views::Span {
        from: parse_day("from", &q.from)?.unwrap_or(default.from),
        to: parse_day("to", &q.to)?.unwrap_or(default.to),
    })
}

#[derive(Serialize, ToSchema, Debug)]
pub struct BalanceLine {
    pub account: String,
    pub label: Option<String>,
    pub debit: Amount,
    pub credit: Amount,
    /// Debit minus credit.
    pub balance: Amount,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct TrialBalanceResponse {
    pub from: String,
    pub to: String,
    pub accounts: Vec<BalanceLine>,
    pub debit: Amount,
    pub credit: Amount,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/books/balance", tag = "books", params(("coop" = String, Path), PeriodQuery),
    description = "The trial balance of a period (validated entries): totals per account.",
    responses((status = 200, body = TrialBalanceResponse), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)), security(("token" = [])))]
pub async fn balance(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<TrialBalanceResponse>, ApiError> {
    let span = span(&state, &coop, &q).await?;
    let tb = views::trial_balance(&state.app, &coop, span).await?;
    Ok(Json(TrialBalanceResponse {
        from: span.from.to_string(),
        to: span.to.to_string(),
        accounts: tb
            .rows
            .into_iter()
            .map(|r| BalanceLine {
                balance: Amount::of(r.debit_cents - r.credit_cents),
                debit: Amount::of(r.debit_cents),
                credit: Amount::of(r.credit_cents),
                account: r.account,
                label: r.label,
            })
            .collect(),
        debit: Amount::of(tb.debit_cents),
        credit: Amount::of(tb.credit_cents),
    }))
}

#[derive(Deserialize, IntoParams, Debug, Default)]
pub struct EntriesQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    /// A journal code (`VT`, `BQ`…).
    pub journal: Option<String>,
    /// Drafts (manual entries not validated yet) instead of validated entries.
    #[serde(default)]
    pub drafts: bool,
    /// 1-based page of 200 entries.
    pub page: Option<i64>,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct EntryLineResponse {
    pub account: String,
    pub account_label: Option<String>,
    pub aux_code: Option<String>,
    pub aux_label: Option<String>,
    pub analytic: Option<String>,
    pub label: String,
    pub debit: Amount,
    pub credit: Amount,
}

#[derive(Serialize, ToSchema, Debug)]
pub struct EntryResponse {
    pub id: i64,
    pub journal: String,
    pub number: Option<String>,
    pub date: String,
    pub piece_ref: String,
    pub label: String,
    pub state: String,
    /// What the entry records: `sale_doc`, `payment`, `bank_line`, `manual`, `opening`.
    pub source_kind: String,
    pub source_id: Option<i64>,
    pub total: Amount,
    /// The lines, in the detail of one entry only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<EntryLineResponse>>,
}

fn entry_response(e: EntryRecord, lines: Option<Vec<EntryLineRecord>>) -> EntryResponse {
    EntryResponse {
        id: e.entry_id,
        journal: e.journal,
        number: e.number,
        date: e.entry_date.to_string(),
        piece_ref: e.piece_ref,
        label: e.label,
        state: e.state,
        source_kind: e.source_kind,
        source_id: e.source_id,
        total: Amount::of(e.debit_cents),
        lines: lines.map(|ls| {
            ls.into_iter()
                .map(|l| EntryLineResponse {
                    account: l.account,
                    account_label: l.account_label,
                    aux_code: l.aux_code,
                    aux_label: l.aux_label,
                    analytic: l.analytic,
                    label: l.label,
                    debit: Amount::of(l.debit_cents),
                    credit: Amount::of(l.credit_cents),
                })
                .collect()
        }),
    }
}

#[derive(Serialize, ToSchema, Debug)]
pub struct EntriesResponse {
    pub total: i64,
    pub page: i64,
    pub entries: Vec<EntryResponse>,
}

const PAGE: i64 = 200;

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/books/entries", tag = "books", params(("coop" = String, Path), EntriesQuery),
    description = "Entries of a period in date order, 200 per page, optionally of one journal.",
    responses((status = 200, body = EntriesResponse), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)), security(("token" = [])))]
pub async fn entries(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<EntriesQuery>,
) -> Result<Json<EntriesResponse>, ApiError> {
    let s = span(
        &state,
        &coop,
        &PeriodQuery {
            from: q.from.clone(),
            to: q.to.clone(),
        },
    )
    .await?;
    let page = q.page.unwrap_or(1).max(1);
    let filter = EntryFilter {
        journal: q
            .journal
            .clone()
            .filter(|j| !j.is_empty())
            .map(|j| j.to_uppercase()),
        from: Some(s.from),
        to: Some(s.to),
        drafts: q.drafts,
    };
    let (rows, total) = views::entries(&state.app, &coop, &filter, PAGE, (page - 1) * PAGE).await?;
    Ok(Json(EntriesResponse {
        total,
        page,
        entries: rows.into_iter().map(|e| entry_response(e, None)).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/books/entries/{id}", tag = "books", params(("coop" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = EntryResponse), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn entry(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Json<EntryResponse>, ApiError> {
    let v = views::entry(&state.app, &coop, (path.0).1).await?;
    Ok(Json(entry_response(v.entry, Some(v.lines))))
}

fn file(f: exports::ExportFile) -> Response {
    (
        [
            (header::CONTENT_TYPE, f.content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", f.name),
            ),
        ],
        f.bytes,
    )
        .into_response()
}

#[derive(Deserialize, IntoParams, Debug)]
pub struct FecQuery {
    /// The year the fiscal year closes in; by default the current fiscal year's.
    pub year: Option<i32>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/books/fec", tag = "books", params(("coop" = String, Path), FecQuery),
    description = "The FEC of the fiscal year closing in `year`: `<SIREN>FEC<closing date>.txt`, ISO-8859-15, TAB-separated, the 18 columns of A47 A-1 LPF.",
    responses((status = 200, description = "The FEC file", content_type = "text/plain"), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn fec(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<FecQuery>,
) -> Result<Response, ApiError> {
    let year = match q.year {
        Some(y) => y,
        None => views::fiscal_year_of(&state.app, &coop, state.app.clock.today())
            .await?
            .to
            .year(),
    };
    Ok(file(exports::fec(&state.app, &coop, year).await?))
}

#[derive(Deserialize, IntoParams, Debug)]
pub struct JournalQuery {
    /// `hledger` (the default), `sage`, `cegid` or `quadra`.
    pub format: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/books/journal", tag = "books", params(("coop" = String, Path), JournalQuery),
    description = "The validated entries of a period as an hledger journal or a Sage, Cegid or Quadra import file (columns in docs/books.md).",
    responses((status = 200, description = "The file"), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)), security(("token" = [])))]
pub async fn journal(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<JournalQuery>,
) -> Result<Response, ApiError> {
    let format = exports::JournalFormat::parse(q.format.as_deref().unwrap_or("hledger"))
        .ok_or(AppError::field("format", "export_format_unknown"))?;
    let s = span(
        &state,
        &coop,
        &PeriodQuery {
            from: q.from.clone(),
            to: q.to.clone(),
        },
    )
    .await?;
    Ok(file(
        exports::journal(&state.app, &coop, format, s.from, s.to).await?,
    ))
}

#[derive(Serialize, ToSchema, Debug)]
pub struct ImportResponse {
    pub import_id: i64,
    /// `camt053`, `ofx` or `csv`.
    pub format: String,
    pub lines: usize,
    pub new_lines: u64,
    pub duplicates: u64,
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/books/bank/imports", tag = "books", params(("coop" = String, Path)),
    description = "Imports a bank statement sent as multipart field `file`: CAMT.053, OFX, or CSV read with the saved column mapping. Lines already imported are skipped; an unreadable file is refused whole (422, with the file line).",
    responses((status = 201, body = ImportResponse), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)), security(("token" = [])))]
pub async fn import_bank(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    mut form: Multipart,
) -> Result<Response, ApiError> {
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| AppError::field("file", "upload_failed"))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("releve").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::field("file", "file_too_large"))?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let (name, bytes) = file.ok_or(AppError::field("file", "required"))?;
    let s = bank::import(&state.app, &coop, &name, &bytes).await?;
    Ok((
        StatusCode::CREATED,
        Json(ImportResponse {
            import_id: s.import_id,
            format: s.format.to_owned(),
            lines: s.lines,
            new_lines: s.new_lines,
            duplicates: s.duplicates,
        }),
    )
        .into_response())
}
