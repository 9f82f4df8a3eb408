//! Automatic postings: what entry each business event makes (ACC rules, section 5.2 of the domain
//! guide). Pure: the use case gathers the facts, this module decides accounts and amounts.
//!
//! ```text
//! Invoice 1,000 HT, services:  D 411 1,200 | C 706 1,000 | C 44574x 200
//! Deposit invoice:             D 411       | C 4191 (advances received) | C 4457x
//! Final invoice:               as an invoice, the deposits deducted at their rates: D 4191
//! Overall discount:            D 709 (the gap between the lines and the VAT basis of a rate)
//! Credit note:                 the mirror of an invoice
//! Payment received:            D 512 | C 411, then for VAT on receipts D 44574x | C 44571x
//! ```

use super::account::{VatDue, accounts, vat_account};
use super::entry::{Aux, EntryDraft};
use crate::selling::DocKind;
use crate::selling::payment::PaymentMode;
use time::Date;

/// One line of a validated sale document, as the posting needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleLineFact {
    pub vat_code: String,
    pub goods: bool,
    /// A deposit deducted on a final invoice (a negative line).
    pub deduction: bool,
    /// Net amount HT after line discounts, in cents.
    pub net_cents: i64,
}

/// The VAT breakdown of one rate of the document (EN 16931 BG-23).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleVatFact {
    pub vat_code: String,
    pub basis_cents: i64,
    pub vat_cents: i64,
}

/// A validated invoice, deposit invoice or credit note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleFacts {
    pub kind: DocKind,
    pub number: String,
    pub date: Date,
    pub customer: Aux,
    pub analytic: String,
    pub lines: Vec<SaleLineFact>,
    pub vat: Vec<SaleVatFact>,
    pub grand_total_cents: i64,
    /// The cooperative pays VAT on debits for services too (option of CGI art. 269-2-c).
    pub vat_on_debits: bool,
    /// A credit note cancelling a deposit invoice: it reverses the advance (4191), not revenue.
    pub credits_deposit: bool,
}

/// When the VAT of one rate of a document is due: on issue for goods or under the debits option;
/// on payment as soon as services are sold at that rate (a document mixing goods and services at
/// one rate is treated as services, the cautious reading: documented in docs/books.md).
pub fn vat_due(lines: &[SaleLineFact], vat_code: &str, vat_on_debits: bool) -> VatDue {
    let services = lines
        .iter()
        .any(|l| l.vat_code == vat_code && !l.goods && !l.deduction);
    if vat_on_debits || !services {
        VatDue::OnIssue
    } else {
        VatDue::OnPayment
    }
}

fn kind_label(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Deposit => "Facture d'acompte",
        DocKind::CreditNote => "Avoir",
        DocKind::Invoice | DocKind::Quote => "Facture",
    }
}

/// The sales-journal entry of a validated invoice, deposit invoice or credit note.
pub fn sale_entry(f: &SaleFacts) -> EntryDraft {
    let label = format!("{} {} {}", kind_label(f.kind), f.number, f.customer.label);
    let mut e = EntryDraft::new(f.date, &f.number, f.date, &label);
    let a = Some(f.analytic.as_str());
    let advance = f.kind == DocKind::Deposit || f.credits_deposit;
    e.debit(
        accounts::CUSTOMERS,
        Some(&f.customer),
        a,
        f.grand_total_cents,
    );
    for v in &f.vat {
        let mut lines_total = 0;
        for l in f.lines.iter().filter(|l| l.vat_code == v.vat_code) {
            lines_total += l.net_cents;
            let account = if l.deduction || advance {
                accounts::DEPOSITS_RECEIVED
            } else if l.goods {
                accounts::GOODS
            } else {
                accounts::SERVICES
            };
            e.credit(account, None, a, l.net_cents);
        }
        // An overall allowance lowers the basis below the sum of the lines (EN 16931 BT-92).
        let allowance = lines_total - v.basis_cents;
        let allowance_account = if advance {
            accounts::DEPOSITS_RECEIVED
        } else {
            accounts::ALLOWANCES
        };
        e.debit(allowance_account, None, a, allowance);
    }
    // VAT last, by rate, highest first (the order of the chart).
    let mut vat: Vec<&SaleVatFact> = f.vat.iter().collect();
    vat.sort_by_key(|v| vat_account(&v.vat_code, VatDue::OnIssue).unwrap_or("9"));
    for v in vat {
        if let Some(vat_acc) =
            vat_account(&v.vat_code, vat_due(&f.lines, &v.vat_code, f.vat_on_debits))
        {
            e.credit(vat_acc, None, None, v.vat_cents);
        }
    }
    let e = e.finish();
    if f.kind == DocKind::CreditNote {
        e.reversed()
    } else {
        e
    }
}

