//! Trainings (issue 9, point 4): when the cooperative is a declared training organisation
//! (*organisme de formation*, with a *numéro de déclaration d'activité*), its entrepreneurs who
//! train deliver courses under its name. A course has objectives, planned hours, a kind of
//! objective, sessions, trainees with their category, and attendance per trainee and session.
//! Each year the organisation files its *bilan pédagogique et financier* (BPF, Cerfa 10443):
//! the trainees and the hours they followed by category (its frame F-1), by kind of objective
//! (F-3), and the hours delivered by the organisation's own trainers and by outside ones (E).
//! [`summary`] counts them from what was recorded, in minutes; they are shown and exported
//! with the coaching report's hour formats (`report::hours_text`, `report::hours_decimal`).

use crate::coaching::appointment::parse_time;
use crate::coaching::workshop::minute_of;
use crate::validation::{FieldErrors, optional_text, required_text};
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeSet;
use time::Date;

/// Shortest session, in minutes.
pub const MIN_SESSION_MINUTES: i64 = 15;
/// The most hours a course may plan (a year of full-time training).
pub const MAX_PLANNED_HOURS: i64 = 2_000;

/// The trainee's category, as the BPF's frame F-1 counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// a. Employees of private employers (apprentices excepted), funded by their employer or an
    /// OPCO.
    Employee,
    /// b. Apprentices.
    Apprentice,
    /// c. People looking for a job.
    JobSeeker,
    /// d. Individuals paying for themselves.
    Individual,
    /// e. Other trainees (public servants, self-employed, …).
    Other,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Employee,
        Category::Apprentice,
        Category::JobSeeker,
        Category::Individual,
        Category::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Category::Employee => "employee",
            Category::Apprentice => "apprentice",
            Category::JobSeeker => "job_seeker",
            Category::Individual => "individual",
            Category::Other => "other",
        }
    }
    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code.trim())
    }
}

/// What the course leads to, as the BPF's frame F-3 counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Objective {
    /// A diploma or title registered in the RNCP.
    Rncp,
    /// A certification or qualification registered in the *répertoire spécifique* (RS).
    Rs,
    /// A CQP not registered in the RNCP.
    Cqp,
    /// Other professional training.
    Professional,
    /// A skills assessment (*bilan de compétences*).
    SkillsAssessment,
    /// Validation of prior learning (VAE).
    Vae,
}

impl Objective {
    pub const ALL: [Objective; 6] = [
        Objective::Rncp,
        Objective::Rs,
        Objective::Cqp,
        Objective::Professional,
        Objective::SkillsAssessment,
        Objective::Vae,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Objective::Rncp => "rncp",
            Objective::Rs => "rs",
            Objective::Cqp => "cqp",
            Objective::Professional => "professional",
            Objective::SkillsAssessment => "skills_assessment",
            Objective::Vae => "vae",
        }
    }
    pub fn parse(code: &str) -> Option<Objective> {
        Objective::ALL.into_iter().find(|c| c.code() == code.trim())
    }
}

/// Who trains: one of the organisation's own people (an entrepreneur, salaried by the
/// cooperative, or the support team) or an outside trainer (sub-contracted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrainerKind {
    Internal,
    External,
}

impl TrainerKind {
    pub const ALL: [TrainerKind; 2] = [TrainerKind::Internal, TrainerKind::External];
    pub fn code(self) -> &'static str {
        match self {
            TrainerKind::Internal => "internal",
            TrainerKind::External => "external",
        }
    }
    pub fn parse(code: &str) -> Option<TrainerKind> {
        TrainerKind::ALL
            .into_iter()
            .find(|c| c.code() == code.trim())
    }
}

/// A course as typed in the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct CourseInput {
    pub title: String,
    pub objectives: String,
    pub objective: String,
    /// The speciality (NSF code and label), free text.
    pub speciality: String,
    /// Planned hours, decimal (`14` or `10,5`).
    pub hours: String,
    pub trainer_kind: String,
    pub trainer: String,
    /// The activity it is delivered by (an id), or empty for the cooperative itself.
    pub activity: String,
}

/// A checked course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Course {
    pub title: String,
    pub objectives: String,
    pub objective: Objective,
    pub speciality: Option<String>,
    pub planned_minutes: i64,
    pub trainer_kind: TrainerKind,
    pub trainer: String,
    pub activity: Option<i64>,
}

