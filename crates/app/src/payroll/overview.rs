//! The support team's overview (issue 6, point 7): every activity's balance today, its forecast
//! at the year end and the PAY-24 alert, in one table. The same rules as one account, fed by a
//! handful of grouped queries rather than one set per activity.

use super::account::{pay_months_left, scheduled_cost};
use super::policies::{self, Scoped};
use crate::{App, AppError, CoopActor};
use essaim_domain::access::Permission;
use essaim_domain::ids::ActivityId;
use essaim_domain::payroll::account::{self as rules, AccountInput, Kind, Movement, Outlook};
use essaim_domain::payroll::contribution::{self, Base};
use essaim_storage::payroll as store;
use std::collections::HashMap;

/// One activity of the overview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverviewRow {
    pub activity: ActivityId,
    pub name: String,
    pub analytic_code: String,
    pub revenue_to_date: i64,
    pub salary_cost_to_date: i64,
    /// Available today (PAY-01).
    pub realised: i64,
    /// Forecast at the year end (PAY-02).
    pub forecast: i64,
    /// PAY-24: the forecast is negative.
    pub alert: bool,
}

/// Every activity the person may read (the support team: all), alerts first, then by name.
pub async fn overview(app: &App, actor: &CoopActor) -> Result<Vec<OverviewRow>, AppError> {
    if !actor.access.has_any(Permission::ActivityRead) {
        return Err(AppError::Forbidden);
    }
    let reach = actor.access.reach(Permission::ActivityRead);
    let today = app.clock.today();
    let mut tx = app.store.read().await?;
    let coop = essaim_storage::cooperative::find(&mut tx, actor.cooperative)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    let activities = store::overview_activities(&mut tx, actor.cooperative).await?;
    let policy_rows = store::policies(&mut tx, actor.cooperative, None).await?;
    let lines = store::overview_lines(&mut tx, actor.cooperative, today).await?;
    let collected = store::overview_collected(&mut tx, actor.cooperative, today).await?;
    let committed: HashMap<i64, i64> = store::overview_committed(&mut tx, actor.cooperative)
        .await?
        .into_iter()
        .collect();
    let mut fixed: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for (a, gross, share) in store::overview_fixed_pay(&mut tx, actor.cooperative, today).await? {
        fixed.entry(a).or_default().push((gross, share));
    }
    let assumptions = super::assumptions_in(&mut tx, actor.cooperative).await?;
    let planner = super::planner_in(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    let mut by_code: HashMap<&str, Vec<(time::Date, Kind, i64)>> = HashMap::new();
    for (code, on, part, cents) in &lines {
        let kind = rules::kind_of_part(part).unwrap_or(Kind::Charge);
        by_code
            .entry(code.as_str())
            .or_default()
            .push((*on, kind, *cents));
    }
    let mut paid: HashMap<i64, Vec<(time::Date, i64)>> = HashMap::new();
    for (a, on, ht) in collected {
        paid.entry(a).or_default().push((on, ht));
    }
    let mut out = Vec::new();
    for (id, name, code, start) in activities {
        let activity = ActivityId::new(id);
        if reach.as_ref().is_some_and(|r| !r.contains(&activity)) {
            continue;
        }
        let Scoped { own, cooperative } = policies::scoped(&policy_rows, activity)?;
        let base =
            contribution::effective(&own, &cooperative, today).map_or(Base::InvoicedHt, |p| p.base);
        let collected_basis = rules::collected_basis(base);
        let mut invoiced = 0;
        let mut moves: Vec<Movement> = Vec::new();
        for (on, kind, cents) in by_code.get(code.as_str()).into_iter().flatten() {
            if *kind == Kind::Revenue {
                invoiced += cents;
                if collected_basis {
                    continue;
                }
            }
            moves.push(Movement {
                on: *on,
                kind: *kind,
                cents: *cents,
            });
        }
        let mut collected_total = 0;
        if collected_basis {
            for (on, ht) in paid.get(&id).into_iter().flatten() {
                collected_total += ht;
                moves.push(Movement {
                    on: *on,
                    kind: Kind::Revenue,
                    cents: *ht,
                });
            }
            moves.sort_by_key(|m| m.on);
        }
        let input = AccountInput {
            moves: &moves,
            own: &own,
            cooperative: &cooperative,
            activity_start: start,
            fiscal: coop.identity.fiscal_year_start,
            today,
        };
        let s = rules::statement(&input, today);
        let months = pay_months_left(&s, today);
        let f = rules::forecast(
            &input,
            &s,
            Outlook {
                receivables_ht: if collected_basis {
                    (invoiced - collected_total).max(0)
                } else {
                    0
                },
                committed: committed.get(&id).copied().unwrap_or(0),
                scheduled_payroll: scheduled_cost(
                    fixed.get(&id).map_or(&[][..], Vec::as_slice),
                    &assumptions,
                    today,
                ) * i64::from(months),
            },
        );
        out.push(OverviewRow {
            activity,
            name,
            analytic_code: code,
            revenue_to_date: s.realised.to_date.revenue,
            salary_cost_to_date: s.realised.to_date.salary_cost,
            realised: s.realised.available.cents(),
            forecast: f.available().cents(),
            alert: planner.alerts(f.available().cents()),
        });
    }
    out.sort_by(|a, b| b.alert.cmp(&a.alert).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// The overview as a table (CSV, XLSX).
pub fn table(rows: &[OverviewRow]) -> essaim_documents::table::Table {
    let amount = |c: i64| essaim_domain::money::Money::eur(c).decimal();
    essaim_documents::table::Table {
        sheet: "Comptes d'activité".into(),
        header: [
            "Activité",
            "Code analytique",
            "Chiffre d'affaires HT de l'exercice",
            "Coût des salaires de l'exercice",
            "Disponible aujourd'hui",
            "Disponible prévu en fin d'exercice",
            "Alerte",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    r.analytic_code.clone(),
                    amount(r.revenue_to_date),
                    amount(-r.salary_cost_to_date),
                    amount(r.realised),
                    amount(r.forecast),
                    if r.alert { "oui" } else { "non" }.to_string(),
                ]
            })
            .collect(),
    }
}
