//! Spending through the JSON API (issue 5, point 6): expense reports (open the month's, add
//! expenses and trips, attach receipts, send), supplier invoices (record, list, read). The same
//! use cases and checks as the pages (`essaim_app::spending`): an entrepreneur reaches their own
//! reports and their activities' invoices only; anything else is "not found".
//!
//! Amounts and dates are sent as a person types them (`"120,00"`, `"2026-11-12"`) and checked by
//! the domain, whose errors name the field; amounts come back as [`Amount`]s.

use super::ProblemBody;
use super::sales::Amount;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use essaim_app::records::{InvoiceFilter, ReportFilter, ReportRecord, SupplierInvoiceRecord};
use essaim_app::spending::reports::{self, Upload};
use essaim_app::spending::suppliers::{self, InvoiceFile, STATUSES};
use essaim_app::{AppError, CoopActor};
use essaim_domain::spending::mileage::MileageInput;
use essaim_domain::spending::report::{ExpenseInput, ReportStatus};
use essaim_domain::spending::supplier::SupplierInvoiceInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

// --- expense reports ------------------------------------------------------------------------

/// An expense report: one person's month.
#[derive(Serialize, ToSchema)]
pub struct ReportSummary {
    pub id: i64,
    pub user_id: i64,
    pub person: String,
    /// `2026-11`.
    pub month: String,
    /// `draft`, `submitted`, `returned`, `validated` or `refunded` (EXP-05).
    pub status: String,
    /// The support team's comment when returned.
    pub comment: Option<String>,
    pub expenses: Amount,
    pub mileage: Amount,
    /// The VAT the cooperative recovers (EXP-04).
    pub recoverable_vat: Amount,
    /// What is refunded: expenses plus mileage.
    pub refund: Amount,
    pub refunded_on: Option<String>,
}

fn summary(r: &ReportRecord) -> ReportSummary {
    ReportSummary {
        id: r.report_id,
        user_id: r.user_id,
        person: r.person_name.clone(),
        month: r.month.clone(),
        status: r.status.clone(),
        comment: r.comment.clone(),
        expenses: Amount::of(r.expenses_cents),
        mileage: Amount::of(r.mileage_cents),
        recoverable_vat: Amount::of(r.recoverable_vat_cents),
        refund: Amount::of(r.expenses_cents + r.mileage_cents),
        refunded_on: r.refunded_on.map(|d| d.to_string()),
    }
}

/// An expense line.
#[derive(Serialize, ToSchema)]
pub struct ExpenseLine {
    pub id: i64,
    pub date: String,
    pub category: String,
    pub activity_id: i64,
    pub amount: Amount,
    pub vat: Amount,
    pub vat_recoverable: bool,
    pub description: String,
    /// The receipt's SHA-256, when attached.
    pub receipt_sha256: Option<String>,
}

/// A trip priced by the kilometric scale (EXP-01, EXP-02).
#[derive(Serialize, ToSchema)]
pub struct TripLine {
    pub id: i64,
    pub date: String,
    pub from: String,
    pub to: String,
    pub purpose: String,
    pub activity_id: i64,
    /// Kilometres, as a decimal string.
    pub km: String,
    /// `car`, `motorcycle` or `moped`.
    pub vehicle: String,
    pub fiscal_power: i64,
    pub electric: bool,
    pub amount: Amount,
    pub scale_year: i64,
    /// Priced with an earlier year's scale, the trip's own not being published yet.
    pub provisional: bool,
}

/// A report with its lines.
#[derive(Serialize, ToSchema)]
pub struct ReportResponse {
    #[serde(flatten)]
    pub report: ReportSummary,
    pub expenses_lines: Vec<ExpenseLine>,
    pub trips: Vec<TripLine>,
}

