//! The demo's e-invoicing (`essaim demo`): once its cooperatives are connected to the demo's
//! conformance platform, a few of their recent invoices go out through it, the platform plays the
//! customers' answers (made available, approved, disputed, refused), and suppliers send invoices
//! (two addressed to activities, one to the cooperative only): the pages show a cooperative at
//! work. Done once per cooperative (when it has never deposited anything); the platform is
//! labelled as the demo's everywhere.

use crate::{App, AppError};
use essaim_documents::sale::{SaleDocument, samples};
use essaim_einvoicing::conformance::Sandbox;
use essaim_einvoicing::wire::{FlowSyntax, FlowType};
use essaim_exchange::cdar::{Party, StatusMessage, write_cdar};
use essaim_storage::einvoicing as store;

/// The demo platform's directory (in memory, so filled at each start): the demo cooperatives'
/// business customers, most of them reachable at their SIREN, one in ten without a receiving
/// platform yet. Returns how many companies it holds.
pub async fn fill_directory(app: &App, platform: &Sandbox) -> Result<usize, AppError> {
    use essaim_einvoicing::wire::{DirectoryLine, LegalUnit};
    let mut tx = app.store.read().await?;
    let mut n = 0;
    for coop in store::connected_cooperatives(&mut tx).await? {
        if !store::connection(&mut tx, coop)
            .await?
            .is_some_and(|c| c.demo)
        {
            continue;
        }
        for (i, (siren, name)) in store::business_customers(&mut tx, coop)
            .await?
            .into_iter()
            .enumerate()
        {
            platform.add_legal_unit(LegalUnit {
                siren: siren.clone(),
                business_name: Some(name),
                entity_type: Some("PrivateVatRegistered".into()),
                administrative_status: Some("A".into()),
            });
            platform.add_directory_line(DirectoryLine {
                addressing_identifier: siren.clone(),
                siren: Some(siren),
                siret: None,
                routing_identifier: None,
                addressing_suffix: None,
                directory_line_status: Some(
                    if i % 10 == 9 { "Disabled" } else { "Enabled" }.into(),
                ),
                platform_type: Some("WK".into()),
                platform: None,
            });
            n += 1;
        }
    }
    tx.commit().await?;
    Ok(n)
}

/// Plays the demo's e-invoicing for each cooperative connected to the demo platform that never
/// deposited anything. Returns how many invoices went out.
pub async fn play(app: &App, platform: &Sandbox) -> Result<usize, AppError> {
    let coops = {
        let mut tx = app.store.read().await?;
        let mut out = Vec::new();
        for coop in store::connected_cooperatives(&mut tx).await? {
            let demo = store::connection(&mut tx, coop)
                .await?
                .is_some_and(|c| c.demo);
            if demo && !store::has_flows(&mut tx, coop).await? {
                let docs = store::unsent_business_invoices(&mut tx, coop, 6).await?;
                let c = essaim_storage::cooperative::find(&mut tx, coop).await?;
                let mut activities = essaim_storage::activity::names(&mut tx, coop, None).await?;
                // The demo entrepreneur's activities first: their invoices reach them.
                let email = essaim_domain::account::Email::parse(crate::demo::DEMO_ENTREPRENEUR)
                    .map_err(|c| AppError::Internal(c.to_owned()))?;
                if let Some((user, _)) =
                    essaim_storage::account::find_with_hash(&mut tx, &email).await?
                {
                    let theirs =
                        essaim_storage::activity::ids_of_member(&mut tx, coop, user.id).await?;
                    activities.sort_by_key(|(id, _, _)| {
                        !theirs.contains(&essaim_domain::ids::ActivityId::new(*id))
                    });
                }
                out.push((coop, docs, c, activities));
            }
        }
        tx.commit().await?;
        out
    };
    let mut sent = 0;
    for (coop, docs, c, activities) in coops {
        let Some(c) = c else { continue };
        let siren = c.identity.siret.siren().as_str().to_owned();
        let answers: [(u16, Option<(&str, &str)>); 6] = [
            (205, None),
            (
                210,
                Some((
                    "PU_ERR",
                    "Le prix unitaire ne correspond pas au devis accepté",
                )),
            ),
            (207, Some(("CMD_ERR", "Numéro de bon de commande manquant"))),
            (203, None),
            (203, None),
            (204, None),
        ];
        for ((doc, _), (status, reason)) in docs.iter().zip(answers) {
            super::sending::send_now(app, *doc).await?;
            sent += 1;
            let (sale, _) = crate::selling::docs::document_in_coop(app, coop, *doc).await?;
            platform.arrive(
                &format!("cdar-{status}.xml"),
                FlowSyntax::Cdar,
                FlowType::CustomerInvoiceLC,
                answer(app, &sale, status, reason).into_bytes(),
            );
        }
        // Suppliers' invoices: two to activities' addresses, one to the cooperative only.
        let mut supplier_docs = Vec::new();
        for (i, (_, _, code)) in activities.iter().take(2).enumerate() {
            supplier_docs.push(supplier_invoice(
                i,
                (&siren, &c.identity.legal_name),
                Some(code.as_str()),
                app.clock.today(),
            ));
        }
        supplier_docs.push(supplier_invoice(
            2,
            (&siren, &c.identity.legal_name),
            None,
            app.clock.today(),
        ));
        for (i, doc) in supplier_docs.iter().enumerate() {
            let number = doc.number.clone().unwrap_or_default();
            if i < 2 {
                let pdf = essaim_documents::sale::sale_pdf(doc, &samples::branding())
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                platform.arrive(
                    &format!("{number}.pdf"),
                    FlowSyntax::FacturX,
                    FlowType::SupplierInvoice,
                    pdf,
                );
            } else {
                platform.arrive(
                    &format!("{number}.xml"),
                    FlowSyntax::Ubl,
                    FlowType::SupplierInvoice,
                    ubl_invoice(doc).into_bytes(),
                );
            }
        }
        super::sync::sync_cooperative(app, coop).await?;
    }
    Ok(sent)
}

