//! The salary simulator (issue 6, point 3): from a gross salary, a net or an employer cost, the
//! two others and every contribution, on a date, with the cooperative's assumptions shown.

use crate::pages::prelude::*;
use crate::view::money;
use essaim_domain::payroll::{self, AssumptionsInput, Payslip, SimulationInput, params};

pub struct LineRow {
    pub label: String,
    pub base: String,
    pub employee: String,
    pub employer: String,
}

pub struct Result {
    pub gross: String,
    pub net: String,
    pub net_taxable: String,
    pub employee: String,
    pub employer: String,
    pub reductions: String,
    pub cost: String,
    pub coefficient: String,
    pub lines: Vec<LineRow>,
}

#[derive(Template)]
#[template(path = "payroll/simulator.html")]
pub struct SimulatorPage {
    pub l: Layout,
    pub f: SimulationInput,
    pub given: String,
    pub amount: String,
    pub statuses: Vec<Choice>,
    pub errors: Errors,
    pub result: Option<Result>,
    pub defaults: String,
    /// Where the cooperative's assumptions are set, for those who may.
    pub settings_href: Option<String>,
    pub plan_available: String,
    pub plan_months: String,
    pub plan_reserve: String,
    pub plan: Option<Plan>,
    /// The planner's fields that are wrong, or that nothing can be paid.
    pub plan_errors: Errors,
}

/// The form as typed: one amount and which it is; or, for the planner, the balance expected.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SimulatorQuery {
    /// `gross`, `net` or `employer_cost`.
    pub given: String,
    pub amount: String,
    pub status: String,
    pub date: String,
    /// The planner: what the activity expects to have until the year end, the months, the reserve.
    pub plan_available: String,
    pub plan_months: String,
    pub plan_reserve: String,
}

/// What the planner answers (PAY-21): the highest salary sustainable until the year end.
pub struct Plan {
    pub gross: String,
    pub net: String,
    pub cost: String,
    pub total_cost: String,
    pub kept: String,
}

