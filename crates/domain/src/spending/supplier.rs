//! Supplier invoices (issue 5): what an activity buys, entered by hand or prefilled from the
//! supplier's e-invoice, checked before it is recorded and paid.

use crate::identifiers::{Iban, Siren, VatNumber, parse_bic};
use crate::money::Money;
use crate::validation::{FieldErrors, optional_text, required_text};
use time::Date;

/// A supplier invoice as typed (or as prefilled from an e-invoice, then reviewed).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct SupplierInvoiceInput {
    pub supplier_name: String,
    pub supplier_siren: String,
    pub supplier_vat_number: String,
    /// Where to pay the supplier (BT-84 when prefilled); checked when given.
    pub supplier_iban: String,
    pub supplier_bic: String,
    pub number: String,
    pub issue_date: String,
    pub due_date: String,
    /// Total without VAT.
    pub net: String,
    pub vat: String,
    /// Total with VAT: what is owed.
    pub total: String,
    pub activity: String,
    /// The expense category, which names the charge account (EXP-05).
    pub category: String,
    pub description: String,
}

/// A valid supplier invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupplierInvoice {
    pub supplier_name: String,
    pub supplier_siren: Option<Siren>,
    pub supplier_vat_number: Option<VatNumber>,
    pub supplier_iban: Option<Iban>,
    pub supplier_bic: Option<String>,
    pub number: String,
    pub issue_date: Date,
    pub due_date: Option<Date>,
    pub net: Money,
    pub vat: Money,
    pub total: Money,
    pub activity: crate::ids::ActivityId,
    pub category: String,
    pub description: Option<String>,
}

impl SupplierInvoiceInput {
    /// Each invalid field is reported: required supplier, number and issue date; a SIREN and a
    /// VAT number checked when given; the due date not before the issue date; the total equal to
    /// the amount without VAT plus the VAT (BR-CO-15), to the cent.
    pub fn parse(&self) -> Result<SupplierInvoice, FieldErrors> {
        use crate::person::{parse_date, parse_optional_date};
        let mut e = FieldErrors::new();
        let supplier_name = e.check("supplier_name", required_text(&self.supplier_name, 200));
        let siren = match self.supplier_siren.trim() {
            "" => Some(None),
            s => e.check("supplier_siren", Siren::parse(s)).map(Some),
        };
        let vat_number = match self.supplier_vat_number.trim() {
            "" => Some(None),
            v => e
                .check("supplier_vat_number", VatNumber::parse(v))
                .map(Some),
        };
        let iban = match self.supplier_iban.trim() {
            "" => Some(None),
            v => e.check("supplier_iban", Iban::parse(v)).map(Some),
        };
        let bic = match self.supplier_bic.trim() {
            "" => Some(None),
            v => e.check("supplier_bic", parse_bic(v)).map(Some),
        };
        let number = e.check("number", required_text(&self.number, 60));
        let issue = e.check("issue_date", parse_date(&self.issue_date));
        let due = e.check("due_date", parse_optional_date(&self.due_date));
        if let (Some(i), Some(Some(d))) = (issue, due)
            && d < i
        {
            e.add("due_date", "due_before_issue");
        }
        let money = |e: &mut FieldErrors, field: &'static str, text: &str| {
            e.check(field, Money::parse_eur(text))
        };
        let net = money(&mut e, "net", &self.net);
        let vat = if self.vat.trim().is_empty() {
            Some(Money::eur(0))
        } else {
            money(&mut e, "vat", &self.vat)
        };
        let total = money(&mut e, "total", &self.total);
        if let (Some(n), Some(v), Some(t)) = (net, vat, total)
            && n.cents() + v.cents() != t.cents()
        {
            e.add("total", "total_mismatch");
        }
        let activity = e.check(
            "activity",
            self.activity
                .trim()
                .parse::<i64>()
                .map(crate::ids::ActivityId::new)
                .map_err(|_| "required"),
        );
        let category = e.check("category", required_text(&self.category, 40));
        let description = e.check("description", optional_text(&self.description, 300));
        let (Some(supplier_iban), Some(supplier_bic), Some(category)) = (iban, bic, category)
        else {
            return Err(e);
        };
        match (
            supplier_name,
            siren,
            vat_number,
            number,
            issue,
            due,
            net,
            vat,
            total,
            activity,
            description,
        ) {
            (
                Some(supplier_name),
                Some(supplier_siren),
                Some(supplier_vat_number),
                Some(number),
                Some(issue_date),
                Some(due_date),
                Some(net),
                Some(vat),
                Some(total),
                Some(activity),
                Some(description),
            ) if e.is_empty() => Ok(SupplierInvoice {
                supplier_name,
                supplier_siren,
                supplier_vat_number,
                supplier_iban,
                supplier_bic,
                number,
                issue_date,
                due_date,
                net,
                vat,
                total,
                activity,
                category,
                description,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> SupplierInvoiceInput {
        SupplierInvoiceInput {
            supplier_name: "Papeterie Lumière".into(),
            supplier_siren: "732 829 320".into(),
            supplier_vat_number: "FR44732829320".into(),
            supplier_iban: "FR76 3000 6000 0112 3456 7890 189".into(),
            supplier_bic: String::new(),
            number: "F-2026-118".into(),
            issue_date: "2026-03-02".into(),
            due_date: "2026-04-01".into(),
            net: "100,00".into(),
            vat: "20,00".into(),
            total: "120,00".into(),
            activity: "3".into(),
            category: "supplies".into(),
            description: String::new(),
        }
    }

    #[test]
    fn a_supplier_invoice_is_read_with_its_totals_checked() {
        let inv = input().parse();
        assert_eq!(inv.as_ref().map(|i| i.total.cents()).ok(), Some(12_000));
        assert_eq!(
            inv.as_ref().map(|i| i.issue_date).ok(),
            Some(date!(2026 - 03 - 02))
        );
        assert_eq!(inv.map(|i| i.description).ok(), Some(None));
    }

    #[test]
    fn each_invalid_field_is_reported() {
        let bad = SupplierInvoiceInput {
            supplier_siren: "123".into(),
            due_date: "2026-03-01".into(),
            total: "121,00".into(),
            number: String::new(),
            supplier_iban: "FR76 3000 6000 0112 3456 7890 188".into(),
            ..input()
        };
        let fields: Vec<(String, &str)> = bad
            .parse()
            .err()
            .map(|e| e.0.iter().map(|f| (f.path(), f.code)).collect())
            .unwrap_or_default();
        let names: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            names,
            [
                "supplier_siren",
                "supplier_iban",
                "number",
                "due_date",
                "total"
            ]
        );
        assert!(fields.contains(&("total".to_owned(), "total_mismatch")));
        assert!(fields.contains(&("due_date".to_owned(), "due_before_issue")));
    }
}