/// A payment received on an invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentFacts {
    pub paid_on: Date,
    pub invoice_number: String,
    pub customer: Aux,
    pub analytic: String,
    pub amount_cents: i64,
    pub mode: PaymentMode,
    /// VAT of the payment per rate (INV-41) whose VAT was pending on the invoice: moved from
    /// 44574x to 44571x now that it is collected.
    pub pending_vat: Vec<(String, i64)>,
}

/// The treasury account a payment mode lands on.
pub fn treasury_account(mode: PaymentMode) -> &'static str {
    match mode {
        PaymentMode::Cash => accounts::CASH,
        PaymentMode::Transfer | PaymentMode::Cheque | PaymentMode::Card => accounts::BANK,
    }
}

/// The bank-journal entry of a payment received.
pub fn payment_entry(f: &PaymentFacts) -> EntryDraft {
    let label = format!("Règlement {} {}", f.invoice_number, f.customer.label);
    let mut e = EntryDraft::new(f.paid_on, &f.invoice_number, f.paid_on, &label);
    e.debit(treasury_account(f.mode), None, None, f.amount_cents);
    e.credit(
        accounts::CUSTOMERS,
        Some(&f.customer),
        Some(&f.analytic),
        f.amount_cents,
    );
    for (code, vat) in &f.pending_vat {
        if let (Some(pending), Some(collected)) = (
            vat_account(code, VatDue::OnPayment),
            vat_account(code, VatDue::OnIssue),
        ) {
            e.debit(pending, None, None, *vat);
            e.credit(collected, None, None, *vat);
        }
    }
    e.finish()
}

/// A bank-statement line booked straight to an account (bank fees, a transfer not matched to any
/// document): the bank account against `account`, in the direction of the money.
pub fn bank_line_entry(
    booked_on: Date,
    reference: &str,
    label: &str,
    amount_cents: i64,
    account: &str,
    aux: Option<&Aux>,
    analytic: Option<&str>,
) -> EntryDraft {
    let mut e = EntryDraft::new(booked_on, reference, booked_on, label);
    e.post(accounts::BANK, None, None, amount_cents);
    e.post(account, aux, analytic, -amount_cents);
    e.finish()
}

/// One account balance carried into the next fiscal year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosingBalance {
    pub account: String,
    pub aux: Option<Aux>,
    pub analytic: Option<String>,
    /// Debit positive.
    pub balance_cents: i64,
}

