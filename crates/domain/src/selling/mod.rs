//! Selling (issue 4): customers, catalogue, quotes, invoices, deposits, credit notes and payments,
//! as the law describes them (INV, EIN rules). Pure: amounts, numbers, statuses and checks; the
//! storage, the PDF and the XML are elsewhere.

pub mod compute;
pub mod customer;
pub mod numbering;
pub mod payment;
pub mod review;
pub mod terms;
pub mod unit;
pub mod vat;

use crate::validation::{optional_text, required_text};
use compute::{Computed, Discount, ItemLine, Row, parse_decimal};
use money_fmt::percent_label;
use rust_decimal::Decimal;
use time::Date;

/// The kinds of sale document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocKind {
    Quote,
    Invoice,
    /// A deposit invoice (INV-31), numbered in the invoice sequence.
    Deposit,
    /// A credit note (INV-33), numbered in the invoice sequence.
    CreditNote,
}

impl DocKind {
    pub const ALL: [DocKind; 4] = [
        DocKind::Quote,
        DocKind::Invoice,
        DocKind::Deposit,
        DocKind::CreditNote,
    ];
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Quote => "quote",
            DocKind::Invoice => "invoice",
            DocKind::Deposit => "deposit",
            DocKind::CreditNote => "credit_note",
        }
    }
    pub fn parse(code: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.code() == code)
    }
    /// Invoices, deposits and credit notes share the legal invoice sequence (INV-10, INV-31).
    pub fn is_invoice_like(self) -> bool {
        self != DocKind::Quote
    }
    /// The numbering series family.
    pub fn series_kind(self) -> &'static str {
        if self == DocKind::Quote {
            "quote"
        } else {
            "invoice"
        }
    }
    /// UNTDID 1001 type code (EIN-12).
    pub fn type_code(self) -> Option<&'static str> {
        match self {
            DocKind::Quote => None,
            DocKind::Invoice => Some("380"),
            DocKind::Deposit => Some("386"),
            DocKind::CreditNote => Some("381"),
        }
    }
}

/// The stored state of a document; payment states are derived from payments (GEN-04).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocState {
    Draft,
    /// A quote sent to the customer (it has its number).
    Sent,
    Accepted,
    Refused,
    /// An invoice, deposit or credit note validated: numbered and frozen (INV-12, GEN-03).
    Issued,
}

