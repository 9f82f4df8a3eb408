//! The JSON API under `/api/v1`: personal access tokens (`Authorization: Bearer essaim_…`), the same
//! use cases and permission checks as the pages, errors as `{"error": {...}}` naming the field,
//! and an OpenAPI 3.1 document generated from this code.

use crate::error::ApiError;
use crate::security::RequestContext;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use essaim_app::records::AuditFilter;
use essaim_app::{Actor, AppError, CoopActor, audit, cooperatives, jobs, members};
use essaim_domain::cooperative::CooperativeInput;
use essaim_domain::ids::RoleId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{OpenApi, ToSchema};

pub mod books;
pub mod coaching;
pub mod einvoicing;
pub mod payroll;
pub mod sales;
pub mod spending;

fn actor(ctx: &RequestContext) -> Result<&Actor, ApiError> {
    ctx.actor
        .as_ref()
        .ok_or(ApiError(AppError::Unauthenticated))
}

/// The person the token belongs to.
#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub is_host_admin: bool,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = MeResponse), (status = 401, body = ProblemBody)), security(("token" = [])))]
pub async fn me(Extension(ctx): Extension<RequestContext>) -> Result<Json<MeResponse>, ApiError> {
    let a = actor(&ctx)?;
    Ok(Json(MeResponse {
        id: a.user.id.get(),
        email: a.user.email.as_str().to_owned(),
        display_name: a.user.display_name.clone(),
        locale: a.user.locale.code().to_owned(),
        is_host_admin: a.user.is_host_admin,
    }))
}

