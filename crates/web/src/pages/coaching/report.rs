//! The funders' report of coaching (issue 9, point 6): a period, grouped by coach and/or by
//! funding programme, on the page and as CSV or XLSX.

use super::*;
use essaim_app::coaching::ReportLine;
use essaim_app::exports::Table;
use essaim_domain::coaching::report::{Figures, hours_decimal, hours_text};

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    pub from: String,
    pub to: String,
    /// `1` to group by coach, by programme.
    pub coach: String,
    pub programme: String,
    /// `1` once the form was sent: the boxes then say the grouping, even both unticked.
    pub g: String,
}

pub struct ReportRow {
    pub coach: Option<String>,
    pub programme: Option<String>,
    pub people: usize,
    pub interviews: usize,
    pub interview_hours: String,
    pub sessions: usize,
    pub attendees: usize,
    pub half_days: i64,
    pub trainee_hours: String,
}

#[derive(Template)]
#[template(path = "coaching/report.html")]
pub struct ReportPage {
    pub l: Layout,
    pub q: ReportQuery,
    pub errors: Errors,
    pub by_coach: bool,
    pub by_programme: bool,
    pub rows: Vec<ReportRow>,
    pub total: ReportRow,
    pub export: String,
}

/// The period and grouping asked, with the year to date by default.
fn period(app: &App, q: &ReportQuery) -> Result<(time::Date, time::Date, bool, bool), AppError> {
    let today = app.clock.today();
    let mut e = essaim_domain::FieldErrors::new();
    let from = e
        .check("from", essaim_domain::person::parse_optional_date(&q.from))
        .flatten()
        .unwrap_or_else(|| {
            time::Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap_or(today)
        });
    let to = e
        .check("to", essaim_domain::person::parse_optional_date(&q.to))
        .flatten()
        .unwrap_or(today);
    if !e.is_empty() {
        return Err(e.into());
    }
    // The first visit groups by coach and by programme.
    let first = q.g != "1";
    Ok((
        from,
        to,
        first || q.coach == "1",
        first || q.programme == "1",
    ))
}

fn row_of(t: crate::i18n::Tr, l: Option<&ReportLine>, f: &Figures) -> ReportRow {
    ReportRow {
        coach: l.and_then(|l| l.coach.clone()),
        programme: l.and_then(|l| {
            l.programme
                .clone()
                .map(|p| p.unwrap_or_else(|| t.get("coaching.programme_none").to_owned()))
        }),
        people: f.people,
        interviews: f.interviews,
        interview_hours: hours_text(f.interview_minutes),
        sessions: f.sessions,
        attendees: f.attendees,
        half_days: f.half_days,
        trainee_hours: hours_text(f.trainee_minutes),
    }
}

pub async fn report(Ctx { app, coop, page }: Ctx, Query(q): Query<ReportQuery>) -> PageResult {
    let t = page.layout.t;
    let (outcome, shown) = match period(&app, &q) {
        Ok((from, to, by_coach, by_programme)) => (
            essaim_app::coaching::report(&app, &coop, from, to, by_coach, by_programme).await,
            (from, to, by_coach, by_programme),
        ),
        Err(e) => {
            let today = app.clock.today();
            (Err(e), (today, today, true, true))
        }
    };
    let (lines, total, errors) = match outcome {
        Ok((lines, total)) => (lines, total, Errors::default()),
        Err(AppError::Invalid(e)) => (Vec::new(), Figures::default(), Errors::from(&e, t)),
        Err(e) => return Err(e.into()),
    };
    let (from, to, by_coach, by_programme) = shown;
    let mut q = q;
    if q.from.is_empty() {
        q.from = from.to_string();
    }
    if q.to.is_empty() {
        q.to = to.to_string();
    }
    let export = format!(
        "{}/report/xlsx?g=1&from={}&to={}&coach={}&programme={}",
        paths::coaching(&coop.slug),
        q.from,
        q.to,
        if by_coach { "1" } else { "0" },
        if by_programme { "1" } else { "0" }
    );
    Ok(render(&ReportPage {
        rows: if by_coach || by_programme {
            lines
                .iter()
                .map(|l| row_of(t, Some(l), &l.figures))
                .collect()
        } else {
            Vec::new()
        },
        total: row_of(t, None, &total),
        by_coach,
        by_programme,
        errors,
        export,
        q,
        l: page.layout,
    }))
}

/// The report as a CSV or XLSX file: hours as decimal numbers a spreadsheet adds up.
pub async fn report_file(
    Ctx { app, coop, page }: Ctx,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let t = page.layout.t;
    let (from, to, by_coach, by_programme) = period(&app, &q)?;
    let (lines, total) =
        essaim_app::coaching::report(&app, &coop, from, to, by_coach, by_programme).await?;
    let mut header = Vec::new();
    if by_coach {
        header.push(t.get("coaching.coach").to_owned());
    }
    if by_programme {
        header.push(t.get("coaching.programme").to_owned());
    }
    for k in [
        "report.people",
        "report.interviews",
        "report.interview_hours",
        "report.sessions",
        "report.attendees",
        "report.half_days",
        "report.trainee_hours",
    ] {
        header.push(t.get(k).to_owned());
    }
    let figures = |f: &Figures| {
        vec![
            f.people.to_string(),
            f.interviews.to_string(),
            hours_decimal(f.interview_minutes),
            f.sessions.to_string(),
            f.attendees.to_string(),
            f.half_days.to_string(),
            hours_decimal(f.trainee_minutes),
        ]
    };
    let grouped = if by_coach || by_programme {
        &lines[..]
    } else {
        &[]
    };
    let mut rows: Vec<Vec<String>> = grouped
        .iter()
        .map(|l| {
            let mut r = Vec::new();
            if let Some(c) = &l.coach {
                r.push(c.clone());
            }
            if let Some(p) = &l.programme {
                r.push(
                    p.clone()
                        .unwrap_or_else(|| t.get("coaching.programme_none").to_owned()),
                );
            }
            r.extend(figures(&l.figures));
            r
        })
        .collect();
    let mut last = vec![String::new(); usize::from(by_coach) + usize::from(by_programme)];
    if let Some(first) = last.first_mut() {
        *first = t.get("report.total").to_owned();
    }
    last.extend(figures(&total));
    rows.push(last);
    let table = Table {
        sheet: t.get("report.title").to_owned(),
        header,
        rows,
    };
    view::table_file(&table, &format!("accompagnement-{from}-{to}"), &format)
}
