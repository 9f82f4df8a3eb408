//! An appointment (issue 9, point 1; LIF-41 records date, coach and topics): when, how long, how
//! (in person, phone, video), where, about what, with whom; the coach's private notes, a summary
//! shared with the entrepreneurs and the next actions agreed, each with its due date.

use crate::validation::{FieldErrors, optional_text};
use time::macros::format_description;
use time::{Date, Duration, PrimitiveDateTime, Time};

/// How the appointment takes place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    InPerson,
    Phone,
    Video,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::InPerson, Mode::Phone, Mode::Video];
    pub fn code(self) -> &'static str {
        match self {
            Mode::InPerson => "in_person",
            Mode::Phone => "phone",
            Mode::Video => "video",
        }
    }
    pub fn parse(code: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// Where an appointment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Planned,
    Held,
    Cancelled,
    /// The entrepreneur did not come.
    NoShow,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Planned,
        Status::Held,
        Status::Cancelled,
        Status::NoShow,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Held => "held",
            Status::Cancelled => "cancelled",
            Status::NoShow => "no_show",
        }
    }
    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// A planned appointment becomes held, cancelled or a no-show; a mistake is corrected by
    /// setting it back to planned. Nothing else moves.
    pub fn may_become(self, next: Status) -> Result<(), &'static str> {
        match (self, next) {
            (a, b) if a == b => Err("status_unchanged"),
            (Status::Planned, _) | (_, Status::Planned) => Ok(()),
            _ => Err("status_transition"),
        }
    }

    /// Whether it counts as a support interview (LIF-41).
    pub fn counts_as_interview(self) -> bool {
        self == Status::Held
    }
}

/// Shortest and longest appointment, in minutes.
pub const MIN_MINUTES: i64 = 5;
pub const MAX_MINUTES: i64 = 8 * 60;
/// The most entrepreneurs in one appointment (a group coaching), and next actions on it.
pub const MAX_PARTICIPANTS: usize = 30;
pub const MAX_ACTIONS: usize = 20;

/// The appointment as typed in the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppointmentInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub time: String,
    /// Minutes, as typed.
    pub duration: String,
    pub mode: String,
    pub place: String,
    /// Codes of the cooperative's topics.
    pub topics: Vec<String>,
    /// Ids of the people met, as typed.
    pub people: Vec<String>,
    pub private_notes: String,
    pub summary: String,
    /// The funding programme it is charged to (a code of the cooperative's list), or empty.
    pub programme: String,
}

/// A checked appointment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appointment {
    pub starts_at: PrimitiveDateTime,
    pub minutes: i64,
    pub mode: Mode,
    pub place: Option<String>,
    pub topics: Vec<String>,
    pub people: Vec<i64>,
    pub private_notes: Option<String>,
    pub summary: Option<String>,
}

impl Appointment {
    pub fn ends_at(&self) -> PrimitiveDateTime {
        self.starts_at + Duration::minutes(self.minutes)
    }
}