impl DocState {
    pub fn code(self) -> &'static str {
        match self {
            DocState::Draft => "draft",
            DocState::Sent => "sent",
            DocState::Accepted => "accepted",
            DocState::Refused => "refused",
            DocState::Issued => "issued",
        }
    }
    pub fn parse(code: &str) -> Option<DocState> {
        [
            DocState::Draft,
            DocState::Sent,
            DocState::Accepted,
            DocState::Refused,
            DocState::Issued,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// The status shown to people, derived from the stored state, dates and payments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DisplayStatus {
    Draft,
    Sent,
    Accepted,
    Refused,
    Expired,
    Issued,
    PartlyPaid,
    Paid,
    /// Fully cancelled by credit notes.
    Cancelled,
}

impl DisplayStatus {
    pub const ALL: [DisplayStatus; 9] = [
        DisplayStatus::Draft,
        DisplayStatus::Sent,
        DisplayStatus::Accepted,
        DisplayStatus::Refused,
        DisplayStatus::Expired,
        DisplayStatus::Issued,
        DisplayStatus::PartlyPaid,
        DisplayStatus::Paid,
        DisplayStatus::Cancelled,
    ];
    pub fn code(self) -> &'static str {
        match self {
            DisplayStatus::Draft => "draft",
            DisplayStatus::Sent => "sent",
            DisplayStatus::Accepted => "accepted",
            DisplayStatus::Refused => "refused",
            DisplayStatus::Expired => "expired",
            DisplayStatus::Issued => "issued",
            DisplayStatus::PartlyPaid => "partly_paid",
            DisplayStatus::Paid => "paid",
            DisplayStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(code: &str) -> Option<DisplayStatus> {
        DisplayStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The figures a status is derived from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusInputs {
    pub kind: DocKind,
    pub state: DocState,
    pub valid_until: Option<Date>,
    pub total_cents: i64,
    pub paid_cents: i64,
    pub credited_cents: i64,
}

pub fn display_status(s: StatusInputs, today: Date) -> DisplayStatus {
    match (s.kind, s.state) {
        (_, DocState::Draft) => DisplayStatus::Draft,
        (DocKind::Quote, DocState::Sent) if s.valid_until.is_some_and(|v| v < today) => {
            DisplayStatus::Expired
        }
        (_, DocState::Sent) => DisplayStatus::Sent,
        (_, DocState::Accepted) => DisplayStatus::Accepted,
        (_, DocState::Refused) => DisplayStatus::Refused,
        (DocKind::CreditNote, DocState::Issued) => DisplayStatus::Issued,
        (_, DocState::Issued) => {
            let settled = s.paid_cents + s.credited_cents;
            if s.credited_cents >= s.total_cents && s.total_cents > 0 {
                DisplayStatus::Cancelled
            } else if settled >= s.total_cents {
                DisplayStatus::Paid
            } else if s.paid_cents > 0 {
                DisplayStatus::PartlyPaid
            } else {
                DisplayStatus::Issued
            }
        }
    }
}

/// One line as typed in a form or sent to the API.
#[derive(Clone, Debug, Default)]
pub struct LineInput {
    /// "item" (default) or "section".
    pub kind: String,
    pub label: String,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub vat: String,
    /// "10 %" for a percentage, "25,00" for an amount; empty for none.
    pub discount: String,
    pub goods: bool,
}

/// An invalid field of one line: `row` is 0-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub row: usize,
    pub field: &'static str,
    pub code: &'static str,
}

/// Parses a discount: "10 %" or "10%" is a percentage (0 < p ≤ 100), anything else an amount.
pub fn parse_discount(input: &str) -> Result<Option<Discount>, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.contains('%') {
        let p = parse_decimal(t, 4)?;
        if p <= Decimal::ZERO || p > Decimal::ONE_HUNDRED {
            return Err("discount_percent_range");
        }
        Ok(Some(Discount::Percent(p)))
    } else {
        let a = crate::money::Money::parse_eur(t)?;
        if a.cents() <= 0 {
            return Err("discount_positive");
        }
        Ok(Some(Discount::Amount(a.cents())))
    }
}

/// Parses the typed lines. Quantities are positive (negative amounts only through discounts,
/// credit notes and the generated deposit deductions); unit prices are not negative.
pub fn parse_lines(inputs: &[LineInput]) -> Result<Vec<Row>, Vec<LineError>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (row, l) in inputs.iter().enumerate() {
        let mut err = |field, code| errors.push(LineError { row, field, code });
        if l.kind == "section" {
            match required_text(&l.label, 200) {
                Ok(t) => rows.push(Row::Section(t)),
                Err(c) => err("label", c),
            }
            continue;
        }
        let label = required_text(&l.label, 300)
            .map_err(|c| err("label", c))
            .ok();
        let description = optional_text(&l.description, 2000)
            .map_err(|c| err("description", c))
            .ok()
            .flatten();
        let quantity = match parse_decimal(&l.quantity, 4) {
            Ok(q) if q > Decimal::ZERO => Some(q),
            Ok(_) => {
                err("quantity", "quantity_positive");
                None
            }
            Err(c) => {
                err("quantity", c);
                None
            }
        };
        let unit = unit::parse_unit(&l.unit).map_err(|c| err("unit", c)).ok();
        let unit_price = match parse_decimal(&l.unit_price, 4) {
            Ok(p) if p >= Decimal::ZERO => Some(p),
            Ok(_) => {
                err("unit_price", "price_negative");
                None
            }
            Err(c) => {
                err("unit_price", c);
                None
            }
        };
        let vat = if l.vat.trim().is_empty() {
            err("vat", "required");
            None
        } else {
            Some(l.vat.trim().to_owned())
        };
        let discount = parse_discount(&l.discount)
            .map_err(|c| err("discount", c))
            .ok();
        if let (
            Some(label),
            Some(quantity),
            Some(unit),
            Some(unit_price),
            Some(vat_code),
            Some(discount),
        ) = (label, quantity, unit, unit_price, vat, discount)
        {
            rows.push(Row::Item(ItemLine {
                label,
                description,
                quantity,
                unit: unit.code.to_owned(),
                unit_price,
                vat_code,
                discount,
                goods: l.goods,
                deduction: false,
            }));
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// How much a deposit invoice asks for (INV-31).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepositSpec {
    /// A percentage of the quote, e.g. 30.
    Percent(Decimal),
    /// An amount excluding VAT, in cents, split across the quote's VAT rates in proportion.
    Amount(i64),
}

/// The lines of a deposit invoice on an accepted quote: one line per VAT rate of the quote, so
/// the deposit carries the VAT of what it pays for (INV-32).
pub fn deposit_rows(
    quote: &Computed,
    quote_number: &str,
    spec: DepositSpec,
) -> Result<Vec<Row>, &'static str> {
    let bases: Vec<i64> = quote.vat.iter().map(|v| v.basis_cents).collect();
    let total: i64 = bases.iter().sum();
    let amounts: Vec<i64> = match spec {
        DepositSpec::Percent(p) => {
            if p <= Decimal::ZERO || p >= Decimal::ONE_HUNDRED {
                return Err("deposit_percent_range");
            }
            bases
                .iter()
                .map(|b| {
                    compute::round_cents(compute::cents_to_decimal(*b) * p / Decimal::ONE_HUNDRED)
                })
                .collect::<Result<_, _>>()
                .map_err(|_| "amount_range")?
        }
        DepositSpec::Amount(a) => {
            if a <= 0 || a >= total {
                return Err("deposit_amount_range");
            }
            compute::split_proportionally(a, &bases)
        }
    };
    let label = match spec {
        DepositSpec::Percent(p) => format!(
            "Acompte de {} sur le devis {quote_number}",
            percent_label(p)
        ),
        DepositSpec::Amount(_) => format!("Acompte sur le devis {quote_number}"),
    };
    let multi = quote.vat.len() > 1;
    Ok(quote
        .vat
        .iter()
        .zip(amounts)
        .filter(|(_, a)| *a != 0)
        .map(|(v, a)| {
            let goods = quote
                .lines
                .iter()
                .filter(|l| l.vat.code == v.vat.code)
                .all(|l| l.item.goods);
            Row::Item(ItemLine {
                label: if multi {
                    format!("{label} (TVA {})", v.vat.label)
                } else {
                    label.clone()
                },
                description: None,
                quantity: Decimal::ONE,
                unit: "C62".into(),
                unit_price: compute::cents_to_decimal(a),
                vat_code: v.vat.code.into(),
                discount: None,
                goods,
                deduction: false,
            })
        })
        .collect())
}

/// The deduction lines a final invoice carries for one issued deposit invoice (INV-31): minus
/// the deposit's base on each of its VAT rates, so the final invoice's VAT is what is left due.
pub fn deduction_rows(deposit: &Computed, deposit_number: &str, deposit_date: Date) -> Vec<Row> {
    deposit
        .vat
        .iter()
        .map(|v| {
            Row::Item(ItemLine {
                label: format!(
                    "Déduction de l'acompte {deposit_number} du {}",
                    terms::fr_date(deposit_date)
                ),
                description: None,
                quantity: Decimal::NEGATIVE_ONE,
                unit: "C62".into(),
                unit_price: compute::cents_to_decimal(v.basis_cents),
                vat_code: v.vat.code.into(),
                discount: None,
                goods: deposit
                    .lines
                    .iter()
                    .filter(|l| l.vat.code == v.vat.code)
                    .all(|l| l.item.goods),
                deduction: true,
            })
        })
        .collect()
}

/// Reasons a draft cannot be issued to this customer, as stable codes.
pub fn issue_problems(
    kind: DocKind,
    computed: &Computed,
    customer: &customer::CustomerDetails,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    for v in &computed.vat {
        match v.vat.category {
            vat::VatCategory::ReverseCharge | vat::VatCategory::IntraCommunity
                if !(customer.is_eu_business_abroad() && customer.vat_number.is_some()) =>
            {
                out.push("reverse_charge_needs_eu_business")
            }
            vat::VatCategory::Export
                if customer::EU_COUNTRIES.contains(&customer.address.country.as_str()) =>
            {
                out.push("export_needs_non_eu_customer")
            }
            _ => {}
        }
    }
    if kind != DocKind::CreditNote && computed.totals.grand_total_cents < 0 {
        out.push("total_negative");
    }
    if kind == DocKind::CreditNote && computed.totals.grand_total_cents <= 0 {
        out.push("credit_note_not_positive");
    }
    out.dedup();
    out
}

/// May someone without `invoice.validate` validate this invoice themselves? Only under the
/// per-person ceiling in HT the cooperative set (none = never).
pub fn may_self_validate(ceiling_cents: Option<i64>, tax_basis_cents: i64) -> bool {
    ceiling_cents.is_some_and(|c| tax_basis_cents.abs() <= c)
}

mod money_fmt {
    use rust_decimal::Decimal;
    /// "30 %", "12,5 %".
    pub fn percent_label(p: Decimal) -> String {
        format!("{}\u{a0}%", p.normalize().to_string().replace('.', ","))
    }
}
pub use money_fmt::percent_label as format_percent;

#[cfg(test)]
mod tests {
    use super::compute::{PriceBasis, compute};
    use super::*;
    use time::macros::date;

    const ON: Date = date!(2026 - 06 - 15);

    fn line(label: &str, qty: &str, price: &str, vat: &str, discount: &str) -> LineInput {
        LineInput {
            kind: "item".into(),
            label: label.into(),
            quantity: qty.into(),
            unit: "HUR".into(),
            unit_price: price.into(),
            vat: vat.into(),
            discount: discount.into(),
            ..LineInput::default()
        }
    }

    #[test]
    fn lines_are_parsed_with_errors_beside_each_field() {
        let inputs = vec![
            LineInput {
                kind: "section".into(),
                label: "Lot 1".into(),
                ..LineInput::default()
            },
            line("Conseil", "2,5", "80", "fr20", "10 %"),
            line("", "-1", "abc", "", "150 %"),
        ];
        let errors = parse_lines(&inputs).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.row, e.field, e.code)).collect();
        assert!(fields.contains(&(2, "label", "required")));
        assert!(fields.contains(&(2, "quantity", "quantity_positive")));
        assert!(fields.contains(&(2, "unit_price", "number_format")));
        assert!(fields.contains(&(2, "vat", "required")));
        assert!(fields.contains(&(2, "discount", "discount_percent_range")));
        let rows = parse_lines(&inputs[..2]).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(
            matches!(&rows[1], Row::Item(i) if i.discount == Some(Discount::Percent(Decimal::new(10, 0))))
        );
    }

    #[test]
    fn inv_31_a_deposit_then_the_final_invoice_adds_up_to_the_quote() {
        let rows = parse_lines(&[
            line("Conseil", "10", "100", "fr20", ""),
            line("Livre", "3", "20", "fr5_5", ""),
        ])
        .unwrap();
        let quote = compute(
            &rows,
            PriceBasis::Ht,
            Some(Discount::Percent(Decimal::new(10, 0))),
            ON,
        )
        .unwrap();
        let deposit_rows = deposit_rows(
            &quote,
            "D2026-00001",
            DepositSpec::Percent(Decimal::new(30, 0)),
        )
        .unwrap();
        let deposit = compute(&deposit_rows, PriceBasis::Ht, None, ON).unwrap();
        assert_eq!(deposit.totals.tax_basis_cents, 27_000 + 1_620);
        let mut final_rows = rows.clone();
        final_rows.extend(deduction_rows(&deposit, "F2026-00001", ON));
        let fin = compute(
            &final_rows,
            PriceBasis::Ht,
            Some(Discount::Percent(Decimal::new(10, 0))),
            ON,
        )
        .unwrap();
        // Deduction lines are not discounted again: deposit + final = quote, per rate and in total.
        assert_eq!(
            deposit.totals.grand_total_cents + fin.totals.grand_total_cents,
            quote.totals.grand_total_cents
        );
        for v in &quote.vat {
            let d = deposit
                .vat
                .iter()
                .find(|x| x.vat.code == v.vat.code)
                .unwrap();
            let f = fin.vat.iter().find(|x| x.vat.code == v.vat.code).unwrap();
            assert_eq!(d.basis_cents + f.basis_cents, v.basis_cents);
        }
    }

    #[test]
    fn deposits_are_bounded() {
        let rows = parse_lines(&[line("Conseil", "1", "100", "fr20", "")]).unwrap();
        let quote = compute(&rows, PriceBasis::Ht, None, ON).unwrap();
        assert_eq!(
            deposit_rows(&quote, "D1", DepositSpec::Percent(Decimal::ONE_HUNDRED)),
            Err("deposit_percent_range")
        );
        assert_eq!(
            deposit_rows(&quote, "D1", DepositSpec::Amount(10_000)),
            Err("deposit_amount_range")
        );
        assert!(deposit_rows(&quote, "D1", DepositSpec::Amount(3_000)).is_ok());
    }

    #[test]
    fn statuses_derive_from_state_dates_and_payments() {
        let base = StatusInputs {
            kind: DocKind::Invoice,
            state: DocState::Issued,
            valid_until: None,
            total_cents: 1000,
            paid_cents: 0,
            credited_cents: 0,
        };
        assert_eq!(display_status(base, ON), DisplayStatus::Issued);
        assert_eq!(
            display_status(
                StatusInputs {
                    paid_cents: 400,
                    ..base
                },
                ON
            ),
            DisplayStatus::PartlyPaid
        );
        assert_eq!(
            display_status(
                StatusInputs {
                    paid_cents: 1000,
                    ..base
                },
                ON
            ),
            DisplayStatus::Paid
        );
        assert_eq!(
            display_status(
                StatusInputs {
                    credited_cents: 1000,
                    ..base
                },
                ON
            ),
            DisplayStatus::Cancelled
        );
        let quote = StatusInputs {
            kind: DocKind::Quote,
            state: DocState::Sent,
            valid_until: Some(date!(2026 - 06 - 14)),
            ..base
        };
        assert_eq!(display_status(quote, ON), DisplayStatus::Expired);
        assert_eq!(
            display_status(
                StatusInputs {
                    valid_until: Some(ON),
                    ..quote
                },
                ON
            ),
            DisplayStatus::Sent
        );
    }

    #[test]
    fn self_validation_needs_a_ceiling_above_the_amount() {
        assert!(!may_self_validate(None, 1));
        assert!(may_self_validate(Some(100_000), 100_000));
        assert!(!may_self_validate(Some(100_000), 100_001));
    }
}
