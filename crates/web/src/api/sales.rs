//! Selling through the JSON API (issue 4, point 10): customers, quotes and invoices, validation,
//! payments, and the PDF and Factur-X XML of a document. The same use cases and checks as the
//! pages (`essaim_app::selling`): an entrepreneur reaches their activities' documents only, and
//! another activity's document is "not found".
//!
//! Amounts sent back are [`Amount`]s: integer cents and the same value as a decimal string in
//! euros. Amounts, quantities and dates sent in are strings as a person types them
//! (`"1 234,50"`, `"1234.5"`, `"2026-11-29"`), checked by the domain, whose errors name the field
//! (`lines[2].quantity`).

use super::{ProblemBody, iso};
use crate::error::ApiError;
use crate::pages::sales::{ListQuery, PAGE_SIZE};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use essaim_app::records::{CustomerRecord, DocRecord};
use essaim_app::selling::docs::{self, DocInput, PaymentInput, SaleView};
use essaim_app::selling::{self, render};
use essaim_app::{AppError, CoopActor};
use essaim_domain::ids::{ActivityId, CustomerId, SaleDocId};
use essaim_domain::selling::customer::CustomerInput;
use essaim_domain::selling::{DocKind, LineInput};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

/// An amount in euros: integer cents, and the same value as a decimal string with a dot and two
/// decimals (`{"cents": 129000, "decimal": "1290.00"}`; negative amounts start with `-`).
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    pub cents: i64,
    pub decimal: String,
}

impl Amount {
    pub fn of(cents: i64) -> Amount {
        amount(cents)
    }
}

fn amount(cents: i64) -> Amount {
    Amount {
        cents,
        decimal: essaim_domain::money::Money::eur(cents).decimal(),
    }
}

/// The `?activity=` of a creation: required, an activity id of the cooperative.
#[derive(Deserialize, IntoParams)]
pub struct ActivityParam {
    /// Id of the activity the new record belongs to (required).
    activity: Option<String>,
}

impl ActivityParam {
    fn id(&self) -> Result<ActivityId, AppError> {
        match self.activity.as_deref().map(str::trim) {
            None | Some("") => Err(AppError::field("activity", "required")),
            Some(s) => s
                .parse()
                .map(ActivityId::new)
                .map_err(|_| AppError::NotFound("activity")),
        }
    }
}

// --- customers ----------------------------------------------------------------------------

/// A customer of an activity (shared ones are usable by every activity of the cooperative).
#[derive(Serialize, ToSchema)]
pub struct CustomerResponse {
    pub id: i64,
    pub activity_id: i64,
    pub shared: bool,
    /// `company` or `individual`.
    pub kind: String,
    pub name: String,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    /// Electronic invoicing address (defaults to the SIREN of a French company).
    pub electronic_address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postcode: String,
    pub city: String,
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    pub delivery_line1: Option<String>,
    pub delivery_line2: Option<String>,
    pub delivery_postcode: Option<String>,
    pub delivery_city: Option<String>,
    pub delivery_country: Option<String>,
    pub payment_days: i64,
    pub payment_end_of_month: bool,
    pub notes: Option<String>,
}

fn customer_response(c: CustomerRecord) -> CustomerResponse {
    CustomerResponse {
        id: c.customer_id,
        activity_id: c.activity_id,
        shared: c.shared,
        kind: c.kind,
        name: c.name,
        siren: c.siren,
        siret: c.siret,
        vat_number: c.vat_number,
        electronic_address: c.electronic_address,
        email: c.email,
        phone: c.phone,
        address_line1: c.address_line1,
        address_line2: c.address_line2,
        postcode: c.postcode,
        city: c.city,
        country: c.country,
        delivery_line1: c.delivery_line1,
        delivery_line2: c.delivery_line2,
        delivery_postcode: c.delivery_postcode,
        delivery_city: c.delivery_city,
        delivery_country: c.delivery_country,
        payment_days: c.payment_days,
        payment_end_of_month: c.payment_end_of_month,
        notes: c.notes,
    }
}

fn default_country() -> String {
    "FR".into()
}

