//! The hledger journal writer.
//!
//! Each entry becomes one transaction whose postings use the general account number as
//! account name, so that `hledger bal` per account gives the same balances as the FEC.

use super::{BookLine, entries};
use crate::text::{DateLayout, push_date, push_signed_cents, push_utf8_field};

/// Appends an hledger journal (UTF-8) of `lines` to `out`:
///
/// ```text
/// decimal-mark ,
///
/// 2026-03-15 (VT/VT000123) Fact 2026-AB-0042 ACME
///     411000  1200,00  ; aux:C00042, analytic:AB
///     706000  -1000,00  ; analytic:AB
///     445740  -200,00
/// ```
///
/// - one transaction per entry (consecutive lines with the same journal and number), dated by
///   the entry date, with `(JOURNAL/NUMBER)` as code and the first line's label as description;
/// - one posting per line: the general account number, two spaces, the signed amount (debit
///   positive, credit negative) with a decimal comma and no commodity;
/// - the auxiliary account and the analytic code, when present, as posting tags `aux:` and
///   `analytic:` in a comment.
///
/// Text is kept on one line (control characters become spaces); commas in tag values become
/// spaces, since a comma ends an hledger tag value.
pub fn write_hledger(lines: &[BookLine], out: &mut Vec<u8>) {
    out.reserve(16 + lines.len() * 64);
    out.extend_from_slice(b"decimal-mark ,\n");
    for entry in entries(lines) {
        let Some(first) = entry.first() else { continue };
        out.push(b'\n');
        push_date(out, first.entry_date, DateLayout::Iso);
        out.extend_from_slice(b" (");
        push_code(out, &first.journal_code);
        out.push(b'/');
        push_code(out, &first.entry_number);
        out.extend_from_slice(b") ");
        push_utf8_field(out, first.label.trim());
        out.push(b'\n');
        for line in entry {
            write_posting(line, out);
        }
    }
}

fn write_posting(line: &BookLine, out: &mut Vec<u8>) {
    out.extend_from_slice(b"    ");
    push_account(out, &line.account);
    out.extend_from_slice(b"  ");
    // The net amount, as in the FEC; it fits an i64 for every line honouring the contract.
    let signed = line.signed_cents();
    push_signed_cents(
        out,
        i64::try_from(signed).unwrap_or(if signed < 0 { i64::MIN } else { i64::MAX }),
    );
    let aux = line
        .aux_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let analytic = line
        .analytic
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if aux.is_some() || analytic.is_some() {
        out.extend_from_slice(b"  ; ");
        if let Some(aux) = aux {
            out.extend_from_slice(b"aux:");
            push_tag_value(out, aux);
        }
        if let Some(analytic) = analytic {
            if aux.is_some() {
                out.extend_from_slice(b", ");
            }
            out.extend_from_slice(b"analytic:");
            push_tag_value(out, analytic);
        }
    }
    out.push(b'\n');
}

/// A transaction code sits between parentheses: a `)` would end it early.
fn push_code(out: &mut Vec<u8>, s: &str) {
    push_utf8_field(out, &s.trim().replace([')', '('], "_"));
}

/// An account name ends at two spaces or a tab: keep account numbers in one word.
fn push_account(out: &mut Vec<u8>, s: &str) {
    let s = s.trim();
    if s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        out.extend_from_slice(s.as_bytes());
    } else {
        let word: String = s
            .chars()
            .map(|c| {
                if c.is_whitespace() || c == ';' {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        push_utf8_field(out, &word);
    }
}

fn push_tag_value(out: &mut Vec<u8>, s: &str) {
    push_utf8_field(out, &s.replace(',', " "));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::sample::two_entries;
    use std::collections::BTreeMap;

    fn journal() -> String {
        let mut out = Vec::new();
        write_hledger(&two_entries(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn journal_layout() {
        assert_eq!(
            journal(),
            "decimal-mark ,\n\
             \n\
             2026-03-15 (VT/VT000123) Fact 2026-AB-0042 ACME\n    \
             411000  1200,00  ; aux:C00042, analytic:AB\n    \
             706000  -1000,00  ; analytic:AB\n    \
             445740  -200,00\n\
             \n\
             2026-04-10 (BQ/BQ000045) Règlement ACME « 2026-AB-0042 »\n    \
             512000  1200,00\n    \
             411000  -1200,00  ; aux:C00042, analytic:AB\n"
        );
    }

    /// Balances per account computed from the book lines, formatted like `hledger bal`.
    fn expected_balances() -> BTreeMap<String, i64> {
        let mut map = BTreeMap::new();
        for l in two_entries() {
            *map.entry(l.account.clone()).or_insert(0) += l.debit_cents - l.credit_cents;
        }
        map.retain(|_, v| *v != 0);
        map
    }

    /// Runs `hledger check` and `hledger bal` on the journal when hledger is installed.
    #[test]
    fn hledger_reads_the_journal_and_agrees_on_balances() {
        use std::process::Command;
        if Command::new("hledger").arg("--version").output().is_err() {
            eprintln!("hledger not installed: skipped");
            return;
        }
        let path =
            std::env::temp_dir().join(format!("essaim-exchange-{}.journal", std::process::id()));
        std::fs::write(&path, journal()).unwrap();
        let check = Command::new("hledger")
            .arg("-f")
            .arg(&path)
            .arg("check")
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "hledger check: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let bal = Command::new("hledger")
            .arg("-f")
            .arg(&path)
            .args(["bal", "--flat", "--no-total", "-O", "csv"])
            .output()
            .unwrap();
        std::fs::remove_file(&path).ok();
        assert!(
            bal.status.success(),
            "hledger bal: {}",
            String::from_utf8_lossy(&bal.stderr)
        );
        let mut got = BTreeMap::new();
        for row in String::from_utf8(bal.stdout).unwrap().lines().skip(1) {
            let cells: Vec<&str> = row.split("\",\"").map(|c| c.trim_matches('"')).collect();
            let amount: String = cells[1]
                .chars()
                .filter(|c| *c != ',' && *c != '.')
                .collect();
            got.insert(cells[0].to_owned(), amount.parse::<i64>().unwrap());
        }
        assert_eq!(got, expected_balances());
    }
}
