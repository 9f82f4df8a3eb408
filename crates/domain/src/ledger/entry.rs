//! Journal entries (ACC-03): balanced, one journal and one date, lines with exactly one side.
//! Postings are built from signed amounts and normalised here, so every rule that makes entries
//! (automatic postings, manual entries, opening entries) ends in the same checks.

use super::account::{AccountNumber, takes_analytic};
use crate::validation::FieldErrors;
use time::Date;

/// A third party on a customer or supplier line (FEC CompAuxNum / CompAuxLib).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Aux {
    pub code: String,
    pub label: String,
}

/// One line of an entry: exactly one of `debit_cents` and `credit_cents` is positive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryLine {
    pub account: String,
    pub aux: Option<Aux>,
    pub analytic: Option<String>,
    pub label: String,
    pub debit_cents: i64,
    pub credit_cents: i64,
}

impl EntryLine {
    /// The line's balance, debit positive.
    pub fn signed(&self) -> i64 {
        self.debit_cents - self.credit_cents
    }
}

/// An entry being built: lines are added as signed amounts (debit positive), then merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryDraft {
    pub date: Date,
    pub piece_ref: String,
    pub piece_date: Date,
    pub label: String,
    pub lines: Vec<EntryLine>,
}

impl EntryDraft {
    pub fn new(date: Date, piece_ref: &str, piece_date: Date, label: &str) -> EntryDraft {
        EntryDraft {
            date,
            piece_ref: piece_ref.to_owned(),
            piece_date,
            label: label.to_owned(),
            lines: Vec::new(),
        }
    }

    /// Adds `amount` to `account`, debit when positive, credit when negative; a zero amount adds
    /// nothing. Lines with the same account, third party and analytic code are merged by
    /// [`EntryDraft::finish`].
    pub fn post(
        &mut self,
        account: &str,
        aux: Option<&Aux>,
        analytic: Option<&str>,
        amount: i64,
    ) -> &mut Self {
        if amount != 0 {
            self.lines.push(EntryLine {
                account: account.to_owned(),
                aux: aux.cloned(),
                analytic: analytic.map(str::to_owned),
                label: self.label.clone(),
                debit_cents: amount.max(0),
                credit_cents: (-amount).max(0),
            });
        }
        self
    }
    pub fn debit(
        &mut self,
        account: &str,
        aux: Option<&Aux>,
        analytic: Option<&str>,
        cents: i64,
    ) -> &mut Self {
        self.post(account, aux, analytic, cents)
    }
    pub fn credit(
        &mut self,
        account: &str,
        aux: Option<&Aux>,
        analytic: Option<&str>,
        cents: i64,
    ) -> &mut Self {
        self.post(account, aux, analytic, -cents)
    }

    /// Swaps debit and credit on every line (a credit note mirrors its invoice).
    pub fn reversed(mut self) -> EntryDraft {
        for l in &mut self.lines {
            std::mem::swap(&mut l.debit_cents, &mut l.credit_cents);
        }
        self
    }

    /// Merges the lines of one account, third party, analytic code and side, in the order they
    /// first appear, and drops those that cancel out.
    pub fn finish(mut self) -> EntryDraft {
        let mut merged: Vec<EntryLine> = Vec::with_capacity(self.lines.len());
        for l in self.lines.drain(..) {
            let debit_side = l.debit_cents > 0;
            match merged.iter_mut().find(|m| {
                m.account == l.account
                    && m.aux == l.aux
                    && m.analytic == l.analytic
                    && (m.debit_cents > 0) == debit_side
            }) {
                Some(m) => {
                    m.debit_cents += l.debit_cents;
                    m.credit_cents += l.credit_cents;
                }
                None => merged.push(l),
            }
        }
        merged.retain(|l| l.debit_cents != 0 || l.credit_cents != 0);
        self.lines = merged;
        self
    }

    pub fn total_debit(&self) -> i64 {
        self.lines.iter().map(|l| l.debit_cents).sum()
    }
    pub fn total_credit(&self) -> i64 {
        self.lines.iter().map(|l| l.credit_cents).sum()
    }

