//! The coaching report for funders (issue 9, point 6; REP): over a period, per coach and per
//! funding programme, the people followed, the interviews held and their hours, the workshop
//! sessions, their attendees, the half-days attended and the trainee hours.
//!
//! Counting rules: an appointment counts once for its coach's hours however many people it
//! gathers, and each person met counts among the people followed; a workshop attendee counts when
//! present for at least one half-day, and brings the session's minutes × half-days present ÷
//! half-days of the session (rounded down to the minute) as trainee time. People are counted
//! once per line and once in the total, whatever the number of lines they appear on.

use std::collections::{BTreeMap, BTreeSet};

/// One person met in a held appointment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interview {
    pub appointment: i64,
    pub coach: String,
    pub programme: Option<String>,
    pub minutes: i64,
    pub person: i64,
}

/// One person's attendance at a workshop session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendance {
    pub workshop: i64,
    pub trainer: String,
    pub programme: Option<String>,
    /// The session's length and its half-days.
    pub minutes: i64,
    pub halves: i64,
    pub person: i64,
    pub present_halves: i64,
}

/// What a line of the report groups by: the coach (or trainer) and the programme, either of
/// which may be merged (`None` in the key when not grouped by it).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Key {
    pub coach: Option<String>,
    pub programme: Option<Option<String>>,
}

/// A line's figures.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Figures {
    pub people: usize,
    pub interviews: usize,
    pub interview_minutes: i64,
    pub sessions: usize,
    pub attendees: usize,
    pub half_days: i64,
    pub trainee_minutes: i64,
}

#[derive(Default)]
struct Acc {
    people: BTreeSet<i64>,
    appointments: BTreeMap<i64, i64>,
    sessions: BTreeSet<i64>,
    attendees: BTreeSet<i64>,
    half_days: i64,
    trainee_minutes: i64,
}

impl Acc {
    fn figures(&self) -> Figures {
        Figures {
            people: self.people.len(),
            interviews: self.appointments.len(),
            interview_minutes: self.appointments.values().sum(),
            sessions: self.sessions.len(),
            attendees: self.attendees.len(),
            half_days: self.half_days,
            trainee_minutes: self.trainee_minutes,
        }
    }
}

/// The report: its lines in key order, and the total.
pub fn report(
    interviews: &[Interview],
    attendance: &[Attendance],
    by_coach: bool,
    by_programme: bool,
) -> (Vec<(Key, Figures)>, Figures) {
    let key = |coach: &str, programme: &Option<String>| Key {
        coach: by_coach.then(|| coach.to_owned()),
        programme: by_programme.then(|| programme.clone()),
    };
    let mut lines: BTreeMap<Key, Acc> = BTreeMap::new();
    let mut total = Acc::default();
    for i in interviews {
        for acc in [
            lines.entry(key(&i.coach, &i.programme)).or_default(),
            &mut total,
        ] {
            acc.people.insert(i.person);
            acc.appointments.insert(i.appointment, i.minutes);
        }
    }
    for a in attendance.iter().filter(|a| a.present_halves > 0) {
        let minutes = a.minutes * a.present_halves.min(a.halves) / a.halves.max(1);
        for acc in [
            lines.entry(key(&a.trainer, &a.programme)).or_default(),
            &mut total,
        ] {
            acc.people.insert(a.person);
            acc.sessions.insert(a.workshop);
            acc.attendees.insert(a.person);
            acc.half_days += a.present_halves;
            acc.trainee_minutes += minutes;
        }
    }
    (
        lines.into_iter().map(|(k, a)| (k, a.figures())).collect(),
        total.figures(),
    )
}

/// Minutes as hours with two decimals (`12.50`), rounded half up to the hundredth: what a
/// spreadsheet reads as a number.
pub fn hours_decimal(minutes: i64) -> String {
    let hundredths = (minutes.max(0) * 100 * 2 + 60) / 120;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Minutes as people read them: `12 h 30`.
pub fn hours_text(minutes: i64) -> String {
    let m = minutes.max(0);
    format!("{} h {:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interview(appointment: i64, coach: &str, programme: &str, person: i64) -> Interview {
        Interview {
            appointment,
            coach: coach.into(),
            programme: (!programme.is_empty()).then(|| programme.to_owned()),
            minutes: 90,
            person,
        }
    }

    fn attended(workshop: i64, trainer: &str, person: i64, present: i64) -> Attendance {
        Attendance {
            workshop,
            trainer: trainer.into(),
            programme: Some("region".into()),
            minutes: 420,
            halves: 2,
            person,
            present_halves: present,
        }
    }

    #[test]
    fn rep_a_group_appointment_counts_once_for_hours_and_each_person_once() {
        let interviews = vec![
            interview(1, "Agnès", "region", 10),
            interview(1, "Agnès", "region", 11),
            interview(2, "Agnès", "", 10),
            interview(3, "Karim", "region", 12),
        ];
        let (lines, total) = report(&interviews, &[], true, true);
        assert_eq!(lines.len(), 3);
        let agnes_region = &lines
            .iter()
            .find(|(k, _)| {
                k.coach.as_deref() == Some("Agnès")
                    && k.programme == Some(Some("region".to_owned()))
            })
            .unwrap()
            .1;
        assert_eq!(agnes_region.people, 2);
        assert_eq!(agnes_region.interviews, 1);
        assert_eq!(agnes_region.interview_minutes, 90);
        // The total counts person 10 once, though on two lines.
        assert_eq!(total.people, 3);
        assert_eq!(total.interviews, 3);
        assert_eq!(total.interview_minutes, 270);
        // Merged by programme: one line per coach.
        let (lines, _) = report(&interviews, &[], true, false);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].1.interview_minutes, 180);
    }

    #[test]
    fn rep_workshop_time_counts_the_half_days_each_attendee_was_present() {
        let attendance = vec![
            attended(5, "Agnès", 10, 2),
            attended(5, "Agnès", 11, 1),
            attended(5, "Agnès", 12, 0),
            attended(6, "Intervenante", 10, 1),
        ];
        let (lines, total) = report(&[], &attendance, false, false);
        assert_eq!(lines.len(), 1);
        assert_eq!(total.sessions, 2);
        assert_eq!(total.attendees, 2, "present at least one half-day");
        assert_eq!(total.half_days, 4);
        // 420 + 210 + 210 minutes.
        assert_eq!(total.trainee_minutes, 840);
        assert_eq!(total.people, 2);
        // Rounded down to the minute: 7 minutes over 2 half-days, one present, gives 3.
        let odd = vec![Attendance {
            minutes: 7,
            ..attended(7, "x", 1, 1)
        }];
        assert_eq!(report(&[], &odd, false, false).1.trainee_minutes, 3);
    }

    #[test]
    fn hours_are_written_for_people_and_for_spreadsheets() {
        assert_eq!(hours_text(750), "12 h 30");
        assert_eq!(hours_decimal(750), "12.50");
        assert_eq!(hours_decimal(1), "0.02"); // 1.666… hundredths → 2
        assert_eq!(hours_decimal(20), "0.33"); // 33.33… → 33
        assert_eq!(hours_decimal(0), "0.00");
    }
}
