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
    on < exemption_end(activity_start, months)
}

/// The first day an activity started on `activity_start` pays again after `months` exempt.
pub fn exemption_end(activity_start: Date, months: u8) -> Date {
    add_months(activity_start, months)
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

/// The policy in force on `on` for an activity: its own override when one has started, else the
/// cooperative's (PAY-10: configurable per cooperative, overridable per activity).
pub fn effective<'a>(own: &'a [Policy], cooperative: &'a [Policy], on: Date) -> Option<&'a Policy> {
    policy_on(own, on).or_else(|| policy_on(cooperative, on))
}

/// One transaction that moves the base: revenue (positive), a credit note or, on a gross-margin
/// base, a resale purchase (negative). `source` is the caller's index of the movement behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BaseEvent {
    pub on: Date,
    pub cents: i64,
    pub source: usize,
}

/// One contribution taken (PAY-12): on a transaction of the base, or the fixed monthly fee;
/// `cents` is what it takes from the account (negative; positive when a credit note gives back),
/// `policy_from` the version of the policy used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Levied {
    pub on: Date,
    pub base: i64,
    pub cents: i64,
    pub policy_from: Date,
    /// The transaction it was levied on; `None` for the monthly fee or the yearly minimum.
    pub source: Option<usize>,
    pub what: Levy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Levy {
    Rate,
    MonthlyFee,
    YearlyMinimum,
}

/// PAY-10 to PAY-12 over one fiscal year `[year_start, to]`: each transaction at the margin of the
/// year's cumulative base with the policy in force on its date (exempt transactions neither pay
/// nor count in the base), then the monthly fee of each month started. `events` in date order.
pub fn over_year(
    own: &[Policy],
    cooperative: &[Policy],
    activity_start: Date,
    year_start: Date,
    events: &[BaseEvent],
    to: Date,
) -> Vec<Levied> {
    let mut out = Vec::new();
    let mut before = 0_i64;
    for ev in events.iter().filter(|e| e.on >= year_start && e.on <= to) {
        let Some(p) = effective(own, cooperative, ev.on) else {
            continue;
        };
        if exempt(activity_start, p.exemption_months, ev.on) {
            continue;
        }
        let taken = on_transaction(&p.bands, before, ev.cents).cents();
        before += ev.cents;
        out.push(Levied {
            on: ev.on,
            base: ev.cents,
            cents: -taken,
            policy_from: p.valid_from,
            source: Some(ev.source),
            what: Levy::Rate,
        });
    }
    let mut month = year_start;
    while month <= to {
        if let Some(p) = effective(own, cooperative, month)
            && p.monthly_fee.cents() != 0
            && !exempt(activity_start, p.exemption_months, month)
        {
            out.push(Levied {
                on: month,
                base: 0,
                cents: -p.monthly_fee.cents(),
                policy_from: p.valid_from,
                source: None,
                what: Levy::MonthlyFee,
            });
        }
        month = add_months(month, 1);
    }
    out.sort_by_key(|l| l.on);
    out
}

/// The yearly minimum's top-up at the year end `year_end`, given what the year's levies took
/// (negative cents): a levy of the difference, or nothing.
pub fn year_end_top_up(
    own: &[Policy],
    cooperative: &[Policy],
    activity_start: Date,
    levied: &[Levied],
    year_end: Date,
) -> Option<Levied> {
    let p = effective(own, cooperative, year_end)?;
    if exempt(activity_start, p.exemption_months, year_end) {
        return None;
    }
    let given: i64 = -levied.iter().map(|l| l.cents).sum::<i64>();
    let top = minimum_top_up(p, Money::eur(given)).cents();
    (top > 0).then_some(Levied {
        on: year_end,
        base: 0,
        cents: -top,
        policy_from: p.valid_from,
        source: None,
        what: Levy::YearlyMinimum,
    })
}

/// A policy as typed in the settings: up to three bands (a flat rate is the first alone), the
/// limits in euros, the rates in percent.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PolicyInput {
    pub valid_from: String,
    pub base: String,
    pub rate_1: String,
    pub up_to_1: String,
    pub rate_2: String,
    pub up_to_2: String,
    pub rate_3: String,
    pub exemption_months: String,
    pub monthly_fee: String,
    pub yearly_minimum: String,
}

fn percent(s: &str) -> Result<Decimal, &'static str> {
    let r = s
        .trim()
        .trim_end_matches('%')
        .trim()
        .replace(',', ".")
        .parse::<Decimal>()
        .map_err(|_| "rate_format")?;
    if r < Decimal::ZERO || r > Decimal::ONE_HUNDRED || r.scale() > 2 {
        return Err("rate_format");
    }
    Ok(r / Decimal::ONE_HUNDRED)
}

fn amount_or_zero(s: &str) -> Result<Money, &'static str> {
    if s.trim().is_empty() {
        return Ok(Money::eur(0));
    }
    let m = Money::parse_eur(s)?;
    if m.cents() < 0 {
        return Err("amount_negative");
    }
    Ok(m)
}

