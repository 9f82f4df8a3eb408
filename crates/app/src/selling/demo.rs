//! Demo selling data (issue 4): customers, catalogue items, quotes and invoices over the years of
//! the demo, numbered in date order through the same validation step as real invoices, most of
//! them paid, some late, a few credited; some accepted quotes get a deposit invoice and then the
//! final invoice that deducts it (INV-31). Deterministic for a given seed.

use super::docs::{self, issue_in, pay_in, records_of, totals_of};
use super::render::{discount_code, parse_discount_code};
use crate::demo::{Rng, make_siren, make_siret};
use crate::{App, AppError};
use essaim_domain::identifiers::VatNumber;
use essaim_domain::ids::{CooperativeId, SaleDocId, UserId};
use essaim_domain::selling::compute::{
    Computed, Discount, ItemLine, PriceBasis, Row, compute, in_ht,
};
use essaim_domain::selling::customer::{CustomerDetails, CustomerInput};
use essaim_domain::selling::payment::PaymentMode;
use essaim_domain::selling::review::Review;
use essaim_domain::selling::{DepositSpec, deduction_rows, deposit_rows};
use essaim_storage::Tx;
use essaim_storage::sale::{self as store, CatalogItemRecord, DocHead};
use rust_decimal::Decimal;
use time::{Date, Duration, OffsetDateTime, Time};

const COMPANIES: [&str; 12] = [
    "Boulangerie du Marché",
    "Mairie de Saint-Julien",
    "Association Les Tisserands",
    "Cabinet Morel et associés",
    "Librairie La Page",
    "Hôtel des Voyageurs",
    "Ferme du Vallon",
    "Studio Lumière",
    "Garage Martin",
    "Théâtre de la Colline",
    "École Montessori du Parc",
    "Brasserie Le Comptoir",
];
const PEOPLE: [&str; 6] = [
    "Claire Dubois",
    "Marc Lefebvre",
    "Sophie Garnier",
    "Julien Roux",
    "Nadia Benali",
    "Paul Fontaine",
];
/// (label, unit, price HT, VAT option, goods)
const ITEMS: [(&str, &str, &str, &str, bool); 10] = [
    ("Journée de conseil", "DAY", "450", "fr20", false),
    ("Heure d'intervention", "HUR", "55", "fr20", false),
    (
        "Atelier collectif (demi-journée)",
        "HD",
        "380",
        "fr20",
        false,
    ),
    (
        "Formation professionnelle (jour)",
        "DAY",
        "600",
        "exempt_261_4_4a",
        false,
    ),
    ("Création graphique (forfait)", "LS", "900", "fr20", false),
    ("Déplacement", "KMT", "0.60", "fr20", false),
    ("Travaux de rénovation (heure)", "HUR", "42", "fr10", false),
    ("Livre illustré", "C62", "24", "fr5_5", true),
    ("Pièce sur mesure", "H87", "180", "fr20", true),
    ("Fournitures", "C62", "12.50", "fr20", true),
];

struct Activity {
    id: i64,
    start: Date,
    end: Option<Date>,
    customers: Vec<i64>,
    items: Vec<CatalogItemRecord>,
}

fn customer_input(rng: &mut Rng, i: usize, city: (&str, &str)) -> CustomerInput {
    let individual = i % 4 == 3;
    let abroad = i % 9 == 5;
    let mut c = CustomerInput {
        kind: if individual { "individual" } else { "company" }.into(),
        name: if individual {
            rng.pick(&PEOPLE).to_string()
        } else {
            rng.pick(&COMPANIES).to_string()
        },
        address_line1: format!("{} rue de la République", 1 + rng.below(90)),
        postcode: city.1.into(),
        city: city.0.into(),
        country: "FR".into(),
        payment_days: if individual { "0".into() } else { "30".into() },
        email: format!("contact{i}@client.demo.essaim.coop"),
        ..CustomerInput::default()
    };
    if abroad && !individual {
        c.name = "Atelier Vandenberghe".into();
        c.country = "BE".into();
        c.postcode = "1000".into();
        c.city = "Bruxelles".into();
        c.vat_number = format!("BE0{:09}", rng.below(1_000_000_000));
    } else if !individual {
        let siren = make_siren(rng);
        c.siret = make_siret(&siren);
        c.vat_number = VatNumber::french_for(&siren).as_str().to_owned();
    }
    c
}

