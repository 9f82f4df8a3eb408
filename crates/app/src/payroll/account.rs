//! The activity account (PAY-01, PAY-02): read from the books (one source of truth, ACC-01), the
//! contribution levied on it with the policy of each date, and the forecast to the year end.

use super::policies::{self, Scoped};
use crate::{App, AppError, CoopActor, activities};
use essaim_domain::ids::ActivityId;
use essaim_domain::payroll::account::{
    self as rules, AccountInput, Forecast, Kind, Movement, Origin, Outlook, Statement, Waterfall,
};
use essaim_domain::payroll::contribution::{self, Base, Levied, Policy};
use essaim_domain::payroll::planner::{
    PlannerPolicy, months_left, sustainable_gross, year_end_variable,
};
use essaim_domain::payroll::{Payslip, Status, params::FRANCE};
use essaim_storage::activity::ActivityRecord;
use essaim_storage::payroll as store;
use rust_decimal::Decimal;
use time::Date;

/// What a line of the account comes from, so a page can open it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A sale document (its entry: an invoice or a credit note).
    SaleDoc {
        id: i64,
        number: Option<String>,
    },
    /// A payment received for a sale document (collected basis).
    Payment {
        doc: i64,
        number: Option<String>,
    },
    ExpenseReport(i64),
    SupplierInvoice(i64),
    /// Any other entry of the books (payroll, manual entries).
    Entry {
        id: i64,
        number: Option<String>,
    },
    /// A contribution levied by the policy of that version.
    Contribution(Levied),
}

/// One line of the account, as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountLine {
    pub on: Date,
    pub kind: Kind,
    /// The books' label of the line (empty for payments and contributions).
    pub label: String,
    pub cents: i64,
    pub source: Source,
}

/// An activity's account for one fiscal year, with its forecast when it is the current one.
#[derive(Clone, Debug)]
pub struct ActivityAccount {
    pub activity: ActivityRecord,
    pub statement: Statement,
    pub lines: Vec<AccountLine>,
    pub waterfall: Waterfall,
    /// `None` for a past year.
    pub forecast: Option<Forecast>,
    /// The pay months left in the year and the salary the forecast sustains over them (PAY-21,
    /// with the cooperative's reserve), when there is a forecast.
    pub months_left: u32,
    pub suggested: Option<Payslip>,
    /// PAY-22: the gross variable part the forecast would pay at the year end, reserve kept (an
    /// activity run by one salaried person only).
    pub variable_part: Option<i64>,
    /// The what-if scenario the forecast counts: cents more billed, excluding VAT (0: none).
    pub extra_billed: i64,
    /// The cooperative's reserve and tolerance the suggestion and the alert follow.
    pub planner: PlannerPolicy,
    /// PAY-24: the forecast is below the cooperative's tolerance.
    pub alert: bool,
    pub collected_basis: bool,
    /// The policy in force on the last day counted, and whether it is the activity's own.
    pub policy: Option<(Policy, bool)>,
    /// The first day of each fiscal year the account has, oldest first.
    pub years: Vec<Date>,
}

fn source_of(row: &store::AccountLineRow) -> Source {
    let id = row.source_id.unwrap_or(0);
    match row.source_kind.as_str() {
        "sale_doc" if row.source_id.is_some() => Source::SaleDoc {
            id,
            number: Some(row.piece_ref.clone()),
        },
        "expense_report" if row.source_id.is_some() => Source::ExpenseReport(id),
        "supplier_invoice" if row.source_id.is_some() => Source::SupplierInvoice(id),
        _ => Source::Entry {
            id: row.entry_id,
            number: row.number.clone(),
        },
    }
}

/// The pay months left in the year, this month not counted when its salary is in the books.
pub(crate) fn pay_months_left(statement: &Statement, today: Date) -> u32 {
    let months = months_left(today, statement.year_end);
    let paid_this_month = statement
        .realised
        .months
        .last()
        .is_some_and(|m| m.figures.salary_cost != 0);
    if paid_this_month {
        months.saturating_sub(1)
    } else {
        months
    }
}

