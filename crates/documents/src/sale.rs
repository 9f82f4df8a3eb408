//! Sale documents (quotes, invoices, deposit invoices, credit notes) as bytes: the Factur-X CII
//! XML at the EN 16931 profile (EIN-10, EIN-12) and the PDF (PDF/A-3 with `factur-x.xml` embedded
//! for invoices and credit notes), rendered with Typst. Everything here is already computed by the
//! domain (amounts, VAT breakdown, mentions): this module only writes it out.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

mod cii;
pub mod samples;
mod view;
mod xmp;

pub use cii::cii_xml;

// Dates serialise as `YYYY-MM-DD` (the default form of `time` is `[year, ordinal]`).
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// Which document this is. Invoice type codes follow UNTDID 1001 (EIN-12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SaleKind {
    /// A quote (INV-30): PDF only, no Factur-X.
    Quote,
    /// A commercial invoice, type code 380 (a final invoice deducting deposits is one too).
    Invoice,
    /// A deposit invoice (INV-31), type code 386.
    Deposit,
    /// A credit note (INV-33), type code 381.
    CreditNote,
}

impl SaleKind {
    pub fn type_code(self) -> Option<&'static str> {
        match self {
            SaleKind::Quote => None,
            SaleKind::Invoice => Some("380"),
            SaleKind::Deposit => Some("386"),
            SaleKind::CreditNote => Some("381"),
        }
    }
}

/// A postal address; `country` is ISO 3166-1 alpha-2.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PostalAddress {
    pub line1: String,
    pub line2: Option<String>,
    pub postcode: String,
    pub city: String,
    pub country: String,
}

/// The seller: the cooperative, under which the activity sells (INV-01).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Seller {
    /// The cooperative's legal name.
    pub legal_name: String,
    /// The activity's trade name, printed with the legal identity (BT-28).
    pub trade_name: Option<String>,
    /// "SCOP SARL à capital variable" and the like, with the capital, printed as is.
    pub legal_mention: String,
    pub siren: String,
    pub siret: String,
    /// The French VAT number (BT-31).
    pub vat_number: String,
    /// "RCS Lyon".
    pub rcs: String,
    pub address: PostalAddress,
    /// Electronic address (BT-34) and its scheme (EAS code, e.g. "0225" for a SIREN).
    pub electronic_address: String,
    pub electronic_address_scheme: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// IBAN and BIC for payment by transfer (BG-17), when the cooperative has them.
    pub iban: Option<String>,
    pub bic: Option<String>,
}

/// The customer (INV-02).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Buyer {
    pub name: String,
    /// True for a company or any professional customer; false for an individual.
    pub is_business: bool,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub address: PostalAddress,
    /// Delivery address when different from the billing address (INV-02, BG-15).
    pub delivery_address: Option<PostalAddress>,
    /// Electronic address (BT-49) and its EAS scheme; required for business customers in France.
    pub electronic_address: Option<String>,
    pub electronic_address_scheme: Option<String>,
    /// The customer's own reference for the order (INV-03, BT-13).
    pub purchase_order: Option<String>,
}