/// The customer's answer about an invoice the cooperative sent.
fn answer(app: &App, sale: &SaleDocument, status: u16, reason: Option<(&str, &str)>) -> String {
    write_cdar(&StatusMessage {
        id: format!("demo-{}-{status}", sale.number.clone().unwrap_or_default()),
        issued_at: app.clock.now(),
        issuer: Party {
            siren: sale.buyer.siren.clone().unwrap_or_default(),
            name: sale.buyer.name.clone(),
            role: "BY".into(),
            address: None,
        },
        recipient: Party {
            siren: sale.seller.siren.clone(),
            name: sale.seller.legal_name.clone(),
            role: "SE".into(),
            address: None,
        },
        invoice_number: sale.number.clone().unwrap_or_default(),
        invoice_type: sale.kind.type_code().unwrap_or("380").into(),
        invoice_date: sale.issue_date,
        seller_siren: sale.seller.siren.clone(),
        status,
        reason: reason.map(|(c, t)| (c.to_owned(), t.to_owned())),
        collected: None,
    })
}

/// A supplier's invoice to the cooperative (or one of its activities, by its routing code).
fn supplier_invoice(
    i: usize,
    coop: (&str, &str),
    routing: Option<&str>,
    today: time::Date,
) -> SaleDocument {
    let (siren, buyer) = coop;
    let suppliers = [
        ("Scierie du Vercors", "44306184100047", "FR39443061841"),
        ("Papeterie des Canuts", "55210055400013", "FR96552100554"),
        (
            "Assurances Mutuelles du Rhône",
            "73282932000074",
            "FR44732829320",
        ),
    ];
    let (name, siret, vat) = suppliers[i % suppliers.len()];
    let mut doc = samples::multi_rate_invoice();
    doc.number = Some(format!("{}-2026-{:04}", &name[..3].to_uppercase(), 300 + i));
    doc.issue_date = today;
    doc.due_date = Some(today + time::Duration::days(30));
    doc.seller.legal_name = name.into();
    doc.seller.trade_name = None;
    doc.seller.siret = siret.into();
    doc.seller.siren = siret[..9].into();
    doc.seller.vat_number = vat.into();
    doc.seller.electronic_address = siret[..9].into();
    doc.buyer.name = buyer.to_owned();
    doc.buyer.siren = Some(siren.to_owned());
    doc.buyer.siret = None;
    doc.buyer.electronic_address = Some(match routing {
        Some(code) => essaim_domain::einvoicing::incoming::activity_address(siren, code),
        None => siren.to_owned(),
    });
    doc.buyer.electronic_address_scheme = Some("0225".into());
    doc
}

fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

