//! The contribution (PAY-10 to PAY-12): what each activity gives the cooperative, an internal
//! analytic movement (no invoice, no VAT). A policy is dated (GEN-01) and says on what base it is
//! levied, at which rate — flat, or in bands of the year's cumulative base (10 % up to 35,000 €,
//! 8 % up to 45,000 €, 6 % above) — with an exemption for new activities, a fixed monthly fee and a
//! yearly minimum.
//!
//! Computed per transaction (PAY-12) at the margin of the year's cumulative base:
//! `round(C(before + amount)) − round(C(before))`, `C` the banded formula. The transactions of a
//! year then add up to `round(C(base of the year))` whatever their order, and a credit note (a
//! negative amount) gives back what its invoice took.

use crate::money::Money;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use time::Date;

/// What the contribution is levied on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// Revenue excluding VAT, when the invoice is validated.
    InvoicedHt,
    /// Revenue excluding VAT, when it is collected.
    CollectedHt,
    /// Revenue excluding VAT less resale purchases.
    GrossMargin,
}

impl Base {
    pub fn code(self) -> &'static str {
        match self {
            Base::InvoicedHt => "invoiced_ht",
            Base::CollectedHt => "collected_ht",
            Base::GrossMargin => "gross_margin",
        }
    }
    pub fn parse(code: &str) -> Option<Base> {
        [Base::InvoicedHt, Base::CollectedHt, Base::GrossMargin]
            .into_iter()
            .find(|b| b.code() == code)
    }
}

/// One band: its rate applies to the part of the year's base up to `up_to` (cents; `None`: no
/// limit), above the previous band's limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Band {
    pub up_to: Option<i64>,
    /// A fraction: 0.10 for 10 %.
    pub rate: Decimal,
}

/// A cooperative's policy (or an activity's override), valid from a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub valid_from: Date,
    pub base: Base,
    /// Ordered by limit; the last without one. A flat rate is one band.
    pub bands: Vec<Band>,
    /// A new activity gives nothing during its first months.
    pub exemption_months: u8,
    /// A fixed amount each month, on top of the rate.
    pub monthly_fee: Money,
    /// The least the activity gives in a year (fee included); the difference is taken at year-end.
    pub yearly_minimum: Money,
}

/// The banded formula on a year's cumulative base, exact.
pub fn banded(bands: &[Band], base_cents: i64) -> Decimal {
    let mut total = Decimal::ZERO;
    let mut floor = 0_i64;
    let sign = if base_cents < 0 {
        -Decimal::ONE
    } else {
        Decimal::ONE
    };
    let base = base_cents.abs();
    for b in bands {
        let ceiling = b.up_to.unwrap_or(i64::MAX);
        if base > floor {
            let part = base.min(ceiling) - floor;
            total += Decimal::from(part) * b.rate;
        }
        floor = ceiling;
        if base <= floor {
            break;
        }
    }
    sign * total
}

fn to_cents(d: Decimal) -> i64 {
    d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(0)
}

/// PAY-12: the contribution of one transaction of `amount` (cents of base, negative for a credit),
/// `before` cents of base having been counted since the start of the fiscal year.
pub fn on_transaction(bands: &[Band], before: i64, amount: i64) -> Money {
    Money::eur(to_cents(banded(bands, before + amount)) - to_cents(banded(bands, before)))
}

/// Whether the activity started less than `months` before `on` (exempt).
pub fn exempt(activity_start: Date, months: u8, on: Date) -> bool {
    let end = add_months(activity_start, months);
    on < end
}

fn add_months(d: Date, months: u8) -> Date {
    let index = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + i32::from(months);
    let (y, m) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let month = time::Month::try_from(u8::try_from(m).unwrap_or(1)).unwrap_or(time::Month::January);
    let day = d.day().min(month.length(y));
    Date::from_calendar_date(y, month, day).unwrap_or(d)
}