/// One line of the document. Section headings are not lines: they carry no amount and are
/// rendered in the PDF only (`section` names the heading the line sits under).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SaleLine {
    /// 1, 2, 3… in document order (BT-126).
    pub position: u32,
    pub section: Option<String>,
    pub label: String,
    pub description: Option<String>,
    /// Quantity (BT-129), may be negative on a deduction line of a final invoice.
    pub quantity: Decimal,
    /// UN/ECE Recommendation 20 code (BT-130), e.g. "HUR", "DAY", "C62", "KMT".
    pub unit_code: String,
    /// French label of the unit for the PDF ("heure", "jour"...).
    pub unit_label: String,
    /// How the structured invoice states the quantity when `unit_code` is Essaim's own and not in
    /// the EN 16931 list (a half day, written in days). `None`: `unit_code` and `quantity` as
    /// they are. The PDF always shows `quantity` and `unit_label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade: Option<TradeQuantity>,
    /// Net unit price excluding VAT (BT-146), at most 4 decimals.
    pub unit_price: Decimal,
    /// The line allowance (discount) in cents (BT-136), 0 when none, with its percentage when it
    /// was given as one (BT-138).
    pub allowance_cents: i64,
    pub allowance_percent: Option<Decimal>,
    /// qty × unit price rounded to the cent, before the allowance.
    pub gross_cents: i64,
    /// Line net amount (BT-131) = gross − allowance (INV-42).
    pub net_cents: i64,
    /// VAT category code (BT-151): S, Z, E, AE, K, G, O.
    pub vat_category: String,
    /// VAT rate in percent (BT-152), e.g. 20, 5.5, 0.
    pub vat_rate: Decimal,
    /// Goods or services, for the nature of the operation (INV-06).
    pub is_goods: bool,
}

/// A line's quantity in EN 16931 terms: `quantity` of `unit_code` (BT-129/BT-130), the net unit
/// price being for `price_base` of `unit_code` (BT-149/BT-150), so that the line amount is
/// unchanged: quantity × price / price_base.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TradeQuantity {
    pub unit_code: String,
    pub quantity: Decimal,
    pub price_base: Decimal,
}

/// A document-level allowance (overall discount, BG-20), one per VAT category and rate.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocumentAllowance {
    pub reason: String,
    pub percent: Option<Decimal>,
    pub base_cents: i64,
    pub amount_cents: i64,
    pub vat_category: String,
    pub vat_rate: Decimal,
}

/// VAT breakdown per category and rate (BG-23, INV-05).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VatBreakdown {
    pub category: String,
    pub rate: Decimal,
    pub basis_cents: i64,
    pub vat_cents: i64,
    /// Exemption reason text (BT-120) and VATEX code (BT-121) for categories E, AE, K, G, O.
    pub exemption_reason: Option<String>,
    pub exemption_code: Option<String>,
}

/// Totals (BG-22), every figure computed by the domain with the BR-CO equalities.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Totals {
    /// Σ line nets (BT-106).
    pub line_total_cents: i64,
    /// Σ document allowances (BT-107).
    pub allowance_total_cents: i64,
    /// BT-106 − BT-107 (BT-109).
    pub tax_basis_cents: i64,
    /// Σ VAT per rate (BT-110).
    pub tax_total_cents: i64,
    /// BT-109 + BT-110 (BT-112).
    pub grand_total_cents: i64,
    /// Paid amount already received (BT-113).
    pub prepaid_cents: i64,
    /// BT-112 − BT-113 (BT-115).
    pub due_cents: i64,
}

/// A preceding invoice this document refers to: the invoice a credit note cancels (BT-25/BT-26),
/// or a deposit invoice a final invoice deducts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PrecedingInvoice {
    pub number: String,
    #[serde(with = "iso_date")]
    pub issue_date: Date,
}