/// Euros with the cents of an exact amount, for a line (`172,50 €`).
fn euros(d: rust_decimal::Decimal) -> String {
    let c = (d * rust_decimal::Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    money(c.mantissa().try_into().unwrap_or(i64::MAX) / 10_i64.pow(c.scale()))
}

fn result(t: crate::i18n::Tr, s: &Payslip) -> Result {
    Result {
        gross: money(s.gross_money().cents()),
        net: money(s.net_before_income_tax().cents()),
        net_taxable: money(s.net_taxable().cents()),
        employee: money(s.employee_contributions().cents()),
        employer: money(s.employer_contributions().cents()),
        reductions: money(s.employer_reductions_money().cents()),
        cost: money(s.employer_cost().cents()),
        coefficient: s.rgdu_coefficient.to_string().replace('.', ","),
        lines: s
            .lines
            .iter()
            .filter(|l| !l.employee.is_zero() || !l.employer.is_zero())
            .map(|l| LineRow {
                label: t.get(&format!("payroll.line.{}", l.code)).to_owned(),
                base: euros(l.base),
                employee: if l.employee.is_zero() {
                    String::new()
                } else {
                    euros(l.employee)
                },
                employer: if l.employer.is_zero() {
                    String::new()
                } else {
                    euros(l.employer)
                },
            })
            .collect(),
    }
}

/// PAY-21 for the figures typed: each field checked, then the salary found (or why none).
fn planned(
    t: crate::i18n::Tr,
    a: &payroll::Assumptions,
    q: &SimulatorQuery,
    months: &str,
    reserve: &str,
    today: time::Date,
) -> (Option<Plan>, Errors) {
    let asked = payroll::planner::PlanInput {
        available: q.plan_available.clone(),
        months: months.to_owned(),
        reserve: reserve.to_owned(),
    }
    .parse();
    let status = payroll::Status::parse(&q.status).unwrap_or(payroll::Status::NonCadre);
    let payroll::planner::Plan {
        available_cents,
        months,
        reserve,
    } = match asked {
        Ok(plan) => plan,
        Err(e) => {
            // The form's fields are named `plan_…` beside the simulator's.
            let shown = Errors::from(&e, t);
            let named = shown
                .0
                .into_iter()
                .map(|(field, message)| (format!("plan_{field}"), message))
                .collect();
            return (None, Errors(named));
        }
    };
    match payroll::planner::sustainable_gross(
        &params::FRANCE,
        a,
        status,
        today,
        available_cents,
        months,
        reserve,
    ) {
        Some(s) => {
            let total = s.employer_cost().cents() * i64::from(months);
            (
                Some(Plan {
                    gross: money(s.gross_money().cents()),
                    net: money(s.net_before_income_tax().cents()),
                    cost: money(s.employer_cost().cents()),
                    total_cost: money(total),
                    kept: money(available_cents - total),
                }),
                Errors::default(),
            )
        }
        None => (None, Errors::one("plan_available", t.error("plan_nothing"))),
    }
}

/// The simulator: a GET form, so a simulation is a link one can keep or share.
pub async fn simulator(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<SimulatorQuery>,
) -> PageResult {
    let t = page.layout.t;
    let mut f = SimulationInput {
        status: q.status.clone(),
        date: q.date.clone(),
        ..SimulationInput::default()
    };
    match q.given.as_str() {
        "net" => f.net = q.amount.clone(),
        "employer_cost" => f.employer_cost = q.amount.clone(),
        _ => f.gross = q.amount.clone(),
    }
    let today = app.clock.today();
    let assumptions = essaim_app::payroll::assumptions(&app, &coop).await?;
    let (result, errors) = if q.amount.trim().is_empty() {
        (None, Errors::default())
    } else {
        match f.parse(today) {
            // The cooperative's own assumptions (its payroll settings).
            Ok(sim) => match payroll::simulate(
                &params::FRANCE,
                &assumptions,
                sim.status,
                sim.on,
                sim.given,
            ) {
                Some(s) => (Some(result(t, &s)), Errors::default()),
                None => (None, Errors::one("date", t.error("payroll_no_params"))),
            },
            Err(e) => {
                // The amount's error shows beside the one amount field.
                let mut shown = Errors::from(&e, t);
                for field in ["gross", "net", "employer_cost"] {
                    if let Some(m) = shown.0.remove(field) {
                        shown.0.insert("amount".into(), m);
                    }
                }
                (None, shown)
            }
        }
    };
    let typed = AssumptionsInput::of(&assumptions);
    // The planner: a what-if on the balance the person expects; nothing is saved.
    let year_end = essaim_app::payroll::fiscal_year_end(&app, &coop).await?;
    let months_default = payroll::planner::months_left(today, year_end).to_string();
    let plan_months = if q.plan_months.trim().is_empty() {
        months_default
    } else {
        q.plan_months.clone()
    };
    let plan_reserve = if q.plan_reserve.trim().is_empty() {
        "10".to_owned()
    } else {
        q.plan_reserve.clone()
    };
    let (plan, plan_errors) = if q.plan_available.trim().is_empty() {
        (None, Errors::default())
    } else {
        planned(t, &assumptions, &q, &plan_months, &plan_reserve, today)
    };
    let invalid = errors.any() || plan_errors.any();
    let response = render(&SimulatorPage {
        given: if q.given.is_empty() {
            "gross".into()
        } else {
            q.given.clone()
        },
        amount: q.amount.clone(),
        statuses: [payroll::Status::NonCadre, payroll::Status::Cadre]
            .iter()
            .map(|s| {
                Choice::new(
                    s.code(),
                    t.get(&format!("payroll.status.{}", s.code())),
                    s.code() == q.status,
                )
            })
            .collect(),
        defaults: t.fmt(
            "payroll.assumptions",
            &[
                &typed.headcount,
                &typed.atmp_rate,
                &typed.health_insurance,
                &typed.health_insurance_employer_share,
                &typed.mobility_rate,
            ],
        ),
        f: SimulationInput {
            date: if q.date.is_empty() {
                today.to_string()
            } else {
                q.date.clone()
            },
            ..f
        },
        errors,
        result,
        settings_href: coop
            .may(essaim_domain::access::Permission::CooperativeSettings)
            .then(|| paths::payroll_settings(&coop.slug)),
        plan_available: q.plan_available.clone(),
        plan_months,
        plan_reserve,
        plan,
        plan_errors,
        l: page.layout.clone(),
    });
    Ok(if invalid {
        view::unprocessable(response)
    } else {
        response
    })
}

#[derive(Template)]
#[template(path = "payroll/settings.html")]
pub struct SettingsPage {
    pub l: Layout,
    pub f: AssumptionsInput,
    pub errors: Errors,
    pub action: String,
    pub saved: bool,
    pub simulator_href: String,
    pub contribution_href: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    pub saved: String,
}

fn settings_page(
    page: &Page,
    coop: &CoopActor,
    f: AssumptionsInput,
    errors: Errors,
    saved: bool,
) -> Response {
    render(&SettingsPage {
        f,
        errors,
        action: paths::payroll_settings(&coop.slug),
        saved,
        simulator_href: paths::payroll_simulator(&coop.slug),
        contribution_href: paths::contribution_settings(&coop.slug),
        l: page.layout.clone(),
    })
}

/// The cooperative's payroll assumptions.
pub async fn settings(Ctx { app, coop, page }: Ctx, Query(q): Query<SavedQuery>) -> PageResult {
    let a = essaim_app::payroll::assumptions(&app, &coop).await?;
    let f = AssumptionsInput::of(&a);
    Ok(settings_page(
        &page,
        &coop,
        f,
        Errors::default(),
        !q.saved.is_empty(),
    ))
}

pub async fn save_settings(
    Ctx { app, coop, page }: Ctx,
    Form(f): Form<AssumptionsInput>,
) -> PageResult {
    let outcome = essaim_app::payroll::save_assumptions(&app, &coop, &f).await;
    forms::submit(
        &page,
        outcome,
        |_| format!("{}?saved=1", paths::payroll_settings(&coop.slug)),
        async |errors| Ok(settings_page(&page, &coop, f, errors, false)),
    )
    .await
}
