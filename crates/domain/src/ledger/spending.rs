//! The postings of spending (ACC 5.2, EXP-05). Pure: the use case gathers the facts.
//!
//! ```text
//! Expense report validated:   D 6xxx cost (per category account and activity) | D 44566 VAT recovered
//!                             | C 425 (the entrepreneur) refund          — journal NDF
//! Expense report refunded:    D 425 (the entrepreneur) | C 512          — bank journal
//! Supplier invoice approved:  D 6xxx net (activity) | D 44566 VAT | C 401 (supplier) total — AC
//! Supplier paid:              D 401 (supplier) | C 512                  — bank journal
//! ```

use super::account::accounts;
use super::entry::{Aux, EntryDraft};
use time::Date;

/// The entrepreneur as a third party of account 425 (FEC CompAuxNum).
pub fn person_aux(user_id: i64, name: &str) -> Aux {
    Aux {
        code: format!("E{user_id:06}"),
        label: name.to_owned(),
    }
}

/// The supplier as a third party of account 401.
pub fn supplier_aux(supplier_id: i64, name: &str) -> Aux {
    Aux {
        code: format!("F{supplier_id:06}"),
        label: name.to_owned(),
    }
}

/// What one line (or several merged) of a report costs, on which account and activity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charge {
    pub account: String,
    pub analytic: String,
    /// The cost to the activity: the amount paid less the VAT recovered.
    pub cost_cents: i64,
    /// The VAT recovered (EXP-04), posted to deductible VAT.
    pub vat_cents: i64,
}

/// A validated expense report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFacts {
    pub validated_on: Date,
    /// The report's reference, shown as the piece (`NDF-2026-03-000012`).
    pub reference: String,
    /// The last day of the report's month: the date of the piece.
    pub piece_date: Date,
    pub person: Aux,
    pub charges: Vec<Charge>,
}

/// EXP-05: the NDF-journal entry of a validated report; what is refunded is owed to the person.
pub fn expense_report_entry(f: &ReportFacts) -> EntryDraft {
    let label = format!("Note de frais {} {}", f.reference, f.person.label);
    let mut e = EntryDraft::new(f.validated_on, &f.reference, f.piece_date, &label);
    let mut owed = 0;
    for c in &f.charges {
        e.debit(&c.account, None, Some(&c.analytic), c.cost_cents);
        e.debit(accounts::DEDUCTIBLE_VAT, None, None, c.vat_cents);
        owed += c.cost_cents + c.vat_cents;
    }
    e.credit(accounts::EXPENSE_REPORTS, Some(&f.person), None, owed);
    e.finish()
}

/// The bank-journal entry of a refund paid to the person.
pub fn refund_entry(paid_on: Date, reference: &str, person: &Aux, cents: i64) -> EntryDraft {
    let label = format!("Remboursement {reference} {}", person.label);
    let mut e = EntryDraft::new(paid_on, reference, paid_on, &label);
    e.debit(accounts::EXPENSE_REPORTS, Some(person), None, cents);
    e.credit(accounts::BANK, None, None, cents);
    e.finish()
}

/// An approved supplier invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupplierInvoiceFacts {
    pub approved_on: Date,
    pub issue_date: Date,
    pub number: String,
    pub supplier: Aux,
    pub account: String,
    pub analytic: String,
    pub net_cents: i64,
    pub vat_cents: i64,
}

/// The purchases-journal entry of an approved supplier invoice (ACC-01: the supplier line carries
/// the activity's analytic code).
pub fn supplier_invoice_entry(f: &SupplierInvoiceFacts) -> EntryDraft {
    let label = format!("Facture {} {}", f.number, f.supplier.label);
    let mut e = EntryDraft::new(f.approved_on, &f.number, f.issue_date, &label);
    e.debit(&f.account, None, Some(&f.analytic), f.net_cents);
    e.debit(accounts::DEDUCTIBLE_VAT, None, None, f.vat_cents);
    e.credit(
        accounts::SUPPLIERS,
        Some(&f.supplier),
        Some(&f.analytic),
        f.net_cents + f.vat_cents,
    );
    e.finish()
}

/// The bank-journal entry of a payment to a supplier.
pub fn supplier_payment_entry(
    paid_on: Date,
    number: &str,
    supplier: &Aux,
    analytic: &str,
    cents: i64,
) -> EntryDraft {
    let label = format!("Paiement {number} {}", supplier.label);
    let mut e = EntryDraft::new(paid_on, number, paid_on, &label);
    e.debit(accounts::SUPPLIERS, Some(supplier), Some(analytic), cents);
    e.credit(accounts::BANK, None, None, cents);
    e.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn exp_05_a_report_charges_each_activity_and_owes_the_refund_to_the_person() {
        // The km allowance of ACC 5.2 (190.80, no VAT), and a train ticket with VAT recovered.
        let f = ReportFacts {
            validated_on: date!(2026 - 04 - 03),
            reference: "NDF-2026-03-000001".into(),
            piece_date: date!(2026 - 03 - 31),
            person: person_aux(7, "Awa Diallo"),
            charges: vec![
                Charge {
                    account: "625100".into(),
                    analytic: "ACT01".into(),
                    cost_cents: 19_080,
                    vat_cents: 0,
                },
                Charge {
                    account: "625100".into(),
                    analytic: "ACT01".into(),
                    cost_cents: 10_000,
                    vat_cents: 1_000,
                },
            ],
        };
        let e = expense_report_entry(&f);
        assert!(e.check().is_ok(), "{:?}", e.check());
        let lines: Vec<(&str, i64)> = e
            .lines
            .iter()
            .map(|l| (l.account.as_str(), l.signed()))
            .collect();
        assert_eq!(
            lines,
            [("625100", 29_080), ("445660", 1_000), ("425000", -30_080)]
        );
        let r = refund_entry(date!(2026 - 04 - 10), &f.reference, &f.person, 30_080);
        assert!(r.check().is_ok());
        assert_eq!(
            r.lines[0].aux.as_ref().map(|a| a.code.as_str()),
            Some("E000007")
        );
    }

    #[test]
    fn acc_01_a_supplier_invoice_carries_the_activity_on_the_supplier_line() {
        let f = SupplierInvoiceFacts {
            approved_on: date!(2026 - 04 - 03),
            issue_date: date!(2026 - 03 - 28),
            number: "F-881".into(),
            supplier: supplier_aux(3, "Imprimerie du Rhône"),
            account: "623000".into(),
            analytic: "ACT02".into(),
            net_cents: 50_000,
            vat_cents: 10_000,
        };
        let e = supplier_invoice_entry(&f);
        assert!(e.check().is_ok(), "{:?}", e.check());
        let supplier = e.lines.iter().find(|l| l.account == "401000");
        assert_eq!(supplier.map(|l| l.credit_cents), Some(60_000));
        assert_eq!(supplier.and_then(|l| l.analytic.as_deref()), Some("ACT02"));
        let p =
            supplier_payment_entry(date!(2026 - 04 - 20), "F-881", &f.supplier, "ACT02", 60_000);
        assert!(p.check().is_ok(), "{:?}", p.check());
    }
}