/// Everything one sale document says. Dates are calendar dates; amounts are cents of `currency`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SaleDocument {
    pub kind: SaleKind,
    /// The legal number (invoices and credit notes: INV-10; quotes: their own series). A draft
    /// has none: its PDF says "Brouillon" and it never gets a Factur-X XML.
    pub number: Option<String>,
    #[serde(with = "iso_date")]
    pub issue_date: Date,
    /// Due date (INV-07, BT-9); none on quotes.
    #[serde(default, with = "iso_date::option")]
    pub due_date: Option<Date>,
    /// Quote validity date (INV-30).
    #[serde(default, with = "iso_date::option")]
    pub valid_until: Option<Date>,
    /// Date of delivery or service when different from the issue date (INV-03, BT-72).
    #[serde(default, with = "iso_date::option")]
    pub delivery_date: Option<Date>,
    pub currency: String,
    pub seller: Seller,
    pub buyer: Buyer,
    pub lines: Vec<SaleLine>,
    pub allowances: Vec<DocumentAllowance>,
    pub vat: Vec<VatBreakdown>,
    pub totals: Totals,
    pub preceding: Vec<PrecedingInvoice>,
    /// "Prestations de services", "Livraison de biens" or "Livraison de biens et prestations de
    /// services" (INV-06).
    pub nature_label: String,
    /// French "cadre de facturation" business process code (BT-23), e.g. "S1" services, "B1"
    /// goods, "M1" mixed; from the nature of the operation.
    pub business_process: String,
    /// Payment terms text (BT-20): the term and the means ("Paiement à 30 jours par virement"),
    /// already written in French. The three legal payment mentions below are separate fields
    /// because Factur-X carries each as a note with its own subject code (French CTC rules
    /// BR-FR-05/06).
    pub payment_terms: String,
    /// Early-payment discount terms, or "Pas d'escompte pour paiement anticipé" (INV-07); note
    /// subject code AAB.
    #[serde(default)]
    pub early_payment_discount: String,
    /// Late-payment penalties (INV-07, INV-21); note subject code PMD.
    #[serde(default)]
    pub late_penalties: String,
    /// The 40 € fixed recovery indemnity wording, for business customers (INV-07, INV-21); note
    /// subject code PMT. None for an individual customer.
    #[serde(default)]
    pub recovery_indemnity: Option<String>,
    /// Special mentions printed and sent as notes (INV-08): debit option, exemption bases...
    pub mentions: Vec<String>,
    /// Free terms of a quote or notes of an invoice.
    pub notes: Option<String>,
    /// Who accepted a quote and when ("Bon pour accord" block), when it was accepted.
    pub accepted_by: Option<String>,
    #[serde(default, with = "iso_date::option")]
    pub accepted_on: Option<Date>,
}

/// How a cooperative dresses its documents, without touching code (issue 4, point 5).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Branding {
    /// Accent colour as `#rrggbb`.
    pub accent: String,
    /// Footer text printed on every page.
    pub footer: Option<String>,
    /// The logo's bytes (PNG or JPEG) and its format, if any.
    #[serde(skip)]
    pub logo: Option<(Vec<u8>, &'static str)>,
}

/// Why a sale document could not be written out.
#[derive(Debug, thiserror::Error)]
pub enum SaleRenderError {
    #[error("a quote has no Factur-X XML: only invoices, deposit invoices and credit notes do")]
    QuoteHasNoInvoiceXml,
    #[error("a draft has no legal number, so it has no Factur-X XML")]
    DraftHasNoInvoiceXml,
    #[error("the document's figures do not add up: {0}")]
    Inconsistent(String),
    #[error("the accent colour must be written #rrggbb, not {0:?}")]
    InvalidAccent(String),
    #[error("the logo must be a PNG or a JPEG image, not {0:?}")]
    InvalidLogoFormat(String),
    #[error("cannot write the Factur-X XML: {0}")]
    Xml(String),
    #[error("cannot prepare the data of the sale template: {0}")]
    Data(String),
    #[error("the sale template failed: {0}")]
    Template(String),
    #[error("cannot add the Factur-X metadata to the PDF: {0}")]
    Metadata(String),
}

/// The Typst template of quotes, invoices, deposit invoices and credit notes (INV-01…08).
pub const SALE_TEMPLATE: &str = include_str!("../templates/sale.typ");

/// The accent colour when a cooperative has not chosen one.
const DEFAULT_ACCENT: &str = "#1f4e79";

static SALE_SOURCE: std::sync::LazyLock<Result<typst::syntax::Source, String>> =
    std::sync::LazyLock::new(|| {
        Ok(typst::syntax::Source::new(
            crate::pdf::file_id("/sale.typ")?,
            SALE_TEMPLATE.to_owned(),
        ))
    });

