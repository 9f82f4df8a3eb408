//! The pay planner's rules (PAY-21, PAY-22): the highest monthly gross salary an activity can
//! sustain until the end of its fiscal year, and the year-end variable part its remaining budget
//! buys. Pure: the activity account gives the forecast, the simulator the cost of a salary.

use super::params::PayrollParams;
use super::{Assumptions, Given, Payslip, Status, payslip, simulate};
use rust_decimal::Decimal;
use time::Date;

/// The planner's question as typed: the balance expected until the year end, the pay months left
/// and the safety reserve in percent.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PlanInput {
    pub available: String,
    pub months: String,
    pub reserve: String,
}

/// A valid planner question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    pub available_cents: i64,
    /// 1 to 24.
    pub months: u32,
    /// A fraction below 1.
    pub reserve: Decimal,
}

impl PlanInput {
    /// Each invalid field reported, under `available`, `months` and `reserve`.
    pub fn parse(&self) -> Result<Plan, crate::validation::FieldErrors> {
        let mut e = crate::validation::FieldErrors::new();
        let available = e.check("available", crate::money::Money::parse_eur(&self.available));
        let months = e.check(
            "months",
            match self.months.trim().parse::<u32>() {
                Ok(m @ 1..=24) => Ok(m),
                _ => Err("number_range"),
            },
        );
        let reserve = e.check(
            "reserve",
            self.reserve
                .trim()
                .replace(',', ".")
                .parse::<Decimal>()
                .map_err(|_| "number_format")
                .and_then(|r| {
                    if r < Decimal::ZERO || r >= Decimal::ONE_HUNDRED {
                        Err("number_range")
                    } else {
                        Ok(r / Decimal::ONE_HUNDRED)
                    }
                }),
        );
        match (available, months, reserve) {
            (Some(a), Some(months), Some(reserve)) if e.is_empty() => Ok(Plan {
                available_cents: a.cents(),
                months,
                reserve,
            }),
            _ => Err(e),
        }
    }
}

/// The cooperative's pay-planner policy: the reserve kept out of the forecast before a salary is
/// suggested (PAY-21, a fraction) and how far below zero an activity's forecast may go before pay
/// or a refund that would take it there needs the support team's reasoned override (PAY-24).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannerPolicy {
    pub reserve: Decimal,
    pub tolerance_cents: i64,
}

impl Default for PlannerPolicy {
    /// 10 % kept in reserve, no tolerance below zero.
    fn default() -> Self {
        PlannerPolicy {
            reserve: Decimal::new(10, 2),
            tolerance_cents: 0,
        }
    }
}

impl PlannerPolicy {
    /// PAY-24: a forecast of `available_cents` is below what the cooperative tolerates.
    pub fn alerts(&self, available_cents: i64) -> bool {
        available_cents < -self.tolerance_cents
    }
}

/// The planner policy as typed on the settings page: the reserve in percent, the tolerance in
/// euros.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PlannerPolicyInput {
    pub reserve: String,
    pub tolerance: String,
}

impl PlannerPolicyInput {
    /// The form's values for a policy: `10` and `0,00`.
    pub fn of(p: &PlannerPolicy) -> Self {
        PlannerPolicyInput {
            reserve: (p.reserve * Decimal::ONE_HUNDRED)
                .normalize()
                .to_string()
                .replace('.', ","),
            tolerance: crate::money::Money::eur(p.tolerance_cents).typed_fr(),
        }
    }

    /// Each invalid field reported: the reserve from 0 to 50 % (two decimals at most), the
    /// tolerance from 0 to 100,000 €.
    pub fn parse(&self) -> Result<PlannerPolicy, crate::validation::FieldErrors> {
        let mut e = crate::validation::FieldErrors::new();
        let reserve = e.check(
            "reserve",
            self.reserve
                .trim()
                .trim_end_matches('%')
                .trim()
                .replace(',', ".")
                .parse::<Decimal>()
                .map_err(|_| "number_format")
                .and_then(|r| {
                    if r < Decimal::ZERO || r > Decimal::new(50, 0) || r.scale() > 2 {
                        Err("number_range")
                    } else {
                        Ok(r / Decimal::ONE_HUNDRED)
                    }
                }),
        );
        let tolerance = e.check(
            "tolerance",
            if self.tolerance.trim().is_empty() {
                Ok(crate::money::Money::eur(0))
            } else {
                crate::money::Money::parse_eur(&self.tolerance)
            }
            .and_then(|m| {
                if m.cents() < 0 || m.cents() > 10_000_000 {
                    Err("number_range")
                } else {
                    Ok(m)
                }
            }),
        );
        match (reserve, tolerance) {
            (Some(reserve), Some(t)) if e.is_empty() => Ok(PlannerPolicy {
                reserve,
                tolerance_cents: t.cents(),
            }),
            _ => Err(e),
        }
    }
}

