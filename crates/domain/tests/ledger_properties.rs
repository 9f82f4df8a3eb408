//! Property tests of the automatic postings (issue 7): for random invoices, partial payments and
//! credit notes, every entry balances (ACC-03), the analytic lines add up to the general totals of
//! their accounts (ACC-01), a fully paid invoice leaves nothing on the customer or pending-VAT
//! accounts, and an invoice cancelled by a full credit note nets to zero on every account.

use essaim_domain::ledger::account::takes_analytic;
use essaim_domain::ledger::entry::{Aux, EntryDraft};
use essaim_domain::ledger::posting::{
    PaymentFacts, SaleFacts, SaleLineFact, SaleVatFact, payment_entry, sale_entry,
};
use essaim_domain::selling::DocKind;
use essaim_domain::selling::payment::{PaymentMode, RateDue, allocate};
use proptest::prelude::*;
use std::collections::BTreeMap;
use time::macros::date;

const CODES: [(&str, i64); 5] = [
    ("fr20", 200),
    ("fr10", 100),
    ("fr5_5", 55),
    ("fr2_1", 21),
    ("exempt_261_4_4a", 0),
];

fn facts() -> impl Strategy<Value = (SaleFacts, Vec<u8>)> {
    (
        prop::collection::vec((0usize..CODES.len(), any::<bool>(), 1i64..5_000_000), 1..8),
        0i64..30,                              // overall discount, percent
        any::<bool>(),                         // VAT on debits
        prop::collection::vec(1u8..100, 0..4), // payment split, percent of what remains
        any::<bool>(),                         // a deposit invoice
    )
        .prop_map(|(lines, discount, debits, splits, deposit)| {
            let lines: Vec<SaleLineFact> = lines
                .into_iter()
                .map(|(c, goods, net)| SaleLineFact {
                    vat_code: CODES[c].0.into(),
                    goods,
                    deduction: false,
                    net_cents: net,
                })
                .collect();
            let mut vat = Vec::new();
            for (code, tenths) in CODES {
                let sum: i64 = lines
                    .iter()
                    .filter(|l| l.vat_code == code)
                    .map(|l| l.net_cents)
                    .sum();
                if sum == 0 && !lines.iter().any(|l| l.vat_code == code) {
                    continue;
                }
                let basis = sum - sum * discount / 100;
                vat.push(SaleVatFact {
                    vat_code: code.into(),
                    basis_cents: basis,
                    vat_cents: (basis * tenths + 500) / 1000,
                });
            }
            let total = vat.iter().map(|v| v.basis_cents + v.vat_cents).sum();
            (
                SaleFacts {
                    kind: if deposit {
                        DocKind::Deposit
                    } else {
                        DocKind::Invoice
                    },
                    number: "2026-AB-0001".into(),
                    date: date!(2026 - 03 - 01),
                    customer: Aux {
                        code: "C000001".into(),
                        label: "ACME".into(),
                    },
                    analytic: "AB".into(),
                    lines,
                    vat,
                    grand_total_cents: total,
                    vat_on_debits: debits,
                    credits_deposit: false,
                },
                splits,
            )
        })
}

fn add(net: &mut BTreeMap<String, i64>, e: &EntryDraft) {
    for l in &e.lines {
        *net.entry(l.account.clone()).or_insert(0) += l.signed();
    }
}

fn checked(e: &EntryDraft) -> Result<(), TestCaseError> {
    prop_assert_eq!(e.check(), Ok(()), "{:?}", e);
    // ACC-01: on every account that takes one, each line carries the analytic code, so the
    // analytic totals equal the general ones.
    for l in &e.lines {
        prop_assert_eq!(takes_analytic(&l.account), l.analytic.is_some(), "{:?}", l);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn invoices_payments_and_credit_notes_keep_the_ledger_balanced((f, splits) in facts()) {
        let invoice = sale_entry(&f);
        checked(&invoice)?;

        // A full credit note cancels the invoice on every account.
        let credit = sale_entry(&SaleFacts { kind: DocKind::CreditNote, credits_deposit: f.kind == DocKind::Deposit, ..f.clone() });
        checked(&credit)?;
        let mut net = BTreeMap::new();
        add(&mut net, &invoice);
        add(&mut net, &credit);
        prop_assert!(net.values().all(|v| *v == 0), "{:?}", net);

        // Payments in several parts, the last taking what remains (INV-41): the customer and the
        // pending VAT end at zero, the VAT collected equals the VAT invoiced.
        let mut net = BTreeMap::new();
        add(&mut net, &invoice);
        let pending_codes: Vec<String> = invoice.lines.iter()
            .filter(|l| l.account.starts_with("44574"))
            .filter_map(|l| f.vat.iter().find(|v| essaim_domain::ledger::account::vat_account(&v.vat_code, essaim_domain::ledger::account::VatDue::OnPayment) == Some(l.account.as_str())).map(|v| v.vat_code.clone()))
            .collect();
        let mut due: Vec<RateDue> = f.vat.iter().map(|v| RateDue { vat_code: v.vat_code.clone(), ttc_cents: v.basis_cents + v.vat_cents, vat_cents: v.vat_cents }).collect();
        let mut remaining = f.grand_total_cents;
        let mut parts: Vec<i64> = splits.iter().map(|p| remaining * i64::from(*p) / 100).collect();
        parts.push(i64::MAX);
        for part in parts {
            if remaining <= 0 { break; }
            let amount = part.clamp(1, remaining);
            let shares = allocate(&due, amount).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            for s in &shares {
                if let Some(d) = due.iter_mut().find(|d| d.vat_code == s.vat_code) {
                    d.ttc_cents -= s.ttc_cents;
                    d.vat_cents -= s.vat_cents;
                }
            }
            let e = payment_entry(&PaymentFacts {
                paid_on: date!(2026 - 04 - 01),
                invoice_number: f.number.clone(),
                customer: f.customer.clone(),
                analytic: f.analytic.clone(),
                amount_cents: amount,
                mode: PaymentMode::Transfer,
                pending_vat: shares.iter().filter(|s| pending_codes.contains(&s.vat_code)).map(|s| (s.vat_code.clone(), s.vat_cents)).collect(),
            });
            checked(&e)?;
            add(&mut net, &e);
            remaining -= amount;
        }
        prop_assert_eq!(net.get("411000").copied().unwrap_or(0), 0);
        for (account, v) in &net {
            if account.starts_with("44574") {
                prop_assert_eq!(*v, 0, "{}", account);
            }
        }
        let collected: i64 = net.iter().filter(|(a, _)| a.starts_with("44571")).map(|(_, v)| -v).sum();
        prop_assert_eq!(collected, f.vat.iter().map(|v| v.vat_cents).sum::<i64>());
        prop_assert_eq!(net.values().sum::<i64>(), 0);
    }
}