/// The opening entry ("à-nouveaux") of the year starting on `next_start`: every balance-sheet
/// balance carried over, and the year's result (charges and revenue) on 120 (profit) or 129
/// (loss). Balanced by construction since the closing year's balances sum to zero.
pub fn opening_entry(balances: &[ClosingBalance], next_start: Date, reference: &str) -> EntryDraft {
    let mut e = EntryDraft::new(next_start, reference, next_start, "À-nouveaux");
    let mut result = 0;
    for b in balances {
        if super::account::is_balance_sheet(&b.account) {
            e.post(
                &b.account,
                b.aux.as_ref(),
                b.analytic.as_deref(),
                b.balance_cents,
            );
        } else {
            result += b.balance_cents;
        }
    }
    let result_account = if result <= 0 {
        accounts::PROFIT
    } else {
        accounts::LOSS
    };
    e.post(result_account, None, None, result);
    e.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn customer() -> Aux {
        Aux {
            code: "C000042".into(),
            label: "ACME".into(),
        }
    }

    fn line(code: &str, goods: bool, net: i64) -> SaleLineFact {
        SaleLineFact {
            vat_code: code.into(),
            goods,
            deduction: false,
            net_cents: net,
        }
    }

    fn facts(kind: DocKind, lines: Vec<SaleLineFact>, vat: Vec<SaleVatFact>) -> SaleFacts {
        let total = vat.iter().map(|v| v.basis_cents + v.vat_cents).sum();
        SaleFacts {
            kind,
            number: "2026-AB-0042".into(),
            date: date!(2026 - 03 - 15),
            customer: customer(),
            analytic: "AB".into(),
            lines,
            vat,
            grand_total_cents: total,
            vat_on_debits: false,
            credits_deposit: false,
        }
    }

    fn amounts(e: &EntryDraft) -> Vec<(&str, i64)> {
        e.lines
            .iter()
            .map(|l| (l.account.as_str(), l.signed()))
            .collect()
    }

    #[test]
    fn an_invoice_of_services_posts_vat_pending_collection() {
        // Section 5.2: D 411 1,200 | C 706 1,000 | C 44574 200
        let f = facts(
            DocKind::Invoice,
            vec![line("fr20", false, 100_000)],
            vec![SaleVatFact {
                vat_code: "fr20".into(),
                basis_cents: 100_000,
                vat_cents: 20_000,
            }],
        );
        let e = sale_entry(&f);
        assert_eq!(
            amounts(&e),
            vec![
                ("411000", 120_000),
                ("706000", -100_000),
                ("445741", -20_000)
            ]
        );
        assert_eq!(e.check(), Ok(()));
        assert_eq!(e.lines[0].aux, Some(customer()));
        assert_eq!(e.lines[2].analytic, None);
    }

    #[test]
    fn goods_and_the_debits_option_post_vat_as_collected() {
        let vat = vec![SaleVatFact {
            vat_code: "fr5_5".into(),
            basis_cents: 10_000,
            vat_cents: 550,
        }];
        let e = sale_entry(&facts(
            DocKind::Invoice,
            vec![line("fr5_5", true, 10_000)],
            vat.clone(),
        ));
        assert_eq!(
            amounts(&e),
            vec![("411000", 10_550), ("707000", -10_000), ("445713", -550)]
        );
        let mut f = facts(DocKind::Invoice, vec![line("fr5_5", false, 10_000)], vat);
        f.vat_on_debits = true;
        assert_eq!(amounts(&sale_entry(&f))[2], ("445713", -550));
    }

    #[test]
    fn an_overall_discount_goes_to_709_and_exempt_lines_post_no_vat() {
        let f = facts(
            DocKind::Invoice,
            vec![
                line("fr20", false, 50_000),
                line("exempt_261_4_4a", false, 60_000),
            ],
            vec![
                SaleVatFact {
                    vat_code: "fr20".into(),
                    basis_cents: 45_000,
                    vat_cents: 9_000,
                },
                SaleVatFact {
                    vat_code: "exempt_261_4_4a".into(),
                    basis_cents: 54_000,
                    vat_cents: 0,
                },
            ],
        );
        let e = sale_entry(&f);
        assert_eq!(
            amounts(&e),
            vec![
                ("411000", 108_000),
                ("706000", -110_000),
                ("709000", 11_000),
                ("445741", -9_000)
            ]
        );
        assert_eq!(e.check(), Ok(()));
    }

    #[test]
    fn deposits_go_to_4191_and_the_final_invoice_deducts_them() {
        let vat = |b| {
            vec![SaleVatFact {
                vat_code: "fr20".into(),
                basis_cents: b,
                vat_cents: b / 5,
            }]
        };
        let dep = sale_entry(&facts(
            DocKind::Deposit,
            vec![line("fr20", false, 30_000)],
            vat(30_000),
        ));
        assert_eq!(
            amounts(&dep),
            vec![("411000", 36_000), ("419100", -30_000), ("445741", -6_000)]
        );
        let mut deduction = line("fr20", false, -30_000);
        deduction.deduction = true;
        let fin = sale_entry(&facts(
            DocKind::Invoice,
            vec![line("fr20", false, 100_000), deduction],
            vat(70_000),
        ));
        assert_eq!(
            amounts(&fin),
            vec![
                ("411000", 84_000),
                ("706000", -100_000),
                ("419100", 30_000),
                ("445741", -14_000)
            ]
        );
        assert_eq!(fin.check(), Ok(()));
    }

    #[test]
    fn a_credit_note_mirrors_its_invoice() {
        let f = facts(
            DocKind::CreditNote,
            vec![line("fr20", false, 100_000)],
            vec![SaleVatFact {
                vat_code: "fr20".into(),
                basis_cents: 100_000,
                vat_cents: 20_000,
            }],
        );
        assert_eq!(
            amounts(&sale_entry(&f)),
            vec![
                ("411000", -120_000),
                ("706000", 100_000),
                ("445741", 20_000)
            ]
        );
    }

    #[test]
    fn a_payment_settles_the_customer_and_moves_pending_vat() {
        // Section 5.2: D 512 1,200 | C 411 1,200 then D 44574 200 | C 44571 200
        let e = payment_entry(&PaymentFacts {
            paid_on: date!(2026 - 04 - 10),
            invoice_number: "2026-AB-0042".into(),
            customer: customer(),
            analytic: "AB".into(),
            amount_cents: 120_000,
            mode: PaymentMode::Transfer,
            pending_vat: vec![("fr20".into(), 20_000)],
        });
        assert_eq!(
            amounts(&e),
            vec![
                ("512000", 120_000),
                ("411000", -120_000),
                ("445741", 20_000),
                ("445711", -20_000)
            ]
        );
        assert_eq!(e.check(), Ok(()));
    }

    #[test]
    fn the_opening_entry_carries_the_balance_sheet_and_the_result() {
        let b = |a: &str, c| ClosingBalance {
            account: a.into(),
            aux: None,
            analytic: None,
            balance_cents: c,
        };
        let e = opening_entry(
            &[
                b("512000", 150_000),
                b("445711", -20_000),
                b("706000", -130_000),
            ],
            date!(2027 - 01 - 01),
            "AN-2027",
        );
        assert_eq!(
            amounts(&e),
            vec![
                ("512000", 150_000),
                ("445711", -20_000),
                ("120000", -130_000)
            ]
        );
        assert_eq!(e.check(), Ok(()));
    }
}