/// A what-if scenario as typed: how much more the activity would bill, excluding VAT, in euros
/// (empty: none). At most 10,000,000 €.
pub fn parse_extra_billed(text: &str) -> Result<i64, &'static str> {
    if text.trim().is_empty() {
        return Ok(0);
    }
    let m = crate::money::Money::parse_eur(text)?;
    if m.cents() < 0 || m.cents() > 1_000_000_000 {
        return Err("number_range");
    }
    Ok(m.cents())
}

/// The pay months left in the fiscal year ending on `year_end`, this month included.
pub fn months_left(today: Date, year_end: Date) -> u32 {
    let index = |d: Date| d.year() * 12 + i32::from(u8::from(d.month()));
    u32::try_from(index(year_end) - index(today) + 1).unwrap_or(0)
}

/// PAY-21: the highest monthly gross such that `months × employer_cost(G)` stays within the
/// forecast available, less the safety reserve (a fraction: 0.1 keeps 10 %). `None` when nothing
/// can be paid (no month left, no budget, or no figures for the date).
pub fn sustainable_gross(
    table: &[PayrollParams],
    a: &Assumptions,
    status: Status,
    on: Date,
    available_cents: i64,
    months: u32,
    reserve: Decimal,
) -> Option<Payslip> {
    if months == 0 || available_cents <= 0 {
        return None;
    }
    let budget = Decimal::new(available_cents, 2) * (Decimal::ONE - reserve);
    let per_month = (budget / Decimal::from(months))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
    let found = simulate(table, a, status, on, Given::EmployerCost(per_month))?;
    // The solver returns the cent closest to the target: step down while it costs too much.
    let mut gross = found.gross;
    let p = super::params::params_on(table, on)?;
    loop {
        let slip = payslip(p, a, status, on, gross);
        if Decimal::new(slip.employer_cost().cents(), 2) <= per_month || gross <= Decimal::ZERO {
            return (gross > Decimal::ZERO).then_some(slip);
        }
        gross -= Decimal::new(1, 2);
    }
}

/// The employer cost of a year's pay: twelve months of its average month (the PSS, SMIC and
/// RGDU are annual, PAY-23).
fn annual_cost(
    p: &PayrollParams,
    a: &Assumptions,
    status: Status,
    on: Date,
    year_gross: Decimal,
) -> Decimal {
    let month = payslip(p, a, status, on, year_gross / Decimal::from(12));
    Decimal::new(month.employer_cost().cents(), 2) * Decimal::from(12)
}

