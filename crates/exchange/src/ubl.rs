//! Reading an incoming e-invoice in UBL 2.1 (EIN-10: one of the three syntaxes a platform hands
//! over), an `Invoice` or a `CreditNote`, into the same values as a CII invoice, with the same
//! hardened reader (no DOCTYPE, no entity but XML's own, namespaces ignored).

use crate::cii::{
    CiiError, IncomingInvoice, Line, VatBreakdown, cents, err, tax_in_currency, xml_error,
};
use crate::xml::walk;
use time::Date;

/// A UBL date, `YYYY-MM-DD`.
fn date_iso(t: &str) -> Option<Date> {
    let b = t.as_bytes();
    if t.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Date::from_calendar_date(
        t[..4].parse().ok()?,
        time::Month::try_from(t[5..7].parse::<u8>().ok()?).ok()?,
        t[8..].parse().ok()?,
    )
    .ok()
}

/// Reads a UBL 2.1 invoice or credit note.
///
/// Errors, with the codes of the CII reader (`cii_*`): encoding, declarations, entities,
/// malformed XML (with the line), `cii_not_invoice` (another root), `cii_amount`, `cii_date`.
pub fn parse_ubl(bytes: &[u8]) -> Result<IncomingInvoice, CiiError> {
    let mut inv = IncomingInvoice::default();
    let mut line = Line::default();
    let mut vat = VatBreakdown::default();
    let mut tax_totals: Vec<(Option<String>, i64)> = Vec::new();
    walk(
        bytes,
        &["Invoice", "CreditNote"],
        &["schemeID", "unitCode", "currencyID"],
        xml_error,
        |leaf| {
            let v = leaf.value;
            let here = || Some(leaf.line());
            let amount = |v: &str| cents(v).ok_or_else(|| err("cii_amount", here(), v.to_owned()));
            let date = |v: &str| date_iso(v).ok_or_else(|| err("cii_date", here(), v.to_owned()));
            let path = leaf.path;
            let in_line = leaf.within("InvoiceLine") || leaf.within("CreditNoteLine");
            if in_line {
                if path.len() == 3 && leaf.ends(&["ID"]) {
                    line.id = v.to_owned();
                } else if leaf.ends(&["Item", "Name"]) {
                    line.name = v.to_owned();
                } else if leaf.ends(&["InvoicedQuantity"]) || leaf.ends(&["CreditedQuantity"]) {
                    line.quantity = v.to_owned();
                    line.unit = leaf.attr.unwrap_or_default().to_owned();
                } else if leaf.ends(&["Price", "PriceAmount"]) {
                    line.net_price = v.to_owned();
                } else if leaf.ends(&["ClassifiedTaxCategory", "Percent"]) {
                    line.vat_rate = v.to_owned();
                } else if path.len() == 3 && leaf.ends(&["LineExtensionAmount"]) {
                    line.total_cents = amount(v)?;
                } else if path.len() == 2 {
                    inv.lines.push(std::mem::take(&mut line));
                }
                return Ok(());
            }
            match path {
                [_, "ID"] => inv.number = v.to_owned(),
                [_, "InvoiceTypeCode" | "CreditNoteTypeCode"] => inv.type_code = v.to_owned(),
                [_, "IssueDate"] => inv.issue_date = Some(date(v)?),
                [_, "DueDate"] => inv.due_date = Some(date(v)?),
                [_, "PaymentMeans", "PaymentDueDate"] => {
                    inv.due_date = inv.due_date.or(Some(date(v)?));
                }
                [_, "DocumentCurrencyCode"] => inv.currency = v.to_owned(),
                [_, "AccountingSupplierParty", "Party", "PartyName", "Name"] => {
                    inv.seller.name = v.to_owned();
                }
                [
                    _,
                    "AccountingSupplierParty",
                    "Party",
                    "PartyLegalEntity",
                    "RegistrationName",
                ] if inv.seller.name.is_empty() => {
                    inv.seller.name = v.to_owned();
                }
                [
                    _,
                    "AccountingSupplierParty",
                    "Party",
                    "PartyLegalEntity",
                    "CompanyID",
                ] => {
                    inv.seller.legal_id =
                        Some((v.to_owned(), leaf.attr.unwrap_or_default().to_owned()));
                }
                [
                    _,
                    "AccountingSupplierParty",
                    "Party",
                    "PartyTaxScheme",
                    "CompanyID",
                ] => {
                    inv.seller.vat_number = inv.seller.vat_number.take().or(Some(v.to_owned()));
                }
                [_, "AccountingCustomerParty", "Party", "PartyName", "Name"] => {
                    inv.buyer_name = v.to_owned();
                }
                [_, "AccountingCustomerParty", "Party", "EndpointID"] => {
                    inv.buyer_address =
                        Some((v.to_owned(), leaf.attr.unwrap_or_default().to_owned()));
                }
                [_, "BuyerReference"] => {
                    inv.buyer_reference = Some(v.to_owned());
                }
                [
                    _,
                    "AccountingCustomerParty",
                    "Party",
                    "PartyLegalEntity",
                    "RegistrationName",
                ] if inv.buyer_name.is_empty() => {
                    inv.buyer_name = v.to_owned();
                }
                [_, "PaymentMeans", "PayeeFinancialAccount", "ID"] => {
                    inv.payee_iban = inv.payee_iban.take().or(Some(v.to_owned()));
                }
                [_, "TaxTotal", "TaxAmount"] => {
                    tax_totals.push((leaf.attr.map(str::to_owned), amount(v)?));
                }
                [_, "TaxTotal", "TaxSubtotal", "TaxableAmount"] => vat.basis_cents = amount(v)?,
                [_, "TaxTotal", "TaxSubtotal", "TaxAmount"] => vat.amount_cents = amount(v)?,
                [_, "TaxTotal", "TaxSubtotal", "TaxCategory", "ID"] => vat.category = v.to_owned(),
                [_, "TaxTotal", "TaxSubtotal", "TaxCategory", "Percent"] => vat.rate = v.to_owned(),
                [_, "TaxTotal", "TaxSubtotal"] => inv.vat.push(std::mem::take(&mut vat)),
                [_, "LegalMonetaryTotal", "LineExtensionAmount"] => {
                    inv.line_total_cents = amount(v)?;
                }
                [_, "LegalMonetaryTotal", "TaxExclusiveAmount"] => {
                    inv.tax_basis_cents = amount(v)?;
                }
                [_, "LegalMonetaryTotal", "TaxInclusiveAmount"] => {
                    inv.grand_total_cents = amount(v)?;
                }
                [_, "LegalMonetaryTotal", "PayableAmount"] => inv.due_cents = amount(v)?,
                _ => {}
            }
            Ok(())
        },
    )?;
    inv.tax_cents = tax_in_currency(&tax_totals, &inv.currency);
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn examples() -> Vec<(String, Vec<u8>)> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/tools/vendor/en16931-examples/ubl");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut out: Vec<(String, Vec<u8>)> = entries
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap_or_default(),
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn ein_10_the_official_ubl_examples_are_read_and_add_up() {
        let all = examples();
        if all.is_empty() && std::env::var("CI").is_ok() {
            panic!("../shared/tools/vendor/en16931-examples/ubl is missing");
        }
        for (name, bytes) in &all {
            let inv = parse_ubl(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!inv.number.is_empty(), "{name}");
            assert!(inv.issue_date.is_some(), "{name}");
            assert!(!inv.seller.name.is_empty(), "{name}");
            assert!(!inv.lines.is_empty(), "{name}");
            // BR-CO-10: the lines add up to the line total; BR-CO-15: basis + VAT = total.
            let lines: i64 = inv.lines.iter().map(|l| l.total_cents).sum();
            assert_eq!(lines, inv.line_total_cents, "{name}");
            assert_eq!(
                inv.tax_basis_cents + inv.tax_cents,
                inv.grand_total_cents,
                "{name}"
            );
            let vat: i64 = inv.vat.iter().map(|v| v.amount_cents).sum();
            assert_eq!(vat, inv.tax_cents, "{name}");
        }
        if let Some((_, credit)) = all.iter().find(|(n, _)| n.contains("creditnote")) {
            assert_eq!(parse_ubl(credit).unwrap().type_code, "381");
        }
        // BT-49 and BT-10: where in the buyer the invoice goes (EIN-40's routing).
        if let Some((_, five)) = all.iter().find(|(n, _)| n.ends_with("example5.xml")) {
            let inv = parse_ubl(five).unwrap();
            assert_eq!(
                inv.buyer_address,
                Some(("info@buyercompany.dk".into(), "EM".into()))
            );
            assert_eq!(inv.buyer_reference.as_deref(), Some("qwerty"));
        }
    }

    #[test]
    fn hostile_or_foreign_ubl_gets_a_clear_error() {
        let minimal = r#"<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="c"><cbc:ID>F&amp;1</cbc:ID><cbc:IssueDate>2026-10-01</cbc:IssueDate></Invoice>"#;
        let inv = parse_ubl(minimal.as_bytes()).unwrap();
        assert_eq!(inv.number, "F&1");
        let code = |s: &str| parse_ubl(s.as_bytes()).unwrap_err().code;
        assert_eq!(code(&minimal.replace("F&amp;1", "&xxe;")), "cii_xml_entity");
        assert_eq!(
            code(&minimal.replace(
                "<?xml version=\"1.0\"?>",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]>"
            )),
            "cii_xml_doctype"
        );
        assert_eq!(
            code(&minimal.replace("2026-10-01", "01/10/2026")),
            "cii_date"
        );
        assert_eq!(code("<Order/>"), "cii_not_invoice");
        assert_eq!(code("<Invoice><cbc:ID>1</Invoice>"), "cii_xml_malformed");
    }
}
