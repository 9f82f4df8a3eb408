//! The payroll bridge (issue 6, point 5): each month the support team reviews the variables of
//! each entrepreneur's pay, locks them and sends them to the payroll bureau; the payslips it
//! returns give the real salary cost, posted to the activities (PAY-25) beside the simulation.

use crate::money::Money;
use rust_decimal::Decimal;

/// One person's variables as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct VariablesInput {
    pub fixed_gross: String,
    pub variable: String,
    pub expenses: String,
    pub absence_days: String,
    pub note: String,
}

/// One person's variables for a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variables {
    /// The fixed part of the CESA contract (PAY-20).
    pub fixed_gross: Money,
    /// An advance on, or the regularisation of, the variable part (PAY-20, PAY-22); never
    /// negative: a loss is not taken from wages (PAY-24).
    pub variable: Money,
    /// Expenses refunded through the payslip rather than by transfer.
    pub expenses: Money,
    /// Days of absence, by half days.
    pub absence_days: Decimal,
    pub note: String,
}

impl Variables {
    /// What the bureau pays as gross: the fixed and the variable parts.
    pub fn gross(&self) -> Money {
        Money::eur(self.fixed_gross.cents() + self.variable.cents())
    }
}

fn amount(s: &str) -> Result<Money, &'static str> {
    if s.trim().is_empty() {
        return Ok(Money::eur(0));
    }
    let m = Money::parse_eur(s)?;
    if m.cents() < 0 {
        return Err("amount_negative");
    }
    Ok(m)
}

impl VariablesInput {
    pub fn of(v: &Variables) -> VariablesInput {
        VariablesInput {
            fixed_gross: v.fixed_gross.decimal().replace('.', ","),
            variable: v.variable.decimal().replace('.', ","),
            expenses: v.expenses.decimal().replace('.', ","),
            absence_days: v.absence_days.normalize().to_string().replace('.', ","),
            note: v.note.clone(),
        }
    }

    /// Each invalid field under its name: amounts not negative, absences by half days up to 31.
    pub fn parse(&self) -> Result<Variables, crate::validation::FieldErrors> {
        let mut e = crate::validation::FieldErrors::new();
        let fixed_gross = e.check("fixed_gross", amount(&self.fixed_gross));
        let variable = e.check("variable", amount(&self.variable));
        let expenses = e.check("expenses", amount(&self.expenses));
        let absence_days = e.check(
            "absence_days",
            match self.absence_days.trim() {
                "" => Ok(Decimal::ZERO),
                s => s
                    .replace(',', ".")
                    .parse::<Decimal>()
                    .ok()
                    .filter(|d| {
                        *d >= Decimal::ZERO
                            && *d <= Decimal::from(31)
                            && (*d * Decimal::TWO).fract().is_zero()
                    })
                    .ok_or("absence_days_invalid"),
            },
        );
        if self.note.chars().count() > 500 {
            e.add("note", "too_long");
        }
        match (fixed_gross, variable, expenses, absence_days) {
            (Some(fixed_gross), Some(variable), Some(expenses), Some(absence_days))
                if e.is_empty() =>
            {
                Ok(Variables {
                    fixed_gross,
                    variable,
                    expenses,
                    absence_days,
                    note: self.note.trim().to_string(),
                })
            }
            _ => Err(e),
        }
    }
}

/// Splits `cents` between shares (basis points) so that the parts add up exactly: each part
/// rounded down, the cents left given to the largest remainders (the first on a tie).
pub fn split(cents: i64, shares: &[u32]) -> Vec<i64> {
    let total: i64 = shares.iter().map(|s| i64::from(*s)).sum();
    if total == 0 {
        return shares.iter().map(|_| 0).collect();
    }
    let exact: Vec<(i64, i64)> = shares
        .iter()
        .map(|s| {
            let num = cents * i64::from(*s);
            (num.div_euclid(total), num.rem_euclid(total))
        })
        .collect();
    let mut parts: Vec<i64> = exact.iter().map(|(q, _)| *q).collect();
    let mut left = cents - parts.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| exact[*b].1.cmp(&exact[*a].1).then(a.cmp(b)));
    for i in order.into_iter().cycle().take(shares.len() * 2) {
        if left <= 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
}

/// The gap between the payslip's employer cost and the simulation's for the same gross.
pub fn gap(real_cost: Money, simulated_cost: Money) -> Money {
    Money::eur(real_cost.cents() - simulated_cost.cents())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn variables_are_read_with_each_problem_on_its_field() {
        let v = VariablesInput {
            fixed_gross: "1 900".into(),
            variable: "250,50".into(),
            absence_days: "1,5".into(),
            ..VariablesInput::default()
        }
        .parse()
        .unwrap();
        assert_eq!(v.gross().cents(), 215_050);
        assert_eq!(v.expenses.cents(), 0);
        assert_eq!(VariablesInput::of(&v).variable, "250,50");
        let e = VariablesInput {
            fixed_gross: "-1".into(),
            variable: "beaucoup".into(),
            absence_days: "1,3".into(),
            note: "x".repeat(501),
            ..VariablesInput::default()
        }
        .parse()
        .unwrap_err();
        for f in ["fixed_gross", "variable", "absence_days", "note"] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
    }

    #[test]
    fn a_salary_shared_between_activities_is_split_to_the_cent() {
        assert_eq!(split(100_001, &[5_000, 5_000]), vec![50_001, 50_000]);
        assert_eq!(split(100, &[3_333, 3_333, 3_334]), vec![33, 33, 34]);
        assert_eq!(split(500, &[10_000]), vec![500]);
        assert_eq!(split(500, &[]), Vec::<i64>::new());
        assert_eq!(gap(Money::eur(360_000), Money::eur(359_990)).cents(), 10);
    }

    proptest! {
        #[test]
        fn the_parts_always_add_up(cents in -10_000_000_i64..10_000_000, shares in proptest::collection::vec(1_u32..10_000, 1..6)) {
            let parts = split(cents, &shares);
            prop_assert_eq!(parts.iter().sum::<i64>(), cents);
        }
    }
}
