//! The FEC writer (FEC-02, FEC-03).
//!
//! Throughput matters (a large cooperative's year is a few hundred thousand lines and the
//! export runs inside a web request), so each field is appended straight into the output:
//! amounts and dates are formatted by hand, printable-ASCII strings are copied as they are and
//! only other strings go through the ISO-8859-15 transliteration.

use super::BookLine;
use crate::text::{DateLayout, push_cents, push_date, push_latin9_field};

/// The 18 column names of FEC-03, in order.
pub const FEC_COLUMNS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// The header line: [`FEC_COLUMNS`] joined by TAB, ended by CRLF.
const HEADER: &[u8] = b"JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\r\n";

/// A generous estimate of one written line, to reserve the output once.
const LINE_ESTIMATE: usize = 160;

/// Appends the FEC of `lines` to `out`: the header line, then one line per book line, in the
/// order given.
///
/// - FEC-02: TAB-separated, CRLF line ends, ISO-8859-15 without BOM. Characters latin-9 lacks
///   are transliterated (’ ‘ → `'`, “ ” → `"`, – — → `-`, … → `...`) or written `?`; TAB, CR, LF
///   and other control characters inside a field become a space, so a field never splits a
///   line.
/// - FEC-03: the 18 columns of [`FEC_COLUMNS`]; dates `YYYYMMDD`; amounts with a decimal comma,
///   two decimals and no thousands separator (`1200,00`, `0,00`), never negative (see
///   [`BookLine`]); `Montantdevise` and `Idevise` empty (the books are kept in euros).
///
/// The analytic code is not written: FEC-03 allows extra columns, but the tax administration's
/// test tool and most readers expect exactly the 18.
pub fn write_fec(lines: &[BookLine], out: &mut Vec<u8>) {
    out.reserve(HEADER.len() + lines.len() * LINE_ESTIMATE);
    out.extend_from_slice(HEADER);
    for line in lines {
        write_line(line, out);
    }
}

#[inline]
fn write_line(l: &BookLine, out: &mut Vec<u8>) {
    let (debit, credit) = l.sides();
    push_latin9_field(out, &l.journal_code);
    out.push(b'\t');
    push_latin9_field(out, &l.journal_label);
    out.push(b'\t');
    push_latin9_field(out, &l.entry_number);
    out.push(b'\t');
    push_date(out, l.entry_date, DateLayout::Compact);
    out.push(b'\t');
    push_latin9_field(out, &l.account);
    out.push(b'\t');
    push_latin9_field(out, &l.account_label);
    out.push(b'\t');
    push_latin9_field(out, l.aux_code.as_deref().unwrap_or_default());
    out.push(b'\t');
    push_latin9_field(out, l.aux_label.as_deref().unwrap_or_default());
    out.push(b'\t');
    push_latin9_field(out, &l.piece_ref);
    out.push(b'\t');
    push_date(out, l.piece_date, DateLayout::Compact);
    out.push(b'\t');
    push_latin9_field(out, &l.label);
    out.push(b'\t');
    push_cents(out, debit);
    out.push(b'\t');
    push_cents(out, credit);
    out.push(b'\t');
    push_latin9_field(out, l.lettering.as_deref().unwrap_or_default());
    out.push(b'\t');
    if let Some(on) = l.lettered_on {
        push_date(out, on, DateLayout::Compact);
    }
    out.push(b'\t');
    push_date(out, l.validated_on, DateLayout::Compact);
    // Montantdevise and Idevise: empty.
    out.extend_from_slice(b"\t\t\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample::{line, two_entries};
    use time::macros::date;

    fn fec(lines: &[BookLine]) -> Vec<u8> {
        let mut out = Vec::new();
        write_fec(lines, &mut out);
        out
    }

    fn rows(bytes: &[u8]) -> Vec<&[u8]> {
        let mut rows: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        assert_eq!(rows.pop(), Some(&b""[..]), "the file ends with a line end");
        rows.iter()
            .map(|r| r.strip_suffix(b"\r").expect("CRLF"))
            .collect()
    }

    #[test]
    fn header_is_the_exact_18_columns() {
        assert_eq!(HEADER, format!("{}\r\n", FEC_COLUMNS.join("\t")).as_bytes());
        let out = fec(&[]);
        assert_eq!(
            out,
            b"JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\r\n"
        );
    }

    #[test]
    fn sample_lines_match_the_fec_06_example() {
        let out = fec(&two_entries());
        let rows = rows(&out);
        assert_eq!(rows.len(), 6);
        assert_eq!(
            rows[1],
            b"VT\tVentes\tVT000123\t20260315\t411000\tClients\tC00042\tACME SAS\t2026-AB-0042\t20260315\tFact 2026-AB-0042 ACME\t1200,00\t0,00\tAA\t20260410\t20260316\t\t"
        );
        assert_eq!(
            rows[2],
            b"VT\tVentes\tVT000123\t20260315\t706000\tPrestations de services\t\t\t2026-AB-0042\t20260315\tFact 2026-AB-0042 ACME\t0,00\t1000,00\t\t\t20260316\t\t"
        );
        // é (0xE9) in latin-9; the tab inside the label became a space; « » exist in latin-9;
        // the en dash is spelled '-'.
        assert_eq!(
            rows[3],
            b"VT\tVentes\tVT000123\t20260315\t445740\tTVA collect\xE9e sur encaissements\t\t\t2026-AB-0042\t20260315\tFact 2026-AB-0042 ACME\t0,00\t200,00\t\t\t20260316\t\t"
        );
        assert_eq!(
            rows[4],
            b"BQ\tBanque\tBQ000045\t20260410\t512000\tBanque - Cr\xE9dit Coop\xE9ratif\t\t\tVIR ACME\t20260410\tR\xE8glement ACME \xAB 2026-AB-0042 \xBB\t1200,00\t0,00\t\t\t20260410\t\t"
        );
        for row in &rows {
            assert_eq!(
                row.iter().filter(|&&b| b == b'\t').count(),
                17,
                "18 fields on every line"
            );
        }
    }

    #[test]
    fn euro_sign_and_amount_formats() {
        let d = date!(2026 - 01 - 02);
        let mut a = line(
            ("OD", "Divers"),
            "OD1",
            d,
            ("627000", "Frais €"),
            None,
            "X",
            "5 centimes",
            5,
            0,
        );
        let b = line(
            ("OD", "Divers"),
            "OD1",
            d,
            ("512000", "Banque"),
            None,
            "X",
            "gros",
            0,
            123_456_789,
        );
        a.label = "Frais\tbancaires\r\nmars".into();
        let out = fec(&[a, b]);
        let rows = rows(&out);
        let first: Vec<&[u8]> = rows[1].split(|&b| b == b'\t').collect();
        assert_eq!(first[5], b"Frais \xA4");
        assert_eq!(first[10], b"Frais bancaires  mars");
        assert_eq!((first[11], first[12]), (&b"0,05"[..], &b"0,00"[..]));
        let second: Vec<&[u8]> = rows[2].split(|&b| b == b'\t').collect();
        assert_eq!((second[11], second[12]), (&b"0,00"[..], &b"1234567,89"[..]));
    }

    #[test]
    fn no_negative_amount_is_ever_written() {
        let d = date!(2026 - 01 - 02);
        let refund = line(
            ("OD", "Divers"),
            "OD2",
            d,
            ("627000", "Frais"),
            None,
            "X",
            "avoir",
            -1_50,
            0,
        );
        let out = fec(&[refund]);
        assert!(!out.contains(&b'-'));
        assert!(out.ends_with(b"\t0,00\t1,50\t\t\t20260316\t\t\r\n"));
    }
}
