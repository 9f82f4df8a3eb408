//! Semicolon-separated exports for the "import paramétrable" of Sage 100, Cegid and Quadra.
//!
//! The three files share one writer driven by a column table; the tables below are the
//! documentation of record (mirrored in `FORMATS.md`). Common rules:
//! - first row = column names, then one row per book line, in the order given;
//! - `;` separator, CRLF line ends, decimal comma with two decimals and no thousands separator,
//!   empty cell for a zero debit or credit;
//! - a field containing `;` or `"` is quoted (`"…"`, inner quotes doubled); control
//!   characters (TAB, CR, LF…) become a space, so a row is always one line.

use super::BookLine;
use crate::text::{DateLayout, push_cents, push_date, push_utf8_field, utf8_to_windows1252};

/// What one column holds.
#[derive(Clone, Copy, Debug)]
enum Field {
    Journal,
    /// Entry date, `JJMMAA`.
    DateDdMmYy,
    /// Entry date, `JJ/MM/AAAA`.
    DateDdMmYyyy,
    Account,
    Aux,
    EntryNumber,
    PieceRef,
    Label,
    /// Debit amount, empty when zero.
    Debit,
    /// Credit amount, empty when zero.
    Credit,
    Analytic,
    Lettering,
    /// Cegid document type (nature de pièce) derived from the journal.
    CegidDocType,
    /// Quadra: the auxiliary account when there is one, else the general account.
    QuadraAccount,
    /// Quadra: the general (collective) account when the line has an auxiliary account.
    QuadraCollective,
    Empty,
}

const SAGE: &[(&str, Field)] = &[
    ("Code journal", Field::Journal),
    ("Date", Field::DateDdMmYy),
    ("N° compte général", Field::Account),
    ("N° compte tiers", Field::Aux),
    ("N° pièce", Field::EntryNumber),
    ("Référence", Field::PieceRef),
    ("Libellé écriture", Field::Label),
    ("Débit", Field::Debit),
    ("Crédit", Field::Credit),
    ("Section analytique", Field::Analytic),
    ("Lettrage", Field::Lettering),
];

const CEGID: &[(&str, Field)] = &[
    ("Journal", Field::Journal),
    ("Date", Field::DateDdMmYyyy),
    ("Type pièce", Field::CegidDocType),
    ("N° pièce", Field::EntryNumber),
    ("Compte général", Field::Account),
    ("Compte auxiliaire", Field::Aux),
    ("Référence", Field::PieceRef),
    ("Libellé", Field::Label),
    ("Débit", Field::Debit),
    ("Crédit", Field::Credit),
    ("Section analytique", Field::Analytic),
];

const QUADRA: &[(&str, Field)] = &[
    ("Journal", Field::Journal),
    ("Date", Field::DateDdMmYy),
    ("Compte", Field::QuadraAccount),
    ("Libellé", Field::Label),
    ("Débit", Field::Debit),
    ("Crédit", Field::Credit),
    ("Pièce", Field::PieceRef),
    ("Échéance", Field::Empty),
    ("Compte collectif", Field::QuadraCollective),
    ("Section analytique", Field::Analytic),
    ("N° écriture", Field::EntryNumber),
];

/// Appends a Sage 100 Comptabilité file (UTF-8, `;`) to `out`, for an "import paramétrable"
/// format defined with these columns:
///
/// | # | Column | Content |
/// |---|---|---|
/// | 1 | Code journal | journal code (VT, AC, BQ…) |
/// | 2 | Date | entry date, `JJMMAA` |
/// | 3 | N° compte général | general account (`411000`) |
/// | 4 | N° compte tiers | auxiliary account, or empty |
/// | 5 | N° pièce | entry number |
/// | 6 | Référence | voucher reference (invoice number…) |
/// | 7 | Libellé écriture | line label |
/// | 8 | Débit | `1200,00`, empty when zero |
/// | 9 | Crédit | `1200,00`, empty when zero |
/// | 10 | Section analytique | activity analytic code, or empty |
/// | 11 | Lettrage | lettering code, or empty |
pub fn write_sage(lines: &[BookLine], out: &mut Vec<u8>) {
    write_table(SAGE, lines, out);
}

