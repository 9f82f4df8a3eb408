//! The salary simulator through the API (issue 6, point 8): `POST /api/v1/payroll/simulations`
//! with one of `gross`, `net`, `employer_cost` (per month), the status, the date and the
//! assumptions (the URSSAF simulator's when absent). Amounts may be sent as numbers or as typed
//! text; they come back as [`Amount`]s, with every contribution.

use super::ProblemBody;
use super::sales::Amount;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use essaim_app::AppError;
use essaim_domain::payroll::{self, SimulationInput, params};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

/// A JSON number or string, read as the text a person would type.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

/// What to simulate: exactly one of the three amounts.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct SimulationRequest {
    /// Monthly gross salary (`2500` or `"2 500,00"`).
    #[serde(deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub gross: String,
    /// Monthly net before income tax.
    #[serde(deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub net: String,
    /// Monthly total employer cost.
    #[serde(deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub employer_cost: String,
    /// `non-cadre` (default) or `cadre`.
    pub status: String,
    /// `YYYY-MM-DD`; default: today.
    pub date: String,
    /// Default 10.
    #[serde(deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub headcount: String,
    /// In percent; default 2.08.
    #[serde(deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub atmp_rate: String,
    /// In percent; default 0 (applies from 11 employees).
    #[serde(deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub mobility_rate: String,
    /// Health insurance premium per month; default 40.
    #[serde(deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub mutuelle: String,
    /// The employer's share of it, in percent; default 50.
    #[serde(deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub mutuelle_employer_share: String,
    /// Hours paid in the month; default 151.67.
    #[serde(deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub hours: String,
}

/// One contribution: its base and each side's share (exact, to 4 decimals).
#[derive(Serialize, ToSchema)]
pub struct ContributionLine {
    pub code: String,
    pub base: String,
    pub employee: String,
    pub employer: String,
}

/// A month's pay.
#[derive(Serialize, ToSchema)]
pub struct SimulationResponse {
    pub status: String,
    pub date: String,
    pub gross_monthly: Amount,
    pub net_before_income_tax: Amount,
    pub net_taxable: Amount,
    pub employee_contributions: Amount,
    /// After the reductions.
    pub employer_contributions: Amount,
    pub employer_reductions: Amount,
    pub employer_cost: Amount,
    /// The RGDU coefficient applied.
    pub rgdu_coefficient: String,
    pub lines: Vec<ContributionLine>,
}

#[utoipa::path(post, path = "/api/v1/payroll/simulations", tag = "payroll", request_body = SimulationRequest,
    description = "The salary simulator: from one of gross, net or employer cost, the two others and every contribution (2026 French rules; equal to the URSSAF's simulator to the cent under the same assumptions).",
    responses((status = 200, body = SimulationResponse), (status = 422, body = ProblemBody)), security(("token" = [])))]
pub async fn simulate(
    State(state): State<AppState>,
    Json(r): Json<SimulationRequest>,
) -> Result<Json<SimulationResponse>, ApiError> {
    let input = SimulationInput {
        gross: r.gross,
        net: r.net,
        employer_cost: r.employer_cost,
        status: r.status,
        date: r.date,
        headcount: r.headcount,
        atmp_rate: r.atmp_rate,
        mobility_rate: r.mobility_rate,
        health_insurance: r.mutuelle,
        health_insurance_employer_share: r.mutuelle_employer_share,
        hours: r.hours,
    };
    let sim = input
        .parse(state.app.clock.today())
        .map_err(AppError::Invalid)?;
    let s = payroll::simulate(
        &params::FRANCE,
        &sim.assumptions,
        sim.status,
        sim.on,
        sim.given,
    )
    .ok_or(AppError::field("date", "payroll_no_params"))?;
    Ok(Json(SimulationResponse {
        status: s.status.code().to_owned(),
        date: s.on.to_string(),
        gross_monthly: Amount::of(s.gross_money().cents()),
        net_before_income_tax: Amount::of(s.net_before_income_tax().cents()),
        net_taxable: Amount::of(s.net_taxable().cents()),
        employee_contributions: Amount::of(s.employee_contributions().cents()),
        employer_contributions: Amount::of(s.employer_contributions().cents()),
        employer_reductions: Amount::of(s.employer_reductions_money().cents()),
        employer_cost: Amount::of(s.employer_cost().cents()),
        rgdu_coefficient: s.rgdu_coefficient.to_string(),
        lines: s
            .lines
            .iter()
            .map(|l| ContributionLine {
                code: l.code.to_owned(),
                base: l.base.round_dp(2).to_string(),
                employee: l.employee.round_dp(4).normalize().to_string(),
                employer: l.employer.round_dp(4).normalize().to_string(),
            })
            .collect(),
    }))
}
