//! Appointments: the form (new and edit), the page, its status and next actions, its `.ics`;
//! the entrepreneur's own list with the calendar feed; the public feed.

use super::*;
use axum::http::header;
use essaim_app::coaching::{self, Overlap};
use essaim_domain::coaching::appointment::{ActionInput, AppointmentInput, Mode};

/// The form as typed: repeated `topics` and `people`, next actions as `a0.label`, `a0.due_on`…
fn form_of(pairs: &[(String, String)]) -> (AppointmentInput, Vec<ActionInput>) {
    let mut actions = Vec::new();
    for i in 0..appointment_rows(pairs) {
        actions.push(ActionInput {
            label: one(pairs, &format!("a{i}.label")),
            due_on: one(pairs, &format!("a{i}.due_on")),
        });
    }
    (
        AppointmentInput {
            date: one(pairs, "date"),
            time: one(pairs, "time"),
            duration: one(pairs, "duration"),
            mode: one(pairs, "mode"),
            place: one(pairs, "place"),
            topics: many(pairs, "topics"),
            people: many(pairs, "people"),
            private_notes: one(pairs, "private_notes"),
            summary: one(pairs, "summary"),
            programme: one(pairs, "programme"),
        },
        actions,
    )
}

/// How many action rows the form sent.
fn appointment_rows(pairs: &[(String, String)]) -> usize {
    pairs
        .iter()
        .filter_map(|(k, _)| {
            k.strip_prefix('a')
                .and_then(|r| r.split_once('.'))
                .and_then(|(n, _)| n.parse::<usize>().ok())
        })
        .max()
        .map_or(0, |n| (n + 1).min(50))
}

/// Empty rows offered under the next actions already written.
const SPARE_ACTIONS: usize = 3;

pub struct ActionField {
    pub index: usize,
    pub label: String,
    pub due_on: String,
    pub label_error: String,
    pub due_error: String,
}

#[derive(Template)]
#[template(path = "coaching/form.html")]
pub struct FormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub f: AppointmentInput,
    pub errors: Errors,
    pub modes: Vec<Choice>,
    pub topics: Vec<Choice>,
    pub people: Vec<Choice>,
    pub actions: Vec<ActionField>,
    pub cancel: String,
    pub programmes: Vec<Choice>,
}

async fn form_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: Option<i64>,
    f: AppointmentInput,
    actions: Vec<ActionInput>,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let chosen = essaim_app::coaching::people_choices(app, coop).await?;
    let mut rows: Vec<ActionField> = actions
        .iter()
        .enumerate()
        .map(|(i, a)| ActionField {
            index: i,
            label: a.label.clone(),
            due_on: a.due_on.clone(),
            label_error: errors.get(&format!("lines[{i}].label")).to_owned(),
            due_error: errors.get(&format!("lines[{i}].due_on")).to_owned(),
        })
        .collect();
    let n = rows.len();
    rows.extend((n..n + SPARE_ACTIONS).map(|i| ActionField {
        index: i,
        label: String::new(),
        due_on: String::new(),
        label_error: String::new(),
        due_error: String::new(),
    }));
    Ok(render(&FormPage {
        heading: t
            .get(if id.is_some() {
                "coaching.edit"
            } else {
                "coaching.new"
            })
            .to_owned(),
        action: id.map_or_else(
            || paths::appointments(&coop.slug),
            |id| format!("{}/edit", paths::appointment(&coop.slug, id)),
        ),
        cancel: id.map_or_else(
            || paths::coaching(&coop.slug),
            |id| paths::appointment(&coop.slug, id),
        ),
        modes: Mode::ALL
            .iter()
            .map(|m| {
                Choice::new(
                    m.code(),
                    t.get(&format!("coaching.mode.{}", m.code())),
                    f.mode == m.code(),
                )
            })
            .collect(),
        topics: topic_choices(app, coop, &f.topics).await?,
        people: chosen
            .iter()
            .map(|(id, name)| {
                let id = id.to_string();
                let selected = f.people.contains(&id);
                Choice::new(id, name.clone(), selected)
            })
            .collect(),
        actions: rows,
        programmes: programme_choices(app, coop, &f.programme).await?,
        f,
        errors,
        l: page.layout.clone(),
    }))
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    /// The person to meet, from the dashboard.
    pub person: String,
}