/// The monthly employer cost of the fixed salaries (gross, share in basis points) of the people
/// running an activity, at the simulator's figures of `today`.
pub(crate) fn scheduled_cost(
    fixed: &[(i64, i64)],
    assumptions: &essaim_domain::payroll::Assumptions,
    today: Date,
) -> i64 {
    let Some(p) = essaim_domain::payroll::params::params_on(&FRANCE, today) else {
        return 0;
    };
    fixed
        .iter()
        .map(|(gross, share)| {
            let slip = essaim_domain::payroll::payslip(
                p,
                assumptions,
                Status::NonCadre,
                today,
                Decimal::new(*gross, 2),
            );
            slip.employer_cost().cents() * share / 10_000
        })
        .sum()
}

/// PAY-01, PAY-02: the account of the fiscal year containing `at` (today when `None`). An
/// entrepreneur sees only their own activities' (ActivityRead on the activity).
pub async fn activity_account(
    app: &App,
    actor: &CoopActor,
    id: ActivityId,
    at: Option<Date>,
) -> Result<ActivityAccount, AppError> {
    activity_account_if(app, actor, id, at, 0).await
}

/// The account as [`activity_account`] gives it, its forecast counting `extra_billed` cents more
/// billed (excluding VAT) before the year end, less the contribution they would carry: a what-if
/// scenario (PAY-21), never saved.
pub async fn activity_account_if(
    app: &App,
    actor: &CoopActor,
    id: ActivityId,
    at: Option<Date>,
    extra_billed: i64,
) -> Result<ActivityAccount, AppError> {
    let activity = activities::show(app, actor, id).await?;
    let today = app.clock.today();
    let mut tx = app.store.read().await?;
    let coop = essaim_storage::cooperative::find(&mut tx, actor.cooperative)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    let Scoped { own, cooperative } = policies::scoped(
        &store::policies(&mut tx, actor.cooperative, Some(id)).await?,
        id,
    )?;
    let base =
        contribution::effective(&own, &cooperative, today).map_or(Base::InvoicedHt, |p| p.base);
    let collected_basis = rules::collected_basis(base);
    let rows = store::account_lines(
        &mut tx,
        actor.cooperative,
        &activity.details.analytic_code,
        today,
    )
    .await?;
    let collected = if collected_basis {
        store::collected(&mut tx, actor.cooperative, id, today).await?
    } else {
        Vec::new()
    };
    // The fiscal years the books closed are read from what each left when closed: a policy
    // changed since does not rewrite them (the overview reads them the same way).
    let settled = store::year_nets_of(&mut tx, actor.cooperative, id).await?;
    let committed = store::committed(&mut tx, actor.cooperative, id).await?;
    let fixed = store::fixed_pay(&mut tx, actor.cooperative, id, today).await?;
    let assumptions = super::assumptions_in(&mut tx, actor.cooperative).await?;
    let planner = super::planner_in(&mut tx, actor.cooperative).await?;
    tx.commit().await?;

    // The movements in date order, each with what it comes from.
    let mut invoiced_revenue = 0_i64;
    let mut all: Vec<(Movement, String, Source)> = Vec::with_capacity(rows.len() + collected.len());
    for row in &rows {
        let Some(kind) = rules::kind_of(&row.account) else {
            continue;
        };
        if kind == Kind::Revenue {
            invoiced_revenue += row.cents;
            if collected_basis {
                continue;
            }
        }
        all.push((
            Movement {
                on: row.entry_date,
                kind,
                cents: row.cents,
            },
            row.label.clone(),
            source_of(row),
        ));
    }
    let mut collected_total = 0_i64;
    for c in &collected {
        collected_total += c.ht_cents;
        all.push((
            Movement {
                on: c.paid_on,
                kind: Kind::Revenue,
                cents: c.ht_cents,
            },
            String::new(),
            Source::Payment {
                doc: c.sale_doc_id,
                number: c.number.clone(),
            },
        ));
    }
    all.sort_by_key(|(m, _, _)| m.on);
    let moves: Vec<Movement> = all.iter().map(|(m, _, _)| m.clone()).collect();
    let input = AccountInput {
        moves: &moves,
        own: &own,
        cooperative: &cooperative,
        activity_start: activity.details.start_on,
        fiscal: coop.identity.fiscal_year_start,
        today,
        settled: &settled,
    };
    let statement = rules::statement(&input, at.unwrap_or(today));
    let lines: Vec<AccountLine> = statement
        .lines
        .iter()
        .map(|(m, origin)| match origin {
            Origin::Books(n) => {
                let (_, label, source) = &all[*n];
                AccountLine {
                    on: m.on,
                    kind: m.kind,
                    label: label.clone(),
                    cents: m.cents,
                    source: source.clone(),
                }
            }
            Origin::Levy(l) => AccountLine {
                on: m.on,
                kind: m.kind,
                label: String::new(),
                cents: m.cents,
                source: Source::Contribution(*l),
            },
        })
        .collect();
    let waterfall = Waterfall::of(&statement.realised);
    let current = statement.to == today;
    let mut months = 0;
    let mut suggested = None;
    let mut variable_part = None;
    let forecast = current.then(|| {
        months = pay_months_left(&statement, today);
        let outlook = Outlook {
            receivables_ht: if collected_basis {
                (invoiced_revenue - collected_total).max(0)
            } else {
                0
            } + extra_billed.max(0),
            committed,
            scheduled_payroll: scheduled_cost(&fixed, &assumptions, today) * i64::from(months),
        };
        let f = rules::forecast(&input, &statement, outlook);
        // PAY-21: what the forecast sustains, the salaries already scheduled counted back in.
        suggested = sustainable_gross(
            &FRANCE,
            &assumptions,
            Status::NonCadre,
            today,
            f.available().cents() + f.scheduled_payroll,
            months,
            planner.reserve,
        );
        // PAY-22: the year-end variable part what remains buys, for an activity run by one
        // person (their fixed salary paid all year, the reserve kept).
        if let [(gross, 10_000)] = fixed.as_slice() {
            let budget = Decimal::new(f.available().cents(), 2) * (Decimal::ONE - planner.reserve);
            variable_part = year_end_variable(
                &FRANCE,
                &assumptions,
                Status::NonCadre,
                statement.year_end,
                gross * 12,
                rust_decimal::prelude::ToPrimitive::to_i64(
                    &(budget * Decimal::ONE_HUNDRED).trunc(),
                )
                .unwrap_or(0),
            )
            .filter(|v| *v > 0);
        }
        f
    });
    let first = moves.first().map_or(statement.year_start, |m| m.on);
    let mut years = Vec::new();
    let mut y = coop.identity.fiscal_year_start.year_start_for(first);
    while y
        <= statement
            .year_start
            .max(coop.identity.fiscal_year_start.year_start_for(today))
    {
        years.push(y);
        y = Date::from_calendar_date(y.year() + 1, y.month(), y.day()).unwrap_or(today);
        if years.len() > 50 {
            break;
        }
    }
    let policy = contribution::effective(&own, &cooperative, statement.to)
        .map(|p| (p.clone(), own.iter().any(|o| o == p)));
    Ok(ActivityAccount {
        activity,
        statement,
        lines,
        waterfall,
        forecast,
        months_left: months,
        suggested,
        variable_part,
        extra_billed: extra_billed.max(0),
        planner,
        alert: forecast.is_some_and(|f| planner.alerts(f.available().cents())),
        collected_basis,
        policy,
        years,
    })
}

/// What an entrepreneur's home says of their pay (issue 6, point 6): each of their activities'
/// balance, forecast and the salary it sustains, and their last payslip.
#[derive(Clone, Debug)]
pub struct PayHome {
    pub activities: Vec<ActivityAccount>,
    /// Month (`2026-11`), gross and net of the last payslip imported.
    pub last_payslip: Option<(String, i64, i64)>,
}

/// `None` for those who follow every activity (the support team has the overview instead).
pub async fn home(app: &App, actor: &CoopActor) -> Result<Option<PayHome>, AppError> {
    let Some(own) = actor
        .access
        .reach(essaim_domain::access::Permission::ActivityRead)
    else {
        return Ok(None);
    };
    if own.is_empty() {
        return Ok(None);
    }
    let mut activities = Vec::with_capacity(own.len());
    for id in own {
        activities.push(activity_account(app, actor, id, None).await?);
    }
    let mut tx = app.store.read().await?;
    let last_payslip =
        essaim_storage::payroll_bridge::last_payslip(&mut tx, actor.cooperative, actor.user().id)
            .await?;
    tx.commit().await?;
    Ok(Some(PayHome {
        activities,
        last_payslip,
    }))
}
