//! Reading an incoming e-invoice (issue 5, supplier invoices): the UN/CEFACT Cross Industry
//! Invoice (CII, EN 16931), bare or as the XML embedded in a Factur-X/ZUGFeRD PDF, read into the
//! values a supplier-invoice form is prefilled with.
//!
//! One streaming pass with quick-xml; namespaces are ignored (local names only). A DOCTYPE or an
//! entity declaration is refused before parsing, so entity expansion ("billion laughs") and
//! external entities cannot happen; an undeclared entity is refused too. Header amounts are
//! whole cents (EN 16931: two decimals at most); line prices and quantities stay as written.

use crate::bank::scan::parse_xml_amount;
use crate::xml::{XmlError, walk};
use time::Date;

/// A party of the invoice (the seller).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    /// `SpecifiedLegalOrganization/ID` and its scheme (`0002` SIREN, `0009` SIRET).
    pub legal_id: Option<(String, String)>,
    /// `SpecifiedTaxRegistration/ID` of scheme `VA`.
    pub vat_number: Option<String>,
}

/// One line of the invoice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub id: String,
    pub name: String,
    /// As written (`BilledQuantity`), with its unit code.
    pub quantity: String,
    pub unit: String,
    /// Net unit price as written (`NetPriceProductTradePrice/ChargeAmount`).
    pub net_price: String,
    /// VAT rate in percent as written.
    pub vat_rate: String,
    pub total_cents: i64,
}

/// One VAT rate of the breakdown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VatBreakdown {
    pub category: String,
    pub rate: String,
    pub basis_cents: i64,
    pub amount_cents: i64,
}

/// What an incoming invoice says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncomingInvoice {
    pub number: String,
    /// UNTDID 1001: 380 invoice, 381 credit note, 386 prepayment…
    pub type_code: String,
    pub issue_date: Option<Date>,
    pub due_date: Option<Date>,
    pub currency: String,
    pub seller: Party,
    pub buyer_name: String,
    /// BT-49: the buyer's electronic address and its scheme (`0225` in France: `SIREN`, or
    /// `SIREN_SUFFIX`, or `SIREN_SIRET_ROUTINGCODE`), which says where in the buyer it goes.
    pub buyer_address: Option<(String, String)>,
    /// BT-10: the buyer's reference (a service code, an order contact).
    pub buyer_reference: Option<String>,
    pub lines: Vec<Line>,
    pub vat: Vec<VatBreakdown>,
    pub line_total_cents: i64,
    pub tax_basis_cents: i64,
    pub tax_cents: i64,
    pub grand_total_cents: i64,
    pub due_cents: i64,
    /// BT-84: the IBAN the seller asks to be paid on, when given.
    pub payee_iban: Option<String>,
}

/// Why an incoming invoice cannot be read: a stable code for the form (`cii_*`), the line of the
/// file when known, and a detail for the log.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code} (line {line:?}): {detail}")]
pub struct CiiError {
    pub code: &'static str,
    pub line: Option<usize>,
    pub detail: String,
}

pub(crate) fn err(code: &'static str, line: Option<usize>, detail: impl Into<String>) -> CiiError {
    CiiError {
        code,
        line,
        detail: detail.into(),
    }
}

/// Whole cents of a signed decimal amount of at most two significant decimals (`229.6`,
/// `-12.30`): the bank readers' amount reader, with a sign.
pub(crate) fn cents(text: &str) -> Option<i64> {
    let t = text.trim();
    match t.strip_prefix('-') {
        Some(rest) => parse_xml_amount(rest).map(|c| -c),
        None => parse_xml_amount(t.strip_prefix('+').unwrap_or(t)),
    }
}

