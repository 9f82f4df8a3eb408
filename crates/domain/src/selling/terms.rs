//! Payment terms, due dates and the mentions they put on an invoice (INV-07, INV-20, INV-21).

use crate::params::{self, MissingParam, Param};
use time::{Date, Duration};

/// Days to pay, counted from the issue date, optionally to the end of the month that follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaymentTerms {
    pub days: u16,
    pub end_of_month: bool,
}

impl Default for PaymentTerms {
    /// INV-20: 30 days by default.
    fn default() -> Self {
        PaymentTerms {
            days: 30,
            end_of_month: false,
        }
    }
}

impl PaymentTerms {
    /// Checks the legal ceilings valid on `on` (INV-20: 60 days, or 45 days end of month).
    pub fn parse(days: &str, end_of_month: bool, on: Date) -> Result<PaymentTerms, &'static str> {
        let d: u16 = days.trim().parse().map_err(|_| "payment_days_format")?;
        let max = if end_of_month {
            params::whole(Param::PaymentTermsMaxDaysEom, on)
        } else {
            params::whole(Param::PaymentTermsMaxDays, on)
        }
        .map_err(|_| "param_missing")?;
        if u32::from(d) > max {
            return Err(if end_of_month {
                "payment_days_eom_too_long"
            } else {
                "payment_days_too_long"
            });
        }
        Ok(PaymentTerms {
            days: d,
            end_of_month,
        })
    }

    /// The due date of a document issued on `issue`: issue + days, then the end of that month
    /// when "fin de mois" was agreed.
    pub fn due_date(self, issue: Date) -> Date {
        let d = issue + Duration::days(i64::from(self.days));
        if self.end_of_month {
            let last = d.month().length(d.year());
            d.replace_day(last).unwrap_or(d)
        } else {
            d
        }
    }

    /// "30 jours", "45 jours fin de mois", "à réception".
    pub fn label(self) -> String {
        match (self.days, self.end_of_month) {
            (0, false) => "à réception".to_owned(),
            (d, false) => format!("{d} jours"),
            (d, true) => format!("{d} jours fin de mois"),
        }
    }
}

/// The payment mentions of an invoice (INV-07): the term with its due date, the early-payment
/// discount ("none"), the late penalties (INV-21: ECB rate + the points of the parameter table)
/// and, for business customers, the fixed recovery indemnity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentMentions {
    pub terms: String,
    pub early_payment_discount: String,
    pub late_penalties: String,
    pub recovery_indemnity: Option<String>,
}

pub fn payment_mentions(
    terms: PaymentTerms,
    due: Date,
    business_customer: bool,
    on: Date,
) -> Result<PaymentMentions, MissingParam> {
    let points = params::whole(Param::LatePenaltyExtraPoints, on)?;
    let indemnity = params::whole(Param::FixedRecoveryIndemnityEuros, on)?;
    Ok(PaymentMentions {
        terms: format!(
            "Paiement à {} : au plus tard le {}.",
            terms.label(),
            fr_date(due)
        ),
        early_payment_discount: "Pas d'escompte pour paiement anticipé.".to_owned(),
        late_penalties: format!(
            "En cas de retard de paiement, pénalités exigibles dès le lendemain de l'échéance \
             au taux de refinancement de la BCE majoré de {points} points."
        ),
        recovery_indemnity: business_customer.then(|| {
            format!(
                "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : \
                 {indemnity} € (art. L441-10 et D441-5 du Code de commerce)."
            )
        }),
    })
}

/// 29/11/2026.
pub fn fr_date(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const ON: Date = date!(2026 - 06 - 15);

    #[test]
    fn inv_20_terms_respect_the_legal_ceilings() {
        assert_eq!(PaymentTerms::parse("60", false, ON).map(|t| t.days), Ok(60));
        assert_eq!(
            PaymentTerms::parse("61", false, ON),
            Err("payment_days_too_long")
        );
        assert_eq!(PaymentTerms::parse("45", true, ON).map(|t| t.days), Ok(45));
        assert_eq!(
            PaymentTerms::parse("46", true, ON),
            Err("payment_days_eom_too_long")
        );
        assert_eq!(
            PaymentTerms::parse("x", true, ON),
            Err("payment_days_format")
        );
    }

    #[test]
    fn due_dates_count_days_then_the_end_of_month() {
        let t = PaymentTerms {
            days: 30,
            end_of_month: false,
        };
        assert_eq!(t.due_date(date!(2026 - 01 - 15)), date!(2026 - 02 - 14));
        let t = PaymentTerms {
            days: 45,
            end_of_month: true,
        };
        assert_eq!(t.due_date(date!(2026 - 01 - 20)), date!(2026 - 03 - 31));
    }

    #[test]
    fn inv_07_business_customers_get_the_fixed_indemnity() {
        let t = PaymentTerms::default();
        let b2b = payment_mentions(t, date!(2026 - 07 - 15), true, ON).unwrap();
        assert!(b2b.terms.contains("15/07/2026") && b2b.late_penalties.contains("10 points"));
        assert!(b2b.recovery_indemnity.unwrap().contains("40 €"));
        let b2c = payment_mentions(t, date!(2026 - 07 - 15), false, ON).unwrap();
        assert!(b2c.recovery_indemnity.is_none());
    }
}
