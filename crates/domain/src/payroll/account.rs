//! The activity account (PAY-01, PAY-02): what an activity billed, what the contribution took,
//! what it spent and what its salaries cost, month by month and to date, and what is left; then
//! the forecast to the end of the fiscal year. Pure: the movements come from the books (one source
//! of truth); VAT never enters them.

use crate::money::Money;
use time::{Date, Month};

/// What a movement of the account is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Revenue excluding VAT (on the cooperative's basis: invoiced or collected).
    Revenue,
    /// The contribution to the cooperative (PAY-11: an internal transfer).
    Contribution,
    /// Direct charges excluding VAT: purchases, subcontracting, expense reports.
    Charge,
    /// Salary cost: gross, employer contributions after reductions, employer benefits (PAY-25).
    SalaryCost,
    /// Other allocations: training, fixed monthly fee, shared costs.
    Allocation,
}

/// One movement, as an amount that adds to the account (revenue positive, the others negative
/// when they take from it; a credit note or a refund the other way).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    pub on: Date,
    pub kind: Kind,
    pub cents: i64,
}

/// The figures of a period: each kind, and what they leave.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub revenue: i64,
    pub contribution: i64,
    pub charges: i64,
    pub salary_cost: i64,
    pub allocations: i64,
}

impl Figures {
    fn add(&mut self, m: &Movement) {
        let slot = match m.kind {
            Kind::Revenue => &mut self.revenue,
            Kind::Contribution => &mut self.contribution,
            Kind::Charge => &mut self.charges,
            Kind::SalaryCost => &mut self.salary_cost,
            Kind::Allocation => &mut self.allocations,
        };
        *slot += m.cents;
    }

    /// What the period leaves: the sum of its movements.
    pub fn net(&self) -> i64 {
        self.revenue + self.contribution + self.charges + self.salary_cost + self.allocations
    }
}

/// A month of the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthFigures {
    pub year: i32,
    pub month: Month,
    pub figures: Figures,
    /// The balance at the end of the month.
    pub balance: i64,
}

/// The realised account of a period (PAY-01).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Realised {
    pub opening: i64,
    pub months: Vec<MonthFigures>,
    pub to_date: Figures,
    /// opening + every movement of the period.
    pub available: Money,
}

/// PAY-01: the movements of `[from, to]` month by month, from the opening balance.
pub fn realised(opening: i64, movements: &[Movement], from: Date, to: Date) -> Realised {
    let mut months: Vec<MonthFigures> = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, u8::from(m)) <= (to.year(), u8::from(to.month())) {
        months.push(MonthFigures {
            year: y,
            month: m,
            figures: Figures::default(),
            balance: 0,
        });
        if m == Month::December {
            y += 1;
        }
        m = m.next();
    }
    let mut to_date = Figures::default();
    for mv in movements.iter().filter(|mv| mv.on >= from && mv.on <= to) {
        if let Some(slot) = months
            .iter_mut()
            .find(|x| x.year == mv.on.year() && x.month == mv.on.month())
        {
            slot.figures.add(mv);
        }
        to_date.add(mv);
    }
    let mut balance = opening;
    for x in &mut months {
        balance += x.figures.net();
        x.balance = balance;
    }
    Realised {
        opening,
        months,
        to_date,
        available: Money::eur(opening + to_date.net()),
    }
}

/// PAY-02: the forecast to the end of the fiscal year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Forecast {
    pub realised: i64,
    /// Invoiced, not yet collected, excluding VAT (on a collected basis, less its contribution).
    pub receivables: i64,
    /// Expenses committed and not yet in the account (validated reports, approved invoices).
    pub committed: i64,
    /// Salary cost scheduled until the end of the fiscal year.
    pub scheduled_payroll: i64,
}

impl Forecast {
    pub fn available(&self) -> Money {
        Money::eur(self.realised + self.receivables - self.committed - self.scheduled_payroll)
    }
    /// PAY-24: the forecast would go below the cooperative's tolerance.
    pub fn alert(&self, tolerance_cents: i64) -> bool {
        self.available().cents() < -tolerance_cents
    }
}

/// The bars of the waterfall chart: billed, then each deduction, then what is available.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waterfall {
    pub opening: i64,
    pub billed: i64,
    pub contribution: i64,
    pub costs: i64,
    pub salary_cost: i64,
    pub available: i64,
}

impl Waterfall {
    pub fn of(r: &Realised) -> Waterfall {
        let f = &r.to_date;
        Waterfall {
            opening: r.opening,
            billed: f.revenue,
            contribution: f.contribution,
            costs: f.charges + f.allocations,
            salary_cost: f.salary_cost,
            available: r.available.cents(),
        }
    }

    /// The chart adds up: opening + billed + each (negative) step = available.
    pub fn adds_up(&self) -> bool {
        self.opening + self.billed + self.contribution + self.costs + self.salary_cost
            == self.available
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn mv(on: Date, kind: Kind, cents: i64) -> Movement {
        Movement { on, kind, cents }
    }

    #[test]
    fn pay_01_the_worked_example_leaves_what_the_guide_says() {
        // PAY 2.5: 60,000 € collected, 11 % contribution, 7,200 € of direct charges.
        let mut moves = Vec::new();
        for m in 1..=12u8 {
            let on =
                Date::from_calendar_date(2026, Month::try_from(m).unwrap_or(Month::January), 15)
                    .unwrap_or(date!(2026 - 01 - 15));
            moves.push(mv(on, Kind::Revenue, 500_000));
            moves.push(mv(on, Kind::Contribution, -55_000));
            moves.push(mv(on, Kind::Charge, -60_000));
        }
        let r = realised(0, &moves, date!(2026 - 01 - 01), date!(2026 - 12 - 31));
        assert_eq!(r.available.cents(), 4_620_000);
        assert_eq!(r.months.len(), 12);
        assert_eq!(r.months[0].balance, 385_000);
        assert!(Waterfall::of(&r).adds_up());
        let f = Forecast {
            realised: 500_000,
            receivables: 0,
            committed: 0,
            scheduled_payroll: 3 * 360_000,
        };
        // The shortfall case: 5,000 € and three payrolls of 3,600 € cost → the alert is raised.
        assert_eq!(f.available().cents(), -580_000);
        assert!(f.alert(0));
        assert!(!f.alert(600_000));
    }

    proptest! {
        #[test]
        fn the_waterfall_always_adds_up(
            opening in -1_000_000_i64..1_000_000,
            raw in proptest::collection::vec((0_u8..5, -500_000_i64..2_000_000, 1_u8..=28, 1_u8..=12), 0..60),
        ) {
            let kinds = [Kind::Revenue, Kind::Contribution, Kind::Charge, Kind::SalaryCost, Kind::Allocation];
            let moves: Vec<Movement> = raw
                .iter()
                .filter_map(|(k, c, d, m)| {
                    let on = Date::from_calendar_date(2026, Month::try_from(*m).ok()?, *d).ok()?;
                    Some(mv(on, kinds[usize::from(*k)], *c))
                })
                .collect();
            let r = realised(opening, &moves, date!(2026 - 01 - 01), date!(2026 - 12 - 31));
            prop_assert!(Waterfall::of(&r).adds_up());
            prop_assert_eq!(r.months.last().map(|m| m.balance), Some(r.available.cents()));
        }
    }
}
