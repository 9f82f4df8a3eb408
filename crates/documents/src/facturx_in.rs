//! The XML of an incoming Factur-X / ZUGFeRD PDF (issue 5, supplier invoices): the file attached
//! to the PDF under one of the names the standards give it, decompressed. Reading that XML is
//! `essaim_exchange::cii`.

use lopdf::{Document, Object};

/// The names under which Factur-X, ZUGFeRD and XRechnung attach the invoice's XML.
const NAMES: [&str; 4] = [
    "factur-x.xml",
    "zugferd-invoice.xml",
    "ZUGFeRD-invoice.xml",
    "xrechnung.xml",
];

/// A PDF text string: UTF-16BE with its byte-order mark, else PDFDocEncoding (read as Latin-1,
/// which it equals for file names).
fn text(o: &Object) -> Option<String> {
    let bytes = o.as_str().ok()?;
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        None => Some(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// The invoice XML attached to `pdf`. Errors: `pdf_unreadable` (not a PDF lopdf can read),
/// `pdf_no_invoice_xml` (a PDF without a Factur-X/ZUGFeRD attachment: a plain PDF invoice).
pub fn embedded_invoice_xml(pdf: &[u8]) -> Result<Vec<u8>, &'static str> {
    let doc = Document::load_mem(pdf).map_err(|_| "pdf_unreadable")?;
    for object in doc.objects.values() {
        let Ok(spec) = object.as_dict() else {
            continue;
        };
        let Ok(ef) = spec.get(b"EF").and_then(Object::as_dict) else {
            continue;
        };
        let name = spec
            .get(b"UF")
            .ok()
            .and_then(text)
            .or_else(|| spec.get(b"F").ok().and_then(text))
            .unwrap_or_default();
        if !NAMES.iter().any(|n| n.eq_ignore_ascii_case(name.trim())) {
            continue;
        }
        let stream = ef
            .get(b"F")
            .or_else(|_| ef.get(b"UF"))
            .and_then(Object::as_reference)
            .and_then(|r| doc.get_object(r))
            .and_then(Object::as_stream)
            .map_err(|_| "pdf_no_invoice_xml")?;
        return Ok(stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone()));
    }
    Err("pdf_no_invoice_xml")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sale::{cii_xml, sale_pdf, samples};

    #[test]
    fn the_xml_of_a_factur_x_pdf_is_found_and_a_plain_pdf_has_none() {
        let invoice = samples::multi_rate_invoice();
        let pdf = sale_pdf(&invoice, &samples::branding()).unwrap_or_default();
        let xml = embedded_invoice_xml(&pdf).map(String::from_utf8);
        assert_eq!(xml, Ok(Ok(cii_xml(&invoice).unwrap_or_default())));
        let quote = sale_pdf(&samples::quote(), &samples::branding()).unwrap_or_default();
        assert_eq!(embedded_invoice_xml(&quote), Err("pdf_no_invoice_xml"));
        assert_eq!(
            embedded_invoice_xml(b"%PDF-1.7 not really"),
            Err("pdf_unreadable")
        );
    }
}
