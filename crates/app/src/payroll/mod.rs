//! Payroll (issue 6): the cooperative's payroll assumptions, which the salary simulator uses;
//! the contribution's policies (`policies`) and the activity account built on them (`account`).

pub mod account;
pub mod bridge;
pub(crate) mod demo;
pub mod overview;
pub mod policies;

use crate::{App, AppError, CoopActor, audit};
use essaim_domain::access::Permission;
use essaim_domain::payroll::planner::{PlannerPolicy, PlannerPolicyInput};
use essaim_domain::payroll::{Assumptions, AssumptionsInput};
use essaim_storage::payroll::{self as store, PayrollSettingsRecord};
use rust_decimal::Decimal;
use serde_json::json;

fn read(r: &PayrollSettingsRecord) -> Option<Assumptions> {
    let d = |s: &str| s.parse::<Decimal>().ok();
    Some(Assumptions {
        headcount: u32::try_from(r.headcount).ok()?,
        atmp_rate: d(&r.atmp_rate)?,
        mobility_rate: d(&r.mobility_rate)?,
        health_insurance: d(&r.health_insurance)?,
        health_insurance_employer_share: d(&r.health_insurance_employer_share)?,
        hours: Assumptions::default().hours,
    })
}

/// The cooperative's assumptions, or the URSSAF simulator's until it sets its own.
pub async fn assumptions(app: &App, actor: &CoopActor) -> Result<Assumptions, AppError> {
    let mut tx = app.store.read().await?;
    let a = assumptions_in(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(a)
}

pub(crate) async fn assumptions_in(
    tx: &mut essaim_storage::Tx,
    coop: essaim_domain::ids::CooperativeId,
) -> Result<Assumptions, AppError> {
    let r = store::settings(tx, coop).await?;
    Ok(r.as_ref().and_then(read).unwrap_or_default())
}

/// Records the cooperative's assumptions (`cooperative.settings`).
pub async fn save_assumptions(
    app: &App,
    actor: &CoopActor,
    input: &AssumptionsInput,
) -> Result<Assumptions, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let current = assumptions(app, actor).await?;
    let a = input.parse(&current)?;
    let mut tx = app.store.begin().await?;
    store::save_settings(
        &mut tx,
        actor.cooperative,
        &PayrollSettingsRecord {
            headcount: i64::from(a.headcount),
            atmp_rate: a.atmp_rate.normalize().to_string(),
            mobility_rate: a.mobility_rate.normalize().to_string(),
            health_insurance: a.health_insurance.normalize().to_string(),
            health_insurance_employer_share: a
                .health_insurance_employer_share
                .normalize()
                .to_string(),
        },
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "payroll.settings_saved",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "headcount": a.headcount, "atmp_rate": a.atmp_rate.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(a)
}

/// The cooperative's pay-planner policy (PAY-21 reserve, PAY-24 tolerance), or the default.
pub async fn planner(app: &App, actor: &CoopActor) -> Result<PlannerPolicy, AppError> {
    let mut tx = app.store.read().await?;
    let p = planner_in(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(p)
}

pub(crate) async fn planner_in(
    tx: &mut essaim_storage::Tx,
    coop: essaim_domain::ids::CooperativeId,
) -> Result<PlannerPolicy, AppError> {
    Ok(match store::planner(tx, coop).await? {
        None => PlannerPolicy::default(),
        Some((reserve, tolerance_cents)) => PlannerPolicy {
            reserve: reserve.parse().map_err(|_| {
                AppError::Internal(format!("pay planner of {coop} unreadable: {reserve}"))
            })?,
            tolerance_cents,
        },
    })
}

/// Records the cooperative's pay-planner policy (settings), audited.
pub async fn save_planner(
    app: &App,
    actor: &CoopActor,
    input: &PlannerPolicyInput,
) -> Result<PlannerPolicy, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let p = input.parse()?;
    let mut tx = app.store.begin().await?;
    store::save_planner(
        &mut tx,
        actor.cooperative,
        &p.reserve.normalize().to_string(),
        p.tolerance_cents,
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "payroll.planner_saved",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "reserve": p.reserve.normalize().to_string(), "tolerance_cents": p.tolerance_cents }),
    )
    .await?;
    tx.commit().await?;
    Ok(p)
}

/// The first day of the cooperative's fiscal year containing `today`.
pub async fn fiscal_year_start(app: &App, actor: &CoopActor) -> Result<time::Date, AppError> {
    let mut tx = app.store.read().await?;
    let c = essaim_storage::cooperative::find(&mut tx, actor.cooperative)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    tx.commit().await?;
    Ok(c.identity
        .fiscal_year_start
        .year_start_for(app.clock.today()))
}

/// The last day of the cooperative's fiscal year containing `today`.
pub async fn fiscal_year_end(app: &App, actor: &CoopActor) -> Result<time::Date, AppError> {
    let mut tx = app.store.read().await?;
    let c = essaim_storage::cooperative::find(&mut tx, actor.cooperative)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    tx.commit().await?;
    let today = app.clock.today();
    let start = c.identity.fiscal_year_start.year_start_for(today);
    let next = time::Date::from_calendar_date(start.year() + 1, start.month(), start.day())
        .unwrap_or(start);
    Ok(next - time::Duration::days(1))
}
