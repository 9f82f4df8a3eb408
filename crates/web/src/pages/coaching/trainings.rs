//! Trainings (issue 9, point 4): the declaration as a training organisation, the courses, a
//! course's page (sessions, trainees, attendance) and the yearly summary (BPF) with its exports.

use super::*;
use essaim_app::exports::Table;
use essaim_app::records::{TrainingCourseRecord as CourseRecord, TrainingSessionRecord};
use essaim_app::trainings::{self, CourseView};
use essaim_domain::access::Permission;
use essaim_domain::coaching::report::{hours_decimal, hours_text as hours_fr};
use essaim_domain::coaching::training::{
    Category, CourseInput, Line, Objective, SessionInput, TraineeInput, TrainerKind,
};

fn hm(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn dates(c: &CourseRecord) -> String {
    match (c.first_day, c.last_day) {
        (Some(a), Some(b)) if a == b => view::date(a),
        (Some(a), Some(b)) => format!("{} – {}", view::date(a), view::date(b)),
        _ => String::new(),
    }
}

/// A course in the list.
pub struct CourseRow {
    pub href: String,
    pub title: String,
    pub activity: String,
    pub dates: String,
    pub sessions: i64,
    pub trainees: i64,
    pub planned: String,
}

fn row_of(t: crate::i18n::Tr, slug: &str, c: &CourseRecord) -> CourseRow {
    CourseRow {
        href: paths::training(slug, c.course_id),
        title: c.title.clone(),
        activity: c
            .activity
            .clone()
            .unwrap_or_else(|| t.get("trainings.the_cooperative").to_owned()),
        dates: dates(c),
        sessions: c.sessions,
        trainees: c.trainees,
        planned: hours_fr(c.planned_minutes),
    }
}

#[derive(Template)]
#[template(path = "trainings/list.html")]
pub struct ListPage {
    pub l: Layout,
    pub declaration: Option<String>,
    pub may_declare: bool,
    pub may_summarise: bool,
    pub declaration_input: String,
    pub errors: Errors,
    pub message: Option<String>,
    pub base: String,
    pub courses: Vec<CourseRow>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    pub done: String,
}

async fn list_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    done: &str,
    declaration_input: Option<String>,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let declaration = trainings::declaration(app, coop).await?;
    let courses = if trainings::may_use(coop) {
        trainings::list(app, coop).await?
    } else {
        Vec::new()
    };
    Ok(render(&ListPage {
        declaration_input: declaration_input
            .unwrap_or_else(|| declaration.clone().unwrap_or_default()),
        declaration,
        may_declare: coop.may(Permission::CooperativeSettings),
        may_summarise: coop.may(Permission::CoachingManage),
        errors,
        message: (!done.is_empty()).then(|| t.get(&format!("trainings.done.{done}")).to_owned()),
        base: paths::trainings(&coop.slug),
        courses: courses.iter().map(|c| row_of(t, &coop.slug, c)).collect(),
        l: page.layout.clone(),
    }))
}