/// PAY-22: the gross variable part `P` that a year-end budget buys on top of the year's gross
/// `paid`, the RGDU being computed on the annual pay (so the budget buys less than it seems).
/// Whole cents, the highest whose extra cost stays within `budget_cents`.
pub fn year_end_variable(
    table: &[PayrollParams],
    a: &Assumptions,
    status: Status,
    on: Date,
    paid_cents: i64,
    budget_cents: i64,
) -> Option<i64> {
    let p = super::params::params_on(table, on)?;
    if budget_cents <= 0 {
        return Some(0);
    }
    let paid = Decimal::new(paid_cents, 2);
    let base = annual_cost(p, a, status, on, paid);
    let budget = Decimal::new(budget_cents, 2);
    let extra = |cents: i64| annual_cost(p, a, status, on, paid + Decimal::new(cents, 2)) - base;
    let (mut low, mut high) = (0_i64, budget_cents);
    // The extra cost grows with P (a cent of gross costs at least a cent).
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if extra(mid) <= budget {
            low = mid;
        } else {
            high = mid;
        }
    }
    Some(if extra(high) <= budget { high } else { low })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payroll::params::FRANCE;
    use time::macros::date;

    #[test]
    fn the_planner_policy_is_read_as_typed_and_bounded() {
        let typed = |reserve: &str, tolerance: &str| PlannerPolicyInput {
            reserve: reserve.into(),
            tolerance: tolerance.into(),
        };
        assert_eq!(
            typed("12,5 %", "1 500").parse().unwrap(),
            PlannerPolicy {
                reserve: Decimal::new(125, 3),
                tolerance_cents: 150_000
            }
        );
        // An empty tolerance is none; the default policy reads back as it is shown.
        assert_eq!(typed("10", "").parse().unwrap(), PlannerPolicy::default());
        let d = PlannerPolicyInput::of(&PlannerPolicy::default());
        assert_eq!((d.reserve.as_str(), d.tolerance.as_str()), ("10", "0,00"));
        assert_eq!(d.parse().unwrap(), PlannerPolicy::default());
        let e = typed("51", "-3").parse().unwrap_err();
        assert_eq!(e.for_field("reserve").map(|f| f.code), Some("number_range"));
        assert_eq!(
            e.for_field("tolerance").map(|f| f.code),
            Some("number_range")
        );
        let e = typed("dix", "1,234").parse().unwrap_err();
        assert_eq!(
            e.for_field("reserve").map(|f| f.code),
            Some("number_format")
        );
        assert_eq!(
            e.for_field("tolerance").map(|f| f.code),
            Some("amount_precision")
        );
    }

    #[test]
    fn a_what_if_is_a_positive_amount_in_euros() {
        assert_eq!(parse_extra_billed(""), Ok(0));
        assert_eq!(parse_extra_billed("3 000"), Ok(300_000));
        assert_eq!(parse_extra_billed("1500,50"), Ok(150_050));
        assert_eq!(parse_extra_billed("-10"), Err("number_range"));
        assert_eq!(parse_extra_billed("beaucoup"), Err("amount_format"));
        assert_eq!(parse_extra_billed("20000000"), Err("number_range"));
    }

    #[test]
    fn pay24_alerts_only_beyond_the_tolerance() {
        let p = PlannerPolicy {
            reserve: Decimal::ZERO,
            tolerance_cents: 50_000,
        };
        assert!(!p.alerts(0));
        assert!(!p.alerts(-50_000));
        assert!(p.alerts(-50_001));
        assert!(PlannerPolicy::default().alerts(-1));
    }

    #[test]
    fn a_plan_reports_each_invalid_field() {
        let ok = PlanInput {
            available: "46 200".into(),
            months: "10".into(),
            reserve: "12,5".into(),
        }
        .parse();
        assert_eq!(ok.map(|p| p.reserve).ok(), Some(Decimal::new(125, 3)));
        let bad = PlanInput {
            available: "beaucoup".into(),
            months: "0".into(),
            reserve: "100".into(),
        }
        .parse();
        let fields: Vec<String> = bad
            .err()
            .map(|e| e.0.iter().map(|f| f.path()).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["available", "months", "reserve"]);
    }

    #[test]
    fn the_months_left_count_this_month_until_the_year_end() {
        assert_eq!(
            months_left(date!(2026 - 03 - 15), date!(2026 - 12 - 31)),
            10
        );
        assert_eq!(months_left(date!(2026 - 12 - 01), date!(2026 - 12 - 31)), 1);
        assert_eq!(
            months_left(date!(2026 - 09 - 01), date!(2027 - 06 - 30)),
            10
        );
        assert_eq!(months_left(date!(2027 - 01 - 01), date!(2026 - 12 - 31)), 0);
    }

    #[test]
    fn pay_21_the_sustainable_salary_keeps_the_reserve_until_year_end() {
        let a = Assumptions::default();
        let on = date!(2026 - 03 - 01);
        // 46,200 € available for the ten months left, 10 % kept aside.
        let slip = sustainable_gross(
            &FRANCE,
            &a,
            Status::NonCadre,
            on,
            4_620_000,
            10,
            Decimal::new(1, 1),
        );
        let slip = slip.expect("a salary");
        let cost = slip.employer_cost().cents();
        assert!(cost * 10 <= 4_158_000, "{cost}");
        // A cent more of gross would cost too much.
        let p = FRANCE[0];
        let next = payslip(
            &p,
            &a,
            Status::NonCadre,
            on,
            slip.gross + Decimal::new(1, 2),
        );
        assert!(next.employer_cost().cents() * 10 > 4_158_000);
        assert!(
            sustainable_gross(&FRANCE, &a, Status::NonCadre, on, 0, 10, Decimal::ZERO).is_none()
        );
        assert!(
            sustainable_gross(&FRANCE, &a, Status::NonCadre, on, 100_000, 0, Decimal::ZERO)
                .is_none()
        );
    }

    #[test]
    fn pay_22_a_year_end_budget_buys_less_gross_as_the_annual_reduction_shrinks() {
        let a = Assumptions::default();
        let on = date!(2026 - 12 - 01);
        // 12 × 2,761.24 € paid, 3,000 € left (PAY 2.5's example, with the URSSAF's rates).
        let p = year_end_variable(&FRANCE, &a, Status::NonCadre, on, 3_313_488, 300_000);
        let p = p.expect("figures for 2026");
        assert!(p > 0 && p < 300_000, "{p}");
        // Within the budget, and a cent more would not be.
        let params = FRANCE[1];
        let cost = |g: i64| annual_cost(&params, &a, Status::NonCadre, on, Decimal::new(g, 2));
        assert!(cost(3_313_488 + p) - cost(3_313_488) <= Decimal::from(3_000));
        assert!(cost(3_313_488 + p + 1) - cost(3_313_488) > Decimal::from(3_000));
    }
}
