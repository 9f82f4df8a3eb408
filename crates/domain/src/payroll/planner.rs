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