/// A `DateTimeString` of format 102 (`YYYYMMDD`).
fn date_102(text: &str) -> Option<Date> {
    let t = text.trim();
    if t.len() != 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = t[..4].parse().ok()?;
    let month: u8 = t[4..6].parse().ok()?;
    let day: u8 = t[6..].parse().ok()?;
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// Reads a CII invoice (`rsm:CrossIndustryInvoice`).
///
/// Errors: `cii_encoding` (not UTF-8), `cii_xml_doctype` (a DOCTYPE or ENTITY declaration),
/// `cii_xml_entity` (an undeclared entity), `cii_xml_malformed` (with the line), `cii_not_invoice`
/// (another document), `cii_amount` and `cii_date` (a value that cannot be read).
pub fn parse_cii(bytes: &[u8]) -> Result<IncomingInvoice, CiiError> {
    let mut inv = IncomingInvoice::default();
    let mut line = Line::default();
    let mut vat = VatBreakdown::default();
    let mut tax_totals: Vec<(Option<String>, i64)> = Vec::new();
    walk(
        bytes,
        &["CrossIndustryInvoice"],
        &["schemeID", "unitCode", "currencyID"],
        xml_error,
        |leaf| {
            let value = leaf.value.to_owned();
            let names = leaf.path;
            let attr = leaf.attr.map(str::to_owned);
            let here = || Some(leaf.line());
            let in_line = names.contains(&"IncludedSupplyChainTradeLineItem");
            let ends = |suffix: &[&str]| names.ends_with(suffix);
            let amount = |v: &str| cents(v).ok_or_else(|| err("cii_amount", here(), v.to_owned()));
            let date = |v: &str| date_102(v).ok_or_else(|| err("cii_date", here(), v.to_owned()));
            if in_line {
                if ends(&["AssociatedDocumentLineDocument", "LineID"]) {
                    line.id = value;
                } else if ends(&["SpecifiedTradeProduct", "Name"]) {
                    line.name = value;
                } else if ends(&["NetPriceProductTradePrice", "ChargeAmount"]) {
                    line.net_price = value;
                } else if ends(&["BilledQuantity"]) {
                    line.quantity = value;
                    line.unit = attr.unwrap_or_default();
                } else if ends(&[
                    "SpecifiedLineTradeSettlement",
                    "ApplicableTradeTax",
                    "RateApplicablePercent",
                ]) {
                    line.vat_rate = value;
                } else if ends(&[
                    "SpecifiedTradeSettlementLineMonetarySummation",
                    "LineTotalAmount",
                ]) {
                    line.total_cents = amount(&value)?;
                } else if ends(&["IncludedSupplyChainTradeLineItem"]) {
                    inv.lines.push(std::mem::take(&mut line));
                }
            } else if ends(&["ExchangedDocument", "ID"]) {
                inv.number = value;
            } else if ends(&["ExchangedDocument", "TypeCode"]) {
                inv.type_code = value;
            } else if ends(&["ExchangedDocument", "IssueDateTime", "DateTimeString"]) {
                inv.issue_date = Some(date(&value)?);
            } else if ends(&["SellerTradeParty", "Name"]) {
                inv.seller.name = value;
            } else if ends(&["SellerTradeParty", "SpecifiedLegalOrganization", "ID"]) {
                inv.seller.legal_id = Some((value, attr.unwrap_or_default()));
            } else if ends(&["SellerTradeParty", "SpecifiedTaxRegistration", "ID"]) {
                if attr.as_deref() == Some("VA") {
                    inv.seller.vat_number = Some(value);
                }
            } else if ends(&["PayeePartyCreditorFinancialAccount", "IBANID"]) {
                // BT-84: the account to pay; the first one given is kept.
                if inv.payee_iban.is_none() {
                    inv.payee_iban = Some(value);
                }
            } else if ends(&["BuyerTradeParty", "Name"]) {
                inv.buyer_name = value;
            } else if ends(&["BuyerTradeParty", "URIUniversalCommunication", "URIID"]) {
                inv.buyer_address = Some((value, attr.unwrap_or_default()));
            } else if ends(&["ApplicableHeaderTradeAgreement", "BuyerReference"]) {
                inv.buyer_reference = Some(value);
            } else if ends(&["ApplicableHeaderTradeSettlement", "InvoiceCurrencyCode"]) {
                inv.currency = value;
            } else if ends(&[
                "ApplicableHeaderTradeSettlement",
                "ApplicableTradeTax",
                "CalculatedAmount",
            ]) {
                vat.amount_cents = amount(&value)?;
            } else if ends(&[
                "ApplicableHeaderTradeSettlement",
                "ApplicableTradeTax",
                "BasisAmount",
            ]) {
                vat.basis_cents = amount(&value)?;
            } else if ends(&[
                "ApplicableHeaderTradeSettlement",
                "ApplicableTradeTax",
                "CategoryCode",
            ]) {
                vat.category = value;
            } else if ends(&[
                "ApplicableHeaderTradeSettlement",
                "ApplicableTradeTax",
                "RateApplicablePercent",
            ]) {
                vat.rate = value;
            } else if ends(&["ApplicableHeaderTradeSettlement", "ApplicableTradeTax"]) {
                inv.vat.push(std::mem::take(&mut vat));
            } else if ends(&[
                "SpecifiedTradePaymentTerms",
                "DueDateDateTime",
                "DateTimeString",
            ]) {
                inv.due_date = inv.due_date.or(Some(date(&value)?));
            } else if names.contains(&"SpecifiedTradeSettlementHeaderMonetarySummation") {
                match names.last().copied() {
                    Some("LineTotalAmount") => inv.line_total_cents = amount(&value)?,
                    Some("TaxBasisTotalAmount") => inv.tax_basis_cents = amount(&value)?,
                    Some("TaxTotalAmount") => tax_totals.push((attr, amount(&value)?)),
                    Some("GrandTotalAmount") => inv.grand_total_cents = amount(&value)?,
                    Some("DuePayableAmount") => inv.due_cents = amount(&value)?,
                    _ => {}
                }
            }
            Ok(())
        },
    )?;
    inv.tax_cents = tax_in_currency(&tax_totals, &inv.currency);
    Ok(inv)
}

/// An incoming invoice's XML problem under the readers' codes (`cii_*`, shared by CII and UBL).
pub(crate) fn xml_error(e: XmlError) -> CiiError {
    match e {
        XmlError::Encoding { line } => err("cii_encoding", Some(line), "not UTF-8"),
        XmlError::Declaration { line, detail } => err("cii_xml_doctype", Some(line), detail),
        XmlError::Entity { line, name } => err("cii_xml_entity", Some(line), format!("&{name};")),
        XmlError::Malformed { line, detail } => err("cii_xml_malformed", Some(line), detail),
        XmlError::Root { line, found } => err(
            "cii_not_invoice",
            line,
            found.map_or("empty document".to_owned(), |f| format!("root element {f}")),
        ),
    }
}

/// The VAT total in the invoice's currency (BT-110), not the one in the accounting currency;
/// the first one given otherwise.
pub(crate) fn tax_in_currency(totals: &[(Option<String>, i64)], currency: &str) -> i64 {
    totals
        .iter()
        .find(|(c, _)| c.as_deref() == Some(currency))
        .or(totals.first())
        .map_or(0, |(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use time::macros::date;

    fn examples() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/tools/vendor/en16931-examples/cii")
    }

    #[test]
    fn the_official_cii_examples_are_read_and_their_totals_add_up() {
        let Ok(dir) = std::fs::read_dir(examples()) else {
            // The examples live in ../shared beside the repository, as CI has it.
            assert!(
                std::env::var_os("CI").is_none(),
                "no EN 16931 examples in ../shared"
            );
            eprintln!("no EN 16931 examples beside the repository: skipped");
            return;
        };
        let mut read = 0;
        for entry in dir.flatten() {
            let bytes = std::fs::read(entry.path()).unwrap_or_default();
            let inv = parse_cii(&bytes);
            assert!(inv.is_ok(), "{}: {inv:?}", entry.path().display());
            let inv = inv.unwrap_or_default();
            assert!(
                !inv.number.is_empty() && !inv.lines.is_empty(),
                "{}",
                entry.path().display()
            );
            // BR-CO-15: grand total = tax basis + VAT.
            assert_eq!(
                inv.grand_total_cents,
                inv.tax_basis_cents + inv.tax_cents,
                "{}",
                entry.path().display()
            );
            read += 1;
        }
        assert!(read >= 15);
    }

    #[test]
    fn an_invoice_gives_its_supplier_number_dates_lines_vat_and_totals() {
        let Ok(bytes) = std::fs::read(examples().join("CII_example1.xml")) else {
            return;
        };
        let inv = parse_cii(&bytes).unwrap_or_default();
        assert_eq!(inv.number, "12115118");
        assert_eq!(inv.type_code, "380");
        assert_eq!(inv.issue_date, Some(date!(2015 - 01 - 09)));
        assert_eq!(inv.due_date, Some(date!(2015 - 01 - 09)));
        assert_eq!(inv.seller.name, "De Koksmaat");
        assert_eq!(inv.seller.vat_number.as_deref(), Some("NL8200.98.395.B.01"));
        assert_eq!(inv.buyer_name, "ODIN 59");
        assert_eq!(inv.currency, "EUR");
        assert_eq!(inv.vat.len(), 2);
        assert_eq!(
            (
                inv.vat[0].rate.as_str(),
                inv.vat[0].basis_cents,
                inv.vat[0].amount_cents
            ),
            ("6", 18_323, 1_099)
        );
        assert_eq!(
            (inv.line_total_cents, inv.tax_cents, inv.grand_total_cents),
            (22_960, 2_073, 25_033)
        );
        assert_eq!(inv.lines[0].name, "PATAT FRITES 10MM 10KG");
    }

    const MINIMAL: &str = r#"<?xml version="1.0"?><rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="r"><rsm:ExchangedDocument><ram:ID>F&amp;1</ram:ID></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>"#;

    #[test]
    fn hostile_or_broken_xml_gets_a_clear_error() {
        assert_eq!(
            parse_cii(MINIMAL.as_bytes()).map(|i| i.number),
            Ok("F&1".to_owned())
        );
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><rsm:CrossIndustryInvoice xmlns:rsm="x"><a>&lol2;</a></rsm:CrossIndustryInvoice>"#;
        assert_eq!(
            parse_cii(laughs.as_bytes()).map_err(|e| e.code),
            Err("cii_xml_doctype")
        );
        let undeclared = MINIMAL.replace("F&amp;1", "&xxe;");
        assert_eq!(
            parse_cii(undeclared.as_bytes()).map_err(|e| e.code),
            Err("cii_xml_entity")
        );
        let truncated = &MINIMAL[..MINIMAL.len() - 30];
        let e = parse_cii(truncated.as_bytes()).err();
        assert_eq!(e.as_ref().map(|e| e.code), Some("cii_xml_malformed"));
        let other = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>"#;
        assert_eq!(
            parse_cii(other.as_bytes()).map_err(|e| e.code),
            Err("cii_not_invoice")
        );
        assert_eq!(
            parse_cii(b"\xff\xfe").map_err(|e| e.code),
            Err("cii_encoding")
        );
        let bad_amount = MINIMAL.replace(
            "</rsm:ExchangedDocument>",
            "</rsm:ExchangedDocument><a><ram:ApplicableHeaderTradeSettlement><ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:GrandTotalAmount>12.345</ram:GrandTotalAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation></ram:ApplicableHeaderTradeSettlement></a>",
        );
        assert_eq!(
            parse_cii(bad_amount.as_bytes()).map_err(|e| e.code),
            Err("cii_amount")
        );
    }

    #[test]
    fn amounts_are_whole_cents_of_at_most_two_decimals() {
        assert_eq!(cents("229.6"), Some(22_960));
        assert_eq!(cents("-12.30"), Some(-1_230));
        assert_eq!(cents("7"), Some(700));
        assert_eq!(cents("1.234"), None);
        assert_eq!(cents("1e3"), None);
        assert_eq!(cents("-"), None);
    }
}