pub async fn list(Ctx { app, coop, page }: Ctx, Query(q): Query<Done>) -> PageResult {
    list_page(&app, &page, &coop, &q.done, None, Errors::default()).await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeclarationForm {
    pub declaration: String,
}

pub async fn declare(Ctx { app, coop, page }: Ctx, Form(f): Form<DeclarationForm>) -> PageResult {
    let outcome = trainings::set_declaration(&app, &coop, &f.declaration).await;
    forms::submit(
        &page,
        outcome,
        |()| format!("{}?done=declared", paths::trainings(&coop.slug)),
        async |errors| list_page(&app, &page, &coop, "", Some(f.declaration), errors).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The form

#[derive(Template)]
#[template(path = "trainings/form.html")]
pub struct FormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub f: CourseInput,
    pub errors: Errors,
    pub objectives: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub activities: Vec<Choice>,
}

async fn form_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: Option<i64>,
    f: CourseInput,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let activities = trainings::activity_choices(app, coop).await?;
    Ok(render(&FormPage {
        heading: t
            .get(if id.is_some() {
                "trainings.edit"
            } else {
                "trainings.new"
            })
            .to_owned(),
        action: id.map_or_else(
            || paths::trainings(&coop.slug),
            |id| format!("{}/edit", paths::training(&coop.slug, id)),
        ),
        cancel: id.map_or_else(
            || paths::trainings(&coop.slug),
            |id| paths::training(&coop.slug, id),
        ),
        objectives: Objective::ALL
            .iter()
            .map(|o| {
                Choice::new(
                    o.code(),
                    t.get(&format!("trainings.objective.{}", o.code())),
                    f.objective == o.code(),
                )
            })
            .collect(),
        kinds: TrainerKind::ALL
            .iter()
            .map(|k| {
                Choice::new(
                    k.code(),
                    t.get(&format!("trainings.trainer_kind.{}", k.code())),
                    f.trainer_kind == k.code(),
                )
            })
            .collect(),
        activities: activities
            .into_iter()
            .map(|(a, name)| {
                let value = a.map(|a| a.to_string()).unwrap_or_default();
                let label = if a.is_none() {
                    t.get("trainings.the_cooperative").to_owned()
                } else {
                    name
                };
                let selected = f.activity == value;
                Choice::new(value, label, selected)
            })
            .collect(),
        f,
        errors,
        l: page.layout.clone(),
    }))
}

pub async fn new_course(Ctx { app, coop, page }: Ctx) -> PageResult {
    let first = trainings::activity_choices(&app, &coop)
        .await?
        .into_iter()
        .find_map(|(a, _)| a);
    let f = CourseInput {
        objective: Objective::Professional.code().into(),
        trainer_kind: TrainerKind::Internal.code().into(),
        trainer: page.actor()?.user.display_name.clone(),
        // The support team's courses are the cooperative's by default, an entrepreneur's their
        // first activity's.
        activity: if coop.may(Permission::CoachingManage) {
            String::new()
        } else {
            first.map(|a| a.to_string()).unwrap_or_default()
        },
        ..CourseInput::default()
    };
    form_page(&app, &page, &coop, None, f, Errors::default()).await
}

pub async fn create_course(Ctx { app, coop, page }: Ctx, Form(f): Form<CourseInput>) -> PageResult {
    let outcome = trainings::create(&app, &coop, &f).await;
    forms::submit(
        &page,
        outcome,
        |id| format!("{}?done=saved", paths::training(&coop.slug, id)),
        async |errors| form_page(&app, &page, &coop, None, f, errors).await,
    )
    .await
}

pub async fn edit_course(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    let c = trainings::show(&app, &coop, id).await?.course;
    let f = CourseInput {
        title: c.title,
        objectives: c.objectives,
        objective: c.objective,
        speciality: c.speciality.unwrap_or_default(),
        hours: hours_decimal(c.planned_minutes).replace('.', ","),
        trainer_kind: c.trainer_kind,
        trainer: c.trainer,
        activity: c.activity_id.map(|a| a.to_string()).unwrap_or_default(),
    };
    form_page(&app, &page, &coop, Some(id), f, Errors::default()).await
}

pub async fn update_course(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<CourseInput>,
) -> PageResult {
    let outcome = trainings::update(&app, &coop, id, &f).await;
    forms::submit(
        &page,
        outcome,
        |()| format!("{}?done=saved", paths::training(&coop.slug, id)),
        async |errors| form_page(&app, &page, &coop, Some(id), f, errors).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A course's page

pub struct SessionRow {
    pub id: i64,
    pub label: String,
    pub duration: String,
    pub held: bool,
}

pub struct TraineeRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub category: String,
    pub organisation: String,
    pub attended: String,
    /// Attendance boxes for the sessions held: (value `trainee:session`, session label, ticked).
    pub boxes: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "trainings/show.html")]
pub struct ShowPage {
    pub l: Layout,
    pub title: String,
    pub base: String,
    pub back_href: String,
    pub message: Option<String>,
    pub errors: Errors,
    pub activity: String,
    pub objectives: String,
    pub objective: String,
    pub speciality: Option<String>,
    pub planned: String,
    pub scheduled: String,
    pub trainer: String,
    pub sessions: Vec<SessionRow>,
    pub trainees: Vec<TraineeRow>,
    pub any_held: bool,
    pub session: SessionInput,
    pub trainee: TraineeInput,
    pub categories: Vec<Choice>,
}

#[derive(Default)]
struct Typed {
    session: SessionInput,
    trainee: TraineeInput,
}

async fn show_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    done: &str,
    typed: Typed,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let v: CourseView = trainings::show(app, coop, id).await?;
    let today = app.clock.today();
    let label = |s: &TrainingSessionRecord| {
        format!(
            "{} {}–{}",
            view::date(s.held_on),
            hm(s.start_minute),
            hm(s.end_minute)
        )
    };
    let held: Vec<_> = v.sessions.iter().filter(|s| s.held_on <= today).collect();
    let c = &v.course;
    Ok(render(&ShowPage {
        title: c.title.clone(),
        base: paths::training(&coop.slug, id),
        back_href: paths::trainings(&coop.slug),
        message: (!done.is_empty()).then(|| t.get(&format!("trainings.done.{done}")).to_owned()),
        errors,
        activity: c
            .activity
            .clone()
            .unwrap_or_else(|| t.get("trainings.the_cooperative").to_owned()),
        objectives: c.objectives.clone(),
        objective: t
            .get(&format!("trainings.objective.{}", c.objective))
            .to_owned(),
        speciality: c.speciality.clone(),
        planned: hours_fr(c.planned_minutes),
        scheduled: hours_fr(v.scheduled_minutes()),
        trainer: format!(
            "{} ({})",
            c.trainer,
            t.get(&format!("trainings.trainer_kind.{}", c.trainer_kind))
        ),
        sessions: v
            .sessions
            .iter()
            .map(|s| SessionRow {
                id: s.session_id,
                label: label(s),
                duration: hours_fr(s.end_minute - s.start_minute),
                held: s.held_on <= today,
            })
            .collect(),
        trainees: v
            .trainees
            .iter()
            .map(|p| TraineeRow {
                id: p.trainee_id,
                name: format!("{} {}", p.last_name, p.first_name),
                email: p.email.clone().unwrap_or_default(),
                category: t
                    .get(&format!("trainings.category.{}", p.category))
                    .to_owned(),
                organisation: p.organisation.clone().unwrap_or_default(),
                attended: hours_fr(v.minutes_of(p.trainee_id)),
                boxes: held
                    .iter()
                    .map(|s| {
                        (
                            format!("{}:{}", p.trainee_id, s.session_id),
                            label(s),
                            v.present.contains(&(p.trainee_id, s.session_id)),
                        )
                    })
                    .collect(),
            })
            .collect(),
        any_held: !held.is_empty(),
        categories: Category::ALL
            .iter()
            .map(|k| {
                Choice::new(
                    k.code(),
                    t.get(&format!("trainings.category.{}", k.code())),
                    typed.trainee.category == k.code(),
                )
            })
            .collect(),
        session: typed.session,
        trainee: typed.trainee,
        l: page.layout.clone(),
    }))
}

