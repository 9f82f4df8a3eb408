//! The Factur-X XML of an invoice, a deposit invoice or a credit note: UN/CEFACT CII D16B at the
//! EN 16931 profile (EIN-10, EIN-12), element order as in the Factur-X 1.0x XSD. Writes what the
//! domain computed; before writing, checks that the figures add up (BR-CO-10…16), so a wrong sum
//! is an error here rather than a rejection by the platform.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use rust_decimal::Decimal;
use time::Date;

use super::{Buyer, PostalAddress, SaleDocument, SaleKind, SaleLine, SaleRenderError, Seller};

/// The EN 16931 guideline (BT-24): the Factur-X EN 16931 profile.
const GUIDELINE_EN16931: &str = "urn:cen.eu:en16931:2017";

/// Note subject codes (UNTDID 4451) the French CTC rules read (BR-FR-05, BR-FR-20).
const NOTE_RECOVERY_INDEMNITY: &str = "PMT";
const NOTE_LATE_PENALTIES: &str = "PMD";
const NOTE_EARLY_PAYMENT_DISCOUNT: &str = "AAB";
const NOTE_TREATMENT: &str = "BAR";

/// UNTDID 5189 "Discount", the reason code of line and document allowances.
const ALLOWANCE_REASON_DISCOUNT: &str = "95";

/// `amount` with two decimals and a dot ("1234.50", "-12.00"), as EN 16931 and BR-FR-DEC-01 want.
pub(crate) fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A quantity, price or rate as the shortest decimal ("2", "0.5", "5.5", "-1").
pub(crate) fn decimal(value: Decimal) -> String {
    value.normalize().to_string()
}

