//! The demo's pay history: each entrepreneur on a CESA gets a contract whose fixed gross costs about
//! half of what their activities bill a month (as a support team would set it, PAY-21) and, every
//! month from the CESA until the last month ended (or their exit), a
//! payslip computed by the simulator, locked, imported and posted as the bridge does. The
//! parameter tables start in 2026, so earlier months are computed with 2026's first rules.

use crate::{App, AppError};
use essaim_domain::contract::{CesaTerms, ContractVersion, ContributionBase};
use essaim_domain::ids::{CooperativeId, PersonId, UserId};
use essaim_domain::ledger::payroll::PayslipFacts;
use essaim_domain::ledger::spending::person_aux;
use essaim_domain::money::Money;
use essaim_domain::path::PathEvent;
use essaim_domain::payroll::{Assumptions, Status, params, payslip};
use essaim_domain::spending::report::ReportMonth;
use essaim_storage::payroll_bridge::{self as store, VariableRecord};
use rust_decimal::Decimal;
use time::{Date, Duration};

struct Salaried {
    user: i64,
    name: String,
    from: Date,
    until: Option<Date>,
    gross_cents: i64,
    shares: Vec<(String, u32)>,
}

pub(crate) async fn seed(app: &App, coop: CooperativeId, by: UserId) -> Result<(), AppError> {
    let today = app.clock.today();
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    // What each activity billed, excluding VAT, and since when.
    let mut billed: std::collections::HashMap<String, (i64, Date)> =
        std::collections::HashMap::new();
    for (code, on, part, cents) in essaim_storage::payroll::overview_lines(
        &mut tx,
        coop,
        time::macros::date!(1900 - 01 - 01),
        today,
    )
    .await?
    {
        if part == "7" {
            let e = billed.entry(code).or_insert((0, on));
            e.0 += cents;
            e.1 = e.1.min(on);
        }
    }
    let assumptions = Assumptions::default();
    let mut people = Vec::new();
    for (person, user, name) in store::people_with_accounts(&mut tx, coop).await? {
        let events = essaim_storage::person::events(&mut tx, PersonId::new(person)).await?;
        let Some(from) = events.iter().find_map(|e| match e.event {
            PathEvent::CesaSigned { start, .. } => Some(start),
            _ => None,
        }) else {
            continue;
        };
        let until = events.iter().find_map(|e| match e.event {
            PathEvent::Exited { on, .. } => Some(on),
            _ => None,
        });
        let shares: Vec<(String, u32)> = store::shares(&mut tx, coop, user)
            .await?
            .into_iter()
            .map(|(code, bp)| (code, u32::try_from(bp).unwrap_or(0)))
            .collect();
        if shares.is_empty() {
            continue;
        }
        // An employer cost of about half the monthly revenue excluding VAT of the person's share,
        // as a gross rounded down to 10 €, between 400 € and 4,000 €.
        let monthly: i64 = shares
            .iter()
            .map(|(code, bp)| {
                // Over the months the person is paid: from the CESA (or the first invoice, if
                // earlier) to today.
                let (total, first) = billed.get(code).copied().unwrap_or((0, today));
                let months = ((today - first.min(from)).whole_days() / 30).max(1);
                total / months * i64::from(*bp) / 10_000
            })
            .sum();
        let target = Decimal::new(monthly / 2, 2);
        let gross_cents = essaim_domain::payroll::simulate(
            &params::FRANCE,
            &assumptions,
            Status::NonCadre,
            today,
            essaim_domain::payroll::Given::EmployerCost(target),
        )
        .map_or(40_000, |p| p.gross_money().cents())
        .clamp(40_000, 400_000)
            / 1_000
            * 1_000;
        let terms = CesaTerms {
            objectives: "2 500 € HT de chiffre d'affaires par mois".into(),
            support: "Un entretien par trimestre, la comptabilité, la paie".into(),
            contribution_rate: Decimal::new(10, 0),
            contribution_base: ContributionBase::CollectedExclTax,
            fixed_monthly_gross: Money::eur(gross_cents),
            variable_method: "Solde annuel après contribution, charges et salaires".into(),
            statutes_reference: "Statuts de la coopérative".into(),
            guarantees: "La clientèle reste attachée à l'entrepreneur·e".into(),
            associate_procedure: "Candidature au conseil dans les trois ans".into(),
        };
        essaim_storage::contract::insert(
            &mut tx,
            coop,
            PersonId::new(person),
            &ContractVersion {
                number: 1,
                effective_on: from,
                summary: "Contrat signé".into(),
                terms,
            },
            by,
            now,
        )
        .await?;
        people.push(Salaried {
            user,
            name,
            from,
            until,
            gross_cents,
            shares,
        });
    }
    tx.commit().await?;
    let Some(first) = people.iter().map(|p| p.from).min() else {
        return Ok(());
    };
    let mut month = ReportMonth::of(first);
    let current = ReportMonth::of(today);
    // One transaction per month, as the payroll team would import it.
    while (month.year, u8::from(month.month)) < (current.year, u8::from(current.month)) {
        let (Some(start), Some(end)) = (month.first_day(), month.last_day()) else {
            break;
        };
        let paid: Vec<&Salaried> = people
            .iter()
            .filter(|p| p.from <= end && p.until.is_none_or(|u| u >= start))
            .collect();
        // The parameter tables start in 2026: earlier demo months are computed with its first rules.
        let rules = params::params_on(&params::FRANCE, end).or(params::FRANCE.first());
        if let (false, Some(p)) = (paid.is_empty(), rules) {
            let mut tx = app.store.begin().await?;
            let rec = store::open_month(&mut tx, coop, &month.to_string(), now).await?;
            for s in &paid {
                let slip = payslip(
                    p,
                    &assumptions,
                    Status::NonCadre,
                    end,
                    Decimal::new(s.gross_cents, 2),
                );
                let f = PayslipFacts {
                    month_end: end,
                    reference: format!("PAIE-{month}"),
                    person: person_aux(s.user, &s.name),
                    gross: s.gross_cents,
                    employee_contributions: slip.employee_contributions().cents(),
                    employer_contributions: slip.employer_contributions().cents()
                        + slip.employer_reductions_money().cents(),
                    employer_reductions: slip.employer_reductions_money().cents(),
                    net: s.gross_cents - slip.employee_contributions().cents(),
                    activities: s.shares.clone(),
                };
                store::save_variable(
                    &mut tx,
                    rec.payroll_month_id,
                    &VariableRecord {
                        user_id: s.user,
                        fixed_gross_cents: s.gross_cents,
                        variable_cents: 0,
                        expenses_cents: 0,
                        absence_days: "0".into(),
                        note: String::new(),
                    },
                    by,
                    now,
                )
                .await?;
                super::bridge::record_payslip(
                    &mut tx,
                    coop,
                    rec.payroll_month_id,
                    (s.user, slip.employer_cost().cents()),
                    &f,
                    by,
                    now,
                )
                .await?;
            }
            store::lock_month(&mut tx, coop, rec.payroll_month_id, by, now).await?;
            store::mark_imported(&mut tx, coop, rec.payroll_month_id, by, now).await?;
            tx.commit().await?;
        }
        let next = month.last_day().map(|d| d + Duration::days(1));
        match next {
            Some(n) => month = ReportMonth::of(n),
            None => break,
        }
    }
    Ok(())
}