/// A customer to record, as typed on the form. A company needs its SIRET (or SIREN); the
/// delivery address is optional (all its fields or none).
#[derive(Deserialize, ToSchema, Default)]
pub struct CustomerRequest {
    /// `company` or `individual`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub siret: String,
    #[serde(default)]
    pub siren: String,
    #[serde(default)]
    pub vat_number: String,
    #[serde(default)]
    pub electronic_address: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default)]
    pub address_line2: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
    /// ISO 3166-1 alpha-2 code; `FR` when absent.
    #[serde(default = "default_country")]
    pub country: String,
    #[serde(default)]
    pub delivery_line1: String,
    #[serde(default)]
    pub delivery_line2: String,
    #[serde(default)]
    pub delivery_postcode: String,
    #[serde(default)]
    pub delivery_city: String,
    #[serde(default)]
    pub delivery_country: String,
    /// Days to pay, as typed (`"30"`); empty: the default terms.
    #[serde(default)]
    pub payment_days: String,
    #[serde(default)]
    pub payment_end_of_month: bool,
    /// Usable by every activity of the cooperative.
    #[serde(default)]
    pub shared: bool,
    #[serde(default)]
    pub notes: String,
}

impl CustomerRequest {
    fn input(self) -> CustomerInput {
        CustomerInput {
            kind: self.kind,
            name: self.name,
            siret: self.siret,
            siren: self.siren,
            vat_number: self.vat_number,
            electronic_address: self.electronic_address,
            email: self.email,
            phone: self.phone,
            address_line1: self.address_line1,
            address_line2: self.address_line2,
            postcode: self.postcode,
            city: self.city,
            country: self.country,
            delivery_line1: self.delivery_line1,
            delivery_line2: self.delivery_line2,
            delivery_postcode: self.delivery_postcode,
            delivery_city: self.delivery_city,
            delivery_country: self.delivery_country,
            payment_days: self.payment_days,
            payment_end_of_month: self.payment_end_of_month,
            shared: self.shared,
            notes: self.notes,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct CustomerQuery {
    /// Part of the name.
    q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/customers", tag = "selling", params(("coop" = String, Path), CustomerQuery),
    description = "The customers the caller may use (at most 500, by name): their activities' and the shared ones (every customer for the support team).",
    responses((status = 200, body = [CustomerResponse]), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn customers(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<CustomerQuery>,
) -> Result<Json<Vec<CustomerResponse>>, ApiError> {
    let rows = selling::customers(&state.app, &coop, q.q.as_deref().unwrap_or("")).await?;
    Ok(Json(rows.into_iter().map(customer_response).collect()))
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/customers", tag = "selling", params(("coop" = String, Path), ActivityParam), request_body = CustomerRequest,
    responses((status = 201, body = CustomerResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn create_customer(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(p): Query<ActivityParam>,
    Json(r): Json<CustomerRequest>,
) -> Result<Response, ApiError> {
    let activity = p.id()?;
    let id = selling::create_customer(&state.app, &coop, activity, &r.input()).await?;
    let c = selling::customer(&state.app, &coop, id).await?;
    Ok((StatusCode::CREATED, Json(customer_response(c))).into_response())
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/customers/{id}", tag = "selling", params(("coop" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = CustomerResponse), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn customer(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Json<CustomerResponse>, ApiError> {
    let id = (path.0).1;
    let c = selling::customer(&state.app, &coop, CustomerId::new(id)).await?;
    Ok(Json(customer_response(c)))
}

// --- lists --------------------------------------------------------------------------------

/// The filters of the quote and invoice lists (the same as the pages').
#[derive(Deserialize, IntoParams)]
pub struct DocListQuery {
    /// Part of the customer's name or of the number.
    q: Option<String>,
    /// Quotes: `draft`, `sent`, `accepted`, `refused`, `expired`. Invoices: `draft`,
    /// `to_validate` (validation asked), `returned` (sent back for changes), `validated` (every
    /// issued document), `issued`, `partly_paid`, `paid`, `cancelled`, `overdue`, `unpaid`.
    status: Option<String>,
    /// An activity id.
    activity: Option<String>,
    /// A customer id.
    customer: Option<String>,
    /// First date, `YYYY-MM-DD`.
    from: Option<String>,
    /// Last date, `YYYY-MM-DD`.
    to: Option<String>,
    /// Smallest total TTC in euros, as typed (`"100"`, `"99,90"`).
    min: Option<String>,
    /// Largest total TTC in euros.
    max: Option<String>,
    /// `oldest` for oldest first (the validation queue: the longest waiting first); newest
    /// first otherwise.
    sort: Option<String>,
    /// Page number from 0 (50 per page).
    page: Option<i64>,
}

/// One document in a list.
#[derive(Serialize, ToSchema)]
pub struct DocSummary {
    pub id: i64,
    /// `quote`, `invoice`, `deposit` or `credit_note`.
    pub kind: String,
    /// Given at validation (invoices) or when sent (quotes); none for a draft.
    pub number: Option<String>,
    /// `draft`, `sent`, `accepted`, `refused`, `expired`, `issued`, `partly_paid`, `paid` or `cancelled`.
    pub status: String,
    /// Issued, not fully paid, and past its due date.
    pub overdue: bool,
    /// `YYYY-MM-DD`.
    pub doc_date: String,
    pub due_date: Option<String>,
    pub valid_until: Option<String>,
    pub activity_id: i64,
    pub activity_name: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub total_ht: Amount,
    pub total_ttc: Amount,
    /// Still to be received (issued documents).
    pub outstanding: Amount,
}

/// The totals of every document matching the filters (not only this page).
#[derive(Serialize, ToSchema)]
pub struct ListTotalsResponse {
    pub total_ht: Amount,
    pub total_ttc: Amount,
    /// Still to be received on issued documents: TTC − paid − credited.
    pub outstanding: Amount,
}

#[derive(Serialize, ToSchema)]
pub struct DocPage {
    /// Documents matching the filters, on every page.
    pub count: i64,
    pub page: i64,
    pub page_size: i64,
    pub totals: ListTotalsResponse,
    pub items: Vec<DocSummary>,
}

fn outstanding_of(d: &DocRecord) -> i64 {
    if d.state == "issued" && d.kind != "credit_note" {
        d.grand_total_cents - d.paid_cents - d.credited_cents
    } else {
        0
    }
}

async fn list(
    state: &AppState,
    coop: &CoopActor,
    q: DocListQuery,
    quotes: bool,
) -> Result<Json<DocPage>, ApiError> {
    let query = ListQuery {
        q: q.q.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        activity: q.activity.unwrap_or_default(),
        customer: q.customer.unwrap_or_default(),
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
        min: q.min.unwrap_or_default(),
        max: q.max.unwrap_or_default(),
        sort: q.sort.unwrap_or_default(),
        page: q.page,
    };
    let filter = query.filter(quotes)?;
    let page = q.page.unwrap_or(0).max(0);
    let (rows, totals) = docs::list(&state.app, coop, filter, PAGE_SIZE, page * PAGE_SIZE).await?;
    let today = state.app.clock.today();
    Ok(Json(DocPage {
        count: totals.count,
        page,
        page_size: PAGE_SIZE,
        totals: ListTotalsResponse {
            total_ht: amount(totals.tax_basis_cents),
            total_ttc: amount(totals.grand_total_cents),
            outstanding: amount(totals.outstanding_cents),
        },
        items: rows
            .into_iter()
            .map(|d| DocSummary {
                status: docs::status_of(&d, today).code().into(),
                overdue: docs::is_overdue(&d, today),
                total_ht: amount(d.tax_basis_cents),
                total_ttc: amount(d.grand_total_cents),
                outstanding: amount(outstanding_of(&d)),
                id: d.sale_doc_id,
                kind: d.kind,
                number: d.number,
                doc_date: d.doc_date.to_string(),
                due_date: iso(d.due_date),
                valid_until: iso(d.valid_until),
                activity_id: d.activity_id,
                activity_name: d.activity_name,
                customer_id: d.customer_id,
                customer_name: d.customer_name,
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/quotes", tag = "selling", params(("coop" = String, Path), DocListQuery),
    description = "The quotes the caller may read, filtered, 50 per page, with the totals of all that match.",
    responses((status = 200, body = DocPage), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn quotes(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<DocListQuery>,
) -> Result<Json<DocPage>, ApiError> {
    list(&state, &coop, q, true).await
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/invoices", tag = "selling", params(("coop" = String, Path), DocListQuery),
    description = "The invoices, deposit invoices and credit notes the caller may read, filtered, 50 per page, with the totals of all that match.",
    responses((status = 200, body = DocPage), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn invoices(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<DocListQuery>,
) -> Result<Json<DocPage>, ApiError> {
    list(&state, &coop, q, false).await
}

// --- one document -------------------------------------------------------------------------

/// One line as typed. Every field is a string as a person types it; the domain checks it and an
/// error names the line from 0: `lines[2].quantity`.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct LineRequest {
    /// `item` (default) or `section` (a heading: only `label`).
    pub kind: String,
    pub label: String,
    pub description: String,
    /// Positive decimal, at most 4 decimals: `"2"`, `"1,5"`, `"0.25"`.
    pub quantity: String,
    /// UN/ECE unit code: `HUR` (hour), `DAY`, `C62` (unit)…
    pub unit: String,
    /// Unit price in the document's price basis, at most 4 decimals: `"80"`, `"12,5"`.
    pub unit_price: String,
    /// VAT code: `fr20`, `fr10`, `fr5_5`, `fr2_1`, `exempt_261_4_4a`…
    pub vat: String,
    /// `"10 %"` for a percentage, `"25,00"` for an amount; empty for none.
    pub discount: String,
    /// Goods rather than services.
    pub goods: bool,
}

/// A quote or invoice draft as typed.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct DocRequest {
    /// A customer of the activity, or a shared one.
    pub customer_id: Option<i64>,
    /// Quote date, `YYYY-MM-DD` (default today); an invoice takes its date at validation.
    pub doc_date: String,
    /// Last day a quote may be accepted (default: 30 days after its date).
    pub valid_until: String,
    pub delivery_date: String,
    pub purchase_order: String,
    /// `ht` (default) or `ttc`: whether unit prices and amount discounts include VAT.
    pub price_basis: String,
    /// On the whole document: `"5 %"` or `"50,00"`; empty for none.
    pub overall_discount: String,
    pub notes: String,
    /// Days to pay, as typed; empty: the customer's terms.
    pub payment_days: String,
    pub payment_end_of_month: bool,
    pub lines: Vec<LineRequest>,
}

impl DocRequest {
    fn input(self) -> DocInput {
        DocInput {
            customer_id: self.customer_id.map(|c| c.to_string()).unwrap_or_default(),
            doc_date: self.doc_date,
            valid_until: self.valid_until,
            delivery_date: self.delivery_date,
            purchase_order: self.purchase_order,
            price_basis: self.price_basis,
            overall_discount: self.overall_discount,
            notes: self.notes,
            payment_days: self.payment_days,
            payment_end_of_month: self.payment_end_of_month,
            lines: self
                .lines
                .into_iter()
                .map(|l| LineInput {
                    kind: if l.kind.trim() == "section" {
                        "section".into()
                    } else {
                        "item".into()
                    },
                    label: l.label,
                    description: l.description,
                    quantity: l.quantity,
                    unit: l.unit,
                    unit_price: l.unit_price,
                    vat: l.vat,
                    discount: l.discount,
                    goods: l.goods,
                })
                .collect(),
        }
    }
}

/// A line with its amounts (items) or a section heading.
#[derive(Serialize, ToSchema)]
pub struct LineResponse {
    /// From 1, in document order.
    pub position: i64,
    /// `item` or `section`.
    pub kind: String,
    pub label: String,
    pub description: Option<String>,
    /// Decimal with a dot.
    pub quantity: Option<String>,
    pub unit: Option<String>,
    /// As typed, in the document's price basis (decimal with a dot).
    pub unit_price: Option<String>,
    /// The unit price excluding VAT (decimal with a dot, up to 4 decimals).
    pub unit_price_ht: Option<String>,
    pub vat: Option<String>,
    /// VAT rate in percent (decimal with a dot): `"20"`, `"5.5"`.
    pub vat_rate: Option<String>,
    /// As typed: `"10 %"` or `"25,00"`; empty for none.
    pub discount: String,
    pub goods: bool,
    /// A generated line of a final invoice deducting a deposit.
    pub deduction: bool,
    /// Quantity × unit price HT.
    pub gross: Option<Amount>,
    /// The line's discount.
    pub allowance: Option<Amount>,
    /// Gross − allowance, excluding VAT.
    pub net: Option<Amount>,
}

/// VAT of one rate (EN 16931 BG-23).
#[derive(Serialize, ToSchema)]
pub struct VatResponse {
    pub code: String,
    /// EN 16931 category: `S`, `E`, `AE`, `K` or `G`.
    pub category: String,
    /// Percent, decimal with a dot.
    pub rate: String,
    pub basis: Amount,
    pub vat: Amount,
}

#[derive(Serialize, ToSchema)]
pub struct TotalsResponse {
    /// Sum of the line nets.
    pub line_total: Amount,
    /// The document discount.
    pub allowance_total: Amount,
    pub total_ht: Amount,
    pub total_vat: Amount,
    pub total_ttc: Amount,
    pub paid: Amount,
    /// Cancelled by credit notes.
    pub credited: Amount,
    /// Still to be received (issued invoices and deposits).
    pub outstanding: Amount,
}

#[derive(Serialize, ToSchema)]
pub struct PaymentResponse {
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub paid_on: String,
    pub amount: Amount,
    /// `transfer`, `cheque`, `card` or `cash`.
    pub mode: String,
    pub reference: Option<String>,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
}

/// A document with its lines, VAT per rate, totals and payments.
#[derive(Serialize, ToSchema)]
pub struct SaleResponse {
    pub id: i64,
    /// `quote`, `invoice`, `deposit` or `credit_note`.
    pub kind: String,
    /// As stored: `draft`, `sent`, `accepted`, `refused` or `issued`.
    pub state: String,
    /// As shown to people: `draft`, `sent`, `accepted`, `refused`, `expired`, `issued`,
    /// `partly_paid`, `paid` or `cancelled`.
    pub status: String,
    pub overdue: bool,
    /// Given at validation (invoices) or when sent (quotes).
    pub number: Option<String>,
    /// ISO 4217 code of every amount: `EUR`.
    pub currency: String,
    pub activity_id: i64,
    pub activity_name: String,
    pub customer_id: i64,
    pub customer_name: String,
    /// Dates as `YYYY-MM-DD`: the quote's date, the invoice's issue date (its creation date
    /// while a draft).
    pub doc_date: String,
    pub valid_until: Option<String>,
    pub due_date: Option<String>,
    pub delivery_date: Option<String>,
    pub purchase_order: Option<String>,
    /// `ht` or `ttc`.
    pub price_basis: String,
    /// As typed: `"5 %"` or `"50,00"`; empty for none.
    pub overall_discount: String,
    pub notes: Option<String>,
    pub payment_days: i64,
    pub payment_end_of_month: bool,
    /// The quote a deposit or final invoice comes from.
    pub quote_id: Option<i64>,
    /// The invoice a credit note cancels.
    pub origin_id: Option<i64>,
    pub lines: Vec<LineResponse>,
    pub vat: Vec<VatResponse>,
    pub totals: TotalsResponse,
    pub payments: Vec<PaymentResponse>,
    /// A draft's standing with the validation team: empty (being written), `asked` or
    /// `returned` (with `review_comment`).
    pub review: String,
    pub review_comment: Option<String>,
    /// What the caller may do now.
    pub may_edit: bool,
    pub may_validate: bool,
    pub may_record_payment: bool,
    pub may_ask_review: bool,
    pub may_return: bool,
}

fn sale_response(v: SaleView, today: time::Date) -> SaleResponse {
    let mut computed = v.computed.lines.iter();
    let lines = v
        .lines
        .iter()
        .map(|l| {
            let c = if l.kind == "section" {
                None
            } else {
                computed.next()
            };
            LineResponse {
                position: l.position,
                kind: l.kind.clone(),
                label: l.label.clone(),
                description: l.description.clone(),
                quantity: l.quantity.clone(),
                unit: l.unit.clone(),
                unit_price: l.unit_price.clone(),
                unit_price_ht: c.map(|c| c.unit_price_ht.normalize().to_string()),
                vat: l.vat_code.clone(),
                vat_rate: c.map(|c| c.vat.rate.normalize().to_string()),
                discount: render::discount_text(render::parse_discount_code(l.discount.as_deref())),
                goods: l.goods,
                deduction: l.deduction,
                gross: c.map(|c| amount(c.gross_cents)),
                allowance: c.map(|c| amount(c.allowance_cents)),
                net: c.map(|c| amount(c.net_cents)),
            }
        })
        .collect();
    let vat = v
        .computed
        .vat
        .iter()
        .map(|x| VatResponse {
            code: x.vat.code.into(),
            category: x.vat.category.code().into(),
            rate: x.vat.rate.normalize().to_string(),
            basis: amount(x.basis_cents),
            vat: amount(x.vat_cents),
        })
        .collect();
    let t = v.computed.totals;
    let d = v.doc;
    SaleResponse {
        id: d.sale_doc_id,
        status: v.status.code().into(),
        overdue: docs::is_overdue(&d, today),
        currency: "EUR".into(),
        doc_date: d.doc_date.to_string(),
        valid_until: iso(d.valid_until),
        due_date: iso(d.due_date),
        delivery_date: iso(d.delivery_date),
        overall_discount: render::discount_text(render::parse_discount_code(
            d.overall_discount.as_deref(),
        )),
        totals: TotalsResponse {
            line_total: amount(t.line_total_cents),
            allowance_total: amount(t.allowance_total_cents),
            total_ht: amount(t.tax_basis_cents),
            total_vat: amount(t.tax_total_cents),
            total_ttc: amount(t.grand_total_cents),
            paid: amount(d.paid_cents),
            credited: amount(d.credited_cents),
            outstanding: amount(v.outstanding_cents),
        },
        kind: d.kind,
        state: d.state,
        number: d.number,
        activity_id: d.activity_id,
        activity_name: d.activity_name,
        customer_id: d.customer_id,
        customer_name: d.customer_name,
        purchase_order: d.purchase_order,
        price_basis: d.price_basis,
        notes: d.notes,
        payment_days: d.payment_days,
        payment_end_of_month: d.payment_end_of_month,
        quote_id: d.quote_id,
        origin_id: d.origin_id,
        lines,
        vat,
        payments: v
            .payments
            .into_iter()
            .map(|p| PaymentResponse {
                id: p.payment_id,
                paid_on: p.paid_on.to_string(),
                amount: amount(p.amount_cents),
                mode: p.mode,
                reference: p.reference,
                recorded_by: p.recorded_by_name,
                recorded_at: p.recorded_at,
            })
            .collect(),
        review: v.review.code().to_owned(),
        review_comment: d.review_comment.clone(),
        may_edit: v.may_edit,
        may_validate: v.may_validate,
        may_record_payment: v.may_record_payment,
        may_ask_review: v.may_ask_review,
        may_return: v.may_return,
    }
}

async fn respond(
    state: &AppState,
    coop: &CoopActor,
    id: SaleDocId,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let v = docs::view(&state.app, coop, id).await?;
    Ok((status, Json(sale_response(v, state.app.clock.today()))).into_response())
}

async fn create(
    state: &AppState,
    coop: &CoopActor,
    p: &ActivityParam,
    kind: DocKind,
    r: DocRequest,
) -> Result<Response, ApiError> {
    let activity = p.id()?;
    let id = docs::create(&state.app, coop, activity, kind, &r.input()).await?;
    respond(state, coop, id, StatusCode::CREATED).await
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/quotes", tag = "selling", params(("coop" = String, Path), ActivityParam), request_body = DocRequest,
    description = "Creates a quote draft for an activity the caller manages.",
    responses((status = 201, body = SaleResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn create_quote(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(p): Query<ActivityParam>,
    Json(r): Json<DocRequest>,
) -> Result<Response, ApiError> {
    create(&state, &coop, &p, DocKind::Quote, r).await
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/invoices", tag = "selling", params(("coop" = String, Path), ActivityParam), request_body = DocRequest,
    description = "Creates an invoice draft for an activity the caller manages; it gets its number and date at validation.",
    responses((status = 201, body = SaleResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn create_invoice(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(p): Query<ActivityParam>,
    Json(r): Json<DocRequest>,
) -> Result<Response, ApiError> {
    create(&state, &coop, &p, DocKind::Invoice, r).await
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/sales/{id}", tag = "selling", params(("coop" = String, Path), ("id" = i64, Path)),
    description = "A quote, invoice, deposit invoice or credit note. Another activity's document is not found.",
    responses((status = 200, body = SaleResponse), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn show(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Response, ApiError> {
    let id = (path.0).1;
    respond(&state, &coop, SaleDocId::new(id), StatusCode::OK).await
}

#[utoipa::path(method(put, post), path = "/api/v1/cooperatives/{coop}/sales/{id}", tag = "selling", params(("coop" = String, Path), ("id" = i64, Path)), request_body = DocRequest,
    description = "Rewrites a draft with the whole body (the lines replace the old ones). A validated document never changes: 422 with field `state`.",
    responses((status = 200, body = SaleResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
    Json(r): Json<DocRequest>,
) -> Result<Response, ApiError> {
    let id = (path.0).1;
    let id = SaleDocId::new(id);
    docs::update(&state.app, &coop, id, &r.input()).await?;
    respond(&state, &coop, id, StatusCode::OK).await
}

#[derive(Serialize, ToSchema)]
pub struct ValidatedResponse {
    pub id: i64,
    /// The number given, e.g. `F2026-00012`.
    pub number: String,
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/sales/{id}/validate", tag = "selling", params(("coop" = String, Path), ("id" = i64, Path)),
    description = "Validates an invoice, deposit invoice or credit note draft: it gets the next number of its series and today's date, and is frozen. \
                   Allowed to holders of `invoice.validate`, or to the activity's entrepreneur under their self-validation ceiling (403 otherwise).",
    responses((status = 200, body = ValidatedResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn validate(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Json<ValidatedResponse>, ApiError> {
    let id = (path.0).1;
    let number = docs::validate(&state.app, &coop, SaleDocId::new(id)).await?;
    Ok(Json(ValidatedResponse { id, number }))
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/sales/{id}/review/ask", tag = "selling", params(("coop" = String, Path), ("id" = i64, Path)),
    description = "Asks the validation team to validate a draft invoice, deposit or credit note of one's activity (the team is told). \
                   Refused with 422 (field `review`) when it is not a draft of an invoice-like document or is already asked.",
    responses((status = 200, body = SaleResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn ask_review(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Response, ApiError> {
    let id = SaleDocId::new((path.0).1);
    essaim_app::selling::review::ask(&state.app, &coop, id).await?;
    respond(&state, &coop, id, StatusCode::OK).await
}

/// Sending an asked draft back to its entrepreneur.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ReturnRequest {
    /// What to correct: required, at most 2,000 characters.
    pub comment: String,
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/sales/{id}/review/return", tag = "selling", params(("coop" = String, Path), ("id" = i64, Path)),
    request_body = ReturnRequest,
    description = "Sends a draft whose validation was asked back to its activity with a comment (the entrepreneurs are told). \
                   For those who may validate it (403 otherwise); 422 with field `comment` when it is empty, `review` when nobody asked.",
    responses((status = 200, body = SaleResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn return_review(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
    Json(r): Json<ReturnRequest>,
) -> Result<Response, ApiError> {
    let id = SaleDocId::new((path.0).1);
    essaim_app::selling::review::send_back(&state.app, &coop, id, &r.comment).await?;
    respond(&state, &coop, id, StatusCode::OK).await
}

/// A payment received on an issued invoice or deposit invoice.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PaymentRequest {
    /// `YYYY-MM-DD`, not in the future nor before the invoice.
    pub paid_on: String,
    /// In euros, as typed: `"403"`, `"1 234,56"`; at most what remains due.
    pub amount: String,
    /// `transfer`, `cheque`, `card` or `cash`.
    pub mode: String,
    pub reference: String,
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/sales/{id}/payments", tag = "selling", params(("coop" = String, Path), ("id" = i64, Path)), request_body = PaymentRequest,
    description = "Records a payment; answers the document with its payments and what remains due.",
    responses((status = 201, body = SaleResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn record_payment(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
    Json(r): Json<PaymentRequest>,
) -> Result<Response, ApiError> {
    let id = (path.0).1;
    let id = SaleDocId::new(id);
    let input = PaymentInput {
        paid_on: r.paid_on,
        amount: r.amount,
        mode: r.mode,
        reference: r.reference,
    };
    docs::record_payment(&state.app, &coop, id, &input).await?;
    respond(&state, &coop, id, StatusCode::CREATED).await
}

fn file(name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/sales/{id}/pdf", tag = "selling", params(("coop" = String, Path), ("id" = i64, Path)),
    description = "The document as PDF: PDF/A-3 with its Factur-X XML for issued invoices and credit notes; an issued one is the copy frozen at validation.",
    responses((status = 200, description = "The PDF file", content_type = "application/pdf"), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn pdf(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Response, ApiError> {
    let id = (path.0).1;
    let (name, bytes) = docs::pdf(&state.app, &coop, SaleDocId::new(id)).await?;
    Ok(file(&name, "application/pdf", bytes))
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/sales/{id}/xml", tag = "selling", params(("coop" = String, Path), ("id" = i64, Path)),
    description = "The Factur-X (CII) XML of an issued invoice or credit note; 422 for a draft or a quote.",
    responses((status = 200, description = "The XML file", content_type = "application/xml", body = String), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn xml(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Response, ApiError> {
    let id = (path.0).1;
    let (name, xml) = docs::xml(&state.app, &coop, SaleDocId::new(id)).await?;
    Ok(file(&name, "application/xml", xml.into_bytes()))
}

/// One dated lifecycle status of a deposit (EIN-20).
#[derive(Serialize, ToSchema)]
pub struct EinvoiceStatus {
    /// 200 to 213.
    pub code: i32,
    /// RFC 3339.
    pub at: String,
    /// `platform`, `buyer` or `seller`.
    pub emitter: String,
    pub reason_code: Option<String>,
    pub reason: Option<String>,
    /// 212: the amount received, in cents, and its day.
    pub amount_cents: Option<i64>,
    pub collected_on: Option<String>,
}

/// One deposit of the document on the cooperative's e-invoicing platform.
#[derive(Serialize, ToSchema)]
pub struct EinvoiceFlow {
    /// Essaim's identifier of the deposit (the same on every retry).
    pub tracking_id: String,
    /// `queued`, `deposited` or `failed`.
    pub state: String,
    /// The platform's identifier, once it took the file.
    pub flow_id: Option<String>,
    /// `factur-x` or `cii`.
    pub syntax: String,
    pub last_error: String,
    /// The latest status by date.
    pub last_status: Option<i32>,
    /// Refused (210) or rejected (213): the invoice needs a credit note or a new deposit.
    pub dead_end: bool,
    pub statuses: Vec<EinvoiceStatus>,
}

#[derive(Serialize, ToSchema)]
pub struct EinvoiceResponse {
    pub id: i64,
    /// The deposits, the first first; empty when the document does not go through the platform
    /// (a customer who is not a business in France, a quote, a cooperative not connected).
    pub flows: Vec<EinvoiceFlow>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/sales/{id}/einvoice", tag = "selling", params(("coop" = String, Path), ("id" = i64, Path)),
    description = "The document's deposits on the cooperative's e-invoicing platform and their lifecycle statuses (EIN-20). Another activity's document is not found.",
    responses((status = 200, body = EinvoiceResponse), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn einvoice(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Json<EinvoiceResponse>, ApiError> {
    let id = (path.0).1;
    let flows =
        essaim_app::einvoicing::sending::of_doc(&state.app, &coop, SaleDocId::new(id)).await?;
    let rfc3339 = &time::format_description::well_known::Rfc3339;
    Ok(Json(EinvoiceResponse {
        id,
        flows: flows
            .into_iter()
            .map(|f| EinvoiceFlow {
                tracking_id: f.flow.tracking_id,
                state: f.state.code().to_owned(),
                flow_id: f.flow.flow_id,
                syntax: f.flow.syntax,
                last_error: f.flow.last_error,
                last_status: f.standing.last.map(|s| i32::from(s.code())),
                dead_end: f.standing.dead_end.is_some(),
                statuses: f
                    .statuses
                    .into_iter()
                    .map(|s| EinvoiceStatus {
                        code: s.status,
                        at: s.at.format(rfc3339).unwrap_or_default(),
                        emitter: s.emitter,
                        reason_code: s.reason_code,
                        reason: s.reason,
                        amount_cents: s.amount_cents,
                        collected_on: s.collected_on.map(|d| d.to_string()),
                    })
                    .collect(),
            })
            .collect(),
    }))
}