async fn report_response(
    state: &AppState,
    coop: &CoopActor,
    id: i64,
) -> Result<ReportResponse, ApiError> {
    let v = reports::show(&state.app, coop, id).await?;
    Ok(ReportResponse {
        report: summary(&v.report),
        expenses_lines: v
            .lines
            .iter()
            .map(|l| ExpenseLine {
                id: l.line_id,
                date: l.spent_on.to_string(),
                category: l.category.clone(),
                activity_id: l.activity_id,
                amount: Amount::of(l.amount_cents),
                vat: Amount::of(l.vat_cents),
                vat_recoverable: l.vat_recoverable,
                description: l.description.clone(),
                receipt_sha256: l.receipt_sha256.clone(),
            })
            .collect(),
        trips: v
            .trips
            .iter()
            .map(|t| TripLine {
                id: t.line_id,
                date: t.driven_on.to_string(),
                from: t.from_place.clone(),
                to: t.to_place.clone(),
                purpose: t.purpose.clone(),
                activity_id: t.activity_id,
                km: rust_decimal::Decimal::new(t.km_tenths, 1)
                    .normalize()
                    .to_string(),
                vehicle: t.vehicle.clone(),
                fiscal_power: t.fiscal_power,
                electric: t.electric,
                amount: Amount::of(t.amount_cents),
                scale_year: t.scale_year,
                provisional: t.provisional,
            })
            .collect(),
    })
}