/// Reads planned hours: a positive decimal with at most two places, up to
/// [`MAX_PLANNED_HOURS`], kept in whole minutes (rounded half up).
pub fn parse_hours(input: &str) -> Result<i64, &'static str> {
    let t = input.trim().replace(',', ".");
    if t.is_empty() {
        return Err("required");
    }
    let d: Decimal = t.parse().map_err(|_| "hours_format")?;
    if d.scale() > 2 || d <= Decimal::ZERO || d > Decimal::from(MAX_PLANNED_HOURS) {
        return Err("hours_range");
    }
    let minutes = (d * Decimal::from(60))
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .mantissa();
    i64::try_from(minutes).map_err(|_| "hours_range")
}

/// Checks a course; `activities` are the ids the person may deliver it for (`None` inside
/// means the cooperative itself is allowed).
pub fn parse_course(
    input: &CourseInput,
    activities: &[Option<i64>],
) -> Result<Course, FieldErrors> {
    let mut e = FieldErrors::new();
    let title = e.check("title", required_text(&input.title, 200));
    let objectives = e.check("objectives", required_text(&input.objectives, 10_000));
    let objective = e.check(
        "objective",
        Objective::parse(&input.objective).ok_or("objective_unknown"),
    );
    let speciality = e.check("speciality", optional_text(&input.speciality, 200));
    let planned = e.check("hours", parse_hours(&input.hours));
    let trainer_kind = e.check(
        "trainer_kind",
        TrainerKind::parse(&input.trainer_kind).ok_or("trainer_kind_unknown"),
    );
    let trainer = e.check("trainer", required_text(&input.trainer, 200));
    let activity = match input.activity.trim() {
        "" => None,
        a => a.parse::<i64>().ok(),
    };
    let activity = if input.activity.trim().is_empty() || activity.is_some() {
        if activities.contains(&activity) {
            Some(activity)
        } else {
            e.add("activity", "activity_unknown");
            None
        }
    } else {
        e.add("activity", "activity_unknown");
        None
    };
    if !e.is_empty() {
        return Err(e);
    }
    match (
        title,
        objectives,
        objective,
        speciality,
        planned,
        trainer_kind,
        trainer,
        activity,
    ) {
        (
            Some(title),
            Some(objectives),
            Some(objective),
            Some(speciality),
            Some(planned_minutes),
            Some(trainer_kind),
            Some(trainer),
            Some(activity),
        ) => Ok(Course {
            title,
            objectives,
            objective,
            speciality,
            planned_minutes,
            trainer_kind,
            trainer,
            activity,
        }),
        _ => Err(e),
    }
}

/// A session as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct SessionInput {
    pub date: String,
    pub start: String,
    pub end: String,
}

/// A checked session: a day and its wall-clock span (minutes after midnight).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Session {
    pub on: Date,
    pub start_minute: i64,
    pub end_minute: i64,
}

impl Session {
    pub fn minutes(&self) -> i64 {
        self.end_minute - self.start_minute
    }
}

pub fn parse_session(input: &SessionInput) -> Result<Session, FieldErrors> {
    let mut e = FieldErrors::new();
    let on = e.check("date", crate::person::parse_date(&input.date));
    let start = e.check("start", parse_time(&input.start));
    let end = e.check("end", parse_time(&input.end));
    if let (Some(s), Some(en)) = (start, end)
        && minute_of(en) - minute_of(s) < MIN_SESSION_MINUTES
    {
        e.add("end", "end_time_before_start");
    }
    match (on, start, end) {
        (Some(on), Some(s), Some(en)) if e.is_empty() => Ok(Session {
            on,
            start_minute: minute_of(s),
            end_minute: minute_of(en),
        }),
        _ => Err(e),
    }
}

/// A trainee as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct TraineeInput {
    pub last_name: String,
    pub first_name: String,
    pub email: String,
    pub category: String,
    /// Their employer or funder, as written on the agreement.
    pub organisation: String,
}

/// A checked trainee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trainee {
    pub last_name: String,
    pub first_name: String,
    pub email: Option<String>,
    pub category: Category,
    pub organisation: Option<String>,
}

