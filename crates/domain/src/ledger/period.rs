//! Accounting periods: months are closed in order and a closed period refuses new entries; an
//! automatic posting whose event falls in a closed period is dated on the first open day
//! (corrections go to the next open period). A fiscal year is closed once its last month is.

use crate::cooperative::FiscalYearStart;
use time::{Date, Duration, Month};

/// The last day of the month of `date`.
pub fn month_end(date: Date) -> Date {
    let first_next = match date.month() {
        Month::December => Date::from_calendar_date(date.year() + 1, Month::January, 1),
        m => Date::from_calendar_date(date.year(), m.next(), 1),
    };
    first_next.map_or(date, |d| d - Duration::days(1))
}

/// The first day of the month of `date`.
pub fn month_start(date: Date) -> Date {
    date.replace_day(1).unwrap_or(date)
}

/// The state of a cooperative's books: closed through which day, fiscal years from which day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Periods {
    pub locked_through: Option<Date>,
    pub fiscal_year_start: FiscalYearStart,
}

impl Periods {
    pub fn is_closed(&self, date: Date) -> bool {
        self.locked_through.is_some_and(|l| date <= l)
    }

    /// The date an automatic posting of an event of `event` takes: the event's own date, or the
    /// first open day when its period is closed.
    pub fn posting_date(&self, event: Date) -> Date {
        match self.locked_through {
            Some(l) if event <= l => l.next_day().unwrap_or(event),
            _ => event,
        }
    }

    /// A manual entry may only be dated in an open period.
    pub fn check_manual(&self, date: Date) -> Result<(), &'static str> {
        if self.is_closed(date) {
            Err("period_closed")
        } else {
            Ok(())
        }
    }

    /// The first day of the fiscal year containing `date`, and its last day.
    pub fn fiscal_year(&self, date: Date) -> (Date, Date) {
        let start = self.fiscal_year_start.year_start_for(date);
        let next =
            Date::from_calendar_date(start.year() + 1, start.month(), start.day()).unwrap_or(start);
        (start, next - Duration::days(1))
    }

    /// Closing the month ending on `through`: only a finished month, after the last closed one.
    pub fn close_month(&self, month: Date, today: Date) -> Result<Date, &'static str> {
        let end = month_end(month);
        if end >= today {
            return Err("period_not_over");
        }
        if self.locked_through.is_some_and(|l| end <= l) {
            return Err("period_already_closed");
        }
        Ok(end)
    }

    /// The months over and not closed yet on `today`, oldest first (their first days): what the
    /// accountant may close next. Books never closed start at the current fiscal year.
    pub fn closable_months(&self, today: Date) -> Vec<Date> {
        let mut m = match self.locked_through {
            Some(l) => month_start(l.next_day().unwrap_or(l)),
            None => self.fiscal_year(today).0,
        };
        let mut out = Vec::new();
        while month_end(m) < today {
            out.push(m);
            m = match month_end(m).next_day() {
                Some(n) => n,
                None => break,
            };
        }
        out
    }

    /// Closing the fiscal year that ends on `year_end`: every month of it must be closed.
    pub fn close_year(&self, year_end: Date) -> Result<(), &'static str> {
        if self.locked_through.is_none_or(|l| l < year_end) {
            return Err("year_months_open");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn periods(locked: Option<Date>) -> Periods {
        Periods {
            locked_through: locked,
            fiscal_year_start: FiscalYearStart::new(7, 1).unwrap(),
        }
    }

    #[test]
    fn the_months_over_and_open_are_closable_oldest_first() {
        // Fiscal years from 1 July; closed through September: October and November are over.
        assert_eq!(
            periods(Some(date!(2026 - 09 - 30))).closable_months(date!(2026 - 12 - 07)),
            vec![date!(2026 - 10 - 01), date!(2026 - 11 - 01)]
        );
        // On the last day of a month, that month is not over yet.
        assert_eq!(
            periods(Some(date!(2026 - 10 - 31))).closable_months(date!(2026 - 11 - 30)),
            Vec::<Date>::new()
        );
        // Never closed: from the start of the current fiscal year.
        assert_eq!(
            periods(None).closable_months(date!(2026 - 09 - 15)),
            vec![date!(2026 - 07 - 01), date!(2026 - 08 - 01)]
        );
    }

    #[test]
    fn a_closed_period_refuses_manual_entries_and_moves_automatic_ones() {
        let p = periods(Some(date!(2026 - 03 - 31)));
        assert_eq!(p.check_manual(date!(2026 - 03 - 31)), Err("period_closed"));
        assert_eq!(p.check_manual(date!(2026 - 04 - 01)), Ok(()));
        assert_eq!(p.posting_date(date!(2026 - 02 - 10)), date!(2026 - 04 - 01));
        assert_eq!(p.posting_date(date!(2026 - 04 - 10)), date!(2026 - 04 - 10));
        assert_eq!(
            periods(None).posting_date(date!(2020 - 01 - 01)),
            date!(2020 - 01 - 01)
        );
    }

    #[test]
    fn months_close_in_order_once_over() {
        let p = periods(Some(date!(2026 - 03 - 31)));
        let today = date!(2026 - 05 - 15);
        assert_eq!(
            p.close_month(date!(2026 - 04 - 10), today),
            Ok(date!(2026 - 04 - 30))
        );
        assert_eq!(
            p.close_month(date!(2026 - 05 - 01), today),
            Err("period_not_over")
        );
        assert_eq!(
            p.close_month(date!(2026 - 02 - 01), today),
            Err("period_already_closed")
        );
        assert_eq!(month_end(date!(2028 - 02 - 03)), date!(2028 - 02 - 29));
        assert_eq!(month_end(date!(2026 - 12 - 03)), date!(2026 - 12 - 31));
    }

    #[test]
    fn fiscal_years_follow_the_cooperative_start_and_close_after_their_months() {
        let p = periods(Some(date!(2026 - 05 - 31)));
        assert_eq!(
            p.fiscal_year(date!(2026 - 03 - 01)),
            (date!(2025 - 07 - 01), date!(2026 - 06 - 30))
        );
        assert_eq!(p.close_year(date!(2026 - 06 - 30)), Err("year_months_open"));
        assert_eq!(
            periods(Some(date!(2026 - 06 - 30))).close_year(date!(2026 - 06 - 30)),
            Ok(())
        );
    }
}