impl PolicyInput {
    /// Each invalid field reported under its name; bands must rise, each limit above the last.
    pub fn parse(&self) -> Result<Policy, crate::validation::FieldErrors> {
        let mut e = crate::validation::FieldErrors::new();
        let valid_from = e.check("valid_from", crate::person::parse_date(&self.valid_from));
        let base = e.check(
            "base",
            Base::parse(self.base.trim()).ok_or("choice_unknown"),
        );
        let mut bands = Vec::new();
        let mut last_limit = 0_i64;
        let tiers = [
            ("rate_1", &self.rate_1, Some(("up_to_1", &self.up_to_1))),
            ("rate_2", &self.rate_2, Some(("up_to_2", &self.up_to_2))),
            ("rate_3", &self.rate_3, None),
        ];
        for (i, (rate_field, rate, limit)) in tiers.into_iter().enumerate() {
            let more = i == 0 || !rate.trim().is_empty();
            if !more {
                break;
            }
            let Some(rate) = e.check(rate_field, percent(rate)) else {
                break;
            };
            let up_to = match limit {
                Some((field, text)) if !text.trim().is_empty() => {
                    match e.check(field, Money::parse_eur(text)) {
                        Some(m) if m.cents() > last_limit => Some(m.cents()),
                        Some(_) => {
                            e.add(field, "band_limit_order");
                            None
                        }
                        None => None,
                    }
                }
                _ => None,
            };
            bands.push(Band { up_to, rate });
            match up_to {
                Some(l) => last_limit = l,
                None => break,
            }
        }
        if bands.last().is_some_and(|b| b.up_to.is_some()) {
            // The last band given has a limit: the rate above it is required.
            let next = match bands.len() {
                1 => "rate_2",
                _ => "rate_3",
            };
            e.add(next, "required");
        }
        let exemption_months = e.check(
            "exemption_months",
            match self.exemption_months.trim() {
                "" => Ok(0),
                s => s
                    .parse::<u8>()
                    .ok()
                    .filter(|m| *m <= 36)
                    .ok_or("exemption_months_range"),
            },
        );
        let monthly_fee = e.check("monthly_fee", amount_or_zero(&self.monthly_fee));
        let yearly_minimum = e.check("yearly_minimum", amount_or_zero(&self.yearly_minimum));
        match (
            valid_from,
            base,
            exemption_months,
            monthly_fee,
            yearly_minimum,
        ) {
            (Some(valid_from), Some(base), Some(exemption_months), Some(fee), Some(min))
                if e.is_empty() =>
            {
                Ok(Policy {
                    valid_from,
                    base,
                    bands,
                    exemption_months,
                    monthly_fee: fee,
                    yearly_minimum: min,
                })
            }
            _ => Err(e),
        }
    }
}

/// The bands as stored: `limit:rate` separated by `;`, the last without a limit (`3500000:0.10;:0.06`).
pub fn bands_to_text(bands: &[Band]) -> String {
    bands
        .iter()
        .map(|b| {
            format!(
                "{}:{}",
                b.up_to.map(|l| l.to_string()).unwrap_or_default(),
                b.rate.normalize()
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads stored bands; `None` when the text is not what `bands_to_text` writes.
pub fn bands_from_text(text: &str) -> Option<Vec<Band>> {
    text.split(';')
        .map(|part| {
            let (limit, rate) = part.split_once(':')?;
            Some(Band {
                up_to: if limit.is_empty() {
                    None
                } else {
                    Some(limit.parse().ok()?)
                },
                rate: rate.parse().ok()?,
            })
        })
        .collect()
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

    #[test]
    fn a_policy_is_read_from_the_form_with_each_problem_on_its_field() {
        let ok = PolicyInput {
            valid_from: "2026-01-01".into(),
            base: "invoiced_ht".into(),
            rate_1: "10".into(),
            up_to_1: "35 000".into(),
            rate_2: "8 %".into(),
            up_to_2: "45000".into(),
            rate_3: "6".into(),
            monthly_fee: "20".into(),
            ..PolicyInput::default()
        }
        .parse();
        let p = ok.unwrap();
        assert_eq!(p.bands, tiers());
        assert_eq!(p.monthly_fee.cents(), 2_000);
        assert_eq!(bands_from_text(&bands_to_text(&p.bands)), Some(tiers()));
        assert_eq!(bands_to_text(&p.bands), "3500000:0.1;4500000:0.08;:0.06");
        let flat = PolicyInput {
            valid_from: "2026-01-01".into(),
            base: "collected_ht".into(),
            rate_1: "11,5".into(),
            ..PolicyInput::default()
        }
        .parse();
        assert_eq!(flat.map(|p| p.bands.len()), Ok(1));
        let bad = PolicyInput {
            valid_from: "hier".into(),
            base: "profit".into(),
            rate_1: "110".into(),
            up_to_1: "1000".into(),
            rate_2: "8".into(),
            up_to_2: "500".into(),
            exemption_months: "48".into(),
            monthly_fee: "-5".into(),
            ..PolicyInput::default()
        }
        .parse();
        let e = bad.err().unwrap_or_default();
        for field in [
            "valid_from",
            "base",
            "rate_1",
            "exemption_months",
            "monthly_fee",
        ] {
            assert!(e.for_field(field).is_some(), "{field}: {e:?}");
        }
        // A band with a limit needs a rate above it; limits must rise.
        let open = PolicyInput {
            valid_from: "2026-01-01".into(),
            base: "invoiced_ht".into(),
            rate_1: "10".into(),
            up_to_1: "1000".into(),
            rate_2: "8".into(),
            up_to_2: "500".into(),
            ..PolicyInput::default()
        }
        .parse();
        let e = open.err().unwrap_or_default();
        assert!(e.for_field("up_to_2").is_some(), "{e:?}");
        assert_eq!(bands_from_text("x:y"), None);
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
