//! Competence grids (issue 9, point 5): the entrepreneurial competences a cooperative follows,
//! on a scale of levels; an assessment gives some of them a level at a date, by the entrepreneur
//! (self-assessment) or by a coach. Progress compares the first and the latest level of each.

use crate::validation::FieldErrors;
use time::Date;

/// The competences a cooperative starts with (code, French label).
pub const DEFAULT_COMPETENCES: [(&str, &str); 8] = [
    ("selling", "Prospecter et vendre"),
    ("pricing", "Fixer ses prix et chiffrer"),
    ("accounts", "Suivre son activité et ses comptes"),
    ("organisation", "S'organiser et tenir ses délais"),
    ("communication", "Communiquer sur son offre"),
    ("cooperation", "Travailler en réseau et coopérer"),
    ("obligations", "Connaître ses obligations"),
    ("digital", "Utiliser les outils numériques"),
];

/// The scale a cooperative starts with, from level 1.
pub const DEFAULT_LEVELS: [&str; 4] = ["À découvrir", "En apprentissage", "Autonome", "Maîtrisé"];

/// The fewest and most levels a scale may have.
pub const MIN_LEVELS: usize = 2;
pub const MAX_LEVELS: usize = 10;

/// Who assessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Assessor {
    /// The entrepreneur, about themselves.
    Own,
    Coach,
}

impl Assessor {
    pub fn code(self) -> &'static str {
        match self {
            Assessor::Own => "self",
            Assessor::Coach => "coach",
        }
    }
    pub fn parse(code: &str) -> Option<Assessor> {
        [Assessor::Own, Assessor::Coach]
            .into_iter()
            .find(|a| a.code() == code)
    }
}

/// Checks a scale: each level named (up to 60 characters), between 2 and 10 levels.
pub fn parse_levels(labels: &[String]) -> Result<Vec<String>, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut out = Vec::new();
    for l in labels {
        if l.trim().is_empty() {
            continue;
        }
        match crate::validation::required_text(l, 60) {
            Ok(l) => out.push(l),
            Err(c) => e.add("levels", c),
        }
    }
    if e.is_empty() && !(MIN_LEVELS..=MAX_LEVELS).contains(&out.len()) {
        e.add("levels", "levels_count");
    }
    if e.is_empty() { Ok(out) } else { Err(e) }
}

/// An assessment as typed: the date, and a level (as typed, empty for "not assessed") per
/// competence code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssessmentInput {
    pub date: String,
    pub scores: Vec<(String, String)>,
    pub comment: String,
}

/// A checked assessment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub on: Date,
    pub scores: Vec<(String, i64)>,
    pub comment: Option<String>,
}

/// Checks an assessment against the grid (`competences`, active codes) and the scale of
/// `levels` levels: a date not after `today`, at least one competence assessed, each level on
/// the scale.
pub fn parse_assessment(
    input: &AssessmentInput,
    competences: &[String],
    levels: i64,
    today: Date,
) -> Result<Assessment, FieldErrors> {
    let mut e = FieldErrors::new();
    let on = e.check("date", crate::person::parse_date(&input.date));
    if on.is_some_and(|d| d > today) {
        e.add("date", "date_in_future");
    }
    let comment = e.check(
        "comment",
        crate::validation::optional_text(&input.comment, 2000),
    );
    let mut scores: Vec<(String, i64)> = Vec::new();
    for (code, level) in &input.scores {
        let level = level.trim();
        if level.is_empty() {
            continue;
        }
        if !competences.iter().any(|c| c == code) {
            e.add("scores", "competence_unknown");
            continue;
        }
        match level.parse::<i64>() {
            Ok(n) if (1..=levels).contains(&n) => {
                if !scores.iter().any(|(c, _)| c == code) {
                    scores.push((code.clone(), n));
                }
            }
            _ => e.add("scores", "level_unknown"),
        }
    }
    if scores.is_empty() && e.for_field("scores").is_none() {
        e.add("scores", "scores_required");
    }
    match (on, comment) {
        (Some(on), Some(comment)) if e.is_empty() => Ok(Assessment {
            on,
            scores,
            comment,
        }),
        _ => Err(e),
    }
}

/// The average level of an assessment, in tenths of a level, rounded half up (3 levels of 2, 3
/// and 3 give 27, that is 2.7).
pub fn average_tenths(scores: &[(String, i64)]) -> Option<i64> {
    let n = i64::try_from(scores.len()).ok().filter(|n| *n > 0)?;
    let sum: i64 = scores.iter().map(|(_, l)| l).sum();
    Some((sum * 10 * 2 + n) / (2 * n))
}

/// One assessment as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub on: Date,
    pub by: Assessor,
    pub scores: Vec<(String, i64)>,
}

/// Where a competence started and stands, for one assessor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub first: Option<i64>,
    pub latest: Option<i64>,
}

