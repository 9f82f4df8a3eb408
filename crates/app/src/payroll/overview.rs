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

/// The books' movements of every activity over a period, loaded once for the cooperative, as
/// sums between the cuts that keep the account exact (`account::cuts`): a few per activity
/// rather than one per day.
struct Moves {
    /// Per analytic code: day, kind, amount.
    by_code: HashMap<String, Vec<(time::Date, Kind, i64)>>,
    /// Per analytic code: day of payment, part excluding VAT.
    paid: HashMap<String, Vec<(time::Date, i64)>>,
    /// Per analytic code: what was invoiced and collected from its first day to the period's
    /// end (excluding VAT).
    totals: HashMap<String, (i64, i64)>,
}

impl Moves {
    async fn load(
        tx: &mut essaim_storage::Tx,
        coop: essaim_domain::ids::CooperativeId,
        (from, to): (time::Date, time::Date),
        fiscal: essaim_domain::cooperative::FiscalYearStart,
        activities: &[(i64, String, String, time::Date)],
        policy_rows: &[essaim_storage::payroll::PolicyRecord],
    ) -> Result<Moves, AppError> {
        // The cuts every activity shares (fiscal years, the cooperative's policy versions), and
        // each activity's own (its overrides, the end of its exemption).
        let Scoped { cooperative, .. } = policies::scoped(policy_rows, ActivityId::new(0))?;
        let shared = rules::cuts(&[], &cooperative, None, fiscal, from, to);
        // Activities with cuts of their own are read day by day (as exact, and few).
        let mut by_day = Vec::new();
        for (id, _, code, start) in activities {
            let Scoped {
                own: o,
                cooperative,
            } = policies::scoped(policy_rows, ActivityId::new(*id))?;
            let own = rules::cuts(&o, &cooperative, Some(*start), fiscal, from, to);
            if !own.is_subset(&shared) {
                by_day.push(code.clone());
            }
        }
        let shared: Vec<time::Date> = shared.into_iter().collect();
        let mut by_code: HashMap<String, Vec<(time::Date, Kind, i64)>> = HashMap::new();
        let mut paid: HashMap<String, Vec<(time::Date, i64)>> = HashMap::new();
        for (code, part, on, cents) in
            store::overview_sums(tx, coop, from, to, &shared, &by_day).await?
        {
            if part == rules::COLLECTED_PART {
                paid.entry(code).or_default().push((on, cents));
            } else if let Some(kind) = rules::kind_of_part(&part) {
                by_code.entry(code).or_default().push((on, kind, cents));
            }
        }
        for v in by_code.values_mut() {
            v.sort_by_key(|(on, kind, _)| (*on, *kind));
        }
        for v in paid.values_mut() {
            v.sort_by_key(|(on, _)| *on);
        }
        let mut totals: HashMap<String, (i64, i64)> = HashMap::new();
        for (code, part, cents) in store::overview_totals(tx, coop, to).await? {
            let e = totals.entry(code).or_default();
            if part == rules::COLLECTED_PART {
                e.1 += cents;
            } else {
                e.0 += cents;
            }
        }
        Ok(Moves {
            by_code,
            paid,
            totals,
        })
    }

    /// The activity's movements on its basis (collected revenue replacing invoiced revenue
    /// when the contribution is levied on receipts), with what was invoiced and collected since
    /// its first day.
    fn of(&self, code: &str, collected_basis: bool) -> (Vec<Movement>, i64, i64) {
        let (invoiced, collected) = self.totals.get(code).copied().unwrap_or_default();
        let mut moves: Vec<Movement> = Vec::new();
        for (on, kind, cents) in self.by_code.get(code).into_iter().flatten() {
            if *kind == Kind::Revenue && collected_basis {
                continue;
            }
            moves.push(Movement {
                on: *on,
                kind: *kind,
                cents: *cents,
            });
        }
        if collected_basis {
            for (on, ht) in self.paid.get(code).into_iter().flatten() {
                moves.push(Movement {
                    on: *on,
                    kind: Kind::Revenue,
                    cents: *ht,
                });
            }
            moves.sort_by_key(|m| m.on);
        }
        (moves, invoiced, collected)
    }
}

