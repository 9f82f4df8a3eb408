//! A supplier invoice prefilled from the supplier's e-invoice (a Factur-X/ZUGFeRD PDF or a bare
//! CII XML), read with a real XML reader that refuses DOCTYPE and entity declarations.

use crate::AppError;
use essaim_domain::spending::supplier::SupplierInvoiceInput;
use essaim_exchange::cii::{IncomingInvoice, parse_cii};

/// Amounts as typed in a French form: `1234,56`.
fn typed(cents: i64) -> String {
    essaim_domain::money::Money::eur(cents).typed_fr()
}

/// The supplier invoice form prefilled from an uploaded e-invoice: a Factur-X/ZUGFeRD PDF or a
/// bare CII XML. A plain PDF or an unreadable file is a [`AppError::BadFile`] with its code (and
/// line for XML), so the form can say why and be filled in by hand. The activity and the
/// description are left to the person.
pub fn prefill_supplier_invoice(file: &[u8]) -> Result<SupplierInvoiceInput, AppError> {
    let xml = if file.starts_with(b"%PDF") {
        essaim_documents::facturx_in::embedded_invoice_xml(file)
            .map_err(|code| AppError::BadFile { code, line: None })?
    } else {
        file.to_vec()
    };
    let inv = parse_cii(&xml).map_err(|e| AppError::BadFile {
        code: e.code,
        line: e.line,
    })?;
    Ok(input_of(&inv))
}

pub(crate) fn input_of(inv: &IncomingInvoice) -> SupplierInvoiceInput {
    // A SIREN (scheme 0002), or the SIREN of a SIRET (0009); other schemes are not French.
    let siren = match &inv.seller.legal_id {
        Some((id, scheme)) if scheme == "0002" => id.clone(),
        Some((id, scheme)) if scheme == "0009" => id.chars().take(9).collect(),
        _ => String::new(),
    };
    SupplierInvoiceInput {
        supplier_name: inv.seller.name.clone(),
        supplier_siren: siren,
        supplier_vat_number: inv.seller.vat_number.clone().unwrap_or_default(),
        supplier_iban: inv.payee_iban.clone().unwrap_or_default(),
        supplier_bic: String::new(),
        number: inv.number.clone(),
        issue_date: inv.issue_date.map(|d| d.to_string()).unwrap_or_default(),
        due_date: inv.due_date.map(|d| d.to_string()).unwrap_or_default(),
        net: typed(inv.tax_basis_cents),
        vat: typed(inv.tax_cents),
        total: typed(inv.grand_total_cents),
        activity: String::new(),
        category: String::new(),
        description: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use essaim_documents::sale::{sale_pdf, samples};

    #[test]
    fn a_factur_x_pdf_prefills_the_supplier_invoice_and_a_plain_pdf_says_why_not() {
        // Essaim's own Factur-X invoice, as a supplier's would arrive.
        let pdf =
            sale_pdf(&samples::multi_rate_invoice(), &samples::branding()).unwrap_or_default();
        let input = prefill_supplier_invoice(&pdf).unwrap_or_default();
        assert_eq!(input.number, "FA-2026-0042");
        assert_eq!(input.supplier_siren, "732829320");
        assert_eq!(input.supplier_vat_number, "FR44732829320");
        assert_eq!(input.issue_date, "2026-03-16");
        // What is prefilled passes the domain's checks once the activity is chosen.
        let checked = SupplierInvoiceInput {
            activity: "1".into(),
            category: "supplies".into(),
            ..input
        }
        .parse();
        assert!(checked.is_ok(), "{checked:?}");
        let quote = sale_pdf(&samples::quote(), &samples::branding()).unwrap_or_default();
        assert!(matches!(
            prefill_supplier_invoice(&quote),
            Err(AppError::BadFile {
                code: "pdf_no_invoice_xml",
                ..
            })
        ));
        assert!(matches!(
            prefill_supplier_invoice(b"<CrossIndustryInvoice><b></CrossIndustryInvoice>"),
            Err(AppError::BadFile {
                code: "cii_xml_malformed",
                line: Some(1)
            })
        ));
    }
}