    /// ACC-03 and ACC-01: at least two lines, each on a valid account with one positive side,
    /// charges and revenue with their analytic code, and Σ debit = Σ credit. Errors name the row.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.label.trim().is_empty() {
            e.add("label", "required");
        }
        if self.piece_ref.trim().is_empty() {
            e.add("piece_ref", "required");
        }
        if self.lines.len() < 2 {
            e.add("lines", "entry_too_few_lines");
        }
        for (i, l) in self.lines.iter().enumerate() {
            if AccountNumber::parse(&l.account).is_err() {
                e.add_row(i, "account", "account_number_format");
            }
            let one_side = (l.debit_cents > 0 && l.credit_cents == 0)
                || (l.credit_cents > 0 && l.debit_cents == 0);
            if !one_side {
                e.add_row(i, "amount", "entry_line_one_side");
            }
            if takes_analytic(&l.account) && l.analytic.is_none() {
                e.add_row(i, "analytic", "entry_analytic_required");
            }
        }
        if e.is_empty() && self.total_debit() != self.total_credit() {
            e.add("lines", "entry_unbalanced");
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft() -> EntryDraft {
        EntryDraft::new(
            date!(2026 - 03 - 15),
            "F-1",
            date!(2026 - 03 - 15),
            "Facture F-1",
        )
    }

    #[test]
    fn lines_merge_by_account_and_side_and_the_entry_balances() {
        let mut d = draft();
        d.debit("411000", None, Some("AB"), 1200)
            .credit("706000", None, Some("AB"), 600)
            .credit("706000", None, Some("AB"), 400)
            .credit("445741", None, None, 200)
            .post("709000", None, Some("AB"), 0);
        let d = d.finish();
        assert_eq!(d.lines.len(), 3);
        assert_eq!(d.lines[1].credit_cents, 1000);
        assert_eq!(d.check(), Ok(()));
    }

    #[test]
    fn an_unbalanced_entry_is_refused() {
        // ACC-03
        let mut d = draft();
        d.debit("411000", None, Some("AB"), 1200)
            .credit("706000", None, Some("AB"), 1000);
        let e = d.finish().check().unwrap_err();
        assert_eq!(
            e.for_field("lines").map(|e| e.code),
            Some("entry_unbalanced")
        );
    }

    #[test]
    fn revenue_without_analytic_code_is_refused() {
        // ACC-01
        let mut d = draft();
        d.debit("512000", None, None, 100)
            .credit("706000", None, None, 100);
        let e = d.finish().check().unwrap_err();
        assert_eq!(
            e.for_row(1, "analytic").map(|e| e.code),
            Some("entry_analytic_required")
        );
    }

    #[test]
    fn a_negative_amount_posts_on_the_other_side_and_reversal_mirrors() {
        let mut d = draft();
        d.credit("706000", None, Some("AB"), -50)
            .post("512000", None, None, -50);
        let d = d.finish();
        assert_eq!(d.lines[0].debit_cents, 50);
        assert_eq!(d.lines[1].credit_cents, 50);
        let r = d.reversed();
        assert_eq!(r.lines[0].credit_cents, 50);
        assert_eq!(r.check(), Ok(()));
    }
}

/// The lettering code of the `n`-th settled set of lines (1 → `A`, 26 → `Z`, 27 → `AA`…), as
/// accountants letter the customer lines an invoice and its payments close.
pub fn lettering_code(n: u64) -> String {
    let mut n = n.max(1);
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'A' + u8::try_from(n % 26).unwrap_or(0));
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod lettering_tests {
    use super::lettering_code;

    #[test]
    fn lettering_codes_run_like_spreadsheet_columns() {
        assert_eq!(lettering_code(1), "A");
        assert_eq!(lettering_code(26), "Z");
        assert_eq!(lettering_code(27), "AA");
        assert_eq!(lettering_code(702), "ZZ");
        assert_eq!(lettering_code(703), "AAA");
    }
}
