//! Competences: the grid's settings, the entrepreneur's own assessments ("Mes compétences"), and
//! a person's coaching file for coaches (appointments, workshops, competences).

use super::*;
use crate::view::chart;
use essaim_app::competences::{self, CompetenceInput, History};
use essaim_domain::coaching::competence::{AssessmentInput, Assessor, average_tenths, progress};
use essaim_domain::coaching::workshop::Seat;
use essaim_domain::ids::PersonId;

/// A level as shown: `2,7`.
fn tenths(v: i64) -> String {
    format!("{},{}", v / 10, v % 10)
}

pub struct CompetenceRow {
    pub label: String,
    pub own: String,
    pub coach: String,
}

pub struct AssessmentRow {
    pub date: String,
    pub by: String,
    pub average: String,
    pub levels: String,
    pub comment: Option<String>,
}

pub struct ScoreField {
    pub code: String,
    pub label: String,
    pub value: String,
}

/// What the competences block shows: the chart, the progress per competence, the assessments,
/// and the form of a new one.
pub struct CompetencesBlock {
    pub chart: String,
    pub rows: Vec<CompetenceRow>,
    pub assessments: Vec<AssessmentRow>,
    pub fields: Vec<ScoreField>,
    pub levels: Vec<(String, String)>,
    pub date: String,
    pub comment: String,
    pub action: String,
}

fn span_text(
    t: crate::i18n::Tr,
    levels: &[String],
    first: Option<i64>,
    latest: Option<i64>,
) -> String {
    let name = |l: i64| {
        usize::try_from(l - 1)
            .ok()
            .and_then(|i| levels.get(i))
            .cloned()
            .unwrap_or_else(|| l.to_string())
    };
    match (first, latest) {
        (Some(f), Some(l)) if f != l => format!("{} → {}", name(f), name(l)),
        (_, Some(l)) => name(l),
        _ => t.get("competences.not_assessed").to_owned(),
    }
}

fn block(
    t: crate::i18n::Tr,
    h: &History,
    action: String,
    typed: Option<&AssessmentInput>,
    today: time::Date,
) -> CompetencesBlock {
    let recorded = h.recorded();
    let columns: Vec<String> = h
        .assessments
        .iter()
        .map(|a| view::date(a.assessed_on))
        .collect();
    let series_of = |by: Assessor, class: &'static str, key: &str| chart::Series {
        label: t.get(key).to_owned(),
        class,
        points: h
            .assessments
            .iter()
            .enumerate()
            .filter(|(_, a)| a.assessor == by.code())
            .filter_map(|(i, a)| average_tenths(&a.scores).map(|v| (i, v)))
            .collect(),
    };
    let chart_svg = if h.assessments.is_empty() {
        String::new()
    } else {
        chart::progress(
            &columns,
            &h.grid.levels,
            &[
                series_of(Assessor::Own, "own", "competences.own"),
                series_of(Assessor::Coach, "coach", "competences.coach"),
            ],
            t.get("competences.chart"),
        )
    };
    let value_of = |code: &str| {
        typed
            .and_then(|f| f.scores.iter().find(|(c, _)| c == code))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    CompetencesBlock {
        chart: chart_svg,
        rows: h
            .grid
            .competences
            .iter()
            .filter(|c| c.active)
            .map(|c| {
                let (own, coach) = progress(&c.code, &recorded);
                CompetenceRow {
                    label: c.label.clone(),
                    own: span_text(t, &h.grid.levels, own.first, own.latest),
                    coach: span_text(t, &h.grid.levels, coach.first, coach.latest),
                }
            })
            .collect(),
        assessments: h
            .assessments
            .iter()
            .rev()
            .map(|a| AssessmentRow {
                date: view::date(a.assessed_on),
                by: if a.assessor == Assessor::Own.code() {
                    t.get("competences.own").to_owned()
                } else {
                    format!("{} ({})", t.get("competences.coach"), a.by_name)
                },
                average: average_tenths(&a.scores).map(tenths).unwrap_or_default(),
                levels: a
                    .scores
                    .iter()
                    .map(|(c, l)| format!("{} : {l}", h.grid.label_of(c)))
                    .collect::<Vec<_>>()
                    .join(" ; "),
                comment: a.comment.clone(),
            })
            .collect(),
        fields: h
            .grid
            .active()
            .map(|c| ScoreField {
                code: c.code.clone(),
                label: c.label.clone(),
                value: value_of(&c.code),
            })
            .collect(),
        levels: h
            .grid
            .levels
            .iter()
            .enumerate()
            .map(|(i, l)| ((i + 1).to_string(), format!("{} — {l}", i + 1)))
            .collect(),
        date: typed.map_or_else(|| today.to_string(), |f| f.date.clone()),
        comment: typed.map(|f| f.comment.clone()).unwrap_or_default(),
        action,
    }
}

