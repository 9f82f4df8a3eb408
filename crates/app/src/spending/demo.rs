//! Demo spending data (issue 5): for the entrepreneurs of the demo cooperative, monthly expense
//! reports over the years of the demo (expenses with a receipt, trips priced by the scale), the
//! older ones validated and refunded by monthly SEPA batches, the recent ones waiting at each
//! step; supplier invoices per activity, approved and paid when old enough. Everything goes
//! through the same postings as real use. Deterministic for a given seed.

use super::payments::{Debtor, batch_of};
use super::reports::{post_report_in, reference, refresh_totals};
use super::suppliers::pay_in;
use super::{account_of, categories_in};
use crate::demo::{Rng, make_siren};
use crate::documents::write_file;
use crate::secret::sha256_hex;
use crate::{App, AppError, books};
use essaim_domain::ids::{ActivityId, CooperativeId, UserId};
use essaim_domain::ledger::account::JournalRole;
use essaim_domain::ledger::spending::{
    SupplierInvoiceFacts, person_aux, refund_entry, supplier_aux, supplier_invoice_entry,
};
use essaim_domain::money::Money;
use essaim_domain::spending::mileage::{self, Vehicle, VehicleKind};
use essaim_domain::spending::report::{ReportMonth, vat_included};
use essaim_exchange::sepa::write_pain001;
use essaim_storage::Tx;
use essaim_storage::spending::{
    self as store, NewBatch, NewExpenseLine, NewSupplierInvoice, NewTrip, PayeeRecord, Receipt,
    SupplierRecord, TransferItemRecord,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use time::{Date, Duration, Month, OffsetDateTime};

/// The demo receipt: one small PDF that says what it is, shared by every demo line.
const RECEIPT_TEMPLATE: &str = "#set page(width: 10cm, height: 6cm)\n= Justificatif de démonstration\nCe fichier tient lieu de ticket de caisse dans la coopérative de démonstration d'Essaim.";

/// (description, category, smallest and largest amount in euros)
const EXPENSES: [(&str, &str, i64, i64); 10] = [
    ("Train pour un rendez-vous client", "travel", 25, 140),
    ("Nuit d'hôtel, salon professionnel", "lodging", 70, 130),
    ("Déjeuner avec un client", "meals", 15, 45),
    ("Parking et péage", "fuel_parking", 5, 35),
    ("Papeterie et fournitures", "supplies", 8, 60),
    ("Abonnement logiciel", "software", 10, 50),
    ("Forfait téléphone", "telecom", 15, 40),
    ("Impression de flyers", "advertising", 30, 180),
    ("Livre professionnel", "training", 15, 60),
    ("Taxi depuis la gare", "travel", 12, 40),
];

const PLACES: [&str; 8] = [
    "Lyon",
    "Villeurbanne",
    "Vienne",
    "Bourgoin-Jallieu",
    "Saint-Étienne",
    "Mâcon",
    "Annecy",
    "Grenoble",
];

/// (supplier, category, smallest and largest amount without VAT in euros)
const SUPPLIERS: [(&str, &str, i64, i64); 8] = [
    ("Imprimerie du Rhône", "advertising", 120, 900),
    ("Bureau Vallée Confluence", "supplies", 40, 350),
    ("Logiciels Libres Services", "software", 60, 400),
    ("Orange Business", "telecom", 30, 120),
    ("Salon Made in Lyon", "advertising", 300, 1500),
    ("Quincaillerie Moderne", "supplies", 25, 500),
    ("Centre de formation Avenir", "training", 200, 1200),
    ("Transports Rapides", "travel", 50, 300),
];

/// A French IBAN with valid check digits, from a random bank account number.
fn make_iban(rng: &mut Rng) -> String {
    let bban = format!(
        "{:05}{:05}{:011}{:02}",
        10_000 + rng.below(89_999),
        rng.below(99_999),
        rng.below(99_999_999_999),
        rng.below(97)
    );
    // ISO 13616: the BBAN, then the country (F = 15, R = 27) and 00, modulo 97.
    let digits = format!("{bban}152700");
    let rem = digits
        .bytes()
        .fold(0u64, |acc, b| (acc * 10 + u64::from(b - b'0')) % 97);
    format!("FR{:02}{bban}", 98 - rem)
}

fn euros(rng: &mut Rng, low: i64, high: i64) -> i64 {
    (low * 100)
        + i64::try_from(rng.below(u64::try_from((high - low) * 100).unwrap_or(1))).unwrap_or(0)
}

fn month_add(m: ReportMonth, n: i32) -> ReportMonth {
    let index = m.year * 12 + i32::from(u8::from(m.month)) - 1 + n;
    ReportMonth {
        year: index.div_euclid(12),
        month: Month::try_from(u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1))
            .unwrap_or(Month::January),
    }
}

