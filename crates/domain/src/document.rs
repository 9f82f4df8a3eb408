//! Documents attached to a person or an activity (contracts, identity papers, certificates,
//! insurance): their kind, title, expiry, and which file types are accepted. The bytes are kept
//! by content hash elsewhere; this module only says what is acceptable.

use crate::person::parse_optional_date;
use crate::validation::{FieldErrors, required_text};
use time::Date;

pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    Contract,
    Identity,
    Certificate,
    Insurance,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::Contract,
        DocumentKind::Identity,
        DocumentKind::Certificate,
        DocumentKind::Insurance,
        DocumentKind::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Contract => "contract",
            DocumentKind::Identity => "identity",
            DocumentKind::Certificate => "certificate",
            DocumentKind::Insurance => "insurance",
            DocumentKind::Other => "other",
        }
    }
    pub fn parse(code: &str) -> Result<DocumentKind, &'static str> {
        DocumentKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or("choice_unknown")
    }
}

/// The type a file's first bytes announce: PDF, PNG, JPEG or HEIC (phone photos); nothing else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.len() > 12
        && &bytes[4..8] == b"ftyp"
        && matches!(&bytes[8..12], b"heic" | b"heix" | b"mif1" | b"msf1")
    {
        Some("image/heic")
    } else {
        None
    }
}

/// A file name safe to send back in a header: no path, no quotes, no control characters.
pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && *c != ';')
        .take(120)
        .collect();
    if cleaned.trim().is_empty() {
        "document".into()
    } else {
        cleaned.trim().to_owned()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentMeta {
    pub kind: DocumentKind,
    pub title: String,
    pub expires_on: Option<Date>,
    pub content_type: &'static str,
    pub filename: String,
}

impl DocumentMeta {
    /// Checks the form fields and the file together.
    pub fn parse(
        kind: &str,
        title: &str,
        expires_on: &str,
        filename: &str,
        bytes: &[u8],
    ) -> Result<DocumentMeta, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check("kind", DocumentKind::parse(kind));
        let title = e.check("title", required_text(title, 200));
        let expires_on = e.check("expires_on", parse_optional_date(expires_on));
        let content_type = if bytes.is_empty() {
            e.add("file", "required");
            None
        } else if bytes.len() > MAX_BYTES {
            e.add("file", "file_too_large");
            None
        } else {
            e.check("file", sniff(bytes).ok_or("file_type"))
        };
        let built = (|| {
            Some(DocumentMeta {
                kind: kind?,
                title: title?,
                expires_on: expires_on?,
                content_type: content_type?,
                filename: clean_filename(filename),
            })
        })();
        e.finish(built)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pdf_and_photos_are_accepted() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xff, 0xd8, 0xff, 0xe0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Some("image/heic"));
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"MZ\x90\0"), None);
    }

    #[test]
    fn file_names_cannot_escape() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(
            clean_filename("C:\\x\\contrat \"signé\".pdf"),
            "contrat signé.pdf"
        );
        assert_eq!(clean_filename(""), "document");
    }

    #[test]
    fn a_document_needs_a_title_a_kind_and_an_accepted_file() {
        let e = DocumentMeta::parse("nonsense", "", "2026-13-01", "x.exe", b"MZ").unwrap_err();
        for (f, c) in [
            ("kind", "choice_unknown"),
            ("title", "required"),
            ("expires_on", "date_format"),
            ("file", "file_type"),
        ] {
            assert_eq!(e.for_field(f).map(|x| x.code), Some(c), "{f}");
        }
        let ok = DocumentMeta::parse(
            "insurance",
            "Assurance RC Pro",
            "2027-01-31",
            "rc.pdf",
            b"%PDF-1.4",
        )
        .unwrap();
        assert_eq!(ok.content_type, "application/pdf");
    }
}