/// Checks an appointment: every problem is reported beside its field. `topics` are the codes the
/// cooperative offers.
pub fn parse(input: &AppointmentInput, topics: &[String]) -> Result<Appointment, FieldErrors> {
    let mut e = FieldErrors::new();
    let date = e.check("date", crate::person::parse_date(&input.date));
    let time = e.check("time", parse_time(&input.time));
    let minutes = e.check("duration", parse_minutes(&input.duration));
    let mode = e.check("mode", Mode::parse(input.mode.trim()).ok_or("mode_unknown"));
    let place = e.check("place", optional_text(&input.place, 200));
    let private_notes = e.check("private_notes", optional_text(&input.private_notes, 10_000));
    let summary = e.check("summary", optional_text(&input.summary, 10_000));
    let mut chosen = Vec::new();
    for t in &input.topics {
        let t = t.trim();
        if t.is_empty() || chosen.iter().any(|c| c == t) {
            continue;
        }
        if topics.iter().any(|k| k == t) {
            chosen.push(t.to_owned());
        } else {
            e.add("topics", "topic_unknown");
        }
    }
    let mut people: Vec<i64> = Vec::new();
    for p in &input.people {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        match p.parse::<i64>() {
            Ok(id) if id > 0 => {
                if !people.contains(&id) {
                    people.push(id);
                }
            }
            _ => e.add("people", "person_unknown"),
        }
    }
    if people.is_empty() && e.for_field("people").is_none() {
        e.add("people", "people_required");
    } else if people.len() > MAX_PARTICIPANTS {
        e.add("people", "too_many_people");
    }
    if !e.is_empty() {
        return Err(e);
    }
    match (date, time, minutes, mode, place, private_notes, summary) {
        (Some(d), Some(t), Some(minutes), Some(mode), Some(place), Some(notes), Some(summary)) => {
            Ok(Appointment {
                starts_at: PrimitiveDateTime::new(d, t),
                minutes,
                mode,
                place,
                topics: chosen,
                people,
                private_notes: notes,
                summary,
            })
        }
        _ => Err(e),
    }
}

/// `HH:MM` (or `HHhMM`, as French people write it).
pub fn parse_time(input: &str) -> Result<Time, &'static str> {
    let t = input.trim().replace(['h', 'H'], ":");
    if t.is_empty() {
        return Err("required");
    }
    let t = if t.ends_with(':') {
        format!("{t}00")
    } else {
        t
    };
    Time::parse(&t, format_description!("[hour]:[minute]"))
        .or_else(|_| Time::parse(&t, format_description!("[hour padding:none]:[minute]")))
        .map_err(|_| "time_format")
}

fn parse_minutes(input: &str) -> Result<i64, &'static str> {
    let m: i64 = input.trim().parse().map_err(|_| "duration_format")?;
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&m) {
        return Err("duration_range");
    }
    Ok(m)
}

/// Whether two time spans overlap (touching ends do not).
pub fn overlaps(
    a: (PrimitiveDateTime, PrimitiveDateTime),
    b: (PrimitiveDateTime, PrimitiveDateTime),
) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// A next action agreed, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionInput {
    pub label: String,
    /// `YYYY-MM-DD`, or empty.
    pub due_on: String,
}

/// A next action: what to do, by when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub label: String,
    pub due_on: Option<Date>,
}