fn day_in(m: ReportMonth, rng: &mut Rng, today: Date) -> Date {
    let last = m.last_day().unwrap_or(today).min(today);
    let first = m.first_day().unwrap_or(today);
    let span = (last - first).whole_days().max(0);
    first
        + Duration::days(
            i64::try_from(rng.below(u64::try_from(span + 1).unwrap_or(1))).unwrap_or(0),
        )
}

/// One entrepreneur's car, as the scale sees it.
fn car(rng: &mut Rng) -> Vehicle {
    Vehicle {
        kind: VehicleKind::Car,
        fiscal_power: 3 + u8::try_from(rng.below(5)).unwrap_or(0),
        electric: rng.below(6) == 0,
    }
}

pub(crate) async fn seed(
    app: &App,
    coop: CooperativeId,
    rng: &mut Rng,
    by: UserId,
    years: u32,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let today = now.date();
    let pdf = tokio::task::spawn_blocking(|| essaim_documents::pdf::render(RECEIPT_TEMPLATE, "{}"))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    let sha = sha256_hex(&pdf);
    write_file(app, &sha, &pdf).await?;
    let receipt = Receipt {
        sha256: &sha,
        content_type: "application/pdf",
        name: "justificatif-demo.pdf",
        size: i64::try_from(pdf.len()).unwrap_or(0),
    };
    let mut tx = app.store.begin().await?;
    let activities = essaim_storage::activity::list(&mut tx, coop, None, None).await?;
    let categories = categories_in(&mut tx, coop).await?;
    tx.commit().await?;
    let rate_of = |code: &str| {
        categories
            .iter()
            .find(|c| c.code == code)
            .map(super::rate_of)
            .unwrap_or(Decimal::ZERO)
    };
    let this_month = ReportMonth::of(today);
    let first_month = month_add(
        this_month,
        -(i32::try_from(years.max(1)).unwrap_or(1) * 12) + 1,
    );
    // Refunds to pay, by the month their batch is executed in.
    let mut to_refund: BTreeMap<ReportMonth, Vec<i64>> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for a in &activities {
        let Some((user, _, _)) = a.members.first() else {
            continue;
        };
        if !seen.insert(*user) {
            continue;
        }
        let mut tx = app.store.begin().await?;
        if rng.below(10) != 0 {
            store::save_payee(
                &mut tx,
                coop,
                &PayeeRecord {
                    user_id: user.get(),
                    holder: a.members[0].1.clone(),
                    iban: make_iban(rng),
                    bic: None,
                },
                now,
            )
            .await?;
        }
        let vehicle = car(rng);
        let mut month = first_month;
        while month <= this_month {
            if rng.below(100) < 35 {
                let r = seed_report(
                    &mut tx,
                    coop,
                    rng,
                    (*user, a.id),
                    month,
                    today,
                    &vehicle,
                    &receipt,
                    &rate_of,
                    now,
                )
                .await?;
                let age = (this_month.year - month.year) * 12
                    + i32::from(u8::from(this_month.month))
                    - i32::from(u8::from(month.month));
                let status = match age {
                    0 => "draft",
                    1 => match rng.below(4) {
                        0 => "returned",
                        1 => "validated",
                        _ => "submitted",
                    },
                    _ => "validated",
                };
                if status != "draft" {
                    store::set_report_status(
                        &mut tx,
                        coop,
                        r,
                        "draft",
                        "submitted",
                        None,
                        None,
                        now,
                    )
                    .await?;
                }
                if status == "returned" {
                    store::set_report_status(
                        &mut tx,
                        coop,
                        r,
                        "submitted",
                        "returned",
                        Some("Le justificatif du parking est illisible : pouvez-vous le reprendre en photo ?"),
                        Some(by),
                        now,
                    )
                    .await?;
                }
                if status == "validated" {
                    store::set_report_status(
                        &mut tx,
                        coop,
                        r,
                        "submitted",
                        "validated",
                        None,
                        Some(by),
                        now,
                    )
                    .await?;
                    let rec = store::report(&mut tx, coop, r)
                        .await?
                        .ok_or(AppError::NotFound("expense report"))?;
                    let entry = post_report_in(&mut tx, coop, &rec, Some(by), now).await?;
                    store::set_report_entry(&mut tx, r, entry).await?;
                    if age >= 2 {
                        to_refund.entry(month_add(month, 1)).or_default().push(r);
                    }
                }
            }
            month = month_add(month, 1);
        }
        seed_supplier_invoices(&mut tx, coop, rng, a.id, by, years, today, now).await?;
        tx.commit().await?;
    }
    pay_batches(app, coop, by, &to_refund, now).await
}

