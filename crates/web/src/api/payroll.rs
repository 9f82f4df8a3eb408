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

// --- the activity account ---------------------------------------------------------------------

/// The figures of a month, or of the year to date.
#[derive(Serialize, ToSchema)]
pub struct AccountFigures {
    /// `2026-03`; `to_date` for the year's total.
    pub month: String,
    pub revenue: Amount,
    pub contribution: Amount,
    pub charges: Amount,
    pub salary_cost: Amount,
    /// The balance at the end of the month (of the period for the total).
    pub balance: Amount,
}

/// One line of the account, with the document behind it.
#[derive(Serialize, ToSchema)]
pub struct AccountLineResponse {
    pub date: String,
    /// `revenue`, `contribution`, `charge`, `resale`, `salary_cost`, `allocation`.
    pub kind: String,
    pub label: String,
    pub amount: Amount,
    /// `sale_document`, `payment`, `expense_report`, `supplier_invoice`, `entry` or `contribution`.
    pub source: String,
    /// The document's id (for a payment: its sale document's); none for a contribution.
    pub source_id: Option<i64>,
    /// For a contribution: the base it was levied on and the date of the policy version used.
    pub base: Option<Amount>,
    pub policy_from: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ForecastResponse {
    pub realised: Amount,
    pub receivables: Amount,
    pub committed: Amount,
    pub scheduled_payroll: Amount,
    pub minimum_top_up: Amount,
    pub available: Amount,
    /// PAY-24: the forecast is negative.
    pub alert: bool,
    pub months_left: u32,
    /// PAY-21: the monthly gross the forecast sustains (non-cadre, 10 % reserve), if any.
    pub suggested_gross: Option<Amount>,
}

#[derive(Serialize, ToSchema)]
pub struct AccountResponse {
    pub activity: i64,
    pub year_start: String,
    pub year_end: String,
    /// The last day counted.
    pub to: String,
    /// `collected` or `invoiced`.
    pub basis: String,
    pub opening: Amount,
    pub available: Amount,
    pub months: Vec<AccountFigures>,
    pub to_date: AccountFigures,
    /// Only for the current fiscal year.
    pub forecast: Option<ForecastResponse>,
    pub lines: Vec<AccountLineResponse>,
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[serde(default)]
pub struct AccountParams {
    /// Any day of the fiscal year to show (`2025-06-30`); the current year when absent.
    pub year: String,
}

fn figures(
    month: String,
    f: &essaim_domain::payroll::account::Figures,
    balance: i64,
) -> AccountFigures {
    AccountFigures {
        month,
        revenue: Amount::of(f.revenue),
        contribution: Amount::of(f.contribution),
        charges: Amount::of(f.charges + f.allocations),
        salary_cost: Amount::of(f.salary_cost),
        balance: Amount::of(balance),
    }
}

#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/activities/{id}/account", tag = "payroll",
    params(("coop" = String, Path), ("id" = i64, Path), AccountParams),
    description = "The activity account (PAY-01, PAY-02): month by month and to date, every line with its document, and the forecast to the year end. An entrepreneur reads only their own activities'.",
    responses((status = 200, body = AccountResponse), (status = 403, body = ProblemBody), (status = 404, body = ProblemBody), (status = 422, body = ProblemBody)), security(("token" = [])))]
pub async fn account(
    State(state): State<AppState>,
    axum::Extension(coop): axum::Extension<essaim_app::CoopActor>,
    path: axum::extract::Path<(String, i64)>,
    axum::extract::Query(q): axum::extract::Query<AccountParams>,
) -> Result<Json<AccountResponse>, ApiError> {
    use essaim_app::payroll::account::Source;
    use essaim_domain::payroll::account::Kind;
    let at = match q.year.trim() {
        "" => None,
        s => Some(essaim_domain::person::parse_date(s).map_err(|c| AppError::field("year", c))?),
    };
    let a = essaim_app::payroll::account::activity_account(
        &state.app,
        &coop,
        essaim_domain::ids::ActivityId::new((path.0).1),
        at,
    )
    .await?;
    let s = &a.statement;
    let kind = |k: Kind| match k {
        Kind::Revenue => "revenue",
        Kind::Contribution => "contribution",
        Kind::Charge => "charge",
        Kind::Resale => "resale",
        Kind::SalaryCost => "salary_cost",
        Kind::Allocation => "allocation",
    };
    Ok(Json(AccountResponse {
        activity: a.activity.id.get(),
        year_start: s.year_start.to_string(),
        year_end: s.year_end.to_string(),
        to: s.to.to_string(),
        basis: if a.collected_basis {
            "collected"
        } else {
            "invoiced"
        }
        .into(),
        opening: Amount::of(s.realised.opening),
        available: Amount::of(s.realised.available.cents()),
        months: s
            .realised
            .months
            .iter()
            .map(|m| {
                figures(
                    format!("{}-{:02}", m.year, u8::from(m.month)),
                    &m.figures,
                    m.balance,
                )
            })
            .collect(),
        to_date: figures(
            "to_date".into(),
            &s.realised.to_date,
            s.realised.available.cents(),
        ),
        forecast: a.forecast.map(|f| ForecastResponse {
            realised: Amount::of(f.realised),
            receivables: Amount::of(f.receivables),
            committed: Amount::of(f.committed),
            scheduled_payroll: Amount::of(f.scheduled_payroll),
            minimum_top_up: Amount::of(f.minimum_top_up),
            available: Amount::of(f.available().cents()),
            alert: a.alert,
            months_left: a.months_left,
            suggested_gross: a
                .suggested
                .as_ref()
                .map(|p| Amount::of(p.gross_money().cents())),
        }),
        lines: a
            .lines
            .iter()
            .map(|l| {
                let (source, id, base, from) = match &l.source {
                    Source::SaleDoc { id, .. } => ("sale_document", Some(*id), None, None),
                    Source::Payment { doc, .. } => ("payment", Some(*doc), None, None),
                    Source::ExpenseReport(id) => ("expense_report", Some(*id), None, None),
                    Source::SupplierInvoice(id) => ("supplier_invoice", Some(*id), None, None),
                    Source::Entry { id, .. } => ("entry", Some(*id), None, None),
                    Source::Contribution(c) => (
                        "contribution",
                        None,
                        Some(Amount::of(c.base)),
                        Some(c.policy_from.to_string()),
                    ),
                };
                AccountLineResponse {
                    date: l.on.to_string(),
                    kind: kind(l.kind).into(),
                    label: l.label.clone(),
                    amount: Amount::of(l.cents),
                    source: source.into(),
                    source_id: id,
                    base,
                    policy_from: from,
                }
            })
            .collect(),
    }))
}