/// The assessment form: `date`, `comment`, and a level per competence as `s.<code>`.
fn assessment_of(pairs: &[(String, String)]) -> AssessmentInput {
    AssessmentInput {
        date: one(pairs, "date"),
        comment: one(pairs, "comment"),
        scores: pairs
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("s.").map(|c| (c.to_owned(), v.clone())))
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// The entrepreneur's own

#[derive(Template)]
#[template(path = "coaching/competences.html")]
pub struct MinePage {
    pub l: Layout,
    pub heading: String,
    pub intro: String,
    pub message: Option<String>,
    pub errors: Errors,
    pub c: CompetencesBlock,
    pub back_href: String,
}

async fn mine_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    typed: Option<&AssessmentInput>,
    message: Option<String>,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let h = competences::history(app, coop, None).await?;
    Ok(render(&MinePage {
        heading: t.get("competences.mine").to_owned(),
        intro: t.get("competences.mine_intro").to_owned(),
        message,
        errors,
        c: block(
            t,
            &h,
            paths::my_competences(&coop.slug),
            typed,
            app.clock.today(),
        ),
        back_href: paths::my_appointments(&coop.slug),
        l: page.layout.clone(),
    }))
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    pub done: String,
}

pub async fn my_competences(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let message = (q.done == "assessed").then(|| page.layout.t.get("competences.saved").to_owned());
    mine_page(&app, &page, &coop, None, message, Errors::default()).await
}