pub fn parse_trainee(input: &TraineeInput) -> Result<Trainee, FieldErrors> {
    let mut e = FieldErrors::new();
    let last_name = e.check("last_name", required_text(&input.last_name, 100));
    let first_name = e.check("first_name", required_text(&input.first_name, 100));
    let email = e.check(
        "email",
        if input.email.trim().is_empty() {
            Ok(None)
        } else {
            crate::account::Email::parse(&input.email).map(|m| Some(m.as_str().to_owned()))
        },
    );
    let category = e.check(
        "category",
        Category::parse(&input.category).ok_or("category_unknown"),
    );
    let organisation = e.check("organisation", optional_text(&input.organisation, 200));
    match (last_name, first_name, email, category, organisation) {
        (Some(last_name), Some(first_name), Some(email), Some(category), Some(organisation))
            if e.is_empty() =>
        {
            Ok(Trainee {
                last_name,
                first_name,
                email,
                category,
                organisation,
            })
        }
        _ => Err(e),
    }
}

/// What the summary needs of one course: its kind of objective and trainer, its sessions
/// (id, day, minutes), its trainees (id, category) and who was present at which session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CourseFacts {
    pub objective: Option<Objective>,
    pub trainer_kind: Option<TrainerKind>,
    /// The trainer's name: trainers are counted once each per kind.
    pub trainer: String,
    pub sessions: Vec<(i64, Date, i64)>,
    pub trainees: Vec<(i64, Category)>,
    /// (trainee, session) present.
    pub present: Vec<(i64, i64)>,
}

/// Trainees and the hours they followed (in minutes), for one line of the summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub trainees: i64,
    pub minutes: i64,
}

impl Line {
    fn add(&mut self, minutes: i64) {
        self.trainees += 1;
        self.minutes += minutes;
    }
}

/// The yearly summary (BPF) over `[from, to]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// F-1: per trainee category, in [`Category::ALL`]'s order.
    pub by_category: Vec<(Category, Line)>,
    /// F-3: per kind of objective, in [`Objective::ALL`]'s order.
    pub by_objective: Vec<(Objective, Line)>,
    /// E: per kind of trainer, how many trainers and the hours they delivered (minutes).
    pub trainers: Vec<(TrainerKind, Line)>,
    pub total: Line,
    /// Courses with at least one session in the period.
    pub courses: i64,
}

/// Counts a year: a trainee counts once, in their course, when they attended at least one
/// session of the period, for the minutes of the sessions of the period they attended; a
/// trainer counts once per kind for the minutes of their courses' sessions in the period. A
/// trainee of two courses counts in each (the BPF counts trainees per action).
pub fn summary(courses: &[CourseFacts], from: Date, to: Date) -> Summary {
    let mut by_category: Vec<(Category, Line)> = Category::ALL
        .iter()
        .map(|c| (*c, Line::default()))
        .collect();
    let mut by_objective: Vec<(Objective, Line)> = Objective::ALL
        .iter()
        .map(|o| (*o, Line::default()))
        .collect();
    let mut trainer_minutes: Vec<(TrainerKind, i64)> =
        TrainerKind::ALL.iter().map(|k| (*k, 0)).collect();
    let mut trainer_names: BTreeSet<(TrainerKind, String)> = BTreeSet::new();
    let mut total = Line::default();
    let mut count = 0;
    for c in courses {
        let in_period: Vec<(i64, i64)> = c
            .sessions
            .iter()
            .filter(|(_, on, _)| *on >= from && *on <= to)
            .map(|(id, _, minutes)| (*id, *minutes))
            .collect();
        if in_period.is_empty() {
            continue;
        }
        count += 1;
        if let Some(kind) = c.trainer_kind {
            let delivered: i64 = in_period.iter().map(|(_, m)| m).sum();
            if let Some((_, m)) = trainer_minutes.iter_mut().find(|(k, _)| *k == kind) {
                *m += delivered;
            }
            trainer_names.insert((kind, c.trainer.trim().to_lowercase()));
        }
        for (trainee, category) in &c.trainees {
            let minutes: i64 = in_period
                .iter()
                .filter(|(s, _)| c.present.contains(&(*trainee, *s)))
                .map(|(_, m)| m)
                .sum();
            let attended = in_period
                .iter()
                .any(|(s, _)| c.present.contains(&(*trainee, *s)));
            if !attended {
                continue;
            }
            total.add(minutes);
            if let Some((_, l)) = by_category.iter_mut().find(|(k, _)| k == category) {
                l.add(minutes);
            }
            if let Some(o) = c.objective
                && let Some((_, l)) = by_objective.iter_mut().find(|(k, _)| *k == o)
            {
                l.add(minutes);
            }
        }
    }
    let trainers = trainer_minutes
        .into_iter()
        .map(|(k, minutes)| {
            (
                k,
                Line {
                    trainees: i64::try_from(
                        trainer_names.iter().filter(|(kk, _)| *kk == k).count(),
                    )
                    .unwrap_or(i64::MAX),
                    minutes,
                },
            )
        })
        .collect();
    Summary {
        by_category,
        by_objective,
        trainers,
        total,
        courses: count,
    }
}