/// The demo's supplier invoice as a platform would deliver it, in UBL and in CII (for the
/// benchmark of the readers).
pub fn sample_received(today: time::Date) -> Result<(String, String), AppError> {
    let doc = supplier_invoice(2, ("732829320", "Coopérative"), None, today);
    let cii =
        essaim_documents::sale::cii_xml(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((ubl_invoice(&doc), cii))
}

/// A supplier's invoice in UBL 2.1 (EN 16931): some platforms deliver UBL, and the demo's triage
/// queue shows one. One line per rate of the document's VAT breakdown.
fn ubl_invoice(doc: &SaleDocument) -> String {
    let mut lines = String::new();
    for (i, v) in doc.vat.iter().enumerate() {
        lines.push_str(&format!(
            "<cac:InvoiceLine><cbc:ID>{n}</cbc:ID><cbc:InvoicedQuantity unitCode=\"C62\">1</cbc:InvoicedQuantity>\
             <cbc:LineExtensionAmount currencyID=\"EUR\">{basis}</cbc:LineExtensionAmount><cac:Item><cbc:Name>Fournitures {n}</cbc:Name>\
             <cac:ClassifiedTaxCategory><cbc:ID>{cat}</cbc:ID><cbc:Percent>{rate}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>\
             <cac:Price><cbc:PriceAmount currencyID=\"EUR\">{basis}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>",
            n = i + 1,
            basis = amount(v.basis_cents),
            cat = esc(&v.category),
            rate = v.rate,
        ));
    }
    let subtotals: String = doc
        .vat
        .iter()
        .map(|v| {
            format!(
                "<cac:TaxSubtotal><cbc:TaxableAmount currencyID=\"EUR\">{}</cbc:TaxableAmount><cbc:TaxAmount currencyID=\"EUR\">{}</cbc:TaxAmount>\
                 <cac:TaxCategory><cbc:ID>{}</cbc:ID><cbc:Percent>{}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>",
                amount(v.basis_cents),
                amount(v.vat_cents),
                esc(&v.category),
                v.rate
            )
        })
        .collect();
    let basis: i64 = doc.vat.iter().map(|v| v.basis_cents).sum();
    let tax: i64 = doc.vat.iter().map(|v| v.vat_cents).sum();
    let day = |d: time::Date| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" \
         xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" \
         xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">\
         <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID><cbc:ID>{number}</cbc:ID>\
         <cbc:IssueDate>{issue}</cbc:IssueDate><cbc:DueDate>{due}</cbc:DueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>\
         <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>\
         <cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID=\"0225\">{seller_siren}</cbc:EndpointID>\
         <cac:PartyName><cbc:Name>{seller}</cbc:Name></cac:PartyName><cac:PostalAddress><cbc:CityName>Lyon</cbc:CityName>\
         <cbc:PostalZone>69002</cbc:PostalZone><cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country></cac:PostalAddress>\
         <cac:PartyTaxScheme><cbc:CompanyID>{seller_vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>\
         <cac:PartyLegalEntity><cbc:RegistrationName>{seller}</cbc:RegistrationName><cbc:CompanyID schemeID=\"0002\">{seller_siren}</cbc:CompanyID></cac:PartyLegalEntity>\
         </cac:Party></cac:AccountingSupplierParty>\
         <cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID=\"0225\">{buyer_address}</cbc:EndpointID>\
         <cac:PartyName><cbc:Name>{buyer}</cbc:Name></cac:PartyName><cac:PostalAddress><cbc:CityName>Lyon</cbc:CityName>\
         <cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country></cac:PostalAddress>\
         <cac:PartyLegalEntity><cbc:RegistrationName>{buyer}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>\
         <cac:TaxTotal><cbc:TaxAmount currencyID=\"EUR\">{tax}</cbc:TaxAmount>{subtotals}</cac:TaxTotal>\
         <cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID=\"EUR\">{basis}</cbc:LineExtensionAmount>\
         <cbc:TaxExclusiveAmount currencyID=\"EUR\">{basis}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID=\"EUR\">{total}</cbc:TaxInclusiveAmount>\
         <cbc:PayableAmount currencyID=\"EUR\">{total}</cbc:PayableAmount></cac:LegalMonetaryTotal>{lines}</Invoice>\n",
        number = esc(doc.number.as_deref().unwrap_or_default()),
        issue = day(doc.issue_date),
        due = day(doc.due_date.unwrap_or(doc.issue_date)),
        seller = esc(&doc.seller.legal_name),
        seller_siren = esc(&doc.seller.siren),
        seller_vat = esc(&doc.seller.vat_number),
        buyer = esc(&doc.buyer.name),
        buyer_address = esc(doc.buyer.electronic_address.as_deref().unwrap_or_default()),
        tax = amount(tax),
        basis = amount(basis),
        total = amount(basis + tax),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_suppliers_invoices_read_back_and_route() {
        let today = time::macros::date!(2026 - 12 - 01);
        let routed = supplier_invoice(0, ("732829320", "Coopérative"), Some("BOIS"), today);
        let pdf =
            essaim_documents::sale::sale_pdf(&routed, &samples::branding()).unwrap_or_default();
        let read = super::super::receiving::read_file(Some(FlowSyntax::FacturX), &pdf);
        let inv = read.invoice.unwrap_or_default();
        assert_eq!(
            inv.buyer_address.map(|(a, _)| a),
            Some("732829320_BOIS".into())
        );
        assert_eq!(inv.seller.name, "Scierie du Vercors");
        let ubl = ubl_invoice(&supplier_invoice(
            2,
            ("732829320", "Coopérative"),
            None,
            today,
        ));
        let read = super::super::receiving::read_file(Some(FlowSyntax::Ubl), ubl.as_bytes());
        let inv = read.invoice.unwrap_or_default();
        assert_eq!(inv.buyer_address.map(|(a, _)| a), Some("732829320".into()));
        assert!(inv.grand_total_cents > 0);
        assert_eq!(inv.tax_basis_cents + inv.tax_cents, inv.grand_total_cents);
        assert_eq!(inv.lines.len(), routed.vat.len());
    }
}