/// What remains to take at year-end so the year reaches the policy's minimum.
pub fn minimum_top_up(p: &Policy, given_in_year: Money) -> Money {
    Money::eur((p.yearly_minimum.cents() - given_in_year.cents()).max(0))
}

/// The policy valid on `on` among dated ones: the latest started. `None` before the first.
pub fn policy_on(policies: &[Policy], on: Date) -> Option<&Policy> {
    policies
        .iter()
        .filter(|p| p.valid_from <= on)
        .max_by_key(|p| p.valid_from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    /// PAY-10's example: 10 % up to 35 k€, 8 % up to 45 k€, 6 % above.
    fn tiers() -> Vec<Band> {
        vec![
            Band {
                up_to: Some(3_500_000),
                rate: Decimal::new(10, 2),
            },
            Band {
                up_to: Some(4_500_000),
                rate: Decimal::new(8, 2),
            },
            Band {
                up_to: None,
                rate: Decimal::new(6, 2),
            },
        ]
    }

    #[test]
    fn pay_10_the_bands_apply_to_the_years_cumulative_base() {
        // 60,000 €: 3,500 + 800 + 900 = 5,200 €.
        assert_eq!(banded(&tiers(), 6_000_000), Decimal::from(520_000));
        // An invoice that crosses 35,000 € pays each part at its band's rate.
        let crossing = on_transaction(&tiers(), 3_000_000, 1_000_000);
        assert_eq!(crossing.cents(), 50_000 + 40_000);
        // A credit note gives back what its invoice took.
        assert_eq!(
            on_transaction(&tiers(), 4_000_000, -1_000_000).cents(),
            -90_000
        );
        // A flat 11 % (PAY 2.5's example): 60,000 € → 6,600 €.
        let flat = [Band {
            up_to: None,
            rate: Decimal::new(11, 2),
        }];
        assert_eq!(on_transaction(&flat, 0, 6_000_000).cents(), 660_000);
    }

    #[test]
    fn new_activities_are_exempt_for_their_first_months_and_the_minimum_tops_up() {
        let start = date!(2026 - 01 - 31);
        assert!(exempt(start, 3, date!(2026 - 04 - 29)));
        assert!(!exempt(start, 3, date!(2026 - 04 - 30)));
        assert!(!exempt(start, 0, start));
        let p = Policy {
            valid_from: date!(2026 - 01 - 01),
            base: Base::CollectedHt,
            bands: tiers(),
            exemption_months: 0,
            monthly_fee: Money::eur(0),
            yearly_minimum: Money::eur(60_000),
        };
        assert_eq!(minimum_top_up(&p, Money::eur(45_000)).cents(), 15_000);
        assert_eq!(minimum_top_up(&p, Money::eur(75_000)).cents(), 0);
        let later = Policy {
            valid_from: date!(2027 - 01 - 01),
            ..p.clone()
        };
        let both = [p, later];
        assert_eq!(
            policy_on(&both, date!(2026 - 12 - 31)).map(|p| p.valid_from),
            Some(date!(2026 - 01 - 01))
        );
        assert_eq!(policy_on(&both, date!(2025 - 12 - 31)), None);
    }

    proptest! {
        #[test]
        fn pay_12_a_years_contributions_add_up_to_the_formula_whatever_their_order(
            amounts in proptest::collection::vec(-200_000_i64..2_000_000, 1..40),
            seed in any::<u64>(),
        ) {
            let bands = tiers();
            let mut order = amounts.clone();
            // A shuffle driven by the seed.
            let mut s = seed;
            for i in (1..order.len()).rev() {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let j = usize::try_from(s >> 33).unwrap_or(0) % (i + 1);
                order.swap(i, j);
            }
            for sequence in [&amounts, &order] {
                let mut before = 0;
                let mut given = 0;
                for a in sequence.iter() {
                    given += on_transaction(&bands, before, *a).cents();
                    before += a;
                }
                prop_assert_eq!(given, to_cents(banded(&bands, before)));
            }
        }
    }
}