fn rows_for(rng: &mut Rng, items: &[CatalogItemRecord], abroad: bool) -> Vec<Row> {
    let n = 1 + rng.below(3);
    (0..n)
        .filter_map(|_| {
            let item = items.get(usize::try_from(rng.below(items.len() as u64)).ok()?)?;
            let qty = match item.unit.as_str() {
                "KMT" => Decimal::from(20 + rng.below(200)),
                "HUR" => Decimal::from(2 + rng.below(30)),
                "DAY" | "HD" => Decimal::from(1 + rng.below(5)),
                _ => Decimal::from(1 + rng.below(4)),
            };
            Some(Row::Item(ItemLine {
                label: item.label.clone(),
                description: None,
                quantity: qty,
                unit: item.unit.clone(),
                unit_price: item.unit_price.parse().ok()?,
                vat_code: if abroad {
                    "reverse_charge".into()
                } else {
                    item.vat_code.clone()
                },
                discount: (rng.below(8) == 0).then(|| Discount::Percent(Decimal::from(10))),
                goods: item.goods,
                deduction: false,
            }))
        })
        .collect()
}

/// Seeds selling data for every activity of `coop`; `by` validates the invoices.
pub(crate) async fn seed(
    app: &App,
    coop: CooperativeId,
    rng: &mut Rng,
    by: UserId,
    years: u32,
    city: (&str, &str),
) -> Result<u64, AppError> {
    let now = app.clock.now();
    let today = now.date();
    let first_day = today - Duration::days(i64::from(years.max(1)) * 365);
    let mut owned: Option<Tx> = Some(app.store.begin().await?);
    let Some(tx) = owned.as_mut() else {
        return Err(AppError::Internal("demo transaction".into()));
    };
    let mut acts = Vec::new();
    for a in essaim_storage::activity::list(tx, coop, None, None).await? {
        if a.members.is_empty() {
            continue;
        }
        let mut customers = Vec::new();
        for i in 0..4 + usize::try_from(rng.below(3)).unwrap_or(0) {
            let input = customer_input(rng, i, city);
            let d = CustomerDetails::parse(&input, today)?;
            let rec = super::customer_record(a.id, &d);
            customers.push(store::insert_customer(tx, coop, &rec, now).await?.get());
        }
        let mut items = Vec::new();
        let offset = usize::try_from(rng.below(ITEMS.len() as u64)).unwrap_or(0);
        for k in 0..3 {
            let (label, unit, price, vat, goods) = ITEMS[(offset + k * 3) % ITEMS.len()];
            let rec = CatalogItemRecord {
                catalog_item_id: 0,
                activity_id: a.id.get(),
                label: label.into(),
                description: None,
                unit: unit.into(),
                unit_price: price.into(),
                vat_code: vat.into(),
                goods,
                archived: false,
            };
            store::insert_item(tx, coop, &rec, now).await?;
            items.push(rec);
        }
        acts.push(Activity {
            id: a.id.get(),
            start: a.details.start_on.max(first_day),
            end: a.details.end_on,
            customers,
            items,
        });
    }
    // About 30 invoices a year per activity, plus some quotes, spread over its life.
    let mut plan: Vec<(Date, usize, bool)> = Vec::new();
    for (i, a) in acts.iter().enumerate() {
        let end = a.end.unwrap_or(today).min(today);
        let mut d = a.start;
        while d < end {
            plan.push((d, i, false));
            if rng.below(5) == 0 {
                plan.push((d, i, true));
            }
            d += Duration::days(6 + i64::try_from(rng.below(12)).unwrap_or(0));
        }
    }
    plan.sort_by_key(|(d, i, q)| (*d, *i, *q));
    let mut issued = 0u64;
    // Deposits and final invoices of accepted quotes, waiting for their day: (day, rank) →
    // (quote, final invoice?). Issued in date order with the rest.
    let mut follow: std::collections::BTreeMap<(Date, usize), (SaleDocId, bool)> =
        std::collections::BTreeMap::new();
    for (n, (date, i, quote)) in plan.into_iter().enumerate() {
        // A transaction every 2,000 documents; the planner's statistics refreshed every 10,000.
        if n > 0 && n % 2000 == 0 {
            // Commit first: on SQLite a second writer would wait for this one.
            if let Some(done) = owned.take() {
                done.commit().await?;
            }
            let mut next = app.store.begin().await?;
            if n % 10_000 == 0 {
                essaim_storage::refresh_statistics(&mut next).await?;
            }
            owned = Some(next);
        }
        let Some(tx) = owned.as_mut() else {
            return Err(AppError::Internal("demo transaction".into()));
        };
        while let Some(entry) = follow.first_entry() {
            if entry.key().0 > date {
                break;
            }
            let ((day, _), (quote, final_invoice)) = entry.remove_entry();
            follow_up(tx, coop, by, quote, final_invoice, day, today).await?;
            issued += 1;
        }
        let a = &acts[i];
        let c = *rng.pick(&a.customers);
        let customer = store::customer(tx, coop, essaim_domain::ids::CustomerId::new(c))
            .await?
            .ok_or(AppError::NotFound("customer"))?;
        let abroad = customer.country != "FR";
        let rows = rows_for(rng, &a.items, abroad);
        let Ok(computed) = compute(&rows, PriceBasis::Ht, None, date) else {
            continue;
        };
        let head = DocHead {
            activity_id: a.id,
            customer_id: c,
            kind: if quote { "quote" } else { "invoice" }.into(),
            doc_date: date,
            valid_until: quote.then(|| date + Duration::days(30)),
            due_date: None,
            delivery_date: None,
            purchase_order: None,
            price_basis: "ht".into(),
            overall_discount: None,
            notes: None,
            payment_days: customer.payment_days,
            payment_end_of_month: customer.payment_end_of_month,
            quote_id: None,
            origin_id: None,
        };
        let at = date
            .with_time(Time::from_hms(10, 0, 0).unwrap_or(Time::MIDNIGHT))
            .assume_utc();
        let id = insert(tx, coop, &head, &rows, &computed, by, at).await?;
        store::add_event(tx, id, "created", Some(by), None, at).await?;
        if quote {
            // Quotes: most sent and answered, the recent ones still open.
            if (today - date).whole_days() < 10 && rng.below(2) == 0 {
                continue;
            }
            let seq = store::next_number(tx, coop, &format!("quote:{}", date.year())).await?;
            let number = format!("D{}-{seq:05}", date.year());
            let sent = store::Issue {
                state: "sent",
                series: &format!("quote:{}", date.year()),
                seq,
                number: &number,
                doc_date: date,
                due_date: None,
                snapshot: "",
                vat: &[],
                by,
                now: at,
            };
            store::issue(tx, coop, id, &sent).await?;
            if (today - date).whole_days() > 40 {
                let accepted = rng.below(3) != 0;
                // Half the accepted quotes are invoiced: most with a 30 % deposit first.
                if accepted && rng.below(2) == 0 {
                    if rng.below(4) != 0 {
                        follow.insert((date + Duration::days(7), n), (id, false));
                    }
                    let final_on =
                        date + Duration::days(21 + i64::try_from(rng.below(20)).unwrap_or(0));
                    if (today - final_on).whole_days() >= 4 {
                        follow.insert((final_on, n), (id, true));
                    }
                }
                store::set_quote_state(
                    tx,
                    coop,
                    id,
                    "sent",
                    if accepted { "accepted" } else { "refused" },
                    accepted.then_some(customer.name.as_str()),
                    at + Duration::days(5),
                )
                .await?;
            }
            continue;
        }
        // Invoices of the last days stay drafts: most asked for validation, one in four sent
        // back with a comment (issue 19).
        if (today - date).whole_days() < 4 {
            let returned = rng.below(4) == 0;
            let (review, comment) = if returned {
                (
                    Review::Returned,
                    Some("Merci d'indiquer la date de la prestation dans les notes."),
                )
            } else {
                (Review::Asked, None)
            };
            store::set_review(tx, coop, id, review.code(), comment, at).await?;
            store::add_event(tx, id, "review_asked", Some(by), None, at).await?;
            if returned {
                store::add_event(tx, id, "review_returned", None, comment, at).await?;
            }
            continue;
        }
        let computed = issue_on(tx, coop, id, by, date, at).await?;
        issued += 1;
        let total = computed.totals.grand_total_cents;
        let due = date + Duration::days(customer.payment_days);
        let late = (today - due).whole_days();
        let r = rng.below(100);
        // Most are paid, some in two steps, a few late; the recent ones are not paid yet.
        let paid_on = date
            + Duration::days(
                i64::try_from(
                    rng.below(u64::try_from(customer.payment_days.max(5)).unwrap_or(30) + 15),
                )
                .unwrap_or(10),
            );
        // Payments are recorded on the day they arrive (their entries are validated then).
        let paid_at = |d: Date| {
            d.with_time(Time::from_hms(16, 0, 0).unwrap_or(Time::MIDNIGHT))
                .assume_utc()
        };
        if paid_on <= today && (late > 30 || r < 60) && r < 93 {
            let mode = if r.is_multiple_of(3) {
                PaymentMode::Cheque
            } else {
                PaymentMode::Transfer
            };
            if r < 15 && total > 200 {
                let half = total / 2;
                pay_in(
                    tx,
                    coop,
                    id,
                    paid_on,
                    half,
                    mode,
                    None,
                    by,
                    paid_at(paid_on),
                )
                .await?;
                if paid_on + Duration::days(20) <= today {
                    pay_in(
                        tx,
                        coop,
                        id,
                        paid_on + Duration::days(20),
                        total - half,
                        mode,
                        None,
                        by,
                        paid_at(paid_on + Duration::days(20)),
                    )
                    .await?;
                }
            } else {
                pay_in(
                    tx,
                    coop,
                    id,
                    paid_on,
                    total,
                    mode,
                    Some("VIR DEMO"),
                    by,
                    paid_at(paid_on),
                )
                .await?;
            }
        } else if r >= 98 && late > 0 {
            // A disputed invoice, cancelled the same day by a credit note (INV-14).
            let lines = store::lines(tx, id).await?;
            let rows = docs::rows_of(&lines)?;
            let head = DocHead {
                kind: "credit_note".into(),
                origin_id: Some(id.get()),
                ..head
            };
            let cid = insert(tx, coop, &head, &rows, &computed, by, at).await?;
            issue_on(tx, coop, cid, by, date, at).await?;
            store::add_credited(tx, id, total).await?;
        }
    }
    if let Some(tx) = owned.as_mut() {
        for ((day, _), (quote, final_invoice)) in std::mem::take(&mut follow) {
            follow_up(tx, coop, by, quote, final_invoice, day, today).await?;
            issued += 1;
        }
    }
    if let Some(last) = owned.take() {
        last.commit().await?;
    }
    Ok(issued)
}