pub async fn course(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<Done>,
) -> PageResult {
    show_page(
        &app,
        &page,
        &coop,
        id,
        &q.done,
        Typed::default(),
        Errors::default(),
    )
    .await
}

fn back(slug: &str, id: i64, done: &str) -> String {
    format!("{}?done={done}", paths::training(slug, id))
}

pub async fn add_session(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<SessionInput>,
) -> PageResult {
    let outcome = trainings::add_session(&app, &coop, id, &f).await;
    forms::submit(
        &page,
        outcome,
        |()| back(&coop.slug, id, "session_added"),
        async |errors| {
            let typed = Typed {
                session: f,
                ..Typed::default()
            };
            show_page(&app, &page, &coop, id, "", typed, errors).await
        },
    )
    .await
}

pub async fn remove_session(
    Ctx { app, coop, page }: Ctx,
    Path((_, id, session)): Path<(String, i64, i64)>,
) -> PageResult {
    let outcome = trainings::remove_session(&app, &coop, id, session).await;
    forms::submit(
        &page,
        outcome,
        |()| back(&coop.slug, id, "session_removed"),
        async |errors| show_page(&app, &page, &coop, id, "", Typed::default(), errors).await,
    )
    .await
}

pub async fn add_trainee(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<TraineeInput>,
) -> PageResult {
    let outcome = trainings::add_trainee(&app, &coop, id, &f).await;
    forms::submit(
        &page,
        outcome,
        |()| back(&coop.slug, id, "trainee_added"),
        async |errors| {
            let typed = Typed {
                trainee: f,
                ..Typed::default()
            };
            show_page(&app, &page, &coop, id, "", typed, errors).await
        },
    )
    .await
}