pub async fn new_appointment(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let today = app.clock.today();
    let f = AppointmentInput {
        date: today.to_string(),
        time: "10:00".into(),
        duration: "60".into(),
        mode: Mode::InPerson.code().into(),
        people: if q.person.is_empty() {
            Vec::new()
        } else {
            vec![q.person.clone()]
        },
        ..AppointmentInput::default()
    };
    form_page(&app, &page, &coop, None, f, Vec::new(), Errors::default()).await
}

fn after_save(slug: &str, id: i64, overlaps: &[Overlap]) -> String {
    let base = paths::appointment(slug, id);
    if overlaps.is_empty() {
        format!("{base}?done=saved")
    } else {
        format!("{base}?done=saved&overlap={}", overlaps.len())
    }
}

pub async fn create_appointment(
    Ctx { app, coop, page }: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (f, actions) = form_of(&pairs);
    let outcome = coaching::create(&app, &coop, &f, &actions).await;
    forms::submit(
        &page,
        outcome,
        |(id, overlaps)| after_save(&coop.slug, id, &overlaps),
        async |errors| form_page(&app, &page, &coop, None, f, actions, errors).await,
    )
    .await
}

pub async fn edit_appointment(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    coop.require(essaim_domain::access::Permission::CoachingManage)?;
    let v = coaching::show(&app, &coop, id).await?;
    let r = &v.record;
    let f = AppointmentInput {
        date: v.starts_at.date().to_string(),
        time: hm(v.starts_at),
        duration: r.minutes.to_string(),
        mode: r.mode.clone(),
        place: r.place.clone().unwrap_or_default(),
        topics: r
            .topics
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        people: v.people.iter().map(|p| p.0.to_string()).collect(),
        private_notes: r.private_notes.clone().unwrap_or_default(),
        summary: r.summary.clone().unwrap_or_default(),
        programme: r.programme.clone().unwrap_or_default(),
    };
    let actions = v
        .actions
        .iter()
        .map(|a| ActionInput {
            label: a.label.clone(),
            due_on: a.due_on.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    form_page(&app, &page, &coop, Some(id), f, actions, Errors::default()).await
}

pub async fn update_appointment(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (f, actions) = form_of(&pairs);
    let outcome = coaching::update(&app, &coop, id, &f, &actions).await;
    forms::submit(
        &page,
        outcome,
        |overlaps| after_save(&coop.slug, id, &overlaps),
        async |errors| form_page(&app, &page, &coop, Some(id), f, actions, errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "coaching/show.html")]
pub struct ShowPage {
    pub l: Layout,
    pub heading: String,
    pub message: Option<String>,
    pub overlap: Option<String>,
    pub errors: Errors,
    pub row: AppointmentRow,
    pub place: String,
    pub topics: String,
    pub private_notes: Option<String>,
    pub may_manage: bool,
    pub edit_href: String,
    pub status_action: String,
    pub next: Vec<(String, String)>,
    pub ics_href: String,
    pub back_href: String,
    /// Attachments: read by the people met, added by coaches.
    pub docs: Vec<crate::pages::documents::DocView>,
    pub upload_action: Option<String>,
    pub doc_kinds: Vec<Choice>,
    pub document_error: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub done: String,
    pub overlap: String,
    /// A refused attachment's problem, carried back after the redirect.
    pub document_error: Option<String>,
}

async fn show_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    q: &ShowQuery,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let v = coaching::show(app, coop, id).await?;
    let today = app.clock.today();
    let base = paths::appointment(&coop.slug, id);
    let docs =
        essaim_app::documents::list(app, coop, essaim_app::records::Owner::Appointment(id)).await?;
    Ok(render(&ShowPage {
        docs: crate::pages::documents::views(t, &coop.slug, &docs, today),
        upload_action: v.may_manage.then(|| format!("{base}/documents")),
        doc_kinds: crate::pages::documents::kinds(t),
        document_error: crate::pages::documents::DocumentErrorQuery::of(q.document_error.clone())
            .message(t),
        heading: t.fmt(
            "coaching.heading",
            &[&view::date(v.starts_at.date()), &hm(v.starts_at)],
        ),
        message: (!q.done.is_empty())
            .then(|| t.get(&format!("coaching.done.{}", q.done)).to_owned()),
        overlap: q
            .overlap
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .map(|n| t.fmt("coaching.overlap", &[&n.to_string()])),
        errors,
        row: row_of(t, &coop.slug, &v, today),
        place: v.record.place.clone().unwrap_or_default(),
        topics: v.topics.join(", "),
        private_notes: if v.may_manage {
            Some(v.record.private_notes.clone().unwrap_or_default())
        } else {
            None
        },
        may_manage: v.may_manage,
        edit_href: format!("{base}/edit"),
        status_action: format!("{base}/status"),
        next: next_statuses(v.status)
            .into_iter()
            .map(|s| {
                (
                    s.code().to_owned(),
                    t.get(&format!("coaching.mark.{}", s.code())).to_owned(),
                )
            })
            .collect(),
        ics_href: format!("{base}/ics"),
        back_href: if v.may_manage {
            paths::appointments(&coop.slug)
        } else {
            paths::my_appointments(&coop.slug)
        },
        l: page.layout.clone(),
    }))
}

pub async fn appointment(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    show_page(&app, &page, &coop, id, &q, Errors::default()).await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    pub status: String,
}

pub async fn appointment_status(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<StatusForm>,
) -> PageResult {
    let outcome = coaching::set_status(&app, &coop, id, &f.status).await;
    forms::submit(
        &page,
        outcome,
        |()| format!("{}?done=status", paths::appointment(&coop.slug, id)),
        async |errors| show_page(&app, &page, &coop, id, &ShowQuery::default(), errors).await,
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    /// `1` to tick it done, anything else to untick it.
    pub done: String,
    /// Where to go back to (the person's own list or the appointment).
    pub back: String,
}

pub async fn appointment_action(
    Ctx { app, coop, .. }: Ctx,
    Path((_, id, position)): Path<(String, i64, i64)>,
    Form(f): Form<ActionForm>,
) -> PageResult {
    coaching::action_done(&app, &coop, id, position, f.done == "1").await?;
    let back = if f.back == "mine" {
        paths::my_appointments(&coop.slug)
    } else {
        paths::appointment(&coop.slug, id)
    };
    Ok(Redirect::to(&back).into_response())
}

pub async fn appointment_ics(
    Ctx { app, coop, .. }: Ctx,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    let bytes = coaching::ics_of(&app, &coop, id).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"rendez-vous-{id}.ics\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "coaching/mine.html")]
pub struct MinePage {
    pub l: Layout,
    pub upcoming: Vec<AppointmentRow>,
    pub past: Vec<AppointmentRow>,
    pub has_feed: bool,
    pub feed_url: Option<String>,
    pub feed_action: String,
    pub competences_href: String,
}

async fn mine_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    feed_url: Option<String>,
) -> PageResult {
    let t = page.layout.t;
    let today = app.clock.today();
    let all = coaching::of_person(app, coop, None).await?;
    let (upcoming, past): (Vec<_>, Vec<_>) = all
        .iter()
        .partition(|v| v.starts_at.date() >= today && v.status == Status::Planned);
    let mut upcoming: Vec<AppointmentRow> = upcoming
        .into_iter()
        .map(|v| row_of(t, &coop.slug, v, today))
        .collect();
    upcoming.reverse();
    Ok(render(&MinePage {
        upcoming,
        past: past
            .into_iter()
            .map(|v| row_of(t, &coop.slug, v, today))
            .collect(),
        has_feed: coaching::has_feed(app, coop).await?,
        feed_url,
        feed_action: format!("{}/feed", paths::my_appointments(&coop.slug)),
        competences_href: paths::my_competences(&coop.slug),
        l: page.layout.clone(),
    }))
}

pub async fn my_appointments(Ctx { app, coop, page }: Ctx) -> PageResult {
    mine_page(&app, &page, &coop, None).await
}

/// Creates (or replaces) the calendar feed: its address is shown once.
pub async fn new_feed(Ctx { app, coop, page }: Ctx) -> PageResult {
    let token = coaching::new_feed(&app, &coop).await?;
    let url = format!(
        "{}{}",
        app.config.base_url.trim_end_matches('/'),
        paths::calendar_feed(&token)
    );
    mine_page(&app, &page, &coop, Some(url)).await
}

/// `/calendar/{token}`: the feed a calendar subscribes to (no session: the token is the key).
pub async fn calendar_feed(
    axum::extract::State(crate::state::AppState { app, .. }): axum::extract::State<
        crate::state::AppState,
    >,
    Path(token): Path<String>,
) -> Response {
    match coaching::feed(&app, token.trim_end_matches(".ics")).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}