/// A date in format 102 (`CCYYMMDD`).
fn date_102(date: Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Characters XML 1.0 cannot carry (controls other than tab, line feed and carriage return)
/// become spaces.
fn xml_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Returns the CII XML (UTF-8) of `doc`: EN 16931 profile, with the notes and identifiers the
/// French CTC rules require (SIREN with scheme 0002, SIRET with 0009, electronic addresses,
/// PMT/PMD/AAB notes, business process BT-23). Quotes and drafts (no number) have none.
pub fn cii_xml(doc: &SaleDocument) -> Result<String, SaleRenderError> {
    let Some(type_code) = doc.kind.type_code() else {
        return Err(SaleRenderError::QuoteHasNoInvoiceXml);
    };
    let number = match doc.number.as_deref() {
        Some(number) if !number.trim().is_empty() => number,
        _ => return Err(SaleRenderError::DraftHasNoInvoiceXml),
    };
    check_sums(doc)?;
    let mut x = Xml::new();
    x.write(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    x.open_with(
        "rsm:CrossIndustryInvoice",
        &[
            (
                "xmlns:rsm",
                "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
            ),
            (
                "xmlns:qdt",
                "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
            ),
            (
                "xmlns:ram",
                "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
            ),
            (
                "xmlns:udt",
                "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
            ),
        ],
    )?;

    x.open("rsm:ExchangedDocumentContext")?;
    if !doc.business_process.trim().is_empty() {
        x.open("ram:BusinessProcessSpecifiedDocumentContextParameter")?;
        x.leaf("ram:ID", &doc.business_process)?;
        x.close("ram:BusinessProcessSpecifiedDocumentContextParameter")?;
    }
    x.open("ram:GuidelineSpecifiedDocumentContextParameter")?;
    x.leaf("ram:ID", GUIDELINE_EN16931)?;
    x.close("ram:GuidelineSpecifiedDocumentContextParameter")?;
    x.close("rsm:ExchangedDocumentContext")?;

    x.open("rsm:ExchangedDocument")?;
    x.leaf("ram:ID", number)?;
    x.leaf("ram:TypeCode", type_code)?;
    x.open("ram:IssueDateTime")?;
    x.date("udt:DateTimeString", doc.issue_date)?;
    x.close("ram:IssueDateTime")?;
    for (content, subject) in notes(doc) {
        x.open("ram:IncludedNote")?;
        x.leaf("ram:Content", content)?;
        if let Some(subject) = subject {
            x.leaf("ram:SubjectCode", subject)?;
        }
        x.close("ram:IncludedNote")?;
    }
    x.close("rsm:ExchangedDocument")?;

    x.open("rsm:SupplyChainTradeTransaction")?;
    for line in &doc.lines {
        write_line(&mut x, line)?;
    }

    x.open("ram:ApplicableHeaderTradeAgreement")?;
    write_seller(&mut x, &doc.seller)?;
    write_buyer(&mut x, &doc.buyer)?;
    if let Some(order) = non_empty(&doc.buyer.purchase_order) {
        x.open("ram:BuyerOrderReferencedDocument")?;
        x.leaf("ram:IssuerAssignedID", order)?;
        x.close("ram:BuyerOrderReferencedDocument")?;
    }
    x.close("ram:ApplicableHeaderTradeAgreement")?;

    x.open("ram:ApplicableHeaderTradeDelivery")?;
    if let Some(address) = &doc.buyer.delivery_address {
        x.open("ram:ShipToTradeParty")?;
        x.leaf("ram:Name", &doc.buyer.name)?;
        write_address(&mut x, address)?;
        x.close("ram:ShipToTradeParty")?;
    }
    if let Some(delivered) = doc.delivery_date {
        x.open("ram:ActualDeliverySupplyChainEvent")?;
        x.open("ram:OccurrenceDateTime")?;
        x.date("udt:DateTimeString", delivered)?;
        x.close("ram:OccurrenceDateTime")?;
        x.close("ram:ActualDeliverySupplyChainEvent")?;
    }
    x.close("ram:ApplicableHeaderTradeDelivery")?;

    write_settlement(&mut x, doc, number)?;
    x.close("rsm:SupplyChainTradeTransaction")?;
    x.close("rsm:CrossIndustryInvoice")?;
    x.finish()
}

/// The notes (BG-1) and their subject codes: the French treatment (BAR), the three legal payment
/// mentions, then the special mentions (INV-08) and free notes, without subject code.
fn notes(doc: &SaleDocument) -> Vec<(&str, Option<&'static str>)> {
    let mut notes = vec![(treatment(&doc.buyer), Some(NOTE_TREATMENT))];
    if let Some(text) = non_empty(&doc.recovery_indemnity) {
        notes.push((text, Some(NOTE_RECOVERY_INDEMNITY)));
    }
    if !doc.late_penalties.trim().is_empty() {
        notes.push((doc.late_penalties.as_str(), Some(NOTE_LATE_PENALTIES)));
    }
    if !doc.early_payment_discount.trim().is_empty() {
        notes.push((
            doc.early_payment_discount.as_str(),
            Some(NOTE_EARLY_PAYMENT_DISCOUNT),
        ));
    }
    for mention in &doc.mentions {
        if !mention.trim().is_empty() {
            notes.push((mention.as_str(), None));
        }
    }
    if let Some(text) = non_empty(&doc.notes) {
        notes.push((text, None));
    }
    notes
}

/// The French "traitement" of the invoice (note BAR, BR-FR-20): B2B for a business customer in
/// France (in scope of e-invoicing, EIN-02), B2BINT for one abroad, B2C and B2CINT for
/// individuals (e-reporting, EIN-30).
fn treatment(buyer: &Buyer) -> &'static str {
    match (buyer.is_business, buyer.address.country.as_str()) {
        (true, "FR") => "B2B",
        (true, _) => "B2BINT",
        (false, "FR") => "B2C",
        (false, _) => "B2CINT",
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

fn write_line(x: &mut Xml, line: &SaleLine) -> Result<(), SaleRenderError> {
    x.open("ram:IncludedSupplyChainTradeLineItem")?;
    x.open("ram:AssociatedDocumentLineDocument")?;
    x.leaf("ram:LineID", &line.position.to_string())?;
    x.close("ram:AssociatedDocumentLineDocument")?;
    x.open("ram:SpecifiedTradeProduct")?;
    x.leaf("ram:Name", &line.label)?;
    if let Some(description) = non_empty(&line.description) {
        x.leaf("ram:Description", description)?;
    }
    x.close("ram:SpecifiedTradeProduct")?;
    x.open("ram:SpecifiedLineTradeAgreement")?;
    x.open("ram:NetPriceProductTradePrice")?;
    x.leaf("ram:ChargeAmount", &decimal(line.unit_price))?;
    if let Some(trade) = &line.trade {
        x.leaf_with(
            "ram:BasisQuantity",
            &[("unitCode", &trade.unit_code)],
            &decimal(trade.price_base),
        )?;
    }
    x.close("ram:NetPriceProductTradePrice")?;
    x.close("ram:SpecifiedLineTradeAgreement")?;
    x.open("ram:SpecifiedLineTradeDelivery")?;
    let (unit_code, quantity) = match &line.trade {
        Some(trade) => (&trade.unit_code, trade.quantity),
        None => (&line.unit_code, line.quantity),
    };
    x.leaf_with(
        "ram:BilledQuantity",
        &[("unitCode", unit_code)],
        &decimal(quantity),
    )?;
    x.close("ram:SpecifiedLineTradeDelivery")?;
    x.open("ram:SpecifiedLineTradeSettlement")?;
    x.open("ram:ApplicableTradeTax")?;
    x.leaf("ram:TypeCode", "VAT")?;
    x.leaf("ram:CategoryCode", &line.vat_category)?;
    x.leaf("ram:RateApplicablePercent", &decimal(line.vat_rate))?;
    x.close("ram:ApplicableTradeTax")?;
    if line.allowance_cents != 0 {
        x.open("ram:SpecifiedTradeAllowanceCharge")?;
        x.open("ram:ChargeIndicator")?;
        x.leaf("udt:Indicator", "false")?;
        x.close("ram:ChargeIndicator")?;
        if let Some(percent) = line.allowance_percent {
            x.leaf("ram:CalculationPercent", &decimal(percent))?;
            x.leaf("ram:BasisAmount", &amount(line.gross_cents))?;
        }
        x.leaf("ram:ActualAmount", &amount(line.allowance_cents))?;
        x.leaf("ram:ReasonCode", ALLOWANCE_REASON_DISCOUNT)?;
        x.leaf("ram:Reason", "Remise")?;
        x.close("ram:SpecifiedTradeAllowanceCharge")?;
    }
    x.open("ram:SpecifiedTradeSettlementLineMonetarySummation")?;
    x.leaf("ram:LineTotalAmount", &amount(line.net_cents))?;
    x.close("ram:SpecifiedTradeSettlementLineMonetarySummation")?;
    x.close("ram:SpecifiedLineTradeSettlement")?;
    x.close("ram:IncludedSupplyChainTradeLineItem")
}

fn write_seller(x: &mut Xml, seller: &Seller) -> Result<(), SaleRenderError> {
    x.open("ram:SellerTradeParty")?;
    if !seller.siret.trim().is_empty() {
        x.leaf_with("ram:GlobalID", &[("schemeID", "0009")], &seller.siret)?;
    }
    x.leaf("ram:Name", &seller.legal_name)?;
    // BT-33, the seller's additional legal information: form, capital, registration.
    let legal = [seller.legal_mention.trim(), seller.rcs.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" — ");
    if !legal.is_empty() {
        x.leaf("ram:Description", &legal)?;
    }
    x.open("ram:SpecifiedLegalOrganization")?;
    x.leaf_with("ram:ID", &[("schemeID", "0002")], &seller.siren)?;
    if let Some(trade_name) = non_empty(&seller.trade_name) {
        x.leaf("ram:TradingBusinessName", trade_name)?;
    }
    x.close("ram:SpecifiedLegalOrganization")?;
    let phone = non_empty(&seller.phone);
    let email = non_empty(&seller.email);
    if phone.is_some() || email.is_some() {
        x.open("ram:DefinedTradeContact")?;
        if let Some(phone) = phone {
            x.open("ram:TelephoneUniversalCommunication")?;
            x.leaf("ram:CompleteNumber", phone)?;
            x.close("ram:TelephoneUniversalCommunication")?;
        }
        if let Some(email) = email {
            x.open("ram:EmailURIUniversalCommunication")?;
            x.leaf("ram:URIID", email)?;
            x.close("ram:EmailURIUniversalCommunication")?;
        }
        x.close("ram:DefinedTradeContact")?;
    }
    write_address(x, &seller.address)?;
    write_endpoint(
        x,
        &seller.electronic_address,
        &seller.electronic_address_scheme,
    )?;
    if !seller.vat_number.trim().is_empty() {
        x.open("ram:SpecifiedTaxRegistration")?;
        x.leaf_with("ram:ID", &[("schemeID", "VA")], &seller.vat_number)?;
        x.close("ram:SpecifiedTaxRegistration")?;
    }
    x.close("ram:SellerTradeParty")
}

fn write_buyer(x: &mut Xml, buyer: &Buyer) -> Result<(), SaleRenderError> {
    x.open("ram:BuyerTradeParty")?;
    if let Some(siret) = non_empty(&buyer.siret) {
        x.leaf_with("ram:GlobalID", &[("schemeID", "0009")], siret)?;
    }
    x.leaf("ram:Name", &buyer.name)?;
    if let Some(siren) = non_empty(&buyer.siren) {
        x.open("ram:SpecifiedLegalOrganization")?;
        x.leaf_with("ram:ID", &[("schemeID", "0002")], siren)?;
        x.close("ram:SpecifiedLegalOrganization")?;
    }
    write_address(x, &buyer.address)?;
    if let (Some(address), Some(scheme)) = (
        non_empty(&buyer.electronic_address),
        non_empty(&buyer.electronic_address_scheme),
    ) {
        write_endpoint(x, address, scheme)?;
    }
    if let Some(vat) = non_empty(&buyer.vat_number) {
        x.open("ram:SpecifiedTaxRegistration")?;
        x.leaf_with("ram:ID", &[("schemeID", "VA")], vat)?;
        x.close("ram:SpecifiedTaxRegistration")?;
    }
    x.close("ram:BuyerTradeParty")
}

fn write_endpoint(x: &mut Xml, address: &str, scheme: &str) -> Result<(), SaleRenderError> {
    if address.trim().is_empty() {
        return Ok(());
    }
    x.open("ram:URIUniversalCommunication")?;
    x.leaf_with("ram:URIID", &[("schemeID", scheme)], address)?;
    x.close("ram:URIUniversalCommunication")
}

fn write_address(x: &mut Xml, address: &PostalAddress) -> Result<(), SaleRenderError> {
    x.open("ram:PostalTradeAddress")?;
    if !address.postcode.trim().is_empty() {
        x.leaf("ram:PostcodeCode", &address.postcode)?;
    }
    if !address.line1.trim().is_empty() {
        x.leaf("ram:LineOne", &address.line1)?;
    }
    if let Some(line2) = non_empty(&address.line2) {
        x.leaf("ram:LineTwo", line2)?;
    }
    if !address.city.trim().is_empty() {
        x.leaf("ram:CityName", &address.city)?;
    }
    x.leaf("ram:CountryID", &address.country)?;
    x.close("ram:PostalTradeAddress")
}

fn write_settlement(x: &mut Xml, doc: &SaleDocument, number: &str) -> Result<(), SaleRenderError> {
    let currency = doc.currency.as_str();
    x.open("ram:ApplicableHeaderTradeSettlement")?;
    if doc.totals.due_cents > 0 {
        // BT-83: the transfer's reference is the invoice number.
        x.leaf("ram:PaymentReference", number)?;
    }
    x.leaf("ram:InvoiceCurrencyCode", currency)?;
    // Payment means (BG-16): a SEPA transfer (58) to the cooperative's IBAN when it has one;
    // otherwise "not defined" (1), since a transfer code requires an account (BR-61). None on
    // a credit note, which is not paid to the seller.
    if doc.kind != SaleKind::CreditNote {
        x.open("ram:SpecifiedTradeSettlementPaymentMeans")?;
        match non_empty(&doc.seller.iban) {
            Some(iban) => {
                x.leaf("ram:TypeCode", "58")?;
                x.leaf("ram:Information", "Virement SEPA")?;
                x.open("ram:PayeePartyCreditorFinancialAccount")?;
                x.leaf("ram:IBANID", &iban.replace(' ', ""))?;
                x.close("ram:PayeePartyCreditorFinancialAccount")?;
                if let Some(bic) = non_empty(&doc.seller.bic) {
                    x.open("ram:PayeeSpecifiedCreditorFinancialInstitution")?;
                    x.leaf("ram:BICID", bic)?;
                    x.close("ram:PayeeSpecifiedCreditorFinancialInstitution")?;
                }
            }
            None => x.leaf("ram:TypeCode", "1")?,
        }
        x.close("ram:SpecifiedTradeSettlementPaymentMeans")?;
    }
    for vat in &doc.vat {
        x.open("ram:ApplicableTradeTax")?;
        x.leaf("ram:CalculatedAmount", &amount(vat.vat_cents))?;
        x.leaf("ram:TypeCode", "VAT")?;
        if let Some(reason) = non_empty(&vat.exemption_reason) {
            x.leaf("ram:ExemptionReason", reason)?;
        }
        x.leaf("ram:BasisAmount", &amount(vat.basis_cents))?;
        x.leaf("ram:CategoryCode", &vat.category)?;
        if let Some(code) = non_empty(&vat.exemption_code) {
            x.leaf("ram:ExemptionReasonCode", code)?;
        }
        x.leaf("ram:RateApplicablePercent", &decimal(vat.rate))?;
        x.close("ram:ApplicableTradeTax")?;
    }
    for allowance in &doc.allowances {
        x.open("ram:SpecifiedTradeAllowanceCharge")?;
        x.open("ram:ChargeIndicator")?;
        x.leaf("udt:Indicator", "false")?;
        x.close("ram:ChargeIndicator")?;
        if let Some(percent) = allowance.percent {
            x.leaf("ram:CalculationPercent", &decimal(percent))?;
            x.leaf("ram:BasisAmount", &amount(allowance.base_cents))?;
        }
        x.leaf("ram:ActualAmount", &amount(allowance.amount_cents))?;
        x.leaf("ram:ReasonCode", ALLOWANCE_REASON_DISCOUNT)?;
        x.leaf("ram:Reason", &allowance.reason)?;
        x.open("ram:CategoryTradeTax")?;
        x.leaf("ram:TypeCode", "VAT")?;
        x.leaf("ram:CategoryCode", &allowance.vat_category)?;
        x.leaf("ram:RateApplicablePercent", &decimal(allowance.vat_rate))?;
        x.close("ram:CategoryTradeTax")?;
        x.close("ram:SpecifiedTradeAllowanceCharge")?;
    }
    if !doc.payment_terms.trim().is_empty() || doc.due_date.is_some() {
        x.open("ram:SpecifiedTradePaymentTerms")?;
        if !doc.payment_terms.trim().is_empty() {
            x.leaf("ram:Description", &doc.payment_terms)?;
        }
        if let Some(due) = doc.due_date {
            x.open("ram:DueDateDateTime")?;
            x.date("udt:DateTimeString", due)?;
            x.close("ram:DueDateDateTime")?;
        }
        x.close("ram:SpecifiedTradePaymentTerms")?;
    }
    let t = &doc.totals;
    x.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation")?;
    x.leaf("ram:LineTotalAmount", &amount(t.line_total_cents))?;
    if t.allowance_total_cents != 0 || !doc.allowances.is_empty() {
        x.leaf("ram:AllowanceTotalAmount", &amount(t.allowance_total_cents))?;
    }
    x.leaf("ram:TaxBasisTotalAmount", &amount(t.tax_basis_cents))?;
    x.leaf_with(
        "ram:TaxTotalAmount",
        &[("currencyID", currency)],
        &amount(t.tax_total_cents),
    )?;
    x.leaf("ram:GrandTotalAmount", &amount(t.grand_total_cents))?;
    if t.prepaid_cents != 0 {
        x.leaf("ram:TotalPrepaidAmount", &amount(t.prepaid_cents))?;
    }
    x.leaf("ram:DuePayableAmount", &amount(t.due_cents))?;
    x.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation")?;
    for preceding in &doc.preceding {
        x.open("ram:InvoiceReferencedDocument")?;
        x.leaf("ram:IssuerAssignedID", &preceding.number)?;
        x.open("ram:FormattedIssueDateTime")?;
        x.date("qdt:DateTimeString", preceding.issue_date)?;
        x.close("ram:FormattedIssueDateTime")?;
        x.close("ram:InvoiceReferencedDocument")?;
    }
    x.close("ram:ApplicableHeaderTradeSettlement")
}

/// The EN 16931 equalities the domain promises (BR-CO-10, 11, 13, 14, 15, 16 and the line and
/// per-rate sums): a document that breaks one is refused rather than sent.
fn check_sums(doc: &SaleDocument) -> Result<(), SaleRenderError> {
    let fail = |what: String| Err(SaleRenderError::Inconsistent(what));
    for line in &doc.lines {
        if line.gross_cents - line.allowance_cents != line.net_cents {
            return fail(format!(
                "line {}: gross {} − allowance {} ≠ net {}",
                line.position,
                amount(line.gross_cents),
                amount(line.allowance_cents),
                amount(line.net_cents)
            ));
        }
    }
    let t = &doc.totals;
    let lines: i64 = doc.lines.iter().map(|l| l.net_cents).sum();
    let allowances: i64 = doc.allowances.iter().map(|a| a.amount_cents).sum();
    let vat: i64 = doc.vat.iter().map(|v| v.vat_cents).sum();
    let checks = [
        ("Σ line nets (BT-106)", lines, t.line_total_cents),
        ("Σ allowances (BT-107)", allowances, t.allowance_total_cents),
        (
            "BT-106 − BT-107 (BT-109)",
            t.line_total_cents - t.allowance_total_cents,
            t.tax_basis_cents,
        ),
        ("Σ VAT per rate (BT-110)", vat, t.tax_total_cents),
        (
            "BT-109 + BT-110 (BT-112)",
            t.tax_basis_cents + t.tax_total_cents,
            t.grand_total_cents,
        ),
        (
            "BT-112 − BT-113 (BT-115)",
            t.grand_total_cents - t.prepaid_cents,
            t.due_cents,
        ),
    ];
    for (what, computed, given) in checks {
        if computed != given {
            return fail(format!(
                "{what} = {} but the document says {}",
                amount(computed),
                amount(given)
            ));
        }
    }
    for v in &doc.vat {
        let same = |category: &str, rate: Decimal| category == v.category && rate == v.rate;
        let basis: i64 = doc
            .lines
            .iter()
            .filter(|l| same(&l.vat_category, l.vat_rate))
            .map(|l| l.net_cents)
            .sum::<i64>()
            - doc
                .allowances
                .iter()
                .filter(|a| same(&a.vat_category, a.vat_rate))
                .map(|a| a.amount_cents)
                .sum::<i64>();
        if basis != v.basis_cents {
            return fail(format!(
                "VAT {} {} %: Σ bases = {} but the breakdown says {}",
                v.category,
                decimal(v.rate),
                amount(basis),
                amount(v.basis_cents)
            ));
        }
    }
    Ok(())
}

/// A thin layer over quick-xml's writer: open, close, and text leaves, each text escaped.
struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    fn new() -> Self {
        Xml {
            writer: Writer::new_with_indent(Vec::new(), b' ', 2),
        }
    }

    fn write(&mut self, event: Event<'_>) -> Result<(), SaleRenderError> {
        self.writer
            .write_event(event)
            .map_err(|e| SaleRenderError::Xml(e.to_string()))
    }

    fn open(&mut self, name: &str) -> Result<(), SaleRenderError> {
        self.write(Event::Start(BytesStart::new(name)))
    }

    fn open_with(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
    ) -> Result<(), SaleRenderError> {
        self.write(Event::Start(
            BytesStart::new(name).with_attributes(attributes.iter().copied()),
        ))
    }

    fn close(&mut self, name: &str) -> Result<(), SaleRenderError> {
        self.write(Event::End(BytesEnd::new(name)))
    }

    fn leaf(&mut self, name: &str, text: &str) -> Result<(), SaleRenderError> {
        self.leaf_with(name, &[], text)
    }

    fn leaf_with(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
    ) -> Result<(), SaleRenderError> {
        let attributes: Vec<(&str, String)> =
            attributes.iter().map(|(k, v)| (*k, xml_text(v))).collect();
        self.write(Event::Start(
            BytesStart::new(name).with_attributes(attributes.iter().map(|(k, v)| (*k, v.as_str()))),
        ))?;
        self.write(Event::Text(BytesText::new(xml_text(text).trim())))?;
        self.close(name)
    }

    fn date(&mut self, name: &str, date: Date) -> Result<(), SaleRenderError> {
        self.leaf_with(name, &[("format", "102")], &date_102(date))
    }

    fn finish(self) -> Result<String, SaleRenderError> {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        String::from_utf8(bytes).map_err(|e| SaleRenderError::Xml(e.to_string()))
    }
}
