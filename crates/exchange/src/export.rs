//! Ledger exports: the validated book lines written in the formats accountants and the tax
//! administration read.
//!
//! - [`write_fec`] — the *fichier des écritures comptables* (LPF L47 A, A47 A-1): named by
//!   [`fec_file_name`] (FEC-01), flat text in ISO-8859-15 with TAB separators and CRLF line ends
//!   (FEC-02), the 18 legal columns in order (FEC-03). Content selection and ordering (FEC-04)
//!   and the self-checks (FEC-05) belong to the caller: lines are written in the order given.
//! - [`write_hledger`] — a plain-text journal that `hledger` reads, to cross-check balances.
//! - [`write_sage`], [`write_cegid`], [`write_quadra`] — semicolon-separated files for the
//!   "import paramétrable" of those packages; the column lists are in each function's
//!   documentation and in `FORMATS.md`.
//!
//! Every writer appends to a caller-owned `Vec<u8>` and never fails.

use time::Date;

mod fec;
mod hledger;
mod spreadsheet;

pub use fec::{FEC_COLUMNS, write_fec};
pub use hledger::write_hledger;
pub use spreadsheet::{write_cegid, write_quadra, write_sage};

/// One line of a validated accounting entry, as the exports need it.
///
/// Lines arrive sorted: the lines of one entry are contiguous, entries in validation order
/// (FEC-04). `debit_cents` and `credit_cents` are non-negative and exactly one of them is
/// positive (ACC-03); should a caller pass a negative amount or both sides, the writers post
/// the net amount on the side it belongs to, so no negative amount is ever written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookLine {
    /// Journal code (ACC-02: VT, AC, BQ…): FEC `JournalCode`.
    pub journal_code: String,
    /// Journal label: FEC `JournalLib`.
    pub journal_label: String,
    /// Entry number, continuous per year: FEC `EcritureNum`.
    pub entry_number: String,
    /// Accounting date of the entry: FEC `EcritureDate`.
    pub entry_date: Date,
    /// General account number (PCG, e.g. `411000`): FEC `CompteNum`.
    pub account: String,
    /// General account label: FEC `CompteLib`.
    pub account_label: String,
    /// Auxiliary (customer/supplier) account: FEC `CompAuxNum`.
    pub aux_code: Option<String>,
    /// Auxiliary account label: FEC `CompAuxLib`.
    pub aux_label: Option<String>,
    /// Voucher reference (invoice number…): FEC `PieceRef`.
    pub piece_ref: String,
    /// Voucher date: FEC `PieceDate`.
    pub piece_date: Date,
    /// Line label: FEC `EcritureLib`.
    pub label: String,
    /// Debit in cents (≥ 0).
    pub debit_cents: i64,
    /// Credit in cents (≥ 0).
    pub credit_cents: i64,
    /// Lettering (matching) code: FEC `EcritureLet`.
    pub lettering: Option<String>,
    /// Lettering date: FEC `DateLet`.
    pub lettered_on: Option<Date>,
    /// Validation date of the entry: FEC `ValidDate`.
    pub validated_on: Date,
    /// Activity analytic code (ACC-01); not a FEC column.
    pub analytic: Option<String>,
}

impl BookLine {
    /// `(debit, credit)` as written: non-negative, at most one of them non-zero; a line that
    /// breaks the "exactly one side" contract is reduced to its net amount.
    #[inline]
    pub(crate) fn sides(&self) -> (u64, u64) {
        if self.debit_cents >= 0
            && self.credit_cents >= 0
            && (self.debit_cents == 0 || self.credit_cents == 0)
        {
            // The contract holds (the usual case): no arithmetic needed.
            return (
                self.debit_cents.unsigned_abs(),
                self.credit_cents.unsigned_abs(),
            );
        }
        let net = i128::from(self.debit_cents) - i128::from(self.credit_cents);
        // |net| < 2^64, so it always fits in a u64.
        let abs = u64::try_from(net.unsigned_abs()).unwrap_or(u64::MAX);
        if net >= 0 { (abs, 0) } else { (0, abs) }
    }

    /// Debit minus credit, as a signed amount (positive = debit).
    pub(crate) fn signed_cents(&self) -> i128 {
        i128::from(self.debit_cents) - i128::from(self.credit_cents)
    }
}

/// FEC-01: the file name `<SIREN>FEC<YYYYMMDD>.txt`, the date being the closing date of the
/// financial year. Spaces in `siren` are dropped (`"123 456 789"` → `123456789`).
pub fn fec_file_name(siren: &str, closing: Date) -> String {
    let mut name: Vec<u8> = siren.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    name.extend_from_slice(b"FEC");
    crate::text::push_date(&mut name, closing, crate::text::DateLayout::Compact);
    name.extend_from_slice(b".txt");
    String::from_utf8_lossy(&name).into_owned()
}

