//! The JSON API under `/api/v1`: personal access tokens (`Authorization: Bearer essaim_…`), the same
//! use cases and permission checks as the pages, errors as `{"error": {...}}` naming the field,
//! and an OpenAPI 3.1 document generated from this code.

use crate::error::ApiError;
use crate::pages::settings::CooperativeForm;
use crate::security::RequestContext;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use essaim_app::records::AuditFilter;
use essaim_app::{Actor, AppError, CoopActor, audit, cooperatives, jobs, members};
use essaim_domain::ids::RoleId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{OpenApi, ToSchema};

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
    let form = CooperativeForm {
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
        first_admin: r.first_admin,
    };
    let id =
        cooperatives::create(&state.app, Some(a), &form.input(), Some(&form.first_admin)).await?;
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
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Essaim API", version = "1", description = "The JSON API of Essaim, the platform of Coopératives d'activités et d'emploi."),
    paths(me, my_cooperatives, create_cooperative, cooperative, members, add_member, audit, jobs),
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