/// Appends a Cegid file (UTF-8, `;`) to `out`, for an "import paramétrable" (ASCII
/// délimité) format defined with these columns:
///
/// | # | Column | Content |
/// |---|---|---|
/// | 1 | Journal | journal code |
/// | 2 | Date | entry date, `JJ/MM/AAAA` |
/// | 3 | Type pièce | `FC` for journals starting with `VT`, `FF` for `AC`, else `OD` |
/// | 4 | N° pièce | entry number (groups the lines of one entry) |
/// | 5 | Compte général | general account |
/// | 6 | Compte auxiliaire | auxiliary account, or empty |
/// | 7 | Référence | voucher reference |
/// | 8 | Libellé | line label |
/// | 9 | Débit | `1200,00`, empty when zero |
/// | 10 | Crédit | `1200,00`, empty when zero |
/// | 11 | Section analytique | activity analytic code, or empty |
pub fn write_cegid(lines: &[BookLine], out: &mut Vec<u8>) {
    write_table(CEGID, lines, out);
}

/// Appends a Quadra (QuadraCOMPTA / Cegid Quadra) file to `out`, encoded in Windows-1252 as
/// Quadra expects (characters Windows-1252 lacks are spelled in ASCII or written `?`), for an
/// "import paramétrable" format defined with these columns:
///
/// | # | Column | Content |
/// |---|---|---|
/// | 1 | Journal | journal code |
/// | 2 | Date | entry date, `JJMMAA` |
/// | 3 | Compte | auxiliary account when the line has one (Quadra posts to the third-party account), else the general account |
/// | 4 | Libellé | line label |
/// | 5 | Débit | `1200,00`, empty when zero |
/// | 6 | Crédit | `1200,00`, empty when zero |
/// | 7 | Pièce | voucher reference |
/// | 8 | Échéance | due date: always empty (not kept on book lines) |
/// | 9 | Compte collectif | general account when column 3 holds an auxiliary account, else empty |
/// | 10 | Section analytique | activity analytic code, or empty |
/// | 11 | N° écriture | entry number |
pub fn write_quadra(lines: &[BookLine], out: &mut Vec<u8>) {
    let mut utf8 = Vec::new();
    write_table(QUADRA, lines, &mut utf8);
    utf8_to_windows1252(&String::from_utf8_lossy(&utf8), out);
}

