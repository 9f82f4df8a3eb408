//! What a home page compares and checks (issue 19): the same span of last year, and the set-up
//! checklist of a new cooperative. The figures themselves are the lists' own totals.

use time::{Date, Month};

/// The same span one year earlier: 1 January – 7 December 2026 gives 1 January – 7 December
/// 2025. A 29 February becomes the 28th.
pub fn same_span_last_year(from: Date, to: Date) -> (Date, Date) {
    (a_year_before(from), a_year_before(to))
}

fn a_year_before(d: Date) -> Date {
    let year = d.year() - 1;
    Date::from_calendar_date(year, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
        .unwrap_or(d)
}

/// The steps of setting up a new cooperative, in the order an administrator takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetupStep {
    /// Legal name, form, SIRET, VAT number, RCS, capital, address (INV-01).
    Identity,
    /// The logo printed on documents.
    Logo,
    /// Numbering of invoices and quotes, VAT on debits (INV-10, INV-41): the selling settings.
    Selling,
    /// The bank account printed on invoices for transfers.
    BankAccount,
    /// The connection to the approved e-invoicing platform (EIN-01).
    Einvoicing,
    /// Someone besides the administrators: the support team, the entrepreneurs.
    Roles,
    /// The first people followed by the cooperative.
    People,
}

impl SetupStep {
    pub const ALL: [SetupStep; 7] = [
        SetupStep::Identity,
        SetupStep::Logo,
        SetupStep::Selling,
        SetupStep::BankAccount,
        SetupStep::Einvoicing,
        SetupStep::Roles,
        SetupStep::People,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SetupStep::Identity => "identity",
            SetupStep::Logo => "logo",
            SetupStep::Selling => "selling",
            SetupStep::BankAccount => "bank_account",
            SetupStep::Einvoicing => "einvoicing",
            SetupStep::Roles => "roles",
            SetupStep::People => "people",
        }
    }
}

/// What is known of a cooperative's set-up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SetupFacts {
    /// Every mandatory mention of the legal identity is filled in.
    pub identity_complete: bool,
    pub has_logo: bool,
    /// The selling settings were saved at least once (numbering and VAT chosen, not defaults
    /// nobody looked at).
    pub selling_saved: bool,
    pub has_bank_account: bool,
    pub einvoicing_connected: bool,
    /// Someone holds a role other than administrator.
    pub other_roles: bool,
    pub has_people: bool,
}

/// The checklist: each step and whether it is done. The home shows it until every step is.
pub fn checklist(f: SetupFacts) -> Vec<(SetupStep, bool)> {
    SetupStep::ALL
        .into_iter()
        .map(|s| {
            let done = match s {
                SetupStep::Identity => f.identity_complete,
                SetupStep::Logo => f.has_logo,
                SetupStep::Selling => f.selling_saved,
                SetupStep::BankAccount => f.has_bank_account,
                SetupStep::Einvoicing => f.einvoicing_connected,
                SetupStep::Roles => f.other_roles,
                SetupStep::People => f.has_people,
            };
            (s, done)
        })
        .collect()
}

/// Whether the checklist has anything left to do.
pub fn setup_pending(f: SetupFacts) -> bool {
    checklist(f).iter().any(|(_, done)| !done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn last_year_is_the_same_span() {
        assert_eq!(
            same_span_last_year(date!(2026 - 01 - 01), date!(2026 - 12 - 07)),
            (date!(2025 - 01 - 01), date!(2025 - 12 - 07))
        );
        assert_eq!(
            same_span_last_year(date!(2028 - 01 - 01), date!(2028 - 02 - 29)),
            (date!(2027 - 01 - 01), date!(2027 - 02 - 28))
        );
    }

    #[test]
    fn the_checklist_is_done_when_every_step_is() {
        let none = SetupFacts::default();
        assert!(setup_pending(none));
        assert_eq!(checklist(none).len(), SetupStep::ALL.len());
        assert!(checklist(none).iter().all(|(_, d)| !d));
        let all = SetupFacts {
            identity_complete: true,
            has_logo: true,
            selling_saved: true,
            has_bank_account: true,
            einvoicing_connected: true,
            other_roles: true,
            has_people: true,
        };
        assert!(!setup_pending(all));
        let no_logo = SetupFacts {
            has_logo: false,
            ..all
        };
        assert_eq!(
            checklist(no_logo)
                .into_iter()
                .filter(|(_, d)| !d)
                .map(|(s, _)| s)
                .collect::<Vec<_>>(),
            vec![SetupStep::Logo]
        );
    }
}
