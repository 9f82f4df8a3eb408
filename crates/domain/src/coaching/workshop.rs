//! Workshops (issue 9, point 3): a session on one day, in a room or by video, with a capacity and
//! a trainer (of the support team or from outside), for an audience (stages of the path).
//! Registration fills the seats in order and then a waiting list; a freed seat goes to the first
//! person waiting. Attendance is recorded per person and half-day (funders count half-days).

use crate::coaching::appointment::parse_time;
use crate::path::Status as PathStatus;
use crate::validation::{FieldErrors, optional_text, required_text};
use time::{Date, PrimitiveDateTime, Time};

/// The most seats a session may offer.
pub const MAX_CAPACITY: i64 = 500;
/// Shortest session, in minutes.
pub const MIN_MINUTES: i64 = 15;

/// Where a session stands. A held session is a planned one whose day has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Planned,
    Cancelled,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Cancelled => "cancelled",
        }
    }
    pub fn parse(code: &str) -> Option<Status> {
        [Status::Planned, Status::Cancelled]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A person's place in a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Seat {
    Registered,
    Waiting,
    /// Withdrew (or was withdrawn); kept for the record.
    Withdrawn,
}

impl Seat {
    pub fn code(self) -> &'static str {
        match self {
            Seat::Registered => "registered",
            Seat::Waiting => "waiting",
            Seat::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(code: &str) -> Option<Seat> {
        [Seat::Registered, Seat::Waiting, Seat::Withdrawn]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// The seat a new registration takes: a seat while some are free, else the waiting list.
pub fn seat_for(capacity: i64, registered: i64) -> Seat {
    if registered < capacity {
        Seat::Registered
    } else {
        Seat::Waiting
    }
}

/// How many people waiting move up to a seat (in their order) when `registered` hold one of
/// `capacity`: after a withdrawal, or when the capacity grows.
pub fn promotions(capacity: i64, registered: i64, waiting: i64) -> i64 {
    (capacity - registered).clamp(0, waiting.max(0))
}

/// Half a day: funders and training organisations count attendance in half-days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HalfDay {
    Morning,
    Afternoon,
}

impl HalfDay {
    pub fn code(self) -> &'static str {
        match self {
            HalfDay::Morning => "am",
            HalfDay::Afternoon => "pm",
        }
    }
    pub fn parse(code: &str) -> Option<HalfDay> {
        [HalfDay::Morning, HalfDay::Afternoon]
            .into_iter()
            .find(|h| h.code() == code)
    }
}

/// Where the morning ends and the afternoon starts (minutes after midnight).
pub const HALF_DAY_SPLIT: i64 = 13 * 60;

/// The half-days a session counts for: each half it spends more than an hour in; a short
/// session counts for the half it spends most time in (the morning on a tie).
pub fn half_days(start_minute: i64, end_minute: i64) -> Vec<HalfDay> {
    let morning = (end_minute.min(HALF_DAY_SPLIT) - start_minute).max(0);
    let afternoon = (end_minute - start_minute.max(HALF_DAY_SPLIT)).max(0);
    let mut out = Vec::new();
    if morning > 60 {
        out.push(HalfDay::Morning);
    }
    if afternoon > 60 {
        out.push(HalfDay::Afternoon);
    }
    if out.is_empty() {
        out.push(if afternoon > morning {
            HalfDay::Afternoon
        } else {
            HalfDay::Morning
        });
    }
    out
}

/// Who leads the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trainer {
    /// A member of the support team (their account).
    Internal(i64),
    /// Someone from outside, by name.
    External(String),
}

/// The stages of the path a session may be offered to. Empty means every entrepreneur supported
/// (CAPE, CESA, associé).
pub const AUDIENCES: [PathStatus; 5] = [
    PathStatus::Candidate,
    PathStatus::Admitted,
    PathStatus::InCape,
    PathStatus::Cesa,
    PathStatus::Associate,
];

/// Whether a person at `stage` may register for a session offered to `audience`.
pub fn may_join(audience: &[PathStatus], stage: PathStatus) -> bool {
    if audience.is_empty() {
        stage.is_supported()
    } else {
        audience.contains(&stage)
    }
}