/// Records what every activity carried out of the fiscal year `[start, end]`, which the books
/// have just closed (its movements no longer change): the overview then reads later years only.
pub(crate) async fn settle_year_in(
    tx: &mut essaim_storage::Tx,
    coop: essaim_domain::ids::CooperativeId,
    start: time::Date,
    end: time::Date,
    now: time::OffsetDateTime,
) -> Result<(), AppError> {
    let fiscal = essaim_storage::cooperative::find(tx, coop)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?
        .identity
        .fiscal_year_start;
    let activities = store::overview_activities(tx, coop).await?;
    let policy_rows = store::policies(tx, coop, None).await?;
    let moves = Moves::load(tx, coop, (start, end), fiscal, &activities, &policy_rows).await?;
    let mut nets = Vec::with_capacity(activities.len());
    for (id, _, code, activity_start) in &activities {
        let (id, activity_start) = (*id, *activity_start);
        let Scoped { own, cooperative } = policies::scoped(&policy_rows, ActivityId::new(id))?;
        let base =
            contribution::effective(&own, &cooperative, end).map_or(Base::InvoicedHt, |p| p.base);
        let (list, _, _) = moves.of(code, rules::collected_basis(base));
        let input = AccountInput {
            moves: &list,
            own: &own,
            cooperative: &cooperative,
            activity_start,
            fiscal,
            today: now.date(),
            settled: &[],
        };
        nets.push((id, rules::year_net(&input, start)));
    }
    store::save_year_nets(tx, coop, start, &nets, now).await?;
    Ok(())
}

/// Every activity the person may read (the support team: all), alerts first, then by name.
/// Closed fiscal years are read from what each activity carried out of them; a year closed
/// before those figures were kept is computed once from its movements and kept.
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
    let fiscal = coop.identity.fiscal_year_start;
    let activities = store::overview_activities(&mut tx, actor.cooperative).await?;
    let policy_rows = store::policies(&mut tx, actor.cooperative, None).await?;
    let mut nets: HashMap<i64, Vec<(time::Date, i64)>> = HashMap::new();
    let mut settled: std::collections::BTreeSet<time::Date> = std::collections::BTreeSet::new();
    for (a, year, net) in store::year_nets(&mut tx, actor.cooperative).await? {
        settled.insert(year);
        nets.entry(a).or_default().push((year, net));
    }
    // The movements are read from the first fiscal year not settled.
    let current = fiscal.year_start_for(today);
    let mut from = essaim_storage::books::first_entry_date(&mut tx, actor.cooperative)
        .await?
        .map_or(current, |d| fiscal.year_start_for(d));
    while from < current && settled.contains(&from) {
        from = rules::year_end_of(fiscal, from) + time::Duration::days(1);
    }
    let unsettled: Vec<time::Date> =
        essaim_storage::books::closed_years(&mut tx, actor.cooperative)
            .await?
            .into_iter()
            .map(|y| y.year_start)
            .filter(|y| *y >= from && !settled.contains(y))
            .collect();
    let moves = Moves::load(
        &mut tx,
        actor.cooperative,
        (from, today),
        fiscal,
        &activities,
        &policy_rows,
    )
    .await?;
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
    let mut out = Vec::new();
    let mut backfill: HashMap<time::Date, Vec<(i64, i64)>> = HashMap::new();
    for (id, name, code, start) in activities {
        let activity = ActivityId::new(id);
        if reach.as_ref().is_some_and(|r| !r.contains(&activity)) {
            continue;
        }
        let Scoped { own, cooperative } = policies::scoped(&policy_rows, activity)?;
        let base =
            contribution::effective(&own, &cooperative, today).map_or(Base::InvoicedHt, |p| p.base);
        let collected_basis = rules::collected_basis(base);
        let (list, invoiced, collected_total) = moves.of(&code, collected_basis);
        let input = AccountInput {
            moves: &list,
            own: &own,
            cooperative: &cooperative,
            activity_start: start,
            fiscal,
            today,
            settled: nets.get(&id).map_or(&[][..], Vec::as_slice),
        };
        for year in &unsettled {
            backfill
                .entry(*year)
                .or_default()
                .push((id, rules::year_net(&input, *year)));
        }
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
    // Closed years without their figures (closed before they were kept), computed above for
    // every activity when the whole cooperative was read: kept for the next time.
    if reach.is_none() && !backfill.is_empty() {
        let mut tx = app.store.begin().await?;
        for (year, rows) in &backfill {
            store::save_year_nets(&mut tx, actor.cooperative, *year, rows, app.clock.now()).await?;
        }
        tx.commit().await?;
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