/// The filters of the report list.
#[derive(Deserialize, IntoParams)]
pub struct ReportQuery {
    /// `draft`, `submitted`, `returned`, `validated` or `refunded`.
    status: Option<String>,
    /// `2026`: the reports of that year.
    year: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/expense-reports", tag = "spending", params(("coop" = String, Path), ReportQuery),
    description = "Expense reports, newest month first (at most 500): the caller's own, or everyone's for the support team.",
    responses((status = 200, body = [ReportSummary]), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn expense_reports(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<ReportQuery>,
) -> Result<Json<Vec<ReportSummary>>, ApiError> {
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => Some(
            ReportStatus::parse(s)
                .ok_or(AppError::field("status", "status_unknown"))?
                .code()
                .to_owned(),
        ),
    };
    let period = match q.year.as_deref() {
        None | Some("") => None,
        Some(y) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => Some(y.to_owned()),
        Some(_) => return Err(AppError::field("year", "year_format").into()),
    };
    let filter = ReportFilter {
        user: None,
        status,
        period,
    };
    let rows = reports::list(&state.app, &coop, filter, 500, 0).await?;
    Ok(Json(rows.iter().map(summary).collect()))
}

/// The month of the report to open.
#[derive(Deserialize, ToSchema, Default)]
pub struct MonthRequest {
    /// `2026-11`.
    #[serde(default)]
    pub month: String,
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/expense-reports", tag = "spending", params(("coop" = String, Path)), request_body = MonthRequest,
    description = "Opens the caller's report of the month (the same one when it exists).",
    responses((status = 201, body = ReportResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn open_report(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Json(r): Json<MonthRequest>,
) -> Result<Response, ApiError> {
    let id = reports::open_month(&state.app, &coop, &r.month).await?;
    let body = report_response(&state, &coop, id).await?;
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/expense-reports/{id}", tag = "spending", params(("coop" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = ReportResponse), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn expense_report(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Json<ReportResponse>, ApiError> {
    Ok(Json(report_response(&state, &coop, (path.0).1).await?))
}

/// An expense paid by the person, as typed.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ExpenseRequest {
    /// `2026-11-12`: not after the report's month nor today.
    pub date: String,
    /// A category code of the cooperative (`travel`, `meals`…).
    pub category: String,
    /// Paid, VAT included: `"120,00"`.
    pub amount: String,
    /// The VAT on the receipt; empty: the category's usual rate; `"0"` when none.
    pub vat: String,
    /// EXP-04: the receipt is an invoice in the cooperative's name.
    pub vat_recoverable: bool,
    /// Id of one of the caller's activities.
    pub activity: String,
    pub description: String,
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/expense-reports/{id}/lines", tag = "spending", params(("coop" = String, Path), ("id" = i64, Path)), request_body = ExpenseRequest,
    description = "Adds an expense to a draft or returned report; attach its receipt with `…/lines/{line}/receipt`.",
    responses((status = 201, body = ReportResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn add_expense(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
    Json(r): Json<ExpenseRequest>,
) -> Result<Response, ApiError> {
    let id = (path.0).1;
    let input = ExpenseInput {
        date: r.date,
        category: r.category,
        amount: r.amount,
        vat: r.vat,
        vat_recoverable: r.vat_recoverable,
        activity: r.activity,
        description: r.description,
    };
    reports::add_expense(&state.app, &coop, id, &input, None).await?;
    let body = report_response(&state, &coop, id).await?;
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/expense-reports/{id}/lines/{line}/receipt", tag = "spending", params(("coop" = String, Path), ("id" = i64, Path), ("line" = i64, Path)),
    description = "Attaches the receipt of an expense, sent as multipart field `receipt`: JPEG, PNG, HEIC or PDF, 10 MB at most (EXP-04).",
    responses((status = 200, body = ReportResponse), (status = 422, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn attach_receipt(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64, i64)>,
    mut form: Multipart,
) -> Result<Json<ReportResponse>, ApiError> {
    let (_, id, line) = path.0;
    let mut upload = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| AppError::field("receipt", "upload_failed"))?
    {
        if field.name() == Some("receipt") {
            let name = field.file_name().unwrap_or("justificatif").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::field("receipt", "file_too_large"))?;
            upload = Some(Upload {
                name,
                bytes: bytes.to_vec(),
            });
        }
    }
    let upload = upload.ok_or(AppError::field("receipt", "required"))?;
    reports::attach_receipt(&state.app, &coop, id, line, upload).await?;
    Ok(Json(report_response(&state, &coop, id).await?))
}

/// A trip with one's own vehicle (EXP-02), as typed.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct TripRequest {
    pub date: String,
    pub from: String,
    pub to: String,
    pub purpose: String,
    /// Kilometres, one decimal at most: `"42"`, `"12,5"`.
    pub km: String,
    /// `car`, `motorcycle` or `moped`.
    pub vehicle: String,
    /// Fiscal horsepower (CV) from the registration document (not for a moped).
    pub fiscal_power: String,
    pub electric: bool,
    pub activity: String,
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/expense-reports/{id}/trips", tag = "spending", params(("coop" = String, Path), ("id" = i64, Path)), request_body = TripRequest,
    description = "Adds a trip, priced at the margin of the caller's distance of the year with that vehicle.",
    responses((status = 201, body = ReportResponse), (status = 422, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn add_trip(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
    Json(r): Json<TripRequest>,
) -> Result<Response, ApiError> {
    let id = (path.0).1;
    let input = MileageInput {
        date: r.date,
        from: r.from,
        to: r.to,
        purpose: r.purpose,
        km: r.km,
        vehicle: r.vehicle,
        fiscal_power: r.fiscal_power,
        electric: r.electric,
        activity: r.activity,
    };
    reports::add_trip(&state.app, &coop, id, &input).await?;
    let body = report_response(&state, &coop, id).await?;
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/expense-reports/{id}/submit", tag = "spending", params(("coop" = String, Path), ("id" = i64, Path)),
    description = "Sends the report to the support team: it needs a line, and a receipt for every expense (EXP-04).",
    responses((status = 200, body = ReportResponse), (status = 422, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn submit_report(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Json<ReportResponse>, ApiError> {
    let id = (path.0).1;
    reports::submit(&state.app, &coop, id).await?;
    Ok(Json(report_response(&state, &coop, id).await?))
}

// --- supplier invoices ----------------------------------------------------------------------

/// A supplier invoice.
#[derive(Serialize, ToSchema)]
pub struct SupplierInvoiceResponse {
    pub id: i64,
    pub supplier_id: i64,
    pub supplier_name: String,
    pub supplier_siren: Option<String>,
    pub supplier_vat_number: Option<String>,
    pub activity_id: i64,
    pub category: String,
    pub number: String,
    pub issue_date: String,
    pub due_date: Option<String>,
    pub net: Amount,
    pub vat: Amount,
    pub total: Amount,
    pub paid: Amount,
    /// `received`, `approved` or `paid`.
    pub status: String,
    /// `typed`, `facturx`, `cii` or `file`.
    pub source: String,
    pub file_sha256: Option<String>,
}

fn invoice_response(i: SupplierInvoiceRecord) -> SupplierInvoiceResponse {
    SupplierInvoiceResponse {
        id: i.supplier_invoice_id,
        supplier_id: i.supplier_id,
        supplier_name: i.supplier_name,
        supplier_siren: i.supplier_siren,
        supplier_vat_number: i.supplier_vat_number,
        activity_id: i.activity_id,
        category: i.category,
        number: i.number,
        issue_date: i.issue_date.to_string(),
        due_date: i.due_date.map(|d| d.to_string()),
        net: Amount::of(i.net_cents),
        vat: Amount::of(i.vat_cents),
        total: Amount::of(i.total_cents),
        paid: Amount::of(i.paid_cents),
        status: i.status,
        source: i.source,
        file_sha256: i.file_sha256,
    }
}

/// The filters of the supplier invoice list.
#[derive(Deserialize, IntoParams)]
pub struct InvoiceQuery {
    /// `received`, `approved` or `paid`.
    status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/supplier-invoices", tag = "spending", params(("coop" = String, Path), InvoiceQuery),
    description = "Supplier invoices, the latest first (at most 500): the caller's activities', or all for the support team.",
    responses((status = 200, body = [SupplierInvoiceResponse]), (status = 403, body = ProblemBody), (status = 422, body = ProblemBody)), security(("token" = [])))]
pub async fn supplier_invoices(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<InvoiceQuery>,
) -> Result<Json<Vec<SupplierInvoiceResponse>>, ApiError> {
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) if STATUSES.contains(&s) => Some(s.to_owned()),
        Some(_) => return Err(AppError::field("status", "status_unknown").into()),
    };
    let filter = InvoiceFilter {
        status,
        ..InvoiceFilter::default()
    };
    let rows = suppliers::list(&state.app, &coop, filter, 500, 0).await?;
    Ok(Json(rows.into_iter().map(invoice_response).collect()))
}

/// A supplier invoice as typed (or as read from its e-invoice).
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct SupplierInvoiceRequest {
    pub supplier_name: String,
    pub supplier_siren: String,
    pub supplier_vat_number: String,
    pub supplier_iban: String,
    pub supplier_bic: String,
    pub number: String,
    pub issue_date: String,
    pub due_date: String,
    /// Total without VAT: `"100,00"`.
    pub net: String,
    pub vat: String,
    /// Total with VAT: must equal net + VAT.
    pub total: String,
    /// Id of one of the caller's activities.
    pub activity: String,
    /// A category code of the cooperative.
    pub category: String,
    pub description: String,
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/supplier-invoices", tag = "spending", params(("coop" = String, Path)), request_body = SupplierInvoiceRequest,
    responses((status = 201, body = SupplierInvoiceResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn create_supplier_invoice(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Json(r): Json<SupplierInvoiceRequest>,
) -> Result<Response, ApiError> {
    let input = SupplierInvoiceInput {
        supplier_name: r.supplier_name,
        supplier_siren: r.supplier_siren,
        supplier_vat_number: r.supplier_vat_number,
        supplier_iban: r.supplier_iban,
        supplier_bic: r.supplier_bic,
        number: r.number,
        issue_date: r.issue_date,
        due_date: r.due_date,
        net: r.net,
        vat: r.vat,
        total: r.total,
        activity: r.activity,
        category: r.category,
        description: r.description,
    };
    let file = InvoiceFile {
        upload: None,
        kept: None,
    };
    let id = suppliers::record(&state.app, &coop, &input, file).await?;
    let i = suppliers::show(&state.app, &coop, id).await?;
    Ok((StatusCode::CREATED, Json(invoice_response(i))).into_response())
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/supplier-invoices/{id}", tag = "spending", params(("coop" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = SupplierInvoiceResponse), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn supplier_invoice(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Json<SupplierInvoiceResponse>, ApiError> {
    let i = suppliers::show(&state.app, &coop, (path.0).1).await?;
    Ok(Json(invoice_response(i)))
}