/// Progress per competence: the first and latest level given by the entrepreneur and by the
/// coaches, in date order of the assessments (any order in, dates decide).
pub fn progress(competence: &str, history: &[Recorded]) -> (Span, Span) {
    let mut sorted: Vec<&Recorded> = history.iter().collect();
    sorted.sort_by_key(|r| r.on);
    let span = |by: Assessor| {
        let levels: Vec<i64> = sorted
            .iter()
            .filter(|r| r.by == by)
            .filter_map(|r| {
                r.scores
                    .iter()
                    .find(|(c, _)| c == competence)
                    .map(|(_, l)| *l)
            })
            .collect();
        Span {
            first: levels.first().copied(),
            latest: levels.last().copied(),
        }
    };
    (span(Assessor::Own), span(Assessor::Coach))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn codes() -> Vec<String> {
        DEFAULT_COMPETENCES
            .iter()
            .map(|(c, _)| (*c).to_owned())
            .collect()
    }

    #[test]
    fn an_assessment_keeps_the_competences_given_a_level() {
        let input = AssessmentInput {
            date: "2026-12-01".into(),
            scores: vec![
                ("selling".into(), "2".into()),
                ("pricing".into(), String::new()),
                ("accounts".into(), " 4 ".into()),
            ],
            comment: "Bon début.".into(),
        };
        let a = parse_assessment(&input, &codes(), 4, date!(2026 - 12 - 08)).unwrap();
        assert_eq!(a.on, date!(2026 - 12 - 01));
        assert_eq!(
            a.scores,
            vec![("selling".to_owned(), 2), ("accounts".to_owned(), 4)]
        );
        assert_eq!(a.comment.as_deref(), Some("Bon début."));
    }

    #[test]
    fn mistakes_are_reported_beside_their_field() {
        let e = parse_assessment(
            &AssessmentInput {
                date: "2027-01-01".into(),
                scores: vec![("selling".into(), "5".into())],
                comment: String::new(),
            },
            &codes(),
            4,
            date!(2026 - 12 - 08),
        )
        .unwrap_err();
        assert_eq!(e.for_field("date").map(|f| f.code), Some("date_in_future"));
        assert_eq!(e.for_field("scores").map(|f| f.code), Some("level_unknown"));
        let e = parse_assessment(
            &AssessmentInput {
                date: "2026-12-01".into(),
                scores: vec![("selling".into(), String::new())],
                comment: String::new(),
            },
            &codes(),
            4,
            date!(2026 - 12 - 08),
        )
        .unwrap_err();
        assert_eq!(
            e.for_field("scores").map(|f| f.code),
            Some("scores_required")
        );
        let e = parse_assessment(
            &AssessmentInput {
                date: "2026-12-01".into(),
                scores: vec![("astrology".into(), "1".into())],
                comment: String::new(),
            },
            &codes(),
            4,
            date!(2026 - 12 - 08),
        )
        .unwrap_err();
        assert_eq!(
            e.for_field("scores").map(|f| f.code),
            Some("competence_unknown")
        );
    }

    #[test]
    fn a_scale_has_two_to_ten_named_levels() {
        let four: Vec<String> = DEFAULT_LEVELS.iter().map(|l| (*l).to_owned()).collect();
        assert_eq!(parse_levels(&four).unwrap().len(), 4);
        let one = vec!["Seul".to_owned(), String::new()];
        assert_eq!(
            parse_levels(&one)
                .unwrap_err()
                .for_field("levels")
                .map(|f| f.code),
            Some("levels_count")
        );
        let eleven: Vec<String> = (1..=11).map(|i| format!("Niveau {i}")).collect();
        assert!(parse_levels(&eleven).is_err());
    }

    #[test]
    fn the_average_is_in_tenths_rounded_half_up() {
        let s =
            |v: &[i64]| -> Vec<(String, i64)> { v.iter().map(|l| ("x".to_owned(), *l)).collect() };
        assert_eq!(average_tenths(&s(&[2, 3, 3])), Some(27)); // 2.666… → 2.7
        assert_eq!(average_tenths(&s(&[1, 2])), Some(15));
        assert_eq!(average_tenths(&s(&[1, 1, 2])), Some(13)); // 1.333… → 1.3
        assert_eq!(average_tenths(&s(&[1, 2, 2, 2, 2, 2, 2, 2])), Some(19)); // 1.875 → 1.9
        assert_eq!(average_tenths(&[]), None);
    }

    #[test]
    fn progress_compares_first_and_latest_by_assessor() {
        let r = |on: Date, by: Assessor, level: i64| Recorded {
            on,
            by,
            scores: vec![("selling".into(), level)],
        };
        let history = vec![
            r(date!(2026 - 09 - 01), Assessor::Own, 3),
            r(date!(2026 - 03 - 01), Assessor::Own, 1),
            r(date!(2026 - 03 - 05), Assessor::Coach, 1),
            r(date!(2026 - 09 - 05), Assessor::Coach, 2),
        ];
        let (own, coach) = progress("selling", &history);
        assert_eq!((own.first, own.latest), (Some(1), Some(3)));
        assert_eq!((coach.first, coach.latest), (Some(1), Some(2)));
        assert_eq!(progress("pricing", &history).0, Span::default());
    }
}