/// A session as typed in the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkshopInput {
    pub title: String,
    pub description: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    pub place: String,
    pub video_link: String,
    pub capacity: String,
    /// `internal` or `external`.
    pub trainer_kind: String,
    /// The internal trainer's account id, as chosen.
    pub trainer: String,
    /// The external trainer's name.
    pub trainer_name: String,
    /// Codes of the path stages it is offered to.
    pub audience: Vec<String>,
    /// Codes of the cooperative's coaching topics.
    pub topics: Vec<String>,
    /// The funding programme it is charged to (a code of the cooperative's list), or empty.
    pub programme: String,
}

/// A checked session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workshop {
    pub title: String,
    pub description: Option<String>,
    pub on: Date,
    pub start: Time,
    pub end: Time,
    pub place: Option<String>,
    pub video_link: Option<String>,
    pub capacity: i64,
    pub trainer: Trainer,
    pub audience: Vec<PathStatus>,
    pub topics: Vec<String>,
}

impl Workshop {
    pub fn start_minute(&self) -> i64 {
        minute_of(self.start)
    }
    pub fn end_minute(&self) -> i64 {
        minute_of(self.end)
    }
    pub fn span(&self) -> (PrimitiveDateTime, PrimitiveDateTime) {
        (
            PrimitiveDateTime::new(self.on, self.start),
            PrimitiveDateTime::new(self.on, self.end),
        )
    }
    /// The audience as stored: stage codes separated by commas.
    pub fn audience_codes(&self) -> String {
        self.audience
            .iter()
            .map(|s| s.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}

pub(crate) fn minute_of(t: Time) -> i64 {
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

/// Reads a stored audience back (unknown codes are ignored).
pub fn audience_of(codes: &str) -> Vec<PathStatus> {
    codes
        .split(',')
        .filter_map(|c| AUDIENCES.into_iter().find(|s| s.code() == c.trim()))
        .collect()
}

fn parse_capacity(input: &str) -> Result<i64, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        return Err("required");
    }
    let n: i64 = t.parse().map_err(|_| "capacity_format")?;
    if !(1..=MAX_CAPACITY).contains(&n) {
        return Err("capacity_range");
    }
    Ok(n)
}

fn parse_link(input: &str) -> Result<Option<String>, &'static str> {
    let link = optional_text(input, 500)?;
    match link {
        Some(l) if !(l.starts_with("https://") || l.starts_with("http://")) || l.contains(' ') => {
            Err("link_format")
        }
        other => Ok(other),
    }
}

/// Checks a session: every problem beside its field. `topics` are the codes the cooperative
/// offers; `trainers` the accounts of the support team who may lead one.
pub fn parse(
    input: &WorkshopInput,
    topics: &[String],
    trainers: &[i64],
) -> Result<Workshop, FieldErrors> {
    let mut e = FieldErrors::new();
    let title = e.check("title", required_text(&input.title, 200));
    let description = e.check("description", optional_text(&input.description, 10_000));
    let on = e.check("date", crate::person::parse_date(&input.date));
    let start = e.check("start", parse_time(&input.start));
    let end = e.check("end", parse_time(&input.end));
    if let (Some(s), Some(en)) = (start, end)
        && minute_of(en) - minute_of(s) < MIN_MINUTES
    {
        e.add("end", "end_time_before_start");
    }
    let place = e.check("place", optional_text(&input.place, 200));
    let video_link = e.check("video_link", parse_link(&input.video_link));
    if matches!((&place, &video_link), (Some(None), Some(None))) {
        e.add("place", "place_or_link_required");
    }
    let capacity = e.check("capacity", parse_capacity(&input.capacity));
    let trainer = match input.trainer_kind.trim() {
        "external" => e
            .check("trainer_name", required_text(&input.trainer_name, 200))
            .map(Trainer::External),
        "internal" | "" => match input.trainer.trim().parse::<i64>() {
            Ok(id) if trainers.contains(&id) => Some(Trainer::Internal(id)),
            _ => {
                e.add("trainer", "trainer_unknown");
                None
            }
        },
        _ => {
            e.add("trainer_kind", "trainer_kind_unknown");
            None
        }
    };
    let mut audience = Vec::new();
    for code in &input.audience {
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        match AUDIENCES.into_iter().find(|s| s.code() == code) {
            Some(s) if !audience.contains(&s) => audience.push(s),
            Some(_) => {}
            None => e.add("audience", "audience_unknown"),
        }
    }
    let mut chosen: Vec<String> = Vec::new();
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
    if !e.is_empty() {
        return Err(e);
    }
    match (
        title,
        description,
        on,
        start,
        end,
        place,
        video_link,
        capacity,
        trainer,
    ) {
        (
            Some(title),
            Some(description),
            Some(on),
            Some(start),
            Some(end),
            Some(place),
            Some(video_link),
            Some(capacity),
            Some(trainer),
        ) => Ok(Workshop {
            title,
            description,
            on,
            start,
            end,
            place,
            video_link,
            capacity,
            trainer,
            audience,
            topics: chosen,
        }),
        _ => Err(e),
    }
}

