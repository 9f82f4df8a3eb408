//! The payroll bridge (issue 6, point 5): the month's variables per person, reviewed and locked
//! by the payroll team, exported for the payroll bureau; the payslips it returns, imported and
//! posted as each activity's salary cost (PAY-25), beside what the simulator expected.

use crate::{App, AppError, CoopActor, audit, books};
use essaim_domain::access::Permission;
use essaim_domain::ledger::account::JournalRole;
use essaim_domain::ledger::payroll::{PayslipFacts, payslip_entry};
use essaim_domain::ledger::spending::person_aux;
use essaim_domain::money::Money;
use essaim_domain::payroll::bridge::{Variables, VariablesInput};
use essaim_domain::payroll::{Status, params};
use essaim_domain::spending::report::ReportMonth;
use essaim_domain::validation::FieldErrors;
use essaim_exchange::payslips::read_payslips;
use essaim_storage::Tx;
use essaim_storage::payroll_bridge::{
    self as store, MonthRecord, Payee, PayslipRecord, VariableRecord,
};
use rust_decimal::Decimal;
use serde_json::json;

/// Where a month stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonthStatus {
    /// Variables may still change.
    Open,
    /// Sent to the bureau: variables frozen, waiting for the payslips.
    Locked,
    /// Payslips imported and posted.
    Imported,
}

impl MonthStatus {
    fn of(r: Option<&MonthRecord>) -> MonthStatus {
        match r.map(|r| r.status.as_str()) {
            Some("locked") => MonthStatus::Locked,
            Some("imported") => MonthStatus::Imported,
            _ => MonthStatus::Open,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            MonthStatus::Open => "open",
            MonthStatus::Locked => "locked",
            MonthStatus::Imported => "imported",
        }
    }
}

/// A payslip as imported, with the simulator's employer cost for the same gross.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payslip {
    pub gross: Money,
    pub employee: Money,
    pub employer: Money,
    pub reductions: Money,
    pub net: Money,
    pub employer_cost: Money,
    pub simulated_cost: Money,
    pub entry_id: i64,
}

/// One person of the month.
#[derive(Clone, Debug)]
pub struct PayRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub variables: Variables,
    /// Reviewed (saved) rather than taken from the contract.
    pub reviewed: bool,
    pub payslip: Option<Payslip>,
}

#[derive(Clone, Debug)]
pub struct PayMonth {
    pub month: ReportMonth,
    pub status: MonthStatus,
    pub rows: Vec<PayRow>,
}

/// A month of the list.
#[derive(Clone, Debug)]
pub struct MonthLine {
    pub month: String,
    pub status: MonthStatus,
}

fn month_of(text: &str) -> Result<ReportMonth, AppError> {
    ReportMonth::parse(text).map_err(|c| AppError::field("month", c))
}

fn read(r: &VariableRecord) -> Variables {
    Variables {
        fixed_gross: Money::eur(r.fixed_gross_cents),
        variable: Money::eur(r.variable_cents),
        expenses: Money::eur(r.expenses_cents),
        absence_days: r.absence_days.parse().unwrap_or(Decimal::ZERO),
        note: r.note.clone(),
    }
}

fn record(user_id: i64, v: &Variables) -> VariableRecord {
    VariableRecord {
        user_id,
        fixed_gross_cents: v.fixed_gross.cents(),
        variable_cents: v.variable.cents(),
        expenses_cents: v.expenses.cents(),
        absence_days: v.absence_days.normalize().to_string(),
        note: v.note.clone(),
    }
}

fn from_contract(p: &Payee) -> Variables {
    Variables {
        fixed_gross: Money::eur(p.fixed_gross_cents),
        variable: Money::eur(0),
        expenses: Money::eur(0),
        absence_days: Decimal::ZERO,
        note: String::new(),
    }
}