pub async fn remove_trainee(
    Ctx { app, coop, page }: Ctx,
    Path((_, id, trainee)): Path<(String, i64, i64)>,
) -> PageResult {
    let outcome = trainings::remove_trainee(&app, &coop, id, trainee).await;
    forms::submit(
        &page,
        outcome,
        |()| back(&coop.slug, id, "trainee_removed"),
        async |errors| show_page(&app, &page, &coop, id, "", Typed::default(), errors).await,
    )
    .await
}

/// The attendance grid: one box per trainee and session held, named `present`, valued
/// `trainee:session`.
pub async fn attendance(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut present = Vec::new();
    let mut malformed = false;
    for (k, v) in &pairs {
        if k != "present" {
            continue;
        }
        match v
            .split_once(':')
            .map(|(a, b)| (a.parse::<i64>(), b.parse::<i64>()))
        {
            Some((Ok(a), Ok(b))) => present.push((a, b)),
            _ => malformed = true,
        }
    }
    let outcome = if malformed {
        Err(AppError::field("attendance", "attendance_unknown"))
    } else {
        trainings::record_attendance(&app, &coop, id, &present).await
    };
    forms::submit(
        &page,
        outcome,
        |()| back(&coop.slug, id, "attendance"),
        async |errors| show_page(&app, &page, &coop, id, "", Typed::default(), errors).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The yearly summary (BPF)

/// One frame of the BPF: its lines and, for the trainees' frames, their total.
pub struct Frame {
    pub id: &'static str,
    pub heading: String,
    pub count_label: String,
    pub rows: Vec<SummaryRow>,
    pub total: Option<SummaryRow>,
}

pub struct SummaryRow {
    pub label: String,
    pub count: i64,
    pub hours: String,
}

#[derive(Template)]
#[template(path = "trainings/summary.html")]
pub struct SummaryPage {
    pub l: Layout,
    pub year: i32,
    pub period: String,
    pub declaration: Option<String>,
    pub frames: Vec<Frame>,
    pub courses: Vec<CourseRow>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub back_href: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct YearQuery {
    pub year: String,
}

/// The fiscal year asked for (by the year it starts in), or the last one over.
async fn year_of(
    app: &App,
    coop: &CoopActor,
    q: &YearQuery,
) -> Result<(i32, time::Date, time::Date), AppError> {
    let year = match q.year.trim() {
        "" => {
            let today = app.clock.today();
            let (start, _) = trainings::fiscal_year(app, coop, today.year()).await?;
            // The year that contains today is not over: the BPF is filed for the one before.
            if start <= today {
                today.year() - 1
            } else {
                today.year() - 2
            }
        }
        y => y
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2999).contains(y))
            .ok_or(AppError::field("year", "year_format"))?,
    };
    let (from, to) = trainings::fiscal_year(app, coop, year).await?;
    Ok((year, from, to))
}

fn line(label: String, l: &Line) -> SummaryRow {
    SummaryRow {
        label,
        count: l.trainees,
        hours: hours_fr(l.minutes),
    }
}

struct Lines {
    by_category: Vec<SummaryRow>,
    by_objective: Vec<SummaryRow>,
    trainers: Vec<SummaryRow>,
    total: SummaryRow,
}

fn lines_of(t: crate::i18n::Tr, s: &essaim_domain::coaching::training::Summary) -> Lines {
    Lines {
        by_category: s
            .by_category
            .iter()
            .map(|(k, l)| line(t.get(&format!("trainings.category.{}", k.code())).into(), l))
            .collect(),
        by_objective: s
            .by_objective
            .iter()
            .map(|(k, l)| {
                line(
                    t.get(&format!("trainings.objective.{}", k.code())).into(),
                    l,
                )
            })
            .collect(),
        trainers: s
            .trainers
            .iter()
            .map(|(k, l)| {
                line(
                    t.get(&format!("trainings.trainer_kind.{}", k.code()))
                        .into(),
                    l,
                )
            })
            .collect(),
        total: line(t.get("report.total").into(), &s.total),
    }
}

pub async fn summary(Ctx { app, coop, page }: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let t = page.layout.t;
    let (year, from, to) = year_of(&app, &coop, &q).await?;
    let bpf = trainings::summary(&app, &coop, from, to).await?;
    let lines = lines_of(t, &bpf.summary);
    let base = paths::trainings_summary(&coop.slug);
    Ok(render(&SummaryPage {
        year,
        period: format!("{} – {}", view::date(from), view::date(to)),
        declaration: bpf.declaration,
        frames: vec![
            Frame {
                id: "f1",
                heading: t.get("trainings.frame_f1").into(),
                count_label: t.get("trainings.trainees").into(),
                rows: lines.by_category,
                total: Some(line(t.get("report.total").into(), &bpf.summary.total)),
            },
            Frame {
                id: "f3",
                heading: t.get("trainings.frame_f3").into(),
                count_label: t.get("trainings.trainees").into(),
                rows: lines.by_objective,
                total: Some(lines.total),
            },
            Frame {
                id: "e",
                heading: t.get("trainings.frame_e").into(),
                count_label: t.get("trainings.trainers").into(),
                rows: lines.trainers,
                total: None,
            },
        ],
        courses: bpf
            .courses
            .iter()
            .map(|c| row_of(t, &coop.slug, c))
            .collect(),
        csv_href: format!("{base}/csv?year={year}"),
        xlsx_href: format!("{base}/xlsx?year={year}"),
        back_href: paths::trainings(&coop.slug),
        l: page.layout.clone(),
    }))
}

/// The summary as a table: one row per line of each frame, hours with two decimals.
pub async fn summary_file(
    Ctx { app, coop, page }: Ctx,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let t = page.layout.t;
    let (year, from, to) = year_of(&app, &coop, &q).await?;
    let bpf = trainings::summary(&app, &coop, from, to).await?;
    let s = &bpf.summary;
    let mut rows = Vec::new();
    let mut push = |frame: &str, label: String, l: &Line| {
        rows.push(vec![
            frame.to_owned(),
            label,
            l.trainees.to_string(),
            hours_decimal(l.minutes),
        ]);
    };
    for (k, l) in &s.by_category {
        push(
            "F-1",
            t.get(&format!("trainings.category.{}", k.code())).into(),
            l,
        );
    }
    push("F-1", t.get("report.total").into(), &s.total);
    for (k, l) in &s.by_objective {
        push(
            "F-3",
            t.get(&format!("trainings.objective.{}", k.code())).into(),
            l,
        );
    }
    for (k, l) in &s.trainers {
        push(
            "E",
            t.get(&format!("trainings.trainer_kind.{}", k.code()))
                .into(),
            l,
        );
    }
    let table = Table {
        sheet: t.get("trainings.summary").to_owned(),
        header: vec![
            t.get("trainings.frame").to_owned(),
            t.get("trainings.line").to_owned(),
            t.get("trainings.count").to_owned(),
            t.get("trainings.hours").to_owned(),
        ],
        rows,
    };
    view::table_file(&table, &format!("bpf-{year}"), &format)
}
