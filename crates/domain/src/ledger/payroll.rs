//! The posting of a payslip (ACC 5.2, PAY-25): the salary cost goes to the activities of the
//! person, in their shares (ACC-01: the 64x lines carry the activity's analytic code).
//!
//! ```text
//! Payslip:  D 641100 gross (per activity) | D 645000 employer contributions less reductions
//!           (per activity) | C 421000 net (the person) | C 431000 employee and employer
//!           contributions less reductions                                   — journal SA
//! ```

use super::entry::{Aux, EntryDraft};
use crate::payroll::bridge::split;
use time::Date;

pub const GROSS: &str = "641100";
pub const EMPLOYER_CONTRIBUTIONS: &str = "645000";
pub const NET_PAY: &str = "421000";
pub const SOCIAL_BODIES: &str = "431000";

/// An imported payslip and the activities its cost goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayslipFacts {
    /// The last day of the pay month.
    pub month_end: Date,
    /// `PAIE-2026-11`.
    pub reference: String,
    pub person: Aux,
    pub gross: i64,
    pub employee_contributions: i64,
    pub employer_contributions: i64,
    pub employer_reductions: i64,
    pub net: i64,
    /// Analytic code and share (basis points) of each activity the person runs.
    pub activities: Vec<(String, u32)>,
}

impl PayslipFacts {
    /// What the activities bear (PAY-25): gross plus employer contributions less reductions.
    pub fn employer_cost(&self) -> i64 {
        self.gross + self.employer_contributions - self.employer_reductions
    }
}

/// The payroll-journal entry of a payslip; balanced when `net = gross − employee contributions`.
pub fn payslip_entry(f: &PayslipFacts) -> EntryDraft {
    let label = format!(
        "Salaire {} {}",
        f.reference.trim_start_matches("PAIE-"),
        f.person.label
    );
    let mut e = EntryDraft::new(f.month_end, &f.reference, f.month_end, &label);
    let shares: Vec<u32> = f.activities.iter().map(|(_, s)| *s).collect();
    let employer = f.employer_contributions - f.employer_reductions;
    let gross = split(f.gross, &shares);
    let charges = split(employer, &shares);
    for (i, (analytic, _)) in f.activities.iter().enumerate() {
        e.debit(GROSS, None, Some(analytic), gross[i]);
        e.debit(EMPLOYER_CONTRIBUTIONS, None, Some(analytic), charges[i]);
    }
    e.credit(NET_PAY, Some(&f.person), None, f.net);
    e.credit(
        SOCIAL_BODIES,
        None,
        None,
        f.employee_contributions + employer,
    );
    e.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::spending::person_aux;
    use time::macros::date;

    #[test]
    fn a_payslip_charges_each_activity_its_share_and_owes_the_net_and_the_contributions() {
        // The URSSAF's 2,500 € gross (non-cadre, 2026): net 1,957.05; employer 1,092.40 less
        // 429.75 of RGDU.
        let f = PayslipFacts {
            month_end: date!(2026 - 03 - 31),
            reference: "PAIE-2026-03".into(),
            person: person_aux(7, "Awa Diallo"),
            gross: 250_000,
            employee_contributions: 54_295,
            employer_contributions: 109_240,
            employer_reductions: 42_975,
            net: 195_705,
            activities: vec![("BOIS".into(), 7_000), ("CONS".into(), 3_000)],
        };
        let e = payslip_entry(&f);
        assert!(e.check().is_ok());
        assert_eq!(e.total_debit(), f.employer_cost());
        assert_eq!(f.employer_cost(), 316_265);
        let on = |account: &str, analytic: Option<&str>| {
            e.lines
                .iter()
                .filter(|l| l.account == account && l.analytic.as_deref() == analytic)
                .map(|l| l.debit_cents - l.credit_cents)
                .sum::<i64>()
        };
        assert_eq!(on(GROSS, Some("BOIS")), 175_000);
        assert_eq!(on(GROSS, Some("CONS")), 75_000);
        assert_eq!(
            on(EMPLOYER_CONTRIBUTIONS, Some("BOIS")) + on(EMPLOYER_CONTRIBUTIONS, Some("CONS")),
            66_265
        );
        assert_eq!(on(NET_PAY, None), -195_705);
        assert_eq!(on(SOCIAL_BODIES, None), -(54_295 + 66_265));
        assert_eq!(
            e.lines
                .iter()
                .find(|l| l.account == NET_PAY)
                .and_then(|l| l.aux.clone())
                .map(|a| a.code),
            Some("E000007".into())
        );
    }
}