fn write_table(columns: &[(&str, Field)], lines: &[BookLine], out: &mut Vec<u8>) {
    out.reserve(128 + lines.len() * 96);
    for (i, (name, _)) in columns.iter().enumerate() {
        if i > 0 {
            out.push(b';');
        }
        out.extend_from_slice(name.as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    for line in lines {
        let (debit, credit) = line.sides();
        for (i, (_, field)) in columns.iter().enumerate() {
            if i > 0 {
                out.push(b';');
            }
            let start = out.len();
            write_field(*field, line, debit, credit, out);
            quote_if_needed(out, start);
        }
        out.extend_from_slice(b"\r\n");
    }
}

fn write_field(field: Field, l: &BookLine, debit: u64, credit: u64, out: &mut Vec<u8>) {
    let text = |out: &mut Vec<u8>, s: Option<&str>| push_utf8_field(out, s.unwrap_or_default());
    let has_aux = l.aux_code.as_deref().is_some_and(|a| !a.trim().is_empty());
    match field {
        Field::Journal => text(out, Some(&l.journal_code)),
        Field::DateDdMmYy => push_date(out, l.entry_date, DateLayout::DdMmYy),
        Field::DateDdMmYyyy => push_date(out, l.entry_date, DateLayout::DdMmYyyySlash),
        Field::Account => text(out, Some(&l.account)),
        Field::Aux => text(out, l.aux_code.as_deref()),
        Field::EntryNumber => text(out, Some(&l.entry_number)),
        Field::PieceRef => text(out, Some(&l.piece_ref)),
        Field::Label => text(out, Some(&l.label)),
        Field::Debit if debit > 0 => push_cents(out, debit),
        Field::Credit if credit > 0 => push_cents(out, credit),
        Field::Debit | Field::Credit | Field::Empty => {}
        Field::Analytic => text(out, l.analytic.as_deref()),
        Field::Lettering => text(out, l.lettering.as_deref()),
        Field::CegidDocType => out.extend_from_slice(cegid_doc_type(&l.journal_code).as_bytes()),
        Field::QuadraAccount if has_aux => text(out, l.aux_code.as_deref()),
        Field::QuadraAccount => text(out, Some(&l.account)),
        Field::QuadraCollective if has_aux => text(out, Some(&l.account)),
        Field::QuadraCollective => {}
    }
}

/// Cegid's nature de pièce from the journal code (ACC-02): sales → customer invoice, purchases
/// → supplier invoice, anything else → miscellaneous.
fn cegid_doc_type(journal: &str) -> &'static str {
    let journal = journal.trim().to_ascii_uppercase();
    if journal.starts_with("VT") {
        "FC"
    } else if journal.starts_with("AC") {
        "FF"
    } else {
        "OD"
    }
}

/// Quotes the field written since `start` if it holds the separator or a quote.
fn quote_if_needed(out: &mut Vec<u8>, start: usize) {
    let Some(field) = out.get(start..) else {
        return;
    };
    if !field.iter().any(|&b| b == b';' || b == b'"') {
        return;
    }
    let raw = out.split_off(start);
    out.push(b'"');
    for b in raw {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample::two_entries;

    fn utf8(write: fn(&[BookLine], &mut Vec<u8>), lines: &[BookLine]) -> Vec<String> {
        let mut out = Vec::new();
        write(lines, &mut out);
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("\r\n"));
        text.split_terminator("\r\n").map(str::to_owned).collect()
    }

    #[test]
    fn sage_rows() {
        let rows = utf8(write_sage, &two_entries());
        assert_eq!(
            rows[0],
            "Code journal;Date;N° compte général;N° compte tiers;N° pièce;Référence;Libellé écriture;Débit;Crédit;Section analytique;Lettrage"
        );
        assert_eq!(
            rows[1],
            "VT;150326;411000;C00042;VT000123;2026-AB-0042;Fact 2026-AB-0042 ACME;1200,00;;AB;AA"
        );
        assert_eq!(
            rows[3],
            "VT;150326;445740;;VT000123;2026-AB-0042;Fact 2026-AB-0042 ACME;;200,00;;"
        );
        assert_eq!(
            rows[4],
            "BQ;100426;512000;;BQ000045;VIR ACME;Règlement ACME « 2026-AB-0042 »;1200,00;;;"
        );
        assert_eq!(rows.len(), 6);
    }

    #[test]
    fn cegid_rows() {
        let rows = utf8(write_cegid, &two_entries());
        assert_eq!(
            rows[0],
            "Journal;Date;Type pièce;N° pièce;Compte général;Compte auxiliaire;Référence;Libellé;Débit;Crédit;Section analytique"
        );
        assert_eq!(
            rows[1],
            "VT;15/03/2026;FC;VT000123;411000;C00042;2026-AB-0042;Fact 2026-AB-0042 ACME;1200,00;;AB"
        );
        assert_eq!(
            rows[5],
            "BQ;10/04/2026;OD;BQ000045;411000;C00042;VIR ACME;Règlement ACME « 2026-AB-0042 »;;1200,00;AB"
        );
    }

    #[test]
    fn quadra_is_windows_1252_with_the_third_party_account() {
        let mut lines = two_entries();
        lines[1].label = "Prestation \"conseil\"; mars – 10 €".into();
        let mut out = Vec::new();
        write_quadra(&lines, &mut out);
        let rows: Vec<&[u8]> = out.split(|&b| b == b'\n').collect();
        assert_eq!(
            rows[0],
            b"Journal;Date;Compte;Libell\xE9;D\xE9bit;Cr\xE9dit;Pi\xE8ce;\xC9ch\xE9ance;Compte collectif;Section analytique;N\xB0 \xE9criture\r"
        );
        assert_eq!(
            rows[1],
            b"VT;150326;C00042;Fact 2026-AB-0042 ACME;1200,00;;2026-AB-0042;;411000;AB;VT000123\r"
        );
        // Quoted because of `;` and `"`; the en dash and the euro sign exist in Windows-1252.
        assert_eq!(
            rows[2],
            b"VT;150326;706000;\"Prestation \"\"conseil\"\"; mars \x96 10 \x80\";;1000,00;2026-AB-0042;;;AB;VT000123\r"
        );
    }
}