/// Checks the next actions; empty rows are dropped, errors are reported per row.
pub fn parse_actions(rows: &[ActionInput]) -> Result<Vec<Action>, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.label.trim().is_empty() && r.due_on.trim().is_empty() {
            continue;
        }
        let label = crate::validation::required_text(&r.label, 300);
        let due = crate::person::parse_optional_date(&r.due_on);
        if let Err(c) = label {
            e.add_row(i, "label", c);
        }
        if let Err(c) = due {
            e.add_row(i, "due_on", c);
        }
        if let (Ok(label), Ok(due_on)) = (label, due) {
            out.push(Action { label, due_on });
        }
    }
    if out.len() > MAX_ACTIONS {
        e.add("actions", "too_many_actions");
    }
    if e.is_empty() { Ok(out) } else { Err(e) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime, time};

    fn input() -> AppointmentInput {
        AppointmentInput {
            date: "2026-12-10".into(),
            time: "14h30".into(),
            duration: "60".into(),
            mode: "video".into(),
            place: "https://visio.example/abc".into(),
            topics: vec!["pricing".into(), "pricing".into()],
            people: vec!["12".into(), " 14 ".into(), "12".into()],
            private_notes: "Fatiguée ; à revoir en janvier.".into(),
            summary: String::new(),
            programme: String::new(),
        }
    }

    #[test]
    fn lif_41_an_appointment_records_date_coach_and_topics() {
        let a = parse(&input(), &["pricing".into(), "legal".into()]).unwrap();
        assert_eq!(a.starts_at, datetime!(2026 - 12 - 10 14:30));
        assert_eq!(a.ends_at(), datetime!(2026 - 12 - 10 15:30));
        assert_eq!(a.mode, Mode::Video);
        assert_eq!(a.topics, vec!["pricing".to_owned()]);
        assert_eq!(a.people, vec![12, 14]);
        assert_eq!(a.summary, None);
        assert_eq!(
            a.private_notes.as_deref(),
            Some("Fatiguée ; à revoir en janvier.")
        );
    }

    #[test]
    fn every_problem_is_reported_beside_its_field() {
        let bad = AppointmentInput {
            date: "10/12/2026".into(),
            time: "25:00".into(),
            duration: "600".into(),
            mode: "carrier pigeon".into(),
            topics: vec!["astrology".into()],
            people: vec!["x".into()],
            ..AppointmentInput::default()
        };
        let e = parse(&bad, &["pricing".into()]).unwrap_err();
        for (field, code) in [
            ("date", "date_format"),
            ("time", "time_format"),
            ("duration", "duration_range"),
            ("mode", "mode_unknown"),
            ("topics", "topic_unknown"),
            ("people", "person_unknown"),
        ] {
            assert_eq!(e.for_field(field).map(|f| f.code), Some(code), "{field}");
        }
        let nobody = AppointmentInput {
            people: vec![],
            ..input()
        };
        let e = parse(&nobody, &["pricing".into()]).unwrap_err();
        assert_eq!(
            e.for_field("people").map(|f| f.code),
            Some("people_required")
        );
    }

    #[test]
    fn times_are_read_as_people_write_them() {
        assert_eq!(parse_time("9:05"), Ok(time!(9:05)));
        assert_eq!(parse_time("09h"), Ok(time!(9:00)));
        assert_eq!(parse_time("14H30"), Ok(time!(14:30)));
        assert_eq!(parse_time(""), Err("required"));
        assert_eq!(parse_time("midi"), Err("time_format"));
    }

    #[test]
    fn a_planned_appointment_moves_and_a_mistake_goes_back_to_planned() {
        assert_eq!(Status::Planned.may_become(Status::Held), Ok(()));
        assert_eq!(Status::Planned.may_become(Status::NoShow), Ok(()));
        assert_eq!(Status::Held.may_become(Status::Planned), Ok(()));
        assert_eq!(
            Status::Held.may_become(Status::Cancelled),
            Err("status_transition")
        );
        assert_eq!(
            Status::Held.may_become(Status::Held),
            Err("status_unchanged")
        );
        assert!(Status::Held.counts_as_interview());
        assert!(!Status::NoShow.counts_as_interview());
    }

    #[test]
    fn spans_overlap_unless_they_only_touch() {
        let a = (
            datetime!(2026 - 12 - 10 14:00),
            datetime!(2026 - 12 - 10 15:00),
        );
        let b = (
            datetime!(2026 - 12 - 10 14:30),
            datetime!(2026 - 12 - 10 16:00),
        );
        let c = (
            datetime!(2026 - 12 - 10 15:00),
            datetime!(2026 - 12 - 10 16:00),
        );
        assert!(overlaps(a, b));
        assert!(!overlaps(a, c));
    }

    #[test]
    fn next_actions_keep_their_rows_and_errors() {
        let rows = vec![
            ActionInput {
                label: "Envoyer trois devis".into(),
                due_on: "2026-12-20".into(),
            },
            ActionInput::default(),
            ActionInput {
                label: String::new(),
                due_on: "demain".into(),
            },
        ];
        let e = parse_actions(&rows).unwrap_err();
        assert_eq!(e.for_row(2, "label").map(|f| f.code), Some("required"));
        assert_eq!(e.for_row(2, "due_on").map(|f| f.code), Some("date_format"));
        let ok = parse_actions(&rows[..2]).unwrap();
        assert_eq!(
            ok,
            vec![Action {
                label: "Envoyer trois devis".into(),
                due_on: Some(date!(2026 - 12 - 20)),
            }]
        );
    }
}
