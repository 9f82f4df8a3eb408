//! LIF-41: every entrepreneur is owed individual support interviews, at least
//! [`Param::SupportInterviewsPerYear`](crate::params::Param) a year. Spread over the year, that is
//! one every `12 / n` months: an entrepreneur is late when the last interview held (or, with none,
//! the day their support began) is further back than that.

use crate::path::add_months;
use time::Date;

/// Where an entrepreneur stands with their interviews.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FollowUp {
    /// Interviews held in the calendar year of `today`.
    pub held_this_year: u32,
    /// How many are due a year.
    pub due_per_year: u32,
    pub last_held: Option<Date>,
    /// The day the next interview is due by.
    pub next_due: Date,
    pub late: bool,
}

/// The follow-up of one entrepreneur on `today`: `held` are the dates of the interviews held
/// (any order), `since` the day their support began.
pub fn follow_up(held: &[Date], since: Date, today: Date, due_per_year: u32) -> FollowUp {
    let due = due_per_year.max(1);
    let months = (12 / due).max(1);
    let last_held = held.iter().copied().filter(|d| *d <= today).max();
    let from = last_held.map_or(since, |l| l.max(since));
    let next_due = add_months(from, months);
    FollowUp {
        held_this_year: u32::try_from(
            held.iter()
                .filter(|d| d.year() == today.year() && **d <= today)
                .count(),
        )
        .unwrap_or(u32::MAX),
        due_per_year: due,
        last_held,
        next_due,
        late: today > next_due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn lif_41_two_interviews_a_year_means_one_every_six_months() {
        let since = date!(2025 - 01 - 15);
        let f = follow_up(&[date!(2026 - 03 - 02)], since, date!(2026 - 09 - 01), 2);
        assert_eq!(f.next_due, date!(2026 - 09 - 02));
        assert!(!f.late);
        assert_eq!(f.held_this_year, 1);
        let f = follow_up(&[date!(2026 - 03 - 02)], since, date!(2026 - 09 - 03), 2);
        assert!(f.late);
    }

    #[test]
    fn with_no_interview_the_clock_starts_when_support_began() {
        let f = follow_up(&[], date!(2026 - 10 - 01), date!(2026 - 12 - 07), 2);
        assert!(!f.late);
        assert_eq!(f.next_due, date!(2027 - 04 - 01));
        assert_eq!(f.last_held, None);
        let f = follow_up(&[], date!(2026 - 01 - 05), date!(2026 - 12 - 07), 2);
        assert!(f.late);
    }

    #[test]
    fn planned_interviews_in_the_future_do_not_count_yet() {
        let f = follow_up(
            &[date!(2025 - 12 - 20), date!(2026 - 12 - 20)],
            date!(2024 - 01 - 01),
            date!(2026 - 12 - 07),
            2,
        );
        assert_eq!(f.last_held, Some(date!(2025 - 12 - 20)));
        assert_eq!(f.held_this_year, 0);
        assert!(f.late);
    }
}