/// A declaration number (*numéro de déclaration d'activité*): 11 digits, spaces allowed.
pub fn parse_declaration(input: &str) -> Result<Option<String>, &'static str> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if digits.len() != 11 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("declaration_format");
    }
    Ok(Some(digits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn planned_hours_are_kept_in_minutes_and_refuse_what_makes_no_sense() {
        assert_eq!(parse_hours("14"), Ok(14 * 60));
        assert_eq!(parse_hours("10,5"), Ok(630));
        assert_eq!(parse_hours(" 7.25 "), Ok(435));
        assert_eq!(parse_hours("0,01"), Ok(1)); // 0.6 minute, rounded half up
        assert_eq!(parse_hours(""), Err("required"));
        assert_eq!(parse_hours("dix"), Err("hours_format"));
        assert_eq!(parse_hours("0"), Err("hours_range"));
        assert_eq!(parse_hours("-3"), Err("hours_range"));
        assert_eq!(parse_hours("1,125"), Err("hours_range"));
        assert_eq!(parse_hours("2001"), Err("hours_range"));
    }

    #[test]
    fn a_course_is_checked_field_by_field() {
        let ok = CourseInput {
            title: "Comptabilité pour non-comptables".into(),
            objectives: "Lire un bilan".into(),
            objective: "professional".into(),
            hours: "14".into(),
            trainer_kind: "internal".into(),
            trainer: "Claire Martin".into(),
            activity: "7".into(),
            ..CourseInput::default()
        };
        let c = parse_course(&ok, &[Some(7)]).unwrap();
        assert_eq!(c.planned_minutes, 840);
        assert_eq!(c.activity, Some(7));
        // Another activity than theirs, or the cooperative when not allowed.
        let e = parse_course(&ok, &[Some(8)]).unwrap_err();
        assert_eq!(e.for_field("activity").unwrap().code, "activity_unknown");
        let own = CourseInput {
            activity: String::new(),
            ..ok.clone()
        };
        assert!(parse_course(&own, &[Some(7)]).is_err());
        assert_eq!(parse_course(&own, &[None]).unwrap().activity, None);
        let bad = CourseInput {
            title: " ".into(),
            objective: "diplome".into(),
            hours: "x".into(),
            trainer_kind: "friend".into(),
            activity: "abc".into(),
            ..ok
        };
        let e = parse_course(&bad, &[Some(7)]).unwrap_err();
        for (field, code) in [
            ("title", "required"),
            ("objective", "objective_unknown"),
            ("hours", "hours_format"),
            ("trainer_kind", "trainer_kind_unknown"),
            ("activity", "activity_unknown"),
        ] {
            assert_eq!(e.for_field(field).unwrap().code, code, "{field}");
        }
    }

    #[test]
    fn sessions_and_trainees_are_checked() {
        let s = parse_session(&SessionInput {
            date: "2026-03-02".into(),
            start: "9h".into(),
            end: "12:30".into(),
        })
        .unwrap();
        assert_eq!(s.minutes(), 210);
        let e = parse_session(&SessionInput {
            date: "2026-03-02".into(),
            start: "14:00".into(),
            end: "13:00".into(),
        })
        .unwrap_err();
        assert_eq!(e.for_field("end").unwrap().code, "end_time_before_start");
        let e = parse_trainee(&TraineeInput {
            last_name: "Durand".into(),
            first_name: String::new(),
            email: "pas-un-courriel".into(),
            category: "retired".into(),
            organisation: String::new(),
        })
        .unwrap_err();
        assert_eq!(e.for_field("first_name").unwrap().code, "required");
        assert_eq!(e.for_field("email").unwrap().code, "email_format");
        assert_eq!(e.for_field("category").unwrap().code, "category_unknown");
    }

    #[test]
    fn declaration_numbers_have_eleven_digits() {
        assert_eq!(
            parse_declaration("11 75 12345 75"),
            Ok(Some("11751234575".into()))
        );
        assert_eq!(parse_declaration(" "), Ok(None));
        assert_eq!(parse_declaration("1175123457"), Err("declaration_format"));
        assert_eq!(parse_declaration("1175123457A"), Err("declaration_format"));
    }

    fn course() -> CourseFacts {
        CourseFacts {
            objective: Some(Objective::Rs),
            trainer_kind: Some(TrainerKind::Internal),
            trainer: "Claire Martin".into(),
            // Two sessions this year (3 h 30 and 3 h), one the next year.
            sessions: vec![
                (1, date!(2026 - 12 - 14), 210),
                (2, date!(2026 - 12 - 15), 180),
                (3, date!(2027 - 01 - 05), 420),
            ],
            trainees: vec![
                (10, Category::Employee),
                (11, Category::JobSeeker),
                (12, Category::Employee),
                (13, Category::Individual),
            ],
            present: vec![(10, 1), (10, 2), (11, 1), (12, 3), (13, 2), (13, 3)],
        }
    }

    #[test]
    fn bpf_counts_trainees_and_hours_of_the_year_by_category_objective_and_trainer() {
        let s = summary(&[course()], date!(2026 - 01 - 01), date!(2026 - 12 - 31));
        assert_eq!(s.courses, 1);
        // Trainee 12 came only in 2027: not counted in 2026.
        assert_eq!(
            s.total,
            Line {
                trainees: 3,
                minutes: 390 + 210 + 180
            }
        );
        let cat = |c| s.by_category.iter().find(|(k, _)| *k == c).unwrap().1;
        assert_eq!(
            cat(Category::Employee),
            Line {
                trainees: 1,
                minutes: 390
            }
        );
        assert_eq!(
            cat(Category::JobSeeker),
            Line {
                trainees: 1,
                minutes: 210
            }
        );
        assert_eq!(
            cat(Category::Individual),
            Line {
                trainees: 1,
                minutes: 180
            }
        );
        assert_eq!(cat(Category::Apprentice), Line::default());
        let rs = s
            .by_objective
            .iter()
            .find(|(k, _)| *k == Objective::Rs)
            .unwrap()
            .1;
        assert_eq!(rs, s.total);
        assert_eq!(
            s.trainers,
            vec![
                (
                    TrainerKind::Internal,
                    Line {
                        trainees: 1,
                        minutes: 390
                    }
                ),
                (TrainerKind::External, Line::default())
            ]
        );
        // The next year takes the January session only.
        let n = summary(&[course()], date!(2027 - 01 - 01), date!(2027 - 12 - 31));
        assert_eq!(
            n.total,
            Line {
                trainees: 2,
                minutes: 840
            }
        );
    }

    #[test]
    fn the_same_trainer_on_two_courses_counts_once() {
        let mut other = course();
        other.trainer = " claire martin ".into();
        let s = summary(
            &[course(), other],
            date!(2026 - 01 - 01),
            date!(2026 - 12 - 31),
        );
        assert_eq!(s.trainers[0].1.trainees, 1);
        assert_eq!(s.trainers[0].1.minutes, 780);
        assert_eq!(s.courses, 2);
    }

    proptest! {
        #[test]
        fn the_categories_and_the_objectives_both_add_up_to_the_total(
            present in proptest::collection::vec((10_i64..14, 1_i64..4), 0..12),
            objective in 0_usize..6,
        ) {
            let mut c = course();
            c.present = present;
            c.objective = Some(Objective::ALL[objective]);
            let s = summary(&[c.clone(), c], date!(2026 - 01 - 01), date!(2027 - 12 - 31));
            let lines = |v: Vec<Line>| v.iter().fold(Line::default(), |a, l| Line {
                trainees: a.trainees + l.trainees,
                minutes: a.minutes + l.minutes,
            });
            prop_assert_eq!(lines(s.by_category.iter().map(|(_, l)| *l).collect()), s.total);
            prop_assert_eq!(lines(s.by_objective.iter().map(|(_, l)| *l).collect()), s.total);
        }
    }
}
