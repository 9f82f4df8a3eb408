//! The Factur-X XMP properties (`fx:` namespace: DocumentType, DocumentFileName, Version,
//! ConformanceLevel) and their PDF/A extension-schema entry, added to a PDF/A-3 written by Typst
//! with a `lopdf` incremental update of its `/Metadata` stream (Typst cannot write custom XMP).
//! The entry goes into the existing `pdfaExtension:schemas` bag when there is one: a second bag
//! would break PDF/A.

use lopdf::{Document, IncrementalDocument, Object, Stream};

use super::SaleRenderError;

const FX_NAMESPACE: &str = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

/// The Factur-X properties, for the EN 16931 profile.
fn fx_description() -> String {
    format!(
        concat!(
            "<rdf:Description rdf:about=\"\" xmlns:fx=\"{ns}\">",
            "<fx:DocumentType>INVOICE</fx:DocumentType>",
            "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
            "<fx:Version>1.0</fx:Version>",
            "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>",
            "</rdf:Description>"
        ),
        ns = FX_NAMESPACE
    )
}

fn fx_property(name: &str, description: &str) -> String {
    format!(
        concat!(
            "<rdf:li rdf:parseType=\"Resource\">",
            "<pdfaProperty:name>{name}</pdfaProperty:name>",
            "<pdfaProperty:valueType>Text</pdfaProperty:valueType>",
            "<pdfaProperty:category>external</pdfaProperty:category>",
            "<pdfaProperty:description>{description}</pdfaProperty:description>",
            "</rdf:li>"
        ),
        name = name,
        description = description
    )
}

/// The PDF/A extension schema declaring the `fx:` namespace, as one item of the schemas bag.
fn fx_schema() -> String {
    format!(
        concat!(
            "<rdf:li rdf:parseType=\"Resource\"",
            " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"",
            " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">",
            "<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>",
            "<pdfaSchema:namespaceURI>{ns}</pdfaSchema:namespaceURI>",
            "<pdfaSchema:prefix>fx</pdfaSchema:prefix>",
            "<pdfaSchema:property><rdf:Seq>{p1}{p2}{p3}{p4}</rdf:Seq></pdfaSchema:property>",
            "</rdf:li>"
        ),
        ns = FX_NAMESPACE,
        p1 = fx_property("DocumentFileName", "The name of the embedded XML document"),
        p2 = fx_property(
            "DocumentType",
            "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"
        ),
        p3 = fx_property(
            "Version",
            "The actual version of the standard applying to the embedded XML document"
        ),
        p4 = fx_property(
            "ConformanceLevel",
            "The conformance level of the embedded XML document"
        ),
    )
}

/// Returns `xmp` with the Factur-X properties and their extension schema.
pub(crate) fn with_facturx(xmp: &str) -> Result<String, SaleRenderError> {
    let fail = |what: &str| Err(SaleRenderError::Metadata(what.to_owned()));
    if xmp.contains(FX_NAMESPACE) {
        return fail("the XMP already has Factur-X properties");
    }
    let Some(rdf_end) = xmp.rfind("</rdf:RDF>") else {
        return fail("the XMP has no rdf:RDF element");
    };
    let mut out = String::with_capacity(xmp.len() + 3000);
    match xmp.find("<pdfaExtension:schemas>") {
        Some(schemas) => {
            // Merge into the existing bag: the new schema becomes its first item.
            let Some(bag) = xmp[schemas..].find("<rdf:Bag>").map(|i| schemas + i) else {
                return fail("the pdfaExtension:schemas property has no rdf:Bag");
            };
            let after_bag = bag + "<rdf:Bag>".len();
            out.push_str(&xmp[..after_bag]);
            out.push_str(&fx_schema());
            out.push_str(&xmp[after_bag..rdf_end]);
            out.push_str(&fx_description());
            out.push_str(&xmp[rdf_end..]);
        }
        None => {
            if xmp.contains("pdfaExtension:schemas") {
                return fail("the pdfaExtension:schemas property has an unexpected form");
            }
            out.push_str(&xmp[..rdf_end]);
            out.push_str(&fx_description());
            out.push_str(concat!(
                "<rdf:Description rdf:about=\"\"",
                " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\">",
                "<pdfaExtension:schemas><rdf:Bag>"
            ));
            out.push_str(&fx_schema());
            out.push_str("</rdf:Bag></pdfaExtension:schemas></rdf:Description>");
            out.push_str(&xmp[rdf_end..]);
        }
    }
    Ok(out)
}

/// Appends to `pdf` an incremental update replacing its XMP metadata stream by one carrying the
/// Factur-X properties.
pub(crate) fn add_facturx_metadata(pdf: Vec<u8>) -> Result<Vec<u8>, SaleRenderError> {
    let err = |e: lopdf::Error| SaleRenderError::Metadata(e.to_string());
    let doc = Document::load_mem(&pdf).map_err(err)?;
    let metadata_id = doc
        .catalog()
        .and_then(|catalog| catalog.get(b"Metadata"))
        .and_then(Object::as_reference)
        .map_err(err)?;
    let old = doc
        .get_object(metadata_id)
        .and_then(Object::as_stream)
        .map_err(err)?;
    let content = if old.dict.has(b"Filter") {
        old.decompressed_content().map_err(err)?
    } else {
        old.content.clone()
    };
    let xmp = String::from_utf8(content)
        .map_err(|_| SaleRenderError::Metadata("the XMP is not UTF-8".to_owned()))?;
    let xmp = with_facturx(&xmp)?;
    let mut dict = old.dict.clone();
    dict.remove(b"Filter");
    dict.remove(b"DecodeParms");
    // PDF/A wants the metadata stream readable as is: never compressed.
    let stream = Stream::new(dict, xmp.into_bytes()).with_compression(false);
    let mut update = IncrementalDocument::create_from(pdf, doc);
    update
        .new_document
        .set_object(metadata_id, Object::Stream(stream));
    let mut out = Vec::new();
    update
        .save_to(&mut out)
        .map_err(|e| SaleRenderError::Metadata(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_factur_x_schema_joins_the_existing_extension_bag() {
        let xmp = concat!(
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
            "<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\">",
            "<pdfaExtension:schemas><rdf:Bag><rdf:li>other</rdf:li></rdf:Bag></pdfaExtension:schemas>",
            "</rdf:Description></rdf:RDF></x:xmpmeta>"
        );
        let out = with_facturx(xmp).unwrap();
        assert_eq!(out.matches("<pdfaExtension:schemas>").count(), 1);
        assert_eq!(out.matches(FX_NAMESPACE).count(), 2);
        assert!(out.contains("<rdf:li>other</rdf:li>"));
        assert!(out.contains("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>"));
        assert!(with_facturx(&out).is_err());
    }

    #[test]
    fn without_an_extension_bag_one_is_added() {
        let xmp = "<x:xmpmeta><rdf:RDF><rdf:Description rdf:about=\"\"/></rdf:RDF></x:xmpmeta>";
        let out = with_facturx(xmp).unwrap();
        assert_eq!(out.matches("<pdfaExtension:schemas>").count(), 1);
        assert!(out.ends_with("</rdf:RDF></x:xmpmeta>"));
    }
}