/// Inserts a demo document with the lines and totals the domain computed.
async fn insert(
    tx: &mut Tx,
    coop: CooperativeId,
    head: &DocHead,
    rows: &[Row],
    computed: &Computed,
    by: UserId,
    at: OffsetDateTime,
) -> Result<SaleDocId, AppError> {
    let totals = totals_of(computed);
    let lines = records_of(rows, computed);
    Ok(store::insert_doc(tx, coop, head, &totals, &lines, by, at).await?)
}

/// Validates a demo document on `day` through the real validation step (number, snapshot, entry).
async fn issue_on(
    tx: &mut Tx,
    coop: CooperativeId,
    id: SaleDocId,
    by: UserId,
    day: Date,
    at: OffsetDateTime,
) -> Result<Computed, AppError> {
    let doc = store::doc(tx, coop, id)
        .await?
        .ok_or(AppError::NotFound("document"))?;
    let (_, computed) = issue_in(tx, coop, &doc, by, || day, || at).await?;
    Ok(computed)
}

/// Issues on `day` the 30 % deposit invoice of an accepted quote, or its final invoice deducting
/// the deposits issued (INV-31), as `create_deposit` and `create_final` would, through the same
/// validation step; a deposit is paid on receipt, a final invoice within 20 days.
async fn follow_up(
    tx: &mut Tx,
    coop: CooperativeId,
    by: UserId,
    quote: SaleDocId,
    final_invoice: bool,
    day: Date,
    today: Date,
) -> Result<(), AppError> {
    let doc = store::doc(tx, coop, quote)
        .await?
        .ok_or(AppError::NotFound("document"))?;
    let lines = store::lines(tx, quote).await?;
    let computed = docs::computed_of(&doc, &lines)?;
    let (rows, overall) = if final_invoice {
        let (mut rows, overall) = in_ht(
            docs::rows_of(&lines)?,
            &computed,
            parse_discount_code(doc.overall_discount.as_deref()),
        );
        for d in store::children(tx, coop, quote).await? {
            if d.kind == "deposit" && d.state == "issued" {
                let lines = store::lines(tx, SaleDocId::new(d.sale_doc_id)).await?;
                rows.extend(deduction_rows(
                    &docs::computed_of(&d, &lines)?,
                    d.number.as_deref().unwrap_or_default(),
                    d.doc_date,
                ));
            }
        }
        (rows, overall)
    } else {
        let number = doc.number.clone().unwrap_or_default();
        let rows = deposit_rows(&computed, &number, DepositSpec::Percent(Decimal::from(30)))
            .map_err(|c| AppError::Internal(format!("demo deposit: {c}")))?;
        (rows, None)
    };
    let computed = compute(&rows, PriceBasis::Ht, overall, day)
        .map_err(|e| AppError::Internal(format!("demo follow-up: {e:?}")))?;
    let at = day
        .with_time(Time::from_hms(11, 0, 0).unwrap_or(Time::MIDNIGHT))
        .assume_utc();
    let head = DocHead {
        activity_id: doc.activity_id,
        customer_id: doc.customer_id,
        kind: if final_invoice { "invoice" } else { "deposit" }.into(),
        doc_date: day,
        valid_until: None,
        due_date: None,
        delivery_date: doc.delivery_date,
        purchase_order: doc.purchase_order.clone(),
        price_basis: "ht".into(),
        overall_discount: discount_code(overall),
        notes: None,
        payment_days: doc.payment_days,
        payment_end_of_month: doc.payment_end_of_month,
        quote_id: Some(quote.get()),
        origin_id: None,
    };
    let id = insert(tx, coop, &head, &rows, &computed, by, at).await?;
    let how = if final_invoice {
        "final_invoice"
    } else {
        "deposit"
    };
    store::add_event(tx, id, "created", Some(by), Some(how), at).await?;
    let computed = issue_on(tx, coop, id, by, day, at).await?;
    let paid_on = day + Duration::days(if final_invoice { 20 } else { 2 });
    if paid_on <= today && computed.totals.grand_total_cents > 0 {
        let paid_at = paid_on
            .with_time(Time::from_hms(16, 0, 0).unwrap_or(Time::MIDNIGHT))
            .assume_utc();
        pay_in(
            tx,
            coop,
            id,
            paid_on,
            computed.totals.grand_total_cents,
            PaymentMode::Transfer,
            Some("VIR DEMO"),
            by,
            paid_at,
        )
        .await?;
    }
    Ok(())
}