/// True when this document is a legal invoice or credit note: it has a number and is not a
/// quote. Only those get a Factur-X XML and a PDF/A-3b.
pub fn is_facturx(doc: &SaleDocument) -> bool {
    doc.kind != SaleKind::Quote && doc.number.as_deref().is_some_and(|n| !n.trim().is_empty())
}

/// Renders `doc` as a PDF dressed with `branding`. An invoice, deposit invoice or credit note
/// with a number is a Factur-X PDF/A-3b (EN 16931 profile): `factur-x.xml` attached as the
/// alternative representation and the Factur-X XMP properties in its metadata. A quote or a
/// draft is a plain PDF. Same input, same bytes.
pub fn sale_pdf(doc: &SaleDocument, branding: &Branding) -> Result<Vec<u8>, SaleRenderError> {
    let accent = match branding.accent.trim() {
        "" => DEFAULT_ACCENT,
        accent => accent,
    };
    let hex = accent.as_bytes();
    if hex.len() != 7 || hex[0] != b'#' || !hex[1..].iter().all(u8::is_ascii_hexdigit) {
        return Err(SaleRenderError::InvalidAccent(branding.accent.clone()));
    }
    let logo = match &branding.logo {
        None => None,
        Some((bytes, format)) => {
            let path = match format.to_ascii_lowercase().as_str() {
                "png" | "image/png" => "/logo.png",
                "jpg" | "jpeg" | "image/jpeg" => "/logo.jpg",
                other => return Err(SaleRenderError::InvalidLogoFormat(other.to_owned())),
            };
            Some((path, typst::foundations::Bytes::new(bytes.clone())))
        }
    };
    let facturx = is_facturx(doc);
    let view = view::View::new(doc, branding, accent, logo.as_ref().map(|(path, _)| *path));
    let data = serde_json::to_vec(&view).map_err(|e| SaleRenderError::Data(e.to_string()))?;
    let mut files = vec![("/data.json", typst::foundations::Bytes::new(data))];
    if facturx {
        let xml = cii_xml(doc)?;
        files.push((
            "/factur-x.xml",
            typst::foundations::Bytes::new(xml.into_bytes()),
        ));
    }
    files.extend(logo);
    let main = SALE_SOURCE.clone().map_err(SaleRenderError::Template)?;
    let pdf = crate::pdf::compile(main, files, facturx).map_err(SaleRenderError::Template)?;
    if facturx {
        xmp::add_facturx_metadata(pdf)
    } else {
        Ok(pdf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Document, Object};

    fn xml_of(doc: &SaleDocument) -> String {
        cii_xml(doc).unwrap()
    }

    /// The bytes of every embedded file of `pdf`, and its XMP metadata.
    fn embedded_files_and_xmp(pdf: &[u8]) -> (Vec<Vec<u8>>, String) {
        let doc = Document::load_mem(pdf).unwrap();
        let files = doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| s.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"EmbeddedFile"))
            .map(|s| {
                s.decompressed_content()
                    .unwrap_or_else(|_| s.content.clone())
            })
            .collect();
        let id = doc
            .catalog()
            .unwrap()
            .get(b"Metadata")
            .unwrap()
            .as_reference()
            .unwrap();
        let xmp = doc
            .get_object(id)
            .unwrap()
            .as_stream()
            .unwrap()
            .content
            .clone();
        (files, String::from_utf8(xmp).unwrap())
    }

    #[test]
    fn ein_12_the_invoice_xml_carries_the_french_mentions() {
        let xml = xml_of(&samples::multi_rate_invoice());
        for expected in [
            "<ram:ID>M1</ram:ID>",
            "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
            "<ram:ID>FA-2026-0042</ram:ID>",
            "<ram:TypeCode>380</ram:TypeCode>",
            "<udt:DateTimeString format=\"102\">20260316</udt:DateTimeString>",
            "<ram:SubjectCode>PMT</ram:SubjectCode>",
            "<ram:SubjectCode>PMD</ram:SubjectCode>",
            "<ram:SubjectCode>AAB</ram:SubjectCode>",
            "<ram:Content>B2B</ram:Content>",
            "<ram:GlobalID schemeID=\"0009\">73282932000017</ram:GlobalID>",
            "<ram:ID schemeID=\"0002\">732829320</ram:ID>",
            "<ram:TradingBusinessName>Bois Vivant — menuiserie et formation</ram:TradingBusinessName>",
            "<ram:ID schemeID=\"VA\">FR44732829320</ram:ID>",
            "<ram:URIID schemeID=\"0225\">732829320</ram:URIID>",
            "<ram:ID schemeID=\"0002\">812345676</ram:ID>",
            "<ram:URIID schemeID=\"0225\">812345676</ram:URIID>",
            "<ram:IssuerAssignedID>BC-2026-118</ram:IssuerAssignedID>",
            "<ram:ShipToTradeParty>",
            "<udt:DateTimeString format=\"102\">20260306</udt:DateTimeString>",
            "<ram:BilledQuantity unitCode=\"MTK\">6.25</ram:BilledQuantity>",
            "<ram:ChargeAmount>389.9</ram:ChargeAmount>",
            "<ram:LineTotalAmount>2436.88</ram:LineTotalAmount>",
            "<ram:CalculationPercent>10</ram:CalculationPercent>",
            "<ram:ActualAmount>248.00</ram:ActualAmount>",
            "<ram:RateApplicablePercent>5.5</ram:RateApplicablePercent>",
            "<ram:ExemptionReason>Exonération de TVA, art. 261-4-4° a du CGI</ram:ExemptionReason>",
            "<ram:ExemptionReasonCode>VATEX-FR-CGI261-4</ram:ExemptionReasonCode>",
            "<ram:TypeCode>58</ram:TypeCode>",
            "<ram:IBANID>FR7630006000011234567890189</ram:IBANID>",
            "<udt:DateTimeString format=\"102\">20260415</udt:DateTimeString>",
            "<ram:TaxTotalAmount currencyID=\"EUR\">903.29</ram:TaxTotalAmount>",
            "<ram:DuePayableAmount>8204.88</ram:DuePayableAmount>",
        ] {
            assert!(xml.contains(expected), "missing {expected} in\n{xml}");
        }
        // The overall discount is split per VAT rate, each with its category (BR-32).
        assert_eq!(
            xml.matches("<ram:Reason>Remise globale</ram:Reason>")
                .count(),
            4
        );
    }

    #[test]
    fn the_invoice_xml_matches_its_golden_file() {
        // Checked with facturx-check (EN 16931, Factur-X and French CTC rules); regenerate with
        // `cargo run -p essaim-documents --example facturx_samples -- DIR` after a reviewed change.
        assert_eq!(
            xml_of(&samples::multi_rate_invoice()),
            include_str!("../tests/golden/fr-b2b-facture-taux-multiples.xml")
        );
    }

    #[test]
    fn br_cl_23_a_line_in_essaim_s_own_unit_is_written_in_its_trade_unit() {
        let mut doc = samples::multi_rate_invoice();
        let line = &mut doc.lines[0];
        line.unit_code = "HD".into();
        line.unit_label = "demi-journée".into();
        line.quantity = Decimal::from(3);
        line.trade = Some(TradeQuantity {
            unit_code: "DAY".into(),
            quantity: Decimal::new(15, 1),
            price_base: Decimal::new(5, 1),
        });
        let xml = xml_of(&doc);
        assert!(xml.contains("<ram:BasisQuantity unitCode=\"DAY\">0.5</ram:BasisQuantity>"));
        assert!(xml.contains("<ram:BilledQuantity unitCode=\"DAY\">1.5</ram:BilledQuantity>"));
        assert!(!xml.contains("unitCode=\"HD\""), "{xml}");
        // A snapshot frozen before the field existed reads back without it.
        let mut json = serde_json::to_value(&doc.lines[1]).unwrap();
        json.as_object_mut().unwrap().remove("trade");
        let old: SaleLine = serde_json::from_value(json).unwrap();
        assert_eq!(old.trade, None);
    }

    #[test]
    fn inv_33_a_credit_note_references_the_invoice_it_corrects() {
        let xml = xml_of(&samples::credit_note());
        assert!(xml.contains("<ram:TypeCode>381</ram:TypeCode>"));
        assert!(xml.contains(concat!(
            "<ram:InvoiceReferencedDocument>\n",
            "        <ram:IssuerAssignedID>FA-2026-0042</ram:IssuerAssignedID>\n",
            "        <ram:FormattedIssueDateTime>\n",
            "          <qdt:DateTimeString format=\"102\">20260316</qdt:DateTimeString>"
        )));
        // Nothing is paid to the seller on a credit note.
        assert!(!xml.contains("SpecifiedTradeSettlementPaymentMeans"));
    }

    #[test]
    fn inv_31_a_deposit_is_type_386_and_the_final_invoice_deducts_it() {
        assert!(xml_of(&samples::deposit_invoice()).contains("<ram:TypeCode>386</ram:TypeCode>"));
        let xml = xml_of(&samples::final_invoice());
        assert!(xml.contains("<ram:ID>M4</ram:ID>"));
        assert!(xml.contains("<ram:BilledQuantity unitCode=\"C62\">-1</ram:BilledQuantity>"));
        assert!(xml.contains("<ram:LineTotalAmount>-1354.20</ram:LineTotalAmount>"));
        assert!(xml.contains("<ram:IssuerAssignedID>FA-2026-0043</ram:IssuerAssignedID>"));
    }

    #[test]
    fn a_customer_abroad_and_an_individual_get_their_treatment() {
        let xml = xml_of(&samples::reverse_charge_invoice());
        assert!(xml.contains("<ram:CategoryCode>AE</ram:CategoryCode>"));
        assert!(xml.contains("<ram:ExemptionReasonCode>VATEX-EU-AE</ram:ExemptionReasonCode>"));
        assert!(xml.contains("<ram:ID schemeID=\"VA\">BE0712345630</ram:ID>"));
        assert!(xml.contains("<ram:Content>B2BINT</ram:Content>"));
        let xml = xml_of(&samples::individual_invoice());
        assert!(xml.contains("<ram:Content>B2C</ram:Content>"));
        assert!(!xml.contains("<ram:SubjectCode>PMT</ram:SubjectCode>"));
        assert!(!xml.contains("schemeID=\"0002\">8"));
        assert!(xml.contains("<ram:TotalPrepaidAmount>50.00</ram:TotalPrepaidAmount>"));
    }

    #[test]
    fn a_document_survives_a_json_round_trip() {
        let doc = samples::final_invoice();
        let json = serde_json::to_string(&doc).unwrap();
        assert!(json.contains("\"issue_date\":\"2026-04-10\""), "{json}");
        assert!(json.contains("\"unit_price\":\"1354.20\""), "{json}");
        let back: SaleDocument = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
        assert_eq!(xml_of(&back), xml_of(&doc));
    }

    #[test]
    fn quotes_and_drafts_have_no_xml() {
        assert!(matches!(
            cii_xml(&samples::quote()),
            Err(SaleRenderError::QuoteHasNoInvoiceXml)
        ));
        assert!(matches!(
            cii_xml(&samples::draft_invoice()),
            Err(SaleRenderError::DraftHasNoInvoiceXml)
        ));
    }

    #[test]
    fn text_is_escaped_and_amounts_have_two_decimals() {
        let mut doc = samples::individual_invoice();
        doc.buyer.name = "Dupont & Fils <SARL>\u{1}".to_owned();
        let xml = xml_of(&doc);
        assert!(xml.contains("<ram:Name>Dupont &amp; Fils &lt;SARL&gt;</ram:Name>"));
        assert_eq!(cii::amount(123456), "1234.56");
        assert_eq!(cii::amount(-5), "-0.05");
        assert_eq!(cii::amount(0), "0.00");
    }

    #[test]
    fn figures_that_do_not_add_up_are_refused() {
        let mut doc = samples::multi_rate_invoice();
        doc.totals.tax_total_cents += 1;
        let err = cii_xml(&doc).unwrap_err();
        assert!(err.to_string().contains("BT-110"), "{err}");
        let mut doc = samples::multi_rate_invoice();
        doc.lines[0].net_cents += 1;
        assert!(matches!(
            cii_xml(&doc),
            Err(SaleRenderError::Inconsistent(_))
        ));
    }

    #[test]
    fn an_invoice_pdf_is_a_factur_x_pdf_a_3b() {
        let doc = samples::multi_rate_invoice();
        let pdf = sale_pdf(&doc, &samples::branding()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let (files, xmp) = embedded_files_and_xmp(&pdf);
        assert_eq!(files, vec![xml_of(&doc).into_bytes()]);
        assert!(xmp.contains("<pdfaid:part>3</pdfaid:part>"));
        assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        assert!(xmp.contains("<fx:DocumentType>INVOICE</fx:DocumentType>"));
        assert!(xmp.contains("<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>"));
        assert!(xmp.contains("<fx:Version>1.0</fx:Version>"));
        assert!(xmp.contains("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>"));
        assert_eq!(xmp.matches("<pdfaExtension:schemas>").count(), 1);
        // Deterministic: no clock, same bytes.
        assert_eq!(pdf, sale_pdf(&doc, &samples::branding()).unwrap());
    }

    #[test]
    fn quotes_and_drafts_are_plain_pdfs() {
        for doc in [samples::quote(), samples::draft_invoice()] {
            let pdf = sale_pdf(&doc, &samples::branding()).unwrap();
            let (files, xmp) = embedded_files_and_xmp(&pdf);
            assert!(files.is_empty());
            assert!(!xmp.contains("factur-x"));
            assert!(!xmp.contains("pdfaid:part"));
        }
    }

    #[test]
    fn every_sample_renders() {
        for sample in samples::all() {
            let pdf = sale_pdf(&sample.doc, &samples::branding());
            assert!(pdf.is_ok(), "{}: {:?}", sample.name, pdf.err());
        }
    }

    /// A 2 × 2 green PNG.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd,
        0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xd0,
        0xcf, 0xf7, 0x07, 0x22, 0x06, 0x08, 0x05, 0x00, 0x19, 0x7a, 0x03, 0xb5, 0x3d, 0x07, 0xcb,
        0x62, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn branding_dresses_the_pdf_and_is_checked() {
        let doc = samples::reverse_charge_invoice();
        let branded = Branding {
            accent: "#aa3300".to_owned(),
            footer: Some("Merci de votre confiance".to_owned()),
            logo: Some((PNG.to_vec(), "png")),
        };
        let with_logo = sale_pdf(&doc, &branded).unwrap();
        assert_ne!(with_logo, sale_pdf(&doc, &Branding::default()).unwrap());
        let bad_accent = Branding {
            accent: "red".to_owned(),
            ..Branding::default()
        };
        assert!(matches!(
            sale_pdf(&doc, &bad_accent),
            Err(SaleRenderError::InvalidAccent(_))
        ));
        let bad_logo = Branding {
            logo: Some((PNG.to_vec(), "gif")),
            ..Branding::default()
        };
        assert!(matches!(
            sale_pdf(&doc, &bad_logo),
            Err(SaleRenderError::InvalidLogoFormat(_))
        ));
    }
}