#[allow(clippy::too_many_arguments)]
async fn seed_report(
    tx: &mut Tx,
    coop: CooperativeId,
    rng: &mut Rng,
    (user, activity): (UserId, ActivityId),
    month: ReportMonth,
    today: Date,
    vehicle: &Vehicle,
    receipt: &Receipt<'_>,
    rate_of: &impl Fn(&str) -> Decimal,
    now: OffsetDateTime,
) -> Result<i64, AppError> {
    let r = store::report_of_month(tx, coop, user, &month.to_string(), now).await?;
    for _ in 0..1 + rng.below(4) {
        let (what, category, low, high) = *rng.pick(&EXPENSES);
        let amount = euros(rng, low, high);
        let line_vat = vat_included(Money::eur(amount), rate_of(category)).cents();
        let recoverable = rng.below(5) < 3;
        store::insert_expense_line(
            tx,
            r,
            &NewExpenseLine {
                activity,
                spent_on: day_in(month, rng, today),
                category,
                amount_cents: amount,
                vat_cents: line_vat,
                vat_recoverable: recoverable,
                description: what,
            },
            Some(receipt),
            now,
        )
        .await?;
    }
    for _ in 0..rng.below(3) {
        let from = *rng.pick(&PLACES);
        let to = *rng.pick(&PLACES);
        if from == to {
            continue;
        }
        let on = day_in(month, rng, today);
        let km_tenths = 100 + i64::try_from(rng.below(1_400)).unwrap_or(0);
        let key = (
            vehicle.kind.code(),
            i64::from(vehicle.fiscal_power),
            vehicle.electric,
        );
        let before = store::km_in_year(tx, coop, user, on.year(), key).await?;
        let Some(priced) = mileage::price_trip(
            &mileage::FRANCE,
            vehicle,
            on,
            Decimal::new(before, 1),
            Decimal::new(km_tenths, 1),
        ) else {
            continue;
        };
        store::insert_trip(
            tx,
            coop,
            r,
            &NewTrip {
                user,
                activity,
                driven_on: on,
                from,
                to,
                purpose: "Rendez-vous client",
                km_tenths,
                vehicle: key.0,
                fiscal_power: key.1,
                electric: key.2,
                amount_cents: priced.amount.cents(),
                scale_year: i64::from(priced.scale_year),
                provisional: priced.provisional,
            },
            now,
        )
        .await?;
    }
    refresh_totals(tx, r).await?;
    Ok(r)
}