/// A cooperative the caller belongs to, with their roles.
#[derive(Serialize, ToSchema)]
pub struct MyCooperative {
    pub id: i64,
    pub slug: String,
    pub legal_name: String,
    pub roles: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives", tag = "cooperatives", responses((status = 200, body = [MyCooperative])), security(("token" = [])))]
pub async fn my_cooperatives(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
) -> Result<Json<Vec<MyCooperative>>, ApiError> {
    let rows = cooperatives::mine(&state.app, actor(&ctx)?).await?;
    Ok(Json(
        rows.into_iter()
            .map(|c| MyCooperative {
                id: c.cooperative_id.get(),
                slug: c.slug,
                legal_name: c.legal_name,
                roles: c.kinds.iter().map(|k| k.code().to_owned()).collect(),
            })
            .collect(),
    ))
}

/// A cooperative's legal identity.
#[derive(Serialize, ToSchema)]
pub struct CooperativeResponse {
    pub id: i64,
    pub slug: String,
    pub legal_name: String,
    pub trade_name: Option<String>,
    /// `scop_sarl`, `scop_sa`, `scop_sas`, `scic_sarl`, `scic_sa` or `scic_sas`.
    pub legal_form: String,
    pub siren: String,
    pub siret: String,
    pub vat_number: String,
    pub rcs_city: String,
    pub share_capital_cents: i64,
    pub currency: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub fiscal_year_start_month: u8,
    pub fiscal_year_start_day: u8,
}

fn coop_response(c: essaim_domain::cooperative::Cooperative) -> CooperativeResponse {
    let i = c.identity;
    CooperativeResponse {
        id: c.id.get(),
        slug: c.slug,
        siren: i.siret.siren().as_str().to_owned(),
        siret: i.siret.as_str().to_owned(),
        legal_name: i.legal_name,
        trade_name: i.trade_name,
        legal_form: i.legal_form.code().to_owned(),
        vat_number: i.vat_number.as_str().to_owned(),
        rcs_city: i.rcs_city,
        share_capital_cents: i.share_capital.cents(),
        currency: i.share_capital.currency().code().to_owned(),
        address_line1: i.address.line1,
        address_line2: i.address.line2,
        postcode: i.address.postcode,
        city: i.address.city,
        country: i.address.country,
        fiscal_year_start_month: i.fiscal_year_start.month(),
        fiscal_year_start_day: i.fiscal_year_start.day(),
    }
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}", tag = "cooperatives", params(("coop" = String, Path, description = "the cooperative's slug")),
    responses((status = 200, body = CooperativeResponse), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn cooperative(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
) -> Result<Json<CooperativeResponse>, ApiError> {
    Ok(Json(coop_response(
        cooperatives::show(&state.app, &coop).await?,
    )))
}

/// What a host administrator sends to create a cooperative. Amounts are typed as on the form
/// (`"15000"`, `"15 000,50"`).
#[derive(Deserialize, ToSchema)]
pub struct CreateCooperativeRequest {
    pub legal_name: String,
    #[serde(default)]
    pub trade_name: String,
    pub legal_form: String,
    pub siret: String,
    pub vat_number: String,
    pub rcs_city: String,
    pub share_capital: String,
    pub address_line1: String,
    #[serde(default)]
    pub address_line2: String,
    pub postcode: String,
    pub city: String,
    pub fiscal_year_start_month: u8,
    pub fiscal_year_start_day: u8,
    /// E-mail of an existing account that becomes the cooperative's administrator.
    #[serde(default)]
    pub first_admin: String,
}

#[utoipa::path(post, path = "/api/v1/cooperatives", tag = "cooperatives", request_body = CreateCooperativeRequest,
    responses((status = 201, body = CooperativeResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn create_cooperative(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Json(r): Json<CreateCooperativeRequest>,
) -> Result<Response, ApiError> {
    let a = actor(&ctx)?;
    let input = CooperativeInput {
        legal_name: r.legal_name,
        trade_name: r.trade_name,
        legal_form: r.legal_form,
        siret: r.siret,
        vat_number: r.vat_number,
        rcs_city: r.rcs_city,
        share_capital: r.share_capital,
        address_line1: r.address_line1,
        address_line2: r.address_line2,
        postcode: r.postcode,
        city: r.city,
        fiscal_year_start_month: r.fiscal_year_start_month.to_string(),
        fiscal_year_start_day: r.fiscal_year_start_day.to_string(),
    };
    let id = cooperatives::create(&state.app, Some(a), &input, Some(&r.first_admin)).await?;
    let record = cooperatives::identity_for_host(&state.app, a, id).await?;
    Ok((StatusCode::CREATED, Json(coop_response(record))).into_response())
}

/// A person with an account in the cooperative.
#[derive(Serialize, ToSchema)]
pub struct MemberResponse {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberPage {
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub members: Vec<MemberResponse>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MemberQuery {
    /// Part of a name or e-mail.
    q: Option<String>,
    /// Page number from 0 (50 per page).
    page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/members", tag = "members", params(("coop" = String, Path), MemberQuery),
    responses((status = 200, body = MemberPage), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn members(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<MemberQuery>,
) -> Result<Json<MemberPage>, ApiError> {
    let page = q.page.unwrap_or(0).max(0);
    let (rows, total) = members::list(&state.app, &coop, q.q.as_deref(), page).await?;
    Ok(Json(MemberPage {
        total,
        page,
        page_size: members::PAGE_SIZE,
        members: rows
            .into_iter()
            .map(|m| MemberResponse {
                user_id: m.user_id.get(),
                email: m.email,
                display_name: m.display_name,
                roles: m.roles.iter().map(|(_, k)| k.code().to_owned()).collect(),
            })
            .collect(),
    }))
}

/// Adds a person with roles (role kinds such as `entrepreneur`); a new address receives an invitation.
#[derive(Deserialize, ToSchema)]
pub struct AddMemberRequest {
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    pub roles: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AddMemberResponse {
    pub user_id: i64,
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/members", tag = "members", params(("coop" = String, Path)), request_body = AddMemberRequest,
    responses((status = 201, body = AddMemberResponse), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn add_member(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Json(r): Json<AddMemberRequest>,
) -> Result<Response, ApiError> {
    let all = members::roles(&state.app, &coop).await?;
    let mut ids: Vec<RoleId> = Vec::new();
    for code in &r.roles {
        let role = all
            .iter()
            .find(|x| x.kind.code() == code)
            .ok_or(AppError::field("roles", "role_unknown"))?;
        ids.push(role.id);
    }
    let id = members::add(&state.app, &coop, &r.email, &r.display_name, &ids).await?;
    Ok((
        StatusCode::CREATED,
        Json(AddMemberResponse { user_id: id.get() }),
    )
        .into_response())
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    pub actor_user_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub ip: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Actions starting with this text, e.g. `member.`.
    action: Option<String>,
    /// Only this person's actions.
    user: Option<i64>,
    /// Only lines older than this id (pagination).
    before: Option<i64>,
    /// At most this many lines (1–500, default 100).
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/audit", tag = "audit", params(("coop" = String, Path), AuditQuery),
    responses((status = 200, body = [AuditEntry]), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let filter = AuditFilter {
        action: q.action,
        actor: q.user.map(essaim_domain::ids::UserId::new),
        from: None,
        to: None,
        before: q.before,
    };
    let rows = audit::list(&state.app, &coop, &filter, q.limit.unwrap_or(100)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditEntry {
                id: r.audit_event_id,
                at: r.at,
                actor_user_id: r.actor_user_id,
                actor_name: r.actor_name,
                action: r.action,
                object_type: r.object_type,
                object_id: r.object_id,
                ip: r.ip,
                detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct JobResponse {
    pub id: i64,
    pub kind: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub max_attempts: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub run_at: OffsetDateTime,
    pub last_error: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/jobs", tag = "jobs", params(("coop" = String, Path)),
    responses((status = 200, body = [JobResponse]), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn jobs(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
) -> Result<Json<Vec<JobResponse>>, ApiError> {
    let (rows, _) = jobs::list(&state.app, &coop, None).await?;
    Ok(Json(
        rows.into_iter()
            .map(|j| JobResponse {
                id: j.job_id,
                kind: j.kind,
                status: j.status,
                attempts: j.attempts,
                max_attempts: j.max_attempts,
                run_at: j.run_at,
                last_error: j.last_error,
            })
            .collect(),
    ))
}

/// The error body of every failed API call.
#[derive(Serialize, ToSchema)]
pub struct ProblemBody {
    pub error: Problem,
}

#[derive(Serialize, ToSchema)]
pub struct Problem {
    /// `not_found`, `forbidden`, `unauthenticated`, `invalid`, `too_many_attempts`, `internal`.
    pub code: String,
    pub message: String,
    /// For `invalid`: each field in error.
    pub fields: Option<Vec<FieldProblem>>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub message: String,
}

struct TokenSecurity;

impl utoipa::Modify for TokenSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("token", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("A personal access token created in the account page or with `essaim admin create-token`.")).build()));
        components.add_security_scheme("callback", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("The token of the platform's callbacks, created on the cooperative's e-invoicing settings.")).build()));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Essaim API", version = "1", description = "The JSON API of Essaim, the platform of Coopératives d'activités et d'emploi."),
    paths(me, my_cooperatives, create_cooperative, cooperative, members, add_member, audit, jobs, people_list, person, create_person, record_event, deadlines, activities, activity, directory,
        sales::customers, sales::create_customer, sales::customer, sales::quotes, sales::invoices, sales::create_quote, sales::create_invoice,
        sales::show, sales::update, sales::validate, sales::ask_review, sales::return_review, sales::record_payment, sales::pdf, sales::xml, sales::einvoice,
        books::balance, books::entries, books::entry, books::fec, books::journal, books::import_bank,
        spending::expense_reports, spending::open_report, spending::expense_report, spending::add_expense, spending::attach_receipt,
        spending::add_trip, spending::submit_report, spending::supplier_invoices, spending::create_supplier_invoice, spending::supplier_invoice,
        payroll::simulate, payroll::account, einvoicing::callback,
        coaching::appointments, coaching::appointment, coaching::create_appointment, coaching::workshops_list, coaching::register),
    components(schemas(ProblemBody, Problem, FieldProblem)),
    modifiers(&TokenSecurity)
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(json) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            json,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

// --- people -------------------------------------------------------------------------------

fn iso(d: Option<time::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// One person in a list.
#[derive(Serialize, ToSchema)]
pub struct PersonSummary {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    /// `prospect`, `candidate`, `admitted`, `not_admitted`, `cape`, `cesa`, `associate`, `exited`.
    pub status: String,
    pub suspended: bool,
    pub referent: Option<String>,
    pub antenna: Option<String>,
    /// Dates as `YYYY-MM-DD`.
    pub cape_end: Option<String>,
    pub trial_end: Option<String>,
    pub associate_deadline: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PeoplePage {
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub people: Vec<PersonSummary>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PeopleQuery {
    /// Part of a name or e-mail.
    q: Option<String>,
    /// A status code.
    status: Option<String>,
    /// Page number from 0 (50 per page).
    page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/people", tag = "people", params(("coop" = String, Path), PeopleQuery),
    responses((status = 200, body = PeoplePage), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn people_list(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<PeopleQuery>,
) -> Result<Json<PeoplePage>, ApiError> {
    use essaim_domain::path::Status;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(Status::parse(s).ok_or(AppError::field("status", "choice_unknown"))?),
        None => None,
    };
    let filter = essaim_app::records::PersonFilter {
        search: q.q,
        status,
        ..Default::default()
    };
    let page = q.page.unwrap_or(0).max(0);
    let (rows, total) = essaim_app::people::list(&state.app, &coop, &filter, page).await?;
    Ok(Json(PeoplePage {
        total,
        page,
        page_size: essaim_app::people::PAGE_SIZE,
        people: rows
            .into_iter()
            .map(|p| PersonSummary {
                id: p.person_id,
                first_name: p.first_name,
                last_name: p.last_name,
                status: p.status,
                suspended: p.suspended,
                referent: p.referent_name,
                antenna: p.antenna,
                cape_end: iso(p.cape_end_on),
                trial_end: iso(p.trial_end_on),
                associate_deadline: iso(p.associate_deadline_on),
            })
            .collect(),
    }))
}

/// A path event. Fields used depend on `kind` (see the event form of the pages).
#[derive(Serialize, Deserialize, ToSchema, Default)]
pub struct PathEventBody {
    /// `information_meeting`, `diagnostic_interview`, `admitted`, `not_admitted`, `cape_signed`, `cape_renewed`,
    /// `cape_ended`, `hiring_declared`, `cesa_signed`, `cesa_amended`, `associate_admitted`, `suspension_started`,
    /// `suspension_ended`, `exited`.
    pub kind: String,
    /// `YYYY-MM-DD`: the day it happened, or the start of a contract period.
    pub on: String,
    /// Last day of a CAPE period.
    #[serde(default)]
    pub end: String,
    /// Last day of a CESA trial period (empty: none).
    #[serde(default)]
    pub trial_end: String,
    /// Code of the non-admission or exit reason list, or the suspension's reason.
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub exit_type: String,
    #[serde(default)]
    pub destination: String,
    /// What an amendment changes.
    #[serde(default)]
    pub summary: String,
}

fn event_body(e: &essaim_domain::path::PathEvent) -> PathEventBody {
    use essaim_domain::path::PathEvent as E;
    let mut b = PathEventBody {
        kind: e.kind().into(),
        on: e.date().to_string(),
        ..Default::default()
    };
    match e {
        E::NotAdmitted { reason, .. } | E::SuspensionStarted { reason, .. } => {
            b.reason = reason.clone()
        }
        E::CapeSigned { period } | E::CapeRenewed { period } => b.end = period.end.to_string(),
        E::CesaSigned { trial_end, .. } => b.trial_end = iso(*trial_end).unwrap_or_default(),
        E::CesaAmended { summary, .. } => b.summary = summary.clone(),
        E::Exited {
            exit_type,
            reason,
            destination,
            ..
        } => {
            b.exit_type = exit_type.clone();
            b.reason = reason.clone();
            b.destination = destination.clone();
        }
        _ => {}
    }
    b
}

/// A person's file.
#[derive(Serialize, ToSchema)]
pub struct PersonResponse {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub commune: Option<String>,
    pub birth_date: Option<String>,
    pub gender: String,
    pub situation: Option<String>,
    pub prescriber: Option<String>,
    pub education: Option<String>,
    pub antenna: Option<String>,
    pub qpv: bool,
    pub rural: bool,
    pub naf: Option<String>,
    pub referent_user_id: Option<i64>,
    pub status: String,
    pub suspended: bool,
    pub cape_end: Option<String>,
    pub trial_end: Option<String>,
    pub associate_deadline: Option<String>,
    pub events: Vec<PathEventBody>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/people/{id}", tag = "people", params(("coop" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = PersonResponse), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn person(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: axum::extract::Path<(String, i64)>,
) -> Result<Json<PersonResponse>, ApiError> {
    let id = (path.0).1;
    let file =
        essaim_app::people::show(&state.app, &coop, essaim_domain::ids::PersonId::new(id)).await?;
    let d = file.record.details;
    let s = file.record.summary;
    Ok(Json(PersonResponse {
        id,
        first_name: d.first_name,
        last_name: d.last_name,
        email: d.email.map(|e| e.as_str().to_owned()),
        phone: d.phone,
        address: d.address,
        postcode: d.postcode,
        commune: d.commune,
        birth_date: iso(d.birth_date),
        gender: d.gender.code().into(),
        situation: d.situation,
        prescriber: d.prescriber,
        education: d.education,
        antenna: d.antenna,
        qpv: d.qpv,
        rural: d.rural,
        naf: d.naf,
        referent_user_id: file.record.referent.map(|(u, _)| u.get()),
        status: s.status.code().into(),
        suspended: s.suspended,
        cape_end: iso(s.cape_end),
        trial_end: iso(s.trial_end),
        associate_deadline: iso(s.associate_deadline),
        events: file.events.iter().map(|e| event_body(&e.event)).collect(),
    }))
}

/// A person to record. List fields take the codes of the cooperative's lists.
#[derive(Deserialize, ToSchema)]
pub struct PersonRequest {
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub commune: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub birth_date: String,
    /// `female`, `male`, `non_binary` or `undisclosed`.
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub situation: String,
    #[serde(default)]
    pub prescriber: String,
    #[serde(default)]
    pub education: String,
    #[serde(default)]
    pub antenna: String,
    #[serde(default)]
    pub qpv: bool,
    #[serde(default)]
    pub rural: bool,
    #[serde(default)]
    pub naf: String,
    pub referent_user_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedPerson {
    pub id: i64,
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/people", tag = "people", params(("coop" = String, Path)), request_body = PersonRequest,
    responses((status = 201, body = CreatedPerson), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn create_person(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Json(r): Json<PersonRequest>,
) -> Result<Response, ApiError> {
    let input = essaim_domain::person::PersonInput {
        first_name: r.first_name,
        last_name: r.last_name,
        email: r.email,
        phone: r.phone,
        address: r.address,
        postcode: r.postcode,
        commune: r.commune,
        birth_date: r.birth_date,
        gender: r.gender,
        situation: r.situation,
        prescriber: r.prescriber,
        education: r.education,
        qpv: r.qpv,
        rural: r.rural,
        naf: r.naf,
        antenna: r.antenna,
    };
    let id = essaim_app::people::create(
        &state.app,
        &coop,
        &input,
        r.referent_user_id.map(essaim_domain::ids::UserId::new),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(CreatedPerson { id: id.get() })).into_response())
}

#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/people/{id}/events", tag = "people", params(("coop" = String, Path), ("id" = i64, Path)), request_body = PathEventBody,
    responses((status = 201, body = PathEventBody), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn record_event(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: axum::extract::Path<(String, i64)>,
    Json(r): Json<PathEventBody>,
) -> Result<Response, ApiError> {
    let id = (path.0).1;
    let input = essaim_domain::path::PathEventInput {
        kind: r.kind,
        on: r.on,
        end: r.end,
        trial_end: r.trial_end,
        reason: r.reason,
        exit_type: r.exit_type,
        destination: r.destination,
        summary: r.summary,
    };
    let event = essaim_app::people::record_event(
        &state.app,
        &coop,
        essaim_domain::ids::PersonId::new(id),
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(event_body(&event))).into_response())
}

/// A coming or passed deadline (LIF-31).
#[derive(Serialize, ToSchema)]
pub struct DeadlineResponse {
    pub person_id: i64,
    pub name: String,
    /// `associate`, `cape_end` or `trial_end`.
    pub what: String,
    pub on: String,
    /// `overdue`, `1_month`, `3_months` or `6_months`.
    pub band: String,
    pub referent: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/deadlines", tag = "people", params(("coop" = String, Path)),
    responses((status = 200, body = [DeadlineResponse]), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn deadlines(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
) -> Result<Json<Vec<DeadlineResponse>>, ApiError> {
    let all = essaim_app::people::deadlines(&state.app, &coop).await?;
    Ok(Json(
        all.into_iter()
            .map(|d| DeadlineResponse {
                person_id: d.person.person_id,
                name: format!("{} {}", d.person.first_name, d.person.last_name),
                what: d.what.code().into(),
                on: d.on.to_string(),
                band: d.band.code().into(),
                referent: d.person.referent_name,
            })
            .collect(),
    ))
}

// --- activities ---------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct ActivityMember {
    pub user_id: i64,
    pub name: String,
    /// Share of remuneration in basis points (10000 = 100 %).
    pub share_basis_points: u32,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityResponse {
    pub id: i64,
    pub name: String,
    pub analytic_code: String,
    pub description: Option<String>,
    pub naf: Option<String>,
    pub start_on: String,
    pub end_on: Option<String>,
    /// `planned`, `active` or `ended`.
    pub status: String,
    pub referent_user_id: Option<i64>,
    pub agreement: Option<String>,
    pub members: Vec<ActivityMember>,
}

fn activity_response(
    a: essaim_app::records::ActivityRecord,
    today: time::Date,
) -> ActivityResponse {
    ActivityResponse {
        id: a.id.get(),
        status: a.details.status(today).code().into(),
        name: a.details.name,
        analytic_code: a.details.analytic_code,
        description: a.details.description,
        naf: a.details.naf,
        start_on: a.details.start_on.to_string(),
        end_on: iso(a.details.end_on),
        referent_user_id: a.referent.map(|(u, _)| u.get()),
        agreement: a.agreement,
        members: a
            .members
            .into_iter()
            .map(|(u, name, s)| ActivityMember {
                user_id: u.get(),
                name,
                share_basis_points: s,
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/activities", tag = "activities", params(("coop" = String, Path)),
    responses((status = 200, body = [ActivityResponse]), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn activities(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
) -> Result<Json<Vec<ActivityResponse>>, ApiError> {
    let today = state.app.clock.today();
    let rows = essaim_app::activities::list(&state.app, &coop, None).await?;
    Ok(Json(
        rows.into_iter()
            .map(|a| activity_response(a, today))
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/activities/{id}", tag = "activities", params(("coop" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = ActivityResponse), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn activity(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: axum::extract::Path<(String, i64)>,
) -> Result<Json<ActivityResponse>, ApiError> {
    let id = (path.0).1;
    let a =
        essaim_app::activities::show(&state.app, &coop, essaim_domain::ids::ActivityId::new(id))
            .await?;
    Ok(Json(activity_response(a, state.app.clock.today())))
}

// --- directory ----------------------------------------------------------------------------

/// A listed profile; e-mail and phone only when the person shows them.
#[derive(Serialize, ToSchema)]
pub struct DirectoryEntry {
    pub user_id: i64,
    pub name: String,
    pub headline: Option<String>,
    pub offer: Option<String>,
    pub tags: Vec<String>,
    pub territory: Option<String>,
    pub naf: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub activities: Vec<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DirectoryQuery {
    q: Option<String>,
    tag: Option<String>,
    /// NAF code or its first two digits.
    naf: Option<String>,
    territory: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/directory", tag = "directory", params(("coop" = String, Path), DirectoryQuery),
    responses((status = 200, body = [DirectoryEntry]), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn directory(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<DirectoryQuery>,
) -> Result<Json<Vec<DirectoryEntry>>, ApiError> {
    let filter = essaim_app::records::DirectoryFilter {
        search: q.q,
        tag: q.tag,
        naf: q.naf,
        territory: q.territory,
    };
    let (listings, _) = essaim_app::directory::list(&state.app, &coop, &filter).await?;
    Ok(Json(
        listings
            .into_iter()
            .map(|l| DirectoryEntry {
                user_id: l.entry.user_id.get(),
                name: l.entry.name,
                headline: l.entry.profile.headline,
                offer: l.entry.profile.offer,
                tags: l.entry.profile.tags,
                territory: l.entry.profile.territory,
                naf: l.entry.profile.naf,
                email: l.entry.email,
                phone: l.entry.phone,
                activities: l.activities,
            })
            .collect(),
    ))
}
