//! Payments received on invoices (issue 4, point 7): several per invoice, the VAT of each
//! split across rates in proportion to what remains due (INV-41: VAT on services is due when
//! paid, so each receipt must say how much VAT it carries per rate), and ageing of what is overdue.

use super::compute::split_proportionally;
use time::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentMode {
    Transfer,
    Cheque,
    Card,
    Cash,
}

impl PaymentMode {
    pub const ALL: [PaymentMode; 4] = [
        PaymentMode::Transfer,
        PaymentMode::Cheque,
        PaymentMode::Card,
        PaymentMode::Cash,
    ];
    pub fn code(self) -> &'static str {
        match self {
            PaymentMode::Transfer => "transfer",
            PaymentMode::Cheque => "cheque",
            PaymentMode::Card => "card",
            PaymentMode::Cash => "cash",
        }
    }
    pub fn parse(code: &str) -> Option<PaymentMode> {
        PaymentMode::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// What remains due on one VAT rate of an invoice: amount TTC and the VAT inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateDue {
    pub vat_code: String,
    pub ttc_cents: i64,
    pub vat_cents: i64,
}

/// The part of a payment on one rate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateShare {
    pub vat_code: String,
    pub ttc_cents: i64,
    pub vat_cents: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentError {
    NotPositive,
    MoreThanDue,
}

impl PaymentError {
    pub fn code(self) -> &'static str {
        match self {
            PaymentError::NotPositive => "payment_not_positive",
            PaymentError::MoreThanDue => "payment_exceeds_due",
        }
    }
}

/// Splits a payment of `amount` cents across rates in proportion to the TTC still due on each;
/// the VAT of each share is proportional to the VAT still due on that rate. The last payment
/// (amount = everything due) takes exactly what remains, so the VAT collected adds up to the VAT
/// invoiced, to the cent.
pub fn allocate(due: &[RateDue], amount: i64) -> Result<Vec<RateShare>, PaymentError> {
    if amount <= 0 {
        return Err(PaymentError::NotPositive);
    }
    let total: i64 = due.iter().map(|d| d.ttc_cents).sum();
    if amount > total {
        return Err(PaymentError::MoreThanDue);
    }
    let weights: Vec<i64> = due.iter().map(|d| d.ttc_cents).collect();
    let shares = split_proportionally(amount, &weights);
    Ok(due
        .iter()
        .zip(shares)
        .map(|(d, ttc)| {
            let vat = if ttc == d.ttc_cents || d.ttc_cents == 0 {
                d.vat_cents
            } else {
                let exact = i128::from(d.vat_cents) * i128::from(ttc);
                let den = i128::from(d.ttc_cents);
                // Half away from zero.
                let q = (2 * exact + den.signum() * den) / (2 * den);
                i64::try_from(q).unwrap_or(0)
            };
            RateShare {
                vat_code: d.vat_code.clone(),
                ttc_cents: ttc,
                vat_cents: vat,
            }
        })
        .collect())
}

/// How late an unpaid invoice is (issue 4, point 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgeBucket {
    NotDue,
    Days0To30,
    Days31To60,
    Days61To90,
    Over90,
}

impl AgeBucket {
    pub const OVERDUE: [AgeBucket; 4] = [
        AgeBucket::Days0To30,
        AgeBucket::Days31To60,
        AgeBucket::Days61To90,
        AgeBucket::Over90,
    ];
    /// The earliest due date of each overdue band on `today` (1–30, 31–60, 61–90 days late): a
    /// due date before today and on or after the first is in the first band, and so on; older
    /// ones are over 90 days late. The same bands as [`AgeBucket::of`], for a query to sum.
    pub fn band_starts(today: Date) -> [Date; 3] {
        [
            today - time::Duration::days(30),
            today - time::Duration::days(60),
            today - time::Duration::days(90),
        ]
    }
    pub fn of(due: Date, today: Date) -> AgeBucket {
        let late = (today - due).whole_days();
        match late {
            i64::MIN..=0 => AgeBucket::NotDue,
            1..=30 => AgeBucket::Days0To30,
            31..=60 => AgeBucket::Days31To60,
            61..=90 => AgeBucket::Days61To90,
            _ => AgeBucket::Over90,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            AgeBucket::NotDue => "not_due",
            AgeBucket::Days0To30 => "0_30",
            AgeBucket::Days31To60 => "31_60",
            AgeBucket::Days61To90 => "61_90",
            AgeBucket::Over90 => "over_90",
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn band_starts_agree_with_the_buckets() {
        let today = time::macros::date!(2026 - 12 - 07);
        let starts = AgeBucket::band_starts(today);
        for (k, start) in starts.iter().enumerate() {
            assert_eq!(AgeBucket::of(*start, today), AgeBucket::OVERDUE[k]);
            let older = *start - time::Duration::days(1);
            assert_eq!(AgeBucket::of(older, today), AgeBucket::OVERDUE[k + 1]);
        }
    }
    use super::*;
    use time::macros::date;

    fn due() -> Vec<RateDue> {
        vec![
            RateDue {
                vat_code: "fr20".into(),
                ttc_cents: 120_000,
                vat_cents: 20_000,
            },
            RateDue {
                vat_code: "fr10".into(),
                ttc_cents: 11_000,
                vat_cents: 1_000,
            },
        ]
    }

    #[test]
    fn inv_41_a_partial_payment_carries_vat_in_proportion() {
        let shares = allocate(&due(), 65_500).unwrap();
        assert_eq!(shares.iter().map(|s| s.ttc_cents).sum::<i64>(), 65_500);
        assert_eq!(shares[0].ttc_cents, 60_000);
        assert_eq!(shares[0].vat_cents, 10_000);
        assert_eq!(shares[1].ttc_cents, 5_500);
        assert_eq!(shares[1].vat_cents, 500);
    }

    #[test]
    fn the_last_payment_takes_exactly_the_vat_left() {
        let shares = allocate(&due(), 131_000).unwrap();
        assert_eq!(shares[0].vat_cents, 20_000);
        assert_eq!(shares[1].vat_cents, 1_000);
    }

    #[test]
    fn payments_are_positive_and_not_above_what_is_due() {
        assert_eq!(allocate(&due(), 0), Err(PaymentError::NotPositive));
        assert_eq!(allocate(&due(), 131_001), Err(PaymentError::MoreThanDue));
    }

    #[test]
    fn overdue_invoices_are_aged_in_four_buckets() {
        let d = date!(2026 - 01 - 31);
        assert_eq!(AgeBucket::of(d, date!(2026 - 01 - 31)), AgeBucket::NotDue);
        assert_eq!(
            AgeBucket::of(d, date!(2026 - 02 - 01)),
            AgeBucket::Days0To30
        );
        assert_eq!(
            AgeBucket::of(d, date!(2026 - 03 - 02)),
            AgeBucket::Days0To30
        );
        assert_eq!(
            AgeBucket::of(d, date!(2026 - 03 - 03)),
            AgeBucket::Days31To60
        );
        assert_eq!(
            AgeBucket::of(d, date!(2026 - 05 - 01)),
            AgeBucket::Days61To90
        );
        assert_eq!(AgeBucket::of(d, date!(2026 - 05 - 02)), AgeBucket::Over90);
    }
}