#[allow(clippy::too_many_arguments)]
async fn seed_supplier_invoices(
    tx: &mut Tx,
    coop: CooperativeId,
    rng: &mut Rng,
    activity: ActivityId,
    by: UserId,
    years: u32,
    today: Date,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let span = i64::from(years.max(1)) * 365;
    for _ in 0..u64::from(years.max(1)) * (2 + rng.below(4)) {
        let (name, category, low, high) = *rng.pick(&SUPPLIERS);
        // The same supplier keeps its numbers: drawn from its name.
        let mut named = Rng::new(name.bytes().map(u64::from).sum::<u64>() * 7_919);
        let supplier = store::supplier_for(
            tx,
            coop,
            &SupplierRecord {
                supplier_id: 0,
                name: name.to_owned(),
                siren: Some(make_siren(&mut named).as_str().to_owned()),
                vat_number: None,
                iban: Some(make_iban(&mut named)),
                bic: None,
            },
            now,
        )
        .await?;
        let issued = today
            - Duration::days(
                i64::try_from(rng.below(u64::try_from(span).unwrap_or(1))).unwrap_or(0),
            );
        let net = euros(rng, low, high);
        let vat = net / 5;
        let number = format!("F{}-{:05}", issued.year(), rng.below(99_999));
        let Some(id) = store::insert_supplier_invoice(
            tx,
            coop,
            &NewSupplierInvoice {
                supplier,
                activity,
                category,
                number: &number,
                issue_date: issued,
                due_date: Some(issued + Duration::days(30)),
                net_cents: net,
                vat_cents: vat,
                total_cents: net + vat,
                description: None,
                source: "typed",
                file: None,
                by,
            },
            now,
        )
        .await?
        else {
            continue;
        };
        let age = (today - issued).whole_days();
        if age < 15 {
            continue;
        }
        let i = store::supplier_invoice(tx, coop, id)
            .await?
            .ok_or(AppError::NotFound("supplier invoice"))?;
        let account = account_of(&categories_in(tx, coop).await?, &i.category)?;
        let entry = books::post_in(
            tx,
            coop,
            JournalRole::Purchases,
            ("supplier_invoice", Some(id)),
            supplier_invoice_entry(&SupplierInvoiceFacts {
                approved_on: issued + Duration::days(3),
                issue_date: issued,
                number: i.number.clone(),
                supplier: supplier_aux(i.supplier_id, &i.supplier_name),
                account,
                analytic: i.analytic_code.clone(),
                net_cents: net,
                vat_cents: vat,
            }),
            Some(by),
            now,
        )
        .await?;
        store::approve_supplier_invoice(tx, coop, id, by, entry, now).await?;
        if age >= 45 {
            pay_in(
                tx,
                coop,
                &i,
                issued + Duration::days(28),
                net + vat,
                None,
                by,
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// One confirmed SEPA batch per month for the reports validated before it.
async fn pay_batches(
    app: &App,
    coop: CooperativeId,
    by: UserId,
    to_refund: &BTreeMap<ReportMonth, Vec<i64>>,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    let c = essaim_storage::cooperative::find(&mut tx, coop)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    // The demo cooperative's own account, so its transfers can be prepared from the pages.
    let mut settings = crate::selling::settings_for(&mut tx, coop).await?;
    let debtor_iban = match &settings.iban {
        Some(iban) => iban.clone(),
        None => {
            let iban = make_iban(&mut Rng::new(coop.get().unsigned_abs()));
            settings.iban = Some(iban.clone());
            settings.bic = Some("CCOPFRPP".to_owned());
            essaim_storage::sale::save_settings(&mut tx, coop, &settings).await?;
            iban
        }
    };
    let debtor = Debtor {
        name: c.identity.legal_name.clone(),
        iban: debtor_iban,
        bic: settings.bic.clone(),
    };
    let payable = store::payable_reports(&mut tx, coop).await?;
    for (n, (month, ids)) in to_refund.iter().enumerate() {
        let items: Vec<TransferItemRecord> = ids
            .iter()
            .filter_map(|id| payable.iter().find(|p| p.report_id == *id))
            .filter_map(|p| {
                Some(TransferItemRecord {
                    seq: 0,
                    report_id: Some(p.report_id),
                    supplier_invoice_id: None,
                    payee_name: p.holder.clone()?,
                    iban: p.iban.clone()?,
                    bic: p.bic.clone(),
                    amount_cents: p.refund_cents,
                    end_to_end_id: super::reports::reference_of(&p.month, p.report_id),
                })
            })
            .filter(|t| t.amount_cents > 0)
            .enumerate()
            .map(|(i, mut t)| {
                t.seq = i64::try_from(i + 1).unwrap_or(0);
                t
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        let execution = month
            .first_day()
            .map(|d| d + Duration::days(9))
            .unwrap_or(now.date());
        let message_id = format!("ESSAIM-DEMO-{month}-{n:03}");
        let created_at = format!("{}T09:00:00", execution - Duration::days(1));
        let xml = write_pain001(&batch_of(
            &message_id,
            &created_at,
            execution,
            &debtor,
            &items,
        ))
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let total = items.iter().map(|t| t.amount_cents).sum();
        let Some(batch) = store::insert_batch(
            &mut tx,
            coop,
            &NewBatch {
                message_id: &message_id,
                execution_date: execution,
                total_cents: total,
                xml: &xml,
                items: &items,
                by,
            },
            now,
        )
        .await?
        else {
            continue;
        };
        store::close_batch(&mut tx, coop, batch, "confirmed", by, now).await?;
        for t in &items {
            let Some(report) = t.report_id else { continue };
            store::set_refunded(&mut tx, coop, report, execution).await?;
            let r = store::report(&mut tx, coop, report)
                .await?
                .ok_or(AppError::NotFound("expense report"))?;
            books::post_in(
                &mut tx,
                coop,
                JournalRole::Bank,
                ("expense_refund", Some(report)),
                refund_entry(
                    execution,
                    &reference(&r),
                    &person_aux(r.user_id, &r.person_name),
                    t.amount_cents,
                ),
                Some(by),
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_ibans_pass_the_checksum() {
        let mut rng = Rng::new(7);
        for _ in 0..200 {
            let iban = make_iban(&mut rng);
            assert!(
                essaim_domain::identifiers::Iban::parse(&iban).is_ok(),
                "{iban}"
            );
        }
    }
}