/// The months prepared so far, the latest first.
pub async fn months(app: &App, actor: &CoopActor) -> Result<Vec<MonthLine>, AppError> {
    actor.require(Permission::PayrollManage)?;
    let mut tx = app.store.read().await?;
    let rows = store::months(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(rows
        .iter()
        .map(|r| MonthLine {
            month: r.month.clone(),
            status: MonthStatus::of(Some(r)),
        })
        .collect())
}

async fn gather(tx: &mut Tx, actor: &CoopActor, m: ReportMonth) -> Result<PayMonth, AppError> {
    let last = m
        .last_day()
        .ok_or(AppError::field("month", "month_format"))?;
    let rec = store::month(tx, actor.cooperative, &m.to_string()).await?;
    let payees = store::payees(tx, actor.cooperative, last).await?;
    let (saved, slips) = match &rec {
        Some(r) => (
            store::variables(tx, r.payroll_month_id).await?,
            store::payslips(tx, r.payroll_month_id).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let rows = payees
        .iter()
        .map(|p| {
            let s = saved.iter().find(|v| v.user_id == p.user_id);
            PayRow {
                user_id: p.user_id,
                name: format!("{} {}", p.first_name, p.last_name),
                email: p.email.clone(),
                variables: s.map_or_else(|| from_contract(p), read),
                reviewed: s.is_some(),
                payslip: slips
                    .iter()
                    .find(|x| x.user_id == p.user_id)
                    .map(|x| Payslip {
                        gross: Money::eur(x.gross_cents),
                        employee: Money::eur(x.employee_cents),
                        employer: Money::eur(x.employer_cents),
                        reductions: Money::eur(x.reductions_cents),
                        net: Money::eur(x.net_cents),
                        employer_cost: Money::eur(
                            x.gross_cents + x.employer_cents - x.reductions_cents,
                        ),
                        simulated_cost: Money::eur(x.simulated_cost_cents),
                        entry_id: x.entry_id,
                    }),
            }
        })
        .collect();
    Ok(PayMonth {
        month: m,
        status: MonthStatus::of(rec.as_ref()),
        rows,
    })
}

/// The month's people: those with a CESA contract in force at its end, their variables as
/// reviewed or, until then, from their contract; their payslips once imported.
pub async fn month(app: &App, actor: &CoopActor, text: &str) -> Result<PayMonth, AppError> {
    actor.require(Permission::PayrollManage)?;
    let m = month_of(text)?;
    let mut tx = app.store.read().await?;
    let out = gather(&mut tx, actor, m).await?;
    tx.commit().await?;
    Ok(out)
}

/// Records one person's variables while the month is open.
pub async fn save_variables(
    app: &App,
    actor: &CoopActor,
    text: &str,
    user: i64,
    input: &VariablesInput,
    override_reason: &str,
) -> Result<(), AppError> {
    actor.require(Permission::PayrollManage)?;
    let m = month_of(text)?;
    let v = input.parse()?;
    let mut tx = app.store.read().await?;
    let current = gather(&mut tx, actor, m).await?;
    let activities = essaim_storage::activity::ids_of_member(
        &mut tx,
        actor.cooperative,
        essaim_domain::ids::UserId::new(user),
    )
    .await?;
    tx.commit().await?;
    let Some(row) = current.rows.iter().find(|r| r.user_id == user) else {
        return Err(AppError::NotFound("payee"));
    };
    if current.status != MonthStatus::Open {
        return Err(AppError::field("month", "payroll_month_locked"));
    }
    // PAY-24: pay above what was planned must not take an activity's forecast below the tolerance; the
    // payroll team may still decide it, with a reason kept in the audit log.
    let mut overridden = Vec::new();
    if v.gross().cents() > row.variables.gross().cents() {
        let assumptions = super::assumptions(app, actor).await?;
        let planner = super::planner(app, actor).await?;
        let on = m.last_day().unwrap_or(app.clock.today());
        let cost = |gross: Money| {
            params::params_on(&params::FRANCE, on).map_or(gross.cents(), |p| {
                essaim_domain::payroll::payslip(
                    p,
                    &assumptions,
                    Status::NonCadre,
                    on,
                    Decimal::new(gross.cents(), 2),
                )
                .employer_cost()
                .cents()
            })
        };
        let extra = cost(v.gross()) - cost(row.variables.gross());
        for id in activities {
            let account = super::account::activity_account(app, actor, id, None).await?;
            let share = account
                .activity
                .members
                .iter()
                .find(|(u, _, _)| u.get() == user)
                .map_or(0, |(_, _, s)| i64::from(*s));
            if let Some(f) = account.forecast
                && planner.alerts(f.available().cents() - extra * share / 10_000)
            {
                overridden.push((
                    id.get(),
                    account.activity.details.name.clone(),
                    f.available().cents(),
                ));
            }
        }
        if !overridden.is_empty() && override_reason.trim().is_empty() {
            return Err(AppError::field("variable", "pay24_forecast_negative"));
        }
    }
    let mut tx = app.store.begin().await?;
    if gather(&mut tx, actor, m).await?.status != MonthStatus::Open {
        return Err(AppError::field("month", "payroll_month_locked"));
    }
    let now = app.clock.now();
    let rec = store::open_month(&mut tx, actor.cooperative, &m.to_string(), now).await?;
    store::save_variable(
        &mut tx,
        rec.payroll_month_id,
        &record(user, &v),
        actor.user().id,
        now,
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "payroll.variables_saved",
        ("payroll_month", m.to_string()),
        json!({ "user": user, "fixed_gross_cents": v.fixed_gross.cents(), "variable_cents": v.variable.cents(),
                "expenses_cents": v.expenses.cents(), "absence_days": v.absence_days.to_string() }),
    )
    .await?;
    if !overridden.is_empty() {
        audit::record_in(
            &mut tx,
            app,
            actor,
            "payroll.pay24_override",
            ("payroll_month", m.to_string()),
            json!({ "user": user, "gross_cents": v.gross().cents(), "reason": override_reason.trim(),
                    "activities": overridden.iter().map(|(id, name, forecast)| json!({ "activity": id, "name": name, "forecast_cents": forecast })).collect::<Vec<_>>() }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Locks the month: every person's variables are written as they stand and no longer change.
pub async fn lock(app: &App, actor: &CoopActor, text: &str) -> Result<PayMonth, AppError> {
    actor.require(Permission::PayrollManage)?;
    let m = month_of(text)?;
    let mut tx = app.store.begin().await?;
    let current = gather(&mut tx, actor, m).await?;
    if current.status != MonthStatus::Open {
        return Err(AppError::field("month", "payroll_month_locked"));
    }
    if current.rows.is_empty() {
        return Err(AppError::field("month", "payroll_month_empty"));
    }
    let now = app.clock.now();
    let rec = store::open_month(&mut tx, actor.cooperative, &m.to_string(), now).await?;
    for r in current.rows.iter().filter(|r| !r.reviewed) {
        store::save_variable(
            &mut tx,
            rec.payroll_month_id,
            &record(r.user_id, &r.variables),
            actor.user().id,
            now,
        )
        .await?;
    }
    if !store::lock_month(
        &mut tx,
        actor.cooperative,
        rec.payroll_month_id,
        actor.user().id,
        now,
    )
    .await?
    {
        return Err(AppError::field("month", "payroll_month_locked"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "payroll.month_locked",
        ("payroll_month", m.to_string()),
        json!({ "people": current.rows.len() }),
    )
    .await?;
    let out = gather(&mut tx, actor, m).await?;
    tx.commit().await?;
    Ok(out)
}

/// Imports the bureau's payslips for a locked month: one per person of the month, each posted to
/// the payroll journal and charged to the person's activities in their shares, in one
/// transaction; any problem refuses the whole file, each said with its line.
pub async fn import_payslips(
    app: &App,
    actor: &CoopActor,
    text: &str,
    bytes: &[u8],
) -> Result<usize, AppError> {
    actor.require(Permission::PayrollManage)?;
    let m = month_of(text)?;
    let mut tx = app.store.begin().await?;
    let current = gather(&mut tx, actor, m).await?;
    match current.status {
        MonthStatus::Open => return Err(AppError::field("file", "payroll_month_not_locked")),
        MonthStatus::Imported => return Err(AppError::field("file", "payroll_month_imported")),
        MonthStatus::Locked => {}
    }
    let lines = read_payslips(bytes).map_err(|errors| {
        let mut e = FieldErrors::new();
        for x in errors {
            e.add_row(x.line, x.column.unwrap_or("file"), x.code);
        }
        AppError::Invalid(e)
    })?;
    let last = m
        .last_day()
        .ok_or(AppError::field("month", "month_format"))?;
    let rec = store::month(&mut tx, actor.cooperative, &m.to_string())
        .await?
        .ok_or(AppError::NotFound("payroll_month"))?;
    let assumptions = super::assumptions_in(&mut tx, actor.cooperative).await?;
    let p = params::params_on(&params::FRANCE, last);
    let now = app.clock.now();
    let mut e = FieldErrors::new();
    let mut seen = Vec::new();
    let mut facts = Vec::new();
    for l in &lines {
        let Some(row) = current
            .rows
            .iter()
            .find(|r| r.email.eq_ignore_ascii_case(&l.email))
        else {
            e.add_row(l.line, "email", "payslip_unknown_person");
            continue;
        };
        if seen.contains(&row.user_id) {
            e.add_row(l.line, "email", "payslip_twice");
            continue;
        }
        seen.push(row.user_id);
        let shares = store::shares(&mut tx, actor.cooperative, row.user_id).await?;
        if shares.is_empty() {
            e.add_row(l.line, "email", "payslip_no_activity");
            continue;
        }
        let simulated = p.map_or(0, |p| {
            essaim_domain::payroll::payslip(
                p,
                &assumptions,
                Status::NonCadre,
                last,
                Decimal::new(l.gross, 2),
            )
            .employer_cost()
            .cents()
        });
        facts.push((
            row.user_id,
            simulated,
            PayslipFacts {
                month_end: last,
                reference: format!("PAIE-{m}"),
                person: person_aux(row.user_id, &row.name),
                gross: l.gross,
                employee_contributions: l.employee_contributions,
                employer_contributions: l.employer_contributions,
                employer_reductions: l.employer_reductions,
                net: l.net,
                activities: shares
                    .iter()
                    .map(|(code, bp)| (code.clone(), u32::try_from(*bp).unwrap_or(0)))
                    .collect(),
            },
        ));
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    for (user_id, simulated, f) in &facts {
        record_payslip(
            &mut tx,
            actor.cooperative,
            rec.payroll_month_id,
            (*user_id, *simulated),
            f,
            actor.user().id,
            now,
        )
        .await?;
    }
    if !store::mark_imported(
        &mut tx,
        actor.cooperative,
        rec.payroll_month_id,
        actor.user().id,
        now,
    )
    .await?
    {
        return Err(AppError::field("file", "payroll_month_imported"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "payroll.payslips_imported",
        ("payroll_month", m.to_string()),
        json!({ "payslips": facts.len(),
                "gross_cents": facts.iter().map(|(_, _, f)| f.gross).sum::<i64>(),
                "employer_cost_cents": facts.iter().map(|(_, _, f)| f.employer_cost()).sum::<i64>() }),
    )
    .await?;
    tx.commit().await?;
    Ok(facts.len())
}

/// The locked variables for the payroll bureau (CSV, XLSX): one line per person, amounts as
/// plain decimals; the columns are documented in `docs/payroll.md`.
pub async fn variables_table(
    app: &App,
    actor: &CoopActor,
    text: &str,
) -> Result<essaim_documents::table::Table, AppError> {
    let m = month(app, actor, text).await?;
    if m.status == MonthStatus::Open {
        return Err(AppError::field("month", "payroll_month_not_locked"));
    }
    let amount = |x: Money| x.decimal();
    Ok(essaim_documents::table::Table {
        sheet: format!("Paie {}", m.month),
        header: [
            "Mois",
            "Matricule",
            "Nom",
            "Courriel",
            "Salaire fixe brut",
            "Part variable brute",
            "Brut total",
            "Frais remboursés sur le bulletin",
            "Jours d'absence",
            "Note",
        ]
        .map(String::from)
        .to_vec(),
        rows: m
            .rows
            .iter()
            .map(|r| {
                vec![
                    m.month.to_string(),
                    person_aux(r.user_id, &r.name).code,
                    r.name.clone(),
                    r.email.clone(),
                    amount(r.variables.fixed_gross),
                    amount(r.variables.variable),
                    amount(r.variables.gross()),
                    amount(r.variables.expenses),
                    r.variables.absence_days.normalize().to_string(),
                    r.variables.note.clone(),
                ]
            })
            .collect(),
    })
}

/// Posts one payslip to the payroll journal and records it with the simulator's cost (the import,
/// and the demo's pay history).
pub(crate) async fn record_payslip(
    tx: &mut Tx,
    coop: essaim_domain::ids::CooperativeId,
    month_id: i64,
    (user_id, simulated): (i64, i64),
    f: &PayslipFacts,
    by: essaim_domain::ids::UserId,
    now: time::OffsetDateTime,
) -> Result<(), AppError> {
    let entry = books::post_in(
        tx,
        coop,
        JournalRole::Payroll,
        ("payroll_month", Some(month_id)),
        payslip_entry(f),
        Some(by),
        now,
    )
    .await?;
    store::insert_payslip(
        tx,
        month_id,
        &PayslipRecord {
            user_id,
            gross_cents: f.gross,
            employee_cents: f.employee_contributions,
            employer_cents: f.employer_contributions,
            reductions_cents: f.employer_reductions,
            net_cents: f.net,
            simulated_cost_cents: simulated,
            entry_id: entry,
        },
    )
    .await?;
    Ok(())
}