/// Two sessions (or a session and an appointment) clash when their times overlap on the same
/// day and they share the room or the trainer. Rooms are compared without case or outer spaces.
pub fn same_room(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let norm = |s: &str| s.trim().to_lowercase();
            !a.trim().is_empty() && norm(a) == norm(b)
        }
        _ => false,
    }
}

/// Whether two spans on one day, given in minutes, overlap (touching ends do not).
pub fn minutes_overlap(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Whether a person may still register themselves: the session is planned and has not started.
pub fn open_for_registration(
    status: Status,
    starts_at: PrimitiveDateTime,
    now: PrimitiveDateTime,
) -> Result<(), &'static str> {
    if status == Status::Cancelled {
        return Err("workshop_cancelled");
    }
    if now >= starts_at {
        return Err("workshop_started");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime, time};

    fn input() -> WorkshopInput {
        WorkshopInput {
            title: "Fixer ses prix".into(),
            description: "Calculer son prix de revient.".into(),
            date: "2027-01-14".into(),
            start: "9h30".into(),
            end: "12:30".into(),
            place: "Salle 2".into(),
            video_link: String::new(),
            capacity: "10".into(),
            trainer_kind: "internal".into(),
            trainer: "7".into(),
            trainer_name: String::new(),
            audience: vec!["cape".into(), "cesa".into(), "cape".into()],
            topics: vec!["pricing".into()],
            programme: String::new(),
        }
    }

    #[test]
    fn a_session_is_read_from_its_form() {
        let w = parse(&input(), &["pricing".into()], &[7]).unwrap();
        assert_eq!(w.on, date!(2027 - 01 - 14));
        assert_eq!((w.start, w.end), (time!(9:30), time!(12:30)));
        assert_eq!((w.start_minute(), w.end_minute()), (570, 750));
        assert_eq!(w.trainer, Trainer::Internal(7));
        assert_eq!(w.audience, vec![PathStatus::InCape, PathStatus::Cesa]);
        assert_eq!(w.audience_codes(), "cape,cesa");
        assert_eq!(audience_of("cape,cesa,astronaut"), w.audience);
        assert_eq!(
            w.span(),
            (datetime!(2027-01-14 9:30), datetime!(2027-01-14 12:30))
        );
        let outside = WorkshopInput {
            trainer_kind: "external".into(),
            trainer: String::new(),
            trainer_name: "Léa Dubois, juriste".into(),
            place: String::new(),
            video_link: "https://visio.example/atelier".into(),
            ..input()
        };
        let w = parse(&outside, &["pricing".into()], &[]).unwrap();
        assert_eq!(w.trainer, Trainer::External("Léa Dubois, juriste".into()));
        assert_eq!(w.place, None);
    }

    #[test]
    fn every_problem_is_reported_beside_its_field() {
        let bad = WorkshopInput {
            title: " ".into(),
            date: "14/01/2027".into(),
            start: "14:00".into(),
            end: "13:00".into(),
            place: String::new(),
            video_link: "visio".into(),
            capacity: "0".into(),
            trainer: "8".into(),
            audience: vec!["astronaut".into()],
            topics: vec!["astrology".into()],
            ..input()
        };
        let e = parse(&bad, &["pricing".into()], &[7]).unwrap_err();
        for (field, code) in [
            ("title", "required"),
            ("date", "date_format"),
            ("end", "end_time_before_start"),
            ("video_link", "link_format"),
            ("capacity", "capacity_range"),
            ("trainer", "trainer_unknown"),
            ("audience", "audience_unknown"),
            ("topics", "topic_unknown"),
        ] {
            assert_eq!(e.for_field(field).map(|f| f.code), Some(code), "{field}");
        }
        let nowhere = WorkshopInput {
            place: String::new(),
            ..input()
        };
        let e = parse(&nowhere, &["pricing".into()], &[7]).unwrap_err();
        assert_eq!(
            e.for_field("place").map(|f| f.code),
            Some("place_or_link_required")
        );
        let nameless = WorkshopInput {
            trainer_kind: "external".into(),
            ..input()
        };
        let e = parse(&nameless, &["pricing".into()], &[7]).unwrap_err();
        assert_eq!(
            e.for_field("trainer_name").map(|f| f.code),
            Some("required")
        );
    }

    #[test]
    fn seats_fill_in_order_then_the_waiting_list() {
        assert_eq!(seat_for(10, 0), Seat::Registered);
        assert_eq!(seat_for(10, 9), Seat::Registered);
        assert_eq!(seat_for(10, 10), Seat::Waiting);
        assert_eq!(seat_for(10, 12), Seat::Waiting);
        // One seat freed, three waiting: one moves up; capacity raised by five: all three.
        assert_eq!(promotions(10, 9, 3), 1);
        assert_eq!(promotions(15, 10, 3), 3);
        assert_eq!(promotions(10, 10, 3), 0);
        // Capacity lowered under the registered count: nobody is moved either way.
        assert_eq!(promotions(8, 10, 3), 0);
        assert_eq!(promotions(10, 5, 0), 0);
    }

    #[test]
    fn attendance_counts_the_half_days_a_session_covers() {
        use HalfDay::{Afternoon, Morning};
        let h = |s: i64, e: i64| half_days(s * 60, e * 60);
        assert_eq!(h(9, 17), vec![Morning, Afternoon]);
        assert_eq!(h(9, 12), vec![Morning]);
        assert_eq!(h(14, 17), vec![Afternoon]);
        // A lunch session counts once, for the morning on a tie.
        assert_eq!(h(12, 14), vec![Morning]);
        assert_eq!(half_days(12 * 60 + 30, 14 * 60), vec![Afternoon]);
        // Ninety minutes before and after lunch: both.
        assert_eq!(
            half_days(11 * 60 + 29, 14 * 60 + 31),
            vec![Morning, Afternoon]
        );
        assert_eq!(HalfDay::parse("pm"), Some(Afternoon));
    }

    #[test]
    fn the_audience_decides_who_may_register() {
        assert!(may_join(&[], PathStatus::Cesa));
        assert!(!may_join(&[], PathStatus::Candidate));
        assert!(may_join(&[PathStatus::Candidate], PathStatus::Candidate));
        assert!(!may_join(&[PathStatus::Candidate], PathStatus::Associate));
    }

    #[test]
    fn clashes_need_the_same_room_or_trainer_at_overlapping_times() {
        assert!(same_room(Some("Salle 2"), Some(" salle 2 ")));
        assert!(!same_room(Some("Salle 2"), Some("Salle 3")));
        assert!(!same_room(None, None));
        assert!(minutes_overlap((540, 720), (700, 800)));
        assert!(!minutes_overlap((540, 720), (720, 800)));
    }

    #[test]
    fn registration_closes_when_the_session_starts_or_is_cancelled() {
        let at = datetime!(2027-01-14 9:30);
        assert_eq!(
            open_for_registration(Status::Planned, at, datetime!(2027-01-14 9:00)),
            Ok(())
        );
        assert_eq!(
            open_for_registration(Status::Planned, at, at),
            Err("workshop_started")
        );
        assert_eq!(
            open_for_registration(Status::Cancelled, at, datetime!(2027-01-01 9:00)),
            Err("workshop_cancelled")
        );
    }
}