pub async fn assess_myself(
    Ctx { app, coop, page }: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = assessment_of(&pairs);
    let outcome = competences::assess(&app, &coop, None, &f).await;
    forms::submit(
        &page,
        outcome,
        |_| format!("{}?done=assessed", paths::my_competences(&coop.slug)),
        async |errors| mine_page(&app, &page, &coop, Some(&f), None, errors).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A person's coaching file (coaches)

pub struct WorkshopLine {
    pub href: String,
    pub title: String,
    pub when: String,
    pub seat: String,
    pub present: String,
}

#[derive(Template)]
#[template(path = "coaching/person.html")]
pub struct PersonPage {
    pub l: Layout,
    pub heading: String,
    pub message: Option<String>,
    pub errors: Errors,
    pub person_href: String,
    pub plan_href: String,
    pub appointments: Vec<AppointmentRow>,
    pub workshops: Vec<WorkshopLine>,
    pub c: CompetencesBlock,
}

async fn person_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    typed: Option<&AssessmentInput>,
    message: Option<String>,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let person = PersonId::new(id);
    let h = competences::history(app, coop, Some(person)).await?;
    let today = app.clock.today();
    let appointments = essaim_app::coaching::of_person(app, coop, Some(person))
        .await?
        .iter()
        .map(|v| row_of(t, &coop.slug, v, today))
        .collect();
    let workshops = essaim_app::workshops::of_person(app, coop, person)
        .await?
        .into_iter()
        .map(|(w, seat, halves)| WorkshopLine {
            href: paths::workshop(&coop.slug, w.workshop_id),
            title: w.title,
            when: view::date(w.starts_on),
            seat: t.get(&format!("workshops.seat.{}", seat.code())).to_owned(),
            present: if seat == Seat::Registered && w.starts_on <= today {
                t.fmt("competences.halves_present", &[&halves.to_string()])
            } else {
                String::new()
            },
        })
        .collect();
    Ok(render(&PersonPage {
        heading: t.fmt("competences.person_heading", &[&h.name]),
        message,
        errors,
        person_href: paths::person(&coop.slug, id),
        plan_href: format!("{}?person={id}", paths::new_appointment(&coop.slug)),
        appointments,
        workshops,
        c: block(
            t,
            &h,
            format!("{}/competences", paths::person_coaching(&coop.slug, id)),
            typed,
            today,
        ),
        l: page.layout.clone(),
    }))
}

pub async fn person_coaching(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let message = (q.done == "assessed").then(|| page.layout.t.get("competences.saved").to_owned());
    person_page(&app, &page, &coop, id, None, message, Errors::default()).await
}

pub async fn assess_person(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = assessment_of(&pairs);
    let outcome = competences::assess(&app, &coop, Some(PersonId::new(id)), &f).await;
    forms::submit(
        &page,
        outcome,
        |_| format!("{}?done=assessed", paths::person_coaching(&coop.slug, id)),
        async |errors| person_page(&app, &page, &coop, id, Some(&f), None, errors).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The grid's settings

pub struct CompetenceField {
    pub index: usize,
    pub code: String,
    pub label: String,
    pub active: bool,
    /// Saved already: its code no longer changes.
    pub fixed: bool,
    pub code_error: String,
    pub label_error: String,
}

#[derive(Template)]
#[template(path = "coaching/grid.html")]
pub struct GridPage {
    pub l: Layout,
    pub message: Option<String>,
    pub errors: Errors,
    pub rows: Vec<CompetenceField>,
    pub levels: Vec<(usize, String)>,
    pub action: String,
}

/// Empty rows offered under the grid.
const SPARE: usize = 3;

async fn grid_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    typed: Option<(Vec<CompetenceInput>, Vec<String>)>,
    message: Option<String>,
    errors: Errors,
) -> PageResult {
    coop.require(essaim_domain::access::Permission::CoachingManage)?;
    let saved = competences::grid(app, coop).await?.competences.len();
    let (rows, levels) = match typed {
        Some(t) => t,
        None => {
            let g = competences::grid(app, coop).await?;
            (
                g.competences
                    .iter()
                    .map(|c| CompetenceInput {
                        code: c.code.clone(),
                        label: c.label.clone(),
                        active: c.active,
                    })
                    .collect(),
                g.levels,
            )
        }
    };
    let n = rows.len();
    let mut fields: Vec<CompetenceField> = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| CompetenceField {
            index: i,
            code_error: errors.get(&format!("lines[{i}].code")).to_owned(),
            label_error: errors.get(&format!("lines[{i}].label")).to_owned(),
            fixed: i < saved,
            code: r.code,
            label: r.label,
            active: r.active,
        })
        .collect();
    fields.extend((n..n + SPARE).map(|i| CompetenceField {
        index: i,
        code: String::new(),
        label: String::new(),
        active: true,
        fixed: false,
        code_error: String::new(),
        label_error: String::new(),
    }));
    let mut level_rows: Vec<(usize, String)> = levels.into_iter().enumerate().collect();
    let k = level_rows.len();
    level_rows.extend((k..10).map(|i| (i, String::new())));
    Ok(render(&GridPage {
        message,
        errors,
        rows: fields,
        levels: level_rows,
        action: paths::competence_grid(&coop.slug),
        l: page.layout.clone(),
    }))
}

pub async fn grid(Ctx { app, coop, page }: Ctx, Query(q): Query<DoneQuery>) -> PageResult {
    let message =
        (q.done == "saved").then(|| page.layout.t.get("competences.grid_saved").to_owned());
    grid_page(&app, &page, &coop, None, message, Errors::default()).await
}

pub async fn save_grid(
    Ctx { app, coop, page }: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut rows = Vec::new();
    for i in 0..60 {
        let code = one(&pairs, &format!("c{i}.code"));
        let label = one(&pairs, &format!("c{i}.label"));
        let present = pairs.iter().any(|(k, _)| k == &format!("c{i}.code"));
        if !present {
            break;
        }
        rows.push(CompetenceInput {
            code,
            label,
            active: one(&pairs, &format!("c{i}.active")) == "1",
        });
    }
    let levels: Vec<String> = (0..10).map(|i| one(&pairs, &format!("level{i}"))).collect();
    let outcome = competences::save_grid(&app, &coop, &rows, &levels).await;
    forms::submit(
        &page,
        outcome,
        |()| format!("{}?done=saved", paths::competence_grid(&coop.slug)),
        async |errors| grid_page(&app, &page, &coop, Some((rows, levels)), None, errors).await,
    )
    .await
}