/// Groups consecutive lines of the same entry (same journal and entry number).
pub(crate) fn entries(lines: &[BookLine]) -> impl Iterator<Item = &[BookLine]> {
    lines.chunk_by(|a, b| a.entry_number == b.entry_number && a.journal_code == b.journal_code)
}

#[cfg(test)]
pub(crate) mod sample {
    //! A two-entry sample shared by the writers' tests (the FEC-06 example and its payment).
    use super::BookLine;
    use time::macros::date;

    #[allow(clippy::too_many_arguments)]
    pub fn line(
        journal: (&str, &str),
        number: &str,
        date: time::Date,
        account: (&str, &str),
        aux: Option<(&str, &str)>,
        piece: &str,
        label: &str,
        debit: i64,
        credit: i64,
    ) -> BookLine {
        BookLine {
            journal_code: journal.0.into(),
            journal_label: journal.1.into(),
            entry_number: number.into(),
            entry_date: date,
            account: account.0.into(),
            account_label: account.1.into(),
            aux_code: aux.map(|a| a.0.into()),
            aux_label: aux.map(|a| a.1.into()),
            piece_ref: piece.into(),
            piece_date: date,
            label: label.into(),
            debit_cents: debit,
            credit_cents: credit,
            lettering: None,
            lettered_on: None,
            validated_on: date!(2026 - 03 - 16),
            analytic: None,
        }
    }

    pub fn two_entries() -> Vec<BookLine> {
        let vt = ("VT", "Ventes");
        let bq = ("BQ", "Banque");
        let d = date!(2026 - 03 - 15);
        let p = date!(2026 - 04 - 10);
        let mut client = line(
            vt,
            "VT000123",
            d,
            ("411000", "Clients"),
            Some(("C00042", "ACME SAS")),
            "2026-AB-0042",
            "Fact 2026-AB-0042 ACME",
            120_000,
            0,
        );
        client.lettering = Some("AA".into());
        client.lettered_on = Some(p);
        client.analytic = Some("AB".into());
        let mut sale = line(
            vt,
            "VT000123",
            d,
            ("706000", "Prestations de services"),
            None,
            "2026-AB-0042",
            "Fact 2026-AB-0042 ACME",
            0,
            100_000,
        );
        sale.analytic = Some("AB".into());
        let vat = line(
            vt,
            "VT000123",
            d,
            ("445740", "TVA collectée sur encaissements"),
            None,
            "2026-AB-0042",
            "Fact 2026-AB-0042 ACME",
            0,
            20_000,
        );
        let mut bank = line(
            bq,
            "BQ000045",
            p,
            ("512000", "Banque – Crédit Coopératif"),
            None,
            "VIR ACME",
            "Règlement\tACME « 2026-AB-0042 »",
            120_000,
            0,
        );
        bank.validated_on = p;
        let mut paid = line(
            bq,
            "BQ000045",
            p,
            ("411000", "Clients"),
            Some(("C00042", "ACME SAS")),
            "VIR ACME",
            "Règlement\tACME « 2026-AB-0042 »",
            0,
            120_000,
        );
        paid.lettering = Some("AA".into());
        paid.lettered_on = Some(p);
        paid.validated_on = p;
        paid.analytic = Some("AB".into());
        vec![client, sale, vat, bank, paid]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn fec_file_name_follows_fec_01() {
        assert_eq!(
            fec_file_name("123 456 789", date!(2026 - 12 - 31)),
            "123456789FEC20261231.txt"
        );
    }

    #[test]
    fn contract_breaking_lines_are_netted_never_negative() {
        let mut l = sample::two_entries().remove(0);
        assert_eq!(l.sides(), (120_000, 0));
        l.debit_cents = -500;
        assert_eq!(l.sides(), (0, 500));
        l.debit_cents = 700;
        l.credit_cents = 200;
        assert_eq!(l.sides(), (500, 0));
        l.debit_cents = i64::MIN;
        l.credit_cents = i64::MAX;
        assert_eq!(l.sides(), (0, u64::MAX));
    }

    #[test]
    fn entries_are_grouped_by_journal_and_number() {
        let lines = sample::two_entries();
        let sizes: Vec<usize> = entries(&lines).map(<[BookLine]>::len).collect();
        assert_eq!(sizes, [3, 2]);
    }
}
